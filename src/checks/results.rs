//! Findings rolled up per check: one row each, with its overall status and counts.

use serde::{Deserialize, Serialize};

use super::{Finding, Status};
use crate::catalog::{catalog, Severity};

/// One row per check: its overall status and how many resources it judged each way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check_id: String,
    pub catalog_version: u32,
    pub title: String,
    pub phase: u8,
    pub section: String,
    pub severity: Severity,
    /// FAIL if any resource fails; else ERROR if any could not be judged; else SUPPRESSED if
    /// any failure is suppressed; else PASS if any passes; else MANUAL if a person must judge
    /// it; else NOT_APPLICABLE.
    pub status: Status,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    #[serde(default)]
    pub suppressed: usize,
}

/// Rolls findings up into one result per check judged (every rule says at least one thing; a
/// check left out by the config's selection says nothing), in catalog order.
pub fn check_results(findings: &[Finding]) -> Vec<CheckResult> {
    let judged: std::collections::HashSet<&str> =
        findings.iter().map(|f| f.check_id.as_str()).collect();
    catalog()
        .checks()
        .iter()
        .filter(|spec| judged.contains(spec.id.as_str()))
        .map(|spec| {
            let of = |s: Status| {
                findings
                    .iter()
                    .filter(|f| f.check_id == spec.id && f.status == s)
                    .count()
            };
            let (passed, failed, errors) = (of(Status::Pass), of(Status::Fail), of(Status::Error));
            let suppressed = of(Status::Suppressed);
            let status = if failed > 0 {
                Status::Fail
            } else if errors > 0 {
                Status::Error
            } else if suppressed > 0 {
                Status::Suppressed
            } else if passed > 0 {
                Status::Pass
            } else if of(Status::Manual) > 0 {
                Status::Manual
            } else {
                Status::NotApplicable
            };
            CheckResult {
                check_id: spec.id.clone(),
                catalog_version: spec.version,
                title: spec.title.clone(),
                phase: spec.phase,
                section: spec.section.clone(),
                severity: spec.severity,
                status,
                passed,
                failed,
                errors,
                suppressed,
            }
        })
        .collect()
}
