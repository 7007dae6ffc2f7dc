//! What CloudWatch's silence means for one resource's usage. CloudWatch publishes DynamoDB's
//! consumed capacity and CloudWatch Logs' `IncomingBytes` only when there is activity (the
//! DynamoDB developer guide: "When you interact with DynamoDB, it sends metrics and
//! dimensions to CloudWatch"; CloudWatch's `TreatMissingData`: "Alarms that evaluate metrics
//! in the AWS/DynamoDB namespace always ignore missing data"). So a resource older than the
//! window without a datapoint was idle, and costs nothing in requests; a younger one, or one
//! whose usage could not be read, is the only case for an assumption.

use crate::catalog::prices::{assuming, line, measured, CostLine};
use crate::inventory::{Inventory, USAGE_WINDOW_DAYS};

/// One resource's usage over the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activity {
    Measured(f64),
    /// No datapoint, and the resource is older than the window.
    Idle,
    /// No datapoint, and the resource is younger than the window, of unknown age, or its
    /// region's usage could not be read.
    Unknown,
}

/// `measured`: the resource's datapoints' sum, if any; `read`: whether its region's usage
/// was read at all; `created`: the resource's creation time.
pub fn of(inv: &Inventory, measured: Option<f64>, read: bool, created: Option<&str>) -> Activity {
    match measured {
        Some(v) if read => Activity::Measured(v),
        _ if !read => Activity::Unknown,
        _ => match created.and_then(|c| inv.age_days(c)) {
            Some(age) if age >= USAGE_WINDOW_DAYS as f64 => Activity::Idle,
            _ => Activity::Unknown,
        },
    }
}

/// What one kind of usage costs, in up to three lines: what CloudWatch measured, the idle
/// resources (nothing to pay, said so), and the assumed rest.
pub struct Usage<'a> {
    pub item: &'a str,
    /// Measured units per line unit (bytes per GB, units per million).
    pub per_unit: f64,
    pub assumed_each: f64,
    pub unit: &'a str,
    pub price: f64,
    pub assumption: &'a str,
}

impl Usage<'_> {
    pub fn lines(&self, activities: &[Activity]) -> Vec<CostLine> {
        let known: Vec<f64> = activities
            .iter()
            .filter_map(|a| match a {
                Activity::Measured(v) => Some(*v),
                _ => None,
            })
            .collect();
        let idle = activities.iter().filter(|a| **a == Activity::Idle).count();
        let unknown = activities
            .iter()
            .filter(|a| **a == Activity::Unknown)
            .count();
        let mut out = Vec::new();
        if !known.is_empty() {
            out.push(measured(line(
                format!("{}, measured by CloudWatch ({})", self.item, known.len()),
                crate::catalog::prices::total(known) / self.per_unit,
                self.unit,
                self.price,
            )));
        }
        if idle > 0 {
            out.push(measured(line(
                format!(
                    "{}, idle: no activity in {USAGE_WINDOW_DAYS} days ({idle})",
                    self.item
                ),
                0.0,
                self.unit,
                self.price,
            )));
        }
        if unknown > 0 {
            out.push(assuming(
                line(
                    format!("{}, not measured ({unknown})", self.item),
                    unknown as f64 * self.assumed_each,
                    self.unit,
                    self.price,
                ),
                self.assumption,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::prices::Basis;

    fn inv() -> Inventory {
        Inventory {
            collected_at: "2026-12-01T00:00:00Z".into(),
            ..Inventory::default()
        }
    }

    #[test]
    fn silence_from_an_old_resource_is_idleness_and_from_a_young_one_unknown() {
        let inv = inv();
        let old = Some("2026-10-01T00:00:00Z");
        let young = Some("2026-11-20T00:00:00Z");
        assert_eq!(of(&inv, Some(5.0), true, young), Activity::Measured(5.0));
        assert_eq!(of(&inv, None, true, old), Activity::Idle);
        assert_eq!(of(&inv, None, true, young), Activity::Unknown);
        assert_eq!(of(&inv, None, true, None), Activity::Unknown);
        // Usage not read: nothing can be told, not even of an old resource.
        assert_eq!(of(&inv, None, false, old), Activity::Unknown);
    }

    #[test]
    fn measured_idle_and_assumed_resources_each_get_their_line() {
        let usage = Usage {
            item: "CloudWatch Logs ingestion",
            per_unit: 1e9,
            assumed_each: 1.0,
            unit: "GB",
            price: 0.5,
            assumption: "1 GB per group",
        };
        let lines = usage.lines(&[
            Activity::Measured(2e9),
            Activity::Idle,
            Activity::Idle,
            Activity::Unknown,
        ]);
        let summary: Vec<(Basis, f64)> = lines.iter().map(|l| (l.basis, l.monthly)).collect();
        assert_eq!(
            summary,
            [
                (Basis::Measured, 1.0),
                (Basis::Measured, 0.0),
                (Basis::Assumed, 0.5)
            ]
        );
        assert!(lines[1].item.contains("idle: no activity in 30 days (2)"));
        assert!(usage.lines(&[]).is_empty());
    }
}
