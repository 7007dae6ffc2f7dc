//! The assessment's verdict, computed from the checks: the phased checklist with the effort
//! left, a severity-weighted score, the grade, strengths and critical issues.
//!
//! A pure function of the findings and the catalog: renderers show it, never recompute it.
//! Scoring and grading are documented in docs/assessment.md; keep the two in step.

pub mod cost;
pub mod remediation;

use serde::{Deserialize, Serialize};

use crate::catalog::{catalog, Severity};
use crate::checks::CheckResult;
use crate::checks::{Finding, Status};
use crate::inventory::total::Total;

/// The assessment's phases and their sections, in its order.
pub const PHASES: &[(u8, &str, &[&str])] = &[
    (
        1,
        "Critical",
        &[
            "Remote State",
            "High Availability",
            "Monitoring & Alerting",
            "Secrets Management",
        ],
    ),
    (
        2,
        "High Priority",
        &[
            "Backup Strategy",
            "Recovery Objectives",
            "Security Hardening",
            "Auto-scaling",
        ],
    ),
    (3, "Important", &["CI/CD", "Infrastructure as Code"]),
    (
        4,
        "Enhanced",
        &[
            "Custom Domain & SSL",
            "Enhanced Monitoring",
            "Cost Optimisation",
            "Documentation",
        ],
    ),
];

/// The sections whose passing makes "Enhanced Staging": remote state, monitoring, secrets.
const ENHANCED_STAGING_SECTIONS: &[&str] = &[
    "Remote State",
    "Monitoring & Alerting",
    "Secrets Management",
];

/// Hours in a working day, days in a working week: how the assessment counts effort.
pub const HOURS_PER_DAY: f32 = 8.0;
pub const DAYS_PER_WEEK: f32 = 5.0;

/// At most this many failing resources are named per check in the checklist.
const MAX_NAMED: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "Development/Staging")]
    DevelopmentStaging,
    #[serde(rename = "Enhanced Staging")]
    EnhancedStaging,
    #[serde(rename = "Production-Lite")]
    ProductionLite,
    #[serde(rename = "Production")]
    Production,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::DevelopmentStaging => "Development/Staging",
            Grade::EnhancedStaging => "Enhanced Staging",
            Grade::ProductionLite => "Production-Lite",
            Grade::Production => "Production",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// 0–100: the severity-weighted share of judged checks that pass.
    pub score: u32,
    pub grade: Grade,
    /// Some check could not be judged (ERROR): the score and grade may be better than shown
    /// once it can.
    pub provisional: bool,
    pub phases: Vec<Phase>,
    pub effort_hours_left: f32,
    /// Sections where every judged check passes.
    pub strengths: Vec<String>,
    /// Failing (or unjudged) critical and high checks, most severe first.
    pub critical_issues: Vec<Issue>,
    /// The monthly cost now and after each remediation option (set by the scan, which has
    /// the inventory and the price table).
    pub cost: Option<crate::assess::cost::CostEstimate>,
    /// What each failure would cost in downtime and lost data, per component, against the
    /// config's targets (set by the scan, which has the inventory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<crate::checks::recovery::Recovery>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub phase: u8,
    pub title: String,
    pub sections: Vec<Section>,
    pub effort_hours_left: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub checks: Vec<ChecklistItem>,
    /// Every check of the section passes or does not apply.
    pub passed: bool,
    pub effort_hours_left: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub check_id: String,
    pub title: String,
    pub status: Status,
    pub severity: Severity,
    pub effort_hours: f32,
    /// The first failing (or unjudged) resources, named.
    pub failing_resources: Vec<String>,
    pub failing_count: usize,
    /// The catalog's CLI remediation filled in for each named failing resource (where its ARN
    /// answers the placeholders).
    pub fix_commands: Vec<String>,
}

impl ChecklistItem {
    /// `[x]` in the checklist: passes, or nothing to judge.
    pub fn done(&self) -> bool {
        matches!(self.status, Status::Pass | Status::NotApplicable)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub check_id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// What goes wrong while it fails: the rationale's first sentence.
    pub impact: String,
    pub effort_hours: f32,
    pub failing_count: usize,
}

/// A check's weight in the score.
pub fn weight(s: Severity) -> u32 {
    match s {
        Severity::Critical => 10,
        Severity::High => 5,
        Severity::Medium => 3,
        Severity::Low => 1,
    }
}

/// Effort as the assessment writes it: hours, days or weeks.
pub fn effort_text(hours: f32) -> String {
    let days = hours / HOURS_PER_DAY;
    if hours < HOURS_PER_DAY {
        format!("{hours:.0} h")
    } else if days < DAYS_PER_WEEK {
        format!("{hours:.0} h ({days:.1} days)")
    } else {
        format!(
            "{hours:.0} h ({days:.1} days, {:.1} weeks)",
            days / DAYS_PER_WEEK
        )
    }
}

pub fn assess(checks: &[CheckResult], findings: &[Finding]) -> Assessment {
    let phases = checklist(checks, findings);
    let strengths = phases
        .iter()
        .flat_map(|p| &p.sections)
        .filter(|s| s.passed && s.checks.iter().any(|c| c.status == Status::Pass))
        .map(|s| s.title.clone())
        .collect();
    Assessment {
        score: score(checks),
        grade: grade(&phases),
        provisional: checks.iter().any(|c| c.status == Status::Error),
        effort_hours_left: phases.iter().map(|p| p.effort_hours_left).total(),
        critical_issues: critical_issues(&phases),
        phases,
        strengths,
        cost: None,
        recovery: None,
    }
}

/// One check of the checklist: its failing resources named (a few), and the CLI commands
/// that fix them.
/// A finding the checklist still counts against its check: failing, unjudged, waiting for a
/// person, or accepted for now.
pub fn is_open(status: Status) -> bool {
    matches!(
        status,
        Status::Fail | Status::Error | Status::Manual | Status::Suppressed
    )
}

fn checklist_item(c: &CheckResult, findings: &[Finding]) -> ChecklistItem {
    let cat = catalog();
    let failing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check_id == c.check_id && is_open(f.status))
        .collect();
    ChecklistItem {
        check_id: c.check_id.clone(),
        title: c.title.clone(),
        status: c.status,
        severity: c.severity,
        effort_hours: cat.get(&c.check_id).map_or(0.0, |s| s.effort_hours),
        failing_resources: failing
            .iter()
            .take(MAX_NAMED)
            .map(|f| f.resource_arn.clone().unwrap_or_else(|| f.message.clone()))
            .collect(),
        failing_count: failing.len(),
        fix_commands: cat
            .get(&c.check_id)
            .map(|spec| {
                failing
                    .iter()
                    .filter(|f| matches!(f.status, Status::Fail | Status::Suppressed))
                    .take(MAX_NAMED)
                    .filter_map(|f| {
                        crate::assess::remediation::fill(
                            spec.remediation.cli.trim(),
                            f.resource_arn.as_deref()?,
                            f.region.as_deref(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The phases, their sections and each section's checks, with the effort left.
fn checklist(checks: &[CheckResult], findings: &[Finding]) -> Vec<Phase> {
    let known = |name: &str| PHASES.iter().any(|(_, _, s)| s.contains(&name));
    PHASES
        .iter()
        .map(|(number, title, sections)| {
            // A custom check's own section joins its phase, after the assessment's.
            let mut names: Vec<&str> = sections.to_vec();
            for c in checks
                .iter()
                .filter(|c| c.phase == *number && !known(&c.section))
            {
                if !names.contains(&c.section.as_str()) {
                    names.push(c.section.as_str());
                }
            }
            let sections: Vec<Section> = names
                .iter()
                .map(|name| {
                    let items: Vec<ChecklistItem> = checks
                        .iter()
                        .filter(|c| c.section == *name)
                        .map(|c| checklist_item(c, findings))
                        .collect();
                    let left = items
                        .iter()
                        .filter(|i| !i.done())
                        .map(|i| i.effort_hours)
                        .total();
                    Section {
                        title: name.to_string(),
                        passed: items.iter().all(ChecklistItem::done),
                        checks: items,
                        effort_hours_left: left,
                    }
                })
                .collect();
            Phase {
                phase: *number,
                title: title.to_string(),
                effort_hours_left: sections.iter().map(|s| s.effort_hours_left).total(),
                sections,
            }
        })
        .collect()
}

/// Points earned over points possible, weighted by severity; checks that do not apply count
/// for nothing.
fn score(checks: &[CheckResult]) -> u32 {
    let (mut earned, mut possible) = (0u32, 0u32);
    for c in checks.iter().filter(|c| c.status != Status::NotApplicable) {
        possible += weight(c.severity);
        if c.status == Status::Pass {
            earned += weight(c.severity);
        }
    }
    if possible == 0 {
        100
    } else {
        (f64::from(earned) * 100.0 / f64::from(possible)).floor() as u32
    }
}

fn grade(phases: &[Phase]) -> Grade {
    let sections_pass = |names: &[&str]| {
        phases
            .iter()
            .flat_map(|p| &p.sections)
            .filter(|s| names.contains(&s.title.as_str()))
            .all(|s| s.passed)
    };
    let phases_pass = |upto: u8| {
        phases
            .iter()
            .filter(|p| p.phase <= upto)
            .flat_map(|p| &p.sections)
            .all(|s| s.passed)
    };
    if phases_pass(3) {
        Grade::Production
    } else if phases_pass(2) {
        Grade::ProductionLite
    } else if sections_pass(ENHANCED_STAGING_SECTIONS) {
        Grade::EnhancedStaging
    } else {
        Grade::DevelopmentStaging
    }
}

/// The critical and high-severity checks not done, most severe first.
fn critical_issues(phases: &[Phase]) -> Vec<Issue> {
    let cat = catalog();
    let mut critical_issues: Vec<Issue> = phases
        .iter()
        .flat_map(|p| &p.sections)
        .flat_map(|s| &s.checks)
        .filter(|c| !c.done() && matches!(c.severity, Severity::Critical | Severity::High))
        .map(|c| Issue {
            check_id: c.check_id.clone(),
            title: c.title.clone(),
            severity: c.severity,
            status: c.status,
            impact: cat
                .get(&c.check_id)
                .map(|s| first_sentence(&s.rationale))
                .unwrap_or_default(),
            effort_hours: c.effort_hours,
            failing_count: c.failing_count,
        })
        .collect();
    // Most severe first; the checklist's order within a severity.
    critical_issues.sort_by_key(|i| i.severity);
    critical_issues
}

fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(i) => text[..=i].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, status: Status) -> CheckResult {
        let spec = catalog().get(id).unwrap();
        CheckResult {
            check_id: id.into(),
            catalog_version: spec.version,
            title: spec.title.clone(),
            phase: spec.phase,
            section: spec.section.clone(),
            severity: spec.severity,
            status,
            passed: 0,
            failed: 0,
            errors: 0,
            suppressed: 0,
        }
    }

    /// Every check with `status`, except the ones named.
    fn all(status: Status, except: &[(&str, Status)]) -> Vec<CheckResult> {
        catalog()
            .checks()
            .iter()
            .map(|c| {
                let s = except
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map_or(status, |(_, s)| *s);
                result(&c.id, s)
            })
            .collect()
    }

    #[test]
    fn every_catalog_section_is_in_a_phase_of_the_assessment() {
        for c in catalog().checks() {
            let phase = PHASES
                .iter()
                .find(|(_, _, sections)| sections.contains(&c.section.as_str()))
                .unwrap_or_else(|| panic!("{}: section {:?} is in no phase", c.id, c.section));
            assert_eq!(phase.0, c.phase, "{}: phase", c.id);
        }
    }

    #[test]
    fn grades_follow_the_phases() {
        let grade = |checks: &[CheckResult]| assess(checks, &[]).grade;
        assert_eq!(grade(&all(Status::Pass, &[])), Grade::Production);
        // Phase 4 does not matter for Production.
        assert_eq!(
            grade(&all(
                Status::Pass,
                &[("DOC-01", Status::Manual), ("DOM-01", Status::Fail)]
            )),
            Grade::Production
        );
        assert_eq!(
            grade(&all(Status::Pass, &[("CICD-01", Status::Fail)])),
            Grade::ProductionLite
        );
        assert_eq!(
            grade(&all(Status::Pass, &[("HA-01", Status::Fail)])),
            Grade::EnhancedStaging
        );
        assert_eq!(
            grade(&all(Status::Pass, &[("BAK-02", Status::Error)])),
            Grade::EnhancedStaging
        );
        assert_eq!(
            grade(&all(Status::Pass, &[("SEC-02", Status::Fail)])),
            Grade::DevelopmentStaging
        );
        assert_eq!(grade(&all(Status::Fail, &[])), Grade::DevelopmentStaging);
        // A suppression accepts a failure for the exit code; it does not make it pass.
        assert_eq!(
            grade(&all(Status::Pass, &[("HA-01", Status::Suppressed)])),
            grade(&all(Status::Pass, &[("HA-01", Status::Fail)]))
        );
    }

    #[test]
    fn the_score_weighs_severity_and_leaves_out_what_does_not_apply() {
        let score = |checks: &[CheckResult]| assess(checks, &[]).score;
        assert_eq!(score(&all(Status::Pass, &[])), 100);
        assert_eq!(score(&all(Status::Fail, &[])), 0);
        assert_eq!(score(&all(Status::NotApplicable, &[])), 100);
        // One critical check judged and failing, the rest not applicable: 0.
        assert_eq!(
            score(&all(Status::NotApplicable, &[("HA-01", Status::Fail)])),
            0
        );
        // A critical pass (10) and a low failure (1): 10 / 11.
        assert_eq!(
            score(&all(
                Status::NotApplicable,
                &[("HA-01", Status::Pass), ("COST-01", Status::Fail)]
            )),
            90
        );
        // ERROR counts as not passed, and makes the verdict provisional.
        let a = assess(
            &all(Status::NotApplicable, &[("HA-01", Status::Error)]),
            &[],
        );
        assert_eq!((a.score, a.provisional), (0, true));
    }

    #[test]
    fn effort_is_summed_over_what_is_not_done_and_written_like_the_assessment() {
        let a = assess(
            &all(
                Status::Pass,
                &[("HA-03", Status::Fail), ("DOC-01", Status::Manual)],
            ),
            &[],
        );
        let ha3 = catalog().get("HA-03").unwrap().effort_hours;
        let doc1 = catalog().get("DOC-01").unwrap().effort_hours;
        assert_eq!(a.effort_hours_left, ha3 + doc1);
        assert_eq!(effort_text(2.0), "2 h");
        assert_eq!(effort_text(16.0), "16 h (2.0 days)");
        assert_eq!(effort_text(120.0), "120 h (15.0 days, 3.0 weeks)");
        assert_eq!(a.critical_issues.len(), 1);
        assert_eq!(a.critical_issues[0].check_id, "HA-03");
        assert!(a.strengths.contains(&"Remote State".to_owned()));
        assert!(!a.strengths.contains(&"High Availability".to_owned()));
        // Nothing left is 0 h, not "-0 h".
        let done = assess(&all(Status::Pass, &[]), &[]);
        assert_eq!(effort_text(done.phases[0].effort_hours_left), "0 h");
        assert!(done.effort_hours_left.is_sign_positive());
    }
}
