//! The cheapest change from the catalog that would bring a component within its target:
//! each candidate's estimate after the change, by the same rules, and its monthly cost at the
//! embedded list prices of the component's region.

use super::estimates::{
    replacement_minutes, restore_minutes, watch, GLOBAL_TABLE_LAG_MIN, PITR_LAG_MIN,
    REPLICATION_LAG_MIN, START_WINDOW_MIN, SWITCH_MIN, VERSIONS_RESTORE_MIN,
};
use super::{Component, Disruption, Kind, Span};
use crate::catalog::prices::{oks, task_hour, PriceTable, Prices, GB, HOURS_PER_MONTH};
use crate::checks::CheckId;
use crate::checks::{backup, ha};
use crate::config::{Config, Target};
use crate::inventory::Inventory;

/// A change: the check whose fix it is, the estimate after it, its monthly cost.
struct Candidate {
    check: CheckId,
    rto: Span,
    rpo: Span,
    monthly: f64,
}

/// "cheapest change that meets it: <title> (<id>), about $X a month", or that none does.
pub fn cheapest(
    inv: &Inventory,
    config: &Config,
    c: &Component,
    d: Disruption,
    t: &Target,
) -> String {
    let table = PriceTable::embedded_shared();
    let (prices, _) = table.for_region(&c.region);
    let mut meeting: Vec<Candidate> = candidates(inv, config, c, d, prices)
        .into_iter()
        .filter(|k| {
            k.rto.meets(t.rto_minutes) == Some(true) && k.rpo.meets(t.rpo_minutes) == Some(true)
        })
        .collect();
    meeting.sort_by(|a, b| a.monthly.total_cmp(&b.monthly));
    match meeting.first() {
        Some(k) => {
            let title = crate::catalog::catalog()
                .get(k.check.as_str())
                .map_or("", |s| s.title.as_str());
            let cost = if k.monthly < 0.005 {
                "at no added monthly cost at list prices".to_owned()
            } else {
                format!(
                    "about {:.2} {} a month at list prices",
                    k.monthly, table.currency
                )
            };
            format!(
                "cheapest change that meets the target: {title} ({}), {cost}",
                k.check
            )
        }
        None => "no single change in the catalog meets the target".into(),
    }
}

fn candidates(
    inv: &Inventory,
    config: &Config,
    c: &Component,
    d: Disruption,
    p: &Prices,
) -> Vec<Candidate> {
    let a = &PriceTable::embedded_shared().assumptions;
    let table = || {
        oks(&inv.dynamodb)
            .flat_map(|d| &d.tables)
            .find(|t| t.arn == c.resource_arn)
    };
    let gb = table().and_then(|t| t.size_bytes).unwrap_or(0) as f64 / GB;
    let restore = table().map_or(0.0, |t| restore_minutes(t).0);
    let pair = |rto: f64, rpo: f64| (Span::minutes(rto), Span::minutes(rpo));
    let candidate = |check: CheckId, (rto, rpo): (Span, Span), monthly: f64| Candidate {
        check,
        rto,
        rpo,
        monthly,
    };
    match (c.kind, d) {
        (Kind::Service, Disruption::Task) => vec![candidate(
            ha::HA_01.id,
            pair(0.0, 0.0),
            extra_tasks(inv, config, c, p),
        )],
        (Kind::Service, Disruption::Zone) => {
            let s = service(inv, c);
            let lone = s.is_some_and(|s| !s.is_daemon() && s.desired_count < 2);
            let rto = match s.map(|s| watch(inv, &c.region, s)) {
                Some(Ok(w)) if lone => Span::minutes(replacement_minutes(&w)),
                Some(Err(reason)) if lone => Span::Unknown { reason },
                _ => Span::minutes(0.0),
            };
            vec![candidate(
                ha::HA_05.id,
                (rto, Span::minutes(0.0)),
                private_nat(inv, c, p),
            )]
        }
        (Kind::Table, Disruption::Region) => vec![candidate(
            backup::BAK_06.id,
            pair(GLOBAL_TABLE_LAG_MIN, GLOBAL_TABLE_LAG_MIN),
            gb * p.dynamodb_storage_gb_month
                + a.dynamodb_million_writes_per_table * p.dynamodb_million_writes,
        )],
        (Kind::Table, Disruption::Data) => vec![
            candidate(
                backup::BAK_01.id,
                pair(restore, PITR_LAG_MIN),
                gb * p.dynamodb_pitr_gb_month,
            ),
            candidate(
                backup::BAK_02.id,
                pair(restore, 24.0 * 60.0 + START_WINDOW_MIN),
                gb * config.thresholds.backup_retention_days as f64 * p.dynamodb_backup_gb_month,
            ),
        ],
        (Kind::Bucket, Disruption::Region) => vec![candidate(
            backup::BAK_06.id,
            pair(SWITCH_MIN, REPLICATION_LAG_MIN),
            a.s3_gb_per_data_bucket * (p.s3_standard_gb_month + p.inter_region_transfer_gb),
        )],
        (Kind::Bucket, Disruption::Data) => vec![candidate(
            backup::BAK_04.id,
            pair(VERSIONS_RESTORE_MIN, 0.0),
            a.s3_gb_per_data_bucket * a.versioning_overhead * p.s3_standard_gb_month,
        )],
        _ => Vec::new(),
    }
}

fn service<'a>(inv: &'a Inventory, c: &Component) -> Option<&'a crate::inventory::EcsService> {
    oks(&inv.ecs)
        .flat_map(|e| &e.services)
        .find(|s| s.arn == c.resource_arn)
}

/// The tasks HA-01 adds to the service (up to `min_desired_count`), a month.
fn extra_tasks(inv: &Inventory, config: &Config, c: &Component, p: &Prices) -> f64 {
    let s = service(inv, c);
    let min = config.thresholds.min_desired_count.max(2);
    let missing = s.map_or(1, |s| (min - s.desired_count).max(1));
    let td = s.and_then(|s| s.task_definition.as_deref());
    f64::from(missing) * task_hour(inv, td, p, false).0 * HOURS_PER_MONTH
}

/// A NAT gateway in the new zone for a service without public addresses, a month.
fn private_nat(inv: &Inventory, c: &Component, p: &Prices) -> f64 {
    let public = service(inv, c).is_some_and(|s| s.assign_public_ip == Some(true));
    if public {
        0.0
    } else {
        (p.nat_gateway_hour + p.public_ipv4_hour) * HOURS_PER_MONTH
    }
}
