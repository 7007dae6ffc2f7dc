//! The terminal table: one row per check, then failing resources, errors and a summary line.

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use crate::checks::Status;
use crate::evidence::Evidence;

/// Failing resources listed under the table at most; the JSON has all of them.
const MAX_LISTED: usize = 40;

pub fn render(e: &Evidence, color: bool) -> String {
    let mut out = header(e);
    out.push_str(&checks_table(e, color).to_string());
    out.push('\n');
    lists(&mut out, e);
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
fn lists(out: &mut String, e: &Evidence) {
    let failing: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    if !failing.is_empty() {
        out.push_str("\nFailing:\n");
        for f in failing.iter().take(MAX_LISTED) {
            out.push_str(&format!("  {:<8} {}\n", f.check_id, f.message));
        }
        if failing.len() > MAX_LISTED {
            out.push_str(&format!(
                "  … {} more in the JSON evidence (--format json)\n",
                failing.len() - MAX_LISTED
            ));
        }
    }
    let suppressed: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        out.push_str(
            "\nSuppressed (accepted, not failing) and suppressions that no longer hold:\n",
        );
        for f in suppressed.iter().take(MAX_LISTED) {
            let note = f
                .suppression
                .as_ref()
                .map(crate::checks::suppress::Applied::note);
            out.push_str(&format!(
                "  {:<8} {} — {}\n",
                f.check_id,
                f.resource_arn.as_deref().unwrap_or("account"),
                note.unwrap_or_default()
            ));
        }
    }
    let errors: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        out.push_str("\nCould not check:\n");
        for f in errors.iter().take(MAX_LISTED) {
            out.push_str(&format!("  {:<8} {}\n", f.check_id, f.message));
        }
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
        out.push_str(&format!(
            "Monthly cost ({}, {} prices of {}): now {:.0} → {}\n",
            cost.currency,
            cost.region,
            cost.price_table_date,
            cost.current_monthly,
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
