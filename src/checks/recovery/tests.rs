//! The recovery rules on built inventories: the shapes real accounts present that the
//! emulator cannot (replicas, copy actions, health check timings, unreadable inputs).

use std::collections::BTreeMap;

use super::*;
use crate::checks::testing::{bucket, inventory_at, service, statuses, table, REGION};
use crate::checks::Status;
use crate::inventory::{
    Backup, BackupPlan, BackupRule, BackupSelection, Collected, ContainerHealthCheck, DynamoDb,
    Ec2, Ecs, Elbv2, ServiceLoadBalancer, Subnet, TargetGroup, TaskDefinition,
};

const GIB: i64 = 1024 * 1024 * 1024;

fn account() -> Inventory {
    let mut inv = inventory_at("2026-12-01T03:00:00Z");
    inv.backup.insert(
        REGION.into(),
        Collected::Ok(Backup {
            vaults: vec![],
            plans: vec![],
            restore_jobs: Collected::Ok(vec![]),
            opt_in: Collected::Ok(BTreeMap::new()),
        }),
    );
    inv.ec2.insert(
        REGION.into(),
        Collected::Ok(Ec2 {
            subnets: ["a", "b"]
                .iter()
                .map(|z| Subnet {
                    id: format!("subnet-{z}"),
                    vpc_id: "vpc-1".into(),
                    availability_zone: format!("{REGION}{z}"),
                })
                .collect(),
        }),
    );
    inv
}

fn with_tables(inv: &mut Inventory, tables: Vec<crate::inventory::Table>) {
    inv.dynamodb.insert(
        REGION.into(),
        Collected::Ok(DynamoDb {
            tables,
            ..DynamoDb::default()
        }),
    );
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

fn estimate_of(inv: &Inventory, name: &str, d: Disruption) -> Estimate {
    let r = assess(inv, &Config::default());
    let c = r.components.iter().find(|c| c.name == name).unwrap();
    c.estimate(d).unwrap().clone()
}

fn rule(schedule: &str, window: Option<i64>, copy_to: &[&str]) -> BackupRule {
    BackupRule {
        name: "r".into(),
        vault: "main".into(),
        schedule: Some(schedule.into()),
        delete_after_days: Some(35),
        start_window_minutes: window,
        copy_regions: copy_to.iter().map(|r| r.to_string()).collect(),
    }
}

fn backed_up(inv: &mut Inventory, rules: Vec<BackupRule>) {
    inv.backup.insert(
        REGION.into(),
        Collected::Ok(Backup {
            vaults: vec!["main".into()],
            plans: vec![BackupPlan {
                arn: "arn:aws:backup:eu-west-1:111122223333:backup-plan:p".into(),
                id: "p".into(),
                name: "p".into(),
                rules,
                error: None,
                selections: Collected::Ok(vec![BackupSelection {
                    name: "all".into(),
                    resources: vec!["arn:aws:dynamodb:*:*:table/*".into()],
                    not_resources: vec![],
                    tags: vec![],
                    conditions: vec![],
                    error: None,
                }]),
            }],
            restore_jobs: Collected::Ok(vec![]),
            opt_in: Collected::Ok(BTreeMap::new()),
        }),
    );
}

#[test]
fn a_table_with_pitr_loses_minutes_and_one_without_loses_everything() {
    let mut inv = account();
    let mut maps = table("maps");
    maps.size_bytes = Some(10 * GIB);
    maps.pitr_recovery_days = Some(7);
    let mut bare = table("bare");
    bare.pitr_enabled = Some(false);
    with_tables(&mut inv, vec![maps, bare]);

    let pitr = estimate_of(&inv, "maps", Disruption::Data);
    assert_eq!(
        (pitr.rule.as_str(), pitr.rpo.clone()),
        ("data.pitr", Span::minutes(5.0))
    );
    assert_eq!(pitr.rto, Span::minutes(40.0), "20 min + 2 min per GB");
    assert!(
        pitr.assumed && pitr.how.contains("over 7 days"),
        "{}",
        pitr.how
    );

    let none = estimate_of(&inv, "bare", Disruption::Data);
    assert_eq!((none.rto, none.rpo), (Span::Unbounded, Span::Unbounded));
    assert_eq!(
        Span::Unbounded.text(false),
        "everything since it was created"
    );

    let out = judge(&inv, &Config::default(), Disruption::Data);
    assert_eq!(statuses(&out), [Status::Pass, Status::Fail]);
    assert!(
        out[1].message.contains("cheapest change that meets the target: DynamoDB tables have point-in-time recovery (BAK-01)"),
        "{}",
        out[1].message
    );
}

#[test]
fn a_backup_rule_loses_its_longest_gap_and_its_start_window() {
    let mut inv = account();
    let mut t = table("orders");
    t.pitr_enabled = Some(false);
    with_tables(&mut inv, vec![t]);
    backed_up(&mut inv, vec![rule("cron(0 5 ? * * *)", None, &[])]);
    let daily = estimate_of(&inv, "orders", Disruption::Data);
    assert_eq!(daily.rule, "data.backup");
    assert_eq!(
        daily.rpo,
        Span::minutes(24.0 * 60.0 + 480.0),
        "a day and the 8-hour default window"
    );
    assert_eq!(
        statuses(&judge(&inv, &Config::default(), Disruption::Data)),
        [Status::Fail]
    );

    backed_up(
        &mut inv,
        vec![
            rule("cron(0 5 ? * * *)", None, &[]),
            rule("cron(0 * ? * * *)", Some(60), &[]),
        ],
    );
    let hourly = estimate_of(&inv, "orders", Disruption::Data);
    assert_eq!(
        hourly.rpo,
        Span::minutes(120.0),
        "the rule that loses least"
    );
    // Backups in the table's region only: the region's loss is unbounded.
    let region = estimate_of(&inv, "orders", Disruption::Region);
    assert_eq!(
        (region.rule.as_str(), region.rpo),
        ("region.in-region", Span::Unbounded)
    );
}

#[test]
fn a_copy_to_another_region_or_a_replica_bounds_a_regions_loss() {
    let mut inv = account();
    let mut copied = table("copied");
    copied.pitr_enabled = Some(false);
    let mut global = table("global");
    global.replica_regions = vec!["eu-central-1".into()];
    global.replica_statuses = [("eu-central-1".to_owned(), "ACTIVE".to_owned())].into();
    let mut failed = table("failed");
    failed.replica_regions = vec!["eu-central-1".into()];
    failed.replica_statuses = [("eu-central-1".to_owned(), "CREATION_FAILED".to_owned())].into();
    with_tables(&mut inv, vec![copied, global, failed]);
    backed_up(
        &mut inv,
        vec![rule("rate(12 hours)", Some(60), &["eu-central-1"])],
    );

    let c = estimate_of(&inv, "copied", Disruption::Region);
    assert_eq!(
        (c.rule.as_str(), c.rpo),
        ("region.backup-copy", Span::minutes(780.0))
    );
    assert_eq!(
        c.rto,
        Span::minutes(240.0),
        "the rebuild outlasts a small restore"
    );
    let g = estimate_of(&inv, "global", Disruption::Region);
    assert_eq!(
        (g.rule.as_str(), g.rpo),
        ("region.global-table", Span::minutes(1.0))
    );
    // A replica that stopped replicating is no copy: the backup copy is what is left.
    assert_eq!(
        estimate_of(&inv, "failed", Disruption::Region).rule,
        "region.backup-copy"
    );
    let out = judge(&inv, &Config::default(), Disruption::Region);
    assert_eq!(statuses(&out), [Status::Fail, Status::Pass, Status::Fail]);
}

fn load_balanced(
    inv: &mut Inventory,
    s: &mut crate::inventory::EcsService,
    timing: (Option<i32>, Option<i32>, Option<i32>),
) {
    let tg = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1";
    s.load_balancers = vec![ServiceLoadBalancer {
        target_group_arn: Some(tg.into()),
        load_balancer_name: None,
        container_name: None,
        container_port: None,
    }];
    inv.elbv2.insert(
        REGION.into(),
        Collected::Ok(Elbv2 {
            load_balancers: vec![],
            target_groups: vec![TargetGroup {
                arn: tg.into(),
                name: "web".into(),
                load_balancer_arns: vec![],
                protocol: Some("HTTP".into()),
                port: Some(80),
                target_type: Some("ip".into()),
                health_check_enabled: Some(true),
                health_check_path: Some("/".into()),
                health_check_interval_seconds: timing.0,
                healthy_threshold: timing.1,
                unhealthy_threshold: timing.2,
            }],
            incomplete: None,
        }),
    );
}

#[test]
fn a_single_task_behind_a_load_balancer_waits_for_its_health_checks_and_a_start() {
    let mut inv = account();
    let mut web = service("web", 1, 1);
    web.subnets = vec!["subnet-a".into(), "subnet-b".into()];
    load_balanced(&mut inv, &mut web, (None, None, None));
    with_services(&mut inv, vec![web.clone()]);
    let e = estimate_of(&inv, "web", Disruption::Task);
    assert_eq!(
        e.rto,
        Span::minutes(5.5),
        "2 × 30 s seen failing, 2 min start, 5 × 30 s healthy"
    );
    let out = judge(&inv, &Config::default(), Disruption::Task);
    assert_eq!(statuses(&out), [Status::Fail]);
    assert!(
        out[0].message.contains("(HA-01), about "),
        "{}",
        out[0].message
    );
    // Its subnets span two zones: the task stops with its zone, which ECS sees at once, and
    // its replacement starts in the other (2 min) and passes 5 checks 30 s apart.
    let z = estimate_of(&inv, "web", Disruption::Zone);
    assert_eq!(
        (z.rule.as_str(), z.rto),
        ("zone.replaced", Span::minutes(4.5))
    );

    load_balanced(&mut inv, &mut web, (Some(10), Some(2), Some(2)));
    with_services(&mut inv, vec![web]);
    let fast = estimate_of(&inv, "web", Disruption::Task);
    assert!(
        matches!(fast.rto, Span::Minutes { minutes } if (minutes - (40.0 / 60.0 + 2.0)).abs() < 1e-9)
    );
    assert_eq!(
        statuses(&judge(&inv, &Config::default(), Disruption::Task)),
        [Status::Pass]
    );
}

#[test]
fn a_task_nothing_watches_never_recovers_from_a_hang_and_a_container_health_check_bounds_it() {
    let mut inv = account();
    let mut worker = service("worker", 1, 1);
    worker.task_definition = Some("worker:1".into());
    let mut td = TaskDefinition {
        arn: "worker:1".into(),
        family: "worker".into(),
        revision: 1,
        cpu: None,
        memory: None,
        containers: vec![],
        cpu_architecture: None,
    };
    inv.ecs.insert(
        REGION.into(),
        Collected::Ok(Ecs {
            services: vec![worker.clone()],
            task_definitions: vec![td.clone()],
            ..Ecs::default()
        }),
    );
    let e = estimate_of(&inv, "worker", Disruption::Task);
    assert_eq!(
        (e.rule.as_str(), e.rto),
        ("task.unwatched", Span::Unbounded)
    );

    td.containers = vec![crate::inventory::Container {
        name: "app".into(),
        image: None,
        environment: vec![],
        secrets: vec![],
        log_group: None,
        ports: Some(vec![]),
        health_check: Some(ContainerHealthCheck {
            interval_seconds: 30,
            retries: 3,
        }),
    }];
    inv.ecs.insert(
        REGION.into(),
        Collected::Ok(Ecs {
            services: vec![worker],
            task_definitions: vec![td],
            ..Ecs::default()
        }),
    );
    let e = estimate_of(&inv, "worker", Disruption::Task);
    assert_eq!(
        (e.rule.as_str(), e.rto),
        ("task.single", Span::minutes(3.5))
    );
}

#[test]
fn a_one_zone_service_fails_rec_02_and_a_spread_one_passes() {
    let mut inv = account();
    let mut one = service("one-zone", 3, 3);
    one.subnets = vec!["subnet-a".into()];
    let mut spread = service("spread", 3, 3);
    spread.subnets = vec!["subnet-a".into(), "subnet-b".into()];
    let mut lost = service("lost", 3, 3);
    lost.subnets = vec!["subnet-z".into()];
    with_services(&mut inv, vec![one, spread, lost]);
    let out = judge(&inv, &Config::default(), Disruption::Zone);
    assert_eq!(statuses(&out), [Status::Fail, Status::Pass, Status::Error]);
    assert!(
        out[0].observed.contains("RTO 60 min"),
        "{}",
        out[0].observed
    );
    assert!(
        out[0].message.contains("(HA-05), about "),
        "a private service's new zone needs a NAT gateway: {}",
        out[0].message
    );
    assert!(
        out[2].message.contains("subnet subnet-z was not found"),
        "{}",
        out[2].message
    );
}

#[test]
fn an_input_that_could_not_be_read_is_unknown_never_a_number() {
    let mut inv = account();
    let mut t = table("maps");
    t.pitr_enabled = None;
    t.backups_error = Some(crate::checks::testing::denied(
        "dynamodb",
        "DescribeContinuousBackups",
        REGION,
    ));
    with_tables(&mut inv, vec![t]);
    inv.ecs.insert(
        REGION.into(),
        Collected::Error(crate::checks::testing::denied(
            "ecs",
            "ListClusters",
            REGION,
        )),
    );
    let r = assess(&inv, &Config::default());
    assert_eq!(r.unreadable, ["ECS in eu-west-1"]);
    let data = r.components[0].estimate(Disruption::Data).unwrap();
    assert!(
        matches!(&data.rto, Span::Unknown { reason } if reason.contains("dynamodb:DescribeContinuousBackups"))
    );
    // The application's worst is unknown while a region's services are missing.
    assert!(r
        .application
        .iter()
        .all(|e| matches!(e.rto, Span::Unknown { .. })));
    let out = judge(&inv, &Config::default(), Disruption::Data);
    assert_eq!(statuses(&out), [Status::Error, Status::Error]);
}

#[test]
fn the_configs_targets_decide_and_a_target_no_change_meets_says_so() {
    let mut inv = account();
    with_tables(&mut inv, vec![table("maps")]);
    let strict = Config::parse("[recovery.data]\nrpo_minutes = 1\n").unwrap();
    let out = judge(&inv, &strict, Disruption::Data);
    assert_eq!(statuses(&out), [Status::Fail]);
    assert!(
        out[0]
            .message
            .ends_with("no single change in the catalog meets the target"),
        "{}",
        out[0].message
    );
    let expected = crate::checks::find("REC-04")
        .unwrap()
        .expected_text(&strict, "");
    assert_eq!(expected, "RTO <= 240 min, RPO <= 1 min ([recovery.data])");
}

#[test]
fn equal_components_share_a_row_and_the_application_is_the_worst() {
    let mut inv = account();
    let mut tables: Vec<_> = (0..120)
        .map(|i| table(&format!("archive-{i:03}")))
        .collect();
    tables[7].pitr_enabled = Some(false);
    with_tables(&mut inv, tables);
    let r = assess(&inv, &Config::default());
    assert_eq!(
        r.groups.len(),
        3,
        "the application, 119 tables with PITR, the one without"
    );
    assert_eq!(r.groups[1].names.len(), 119);
    assert_eq!(r.groups[2].names, ["archive-007"]);
    let data = r
        .application
        .iter()
        .find(|e| e.disruption == Disruption::Data)
        .unwrap();
    assert_eq!(data.rpo, Span::Unbounded);
    assert!(data.how.contains("archive-007"), "{}", data.how);
}

#[test]
fn a_versioned_bucket_loses_nothing_and_a_replicated_one_a_quarter_hour() {
    let mut inv = account();
    let mut data = bucket("maps-input", REGION);
    data.replication = Collected::Ok(Some(crate::inventory::Replication {
        destinations: vec!["arn:aws:s3:::maps-input-replica".into()],
        enabled_rules: 1,
    }));
    let replica = bucket("maps-input-replica", "eu-central-1");
    let mut plain = bucket("uploads", REGION);
    plain.versioning = Collected::Ok(None);
    inv.s3 = Some(Collected::Ok(crate::inventory::S3 {
        buckets: vec![data, replica, plain],
        ..Default::default()
    }));
    let r = assess(&inv, &Config::default());
    let names: Vec<&str> = r.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["maps-input", "uploads"],
        "the replica is the copy, not a component"
    );
    let region = estimate_of(&inv, "maps-input", Disruption::Region);
    assert_eq!(
        (region.rule.as_str(), region.rpo),
        ("region.bucket-replica", Span::minutes(15.0))
    );
    assert_eq!(
        estimate_of(&inv, "maps-input", Disruption::Data).rpo,
        Span::minutes(0.0)
    );
    assert_eq!(
        estimate_of(&inv, "uploads", Disruption::Data).rule,
        "data.none"
    );
}

#[test]
fn every_rule_is_documented_with_its_source_and_every_rule_used_is_declared() {
    let doc = include_str!("../../../docs/recovery.md");
    for (id, url) in RULES {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{id}` |")))
            .unwrap_or_else(|| panic!("docs/recovery.md has no row for {id}"));
        assert!(
            row.contains(url),
            "docs/recovery.md's row for {id} does not cite {url}"
        );
    }
    let code = include_str!("estimates.rs");
    for quoted in code.split('"').skip(1).step_by(2) {
        let shaped = ["task.", "zone.", "region.", "data."]
            .iter()
            .any(|p| quoted.starts_with(p))
            && quoted
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-');
        if shaped {
            assert!(
                RULES.iter().any(|(id, _)| *id == quoted),
                "rule {quoted} is not in RULES"
            );
        }
    }
}
