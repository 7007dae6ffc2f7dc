//! The terminal table: one row per check, then failing resources, errors and a summary line.

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use crate::assess::remediation::short_name;
use crate::checks::suppress::Applied;
use crate::checks::{Finding, Status};
use crate::evidence::Evidence;

/// Resources named per check under the table; the JSON and Markdown name all of them.
const NAMED: usize = 3;

/// `full`: every failing resource on its own line, not three per check.
pub fn render(e: &Evidence, color: bool, full: bool) -> String {
    let mut out = header(e);
    out.push_str(&checks_table(e, color).to_string());
    out.push('\n');
    lists(&mut out, e, if full { usize::MAX } else { NAMED });
    if let Some(r) = &e.assessment.recovery {
        out.push_str(&super::recovery::text(r));
    }
    summary(&mut out, e);
    out
}

/// The scan and its grade, two lines.
fn header(e: &Evidence) -> String {
    let mut out = String::new();
    let endpoint = e
        .scan
        .endpoint
        .as_deref()
        .map(|u| format!(" · endpoint {u}"))
        .unwrap_or_default();
    out.push_str(&format!(
        "prodready {} · account {} · {}{endpoint} · {}\n",
        e.tool.version,
        e.scan.account_id,
        e.scan.regions.join(", "),
        e.scan.started_at
    ));
    let a = &e.assessment;
    out.push_str(&format!(
        "Grade: {}{} · Score: {}/100 · Effort left: {}\n",
        a.grade.as_str(),
        if a.provisional { " (provisional)" } else { "" },
        a.score,
        crate::assess::effort_text(a.effort_hours_left)
    ));

    out
}

/// One row per check, in the checklist's order: phase by phase, a heading row for each.
fn checks_table(e: &Evidence, color: bool) -> Table {
    let mut table = Table::new();
    if color {
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .enforce_styling();
    } else {
        table
            .load_preset(presets::ASCII_FULL_CONDENSED)
            .force_no_tty();
    }
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(["Check", "Title", "Status", "Failing", "Severity"]);
    for phase in &e.assessment.phases {
        table.add_row(vec![
            Cell::new(format!("Phase {}", phase.phase)),
            Cell::new(format!(
                "{} · {} left",
                phase.title,
                crate::assess::effort_text(phase.effort_hours_left)
            )),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ]);
        let ids = phase
            .sections
            .iter()
            .flat_map(|s| &s.checks)
            .map(|c| c.check_id.as_str());
        for c in ids.filter_map(|id| e.checks.iter().find(|c| c.check_id == id)) {
            let mut status = Cell::new(c.status.as_str());
            if color {
                status = status.fg(status_color(c.status));
            }
            let failing = if c.failed > 0 {
                c.failed.to_string()
            } else {
                String::new()
            };
            table.add_row(vec![
                Cell::new(&c.check_id),
                Cell::new(&c.title),
                status,
                Cell::new(failing),
                Cell::new(c.severity.as_str()),
            ]);
        }
    }
    table
}

/// The failing, suppressed and unjudged findings, at most `MAX_LISTED` each.
fn lists(out: &mut String, e: &Evidence, named: usize) {
    let failing: Vec<&Finding> = e
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    if !failing.is_empty() {
        out.push_str("\nFailing:\n");
        by_check(out, &failing, named, |f| f.message.clone());
    }
    let suppressed: Vec<&Finding> = e
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        out.push_str(
            "\nSuppressed (accepted, not failing) and suppressions that no longer hold:\n",
        );
        by_check(out, &suppressed, named, |f| {
            let note = f.suppression.as_ref().map(Applied::note);
            format!(
                "{} — {}",
                f.resource_arn.as_deref().unwrap_or("account"),
                note.unwrap_or_default()
            )
        });
    }
    let errors: Vec<&Finding> = e
        .findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str("\nCould not check:\n");
        by_check(out, &errors, named, |f| f.message.clone());
    }
    if [&failing, &suppressed, &errors].iter().any(|l| {
        super::by_check(l.iter().copied(), |f| f.check_id.as_str())
            .iter()
            .any(|(_, g)| g.len() > named)
    }) {
        out.push_str("  (--full lists every resource)\n");
    }
}

/// Per check, each finding's own line when there are few, else one line: how many
/// resources, and the first few by name.
fn by_check(
    out: &mut String,
    findings: &[&Finding],
    named: usize,
    alone: impl Fn(&Finding) -> String,
) {
    for (id, group) in super::by_check(findings.iter().copied(), |f| f.check_id.as_str()) {
        if group.len() <= named {
            for f in &group {
                out.push_str(&format!("  {id:<8} {}\n", alone(f)));
            }
            continue;
        }
        let names: Vec<&str> = group
            .iter()
            .filter_map(|f| f.resource_arn.as_deref().map(short_name))
            .take(named)
            .collect();
        if names.is_empty() {
            out.push_str(&format!(
                "  {id:<8} {} findings: {}\n",
                group.len(),
                alone(group[0])
            ));
            continue;
        }
        out.push_str(&format!(
            "  {id:<8} {} resources: {}\n",
            group.len(),
            super::named_few(&names, named, group.len())
        ));
    }
}

/// The counts, the cost and what the scope left out.
fn summary(out: &mut String, e: &Evidence) {
    let s = &e.summary;
    out.push_str(&format!(
        "\n{} checks: {} passed, {} failed, {} errors, {} not applicable, {} manual, {} suppressed · {} failing resources · {} API calls in {:.1} s{}\n",
        s.checks,
        s.passed,
        s.failed,
        s.errors,
        s.not_applicable,
        s.manual,
        s.suppressed,
        s.failing_resources,
        s.api_calls,
        e.scan.duration_ms as f64 / 1000.0,
        if e.scan.partial { " · PARTIAL: some of the account could not be read" } else { "" },
    ));
    if let Some(cost) = &e.assessment.cost {
        let options: Vec<String> = cost
            .options
            .iter()
            .map(|o| format!("{} {:.0}", o.name, o.monthly))
            .collect();
        let b = &cost.by_basis;
        out.push_str(&format!(
            "Monthly cost ({}, list prices of {}): now {:.0} (measured {:.0}, inventory {:.0}, assumed {:.0}) → {}\n",
            cost.currency,
            cost.price_table_date,
            cost.current_monthly,
            b.measured,
            b.inventory,
            b.assumed,
            options.join(" · ")
        ));
    }
    if !e.out_of_scope.is_empty() {
        out.push_str(&format!(
            "{} resource(s) outside the config's [scope] were not judged (listed in the JSON evidence)\n",
            e.out_of_scope.len()
        ));
    }
}

fn status_color(s: Status) -> Color {
    match s {
        Status::Pass => Color::Green,
        Status::Fail => Color::Red,
        Status::Error => Color::Yellow,
        Status::NotApplicable => Color::DarkGrey,
        Status::Manual => Color::Cyan,
        Status::Suppressed => Color::Magenta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::archive_account;

    #[test]
    fn many_failing_resources_of_a_check_are_one_line_naming_three() {
        let text = render(&archive_account(120), false, false);
        let failing = text
            .split("\nFailing:\n")
            .nth(1)
            .and_then(|rest| rest.split("\n\n").next())
            .unwrap();
        assert!(
            failing.contains(
                "  BAK-01   120 resources: archive-000, archive-001, archive-002 +117 more"
            ),
            "{failing}"
        );
        assert!(failing.lines().count() < 30, "{failing}");
        assert!(text.contains("  (--full lists every resource)\n"), "{text}");
    }

    #[test]
    fn full_lists_every_failing_resource() {
        let text = render(&archive_account(120), false, true);
        let bak01 = text.lines().filter(|l| l.starts_with("  BAK-01 ")).count();
        assert_eq!(bak01, 120);
        assert!(!text.contains("--full lists"), "{text}");
    }

    #[test]
    fn the_grouped_table_of_a_large_account() {
        insta::assert_snapshot!(render(&archive_account(120), false, false));
    }
}
