//! The history of an account: a folder of evidence files, one per scan (`scan --history DIR`),
//! read back as score, grade, failures and cost over time.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::evidence::Evidence;

/// One scan of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub file: String,
    pub account_id: String,
    pub started_at: String,
    pub score: u32,
    pub grade: String,
    pub provisional: bool,
    pub failed_checks: usize,
    pub error_checks: usize,
    pub suppressed_checks: usize,
    pub effort_hours_left: f32,
    /// Monthly cost estimate today, when the scan made one.
    pub monthly_cost: Option<f64>,
    pub currency: Option<String>,
}

impl Point {
    fn of(file: &Path, e: &Evidence) -> Point {
        let a = &e.assessment;
        Point {
            file: file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            account_id: e.scan.account_id.clone(),
            started_at: e.scan.started_at.clone(),
            score: a.score,
            grade: a.grade.as_str().to_owned(),
            provisional: a.provisional,
            failed_checks: e.summary.failed,
            error_checks: e.summary.errors,
            suppressed_checks: e.summary.suppressed,
            effort_hours_left: a.effort_hours_left,
            monthly_cost: a.cost.as_ref().map(|c| c.current_monthly),
            currency: a.cost.as_ref().map(|c| c.currency.clone()),
        }
    }
}

/// What a history folder holds: its scans in time order, and the files it could not read.
#[derive(Debug, Default, Serialize)]
pub struct History {
    pub points: Vec<Point>,
    pub unreadable: Vec<String>,
}

/// The name `scan --history` gives a scan: account and start time, so that a folder's listing
/// sorts each account's scans by time.
pub fn file_name(e: &Evidence) -> String {
    // YYYYMMDDTHHMMSSZ: whole seconds of the RFC 3339 start time.
    let seconds = e.scan.started_at.get(..19).unwrap_or(&e.scan.started_at);
    let stamp: String = seconds
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("scan-{}-{stamp}Z.json", e.scan.account_id)
}

/// Stores the evidence in the history folder under its timestamped name; never overwrites. A
/// second scan in the same second gets `_2` (which sorts after the first, as `ls` lists it).
pub fn store(dir: &Path, e: &Evidence, json: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name = file_name(e);
    let mut path = dir.join(&name);
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(name.replace(".json", &format!("_{n}.json")));
    }
    std::fs::write(&path, json)?;
    Ok(path)
}

/// Reads every `*.json` of the folder; one that is not evidence is listed, not fatal, so one
/// damaged night does not hide the rest.
pub fn load(dir: &Path) -> Result<History, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    files.sort();
    let mut history = History::default();
    for file in files {
        match crate::evidence::read::load(&file) {
            Ok(e) => history.points.push(Point::of(&file, &e)),
            Err(err) => history.unreadable.push(err),
        }
    }
    history
        .points
        .sort_by(|a, b| (&a.account_id, &a.started_at).cmp(&(&b.account_id, &b.started_at)));
    if history.points.is_empty() {
        return Err(format!(
            "{}: no evidence files{}",
            dir.display(),
            if history.unreadable.is_empty() {
                String::new()
            } else {
                format!(" ({} unreadable)", history.unreadable.len())
            }
        ));
    }
    Ok(history)
}
