//! `prodready diff` for a terminal or a log: the nightly question first (how many newly
//! failing, fixed, still failing; by severity), then one line per check, naming at most a few
//! resources. `--format json` lists every change.

use std::collections::BTreeMap;

use crate::assess::remediation::short_name;
use crate::catalog::Severity;
use crate::compare::diff::{Change, Diff};

/// Resources named per check; the rest are counted.
const NAMED: usize = 3;

/// The diff for a terminal or a log; `full` names every changed resource.
pub fn render(d: &Diff, full: bool) -> String {
    let named = if full { usize::MAX } else { NAMED };
    let mut out = format!(
        "from {}\n  to {}\nscore {} → {} · grade {} → {}",
        d.old_scan, d.new_scan, d.score.0, d.score.1, d.grade.0, d.grade.1
    );
    if let Some((a, b)) = d.cost {
        out.push_str(&format!(" · monthly cost {a:.2} → {b:.2}"));
    }
    out.push('\n');
    out.push_str(&format!(
        "\n{} newly failing · {} fixed · {} still failing · {} newly suppressed\n",
        d.new_failures.len(),
        d.fixed.len(),
        d.still_failing,
        d.newly_suppressed.len()
    ));
    out.push_str(&by_severity(d));
    grouped(&mut out, "New failures", &d.new_failures, d, named);
    grouped(&mut out, "Fixed", &d.fixed, d, named);
    if !d.newly_suppressed.is_empty() {
        grouped(&mut out, "Newly suppressed", &d.newly_suppressed, d, named);
    }
    recovery_worse(&mut out, d, named);
    out.push_str(&format!("\nStill failing: {}\n", d.still_failing));
    let all_named = |c: &[Change]| group(c).iter().all(|(_, g)| g.len() <= named);
    if !(all_named(&d.new_failures) && all_named(&d.fixed) && all_named(&d.newly_suppressed)) {
        out.push_str("(--full names every resource; --format json lists every change)\n");
    }
    out
}

/// Estimates that got worse, per disruption: the application's, then a few components.
fn recovery_worse(out: &mut String, d: &Diff, named: usize) {
    if d.recovery_worse.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\nRecovery estimates that got worse: {}\n",
        d.recovery_worse.len()
    ));
    for disruption in crate::checks::recovery::Disruption::ALL {
        let changes: Vec<_> = d
            .recovery_worse
            .iter()
            .filter(|c| c.disruption == disruption)
            .collect();
        for c in changes.iter().take(named) {
            out.push_str(&format!(
                "  {:<7} {}: RTO {} → {}, RPO {} → {} ({})\n",
                disruption.as_str(),
                c.component,
                c.rto.0,
                c.rto.1,
                c.rpo.0,
                c.rpo.1,
                c.rule
            ));
        }
        if changes.len() > named {
            out.push_str(&format!(
                "  {:<7} +{} more\n",
                disruption.as_str(),
                changes.len() - named
            ));
        }
    }
}

/// "by severity: critical +3 −1 · high +2": what moved, most severe first.
fn by_severity(d: &Diff) -> String {
    let mut counts: BTreeMap<Severity, (usize, usize)> = BTreeMap::new();
    for c in &d.new_failures {
        counts.entry(severity(c)).or_default().0 += 1;
    }
    for c in &d.fixed {
        counts.entry(severity(c)).or_default().1 += 1;
    }
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, (new, fixed))| format!("{} +{new} −{fixed}", s.as_str()))
        .collect();
    format!("by severity: {}\n", parts.join(" · "))
}

fn severity(c: &Change) -> Severity {
    c.severity.unwrap_or(Severity::Low)
}

/// The changes per check, in the order the checks first appear.
fn group(changes: &[Change]) -> Vec<(String, Vec<&Change>)> {
    super::by_check(changes, |c| c.check_id.as_str())
}

/// One line per check: its severity, how many changed (and how many still fail), and the
/// first few resources by name.
fn grouped(out: &mut String, title: &str, changes: &[Change], d: &Diff, named: usize) {
    out.push_str(&format!("\n{title} ({}):\n", changes.len()));
    for (id, group) in group(changes) {
        let names: Vec<&str> = group
            .iter()
            .take(named)
            .map(|c| c.resource_arn.as_deref().map_or("(account)", short_name))
            .collect();
        let still = d
            .still_failing_by_check
            .get(&id)
            .map(|n| format!(" ({n} still failing)"))
            .unwrap_or_default();
        let message = match group.as_slice() {
            [one] => format!(" — {}", one.message),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {id:<9} {:<8} {:>4}  {}{still}{message}\n",
            severity(group[0]).as_str(),
            group.len(),
            super::named_few(&names, named, group.len())
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    fn change(check: usize, resource: usize) -> Change {
        Change {
            check_id: format!("CHK-{check:02}"),
            severity: Some([Severity::Critical, Severity::High, Severity::Medium][check % 3]),
            resource_arn: Some(format!(
                "arn:aws:dynamodb:eu-west-1:111122223333:table/t{check}-{resource}"
            )),
            region: Some("eu-west-1".into()),
            before: None,
            after: Some(Status::Fail),
            message: format!("table t{check}-{resource} has no backup"),
        }
    }

    fn diff(new_failures: Vec<Change>, fixed: Vec<Change>) -> Diff {
        Diff {
            old_scan: "111122223333 2026-12-01T03:00:00Z".into(),
            new_scan: "111122223333 2026-12-02T03:00:00Z".into(),
            new_failures,
            fixed,
            newly_suppressed: vec![],
            still_failing: 7,
            still_failing_by_check: [("CHK-01".to_owned(), 7)].into(),
            score: (61, 48),
            grade: ("Development/Staging".into(), "Development/Staging".into()),
            cost: Some((120.0, 118.5)),
            recovery_worse: vec![],
        }
    }

    #[test]
    fn five_hundred_changes_over_fifty_checks_fit_in_a_hundred_lines() {
        let new: Vec<Change> = (0..50)
            .flat_map(|c| (0..10).map(move |r| change(c, r)))
            .collect();
        let text = render(&diff(new, vec![change(1, 99)]), false);
        let lines = text.lines().count();
        assert!(lines <= 100, "{lines} lines:\n{text}");
        assert!(text.contains("500 newly failing · 1 fixed · 7 still failing"));
        assert!(text.contains("New failures (500):"));
        assert!(text.contains("CHK-07    high"), "{text}");
    }

    #[test]
    fn the_summary_comes_first_then_a_line_per_check() {
        let new = vec![
            change(1, 1),
            change(1, 2),
            change(1, 3),
            change(1, 4),
            change(2, 1),
        ];
        insta::assert_snapshot!(render(&diff(new, vec![change(3, 1)]), false));
    }

    #[test]
    fn full_names_every_changed_resource() {
        let new: Vec<Change> = (0..10).map(|r| change(4, r)).collect();
        let text = render(&diff(new, vec![]), true);
        assert!(text.contains("t4-9"), "{text}");
        assert!(!text.contains("more"), "{text}");
    }
}
