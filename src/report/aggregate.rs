//! The organisation report (`prodready aggregate`, multi-account scans): one row per account,
//! worst first, then the checks that fail in most accounts.

use std::fmt::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};

use crate::fleet::aggregate::Organization;

fn money(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |c| format!("${c:.2}"))
}

fn grade(a: &crate::fleet::aggregate::AccountSummary) -> String {
    let mut g = a.grade.clone();
    if a.provisional {
        g.push_str(" (provisional)");
    }
    if a.partial {
        g.push_str(" · partial");
    }
    g
}

pub fn table(o: &Organization) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "Account",
        "Scanned",
        "Grade",
        "Score",
        "Failing",
        "Errors",
        "Effort left",
        "Cost/month",
    ]);
    for a in &o.accounts {
        t.add_row(vec![
            a.account_id.clone(),
            a.scanned_at.clone(),
            grade(a),
            a.score.to_string(),
            a.failed_checks.to_string(),
            a.error_checks.to_string(),
            format!("{:.0} h", a.effort_hours_left),
            money(a.monthly_cost),
        ]);
    }
    let mut out = format!(
        "Organisation: {} account(s) · mean score {} · effort left {:.0} h · ${:.2}/month\n",
        o.accounts.len(),
        o.mean_score,
        o.total_effort_hours_left,
        o.total_monthly_cost
    );
    out.push_str(&t.to_string());
    out.push('\n');
    if !o.checks.is_empty() {
        out.push_str("\nFailing across accounts:\n");
        for c in o.checks.iter().take(15) {
            let _ = writeln!(
                out,
                "  {:<8} {:>4}/{} {} ({})",
                c.check_id,
                c.failing_accounts,
                o.accounts.len(),
                c.title,
                c.severity.as_str()
            );
        }
    }
    for u in &o.unscanned {
        let _ = writeln!(out, "not scanned: {}: {}", u.account, u.error);
    }
    for u in &o.unreadable {
        let _ = writeln!(out, "skipped: {u}");
    }
    out
}

pub fn json(o: &Organization) -> String {
    let mut s = serde_json::to_string_pretty(o).unwrap_or_default();
    s.push('\n');
    s
}

pub fn markdown(o: &Organization) -> String {
    let mut md = String::from("# Production readiness: organisation\n\n");
    let _ = writeln!(
        md,
        "{} account(s), mean score {}, {:.0} h of work left in all, about ${:.2}/month today.\n",
        o.accounts.len(),
        o.mean_score,
        o.total_effort_hours_left,
        o.total_monthly_cost
    );
    md.push_str("| Account | Scanned | Grade | Score | Failing | Effort left | Cost/month |\n|---|---|---|---:|---:|---:|---:|\n");
    for a in &o.accounts {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {:.0} h | {} |",
            a.account_id,
            a.scanned_at,
            grade(a),
            a.score,
            a.failed_checks,
            a.effort_hours_left,
            money(a.monthly_cost)
        );
    }
    if !o.checks.is_empty() {
        md.push_str("\n## Failing across accounts\n\n| Check | Title | Severity | Accounts |\n|---|---|---|---:|\n");
        for c in &o.checks {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {}/{} |",
                c.check_id,
                c.title,
                c.severity.as_str(),
                c.failing_accounts,
                o.accounts.len()
            );
        }
    }
    if !o.unscanned.is_empty() {
        md.push_str("\n## Not scanned\n\n");
        for u in &o.unscanned {
            let _ = writeln!(md, "- {}: {}", u.account, u.error);
        }
    }
    md
}
