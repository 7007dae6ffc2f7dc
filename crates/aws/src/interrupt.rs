//! A scan interrupted by SIGINT or SIGTERM: the signal is noted once, and every read that has
//! not finished ends at once with an `Interrupted` failure, so the scan winds down through its
//! ordinary error path (its checks say ERROR) instead of being killed mid-write.

use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;

use tokio::sync::watch;

/// The signal number that interrupted the scan; 0 while none has.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

fn channel() -> &'static watch::Sender<bool> {
    static CHANNEL: OnceLock<watch::Sender<bool>> = OnceLock::new();
    CHANNEL.get_or_init(|| watch::channel(false).0)
}

/// Notes that `signal` arrived: reads in flight end, later ones do not start.
pub fn request(signal: i32) {
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    channel().send_replace(true);
}

/// The signal that interrupted the scan, if one did.
pub fn signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Resolves when the scan is interrupted (at once if it already was).
pub async fn requested() {
    let mut rx = channel().subscribe();
    let _ = rx.wait_for(|interrupted| *interrupted).await;
}
