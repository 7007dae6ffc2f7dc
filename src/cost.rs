//! The monthly cost estimate: the account as it runs now, and what each of the assessment's
//! remediation options adds, itemised as quantity × unit price from a dated price table.
//!
//! Quantities come from the inventory (tasks, CPU and memory, load balancers, tables and
//! their size, alarms, secrets, keys, log storage …). What no API shows (requests, data
//! transfer, a bucket's size) is an assumption from the price table's `[assumptions]`, named in
//! the line that uses it. docs/cost.md lists every price and assumption.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::checks::{buckets, Status};
use crate::config::Config;
use crate::evidence::CheckResult;
use crate::inventory::{Collected, Inventory};

const HOURS_PER_MONTH: f64 = 730.0;
const GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// The remediation options of the assessment, by the checklist sections each one completes.
pub const OPTIONS: &[(&str, &[u8], &[&str])] = &[
    ("Full Production", &[1, 2, 3], &[]),
    ("Production-Lite", &[1, 2], &[]),
    (
        "Enhanced Staging",
        &[],
        &[
            "Remote State",
            "Monitoring & Alerting",
            "Secrets Management",
        ],
    ),
];

/// The embedded price table.
const EMBEDDED: &str = include_str!("../prices/aws.toml");

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    pub fargate_vcpu_hour: f64,
    pub fargate_gb_hour: f64,
    pub alb_hour: f64,
    pub alb_lcu_hour: f64,
    pub dynamodb_storage_gb_month: f64,
    pub dynamodb_pitr_gb_month: f64,
    pub dynamodb_backup_gb_month: f64,
    pub dynamodb_million_writes: f64,
    pub dynamodb_million_reads: f64,
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
    pub route53_zone_month: f64,
    pub codepipeline_month: f64,
    pub inter_region_transfer_gb: f64,
}

impl PriceTable {
    pub fn embedded() -> PriceTable {
        Self::parse(EMBEDDED).expect("the embedded price table parses (a unit test checks it)")
    }

    pub fn parse(text: &str) -> Result<PriceTable, String> {
        let table: PriceTable =
            toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        if table.regions.is_empty() {
            return Err("the price table has no [regions.NAME] section".into());
        }
        Ok(table)
    }

    pub fn load(path: &Path) -> Result<PriceTable, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("price table {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("price table {}: {e}", path.display()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostEstimate {
    pub currency: String,
    pub price_table_date: String,
    /// The region whose prices were used.
    pub region: String,
    /// Set when the scanned region is not in the table and another region's prices stand in.
    pub region_note: Option<String>,
    pub current_monthly: f64,
    pub lines: Vec<CostLine>,
    pub options: Vec<CostOption>,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostOption {
    pub name: String,
    /// The account's cost once the option's failing checks are fixed.
    pub monthly: f64,
    pub added_lines: Vec<CostLine>,
}

fn line(item: impl Into<String>, quantity: f64, unit: &str, unit_price: f64) -> CostLine {
    CostLine {
        item: item.into(),
        quantity,
        unit: unit.to_owned(),
        unit_price,
        monthly: quantity * unit_price,
        assumption: None,
    }
}

fn assuming(mut l: CostLine, what: impl Into<String>) -> CostLine {
    l.assumption = Some(what.into());
    l
}

fn oks<T>(part: &crate::inventory::Regional<T>) -> impl Iterator<Item = &T> {
    part.values().filter_map(Collected::ok)
}

/// A task's hourly price from its task definition's CPU units and memory (MiB).
fn task_hour(inv: &Inventory, task_definition: Option<&str>, p: &Prices) -> (f64, String) {
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
    (
        cpu * p.fargate_vcpu_hour + mem * p.fargate_gb_hour,
        format!("{cpu} vCPU, {mem} GB"),
    )
}

/// One line for the resources CloudWatch measured (`per_unit` converts a measurement to the
/// line's unit) and one for the others, at the assumed quantity each.
fn measured_or_assumed(
    item: &str,
    measured: &[Option<f64>],
    per_unit: f64,
    assumed_each: f64,
    unit: &str,
    price: f64,
    assumption: &str,
) -> Vec<CostLine> {
    let known: Vec<f64> = measured.iter().flatten().copied().collect();
    let unknown = (measured.len() - known.len()) as f64;
    let mut out = Vec::new();
    if !known.is_empty() {
        out.push(line(
            format!("{item}, measured by CloudWatch ({})", known.len()),
            known.iter().sum::<f64>() / per_unit,
            unit,
            price,
        ));
    }
    if unknown > 0.0 {
        out.push(assuming(
            line(
                format!("{item}, not measured ({unknown})"),
                unknown * assumed_each,
                unit,
                price,
            ),
            assumption,
        ));
    }
    out
}

/// Fargate tasks, load balancers, tables, buckets, edge, secrets, monitoring, keys, detectors.
fn current(inv: &Inventory, config: &Config, p: &Prices, a: &Assumptions) -> Vec<CostLine> {
    let mut lines = Vec::new();
    for s in oks(&inv.ecs).flat_map(|e| &e.services) {
        let (hour, size) = task_hour(inv, s.task_definition.as_deref(), p);
        let tasks = f64::from(s.desired_count.max(0));
        lines.push(line(
            format!(
                "ECS Fargate: service {} ({} task(s) of {size})",
                s.name, s.desired_count
            ),
            tasks * HOURS_PER_MONTH,
            "task-hours",
            hour,
        ));
    }
    let albs = oks(&inv.elbv2)
        .flat_map(|e| &e.load_balancers)
        .filter(|l| l.kind == "application")
        .count() as f64;
    if albs > 0.0 {
        lines.push(line(
            "Application Load Balancer hours",
            albs * HOURS_PER_MONTH,
            "ALB-hours",
            p.alb_hour,
        ));
        lines.push(assuming(
            line(
                "Application Load Balancer capacity",
                albs * a.alb_lcu * HOURS_PER_MONTH,
                "LCU-hours",
                p.alb_lcu_hour,
            ),
            format!("{} LCU on average", a.alb_lcu),
        ));
    }
    let tables: Vec<_> = oks(&inv.dynamodb).flat_map(|d| &d.tables).collect();
    if !tables.is_empty() {
        let gb: f64 = tables
            .iter()
            .map(|t| t.size_bytes.unwrap_or(0) as f64 / GB)
            .sum();
        lines.push(line(
            "DynamoDB storage",
            gb,
            "GB-month",
            p.dynamodb_storage_gb_month,
        ));
        let pitr_gb: f64 = tables
            .iter()
            .filter(|t| t.pitr_enabled == Some(true))
            .map(|t| t.size_bytes.unwrap_or(0) as f64 / GB)
            .sum();
        if tables.iter().any(|t| t.pitr_enabled == Some(true)) {
            lines.push(line(
                "DynamoDB point-in-time recovery",
                pitr_gb,
                "GB-month",
                p.dynamodb_pitr_gb_month,
            ));
        }
        let usage: Vec<&crate::inventory::Usage> = oks(&inv.usage).collect();
        let writes: Vec<Option<f64>> = tables
            .iter()
            .map(|t| {
                usage
                    .iter()
                    .find_map(|u| u.table_writes.get(&t.name).copied())
            })
            .collect();
        let reads: Vec<Option<f64>> = tables
            .iter()
            .map(|t| {
                usage
                    .iter()
                    .find_map(|u| u.table_reads.get(&t.name).copied())
            })
            .collect();
        lines.extend(measured_or_assumed(
            "DynamoDB on-demand writes",
            &writes,
            1e6,
            a.dynamodb_million_writes_per_table,
            "million WRU",
            p.dynamodb_million_writes,
            &format!(
                "{}M writes per table per month",
                a.dynamodb_million_writes_per_table
            ),
        ));
        lines.extend(measured_or_assumed(
            "DynamoDB on-demand reads",
            &reads,
            1e6,
            a.dynamodb_million_reads_per_table,
            "million RRU",
            p.dynamodb_million_reads,
            &format!(
                "{}M reads per table per month",
                a.dynamodb_million_reads_per_table
            ),
        ));
    }
    if let Ok(all) = buckets::all(inv) {
        let sizes: Vec<Option<f64>> = all
            .iter()
            .filter(|b| buckets::is_data(b, inv, config))
            .map(|b| oks(&inv.usage).find_map(|u| u.bucket_bytes.get(&b.name).copied()))
            .collect();
        lines.extend(measured_or_assumed(
            "S3 Standard storage (data buckets)",
            &sizes,
            GB,
            a.s3_gb_per_data_bucket,
            "GB-month",
            p.s3_standard_gb_month,
            &format!("{} GB per data bucket", a.s3_gb_per_data_bucket),
        ));
    }
    if let Some(Collected::Ok(cf)) = &inv.cloudfront {
        let n = cf.distributions.len() as f64;
        if n > 0.0 {
            lines.push(assuming(
                line(
                    "CloudFront data transfer out",
                    n * a.cloudfront_gb_out_per_distribution,
                    "GB",
                    p.cloudfront_gb_out,
                ),
                format!(
                    "{} GB per distribution per month",
                    a.cloudfront_gb_out_per_distribution
                ),
            ));
            lines.push(assuming(
                line(
                    "CloudFront HTTPS requests",
                    n * a.cloudfront_requests_per_distribution,
                    "million requests",
                    p.cloudfront_million_requests,
                ),
                format!(
                    "{}M requests per distribution per month",
                    a.cloudfront_requests_per_distribution
                ),
            ));
        }
        if !cf.web_acls.is_empty() {
            let acls = cf.web_acls.len() as f64;
            let rules: usize = cf.web_acls.iter().map(|w| w.rules.len()).sum();
            lines.push(line("WAF web ACLs", acls, "web ACLs", p.waf_web_acl_month));
            lines.push(line("WAF rules", rules as f64, "rules", p.waf_rule_month));
            lines.push(assuming(
                line(
                    "WAF requests",
                    n * a.cloudfront_requests_per_distribution,
                    "million requests",
                    p.waf_million_requests,
                ),
                format!(
                    "{}M requests per distribution per month",
                    a.cloudfront_requests_per_distribution
                ),
            ));
        }
    }
    let secrets = oks(&inv.secretsmanager)
        .map(|s| s.secrets.len())
        .sum::<usize>() as f64;
    if secrets > 0.0 {
        lines.push(line(
            "Secrets Manager secrets",
            secrets,
            "secrets",
            p.secret_month,
        ));
    }
    let alarms = oks(&inv.cloudwatch).map(|c| c.alarms.len()).sum::<usize>() as f64;
    if alarms > 0.0 {
        lines.push(line(
            "CloudWatch alarms",
            alarms,
            "alarms",
            p.cloudwatch_alarm_month,
        ));
    }
    let dashboards = oks(&inv.cloudwatch)
        .map(|c| c.dashboards.len())
        .sum::<usize>() as f64;
    if dashboards > 0.0 {
        lines.push(line(
            "CloudWatch dashboards",
            dashboards,
            "dashboards",
            p.cloudwatch_dashboard_month,
        ));
    }
    let groups: Vec<_> = oks(&inv.logs).flat_map(|l| &l.groups).collect();
    if !groups.is_empty() {
        let stored: f64 = groups
            .iter()
            .map(|g| g.stored_bytes.unwrap_or(0) as f64 / GB)
            .sum();
        lines.push(line(
            "CloudWatch Logs storage",
            stored,
            "GB-month",
            p.cloudwatch_logs_storage_gb_month,
        ));
        lines.push(assuming(
            line(
                "CloudWatch Logs ingestion",
                groups.len() as f64 * a.log_ingest_gb_per_group,
                "GB",
                p.cloudwatch_logs_ingest_gb,
            ),
            format!(
                "{} GB written per log group per month",
                a.log_ingest_gb_per_group
            ),
        ));
    }
    let keys = oks(&inv.kms)
        .flat_map(|k| &k.keys)
        .filter(|k| {
            k.manager.as_deref() == Some("CUSTOMER") && k.state.as_deref() == Some("Enabled")
        })
        .count() as f64;
    if keys > 0.0 {
        lines.push(line(
            "KMS customer-managed keys",
            keys,
            "keys",
            p.kms_key_month,
        ));
    }
    let detectors = oks(&inv.guardduty)
        .flat_map(|g| &g.detectors)
        .filter(|d| d.status.as_deref() == Some("ENABLED"))
        .count() as f64;
    if detectors > 0.0 {
        lines.push(assuming(
            line("GuardDuty", detectors, "regions", a.guardduty_per_region),
            format!(
                "{} USD per region for a small account's event volume",
                a.guardduty_per_region
            ),
        ));
    }
    if let Some(Collected::Ok(r53)) = &inv.route53 {
        if !r53.zones.is_empty() {
            lines.push(line(
                "Route 53 hosted zones",
                r53.zones.len() as f64,
                "zones",
                p.route53_zone_month,
            ));
        }
    }
    let pipelines = oks(&inv.codepipeline)
        .map(|c| c.pipelines.len())
        .sum::<usize>() as f64;
    if pipelines > 0.0 {
        lines.push(line(
            "CodePipeline pipelines",
            pipelines,
            "pipelines",
            p.codepipeline_month,
        ));
    }
    lines
}

/// What fixing one failing check adds to the bill. Checks whose fix costs nothing add no line.
fn fix(
    check: &CheckResult,
    inv: &Inventory,
    config: &Config,
    p: &Prices,
    a: &Assumptions,
) -> Vec<CostLine> {
    let failing = check.failed as f64;
    let alarms = |per: f64, what: &str| {
        vec![line(
            format!("{}: {what}", check.check_id),
            failing * per,
            "alarms",
            p.cloudwatch_alarm_month,
        )]
    };
    let tables: Vec<_> = oks(&inv.dynamodb)
        .flat_map(|d| &d.tables)
        .filter(|t| !crate::checks::is_lock_table(t, config))
        .collect();
    let table_gb: f64 = tables
        .iter()
        .map(|t| t.size_bytes.unwrap_or(0) as f64 / GB)
        .sum();
    match check.check_id.as_str() {
        "HA-01" => {
            let min = config.thresholds.min_desired_count;
            oks(&inv.ecs)
                .flat_map(|e| &e.services)
                .filter(|s| s.desired_count < min)
                .map(|s| {
                    let (hour, size) = task_hour(inv, s.task_definition.as_deref(), p);
                    let extra = f64::from(min - s.desired_count);
                    line(
                        format!("HA-01: {} more task(s) of {} ({size})", extra, s.name),
                        extra * HOURS_PER_MONTH,
                        "task-hours",
                        hour,
                    )
                })
                .collect()
        }
        "HA-03" => vec![
            line(
                "HA-03: an Application Load Balancer",
                HOURS_PER_MONTH,
                "ALB-hours",
                p.alb_hour,
            ),
            assuming(
                line(
                    "HA-03: its capacity",
                    a.alb_lcu * HOURS_PER_MONTH,
                    "LCU-hours",
                    p.alb_lcu_hour,
                ),
                format!("{} LCU on average", a.alb_lcu),
            ),
        ],
        "MON-01" => alarms(2.0, "CPU and memory alarms per service"),
        "MON-02" | "MON-03" | "MON-04" | "MON-05" | "MON-06" => {
            alarms(1.0, "one alarm per resource")
        }
        "MON-08" => vec![line(
            "MON-08: a dashboard",
            1.0,
            "dashboards",
            p.cloudwatch_dashboard_month,
        )],
        "SEC-01" => {
            let names: std::collections::BTreeSet<&str> = oks(&inv.ecs)
                .flat_map(|e| &e.task_definitions)
                .flat_map(|t| &t.containers)
                .flat_map(|c| &c.environment)
                .filter(|n| config.secrets.looks_secret(n))
                .map(String::as_str)
                .collect();
            vec![line(
                "SEC-01: secrets moved to Secrets Manager",
                names.len().max(1) as f64,
                "secrets",
                p.secret_month,
            )]
        }
        "BAK-01" => vec![line(
            "BAK-01: point-in-time recovery",
            table_gb,
            "GB-month",
            p.dynamodb_pitr_gb_month,
        )],
        "BAK-02" => vec![assuming(
            line(
                "BAK-02: AWS Backup storage",
                table_gb * config.thresholds.backup_retention_days as f64,
                "GB-month",
                p.dynamodb_backup_gb_month,
            ),
            format!(
                "a daily full backup kept {} days",
                config.thresholds.backup_retention_days
            ),
        )],
        "BAK-04" => vec![assuming(
            line(
                "BAK-04: versions kept",
                failing * a.s3_gb_per_data_bucket * a.versioning_overhead,
                "GB-month",
                p.s3_standard_gb_month,
            ),
            format!(
                "{} % more storage per bucket",
                a.versioning_overhead * 100.0
            ),
        )],
        "BAK-06" => {
            let data_buckets = buckets::all(inv)
                .map(|all| {
                    all.iter()
                        .filter(|b| buckets::is_data(b, inv, config))
                        .count()
                })
                .unwrap_or(0) as f64;
            let writes = tables.len() as f64 * a.dynamodb_million_writes_per_table;
            vec![
                line(
                    "BAK-06: table replica storage",
                    table_gb,
                    "GB-month",
                    p.dynamodb_storage_gb_month,
                ),
                assuming(
                    line(
                        "BAK-06: replicated writes",
                        writes,
                        "million rWRU",
                        p.dynamodb_million_writes,
                    ),
                    format!(
                        "{}M writes per table per month",
                        a.dynamodb_million_writes_per_table
                    ),
                ),
                assuming(
                    line(
                        "BAK-06: bucket replica storage",
                        data_buckets * a.s3_gb_per_data_bucket,
                        "GB-month",
                        p.s3_standard_gb_month,
                    ),
                    format!("{} GB per data bucket", a.s3_gb_per_data_bucket),
                ),
                assuming(
                    line(
                        "BAK-06: replication transfer",
                        data_buckets * a.s3_gb_per_data_bucket,
                        "GB",
                        p.inter_region_transfer_gb,
                    ),
                    "each bucket's data copied once a month",
                ),
            ]
        }
        "HARD-01" => vec![
            line(
                "HARD-01: a WAF web ACL per distribution",
                failing,
                "web ACLs",
                p.waf_web_acl_month,
            ),
            line(
                "HARD-01: two managed rule groups each",
                failing * 2.0,
                "rules",
                p.waf_rule_month,
            ),
            assuming(
                line(
                    "HARD-01: WAF requests",
                    failing * a.cloudfront_requests_per_distribution,
                    "million requests",
                    p.waf_million_requests,
                ),
                format!(
                    "{}M requests per distribution per month",
                    a.cloudfront_requests_per_distribution
                ),
            ),
        ],
        "HARD-02" => vec![line(
            "HARD-02: a rate-based rule",
            failing,
            "rules",
            p.waf_rule_month,
        )],
        "HARD-03" | "HARD-04" => vec![line(
            "KMS: a customer-managed key",
            1.0,
            "keys",
            p.kms_key_month,
        )],
        "HARD-05" => vec![line(
            "HARD-05: rotated key material (first two rotations)",
            failing,
            "keys",
            p.kms_key_month,
        )],
        "HARD-08" => vec![assuming(
            line(
                "HARD-08: GuardDuty",
                failing,
                "regions",
                a.guardduty_per_region,
            ),
            format!(
                "{} USD per region for a small account",
                a.guardduty_per_region
            ),
        )],
        "CICD-01" => vec![line(
            "CICD-01: a CodePipeline pipeline",
            1.0,
            "pipelines",
            p.codepipeline_month,
        )],
        _ => Vec::new(),
    }
}

pub fn estimate(
    inv: &Inventory,
    checks: &[CheckResult],
    config: &Config,
    table: &PriceTable,
) -> CostEstimate {
    let primary = inv
        .regions
        .first()
        .cloned()
        .unwrap_or_else(|| "us-east-1".into());
    let (region, region_note) = if table.regions.contains_key(&primary) {
        (primary, None)
    } else {
        (
            "us-east-1".to_owned(),
            Some(format!(
                "{primary} is not in the price table: us-east-1 prices stand in"
            )),
        )
    };
    let p = &table.regions[&region];
    let lines = current(inv, config, p, &table.assumptions);
    let current_monthly = lines.iter().map(|l| l.monthly).sum();
    let options = OPTIONS
        .iter()
        .map(|(name, phases, sections)| {
            let mut added: Vec<CostLine> = Vec::new();
            for c in checks.iter().filter(|c| {
                !matches!(c.status, Status::Pass | Status::NotApplicable)
                    && (phases.contains(&c.phase) || sections.contains(&c.section.as_str()))
            }) {
                for l in fix(c, inv, config, p, &table.assumptions) {
                    // One key serves both encryption checks.
                    if !added.iter().any(|a| a.item == l.item) {
                        added.push(l);
                    }
                }
            }
            CostOption {
                name: name.to_string(),
                monthly: current_monthly + added.iter().map(|l| l.monthly).sum::<f64>(),
                added_lines: added,
            }
        })
        .collect();
    CostEstimate {
        currency: table.currency.clone(),
        price_table_date: table.date.clone(),
        region,
        region_note,
        current_monthly,
        lines,
        options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_covers_the_promised_regions() {
        let t = PriceTable::embedded();
        for r in ["us-east-1", "eu-west-1", "eu-central-1", "us-west-2"] {
            assert!(t.regions.contains_key(r), "{r}");
        }
        assert_eq!(t.currency, "USD");
    }

    #[test]
    fn a_malformed_price_table_names_the_key() {
        let err = PriceTable::parse(
            "date = \"x\"\ncurrency = \"USD\"\n[assumptions]\nalb_lcu = \"one\"\n",
        )
        .unwrap_err();
        assert!(err.contains("alb_lcu") || err.contains("line 4"), "{err}");
    }

    #[test]
    fn every_price_and_assumption_is_documented() {
        let doc = include_str!("../docs/cost.md");
        let t = toml::from_str::<toml::Table>(EMBEDDED).unwrap();
        let keys = t["assumptions"]
            .as_table()
            .unwrap()
            .keys()
            .chain(t["regions"]["us-east-1"].as_table().unwrap().keys());
        for key in keys {
            assert!(
                doc.contains(&format!("`{key}`")),
                "docs/cost.md does not explain {key}"
            );
        }
    }

    #[test]
    fn an_unknown_region_uses_us_east_1_prices_and_says_so() {
        let inv = Inventory {
            regions: vec!["ap-southeast-2".into()],
            ..Inventory::default()
        };
        let e = estimate(&inv, &[], &Config::default(), &PriceTable::embedded());
        assert_eq!(e.region, "us-east-1");
        assert!(e.region_note.unwrap().contains("ap-southeast-2"));
        assert_eq!(e.current_monthly, 0.0);
    }
}
