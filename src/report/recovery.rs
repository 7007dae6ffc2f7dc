//! "What a failure would cost": the recovery estimates as a component × disruption matrix,
//! each cell against its target, in the terminal, Markdown and HTML. Components with the same
//! estimates share a row (the assessment groups them), so thousands of tables stay one line.

use std::fmt::Write;

use crate::checks::recovery::{Cell, Disruption, Group, Recovery, TargetRow};

/// Names shown per row; the JSON evidence lists every component.
const NAMED: usize = 3;

fn mark(meets: Option<bool>) -> &'static str {
    match meets {
        Some(true) => "meets",
        Some(false) => "MISSES",
        None => "unknown",
    }
}

pub(super) fn cell_text(c: &Cell) -> String {
    format!(
        "RTO {}, RPO {} ({}{})",
        c.rto,
        c.rpo,
        c.rule,
        if c.assumed { ", assumed" } else { "" }
    )
}

pub(super) fn row_name(g: &Group) -> String {
    let names: Vec<&str> = g.names.iter().map(String::as_str).collect();
    let listed = super::named_few(&names, NAMED, names.len());
    if g.names.len() == 1 && g.names[0].starts_with("the application") {
        listed
    } else {
        format!("{}: {listed}", g.kind.counted(g.names.len()))
    }
}

fn target_text(t: &TargetRow) -> String {
    let part = |what: &str, v: Option<u32>| v.map(|m| format!("{what} ≤ {m} min"));
    let parts: Vec<String> = [part("RTO", t.rto_minutes), part("RPO", t.rpo_minutes)]
        .into_iter()
        .flatten()
        .collect();
    format!("{}: {}", t.disruption.as_str(), parts.join(", "))
}

pub(super) fn targets_line(r: &Recovery) -> String {
    let t: Vec<String> = r.targets.iter().map(target_text).collect();
    format!("Targets ([recovery.*] in the config): {}", t.join("; "))
}

pub(super) fn cell_of(g: &Group, d: Disruption) -> Option<&Cell> {
    g.cells.iter().find(|c| c.disruption == d)
}

/// The terminal's section: one line per row and disruption that misses or is unknown, the
/// application's row in full.
pub fn text(r: &Recovery) -> String {
    let mut out = String::from("\nWhat a failure would cost (recovery time RTO, data lost RPO):\n");
    for (i, g) in r.groups.iter().enumerate() {
        let cells: Vec<&Cell> = g
            .cells
            .iter()
            .filter(|c| i == 0 || c.meets != Some(true))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {}", row_name(g));
        for c in cells {
            let _ = writeln!(
                out,
                "    {:<7} {:<7} {}",
                c.disruption.as_str(),
                mark(c.meets),
                cell_text(c)
            );
        }
    }
    let _ = writeln!(out, "  {}", targets_line(r));
    out
}

/// The Markdown section: the matrix, the targets, the unreadable inputs.
pub fn markdown(r: &Recovery) -> String {
    let mut md = String::from("## What a Failure Would Cost\n\n");
    md.push_str("Recovery time (RTO) and data lost (RPO) per component and disruption, estimated by the rules of docs/recovery.md (rule ids in brackets; \"assumed\" where a figure rests on an assumption, not on an AWS fact). ✅ meets the target, ❌ misses it, ❔ unknown.\n\n");
    md.push_str("| Component |");
    for d in Disruption::ALL {
        let _ = write!(md, " {} |", d.title());
    }
    md.push_str("\n|---|---|---|---|---|\n");
    for g in &r.groups {
        let _ = write!(md, "| {} |", row_name(g).replace('|', "\\|"));
        for d in Disruption::ALL {
            match cell_of(g, d) {
                Some(c) => {
                    let icon = match c.meets {
                        Some(true) => "✅",
                        Some(false) => "❌",
                        None => "❔",
                    };
                    let _ = write!(md, " {icon} {} |", cell_text(c).replace('|', "\\|"));
                }
                None => md.push_str(" — |"),
            }
        }
        md.push('\n');
    }
    let _ = writeln!(md, "\n{}\n", targets_line(r));
    if !r.unreadable.is_empty() {
        let _ = writeln!(
            md,
            "Not estimated, because they could not be read: {}.\n",
            r.unreadable.join(", ")
        );
    }
    md
}
