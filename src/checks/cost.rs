//! Phase 4 — Cost Optimisation.

use super::Check;
use super::{buckets, or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

const CATALOG: &str = "checks/cost.toml";

pub const CHECKS: &[Check] = &[
    Check::new("COST-01", cost_01_log_expiry, CATALOG).on_plans(),
    Check::new("COST-02", cost_02_storage_tiering, CATALOG),
];

/// COST-01: logs kept forever are paid for forever.
pub fn cost_01_log_expiry(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, logs) in regions(&inv.logs, &mut out) {
        for g in &logs.groups {
            if let Some(o) = super::delivery_class(g, region) {
                out.push(o);
                continue;
            }
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

/// COST-02: old data moves to cheaper storage classes.
pub fn cost_02_storage_tiering(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    buckets::judge_data(inv, config, |b| {
        match &b.lifecycle {
        Collected::Ok(Some(l)) if l.transitions => Outcome::pass(
            &b.arn,
            buckets::region(b),
            "lifecycle transition rule",
            format!("bucket {} moves old objects to cheaper storage", b.name),
        ),
        Collected::Ok(_) => Outcome::fail(
            &b.arn,
            buckets::region(b),
            "no lifecycle transition",
            format!("bucket {} keeps every object in S3 Standard however old: no transition to Intelligent-Tiering or Glacier", b.name),
        ),
        Collected::Error(e) => Outcome::error(&b.arn, e),
    }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    #[test]
    fn delivery_class_log_groups_are_neither_short_nor_endless() {
        use crate::checks::testing::{inventory_at, statuses, REGION};
        use crate::inventory::{Collected, LogGroup, Logs};
        let group = |name: &str, class: Option<&str>| LogGroup {
            created: None,
            arn: format!("arn:aws:logs:{REGION}:111122223333:log-group:{name}"),
            name: name.into(),
            retention_days: None,
            stored_bytes: None,
            kms_key_id: None,
            class: class.map(str::to_owned),
        };
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.logs.insert(
            REGION.into(),
            Collected::Ok(Logs {
                groups: vec![group("vended", Some("DELIVERY")), group("app", None)],
            }),
        );
        let out = cost_01_log_expiry(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable, Status::Fail]);
        let out = crate::checks::monitoring::mon_09_log_retention(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable, Status::Pass]);
    }
}
