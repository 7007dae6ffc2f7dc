//! Renderers: each output is a function of the evidence (or the catalog) alone.

pub mod aggregate;
pub mod catalog;
pub mod history;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::evidence::Evidence;
use crate::suppress::{Applied, State};

/// A suppression as one line: its reason, approver and expiry, and whether it holds.
pub fn suppression_note(a: &Applied) -> String {
    let mut note = match a.state {
        State::Active => "suppressed".to_owned(),
        state => format!("suppression does not hold ({})", state.as_str()),
    };
    if let Some(r) = a.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        note.push_str(&format!(": {r}"));
    }
    if let Some(who) = &a.approved_by {
        note.push_str(&format!(" · approved by {who}"));
    }
    if let Some(until) = &a.expires {
        note.push_str(&format!(" · until {until}"));
    }
    note
}

/// The JSON evidence document, pretty-printed, with a trailing newline.
pub fn json(evidence: &Evidence) -> String {
    let mut s = serde_json::to_string_pretty(evidence)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
