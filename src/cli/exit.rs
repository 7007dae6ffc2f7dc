//! Exit codes: 0 no failing check · 1 failing checks · 2 usage, configuration or credentials
//! error (nothing scanned) · 3 partial scan (some of the account could not be read; the
//! outputs are still written). 3 wins over 1: a partial result is never reported as complete.
//! 128 + signal (130, 143) when SIGINT or SIGTERM interrupted the scan.

use super::FailOn;
use crate::compare::diff::Diff;
use crate::evidence::Evidence;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_PARTIAL: u8 = 3;

/// The exit code of one account's scan: interrupted, partial, failing under `--fail-on`
/// (against `diff` for `--fail-on new`), or fine.
pub fn exit_code(evidence: &Evidence, fail_on: FailOn, diff: Option<&Diff>) -> u8 {
    if let Some(signal) = evidence.scan.interrupted_by {
        return exit_for_signal(signal);
    }
    if evidence.scan.partial {
        return EXIT_PARTIAL;
    }
    let failed = match (fail_on, diff) {
        (FailOn::New, Some(d)) => d.regressed(),
        (fail_on, _) => fails(evidence, fail_on),
    };
    if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Whether a complete scan fails the run under `--fail-on` (severity or any).
fn fails(evidence: &Evidence, fail_on: FailOn) -> bool {
    match fail_on.severity() {
        Some(at_least) => evidence
            .findings
            .iter()
            .any(|f| f.status == crate::checks::Status::Fail && f.severity <= at_least),
        None => evidence.summary.failed > 0,
    }
}

/// 128 + the signal, as shells report a process a signal ended.
pub fn exit_for_signal(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(130)
}

/// The first SIGINT or SIGTERM interrupts the scan: reads in flight end, the rest do not
/// start, and the scan winds down through its error path. A second one quits at once.
pub async fn watch_signals() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        let mut first = true;
        loop {
            let signo = tokio::select! {
                _ = int.recv() => 2,
                _ = term.recv() => 15,
            };
            if !first {
                std::process::exit(i32::from(exit_for_signal(signo)));
            }
            first = false;
            eprintln!("prodready: interrupted: stopping the reads in flight (again to quit now)");
            prodready_aws::interrupt::request(signo);
        }
    }
    #[cfg(not(unix))]
    if tokio::signal::ctrl_c().await.is_ok() {
        prodready_aws::interrupt::request(2);
    }
}
