//! Renderers: each output is a function of the evidence (or the catalog) alone.

pub mod aggregate;
pub mod catalog;
pub mod diff;
pub mod history;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::evidence::Evidence;

/// The JSON evidence document, pretty-printed, with a trailing newline.
pub fn json(evidence: &Evidence) -> String {
    let mut s = serde_json::to_string_pretty(evidence)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
