//! What changed between two scans of an account: new failures, fixed findings, and the move
//! of score, grade and cost. For nightly scans (`prodready diff old.json new.json`).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::checks::recovery::{Disruption, Estimate, Recovery};
use crate::checks::{Finding, Status};
use crate::evidence::Evidence;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub old_scan: String,
    pub new_scan: String,
    /// Failing now, not failing before (or not there before).
    pub new_failures: Vec<Change>,
    /// Failing (or suppressed) before, passing now, or gone.
    pub fixed: Vec<Change>,
    /// Suppressed now, not before: accepted failures, new or old. Not a regression.
    #[serde(default)]
    pub newly_suppressed: Vec<Change>,
    pub still_failing: usize,
    /// Still failing, per check.
    #[serde(default)]
    pub still_failing_by_check: std::collections::BTreeMap<String, usize>,
    pub score: (u32, u32),
    pub grade: (String, String),
    /// Monthly cost before and now, when both scans estimated one.
    pub cost: Option<(f64, f64)>,
    /// Recovery estimates that got worse: more downtime or more data lost than before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_worse: Vec<RecoveryChange>,
}

/// One component's estimate for one disruption, before and now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryChange {
    /// The component's name, or "the application" for the worst of them.
    pub component: String,
    pub resource_arn: Option<String>,
    pub disruption: Disruption,
    pub rto: (String, String),
    pub rpo: (String, String),
    /// The rule the estimate follows now.
    pub rule: String,
}

impl RecoveryChange {
    /// The change from `old` to `new`, when `new` loses more time or more data.
    fn of(component: &str, arn: Option<&str>, old: &Estimate, new: &Estimate) -> Option<Self> {
        let worse = new.rto.is_worse_than(&old.rto) || new.rpo.is_worse_than(&old.rpo);
        worse.then(|| RecoveryChange {
            component: component.to_owned(),
            resource_arn: arn.map(str::to_owned),
            disruption: new.disruption,
            rto: (old.rto.text(true), new.rto.text(true)),
            rpo: (old.rpo.text(false), new.rpo.text(false)),
            rule: new.rule.clone(),
        })
    }
}

/// The estimates of `new` worse than the same component's (by ARN) in `old`; the
/// application's first.
fn recovery_worse(old: Option<&Recovery>, new: Option<&Recovery>) -> Vec<RecoveryChange> {
    let (Some(old), Some(new)) = (old, new) else {
        return Vec::new();
    };
    let mut out: Vec<RecoveryChange> = new
        .application
        .iter()
        .filter_map(|n| {
            let o = old
                .application
                .iter()
                .find(|o| o.disruption == n.disruption)?;
            RecoveryChange::of("the application", None, o, n)
        })
        .collect();
    let before: HashMap<&str, &crate::checks::recovery::Component> = old
        .components
        .iter()
        .map(|c| (c.resource_arn.as_str(), c))
        .collect();
    for c in &new.components {
        let Some(o) = before.get(c.resource_arn.as_str()) else {
            continue;
        };
        out.extend(c.estimates.iter().filter_map(|n| {
            let e = o.estimate(n.disruption)?;
            RecoveryChange::of(&c.name, Some(&c.resource_arn), e, n)
        }));
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub check_id: String,
    /// The check's severity, to count changes by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<crate::catalog::Severity>,
    pub resource_arn: Option<String>,
    pub region: Option<String>,
    pub before: Option<Status>,
    pub after: Option<Status>,
    pub message: String,
}

impl Change {
    /// The change of the finding `f` (the one before, or now) from `before` to `after`.
    fn of(f: &Finding, before: Option<Status>, after: Option<Status>, message: String) -> Change {
        Change {
            check_id: f.check_id.clone(),
            severity: Some(f.severity),
            resource_arn: f.resource_arn.clone(),
            region: f.region.clone(),
            before,
            after,
            message,
        }
    }
}

impl Diff {
    /// Something got worse: a new failure (a lapsed suppression included), or a lower score
    /// that no newly suppressed failure accounts for.
    pub fn regressed(&self) -> bool {
        !self.new_failures.is_empty()
            || (self.score.1 < self.score.0 && self.newly_suppressed.is_empty())
    }
}

fn key(f: &Finding) -> (&str, Option<&str>, Option<&str>) {
    (
        f.check_id.as_str(),
        f.resource_arn.as_deref(),
        f.region.as_deref(),
    )
}

type ByKey<'a> = HashMap<(&'a str, Option<&'a str>, Option<&'a str>), &'a Finding>;

/// Suppressed now, not before.
fn newly_suppressed(new: &Evidence, old_by_key: &ByKey<'_>) -> Vec<Change> {
    new.findings
        .iter()
        .filter(|f| f.status == Status::Suppressed)
        .filter_map(|f| {
            let before = old_by_key.get(&key(f)).copied();
            match before {
                Some(b) if b.status == Status::Suppressed => None,
                _ => Some(Change::of(
                    f,
                    before.map(|b| b.status),
                    Some(f.status),
                    f.suppression
                        .as_ref()
                        .map_or_else(String::new, crate::checks::suppress::Applied::note),
                )),
            }
        })
        .collect()
}

/// Failing or suppressed before, neither now (or gone).
fn fixed(old: &Evidence, new_by_key: &ByKey<'_>) -> Vec<Change> {
    let accepted = |f: &&Finding| matches!(f.status, Status::Fail | Status::Suppressed);
    old.findings
        .iter()
        .filter(accepted)
        .filter_map(|o| {
            let after = new_by_key.get(&key(o)).copied();
            match after {
                Some(a) if matches!(a.status, Status::Fail | Status::Suppressed) => None,
                _ => Some(Change::of(
                    o,
                    Some(o.status),
                    after.map(|a| a.status),
                    after.map_or_else(|| "no longer there".to_owned(), |a| a.message.clone()),
                )),
            }
        })
        .collect()
}

pub fn diff(old: &Evidence, new: &Evidence) -> Diff {
    // Looked up by key, not searched: a large account has tens of thousands of findings.
    let old_by_key: ByKey = old.findings.iter().map(|f| (key(f), f)).collect();
    let new_by_key: ByKey = new.findings.iter().map(|f| (key(f), f)).collect();
    let failing = |f: &&Finding| f.status == Status::Fail;
    let mut new_failures = Vec::new();
    let mut still = 0;
    let mut still_failing_by_check = std::collections::BTreeMap::new();
    for f in new.findings.iter().filter(failing) {
        let before = old_by_key.get(&key(f)).copied();
        match before {
            Some(b) if b.status == Status::Fail => {
                still += 1;
                *still_failing_by_check
                    .entry(f.check_id.clone())
                    .or_insert(0) += 1;
            }
            _ => new_failures.push(Change::of(
                f,
                before.map(|b| b.status),
                Some(f.status),
                f.message.clone(),
            )),
        }
    }
    let newly_suppressed = newly_suppressed(new, &old_by_key);
    let fixed = fixed(old, &new_by_key);
    let cost = match (&old.assessment.cost, &new.assessment.cost) {
        (Some(a), Some(b)) => Some((a.current_monthly, b.current_monthly)),
        _ => None,
    };
    Diff {
        old_scan: format!("{} {}", old.scan.account_id, old.scan.started_at),
        new_scan: format!("{} {}", new.scan.account_id, new.scan.started_at),
        new_failures,
        fixed,
        newly_suppressed,
        still_failing: still,
        still_failing_by_check,
        score: (old.assessment.score, new.assessment.score),
        grade: (
            old.assessment.grade.as_str().to_owned(),
            new.assessment.grade.as_str().to_owned(),
        ),
        cost,
        recovery_worse: recovery_worse(
            old.assessment.recovery.as_ref(),
            new.assessment.recovery.as_ref(),
        ),
    }
}
