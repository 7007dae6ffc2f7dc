//! Phase 4 — Cost Optimisation.

use super::{or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::Inventory;

/// COST-01: logs kept forever are paid for forever.
pub fn cost_01_log_expiry(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, logs) in regions(&inv.logs, &mut out) {
        for g in &logs.groups {
            out.push(match g.retention_days {
                Some(d) => Outcome::pass(
                    &g.arn,
                    region,
                    format!("retentionInDays={d}"),
                    format!("log group {} expires events after {d} days", g.name),
                ),
                None => Outcome::fail(
                    &g.arn,
                    region,
                    "never expire",
                    format!("log group {} keeps (and bills) its events forever", g.name),
                ),
            });
        }
    }
    or_not_applicable(out, "log groups")
}
