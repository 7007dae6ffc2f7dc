//! The command line: parses arguments, runs a command, maps the result to an exit code.
//!
//! Exit codes: 0 no failing check · 1 failing checks · 2 usage, configuration or credentials
//! error (nothing scanned) · 3 partial scan (some of the account could not be read; the
//! outputs are still written). 3 wins over 1: a partial result is never reported as complete.
//! 128 + signal (130, 143) when SIGINT or SIGTERM interrupted the scan.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::catalog;
use crate::config::Config;
use crate::report;
use crate::scan::{self, ScanOptions};
use crate::session::{RetryMode, Session, SessionOptions};

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_PARTIAL: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "prodready",
    version,
    about = "How far is this AWS account from production-ready? Scans it, read-only, and says, with evidence."
)]
pub struct Cli {
    /// Log what the scanner does to stderr (repeat for more; RUST_LOG overrides).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan an account and report its readiness.
    Scan(Box<ScanArgs>),
    /// List the checks the scanner runs.
    Checks {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
    },
    /// Compare two evidence files of one account: new failures, fixed findings, score, grade
    /// and cost. Exit 0 when nothing regressed, 1 when something did.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
    },
    /// Print the least-privilege IAM policy (JSON) the scanner needs.
    Permissions,
    /// Make an Ed25519 key pair for signing evidence (`scan --sign-key`).
    Keygen {
        /// Where to write the private key (created with mode 0600; never overwritten).
        #[arg(long, value_name = "FILE")]
        private: PathBuf,
        /// Where to write the public key, for `verify --pubkey`.
        #[arg(long, value_name = "FILE")]
        public: PathBuf,
    },
    /// An account's scans over time, from a folder of evidence files (`scan --history DIR`):
    /// score, grade, failing checks and monthly cost.
    History {
        dir: PathBuf,
        /// `html` draws score and cost as line charts.
        #[arg(long, value_enum, default_value_t = HistoryFormat::Table)]
        format: HistoryFormat,
        /// Write the output to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// An organisation's readiness from evidence files, in a folder (any depth: per-account
    /// output dirs, histories) or under an S3 prefix (a fleet of scans' uploads): the latest
    /// scan of each account, worst first, and the checks failing across accounts.
    Aggregate {
        /// A folder of evidence files (read at any depth), or s3://BUCKET/PREFIX (every
        /// `*.json` object under the prefix).
        source: String,
        /// `markdown` for a report; `json` for tools.
        #[arg(long, value_enum, default_value_t = AggregateFormat::Table)]
        format: AggregateFormat,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// For s3://: the AWS profile to read the bucket with.
        #[arg(long, env = "AWS_PROFILE")]
        profile: Option<String>,
        /// For s3://: the bucket's region (default: the profile's or AWS_REGION).
        #[arg(long)]
        region: Option<String>,
        /// For s3://: send the calls to this endpoint (an emulator, an S3-compatible store).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
    },
    /// Check an evidence file: its digest, its signature, and that its findings follow from
    /// its inventory. Exit 0 when all hold, 1 when any does not (each named), 2 when the file
    /// cannot be read.
    Verify {
        file: PathBuf,
        /// The public key the signature must verify with (else the one embedded is used).
        #[arg(long, value_name = "FILE")]
        pubkey: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    /// One row per check, for a terminal.
    Table,
    /// The evidence document (see docs/evidence.md).
    Json,
    /// A report with the assessment's structure: summary, checklist, remediation.
    Markdown,
    /// One self-contained HTML page: grade, checklist, cost chart.
    Html,
    /// JUnit XML for CI systems: a test case per check and resource.
    Junit,
    /// SARIF 2.1.0 for code-scanning services: a rule per check, a result per finding.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any failing check.
    Any,
    /// Only failures that are new since --baseline (a nightly gate on regressions).
    New,
    Critical,
    High,
    Medium,
    Low,
}

impl FailOn {
    /// The least severity that fails the scan, for the severity settings.
    fn severity(self) -> Option<crate::catalog::Severity> {
        use crate::catalog::Severity;
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Any | FailOn::New => None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AggregateFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HistoryFormat {
    Table,
    Json,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CatalogFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// AWS profile to use (SSO, credential_process and role profiles work).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region to scan; repeat for several. Default: the profile's or AWS_REGION.
    #[arg(long = "region", value_name = "REGION", conflicts_with = "all_regions")]
    pub regions: Vec<String>,
    /// Scan every region enabled for the account (ec2:DescribeRegions). A region that does
    /// not answer costs one failed call and is reported, never a hang.
    #[arg(long)]
    pub all_regions: bool,
    /// Leave this region out (repeatable), with --all-regions or --region.
    #[arg(long = "exclude-region", value_name = "REGION")]
    pub exclude_regions: Vec<String>,
    /// Assume this role before scanning (e.g. a read-only audit role in the target account).
    /// Repeat it to scan several accounts at once (each into its own folder of --output-dir).
    #[arg(long = "role-arn", value_name = "ARN")]
    pub role_arns: Vec<String>,
    /// Scan every account of this file, each through its role (see docs/scaling.md), all at
    /// once under one --max-concurrency; needs --output-dir.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// Scan every active account of the organisation, assuming the role NAME in each. The
    /// accounts are listed with organizations:ListAccounts, which answers in the management
    /// account or a delegated administrator; needs --output-dir.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["role_arns", "accounts"])]
    pub org_role: Option<String>,
    /// Leave this account out of a multi-account scan (repeatable).
    #[arg(long = "exclude-account", value_name = "ID")]
    pub exclude_accounts: Vec<String>,
    /// Send every AWS call to this endpoint (an emulator or proxy). AWS_ENDPOINT_URL also works.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Configuration file with thresholds (see docs/configuration.md).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Price table for the cost estimate, instead of the embedded one (see docs/cost.md).
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the output to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The previous scan's evidence: print what changed since (see `prodready diff`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// What makes exit code 1: any failing check (the default), only findings that are new
    /// since --baseline, or failures of at least a severity.
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
    /// Sign the evidence with this Ed25519 private key (`prodready keygen` makes one).
    #[arg(long, value_name = "FILE")]
    pub sign_key: Option<PathBuf>,
    /// Also write every format into DIR: evidence.json, report.md, report.html, report.txt,
    /// report.junit.xml, report.sarif.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Keep this scan's evidence in DIR as scan-ACCOUNT-TIMESTAMP.json, so the folder is the
    /// account's history (`prodready history DIR`).
    #[arg(long, value_name = "DIR")]
    pub history: Option<PathBuf>,
    /// API calls in flight at most, across the whole scan.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=512))]
    pub max_concurrency: u16,
    /// Attempts per API call, retries included (throttling and transient errors are retried).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub max_attempts: u32,
    /// `adaptive` (the default) also slows every call to a service down once it throttles (a
    /// client-side rate limiter), so a scan that reaches an API rate quota still reads
    /// everything; `standard` only backs off each call (see docs/scaling.md).
    #[arg(long, value_enum, default_value_t = RetryMode::Adaptive)]
    pub retry_mode: RetryMode,
    /// Seconds to wait for a TCP connection to an endpoint.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub connect_timeout: f64,
    /// Seconds one API call (all its attempts) may take before it is abandoned.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub operation_timeout: f64,
    /// Never colour the table (NO_COLOR and a non-terminal stdout also turn colour off).
    #[arg(long)]
    pub no_color: bool,
    /// When interrupted (Ctrl-C, SIGTERM), still write the outputs: what was read, marked
    /// partial (`scan.interrupted_by`). Without it an interrupted scan writes nothing.
    #[arg(long)]
    pub keep_partial: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::logging::init(cli.verbose);
    ExitCode::from(match cli.command {
        Command::Checks { format } => {
            let c = catalog();
            let text = match format {
                CatalogFormat::Table => report::catalog::table(c),
                CatalogFormat::Json => report::catalog::json(c),
                CatalogFormat::Markdown => report::catalog::markdown(c),
            };
            print_stdout(&text);
            EXIT_OK
        }
        Command::Scan(args) => run_scan(*args),
        Command::Keygen { private, public } => run_keygen(&private, &public),
        Command::Permissions => {
            print_stdout(&crate::collect::permissions::policy());
            EXIT_OK
        }
        Command::Diff { old, new, format } => run_diff(&old, &new, format),
        Command::Verify { file, pubkey } => run_verify(&file, pubkey.as_deref()),
        Command::Aggregate {
            source,
            format,
            output,
            profile,
            region,
            endpoint_url,
        } => {
            let reach = SessionOptions {
                profile,
                regions: region.into_iter().collect(),
                endpoint_url,
                ..SessionOptions::default()
            };
            run_aggregate(&source, &reach, format, output.as_deref())
        }
        Command::History {
            dir,
            format,
            output,
        } => run_history(&dir, format, output.as_deref()),
    })
}

fn run_scan(args: ScanArgs) -> u8 {
    let config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(c) => c,
            Err(e) => return usage_error(&e.to_string()),
        },
        None => Config::default(),
    };
    if args.fail_on == FailOn::New && args.baseline.is_none() {
        return usage_error("--fail-on new needs --baseline FILE (the scan to compare with)");
    }
    // Read before scanning: a bad baseline should not cost a scan.
    let baseline = match args
        .baseline
        .as_deref()
        .map(crate::evidence::read::load)
        .transpose()
    {
        Ok(b) => b,
        Err(e) => return usage_error(&e),
    };
    let sign_key = match &args.sign_key {
        Some(path) => match crate::evidence::integrity::load_private(path) {
            Ok(k) => Some(k),
            Err(e) => return usage_error(&e),
        },
        None => None,
    };
    let prices = match &args.prices {
        Some(path) => match crate::assess::cost::PriceTable::load(path) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        },
        None => crate::assess::cost::PriceTable::embedded(),
    };
    let seconds = |name: &str, v: f64| {
        if v.is_finite() && v > 0.0 && v <= 3600.0 {
            Ok(Duration::from_secs_f64(v))
        } else {
            Err(format!(
                "--{name} must be a number of seconds between 0 and 3600, got {v}"
            ))
        }
    };
    let (connect_timeout, operation_timeout) = match (
        seconds("connect-timeout", args.connect_timeout),
        seconds("operation-timeout", args.operation_timeout),
    ) {
        (Ok(c), Ok(o)) => (c, o),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let opts = ScanOptions {
        session: SessionOptions {
            profile: args.profile.clone(),
            regions: args.regions.clone(),
            role_arn: args.role_arns.first().cloned(),
            endpoint_url: args.endpoint_url.clone(),
            connect_timeout,
            operation_timeout,
            max_attempts: args.max_attempts,
            retry_mode: args.retry_mode,
            all_regions: args.all_regions,
            exclude_regions: args.exclude_regions.clone(),
        },
        config,
        max_concurrency: args.max_concurrency as usize,
        prices,
        gate: None,
    };
    let mut roles = args.role_arns.clone();
    if let Some(path) = &args.accounts {
        match crate::fleet::accounts::load(path) {
            Ok(accounts) => roles.extend(accounts.iter().map(|a| a.role_arn())),
            Err(e) => return usage_error(&e),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("cannot start the async runtime: {e}")),
    };
    if let Some(name) = &args.org_role {
        match runtime.block_on(org_roles(&opts.session, name, &args.exclude_accounts)) {
            Ok(listed) => roles = listed,
            Err(e) => return usage_error(&e),
        }
    }
    for role in &roles {
        if let Err(e) = crate::session::validate_role_arn(role) {
            return usage_error(&e.to_string());
        }
    }
    roles.dedup();
    roles.retain(|r| {
        !args
            .exclude_accounts
            .iter()
            .any(|a| r.split(':').nth(4) == Some(a.as_str()))
    });
    if roles.is_empty() && !args.exclude_accounts.is_empty() {
        return usage_error("--exclude-account left no account to scan");
    }
    if roles.len() > 1 || args.org_role.is_some() {
        return run_org_scan(&args, opts, roles, sign_key.as_ref(), &runtime);
    }
    let progress = crate::progress::start();
    let scanned = runtime.block_on(async {
        tokio::spawn(watch_signals());
        scan::run(&opts).await
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut evidence = match scanned {
        Ok(e) => e,
        Err(e) => return usage_error(&e.to_string()),
    };
    if let Some(signal) = evidence.scan.interrupted_by {
        if !args.keep_partial {
            eprintln!(
                "prodready: interrupted: nothing written (--keep-partial writes what was read, marked partial)"
            );
            return exit_for_signal(signal);
        }
    }
    if sign_key.is_some() {
        crate::evidence::integrity::seal(&mut evidence, sign_key.as_ref());
    }

    let text = match args.format {
        OutputFormat::Json => report::json(&evidence),
        OutputFormat::Markdown => report::markdown::render(&evidence),
        OutputFormat::Html => report::html::render(&evidence),
        OutputFormat::Junit => report::junit::render(&evidence),
        OutputFormat::Sarif => report::sarif::render(&evidence),
        OutputFormat::Table => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = to_terminal
                && !args.no_color
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            report::table::render(&evidence, color)
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                // The scan is done; do not lose it because the file cannot be written.
                eprintln!(
                    "error: cannot write {}: {e}; writing to stdout instead",
                    path.display()
                );
                print_stdout(&text);
                return EXIT_USAGE;
            }
        }
        None => print_stdout(&text),
    }
    if let Some(dir) = &args.output_dir {
        if let Err(e) = write_all_formats(dir, &evidence) {
            eprintln!(
                "error: cannot write the reports into {}: {e}",
                dir.display()
            );
            return EXIT_USAGE;
        }
    }
    if let Some(dir) = &args.history {
        match crate::compare::history::store(dir, &evidence, &report::json(&evidence)) {
            Ok(path) => eprintln!("history: {}", path.display()),
            Err(e) => {
                eprintln!(
                    "error: cannot write the history into {}: {e}",
                    dir.display()
                );
                return EXIT_USAGE;
            }
        }
    }
    if evidence.scan.partial {
        eprintln!(
            "warning: the scan is partial: {} read(s) failed; their checks say ERROR",
            evidence.errors.len()
        );
    }
    for s in &evidence.suppressions {
        let what = format!("suppression #{} ({} {})", s.index + 1, s.check, s.resource);
        match s.state {
            crate::checks::suppress::State::Active if s.matched == 0 => {
                eprintln!("warning: {what} matches no failing finding: remove it?")
            }
            crate::checks::suppress::State::Active => {}
            state => eprintln!(
                "warning: {what} does not hold ({}): its {} finding(s) fail",
                state.as_str(),
                s.matched
            ),
        }
    }
    let diff = baseline
        .as_ref()
        .map(|old| crate::compare::diff::diff(old, &evidence));
    if let Some(d) = &diff {
        eprint!("{}", crate::report::diff::render(d));
    }
    if let Some(signal) = evidence.scan.interrupted_by {
        return exit_for_signal(signal);
    }
    if evidence.scan.partial {
        return EXIT_PARTIAL;
    }
    let failed = match (args.fail_on, &diff) {
        (FailOn::New, Some(d)) => d.regressed(),
        (fail_on, _) => fails(&evidence, fail_on),
    };
    if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

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
fn run_org_scan(
    args: &ScanArgs,
    opts: ScanOptions,
    roles: Vec<String>,
    sign_key: Option<&ed25519_dalek::SigningKey>,
    runtime: &tokio::runtime::Runtime,
) -> u8 {
    let Some(dir) = &args.output_dir else {
        return usage_error(
            "scanning several accounts needs --output-dir DIR (each account's reports go into DIR/ACCOUNT/)",
        );
    };
    if args.baseline.is_some() || args.fail_on == FailOn::New {
        return usage_error(
            "--baseline and --fail-on new compare one account's scans: run them per account, or use `prodready diff`",
        );
    }
    let format = match args.format {
        OutputFormat::Table => AggregateFormat::Table,
        OutputFormat::Json => AggregateFormat::Json,
        OutputFormat::Markdown => AggregateFormat::Markdown,
        _ => {
            return usage_error(
                "a multi-account scan prints the organisation summary as table, json or markdown; each account's other formats are in --output-dir",
            )
        }
    };
    let gate = Arc::new(tokio::sync::Semaphore::new(opts.max_concurrency.max(1)));
    let progress = crate::progress::start();
    let results = runtime.block_on(async {
        tokio::spawn(watch_signals());
        let scans = roles.iter().map(|role| {
            let mut o = opts.clone();
            o.session.role_arn = Some(role.clone());
            o.gate = Some(gate.clone());
            async move { (role.clone(), scan::run(&o).await) }
        });
        futures::future::join_all(scans).await
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let (mut summaries, mut unscanned) = (Vec::new(), Vec::new());
    let mut worst = EXIT_OK;
    for (role, result) in results {
        let mut evidence = match result {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {role}: {e}");
                unscanned.push(crate::fleet::aggregate::Unscanned {
                    account: role,
                    error: e.to_string(),
                });
                worst = worst.max(EXIT_PARTIAL);
                continue;
            }
        };
        if sign_key.is_some() {
            crate::evidence::integrity::seal(&mut evidence, sign_key);
        }
        let account_dir = dir.join(&evidence.scan.account_id);
        if let Err(e) = write_all_formats(&account_dir, &evidence) {
            eprintln!("error: cannot write {}: {e}", account_dir.display());
            return EXIT_USAGE;
        }
        if let Some(history) = &args.history {
            let history = history.join(&evidence.scan.account_id);
            if let Err(e) =
                crate::compare::history::store(&history, &evidence, &report::json(&evidence))
            {
                eprintln!(
                    "error: cannot write the history into {}: {e}",
                    history.display()
                );
                return EXIT_USAGE;
            }
        }
        let code = if evidence.scan.partial {
            EXIT_PARTIAL
        } else if fails(&evidence, args.fail_on) {
            EXIT_FAILED
        } else {
            EXIT_OK
        };
        worst = worst.max(code);
        summaries.push(crate::fleet::aggregate::AccountSummary::of(
            &evidence,
            &account_dir.join("evidence.json").display().to_string(),
        ));
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
    let writes = [
        ("organization.txt", report::aggregate::table(&org)),
        ("organization.json", report::aggregate::json(&org)),
        ("organization.md", report::aggregate::markdown(&org)),
    ];
    for (name, text) in &writes {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            eprintln!("error: cannot write {}: {e}", dir.join(name).display());
            return EXIT_USAGE;
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
                return EXIT_USAGE;
            }
        }
        None => print_stdout(text),
    }
    worst
}

/// Whether a complete scan fails the run under `--fail-on` (severity or any).
fn fails(evidence: &crate::evidence::Evidence, fail_on: FailOn) -> bool {
    match fail_on.severity() {
        Some(at_least) => evidence
            .findings
            .iter()
            .any(|f| f.status == crate::checks::Status::Fail && f.severity <= at_least),
        None => evidence.summary.failed > 0,
    }
}

/// 128 + the signal, as shells report a process a signal ended.
fn exit_for_signal(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(130)
}

/// The first SIGINT or SIGTERM interrupts the scan: reads in flight end, the rest do not
/// start, and the scan winds down through its error path. A second one quits at once.
async fn watch_signals() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        let mut first = true;
        loop {
            let signo = tokio::select! {
                _ = int.recv() => 2,
                _ = term.recv() => 15,
            };
            if !first {
                std::process::exit(i32::from(exit_for_signal(signo)));
            }
            first = false;
            eprintln!("prodready: interrupted: stopping the reads in flight (again to quit now)");
            prodready_aws::interrupt::request(signo);
        }
    }
    #[cfg(not(unix))]
    if tokio::signal::ctrl_c().await.is_ok() {
        prodready_aws::interrupt::request(2);
    }
}

fn run_aggregate(
    source: &str,
    reach: &SessionOptions,
    format: AggregateFormat,
    output: Option<&std::path::Path>,
) -> u8 {
    let loaded = match crate::fleet::s3_evidence::S3Location::parse(source) {
        None => crate::fleet::aggregate::load(std::path::Path::new(source)),
        Some(Err(e)) => Err(e),
        Some(Ok(at)) => match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(async {
                let log = Arc::new(crate::session::calls::CallLog::default());
                let session = Session::connect(reach, &log)
                    .await
                    .map_err(|e| e.to_string())?;
                let config = session.config_for(&session.regions[0]);
                crate::fleet::s3_evidence::load(&config, session.endpoint.is_some(), &at, log).await
            }),
            Err(e) => Err(format!("cannot start the async runtime: {e}")),
        },
    };
    let org = match loaded {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    for u in &org.unreadable {
        eprintln!("warning: skipped {u}");
    }
    let text = match format {
        AggregateFormat::Table => report::aggregate::table(&org),
        AggregateFormat::Json => report::aggregate::json(&org),
        AggregateFormat::Markdown => report::aggregate::markdown(&org),
    };
    write_or_print(output, &text)
}

fn write_or_print(output: Option<&std::path::Path>, text: &str) -> u8 {
    match output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => EXIT_OK,
            Err(e) => usage_error(&format!("cannot write {}: {e}", path.display())),
        },
        None => {
            print_stdout(text);
            EXIT_OK
        }
    }
}

fn run_history(
    dir: &std::path::Path,
    format: HistoryFormat,
    output: Option<&std::path::Path>,
) -> u8 {
    let history = match crate::compare::history::load(dir) {
        Ok(h) => h,
        Err(e) => return usage_error(&e),
    };
    for u in &history.unreadable {
        eprintln!("warning: skipped {u}");
    }
    let text = match format {
        HistoryFormat::Table => report::history::table(&history),
        HistoryFormat::Json => report::history::json(&history),
        HistoryFormat::Html => report::history::html(&history),
    };
    write_or_print(output, &text)
}

fn run_diff(old: &std::path::Path, new: &std::path::Path, format: DiffFormat) -> u8 {
    let (old, new) = match (
        crate::evidence::read::load(old),
        crate::evidence::read::load(new),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let d = crate::compare::diff::diff(&old, &new);
    let text = match format {
        DiffFormat::Table => crate::report::diff::render(&d),
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    print_stdout(&text);
    if d.regressed() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn run_keygen(private: &std::path::Path, public: &std::path::Path) -> u8 {
    use std::io::Write as _;
    let key = match crate::evidence::integrity::generate() {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(private).and_then(|mut f| {
        f.write_all(crate::evidence::integrity::private_key_text(&key).as_bytes())
    });
    if let Err(e) = written {
        return usage_error(&format!("cannot create {}: {e}", private.display()));
    }
    if let Err(e) = std::fs::write(
        public,
        crate::evidence::integrity::public_key_text(&key.verifying_key()),
    ) {
        return usage_error(&format!("cannot write {}: {e}", public.display()));
    }
    eprintln!(
        "wrote {} (keep it secret) and {}",
        private.display(),
        public.display()
    );
    EXIT_OK
}

fn run_verify(file: &std::path::Path, pubkey: Option<&std::path::Path>) -> u8 {
    let key = match pubkey
        .map(crate::evidence::integrity::load_public)
        .transpose()
    {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("{}: {e}", file.display())),
    };
    let report = match crate::evidence::integrity::verify(&text, key.as_ref()) {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("{}: {e}", file.display())),
    };
    for note in &report.notes {
        println!("ok: {note}");
    }
    for problem in &report.problems {
        println!("FAILED: {problem}");
    }
    if report.problems.is_empty() {
        println!("{}: verified", file.display());
        EXIT_OK
    } else {
        println!(
            "{}: {} problem(s); do not rely on this document",
            file.display(),
            report.problems.len()
        );
        EXIT_FAILED
    }
}

/// Every format side by side, for a scheduled scan that keeps them all.
fn write_all_formats(
    dir: &std::path::Path,
    evidence: &crate::evidence::Evidence,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("evidence.json"), report::json(evidence))?;
    std::fs::write(dir.join("report.md"), report::markdown::render(evidence))?;
    std::fs::write(dir.join("report.html"), report::html::render(evidence))?;
    std::fs::write(
        dir.join("report.txt"),
        report::table::render(evidence, false),
    )?;
    std::fs::write(
        dir.join("report.junit.xml"),
        report::junit::render(evidence),
    )?;
    std::fs::write(dir.join("report.sarif"), report::sarif::render(evidence))?;
    Ok(())
}

fn usage_error(message: &str) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Writes to stdout; a closed pipe (`prodready … | head`) is not an error worth a panic.
fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
