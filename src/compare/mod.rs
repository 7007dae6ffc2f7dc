//! Scans compared: two of one account (`diff`), and a folder of them over time (`history`).

pub mod diff;
pub mod history;
