//! `prodready plan PLAN.json`: a Terraform plan judged before it is applied, alone (only what
//! the plan holds, by the checks whose every input a plan gives) or over a scan of the account
//! (`--baseline`: what the change would fix and what it would newly break).

use std::path::PathBuf;

use super::exit::{EXIT_FAILED, EXIT_OK};
use super::{usage_error, write_or_print, OutputFormat};
use crate::checks::Status;
use crate::config::Config;
use crate::evidence::{Evidence, ScanInfo};
use crate::report;

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The plan as `terraform show -json PLANFILE` prints it.
    pub plan: PathBuf,
    /// A scan of the same account: the plan's changes are laid over it, and the output is
    /// what they would fix and newly break (exit 1 only when something newly fails).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// The region of resources whose region the plan does not show.
    #[arg(long)]
    pub region: Option<String>,
    /// Thresholds (docs/configuration.md); with --baseline, the baseline's config otherwise.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Without --baseline: the report's format. With it: `json` for the diff as JSON.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The Terraform configuration the plan was made from: each finding's address gets the
    /// file and line that declare it (docs/terraform.md).
    #[arg(long, value_name = "DIR")]
    pub terraform_dir: Option<PathBuf>,
}

/// The declarations of `--terraform-dir` given to the findings' addresses.
fn declare(
    inv: &mut crate::inventory::Inventory,
    dir: Option<&std::path::Path>,
) -> Result<(), String> {
    let Some(dir) = dir else {
        return Ok(());
    };
    let declarations = crate::terraform::declarations::read(dir)?;
    if let Some(crate::inventory::Collected::Ok(t)) = &mut inv.terraform {
        t.declarations = declarations;
    }
    Ok(())
}

fn scan_info(account: &str, plan: &str, regions: Vec<String>) -> ScanInfo {
    let at = crate::scan::now();
    ScanInfo {
        started_at: at.clone(),
        finished_at: at,
        duration_ms: 0,
        account_id: account.to_owned(),
        caller_arn: format!("terraform plan {plan}"),
        regions,
        endpoint: None,
        partial: false,
        interrupted_by: None,
    }
}

pub fn run(args: &PlanArgs) -> u8 {
    let source = args.plan.display().to_string();
    let plan = match std::fs::read_to_string(&args.plan)
        .map_err(|e| format!("{source}: {e}"))
        .and_then(|text| crate::terraform::plan::parse(&source, &text, args.region.as_deref()))
    {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let config = match args.config.as_deref().map(Config::load).transpose() {
        Ok(c) => c,
        Err(e) => return usage_error(&e.to_string()),
    };
    let prices = crate::assess::cost::PriceTable::embedded();
    match &args.baseline {
        Some(path) => match crate::evidence::read::load(path) {
            Ok(base) => over_baseline(args, &plan, &base, config, &prices),
            Err(e) => usage_error(&format!("{}: {e}", path.display())),
        },
        None => alone(args, &plan, config.unwrap_or_default(), &prices),
    }
}

/// The plan over the scanned account: the diff from the baseline's findings.
fn over_baseline(
    args: &PlanArgs,
    plan: &crate::terraform::plan::Plan,
    base: &Evidence,
    config: Option<Config>,
    prices: &crate::assess::cost::PriceTable,
) -> u8 {
    let mut o = crate::terraform::plan::overlay(
        plan,
        Some(&base.inventory),
        &base.scan.account_id,
        &crate::scan::now(),
    );
    if let Err(e) = declare(&mut o.inventory, args.terraform_dir.as_deref()) {
        return usage_error(&e);
    }
    say_not_read(
        &o.not_read,
        "not read from a plan (the baseline's state of them stands)",
    );
    let config = config.unwrap_or_else(|| base.config.clone());
    let scan = scan_info(
        &base.scan.account_id,
        &plan.source,
        o.inventory.regions.clone(),
    );
    let after = crate::scan::assemble(scan, o.inventory, &config, prices, vec![]);
    let d = crate::compare::diff::diff(base, &after);
    let text = match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        _ => report::diff::render(&d, false),
    };
    let written = write_or_print(args.output.as_deref(), &text);
    if written != EXIT_OK {
        return written;
    }
    if d.new_failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

/// Names on stderr the plan's resource types, counted, that `why` leaves unjudged.
fn say_not_read(not_read: &std::collections::BTreeMap<String, usize>, why: &str) {
    if !not_read.is_empty() {
        let types: Vec<String> = not_read.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        eprintln!("prodready plan: {why}: {}", types.join(", "));
    }
}

/// The plan on its own: only the checks whose every input a plan gives, on the resources it
/// holds; nothing account-wide is judged.
fn alone(
    args: &PlanArgs,
    plan: &crate::terraform::plan::Plan,
    mut config: Config,
    prices: &crate::assess::cost::PriceTable,
) -> u8 {
    const ACCOUNT: &str = "000000000000";
    let mut o = crate::terraform::plan::overlay(plan, None, ACCOUNT, &crate::scan::now());
    if let Err(e) = declare(&mut o.inventory, args.terraform_dir.as_deref()) {
        return usage_error(&e);
    }
    let judged: Vec<String> = crate::checks::all()
        .filter(|c| c.on_plans && config.selection.includes(c.id.as_str()))
        .map(|c| c.id.as_str().to_owned())
        .collect();
    config.selection.only = judged;
    config.selection.skip.clear();
    let scan = scan_info(ACCOUNT, &plan.source, o.inventory.regions.clone());
    let mut e = crate::scan::assemble(scan, o.inventory, &config, prices, vec![]);
    // A plan's cost and recovery would be the plan's resources alone: not the account's.
    e.assessment.cost = None;
    e.assessment.recovery = None;
    crate::evidence::integrity::seal(&mut e, None);
    say_not_read(
        &o.not_read,
        "not judged on a plan alone (judged over a --baseline scan, or by no check)",
    );
    let text = super::scan::rendered(args.format, &e, false, false);
    let written = write_or_print(args.output.as_deref(), &text);
    if written != EXIT_OK {
        return written;
    }
    if e.findings.iter().any(|f| f.status == Status::Fail) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
