//! `prodready scan`'s arguments turned into a plan: every file read and every argument
//! checked before the runtime starts, so a usage error costs no scan.

use std::time::Duration;

use super::{AggregateFormat, FailOn, OutputFormat, ScanArgs};
use crate::config::Config;
use crate::evidence::Evidence;
use crate::scan::ScanOptions;
use crate::session::SessionOptions;

/// What a scan will do, read and checked from its arguments.
pub struct ScanPlan {
    pub opts: ScanOptions,
    /// The scan to compare with (`--baseline`), read before scanning.
    pub baseline: Option<Evidence>,
    pub sign_key: Option<ed25519_dalek::SigningKey>,
    /// The roles named on the command line and in `--accounts`, less the excluded accounts.
    pub roles: Vec<String>,
    /// Set when several accounts are scanned: the organisation summary's format.
    pub fleet_format: Option<AggregateFormat>,
}

impl ScanPlan {
    /// Reads every file the scan needs and checks every argument; the first problem is the
    /// error.
    pub fn new(args: &ScanArgs) -> Result<ScanPlan, String> {
        // The custom checks first: the config's suppressions and attestations may name them.
        let mut policy_dirs: Vec<std::path::PathBuf> = args
            .config
            .as_deref()
            .map(crate::config::policy_dirs)
            .unwrap_or_default()
            .into_iter()
            .map(std::path::PathBuf::from)
            .collect();
        policy_dirs.extend(args.policy_dirs.iter().cloned());
        super::commands::install_policies(&policy_dirs)?;
        let config = match &args.config {
            Some(path) => Config::load(path).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        if args.fail_on == FailOn::New && args.baseline.is_none() {
            return Err("--fail-on new needs --baseline FILE (the scan to compare with)".into());
        }
        // Read before scanning: a bad baseline should not cost a scan.
        let baseline = args
            .baseline
            .as_deref()
            .map(crate::evidence::read::load)
            .transpose()?;
        let sign_key = args
            .sign_key
            .as_deref()
            .map(crate::evidence::integrity::load_private)
            .transpose()?;
        let mut config = config;
        config.selection = selection(args, &config)?;
        let terraform = terraform_sources(args, &config)?;
        let prices = match &args.prices {
            Some(path) => crate::assess::cost::PriceTable::load(path)?,
            None => crate::assess::cost::PriceTable::embedded(),
        };
        let mut roles = args.role_arns.clone();
        if let Some(path) = &args.accounts {
            roles.extend(
                crate::fleet::accounts::load(path)?
                    .iter()
                    .map(|a| a.role_arn()),
            );
        }
        let roles = accounts_left(roles, args)?;
        let fleet_format = (roles.len() > 1 || args.org_role.is_some())
            .then(|| fleet_format(args))
            .transpose()?;
        let mut session = session_options(args)?;
        session.role_arn = roles.first().cloned().filter(|_| fleet_format.is_none());
        Ok(ScanPlan {
            opts: ScanOptions {
                session,
                config,
                max_concurrency: args.max_concurrency as usize,
                prices,
                gate: None,
                terraform,
            },
            baseline,
            sign_key,
            roles,
            fleet_format,
        })
    }
}

/// The checks to judge, from `--checks`, `--skip-checks` and `--framework` (over the config's
/// own `[selection]`); an id no check has is an error.
fn selection(args: &ScanArgs, config: &Config) -> Result<crate::config::Selection, String> {
    let mut s = config.selection.clone();
    if let Some(name) = &args.framework {
        let f = config.frameworks.get(name).ok_or_else(|| {
            let known: Vec<&str> = config.frameworks.keys().map(String::as_str).collect();
            format!(
                "--framework {name}: the config has no [frameworks.{name}] (it has: {})",
                known.join(", ")
            )
        })?;
        s.only.extend(f.checks.iter().cloned());
    }
    s.only.extend(args.checks.iter().cloned());
    s.skip.extend(args.skip_checks.iter().cloned());
    for id in s.only.iter().chain(&s.skip) {
        if crate::catalog::catalog().get(id).is_none() {
            return Err(format!("{id} is not a check (`prodready checks` lists them, with --policy-dir the custom ones)"));
        }
    }
    Ok(s)
}

/// The states of `--terraform-state` and the config's `[terraform] state`, and the directory
/// of `--terraform-dir` (or the config's `dir`), read now: a bad file costs no scan.
fn terraform_sources(
    args: &ScanArgs,
    config: &Config,
) -> Result<crate::terraform::Sources, String> {
    let mut states = config.terraform.state.clone();
    states.extend(args.terraform_states.iter().cloned());
    let dir = args
        .terraform_dir
        .clone()
        .or_else(|| config.terraform.dir.as_ref().map(std::path::PathBuf::from));
    crate::terraform::Sources::load(&states, dir.as_deref())
}

fn session_options(args: &ScanArgs) -> Result<SessionOptions, String> {
    let seconds = |name: &str, v: f64| {
        if v.is_finite() && v > 0.0 && v <= 3600.0 {
            Ok(Duration::from_secs_f64(v))
        } else {
            Err(format!(
                "--{name} must be a number of seconds between 0 and 3600, got {v}"
            ))
        }
    };
    Ok(SessionOptions {
        profile: args.profile.clone(),
        regions: args.regions.clone(),
        role_arn: None,
        endpoint_url: args.endpoint_url.clone(),
        connect_timeout: seconds("connect-timeout", args.connect_timeout)?,
        operation_timeout: seconds("operation-timeout", args.operation_timeout)?,
        max_attempts: args.max_attempts,
        retry_mode: args.retry_mode,
        all_regions: args.all_regions,
        exclude_regions: args.exclude_regions.clone(),
    })
}

/// What a scan of several accounts needs: a folder for their reports, no one-account
/// comparison, and a summary format.
fn fleet_format(args: &ScanArgs) -> Result<AggregateFormat, String> {
    if args.output_dir.is_none() {
        return Err("scanning several accounts needs --output-dir DIR (each account's reports go into DIR/ACCOUNT/)".into());
    }
    if args.baseline.is_some() || args.fail_on == FailOn::New {
        return Err("--baseline and --fail-on new compare one account's scans: run them per account, or use `prodready diff`".into());
    }
    match args.format {
        OutputFormat::Table => Ok(AggregateFormat::Table),
        OutputFormat::Json => Ok(AggregateFormat::Json),
        OutputFormat::Markdown => Ok(AggregateFormat::Markdown),
        _ => Err("a multi-account scan prints the organisation summary as table, json or markdown; each account's other formats are in --output-dir".into()),
    }
}

/// The roles given, each checked, once each, less the accounts `--exclude-account` names.
pub fn accounts_left(mut roles: Vec<String>, args: &ScanArgs) -> Result<Vec<String>, String> {
    for role in &roles {
        crate::session::validate_role_arn(role).map_err(|e| e.to_string())?;
    }
    roles.dedup();
    roles.retain(|r| {
        !args
            .exclude_accounts
            .iter()
            .any(|a| r.split(':').nth(4) == Some(a.as_str()))
    });
    if roles.is_empty() && !args.exclude_accounts.is_empty() && args.org_role.is_none() {
        return Err("--exclude-account left no account to scan".into());
    }
    Ok(roles)
}
