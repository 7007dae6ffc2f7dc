//! The command line: the arguments (clap), and one function per command; `scan` turns its
//! arguments into a checked plan before anything runs, `exit` maps results to exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::catalog::catalog;
use crate::report;
use crate::session::{RetryMode, SessionOptions};

mod commands;
mod exit;
mod judge_plan;
mod org;
mod plan;
mod scan;

pub use exit::{EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE};

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
    /// List the checks the scanner runs (with --policy-dir, the custom ones too).
    Checks {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Table)]
        format: CatalogFormat,
        /// A directory of custom checks (`*.rego`, see docs/custom-checks.md); repeatable.
        #[arg(long = "policy-dir", value_name = "DIR")]
        policy_dirs: Vec<PathBuf>,
    },
    /// Judge a Terraform plan (`terraform show -json PLANFILE`) before it is applied: alone,
    /// or over a scan of the account with --baseline (exit 1 only when something newly fails).
    Plan(judge_plan::PlanArgs),
    /// Custom checks (Rego policies): `policy test DIR --evidence FILE` runs them on a stored
    /// evidence file, without AWS.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Compare two evidence files of one account: new failures, fixed findings, score, grade
    /// and cost. Exit 0 when nothing regressed, 1 when something did.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
        /// Name every changed resource, not three per check.
        #[arg(long)]
        full: bool,
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

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Load the policies of DIR and judge the inventory of a stored evidence file with them:
    /// exit 0 when every policy loads and evaluates, 1 when one fails a resource, 2 when a
    /// policy or the file cannot be read.
    Test {
        /// A directory of `*.rego` files; repeatable.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The evidence file whose inventory, config and scope the policies judge.
        #[arg(long, value_name = "FILE")]
        evidence: PathBuf,
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
    /// A directory of custom checks (`*.rego`, see docs/custom-checks.md); repeatable, and
    /// added to the config's `[policies] dirs`.
    #[arg(long = "policy-dir", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,
    /// Judge only these checks (built-in and custom ids, comma-separated).
    #[arg(long, value_name = "ID,…", value_delimiter = ',')]
    pub checks: Vec<String>,
    /// Judge every check but these (comma-separated).
    #[arg(long, value_name = "ID,…", value_delimiter = ',')]
    pub skip_checks: Vec<String>,
    /// Judge the checks of the config's `[frameworks.NAME]`.
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
    /// A Terraform state managing the account: a file (the raw state, or `terraform show
    /// -json`'s output) or s3://BUCKET/KEY; repeat for several. Findings then name the
    /// Terraform address of their resource, and IAC-01 judges what no state manages.
    #[arg(long = "terraform-state", value_name = "FILE|S3_URL")]
    pub terraform_states: Vec<String>,
    /// The Terraform configuration (the directory `terraform init` ran in): findings then name
    /// the file and line of the `resource` block that declares their address.
    #[arg(long, value_name = "DIR")]
    pub terraform_dir: Option<PathBuf>,
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
    /// In the table, list every failing resource, not three per check (the JSON, Markdown and
    /// HTML always hold all of them).
    #[arg(long)]
    pub full: bool,
    /// When interrupted (Ctrl-C, SIGTERM), still write the outputs: what was read, marked
    /// partial (`scan.interrupted_by`). Without it an interrupted scan writes nothing.
    #[arg(long)]
    pub keep_partial: bool,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::logging::init(cli.verbose);
    ExitCode::from(match cli.command {
        Command::Checks {
            format,
            policy_dirs,
        } => {
            if let Err(e) = commands::install_policies(&policy_dirs) {
                return ExitCode::from(usage_error(&e));
            }
            let c = catalog();
            let text = match format {
                CatalogFormat::Table => report::catalog::table(c),
                CatalogFormat::Json => report::catalog::json(c),
                CatalogFormat::Markdown => report::catalog::markdown(c),
            };
            print_stdout(&text);
            EXIT_OK
        }
        Command::Scan(args) => scan::run_scan(*args),
        Command::Keygen { private, public } => commands::run_keygen(&private, &public),
        Command::Permissions => {
            print_stdout(&crate::collect::permissions::policy());
            EXIT_OK
        }
        Command::Diff {
            old,
            new,
            format,
            full,
        } => commands::run_diff(&old, &new, format, full),
        Command::Verify { file, pubkey } => commands::run_verify(&file, pubkey.as_deref()),
        Command::Plan(args) => judge_plan::run(&args),
        Command::Policy(PolicyCommand::Test { dirs, evidence }) => {
            commands::run_policy_test(&dirs, &evidence)
        }
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
            commands::run_aggregate(&source, &reach, format, output.as_deref())
        }
        Command::History {
            dir,
            format,
            output,
        } => commands::run_history(&dir, format, output.as_deref()),
    })
}

pub(crate) fn write_or_print(output: Option<&std::path::Path>, text: &str) -> u8 {
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

pub(crate) fn usage_error(message: &str) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Writes to stdout; a closed pipe (`prodready … | head`) is not an error worth a panic.
pub(crate) fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}
