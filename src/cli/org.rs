//! A scan of several accounts: the roles from `--role-arn`, `--accounts` or the
//! organisation (`--org-role`), each account scanned under one gate, its reports in its own
//! folder, and the organisation summary.

use std::path::Path;
use std::sync::Arc;

use super::exit::{exit_code, exit_for_signal, watch_signals, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE};
use super::plan::{accounts_left, ScanPlan};
use super::{print_stdout, usage_error, AggregateFormat, ScanArgs};
use crate::evidence::Evidence;
use crate::fleet::aggregate::{AccountSummary, Unscanned};
use crate::report;
use crate::scan;
use crate::session::{Session, SessionOptions};

/// The roles to assume for `--org-role NAME`: NAME in each active account the organisation
/// lists (the base credentials list them), less `exclude`. Inactive accounts are named.
async fn org_roles(
    session: &SessionOptions,
    name: &str,
    exclude: &[String],
) -> Result<Vec<String>, String> {
    crate::session::validate_role_arn(&format!("arn:aws:iam::000000000000:role/{name}"))
        .map_err(|_| format!("--org-role {name:?} is not a role name (or path/name)"))?;
    // Only the primary region: the listing is global, and the scans probe their own regions.
    let reach = SessionOptions {
        regions: session.regions.first().cloned().into_iter().collect(),
        all_regions: false,
        exclude_regions: Vec::new(),
        role_arn: None,
        ..session.clone()
    };
    let log = Arc::new(crate::session::calls::CallLog::default());
    let connected = Session::connect(&reach, &log)
        .await
        .map_err(|e| e.to_string())?;
    let config = connected.config_for(&connected.regions[0]);
    let accounts = crate::fleet::org_accounts::list(&config, log)
        .await
        .map_err(|f| {
            format!(
                "--org-role: the organisation's accounts cannot be listed (organizations:ListAccounts, which answers in the management account or a delegated administrator; these credentials are {}): {}",
                connected.caller_arn, f.message
            )
        })?;
    let (roles, inactive) = crate::fleet::org_accounts::to_scan(&accounts, name, exclude);
    for a in &inactive {
        eprintln!(
            "note: account {} ({}) is {}: not scanned",
            a.id, a.name, a.state
        );
    }
    eprintln!(
        "organisation: {} account(s) listed, {} to scan as role {name}",
        accounts.len(),
        roles.len()
    );
    if accounts.is_empty() {
        return Err(format!(
            "--org-role: organizations:ListAccounts lists no account for {}: are these the management account's credentials?",
            connected.caller_arn
        ));
    }
    if roles.is_empty() {
        return Err(format!(
            "--org-role: no active account left to scan ({} listed)",
            accounts.len()
        ));
    }
    Ok(roles)
}

/// Several accounts at once, under one gate: each account's reports into its own folder of
/// --output-dir, the organisation summary on stdout (and in organization.* beside them).
pub fn run_org_scan(
    args: &ScanArgs,
    plan: ScanPlan,
    format: AggregateFormat,
    runtime: &tokio::runtime::Runtime,
) -> u8 {
    let Some(dir) = &args.output_dir else {
        return usage_error("scanning several accounts needs --output-dir DIR");
    };
    let mut roles = plan.roles.clone();
    if let Some(name) = &args.org_role {
        match runtime
            .block_on(org_roles(&plan.opts.session, name, &args.exclude_accounts))
            .and_then(|listed| accounts_left(listed, args))
        {
            Ok(listed) => roles = listed,
            Err(e) => return usage_error(&e),
        }
    }
    let results = scan_all(&plan, &roles, runtime);
    let (mut summaries, mut unscanned) = (Vec::new(), Vec::new());
    let mut worst = EXIT_OK;
    for (role, result) in results {
        let mut evidence = match result {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {role}: {e}");
                unscanned.push(Unscanned {
                    account: role,
                    error: e.to_string(),
                });
                worst = worst.max(EXIT_PARTIAL);
                continue;
            }
        };
        if plan.sign_key.is_some() {
            crate::evidence::integrity::seal(&mut evidence, plan.sign_key.as_ref());
        }
        match file_account(args, dir, &evidence) {
            Ok(summary) => summaries.push(summary),
            Err(code) => return code,
        }
        worst = worst.max(exit_code(&evidence, args.fail_on, None));
    }
    if let Some(signal) = prodready_aws::interrupt::signal() {
        if !args.keep_partial {
            eprintln!(
                "prodready: interrupted: the accounts already written stay in {}",
                dir.display()
            );
        }
        return exit_for_signal(signal);
    }
    let org = crate::fleet::aggregate::organization(summaries, unscanned, Vec::new());
    match write_summary(args, dir, &org, format) {
        Ok(()) => worst,
        Err(code) => code,
    }
}

type Scanned = Vec<(String, Result<Evidence, crate::error::SetupError>)>;

/// Every account scanned at once, sharing one gate on the calls in flight.
fn scan_all(plan: &ScanPlan, roles: &[String], runtime: &tokio::runtime::Runtime) -> Scanned {
    let gate = Arc::new(tokio::sync::Semaphore::new(
        plan.opts.max_concurrency.max(1),
    ));
    let progress = crate::progress::start();
    let results = runtime.block_on(async {
        tokio::spawn(watch_signals());
        let scans = roles.iter().map(|role| {
            let mut o = plan.opts.clone();
            o.session.role_arn = Some(role.clone());
            o.gate = Some(gate.clone());
            async move { (role.clone(), scan::run(&o).await) }
        });
        futures::future::join_all(scans).await
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    results
}

/// One account's reports into DIR/ACCOUNT/ (and its history), and its line of the summary.
fn file_account(args: &ScanArgs, dir: &Path, evidence: &Evidence) -> Result<AccountSummary, u8> {
    let account_dir = dir.join(&evidence.scan.account_id);
    if let Err(e) = super::commands::write_all_formats(&account_dir, evidence) {
        eprintln!("error: cannot write {}: {e}", account_dir.display());
        return Err(EXIT_USAGE);
    }
    if let Some(history) = &args.history {
        let history = history.join(&evidence.scan.account_id);
        if let Err(e) = crate::compare::history::store(&history, evidence, &report::json(evidence))
        {
            eprintln!(
                "error: cannot write the history into {}: {e}",
                history.display()
            );
            return Err(EXIT_USAGE);
        }
    }
    Ok(AccountSummary::of(
        evidence,
        &account_dir.join("evidence.json").display().to_string(),
    ))
}

/// The organisation summary in every format beside the accounts, and in `format` to stdout
/// or `--output`.
fn write_summary(
    args: &ScanArgs,
    dir: &Path,
    org: &crate::fleet::aggregate::Organization,
    format: AggregateFormat,
) -> Result<(), u8> {
    let writes = [
        ("organization.txt", report::aggregate::table(org)),
        ("organization.json", report::aggregate::json(org)),
        ("organization.md", report::aggregate::markdown(org)),
    ];
    for (name, text) in &writes {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            eprintln!("error: cannot write {}: {e}", dir.join(name).display());
            return Err(EXIT_USAGE);
        }
    }
    let text = match format {
        AggregateFormat::Table => &writes[0].1,
        AggregateFormat::Json => &writes[1].1,
        AggregateFormat::Markdown => &writes[2].1,
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return Err(EXIT_USAGE);
            }
        }
        None => print_stdout(text),
    }
    Ok(())
}
