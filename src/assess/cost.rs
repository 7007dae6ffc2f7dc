//! The monthly cost estimate: the account as it runs now, and what each of the assessment's
//! remediation options adds, itemised as quantity × unit price from a dated price table.
//!
//! Quantities come from the inventory (tasks, CPU and memory, load balancers, tables and
//! their size, alarms, secrets, keys, log storage …). What no API shows (requests, data
//! transfer, a bucket's size) is an assumption from the price table's `[assumptions]`, named in
//! the line that uses it. docs/cost.md lists every price and assumption.

use serde::{Deserialize, Serialize};

use crate::catalog::prices::{assuming, line, oks, task_hour, total, GB, HOURS_PER_MONTH};
pub use crate::catalog::prices::{Assumptions, CostLine, PriceTable, Prices};
use crate::checks::CheckResult;
use crate::checks::FixInput;
use crate::checks::{buckets, Status};
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

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
pub struct CostOption {
    pub name: String,
    /// The account's cost once the option's failing checks are fixed.
    pub monthly: f64,
    pub added_lines: Vec<CostLine>,
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

/// The account as it runs now, priced.
fn current(inv: &Inventory, config: &Config, p: &Prices, a: &Assumptions) -> Vec<CostLine> {
    let mut lines = Vec::new();
    compute(&mut lines, inv, p, a);
    tables(&mut lines, inv, p, a);
    data_buckets(&mut lines, inv, config, p, a);
    edge(&mut lines, inv, p, a);
    monitoring(&mut lines, inv, p, a);
    account_wide(&mut lines, inv, p, a);
    lines
}

/// Fargate tasks at their task definitions' size, and Application Load Balancers.
fn compute(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
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
        .filter(|l| l.is_application())
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
}

/// DynamoDB storage, PITR, and on-demand requests (measured where CloudWatch has them).
fn tables(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
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
}

/// S3 Standard storage of the data buckets (measured where CloudWatch has it).
fn data_buckets(
    lines: &mut Vec<CostLine>,
    inv: &Inventory,
    config: &Config,
    p: &Prices,
    a: &Assumptions,
) {
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
}

/// CloudFront transfer and requests, and the WAF in front of it.
fn edge(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
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
}

/// Secrets, alarms, dashboards and log storage and ingestion.
fn monitoring(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
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
}

/// Customer-managed keys, GuardDuty, hosted zones and pipelines.
fn account_wide(lines: &mut Vec<CostLine>, inv: &Inventory, p: &Prices, a: &Assumptions) {
    let keys = oks(&inv.kms)
        .flat_map(|k| &k.keys)
        .filter(|k| k.is_customer_managed() && k.is_enabled())
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
        .filter(|d| d.is_enabled())
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
}

/// What fixing one failing check adds to the bill, as its declaration says.
fn fix_cost(
    check: &CheckResult,
    inv: &Inventory,
    config: &Config,
    prices: &Prices,
    assumptions: &Assumptions,
) -> Vec<CostLine> {
    let Some(declared) = crate::checks::find(&check.check_id) else {
        return Vec::new();
    };
    let Some(cost) = declared.fix_cost else {
        return Vec::new();
    };
    cost(&FixInput {
        id: declared.id,
        failing: check.failed as f64,
        inv,
        config,
        prices,
        assumptions,
    })
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
    let current_monthly = total(lines.iter().map(|l| l.monthly));
    let options = OPTIONS
        .iter()
        .map(|(name, phases, sections)| {
            let mut added: Vec<CostLine> = Vec::new();
            for c in checks.iter().filter(|c| {
                !matches!(c.status, Status::Pass | Status::NotApplicable)
                    && (phases.contains(&c.phase) || sections.contains(&c.section.as_str()))
            }) {
                for l in fix_cost(c, inv, config, p, &table.assumptions) {
                    // One key serves both encryption checks.
                    if !added.iter().any(|a| a.item == l.item) {
                        added.push(l);
                    }
                }
            }
            CostOption {
                name: name.to_string(),
                monthly: current_monthly + total(added.iter().map(|l| l.monthly)),
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
        let doc = include_str!("../../docs/cost.md");
        let t = toml::from_str::<toml::Table>(crate::catalog::prices::EMBEDDED).unwrap();
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
        assert_eq!(format!("{:.2}", e.current_monthly), "0.00");
    }
}
