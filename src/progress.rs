//! What a running scan has done so far, for the progress line on a terminal: parts of the
//! account collected out of those started, API calls, retries and throttles. Process-wide
//! counters (a multi-account run shows its totals), written by the collectors and the call
//! log, read by the CLI's ticker; nothing is drawn when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub static PARTS_STARTED: AtomicU64 = AtomicU64::new(0);
pub static PARTS_DONE: AtomicU64 = AtomicU64::new(0);
pub static CALLS: AtomicU64 = AtomicU64::new(0);
pub static RETRIES: AtomicU64 = AtomicU64::new(0);
pub static THROTTLED: AtomicU64 = AtomicU64::new(0);

pub fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// The line the bar shows.
pub fn line() -> String {
    format!(
        "{}/{} parts read · {} API calls · {} retried · {} throttled",
        get(&PARTS_DONE),
        get(&PARTS_STARTED),
        get(&CALLS),
        get(&RETRIES),
        get(&THROTTLED)
    )
}

/// A spinner on stderr, refreshed ten times a second, while `stderr` is a terminal; `None`
/// otherwise (piped, redirected, CI), so logs and captured output stay clean.
pub fn start() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let ticker = bar.clone();
    std::thread::spawn(move || {
        while !ticker.is_finished() {
            ticker.set_message(line());
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    Some(bar)
}
