//! The account as it runs now, priced line by line at each resource's own region's prices.
//!
//! Quantities come from the inventory (tasks and where they run, load balancers and their
//! zones, public addresses, tables and their capacity, keys, trails …) or from CloudWatch's
//! measurement of the last 30 days; what neither shows is an assumption of the price table,
//! named in the line that uses it. What is billed but not priced is listed, not guessed.

use crate::catalog::prices::{
    assuming, line, oks, task_hour, Assumptions, PriceTable, Prices, GB, HOURS_PER_MONTH,
};
use crate::checks::buckets;
use crate::config::Config;
use crate::inventory::{Collected, Inventory, Regional};

use super::activity::{self, Activity, Usage};
use super::pricer::{primary, Current, Pricer};

/// The regions of a part that were read, with their value.
fn read<T>(part: &Regional<T>) -> impl Iterator<Item = (&str, &T)> {
    part.iter()
        .filter_map(|(r, c)| c.ok().map(|v| (r.as_str(), v)))
}

pub fn price(inv: &Inventory, config: &Config, table: &PriceTable) -> Current {
    let mut p = Pricer::new(table, inv);
    let a = &table.assumptions;
    for (region, _) in read(&inv.ecs) {
        services(&mut p, inv, region);
    }
    load_balancers(&mut p, inv, a);
    nat_gateways(&mut p, inv, a);
    public_addresses(&mut p, inv);
    for (region, d) in read(&inv.dynamodb) {
        tables(&mut p, inv, region, &d.tables, a);
    }
    data_buckets(&mut p, inv, config, a);
    let global = p.at(primary(inv));
    super::edge::price(&mut p.out.lines, inv, global, a);
    monitoring(&mut p, inv);
    log_groups(&mut p, inv, a);
    super::account::price(&mut p, inv, a);
    p.out
}

/// Each service's tasks where they run: Fargate on demand or Spot, by architecture; tasks on
/// the account's own instances are billed as those instances, which the scan does not read.
fn services(p: &mut Pricer, inv: &Inventory, region: &str) {
    let prices = p.at(region);
    let Some(ecs) = inv.ecs.get(region).and_then(Collected::ok) else {
        return;
    };
    for s in &ecs.services {
        let placed = s.placement();
        for (tasks, spot, kind) in [
            (placed.fargate, false, "ECS Fargate"),
            (placed.fargate_spot, true, "ECS Fargate Spot"),
        ] {
            if tasks > 0.0 {
                let (hour, size) = task_hour(inv, s.task_definition.as_deref(), prices, spot);
                let item = format!("{kind}: service {} ({tasks} task(s) of {size})", s.name);
                p.push(line(
                    p.name(item, region),
                    tasks * HOURS_PER_MONTH,
                    "task-hours",
                    hour,
                ));
            }
        }
        if placed.elsewhere > 0.0 {
            p.not_priced(format!(
                "ECS service {} ({region}): {} task(s) on EC2 or external capacity, billed as those instances",
                s.name, placed.elsewhere
            ));
        }
    }
}

/// Application Load Balancers' hours and assumed capacity; the other kinds are named.
fn load_balancers(p: &mut Pricer, inv: &Inventory, a: &Assumptions) {
    for (region, elbv2) in read(&inv.elbv2) {
        let prices = p.at(region);
        let albs = elbv2
            .load_balancers
            .iter()
            .filter(|l| l.is_application())
            .count() as f64;
        if albs > 0.0 {
            p.push(line(
                p.name("Application Load Balancer hours", region),
                albs * HOURS_PER_MONTH,
                "ALB-hours",
                prices.alb_hour,
            ));
            p.push(assuming(
                line(
                    p.name("Application Load Balancer capacity", region),
                    albs * a.alb_lcu * HOURS_PER_MONTH,
                    "LCU-hours",
                    prices.alb_lcu_hour,
                ),
                format!("{} LCU on average", a.alb_lcu),
            ));
        }
        for lb in elbv2.load_balancers.iter().filter(|l| !l.is_application()) {
            p.not_priced(format!(
                "{} load balancer {} ({region}): its hours and capacity units",
                lb.kind, lb.name
            ));
        }
    }
}

/// NAT gateways: by the hour from creation until deleted, and by the GB they process (as
/// CloudWatch measured it, else assumed: a gateway's metrics say nothing of an idle month).
fn nat_gateways(p: &mut Pricer, inv: &Inventory, a: &Assumptions) {
    for (region, nat) in read(&inv.nat_gateways) {
        let billed: Vec<_> = nat.billed().collect();
        if billed.is_empty() {
            continue;
        }
        let prices = p.at(region);
        p.push(line(
            p.name(format!("NAT gateways ({})", billed.len()), region),
            billed.len() as f64 * HOURS_PER_MONTH,
            "gateway-hours",
            prices.nat_gateway_hour,
        ));
        let usage = inv.usage.get(region).and_then(Collected::ok);
        let activities: Vec<Activity> = billed
            .iter()
            .map(
                |g| match usage.and_then(|u| u.nat_processed_bytes.get(&g.id).copied()) {
                    Some(bytes) => Activity::Measured(bytes),
                    None => Activity::Unknown,
                },
            )
            .collect();
        let item = p.name("NAT gateway data processed", region);
        let assumption = format!("{} GB per gateway per month", a.nat_gb_per_gateway);
        let usage = Usage {
            item: &item,
            per_unit: GB,
            assumed_each: a.nat_gb_per_gateway,
            unit: "GB",
            price: prices.nat_gateway_gb,
            assumption: &assumption,
        };
        for l in usage.lines(&activities) {
            p.push(l);
        }
    }
}

/// Public IPv4 addresses, billed by the hour whether in use or idle (Amazon VPC pricing): an
/// internet-facing load balancer's, one per zone it is enabled in (at least: an ALB can
/// add nodes), a public NAT gateway's, and each Fargate task given a public IP.
fn public_addresses(p: &mut Pricer, inv: &Inventory) {
    for region in &inv.regions {
        let zones: usize = inv
            .elbv2
            .get(region)
            .and_then(Collected::ok)
            .map(|e| {
                e.load_balancers
                    .iter()
                    .filter(|l| l.scheme.as_deref() == Some("internet-facing") && !l.is_gateway())
                    .map(|l| l.availability_zones.len())
                    .sum()
            })
            .unwrap_or(0);
        let tasks: f64 = inv
            .ecs
            .get(region)
            .and_then(Collected::ok)
            .map(|e| {
                crate::catalog::prices::total(
                    e.services
                        .iter()
                        .filter(|s| s.assign_public_ip == Some(true))
                        .map(|s| {
                            let placed = s.placement();
                            placed.fargate + placed.fargate_spot
                        }),
                )
            })
            .unwrap_or(0.0);
        let gateways: usize = inv
            .nat_gateways
            .get(region)
            .and_then(Collected::ok)
            .map(|n| n.billed().map(|g| g.public_ips).sum())
            .unwrap_or(0);
        let addresses = (zones + gateways) as f64 + tasks;
        if addresses > 0.0 {
            let prices = p.at(region);
            let item = format!(
                "Public IPv4 addresses (internet-facing load balancers' zones: {zones}, NAT gateways: {gateways}, tasks: {tasks})"
            );
            p.push(line(
                p.name(item, region),
                addresses * HOURS_PER_MONTH,
                "address-hours",
                prices.public_ipv4_hour,
            ));
        }
    }
}

/// DynamoDB storage (by table class), PITR, and requests: provisioned capacity by the hour,
/// on-demand requests as CloudWatch measured them.
fn tables(
    p: &mut Pricer,
    inv: &Inventory,
    region: &str,
    tables: &[crate::inventory::Table],
    a: &Assumptions,
) {
    if tables.is_empty() {
        return;
    }
    let prices = p.at(region);
    let gb = |f: &dyn Fn(&&crate::inventory::Table) -> bool| -> f64 {
        crate::catalog::prices::total(
            tables
                .iter()
                .filter(f)
                .map(|t| t.size_bytes.unwrap_or(0) as f64 / GB),
        )
    };
    let standard = gb(&|t| !t.is_infrequent_access());
    p.push(line(
        p.name("DynamoDB storage", region),
        standard,
        "GB-month",
        prices.dynamodb_storage_gb_month,
    ));
    if tables.iter().any(|t| t.is_infrequent_access()) {
        p.push(line(
            p.name("DynamoDB storage, Standard-IA tables", region),
            gb(&|t| t.is_infrequent_access()),
            "GB-month",
            prices.dynamodb_ia_storage_gb_month,
        ));
    }
    if tables.iter().any(|t| t.pitr_enabled == Some(true)) {
        p.push(line(
            p.name("DynamoDB point-in-time recovery", region),
            gb(&|t| t.pitr_enabled == Some(true)),
            "GB-month",
            prices.dynamodb_pitr_gb_month,
        ));
    }
    provisioned_capacity(p, region, tables, prices);
    on_demand_requests(p, inv, region, tables, prices, a);
}

fn provisioned_capacity(
    p: &mut Pricer,
    region: &str,
    tables: &[crate::inventory::Table],
    prices: &Prices,
) {
    let provisioned: Vec<_> = tables.iter().filter(|t| t.is_provisioned()).collect();
    if provisioned.is_empty() {
        return;
    }
    let units = |f: fn(&crate::inventory::Table) -> Option<i64>| -> f64 {
        provisioned.iter().map(|t| f(t).unwrap_or(0) as f64).sum()
    };
    let n = provisioned.len();
    p.push(line(
        p.name(format!("DynamoDB provisioned writes ({n} tables)"), region),
        units(|t| t.provisioned_writes) * HOURS_PER_MONTH,
        "WCU-hours",
        prices.dynamodb_wcu_hour,
    ));
    p.push(line(
        p.name(format!("DynamoDB provisioned reads ({n} tables)"), region),
        units(|t| t.provisioned_reads) * HOURS_PER_MONTH,
        "RCU-hours",
        prices.dynamodb_rcu_hour,
    ));
}

fn on_demand_requests(
    p: &mut Pricer,
    inv: &Inventory,
    region: &str,
    tables: &[crate::inventory::Table],
    prices: &Prices,
    a: &Assumptions,
) {
    let on_demand: Vec<_> = tables.iter().filter(|t| !t.is_provisioned()).collect();
    if on_demand.is_empty() {
        return;
    }
    let usage = inv.usage.get(region).and_then(Collected::ok);
    let activity =
        |of: fn(&crate::inventory::Usage) -> &std::collections::BTreeMap<String, f64>| {
            on_demand
                .iter()
                .map(|t| {
                    let measured = usage.and_then(|u| of(u).get(&t.name).copied());
                    activity::of(inv, measured, usage.is_some(), t.created.as_deref())
                })
                .collect::<Vec<Activity>>()
        };
    let writes = p.name("DynamoDB on-demand writes", region);
    let reads = p.name("DynamoDB on-demand reads", region);
    let write_assumption = format!(
        "{}M writes per table per month",
        a.dynamodb_million_writes_per_table
    );
    let read_assumption = format!(
        "{}M reads per table per month",
        a.dynamodb_million_reads_per_table
    );
    for (usage, activities) in [
        (
            Usage {
                item: &writes,
                per_unit: 1e6,
                assumed_each: a.dynamodb_million_writes_per_table,
                unit: "million WRU",
                price: prices.dynamodb_million_writes,
                assumption: &write_assumption,
            },
            activity(|u| &u.table_writes),
        ),
        (
            Usage {
                item: &reads,
                per_unit: 1e6,
                assumed_each: a.dynamodb_million_reads_per_table,
                unit: "million RRU",
                price: prices.dynamodb_million_reads,
                assumption: &read_assumption,
            },
            activity(|u| &u.table_reads),
        ),
    ] {
        for l in usage.lines(&activities) {
            p.push(l);
        }
    }
}

/// S3 Standard storage of the data buckets, at each bucket's region's price (measured where
/// CloudWatch has it; a bucket's size is a daily metric, so none is ever idle).
fn data_buckets(p: &mut Pricer, inv: &Inventory, config: &Config, a: &Assumptions) {
    let Ok(all) = buckets::all(inv) else { return };
    let data: Vec<_> = all
        .iter()
        .filter(|b| buckets::is_data(b, inv, config))
        .collect();
    let mut regions: Vec<&str> = data
        .iter()
        .map(|b| b.region.as_deref().unwrap_or(primary(inv)))
        .collect();
    regions.sort_unstable();
    regions.dedup();
    for region in regions {
        let prices = p.at(region);
        let activities: Vec<Activity> = data
            .iter()
            .filter(|b| b.region.as_deref().unwrap_or(primary(inv)) == region)
            .map(
                |b| match oks(&inv.usage).find_map(|u| u.bucket_bytes.get(&b.name).copied()) {
                    Some(bytes) => Activity::Measured(bytes),
                    None => Activity::Unknown,
                },
            )
            .collect();
        let item = p.name("S3 Standard storage (data buckets)", region);
        let assumption = format!("{} GB per data bucket", a.s3_gb_per_data_bucket);
        let usage = Usage {
            item: &item,
            per_unit: GB,
            assumed_each: a.s3_gb_per_data_bucket,
            unit: "GB-month",
            price: prices.s3_standard_gb_month,
            assumption: &assumption,
        };
        for l in usage.lines(&activities) {
            p.push(l);
        }
    }
}

/// Secrets, alarms and dashboards, per region.
fn monitoring(p: &mut Pricer, inv: &Inventory) {
    for region in &inv.regions {
        let prices = p.at(region);
        let count = |n: Option<usize>| n.unwrap_or(0) as f64;
        let secrets = count(
            inv.secretsmanager
                .get(region)
                .and_then(Collected::ok)
                .map(|s| s.secrets.len()),
        );
        let cw = inv.cloudwatch.get(region).and_then(Collected::ok);
        let alarms = count(cw.map(|c| c.alarms.len()));
        let dashboards = count(cw.map(|c| c.dashboards.len()));
        for (item, n, unit, price) in [
            (
                "Secrets Manager secrets",
                secrets,
                "secrets",
                prices.secret_month,
            ),
            (
                "CloudWatch alarms",
                alarms,
                "alarms",
                prices.cloudwatch_alarm_month,
            ),
            (
                "CloudWatch dashboards",
                dashboards,
                "dashboards",
                prices.cloudwatch_dashboard_month,
            ),
        ] {
            if n > 0.0 {
                p.push(line(p.name(item, region), n, unit, price));
            }
        }
    }
}

/// Log storage from `storedBytes`, and ingestion as CloudWatch measured it.
fn log_groups(p: &mut Pricer, inv: &Inventory, a: &Assumptions) {
    for (region, logs) in read(&inv.logs) {
        if logs.groups.is_empty() {
            continue;
        }
        let prices = p.at(region);
        let stored = crate::catalog::prices::total(
            logs.groups
                .iter()
                .map(|g| g.stored_bytes.unwrap_or(0) as f64 / GB),
        );
        p.push(line(
            p.name("CloudWatch Logs storage", region),
            stored,
            "GB-month",
            prices.cloudwatch_logs_storage_gb_month,
        ));
        let usage = inv.usage.get(region).and_then(Collected::ok);
        let activities: Vec<Activity> = logs
            .groups
            .iter()
            .map(|g| {
                let measured = usage.and_then(|u| u.log_incoming_bytes.get(&g.name).copied());
                activity::of(inv, measured, usage.is_some(), g.created.as_deref())
            })
            .collect();
        let item = p.name("CloudWatch Logs ingestion", region);
        let assumption = format!(
            "{} GB written per log group per month",
            a.log_ingest_gb_per_group
        );
        let usage = Usage {
            item: &item,
            per_unit: GB,
            assumed_each: a.log_ingest_gb_per_group,
            unit: "GB",
            price: prices.cloudwatch_logs_ingest_gb,
            assumption: &assumption,
        };
        for l in usage.lines(&activities) {
            p.push(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::prices::{Basis, CostLine};
    use crate::checks::testing::{inventory_at, service, table, REGION};
    use crate::inventory::{
        CapacityProviderShare, DynamoDb, Ecs, Elbv2, Kms, KmsKey, LoadBalancer, Usage as Measured,
    };

    const NOW: &str = "2026-12-01T00:00:00Z";

    fn priced(inv: &Inventory) -> Current {
        price(inv, &Config::default(), &PriceTable::embedded())
    }

    fn find<'a>(c: &'a Current, item: &str) -> Vec<&'a CostLine> {
        c.lines
            .iter()
            .filter(|l| l.item.starts_with(item))
            .collect()
    }

    fn with_services(inv: &mut Inventory, services: Vec<crate::inventory::EcsService>) {
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                services,
                ..Ecs::default()
            }),
        );
    }

    fn share(provider: &str, base: i32, weight: i32) -> CapacityProviderShare {
        CapacityProviderShare {
            provider: provider.into(),
            base,
            weight,
        }
    }

    #[test]
    fn tasks_are_priced_where_their_strategy_places_them() {
        let mut inv = inventory_at(NOW);
        let mut mixed = service("mixed", 5, 5);
        mixed.launch_type = None;
        mixed.capacity_providers = vec![share("FARGATE", 1, 1), share("FARGATE_SPOT", 0, 3)];
        let mut on_ec2 = service("on-ec2", 2, 2);
        on_ec2.launch_type = Some("EC2".into());
        let mut daemon = service("agent", 0, 3);
        daemon.scheduling_strategy = Some("DAEMON".into());
        daemon.desired_count = 3;
        let mut asg = service("asg", 4, 4);
        asg.launch_type = None;
        asg.capacity_providers = vec![share("my-asg-provider", 0, 1), share("FARGATE", 0, 1)];
        with_services(&mut inv, vec![mixed, on_ec2, daemon, asg]);
        let c = priced(&inv);
        let p = &PriceTable::embedded().regions[REGION];
        let fargate = find(&c, "ECS Fargate: service mixed");
        assert_eq!(
            fargate[0].quantity,
            2.0 * HOURS_PER_MONTH,
            "base 1 + 1 of 4 by weight"
        );
        let spot = find(&c, "ECS Fargate Spot: service mixed");
        assert_eq!(spot[0].quantity, 3.0 * HOURS_PER_MONTH);
        assert!(spot[0].unit_price < fargate[0].unit_price);
        let small = 0.25 * p.fargate_spot_vcpu_hour + 0.5 * p.fargate_spot_gb_hour;
        assert!((spot[0].unit_price - small).abs() < 1e-12);
        assert!(find(&c, "ECS Fargate: service on-ec2").is_empty());
        assert!(find(&c, "ECS Fargate: service agent").is_empty());
        assert_eq!(
            find(&c, "ECS Fargate: service asg")[0].quantity,
            2.0 * HOURS_PER_MONTH
        );
        assert_eq!(c.not_priced.len(), 3, "{:?}", c.not_priced);
        assert!(c
            .not_priced
            .iter()
            .any(|n| n.contains("on-ec2") && n.contains("2 task(s)")));
        assert!(c
            .not_priced
            .iter()
            .any(|n| n.contains("agent") && n.contains("3 task(s)")));
    }

    #[test]
    fn an_arm_task_is_priced_at_graviton_prices() {
        let mut inv = inventory_at(NOW);
        let mut s = service("api", 1, 1);
        s.task_definition = Some("arn:aws:ecs:eu-west-1:1:task-definition/api:1".into());
        let td = crate::inventory::TaskDefinition {
            arn: s.task_definition.clone().unwrap_or_default(),
            family: "api".into(),
            revision: 1,
            cpu: Some("1024".into()),
            memory: Some("2048".into()),
            containers: vec![],
            cpu_architecture: Some("ARM64".into()),
        };
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                services: vec![s],
                task_definitions: vec![td],
                ..Ecs::default()
            }),
        );
        let p = &PriceTable::embedded().regions[REGION];
        let l = find(&priced(&inv), "ECS Fargate: service api")[0].clone();
        assert_eq!(
            l.unit_price,
            p.fargate_arm_vcpu_hour + 2.0 * p.fargate_arm_gb_hour
        );
        assert!(l.item.contains("1 vCPU, 2 GB, ARM64"), "{}", l.item);
    }

    #[test]
    fn each_region_is_priced_at_its_own_prices_and_named() {
        let mut inv = inventory_at(NOW);
        inv.regions = vec!["eu-west-1".into(), "eu-central-1".into()];
        for region in &inv.regions {
            let mut t = table("maps");
            t.size_bytes = Some(GB as i64);
            inv.dynamodb.insert(
                region.clone(),
                Collected::Ok(DynamoDb {
                    tables: vec![t],
                    ..DynamoDb::default()
                }),
            );
        }
        let c = priced(&inv);
        let storage = find(&c, "DynamoDB storage");
        let prices = PriceTable::embedded();
        assert_eq!(storage.len(), 2);
        assert_eq!(storage[0].item, "DynamoDB storage (eu-central-1)");
        assert_eq!(
            storage[0].unit_price,
            prices.regions["eu-central-1"].dynamodb_storage_gb_month
        );
        assert_eq!(
            storage[1].unit_price,
            prices.regions["eu-west-1"].dynamodb_storage_gb_month
        );
        assert!(c.notes.is_empty());
    }

    #[test]
    fn provisioned_tables_pay_for_capacity_and_idle_ones_for_no_requests() {
        let mut inv = inventory_at(NOW);
        let mut provisioned = table("orders");
        provisioned.billing_mode = Some("PROVISIONED".into());
        provisioned.provisioned_writes = Some(10);
        provisioned.provisioned_reads = Some(20);
        let mut legacy = table("legacy");
        legacy.provisioned_writes = Some(5);
        legacy.provisioned_reads = Some(5);
        let mut idle = table("archive");
        idle.billing_mode = Some("PAY_PER_REQUEST".into());
        idle.created = Some("2025-01-01T00:00:00Z".into());
        let mut young = table("new");
        young.billing_mode = Some("PAY_PER_REQUEST".into());
        young.created = Some("2026-11-25T00:00:00Z".into());
        let mut busy = table("busy");
        busy.billing_mode = Some("PAY_PER_REQUEST".into());
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![provisioned, legacy, idle, young, busy],
                ..DynamoDb::default()
            }),
        );
        let mut usage = Measured::default();
        usage.table_writes.insert("busy".into(), 3e6);
        usage.table_reads.insert("busy".into(), 9e6);
        inv.usage.insert(REGION.into(), Collected::Ok(usage));
        let c = priced(&inv);
        let p = &PriceTable::embedded().regions[REGION];
        let wcu = find(&c, "DynamoDB provisioned writes (2 tables)")[0];
        assert_eq!(wcu.quantity, 15.0 * HOURS_PER_MONTH);
        assert_eq!(wcu.unit_price, p.dynamodb_wcu_hour);
        let writes = find(&c, "DynamoDB on-demand writes");
        let summary: Vec<(&str, f64, Basis)> = writes
            .iter()
            .map(|l| (l.item.as_str(), l.quantity, l.basis))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "DynamoDB on-demand writes, measured by CloudWatch (1)",
                    3.0,
                    Basis::Measured
                ),
                (
                    "DynamoDB on-demand writes, idle: no activity in 30 days (1)",
                    0.0,
                    Basis::Measured
                ),
                (
                    "DynamoDB on-demand writes, not measured (1)",
                    1.0,
                    Basis::Assumed
                ),
            ]
        );
    }

    #[test]
    fn without_usage_every_on_demand_table_is_assumed() {
        let mut inv = inventory_at(NOW);
        let mut old = table("archive");
        old.created = Some("2025-01-01T00:00:00Z".into());
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![old],
                ..DynamoDb::default()
            }),
        );
        inv.usage.insert(
            REGION.into(),
            Collected::Error(crate::checks::testing::denied(
                "cloudwatch",
                "GetMetricData",
                REGION,
            )),
        );
        let c = priced(&inv);
        let writes = find(&c, "DynamoDB on-demand writes");
        assert_eq!(writes.len(), 1);
        assert_eq!(writes[0].basis, Basis::Assumed);
    }

    #[test]
    fn public_addresses_of_internet_facing_load_balancers_and_tasks_are_billed() {
        let mut inv = inventory_at(NOW);
        let lb = |name: &str, kind: &str, scheme: &str, zones: usize| LoadBalancer {
            arn: format!("arn:aws:elasticloadbalancing:{REGION}:1:loadbalancer/{name}"),
            name: name.into(),
            kind: kind.into(),
            scheme: Some(scheme.into()),
            availability_zones: (0..zones).map(|z| format!("{REGION}{z}")).collect(),
            security_groups: vec![],
            access_logs_bucket: None,
            attributes_error: None,
        };
        inv.elbv2.insert(
            REGION.into(),
            Collected::Ok(Elbv2 {
                load_balancers: vec![
                    lb("public", "application", "internet-facing", 3),
                    lb("private", "application", "internal", 2),
                    lb("nlb", "network", "internet-facing", 2),
                ],
                ..Elbv2::default()
            }),
        );
        let mut public = service("web", 2, 2);
        public.assign_public_ip = Some(true);
        with_services(&mut inv, vec![public, service("worker", 4, 4)]);
        let c = priced(&inv);
        let ips = find(&c, "Public IPv4 addresses")[0];
        assert_eq!(
            ips.quantity,
            7.0 * HOURS_PER_MONTH,
            "5 zones, 2 tasks: {}",
            ips.item
        );
        assert_eq!(ips.monthly, 7.0 * HOURS_PER_MONTH * 0.005);
        assert!(c
            .not_priced
            .iter()
            .any(|n| n.contains("network load balancer nlb")));
    }

    #[test]
    fn keys_are_billed_until_deleted_and_their_first_two_rotations_too() {
        let mut inv = inventory_at(NOW);
        let key = |id: &str, state: &str, created: &str, rotating: bool| KmsKey {
            arn: format!("arn:aws:kms:{REGION}:1:key/{id}"),
            id: id.into(),
            manager: Some("CUSTOMER".into()),
            state: Some(state.into()),
            spec: Some("SYMMETRIC_DEFAULT".into()),
            usage: None,
            origin: Some("AWS_KMS".into()),
            description: None,
            rotation_enabled: Some(rotating),
            rotation_error: None,
            created: Some(created.into()),
            rotation_period_days: rotating.then_some(365),
        };
        let mut aws_managed = key("aws", "Enabled", "2020-01-01T00:00:00Z", false);
        aws_managed.manager = Some("AWS".into());
        inv.kms.insert(
            REGION.into(),
            Collected::Ok(Kms {
                keys: vec![
                    key("old", "Enabled", "2022-01-01T00:00:00Z", true),
                    key("recent", "Enabled", "2026-06-01T00:00:00Z", true),
                    key("off", "Disabled", "2024-01-01T00:00:00Z", false),
                    key("going", "PendingDeletion", "2024-01-01T00:00:00Z", false),
                    aws_managed,
                ],
            }),
        );
        let c = priced(&inv);
        let keys = find(&c, "KMS customer-managed keys")[0];
        assert_eq!(keys.quantity, 3.0, "{}", keys.item);
        assert!(keys.item.contains("1 of them not enabled"));
        let rotations = find(&c, "KMS rotated key material")[0];
        assert_eq!(
            rotations.quantity, 2.0,
            "two for the old key, none yet for the recent"
        );
        assert_eq!(rotations.basis, Basis::Assumed);
    }

    #[test]
    fn the_estimate_splits_its_total_by_basis() {
        let mut inv = inventory_at(NOW);
        with_services(&mut inv, vec![service("web", 2, 2)]);
        let mut t = table("maps");
        t.billing_mode = Some("PAY_PER_REQUEST".into());
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![t],
                ..DynamoDb::default()
            }),
        );
        let e = super::super::estimate(&inv, &[], &Config::default(), &PriceTable::embedded());
        let b = &e.by_basis;
        assert!(
            b.inventory > 0.0 && b.assumed > 0.0 && b.measured == 0.0,
            "{b:?}"
        );
        assert!((b.inventory + b.assumed + b.measured - e.current_monthly).abs() < 1e-9);
    }

    #[test]
    fn nat_gateways_are_billed_until_deleted_with_their_addresses_and_traffic() {
        use crate::inventory::{NatGateway, NatGateways};
        let mut inv = inventory_at(NOW);
        let gateway = |id: &str, state: &str, ips: usize| NatGateway {
            id: id.into(),
            subnet_id: "subnet-a".into(),
            state: Some(state.into()),
            connectivity_type: Some(if ips > 0 { "public" } else { "private" }.into()),
            public_ips: ips,
        };
        inv.nat_gateways.insert(
            REGION.into(),
            Collected::Ok(NatGateways {
                gateways: vec![
                    gateway("nat-1", "available", 1),
                    gateway("nat-2", "available", 0),
                    gateway("nat-3", "deleted", 1),
                ],
            }),
        );
        let mut usage = Measured::default();
        usage.nat_processed_bytes.insert("nat-1".into(), 4.0 * GB);
        inv.usage.insert(REGION.into(), Collected::Ok(usage));
        let c = priced(&inv);
        let p = &PriceTable::embedded().regions[REGION];
        let hours = find(&c, "NAT gateways (2)")[0];
        assert_eq!(hours.monthly, 2.0 * HOURS_PER_MONTH * p.nat_gateway_hour);
        let data = find(&c, "NAT gateway data processed");
        assert_eq!(data.len(), 2);
        assert_eq!((data[0].quantity, data[0].basis), (4.0, Basis::Measured));
        assert_eq!((data[1].quantity, data[1].basis), (10.0, Basis::Assumed));
        let ips = find(&c, "Public IPv4 addresses")[0];
        assert_eq!(ips.quantity, HOURS_PER_MONTH, "{}", ips.item);
    }

    #[test]
    fn an_archive_of_old_idle_tables_and_log_groups_is_not_priced_as_busy() {
        // The account the issue was found on: 120 archive tables and 60 log groups, all older
        // than the window and silent in it. Assumed traffic made $205 of its $364.
        let mut inv = inventory_at(NOW);
        let old = Some("2025-06-01T00:00:00Z".to_owned());
        let tables = (0..120)
            .map(|i| {
                let mut t = table(&format!("archive-{i:03}"));
                t.billing_mode = Some("PAY_PER_REQUEST".into());
                t.created = old.clone();
                t
            })
            .collect();
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables,
                ..DynamoDb::default()
            }),
        );
        let groups = (0..60)
            .map(|i| crate::inventory::LogGroup {
                arn: format!("arn:aws:logs:{REGION}:1:log-group:/archive/{i}"),
                name: format!("/archive/{i}"),
                retention_days: Some(30),
                stored_bytes: Some(0),
                kms_key_id: None,
                class: None,
                created: old.clone(),
            })
            .collect();
        inv.logs.insert(
            REGION.into(),
            Collected::Ok(crate::inventory::Logs { groups }),
        );
        inv.usage
            .insert(REGION.into(), Collected::Ok(Measured::default()));
        let e = super::super::estimate(&inv, &[], &Config::default(), &PriceTable::embedded());
        assert_eq!(e.by_basis.assumed, 0.0, "{:#?}", e.lines);
        assert_eq!(e.current_monthly, 0.0);
        assert!(e
            .lines
            .iter()
            .any(|l| l.item == "CloudWatch Logs ingestion, idle: no activity in 30 days (60)"));
    }
}
