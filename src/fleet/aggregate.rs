//! An organisation's readiness: the latest scan of each account, side by side, and the checks
//! that fail across accounts. Built from evidence files (`prodready aggregate DIR`) or from the
//! scans of a multi-account run. Each evidence file is read, summarised and dropped, so memory
//! grows with the number of accounts, not with their inventories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::catalog::{catalog, Severity};
use crate::checks::Status;
use crate::evidence::Evidence;
use crate::inventory::total::Total;

/// One account's latest scan, summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSummary {
    pub account_id: String,
    pub scanned_at: String,
    pub grade: String,
    pub provisional: bool,
    pub score: u32,
    pub failed_checks: usize,
    pub error_checks: usize,
    pub suppressed_checks: usize,
    pub effort_hours_left: f32,
    pub monthly_cost: Option<f64>,
    pub partial: bool,
    /// The failing checks' ids, most severe first.
    pub failing: Vec<String>,
    /// Title and severity of the failing checks the catalog does not hold (a team's custom
    /// checks), as the evidence names them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, (String, Severity)>,
    /// Where it came from: the evidence file, or `scan`.
    pub source: String,
}

impl AccountSummary {
    pub fn of(e: &Evidence, source: &str) -> AccountSummary {
        let mut failing: Vec<(Severity, String)> = e
            .checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .map(|c| (c.severity, c.check_id.clone()))
            .collect();
        failing.sort();
        AccountSummary {
            account_id: e.scan.account_id.clone(),
            scanned_at: e.scan.started_at.clone(),
            grade: e.assessment.grade.as_str().to_owned(),
            provisional: e.assessment.provisional,
            score: e.assessment.score,
            failed_checks: e.summary.failed,
            error_checks: e.summary.errors,
            suppressed_checks: e.summary.suppressed,
            effort_hours_left: e.assessment.effort_hours_left,
            monthly_cost: e.assessment.cost.as_ref().map(|c| c.current_monthly),
            partial: e.scan.partial,
            failing: failing.into_iter().map(|(_, id)| id).collect(),
            custom: e
                .checks
                .iter()
                .filter(|c| c.status == Status::Fail && catalog().get(&c.check_id).is_none())
                .map(|c| (c.check_id.clone(), (c.title.clone(), c.severity)))
                .collect(),
            source: source.to_owned(),
        }
    }
}

/// An account the run could not scan at all (its role could not be assumed …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unscanned {
    pub account: String,
    pub error: String,
}

/// A check and how many accounts fail it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckAcrossAccounts {
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub failing_accounts: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organization {
    /// Worst grade first, then lowest score.
    pub accounts: Vec<AccountSummary>,
    pub unscanned: Vec<Unscanned>,
    /// Files that were not evidence (named, with why).
    pub unreadable: Vec<String>,
    /// Checks failing in at least one account, most accounts first.
    pub checks: Vec<CheckAcrossAccounts>,
    pub mean_score: u32,
    pub total_monthly_cost: f64,
    pub total_effort_hours_left: f32,
}

fn grade_rank(grade: &str) -> u8 {
    match grade {
        "Development/Staging" => 0,
        "Enhanced Staging" => 1,
        "Production-Lite" => 2,
        _ => 3,
    }
}

/// The organisation from its accounts' latest summaries (a later scan of an account replaces
/// an earlier one).
pub fn organization(
    summaries: Vec<AccountSummary>,
    unscanned: Vec<Unscanned>,
    unreadable: Vec<String>,
) -> Organization {
    let mut latest: BTreeMap<String, AccountSummary> = BTreeMap::new();
    for s in summaries {
        match latest.get(&s.account_id) {
            Some(kept) if kept.scanned_at >= s.scanned_at => {}
            _ => {
                latest.insert(s.account_id.clone(), s);
            }
        }
    }
    let mut accounts: Vec<AccountSummary> = latest.into_values().collect();
    accounts.sort_by(|a, b| {
        (grade_rank(&a.grade), a.score, &a.account_id).cmp(&(
            grade_rank(&b.grade),
            b.score,
            &b.account_id,
        ))
    });
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &accounts {
        for id in &a.failing {
            *counts.entry(id.as_str()).or_default() += 1;
        }
    }
    let mut checks: Vec<CheckAcrossAccounts> = counts
        .into_iter()
        .map(|(id, n)| {
            let (title, severity) = match catalog().get(id) {
                Some(spec) => (spec.title.clone(), spec.severity),
                None => accounts
                    .iter()
                    .find_map(|a| a.custom.get(id).cloned())
                    .unwrap_or((String::new(), Severity::Low)),
            };
            CheckAcrossAccounts {
                check_id: id.to_owned(),
                title,
                severity,
                failing_accounts: n,
            }
        })
        .collect();
    checks.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.failing_accounts),
            a.severity,
            &a.check_id,
        )
            .cmp(&(
                std::cmp::Reverse(b.failing_accounts),
                b.severity,
                &b.check_id,
            ))
    });
    let n = accounts.len().max(1) as u32;
    Organization {
        mean_score: accounts.iter().map(|a| a.score).sum::<u32>() / n,
        total_monthly_cost: crate::catalog::prices::total(
            accounts.iter().filter_map(|a| a.monthly_cost),
        ),
        total_effort_hours_left: accounts.iter().map(|a| a.effort_hours_left).total(),
        accounts,
        unscanned,
        unreadable,
        checks,
    }
}

/// Every `*.json` under `dir`, at any depth, sorted.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            json_files(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Builds an organisation from evidence documents as they are read, wherever from: each is
/// summarised and dropped.
#[derive(Debug, Default)]
pub struct Reader {
    summaries: Vec<AccountSummary>,
    unreadable: Vec<String>,
    read: usize,
}

impl Reader {
    /// One document's text (or why it could not be read), from `source` (a path or URL).
    pub fn add(&mut self, source: &str, text: Result<String, String>) {
        self.read += 1;
        match text
            .and_then(|t| crate::evidence::read::parse(&t).map_err(|e| format!("{source}: {e}")))
        {
            Ok(e) => self.summaries.push(AccountSummary::of(&e, source)),
            Err(err) => self.unreadable.push(err),
        }
    }

    /// The organisation; an error when nothing read was evidence.
    pub fn finish(self, place: &str) -> Result<Organization, String> {
        if self.summaries.is_empty() {
            return Err(format!(
                "{place}: no evidence files ({} JSON file(s) read, none evidence)",
                self.read
            ));
        }
        Ok(organization(self.summaries, Vec::new(), self.unreadable))
    }
}

/// The organisation from a folder of evidence files (per-account output dirs, histories, or
/// files copied down from S3), read one at a time.
pub fn load(dir: &Path) -> Result<Organization, String> {
    let mut files = Vec::new();
    json_files(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    let mut reader = Reader::default();
    for file in &files {
        let source = file.display().to_string();
        let text = std::fs::read_to_string(file).map_err(|e| format!("{source}: {e}"));
        reader.add(&source, text);
    }
    reader.finish(&dir.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(
        account: &str,
        at: &str,
        grade: &str,
        score: u32,
        failing: &[&str],
    ) -> AccountSummary {
        AccountSummary {
            account_id: account.into(),
            scanned_at: at.into(),
            grade: grade.into(),
            provisional: false,
            score,
            failed_checks: failing.len(),
            error_checks: 0,
            suppressed_checks: 0,
            effort_hours_left: 10.0,
            monthly_cost: Some(20.0),
            partial: false,
            failing: failing.iter().map(|s| s.to_string()).collect(),
            custom: Default::default(),
            source: "test".into(),
        }
    }

    #[test]
    fn the_latest_scan_of_each_account_counts_and_the_worst_come_first() {
        let org = organization(
            vec![
                summary(
                    "111",
                    "2026-11-01T00:00:00Z",
                    "Development/Staging",
                    10,
                    &["HA-01", "SEC-01"],
                ),
                summary(
                    "111",
                    "2026-11-02T00:00:00Z",
                    "Enhanced Staging",
                    40,
                    &["HA-01"],
                ),
                summary(
                    "222",
                    "2026-11-02T00:00:00Z",
                    "Development/Staging",
                    5,
                    &["HA-01", "BAK-01"],
                ),
                summary("333", "2026-11-02T00:00:00Z", "Production", 100, &[]),
            ],
            vec![],
            vec![],
        );
        let ids: Vec<&str> = org.accounts.iter().map(|a| a.account_id.as_str()).collect();
        assert_eq!(ids, ["222", "111", "333"]);
        assert_eq!(org.accounts[1].score, 40, "the later scan of 111");
        assert_eq!(org.checks[0].check_id, "HA-01");
        assert_eq!(org.checks[0].failing_accounts, 2);
        assert!(org.checks.iter().all(|c| c.check_id != "SEC-01"));
        assert_eq!(org.mean_score, (5 + 40 + 100) / 3);
        assert_eq!(org.total_monthly_cost, 60.0);
    }
}
