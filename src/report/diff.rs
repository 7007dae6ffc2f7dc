//! `prodready diff` for a terminal or a log.

use crate::compare::diff::{Change, Diff};

/// The diff for a terminal or a log.
pub fn render(d: &Diff) -> String {
    let mut out = format!(
        "from {}\n  to {}\nscore {} → {} · grade {} → {}",
        d.old_scan, d.new_scan, d.score.0, d.score.1, d.grade.0, d.grade.1
    );
    if let Some((a, b)) = d.cost {
        out.push_str(&format!(" · monthly cost {a:.2} → {b:.2}"));
    }
    out.push('\n');
    let list = |title: &str, changes: &[Change], out: &mut String| {
        out.push_str(&format!("\n{title} ({}):\n", changes.len()));
        for c in changes {
            out.push_str(&format!(
                "  {:<8} {} — {}\n",
                c.check_id,
                c.resource_arn.as_deref().unwrap_or("(account)"),
                c.message
            ));
        }
    };
    list("New failures", &d.new_failures, &mut out);
    list("Fixed", &d.fixed, &mut out);
    if !d.newly_suppressed.is_empty() {
        list("Newly suppressed", &d.newly_suppressed, &mut out);
    }
    out.push_str(&format!("\nStill failing: {}\n", d.still_failing));
    out
}
