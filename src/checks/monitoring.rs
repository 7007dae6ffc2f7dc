//! Phase 1 — Monitoring & Alerting.

use super::{or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::Inventory;

pub fn mon_09_log_retention(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min = config.thresholds.log_retention_days;
    let mut out = Vec::new();
    for (region, logs) in regions(&inv.logs, &mut out) {
        for g in &logs.groups {
            out.push(match g.retention_days {
                None => Outcome::pass(
                    &g.arn,
                    region,
                    "never expire",
                    format!("log group {} keeps its logs forever", g.name),
                ),
                Some(d) if d >= min => Outcome::pass(
                    &g.arn,
                    region,
                    format!("retentionInDays={d}"),
                    format!("log group {} keeps logs {d} days", g.name),
                ),
                Some(d) => Outcome::fail(
                    &g.arn,
                    region,
                    format!("retentionInDays={d}"),
                    format!(
                        "log group {} keeps logs only {d} days; at least {min} are needed",
                        g.name
                    ),
                ),
            });
        }
    }
    or_not_applicable(out, "log groups")
}
