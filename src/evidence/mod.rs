//! The evidence document: everything a scan saw and concluded, as one serialisable value.
//! The JSON output is this type; the table is rendered from it. Its shape is documented in
//! `docs/evidence.md` and `docs/evidence.schema.json`.

pub mod integrity;
pub mod read;

use serde::{Deserialize, Serialize};

pub use crate::checks::{check_results, CheckResult};
use crate::checks::{Finding, Status};
use crate::config::Config;
use crate::error::CollectError;
use crate::inventory::Inventory;
use crate::session::calls::CallStats;

/// Bumped on any change to the document's shape that a consumer could notice.
pub const SCHEMA_VERSION: &str = "1.2";

/// The versions this prodready reads (diff, baseline, verify, history): each later one only
/// added fields, which read as empty from the older documents.
pub const READABLE_VERSIONS: &[&str] = &["1.1", "1.2"];

/// An error naming the version when a document's `schema_version` is not one this reads.
pub fn check_version(value: &serde_json::Value) -> Result<(), String> {
    let version = value["schema_version"].as_str().unwrap_or_default();
    if READABLE_VERSIONS.contains(&version) {
        Ok(())
    } else {
        Err(format!(
            "schema_version {version:?}: this prodready reads {}",
            READABLE_VERSIONS.join(", ")
        ))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub schema_version: String,
    pub tool: Tool,
    pub scan: ScanInfo,
    pub config: Config,
    pub summary: Summary,
    /// The assessment's verdict: checklist, score, grade, effort left.
    pub assessment: crate::assess::Assessment,
    pub checks: Vec<CheckResult>,
    pub findings: Vec<Finding>,
    pub errors: Vec<CollectError>,
    pub api_calls: Vec<CallStats>,
    /// Resources collected but left out by the config's `[scope]`: not judged (ARNs, or ids
    /// for security groups).
    #[serde(default)]
    pub out_of_scope: Vec<String>,
    /// What became of each of the config's suppressions.
    #[serde(default)]
    pub suppressions: Vec<crate::checks::suppress::Outcome>,
    /// The policies of the custom checks, kept whole so `verify` can judge again from the
    /// evidence alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<crate::checks::custom::PolicyRecord>,
    /// Everything collected, in scope or not.
    pub inventory: Inventory,
    /// The digest of everything above (and its signature, with `--sign-key`): see
    /// docs/evidence.md, "Integrity".
    #[serde(default)]
    pub integrity: Option<crate::evidence::integrity::Integrity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanInfo {
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    pub account_id: String,
    pub caller_arn: String,
    pub regions: Vec<String>,
    /// The endpoint override in force, if any (an emulator or a proxy); `null` for AWS itself.
    pub endpoint: Option<String>,
    /// True when some part of the account could not be read: see `errors`.
    pub partial: bool,
    /// The signal (2 SIGINT, 15 SIGTERM) that interrupted the scan; its unread parts are
    /// `interrupted` errors. Kept only with `--keep-partial`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted_by: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub checks: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub not_applicable: usize,
    /// Checks only a person can judge, not attested in the config.
    pub manual: usize,
    /// Checks whose only failures are suppressed.
    #[serde(default)]
    pub suppressed: usize,
    pub failing_resources: usize,
    pub api_calls: u64,
}

pub fn summarize(checks: &[CheckResult], findings: &[Finding], api_calls: &[CallStats]) -> Summary {
    let of = |s: Status| checks.iter().filter(|c| c.status == s).count();
    Summary {
        checks: checks.len(),
        passed: of(Status::Pass),
        failed: of(Status::Fail),
        errors: of(Status::Error),
        not_applicable: of(Status::NotApplicable),
        manual: of(Status::Manual),
        suppressed: of(Status::Suppressed),
        failing_resources: findings.iter().filter(|f| f.status == Status::Fail).count(),
        api_calls: api_calls.iter().map(|c| c.count).sum(),
    }
}
