//! The API call log: every call the collectors made, by service, operation and region.
//! It goes into the evidence file, and the tests use it to prove the scan is read-only.

use std::collections::BTreeMap;
use std::sync::Mutex;

use prodready_aws::{ApiFailure, FailureKind};
use serde::{Deserialize, Serialize};

pub use prodready_aws::http::counting_attempts;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallStats {
    pub service: String,
    pub operation: String,
    pub region: String,
    /// Calls made (each page of a paginated list is one call).
    pub count: u64,
    /// HTTP requests those calls took, the SDK's retries included: `attempts - count` calls
    /// were retried (throttling, 5xx, dropped connections, timeouts).
    #[serde(default)]
    pub attempts: u64,
    /// Calls that failed after the SDK's retries.
    pub errors: u64,
    /// Failures that were throttling.
    pub throttled: u64,
}

#[derive(Debug, Default)]
pub struct CallLog {
    stats: Mutex<BTreeMap<(String, String, String), CallStats>>,
}

impl CallLog {
    pub fn record(
        &self,
        service: &str,
        operation: &str,
        region: &str,
        attempts: u64,
        failure: Option<&ApiFailure>,
    ) {
        let key = (service.to_owned(), operation.to_owned(), region.to_owned());
        let mut stats = self
            .stats
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = stats.entry(key).or_insert_with(|| CallStats {
            service: service.to_owned(),
            operation: operation.to_owned(),
            region: region.to_owned(),
            count: 0,
            attempts: 0,
            errors: 0,
            throttled: 0,
        });
        entry.count += 1;
        entry.attempts += attempts;
        crate::progress::add(&crate::progress::CALLS, 1);
        crate::progress::add(&crate::progress::RETRIES, attempts.saturating_sub(1));
        if let Some(f) = failure {
            entry.errors += 1;
            if f.kind == FailureKind::Throttled {
                entry.throttled += 1;
                crate::progress::add(&crate::progress::THROTTLED, 1);
            }
        }
    }

    /// The log, sorted by service, operation and region.
    pub fn snapshot(&self) -> Vec<CallStats> {
        let stats = self
            .stats
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        stats.values().cloned().collect()
    }
}
