//! The rules that estimate a component's recovery, each resting on a documented AWS fact or
//! on a named assumption (AWS publishes no task launch time and no restore throughput).
//! docs/recovery.md lists every rule with its source; a test keeps the two in step.

use super::{schedule, Component, Disruption, Estimate, Kind, Span};
use crate::checks::{backup, buckets, ha, input, state};
use crate::config::Config;
use crate::inventory::{BackupRule, Bucket, Collected, DynamoDb, EcsService, Inventory, Table};

/// Every rule's id and the AWS page it rests on.
pub const RULES: &[(&str, &str)] = &[
    ("task.replicas", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html"),
    ("task.single", "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"),
    ("task.unwatched", "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"),
    ("zone.spread", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"),
    ("zone.replaced", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html"),
    ("zone.one-zone", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html"),
    ("zone.regional", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/DataDurability.html"),
    ("region.standby", "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html"),
    ("region.rebuild", "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html"),
    ("region.global-table", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html"),
    ("region.backup-copy", "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CopyAction.html"),
    ("region.bucket-replica", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html"),
    ("region.in-region", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html"),
    ("data.pitr", "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html"),
    ("data.backup", "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html"),
    ("data.versioning", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"),
    ("data.none", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"),
];

/// Assumed (AWS publishes no Fargate launch time; the image pull grows with the image): from
/// a replacement's placement to its container running.
pub(super) const TASK_START_MIN: f64 = 2.0;
/// Assumed: a one-zone service redeployed by hand into another zone.
pub(super) const ZONE_REBUILD_MIN: f64 = 60.0;
/// Assumed: the application rebuilt from its code in another region.
pub(super) const REGION_REBUILD_MIN: f64 = 240.0;
/// Assumed: the application pointed at a copy in another region (a standby, a replica).
pub(super) const SWITCH_MIN: f64 = 15.0;
/// Assumed: a restore to a new table takes 20 minutes however small, then 2 minutes per GB
/// (DynamoDB documents no figure: restore time "isn't always correlated with the size").
const RESTORE_BASE_MIN: f64 = 20.0;
const RESTORE_MIN_PER_GB: f64 = 2.0;
/// Assumed: a bucket's objects put back to their previous versions.
pub(super) const VERSIONS_RESTORE_MIN: f64 = 60.0;
/// Documented: `LatestRestorableDateTime` is typically 5 minutes before the current time.
pub(super) const PITR_LAG_MIN: f64 = 5.0;
/// Documented: a backup rule's start window defaults to 8 hours.
pub(super) const START_WINDOW_MIN: f64 = 480.0;
/// Documented: a daily run at 05:00 UTC when a rule names no schedule.
const DEFAULT_GAP_MIN: u32 = 24 * 60;
/// Documented: global tables replicate "usually [in] a few seconds"; rounded up.
pub(super) const GLOBAL_TABLE_LAG_MIN: f64 = 1.0;
/// Documented: Replication Time Control copies 99.99 % of objects within 15 minutes, and
/// without it most objects replicate within 15 minutes, some in hours.
pub(super) const REPLICATION_LAG_MIN: f64 = 15.0;
/// Documented target group defaults (ALB and NLB alike): 30 s interval, healthy after 5
/// checks, unhealthy after 2.
const HEALTH_DEFAULTS: (i32, i32, i32) = (30, 5, 2);

pub(super) fn estimate(
    disruption: Disruption,
    (rto, rpo): (Span, Span),
    rule: &str,
    how: impl Into<String>,
    assumed: bool,
) -> Estimate {
    Estimate {
        disruption,
        rto,
        rpo,
        rule: rule.into(),
        how: how.into(),
        assumed,
    }
}

fn minutes(rto: f64, rpo: f64) -> (Span, Span) {
    (Span::minutes(rto), Span::minutes(rpo))
}

fn unknown(disruption: Disruption, rule: &str, reason: String) -> Estimate {
    let span = Span::Unknown {
        reason: reason.clone(),
    };
    estimate(disruption, (span.clone(), span), rule, reason, false)
}

/// Every component of the inventory, worst placed first as the findings are; and the inputs
/// that could not be read, whose components are missing.
pub fn components(inv: &Inventory, config: &Config) -> (Vec<Component>, Vec<String>) {
    let mut out = Vec::new();
    let mut unreadable = Vec::new();
    services(inv, &mut out, &mut unreadable);
    tables(inv, config, &mut out, &mut unreadable);
    data_buckets(inv, config, &mut out, &mut unreadable);
    (out, unreadable)
}

fn services(inv: &Inventory, out: &mut Vec<Component>, unreadable: &mut Vec<String>) {
    for (region, part) in &inv.ecs {
        let Collected::Ok(ecs) = part else {
            unreadable.push(format!("ECS in {region}"));
            continue;
        };
        unreadable.extend(
            ecs.service_errors
                .iter()
                .map(|e| format!("the services of {}", e.resource)),
        );
        for s in ecs
            .services
            .iter()
            .filter(|s| s.desired_count > 0 || s.is_daemon())
        {
            let watched = watch(inv, region, s);
            let zone = service_zone(s, service_zones(inv, region, s), &watched);
            let task = service_task(s, watched);
            out.push(Component {
                kind: Kind::Service,
                name: s.name.clone(),
                resource_arn: s.arn.clone(),
                region: region.clone(),
                estimates: vec![task, zone, service_region(inv, region, s)],
            });
        }
    }
}

/// What sees a service's task fail.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Watch {
    /// A target group's health check: interval, healthy and unhealthy thresholds.
    LoadBalancer(i32, i32, i32),
    /// An essential container's health check: interval, retries.
    Container(i32, i32),
    /// Nothing but the task stopping.
    Nothing,
}

/// The service's target group health check, else its task definition's container health
/// check, else nothing.
pub(super) fn watch(inv: &Inventory, region: &str, s: &EcsService) -> Result<Watch, String> {
    if let Some(arn) = s
        .load_balancers
        .iter()
        .find_map(|l| l.target_group_arn.as_deref())
    {
        let Ok(elbv2) = input(&inv.elbv2, region) else {
            return Err(format!("the load balancers of {region} could not be read"));
        };
        let tg = elbv2
            .target_groups
            .iter()
            .find(|t| t.arn == arn)
            .ok_or_else(|| format!("target group {arn} was not found"))?;
        let (interval, healthy, unhealthy) = HEALTH_DEFAULTS;
        return Ok(Watch::LoadBalancer(
            tg.health_check_interval_seconds.unwrap_or(interval),
            tg.healthy_threshold.unwrap_or(healthy),
            tg.unhealthy_threshold.unwrap_or(unhealthy),
        ));
    }
    let Some(td_arn) = s.task_definition.as_deref() else {
        return Ok(Watch::Nothing);
    };
    let td = input(&inv.ecs, region)
        .ok()
        .and_then(|e| e.task_definitions.iter().find(|t| t.arn == td_arn))
        .ok_or_else(|| format!("task definition {td_arn} could not be read"))?;
    Ok(td
        .containers
        .iter()
        .find_map(|c| c.health_check)
        .map_or(Watch::Nothing, |h| {
            Watch::Container(h.interval_seconds, h.retries)
        }))
}

/// A task fails: others carry on, or the only one is down until ECS sees the failure and
/// replaces it.
pub(super) fn service_task(s: &EcsService, watch: Result<Watch, String>) -> Estimate {
    let d = Disruption::Task;
    if s.is_daemon() || s.desired_count >= 2 {
        let how = "several tasks: the others serve while ECS replaces the failed one";
        return estimate(d, minutes(0.0, 0.0), "task.replicas", how, false);
    }
    let (seconds, seen) = match watch {
        Err(reason) => return unknown(d, "task.single", reason),
        Ok(Watch::LoadBalancer(interval, healthy, unhealthy)) => (
            interval * (healthy + unhealthy),
            format!("the load balancer sees it fail after {unhealthy} checks {interval} s apart and its replacement healthy after {healthy}"),
        ),
        Ok(Watch::Container(interval, retries)) => (
            interval * retries,
            format!("its container health check sees it fail after {retries} checks {interval} s apart"),
        ),
        Ok(Watch::Nothing) => {
            let how = format!("one task and no health check (no load balancer, no container health check): a crash is replaced in about {TASK_START_MIN} min (assumed), but a task that hangs is never replaced");
            return estimate(d, (Span::Unbounded, Span::minutes(0.0)), "task.unwatched", how, false);
        }
    };
    let rto = f64::from(seconds) / 60.0 + TASK_START_MIN;
    let how = format!(
        "one task: down until ECS replaces it; {seen}; about {TASK_START_MIN} min to start a task (assumed)"
    );
    estimate(d, minutes(rto, 0.0), "task.single", how, true)
}

/// The zones of the service's subnets.
pub(super) fn service_zones(
    inv: &Inventory,
    region: &str,
    s: &EcsService,
) -> Result<usize, String> {
    if s.subnets.is_empty() {
        return Err("its subnets are not known (no awsvpc network configuration)".into());
    }
    let Ok(ec2) = input(&inv.ec2, region) else {
        return Err(format!("the subnets of {region} could not be read"));
    };
    match ha::subnet_zones(Some(ec2), &s.subnets) {
        (_, unknown) if !unknown.is_empty() => {
            Err(format!("subnet {} was not found", unknown.join(", ")))
        }
        (zones, _) => Ok(zones.len()),
    }
}

/// How long a replacement takes once ECS knows a task stopped: a start, and behind a load
/// balancer the health checks that make it serve.
pub(super) fn replacement_minutes(watch: &Watch) -> f64 {
    let healthy = match watch {
        Watch::LoadBalancer(interval, healthy, _) => f64::from(interval * healthy) / 60.0,
        Watch::Container(..) | Watch::Nothing => 0.0,
    };
    TASK_START_MIN + healthy
}

/// A zone fails: tasks elsewhere carry on, a lone task (stopped with its zone, which ECS
/// sees at once) is replaced in another zone, a one-zone service waits for a redeploy.
pub(super) fn service_zone(
    s: &EcsService,
    zones: Result<usize, String>,
    watch: &Result<Watch, String>,
) -> Estimate {
    let d = Disruption::Zone;
    let lone = !s.is_daemon() && s.desired_count < 2;
    let n = match zones {
        Err(reason) => return unknown(d, "zone.spread", reason),
        Ok(n) => n,
    };
    match watch {
        _ if n < 2 => estimate(
            d,
            minutes(ZONE_REBUILD_MIN, 0.0),
            "zone.one-zone",
            format!("subnets in one zone: down until the service is redeployed into another (assumed {ZONE_REBUILD_MIN} min)"),
            true,
        ),
        _ if !lone => estimate(
            d,
            minutes(0.0, 0.0),
            "zone.spread",
            format!("tasks spread over {n} zones: those in the others serve while ECS replaces the lost ones"),
            false,
        ),
        Err(reason) => unknown(d, "zone.replaced", reason.clone()),
        Ok(w) => estimate(
            d,
            minutes(replacement_minutes(w), 0.0),
            "zone.replaced",
            format!("one task, subnets in {n} zones: it stops with its zone and ECS starts its replacement in another, about {:.1} min with the start assumed", replacement_minutes(w)),
            true,
        ),
    }
}

/// The region fails: a service of the same name running in another scanned region takes
/// over; otherwise the service is rebuilt from its code.
fn service_region(inv: &Inventory, region: &str, s: &EcsService) -> Estimate {
    let d = Disruption::Region;
    let standby = inv
        .ecs
        .iter()
        .filter(|(r, _)| r.as_str() != region)
        .filter_map(|(r, part)| part.ok().map(|e| (r, e)))
        .find(|(_, e)| {
            e.services
                .iter()
                .any(|o| o.name == s.name && o.desired_count > 0)
        });
    match standby {
        Some((r, _)) => estimate(
            d,
            minutes(SWITCH_MIN, 0.0),
            "region.standby",
            format!("a service of the same name runs in {r}: traffic switched to it (assumed {SWITCH_MIN} min)"),
            true,
        ),
        None => estimate(
            d,
            minutes(REGION_REBUILD_MIN, 0.0),
            "region.rebuild",
            format!("no copy in another scanned region: rebuilt there from its code (assumed {} h)", REGION_REBUILD_MIN / 60.0),
            true,
        ),
    }
}

/// Data AWS keeps in several zones of a region: a zone's loss costs nothing.
fn regional_zone(what: &str) -> Estimate {
    estimate(
        Disruption::Zone,
        minutes(0.0, 0.0),
        "zone.regional",
        what,
        false,
    )
}

type Rules<'a> = Result<Vec<&'a BackupRule>, String>;

fn tables(
    inv: &Inventory,
    config: &Config,
    out: &mut Vec<Component>,
    unreadable: &mut Vec<String>,
) {
    for (region, part) in &inv.dynamodb {
        let Collected::Ok(ddb) = part else {
            unreadable.push(format!("DynamoDB in {region}"));
            continue;
        };
        unreadable.extend(
            ddb.errors
                .iter()
                .map(|e| format!("DynamoDB table {}", e.resource)),
        );
        let tags = input(&inv.tags, region);
        for t in ddb
            .tables
            .iter()
            .filter(|t| !state::is_lock_table(t, config))
        {
            let rules: Rules = match input(&inv.backup, region) {
                Ok(b) => backup::rules_backing(t, b, tags)
                    .map_err(|e| format!("{} could not be read", e.iam_action)),
                Err(Some(e)) => Err(format!("{} could not be read", e.iam_action)),
                Err(None) => Err("AWS Backup was not read".into()),
            };
            out.push(Component {
                kind: Kind::Table,
                name: t.name.clone(),
                resource_arn: t.arn.clone(),
                region: region.clone(),
                estimates: vec![
                    regional_zone("DynamoDB keeps a table in several zones of its region"),
                    table_region(t, ddb, region, &rules),
                    table_data(t, &rules),
                ],
            });
        }
    }
}

/// How long a restore of the table to a new one takes, and says so (assumed).
pub(super) fn restore_minutes(t: &Table) -> (f64, String) {
    let gb = t.size_bytes.unwrap_or(0) as f64 / crate::catalog::prices::GB;
    let m = RESTORE_BASE_MIN + RESTORE_MIN_PER_GB * gb;
    (
        m,
        format!("a restore to a new table takes about {m:.0} min (assumed: {RESTORE_BASE_MIN} min and {RESTORE_MIN_PER_GB} min per GB)"),
    )
}

/// The worst-case loss of a backup rule: its longest gap between runs and its start window.
fn backup_loss(r: &BackupRule) -> Option<f64> {
    let gap = match r.schedule.as_deref() {
        Some(s) => schedule::longest_gap_minutes(s)?,
        None => DEFAULT_GAP_MIN,
    };
    let window = r
        .start_window_minutes
        .map_or(START_WINDOW_MIN, |w| w as f64);
    Some(f64::from(gap) + window)
}

/// The rule losing least, among those that copy out of `home` (when given).
fn best_rule<'a>(rules: &[&'a BackupRule], home: Option<&str>) -> Option<(f64, &'a BackupRule)> {
    rules
        .iter()
        .filter(|r| home.is_none_or(|h| r.copy_regions.iter().any(|c| c != h)))
        .filter_map(|r| backup_loss(r).map(|l| (l, *r)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

fn table_region(t: &Table, ddb: &DynamoDb, region: &str, rules: &Rules) -> Estimate {
    let d = Disruption::Region;
    let mut replicas: Vec<&str> = backup::replicating(t);
    match &ddb.legacy_global_tables {
        Collected::Ok(legacy) => replicas.extend(
            legacy
                .iter()
                .filter(|g| g.name == t.name)
                .flat_map(|g| g.replica_regions.iter().map(String::as_str))
                .filter(|r| *r != region),
        ),
        Collected::Error(e) if replicas.is_empty() => {
            return unknown(
                d,
                "region.global-table",
                format!("{} could not be read", e.iam_action),
            )
        }
        Collected::Error(_) => {}
    }
    if !replicas.is_empty() {
        let how = format!(
            "global-table replicas in {}: writes reach them in seconds and they serve at once",
            replicas.join(", ")
        );
        return estimate(
            d,
            minutes(GLOBAL_TABLE_LAG_MIN, GLOBAL_TABLE_LAG_MIN),
            "region.global-table",
            how,
            false,
        );
    }
    let rules = match rules {
        Ok(rules) => rules,
        Err(reason) => return unknown(d, "region.backup-copy", reason.clone()),
    };
    match best_rule(rules, Some(region)) {
        Some((loss, r)) => {
            let (restore, said) = restore_minutes(t);
            let how = format!("AWS Backup rule {} copies to {}: up to {} lost; the application rebuilt there (assumed {} h) while {said}", r.name, r.copy_regions.join(", "), Span::minutes(loss).text(false), REGION_REBUILD_MIN / 60.0);
            estimate(d, minutes(REGION_REBUILD_MIN.max(restore), loss), "region.backup-copy", how, true)
        }
        None => estimate(
            d,
            (Span::Unbounded, Span::Unbounded),
            "region.in-region",
            format!("no replica and no backup copied out of {region}: point-in-time recovery and backups stay in the table's region, so its data is out of reach until the region returns"),
            false,
        ),
    }
}

fn table_data(t: &Table, rules: &Rules) -> Estimate {
    let d = Disruption::Data;
    let (restore, said) = restore_minutes(t);
    match (t.pitr_enabled, &t.backups_error) {
        (Some(true), _) => {
            let days = t
                .pitr_recovery_days
                .map_or(String::new(), |n| format!(" over {n} days"));
            let how = format!("point-in-time recovery{days}: restorable to about {PITR_LAG_MIN} min before the damage; {said}");
            return estimate(d, minutes(restore, PITR_LAG_MIN), "data.pitr", how, true);
        }
        (None, Some(e)) => {
            return unknown(
                d,
                "data.pitr",
                format!("{} could not be read", e.iam_action),
            )
        }
        _ => {}
    }
    let rules = match rules {
        Ok(rules) => rules,
        Err(reason) => return unknown(d, "data.backup", reason.clone()),
    };
    match best_rule(rules, None) {
        Some((loss, r)) => {
            let how = format!("AWS Backup rule {} ({}): up to {} lost (the longest gap between runs and the start window); {said}", r.name, r.schedule.as_deref().unwrap_or("daily at 05:00 UTC"), Span::minutes(loss).text(false));
            estimate(d, minutes(restore, loss), "data.backup", how, true)
        }
        None if rules.is_empty() => estimate(
            d,
            (Span::Unbounded, Span::Unbounded),
            "data.none",
            "no point-in-time recovery and no AWS Backup rule selects it: every item written since the table was created is lost, with nothing to restore",
            false,
        ),
        None => unknown(d, "data.backup", "its backup rules' schedules could not be read".into()),
    }
}

fn data_buckets(
    inv: &Inventory,
    config: &Config,
    out: &mut Vec<Component>,
    unreadable: &mut Vec<String>,
) {
    let all = match &inv.s3 {
        Some(Collected::Ok(s3)) => &s3.buckets,
        Some(Collected::Error(_)) => {
            unreadable.push("the S3 buckets".into());
            return;
        }
        None => return,
    };
    for b in all
        .iter()
        .filter(|b| buckets::is_data(b, inv, config) && !buckets::is_replication_copy(b, all))
    {
        out.push(Component {
            kind: Kind::Bucket,
            name: b.name.clone(),
            resource_arn: b.arn.clone(),
            region: buckets::region(b).to_owned(),
            estimates: vec![
                regional_zone("S3 keeps objects of its Standard classes in at least three zones"),
                bucket_region(b, all),
                bucket_data(b),
            ],
        });
    }
}

fn bucket_region(b: &Bucket, all: &[Bucket]) -> Estimate {
    let d = Disruption::Region;
    let replication = match &b.replication {
        Collected::Error(e) => {
            return unknown(
                d,
                "region.bucket-replica",
                format!("{} could not be read", e.iam_action),
            )
        }
        Collected::Ok(r) => r.as_ref(),
    };
    let elsewhere = replication
        .map(|r| backup::replicas_elsewhere(b, r, all))
        .unwrap_or_default();
    if elsewhere.is_empty() {
        return estimate(
            d,
            (Span::Unbounded, Span::Unbounded),
            "region.in-region",
            "no replica in another region: its objects are out of reach until the region returns",
            false,
        );
    }
    let how = format!("replicated to {}: objects arrive within about {REPLICATION_LAG_MIN} min; the application pointed at the replica (assumed {SWITCH_MIN} min)", elsewhere.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "));
    estimate(
        d,
        minutes(SWITCH_MIN, REPLICATION_LAG_MIN),
        "region.bucket-replica",
        how,
        true,
    )
}

fn bucket_data(b: &Bucket) -> Estimate {
    let d = Disruption::Data;
    match &b.versioning {
        Collected::Error(e) => unknown(d, "data.versioning", format!("{} could not be read", e.iam_action)),
        Collected::Ok(Some(v)) if v == "Enabled" => estimate(
            d,
            minutes(VERSIONS_RESTORE_MIN, 0.0),
            "data.versioning",
            format!("versioning keeps every overwritten or deleted object as a previous version; putting them back takes about {VERSIONS_RESTORE_MIN} min (assumed)"),
            true,
        ),
        Collected::Ok(_) => estimate(
            d,
            (Span::Unbounded, Span::Unbounded),
            "data.none",
            "no versioning: an overwritten or deleted object is gone",
            false,
        ),
    }
}
