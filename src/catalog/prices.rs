//! Prices and the lines of an estimate: the dated price table, its assumptions, and the
//! helpers that turn a quantity into a priced line. Checks use them to say what fixing them
//! costs (`Check::fix_cost`); the assessment's estimate adds the lines up.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::inventory::{Collected, Inventory};

pub const HOURS_PER_MONTH: f64 = 730.0;
pub const GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Whose prices stand in for a region the table lacks.
pub const FALLBACK_REGION: &str = "us-east-1";

/// The embedded price table.
pub(crate) const EMBEDDED: &str = include_str!("../../prices/aws.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    pub date: String,
    pub currency: String,
    pub assumptions: Assumptions,
    pub regions: BTreeMap<String, Prices>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    pub cloudfront_gb_out_per_distribution: f64,
    pub cloudfront_requests_per_distribution: f64,
    pub alb_lcu: f64,
    pub dynamodb_million_writes_per_table: f64,
    pub dynamodb_million_reads_per_table: f64,
    pub s3_gb_per_data_bucket: f64,
    pub log_ingest_gb_per_group: f64,
    pub guardduty_per_region: f64,
    pub versioning_overhead: f64,
    pub cloudtrail_100k_management_events_per_region: f64,
    pub cloudtrail_100k_data_events_per_trail: f64,
    pub nat_gb_per_gateway: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    pub fargate_vcpu_hour: f64,
    pub fargate_gb_hour: f64,
    pub fargate_arm_vcpu_hour: f64,
    pub fargate_arm_gb_hour: f64,
    pub fargate_spot_vcpu_hour: f64,
    pub fargate_spot_gb_hour: f64,
    pub public_ipv4_hour: f64,
    pub nat_gateway_hour: f64,
    pub nat_gateway_gb: f64,
    pub alb_hour: f64,
    pub alb_lcu_hour: f64,
    pub dynamodb_storage_gb_month: f64,
    pub dynamodb_pitr_gb_month: f64,
    pub dynamodb_backup_gb_month: f64,
    pub dynamodb_million_writes: f64,
    pub dynamodb_million_reads: f64,
    pub dynamodb_wcu_hour: f64,
    pub dynamodb_rcu_hour: f64,
    pub dynamodb_ia_storage_gb_month: f64,
    pub s3_standard_gb_month: f64,
    pub cloudfront_gb_out: f64,
    pub cloudfront_million_requests: f64,
    pub waf_web_acl_month: f64,
    pub waf_rule_month: f64,
    pub waf_million_requests: f64,
    pub secret_month: f64,
    pub cloudwatch_alarm_month: f64,
    pub cloudwatch_dashboard_month: f64,
    pub cloudwatch_logs_ingest_gb: f64,
    pub cloudwatch_logs_storage_gb_month: f64,
    pub kms_key_month: f64,
    pub kms_rotation_month: f64,
    pub cloudtrail_100k_paid_management_events: f64,
    pub cloudtrail_100k_data_events: f64,
    pub route53_zone_month: f64,
    pub codepipeline_month: f64,
    pub inter_region_transfer_gb: f64,
}

impl PriceTable {
    pub fn embedded() -> PriceTable {
        Self::parse(EMBEDDED).expect("the embedded price table parses (a unit test checks it)")
    }

    /// The embedded table, parsed once: what rules that name a cost (REC-01…04) price by.
    pub fn embedded_shared() -> &'static PriceTable {
        static TABLE: std::sync::OnceLock<PriceTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(PriceTable::embedded)
    }

    pub fn parse(text: &str) -> Result<PriceTable, String> {
        let table: PriceTable =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        if table.regions.is_empty() {
            return Err("the price table has no [regions.NAME] section".into());
        }
        Ok(table)
    }

    /// The prices of a region, and a note when the table lacks it and us-east-1's stand in.
    pub fn for_region(&self, region: &str) -> (&Prices, Option<String>) {
        match self.regions.get(region) {
            Some(p) => (p, None),
            None => (
                self.regions
                    .get(FALLBACK_REGION)
                    .or_else(|| self.regions.values().next())
                    .expect("a parsed price table has a region"),
                Some(format!(
                    "{region} is not in the price table: {FALLBACK_REGION} prices stand in"
                )),
            ),
        }
    }

    pub fn load(path: &Path) -> Result<PriceTable, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("price table {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("price table {}: {e}", path.display()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    pub item: String,
    pub quantity: f64,
    pub unit: String,
    pub unit_price: f64,
    pub monthly: f64,
    /// What was assumed rather than observed, if anything.
    pub assumption: Option<String>,
    /// Where the quantity comes from.
    #[serde(default)]
    pub basis: Basis,
}

/// Where a line's quantity comes from: CloudWatch's measurement of the last 30 days, the
/// resources the inventory shows, or the price table's assumptions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Measured,
    #[default]
    Inventory,
    Assumed,
}

/// A line whose quantity the inventory shows.
pub fn line(item: impl Into<String>, quantity: f64, unit: &str, unit_price: f64) -> CostLine {
    CostLine {
        item: item.into(),
        quantity,
        unit: unit.to_owned(),
        unit_price,
        monthly: quantity * unit_price,
        assumption: None,
        basis: Basis::Inventory,
    }
}

/// A line whose quantity CloudWatch measured.
pub fn measured(l: CostLine) -> CostLine {
    CostLine {
        basis: Basis::Measured,
        ..l
    }
}

/// A line whose quantity is assumed, and what was assumed.
pub fn assuming(mut l: CostLine, what: impl Into<String>) -> CostLine {
    l.assumption = Some(what.into());
    l.basis = Basis::Assumed;
    l
}

pub fn oks<T>(part: &crate::inventory::Regional<T>) -> impl Iterator<Item = &T> {
    part.values().filter_map(Collected::ok)
}

/// A Fargate task's hourly price from its task definition's CPU units, memory (MiB) and CPU
/// architecture, on demand or on Fargate Spot; and its size, as the line names it. A task
/// definition not read is priced at Fargate's smallest size (0.25 vCPU, 0.5 GB).
pub fn task_hour(
    inv: &Inventory,
    task_definition: Option<&str>,
    p: &Prices,
    spot: bool,
) -> (f64, String) {
    let td = oks(&inv.ecs)
        .flat_map(|e| &e.task_definitions)
        .find(|t| Some(t.arn.as_str()) == task_definition);
    let cpu = td
        .and_then(|t| t.cpu.as_deref())
        .and_then(|c| c.parse::<f64>().ok())
        .unwrap_or(256.0)
        / 1024.0;
    let mem = td
        .and_then(|t| t.memory.as_deref())
        .and_then(|m| m.parse::<f64>().ok())
        .unwrap_or(512.0)
        / 1024.0;
    let arm = td.is_some_and(|t| t.is_arm());
    // Fargate Spot's published prices are x86's; ARM tasks on Spot are priced at them.
    let (vcpu_hour, gb_hour) = match (spot, arm) {
        (true, _) => (p.fargate_spot_vcpu_hour, p.fargate_spot_gb_hour),
        (false, true) => (p.fargate_arm_vcpu_hour, p.fargate_arm_gb_hour),
        (false, false) => (p.fargate_vcpu_hour, p.fargate_gb_hour),
    };
    let arch = if arm { ", ARM64" } else { "" };
    (
        cpu * vcpu_hour + mem * gb_hour,
        format!("{cpu} vCPU, {mem} GB{arch}"),
    )
}

/// The sum of amounts, 0 for none. (`f64`'s `Sum` starts from -0.0, which prints as -0.00.)
pub fn total(amounts: impl IntoIterator<Item = f64>) -> f64 {
    amounts.into_iter().fold(0.0, |sum, a| sum + a)
}
