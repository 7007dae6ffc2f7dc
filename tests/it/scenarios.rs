//! Every check, judged on the emulator's scenarios: the wire, the collectors and the whole
//! pipeline. Not every check can FAIL and PASS here (moto cannot seed every case, and some
//! checks need a config or a person's word): each check's fixtures hold that promise
//! (`fixtures.rs`).

use prodready::checks::Status::{self, *};

use crate::support::*;

/// check → status on (staging, production, degraded).
///
/// Where the emulator cannot show what a scenario holds (moto 5.2.5, see docs/architecture.md),
/// the column says what the emulator makes of it, and a unit test on a built inventory shows
/// the status real AWS would give: BAK-02 (ListBackupSelections answers 500: ERROR once a plan
/// qualifies), BAK-05 (ListRestoreJobs, called where a vault exists, answers 404: ERROR unless
/// a restored table proves a restore), BAK-06 in production (a table's replicas are never
/// reported), REC-03 in production and degraded (without the replica, the table's region
/// estimate turns on its backup selections, which cannot be read: unknown, so ERROR; the
/// REC-03 fixture holds the production account as real AWS reports it, and passes).
const EXPECTED: &[(&str, Status, Status, Status)] = &[
    ("STATE-01", Fail, Pass, Fail),
    ("STATE-02", NotApplicable, Pass, Fail),
    ("STATE-03", Fail, Pass, Fail),
    ("HA-01", Fail, Pass, Pass),
    ("HA-02", Pass, Pass, Fail),
    ("HA-03", Fail, Pass, Fail),
    ("HA-04", NotApplicable, Pass, Fail),
    ("HA-05", Fail, Pass, Pass),
    ("HA-06", Pass, Pass, Fail),
    ("MON-01", Fail, Pass, Fail),
    ("MON-02", Fail, Pass, Fail),
    ("MON-03", NotApplicable, Pass, Fail),
    ("MON-04", Fail, Pass, Fail),
    ("MON-05", Fail, Pass, NotApplicable),
    ("MON-06", Fail, Pass, NotApplicable),
    ("MON-07", NotApplicable, Pass, Fail),
    ("MON-08", Fail, Pass, Fail),
    ("MON-09", Fail, Pass, Pass),
    ("SEC-01", Fail, Pass, Pass),
    ("SEC-02", NotApplicable, Pass, Fail),
    ("BAK-01", Fail, Pass, Pass),
    ("BAK-02", Fail, Error, Fail),
    ("BAK-03", Fail, Pass, NotApplicable),
    ("BAK-04", Fail, Pass, NotApplicable),
    ("BAK-05", Fail, Error, Pass),
    ("BAK-06", Fail, Fail, Fail),
    ("REC-01", Fail, Pass, Pass),
    ("REC-02", Fail, Pass, Pass),
    ("REC-03", Fail, Error, Error),
    ("REC-04", Fail, Pass, Pass),
    ("HARD-01", Fail, Pass, Pass),
    ("HARD-02", Fail, Pass, Fail),
    ("HARD-03", Fail, Pass, Fail),
    ("HARD-04", Fail, Pass, Fail),
    ("HARD-05", Fail, Pass, NotApplicable),
    ("HARD-06", Fail, Pass, Pass),
    ("HARD-07", Fail, Pass, Fail),
    ("HARD-08", Fail, Pass, Fail),
    ("HARD-09", NotApplicable, NotApplicable, NotApplicable),
    ("SCALE-01", Fail, Pass, Fail),
    ("SCALE-02", Fail, Pass, Fail),
    ("CICD-01", Fail, Pass, Pass),
    ("CICD-02", Fail, Pass, Fail),
    ("CICD-03", Fail, Pass, Fail),
    ("IAC-01", NotApplicable, NotApplicable, NotApplicable),
    ("DOM-01", Fail, Pass, Pass),
    ("DOM-02", NotApplicable, Pass, Fail),
    ("DOM-03", NotApplicable, Pass, Fail),
    ("OBS-01", Fail, Pass, Fail),
    ("OBS-02", Fail, Pass, Fail),
    ("OBS-03", Fail, Pass, Fail),
    ("COST-01", Pass, Pass, Fail),
    ("COST-02", Fail, Pass, NotApplicable),
    ("DOC-01", Manual, Manual, Manual),
];

/// Calls the emulator does not implement (moto 5.2.5): their errors are expected in every
/// scan against it, and nowhere else.
const EMULATOR_GAPS: &[&str] = &[
    "ListRestoreJobs",
    "ListBackupSelections",
    "DescribeRegionSettings",
    "GetUsageStatistics",
];

fn assert_statuses(scenario: &str, column: impl Fn(&(&str, Status, Status, Status)) -> Status) {
    let e = scan_scenarios(&[scenario], &[REGION]);
    let mut wrong = Vec::new();
    for row in EXPECTED {
        let got = status_of(&e, row.0);
        if got != column(row) {
            let detail: Vec<_> = e
                .findings
                .iter()
                .filter(|f| f.check_id == row.0)
                .map(|f| f.message.clone())
                .collect();
            wrong.push(format!(
                "{}: want {:?}, got {got:?} ({detail:?})",
                row.0,
                column(row)
            ));
        }
    }
    assert!(wrong.is_empty(), "{scenario}:\n{}", wrong.join("\n"));
    let unexpected: Vec<_> = e
        .errors
        .iter()
        .filter(|err| !EMULATOR_GAPS.contains(&err.operation.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{scenario} scan had errors beyond the emulator's gaps: {unexpected:?}"
    );
    assert_eq!(
        e.checks.len(),
        EXPECTED.len(),
        "a check is missing from this table"
    );
}

#[test]
fn staging_fails_what_the_assessment_found() {
    assert_statuses("staging", |r| r.1);
}

#[test]
fn production_passes_every_check_the_emulator_can_show() {
    assert_statuses("production", |r| r.2);
}

#[test]
fn degraded_fails_the_subtler_checks() {
    assert_statuses("degraded", |r| r.3);
}

#[test]
fn every_part_of_the_inventory_is_collected_in_every_scanned_region() {
    let e = scan_scenarios(&["staging"], &[REGION]);
    let inventory = serde_json::to_value(&e.inventory).unwrap();
    for part in prodready::inventory::Inventory::PARTS {
        let value = &inventory[part];
        let read = match value.as_object() {
            Some(regions) if regions.contains_key("ok") || regions.contains_key("error") => true,
            Some(regions) => regions.contains_key(REGION),
            None => false,
        };
        assert!(read, "{part} was not collected: {value}");
    }
}

#[test]
fn staging_findings_name_the_resources_and_what_was_observed() {
    let e = scan_scenarios(&["staging"], &[REGION]);
    let ha01: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "HA-01")
        .collect();
    assert_eq!(ha01.len(), 1);
    let f = ha01[0];
    assert_eq!(f.status, Fail);
    assert_eq!(
        f.resource_arn.as_deref(),
        Some(&*format!(
            "arn:aws:ecs:{REGION}:{}:service/mra-mines/frontend",
            e.scan.account_id
        ))
    );
    assert_eq!(f.observed, "desiredCount=1");
    assert_eq!(f.expected, "desiredCount >= 3");
    assert_eq!(f.region.as_deref(), Some(REGION));

    let mon: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "MON-09")
        .collect();
    assert_eq!(mon.len(), 2, "both log groups are judged");
    assert!(mon.iter().all(|f| f.observed == "retentionInDays=7"));
    // The inventory keeps the variable's name, never its value.
    let ecs = e.inventory.ecs[REGION].ok().unwrap();
    assert!(ecs.task_definitions[0].containers[0]
        .environment
        .contains(&"COGNITO_CLIENT_ID".to_owned()));
}

#[test]
fn guardduty_is_judged_per_region_and_a_multi_region_trail_read_once() {
    let e = scan_scenarios(&["production"], &[REGION, "us-east-1"]);
    let gd: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "HARD-08")
        .map(|f| (f.region.clone().unwrap(), f.status))
        .collect();
    assert_eq!(
        gd,
        [(REGION.to_owned(), Pass), ("us-east-1".to_owned(), Fail)]
    );
    assert_eq!(status_of(&e, "HARD-07"), Pass);
    let status_calls: u64 = e
        .api_calls
        .iter()
        .filter(|c| c.operation == "GetTrailStatus")
        .map(|c| c.count)
        .sum();
    assert_eq!(
        status_calls, 1,
        "the multi-region trail's status is read once"
    );
    let ct = e.inventory.cloudtrail.as_ref().unwrap().ok().unwrap();
    assert_eq!(ct.trails.len(), 1);
}

#[test]
fn lists_paginate_to_the_end_and_no_call_is_made_twice() {
    let em = Emulator::shared();
    let account = fresh_account();
    // 130 tables: ListTables returns 100 a page. 120 log groups: DescribeLogGroups, 50 a page.
    em.seed_into(
        &account,
        &[],
        &["--large", "tables=130,log_groups=120,keys=3"],
    );
    let e = scan_account(&account, &[REGION]);
    let ddb = e.inventory.dynamodb[REGION].ok().unwrap();
    assert_eq!(ddb.tables.len(), 130);
    assert_eq!(e.inventory.logs[REGION].ok().unwrap().groups.len(), 120);
    let calls = |op: &str| {
        e.api_calls
            .iter()
            .filter(|c| c.operation == op)
            .map(|c| c.count)
            .sum::<u64>()
    };
    assert_eq!(calls("ListTables"), 2);
    assert_eq!(calls("DescribeTable"), 130);
    assert_eq!(calls("DescribeContinuousBackups"), 130);
    // Legacy global tables: one list for the region, not one call per table.
    assert_eq!(calls("ListGlobalTables"), 1);
    assert_eq!(calls("DescribeLogGroups"), 3);
    assert_eq!(calls("DescribeKey"), 3);
    assert_eq!(calls("GetKeyRotationStatus"), 3);
    // Half the generated tables have PITR.
    let f = e
        .findings
        .iter()
        .filter(|f| f.check_id == "BAK-01" && f.status == Fail)
        .count();
    assert_eq!(f, 65);
}

#[test]
fn doc_01_is_manual_until_attested_then_follows_the_attestation() {
    use prodready::config::{Attestation, AttestedResult};
    let em = Emulator::shared();
    let account = em.seed(&["production"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (result, want) in [(AttestedResult::Pass, Pass), (AttestedResult::Fail, Fail)] {
        let mut opts = options(&account, &[REGION]);
        opts.config.attestations.insert(
            "DOC-01".into(),
            Attestation {
                attested_by: "ops lead".into(),
                date: "2026-11-01".into(),
                evidence_url: "https://wiki.example.com/runbooks".into(),
                result,
            },
        );
        let e = runtime.block_on(prodready::scan::run(&opts)).unwrap();
        assert_eq!(status_of(&e, "DOC-01"), want);
        let f = e.findings.iter().find(|f| f.check_id == "DOC-01").unwrap();
        assert_eq!(
            f.observed,
            "attested by ops lead on 2026-11-01: https://wiki.example.com/runbooks"
        );
        // The attestation is part of the evidence's config.
        assert_eq!(e.config.attestations["DOC-01"].attested_by, "ops lead");
    }
}

#[test]
fn hard_09_judges_geography_only_when_the_config_names_countries() {
    let em = Emulator::shared();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (scenario, want) in [("staging", Fail), ("production", Pass)] {
        let account = em.seed(&[scenario]);
        let mut opts = options(&account, &[REGION]);
        opts.config.cloudfront.allowed_countries = vec!["GB".into(), "IE".into()];
        let e = runtime.block_on(prodready::scan::run(&opts)).unwrap();
        assert_eq!(status_of(&e, "HARD-09"), want, "{scenario}");
        let f = e.findings.iter().find(|f| f.check_id == "HARD-09").unwrap();
        let observed = if want == Pass {
            "whitelist: GB, IE"
        } else {
            "no geo restriction"
        };
        assert_eq!(f.observed, observed);
    }
}

#[test]
fn edge_findings_name_the_distribution_certificate_and_record() {
    let e = scan_scenarios(&["degraded"], &[REGION]);
    let find = |id: &str| {
        e.findings
            .iter()
            .find(|f| f.check_id == id)
            .unwrap_or_else(|| panic!("no {id} finding"))
    };
    // The imported certificate expires in 10 days; CloudFront's live in us-east-1, which
    // was read although only eu-west-1 was scanned.
    let dom02 = find("DOM-02");
    assert_eq!(dom02.status, Fail);
    assert!(
        dom02.observed.starts_with("ISSUED, expires in 1"),
        "{}",
        dom02.observed
    );
    assert_eq!(dom02.region.as_deref(), Some("us-east-1"));
    assert!(dom02.message.contains("imported certificates do not renew"));
    let dom03 = find("DOM-03");
    assert_eq!(
        dom03.observed,
        "no A, AAAA or CNAME record for api.degraded.example in Route 53"
    );
    let hard02 = find("HARD-02");
    assert!(
        hard02.observed.starts_with("web ACL api-waf rules: "),
        "{}",
        hard02.observed
    );
    // The restore drill is the evidence of a tested restore.
    let bak05 = find("BAK-05");
    assert!(
        bak05
            .observed
            .contains("table orders-restore-drill restored"),
        "{}",
        bak05.observed
    );
    // Secrets: the name is reported, the value never read.
    let sec02 = find("SEC-02");
    assert_eq!(sec02.observed, "RotationEnabled=false");
    assert!(sec02.message.contains("api/db-password"));
}

#[test]
fn the_scope_judges_one_application_in_a_shared_account() {
    let em = Emulator::shared();
    // Staging (mra-mines-…) and degraded (core, api, orders …) share one account.
    let account = em.seed(&["staging", "degraded"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut opts = options(&account, &[REGION]);
    opts.config.scope.name_prefixes = vec!["mra-mines".into()];
    let e = runtime.block_on(prodready::scan::run(&opts)).unwrap();
    // Only staging's resources are judged...
    let judged: Vec<&str> = e
        .findings
        .iter()
        .filter_map(|f| f.resource_arn.as_deref())
        .collect();
    assert!(
        !judged
            .iter()
            .any(|a| a.contains(":table/orders") || a.contains("service/core/")),
        "{judged:?}"
    );
    assert!(judged
        .iter()
        .any(|a| a.ends_with("service/mra-mines/frontend")));
    // ... and staging's verdicts stand (its security group is in, through its service).
    for id in ["HA-01", "HARD-06", "SEC-01", "MON-09"] {
        assert_eq!(status_of(&e, id), Fail, "{id}");
    }
    // What was left out is listed, and kept in the inventory.
    assert!(e.out_of_scope.iter().any(|a| a.ends_with(":table/orders")));
    // Staging's table is called "maps": names decide, so it is left out too. (Tags would not
    // depend on naming: `scope.tags`.)
    assert!(e.out_of_scope.iter().any(|a| a.ends_with(":table/maps")));
    assert!(e
        .out_of_scope
        .iter()
        .any(|a| a.ends_with("service/core/api")));
    let tables = &e.inventory.dynamodb[REGION].ok().unwrap().tables;
    assert!(tables.iter().any(|t| t.name == "orders"));
}

#[test]
fn staging_grades_development_with_weeks_of_work_and_production_grades_production() {
    use prodready::assess::{assess, Grade};
    use prodready::inventory::{BackupSelection, Collected, RestoreJob};

    let staging = scan_scenarios(&["staging"], &[REGION]);
    let a = &staging.assessment;
    assert_eq!(a.grade, Grade::DevelopmentStaging);
    assert!(!a.provisional);
    let phase1 = &a.phases[0];
    assert!(
        phase1.sections.iter().all(|s| !s.passed),
        "Phase 1 items unchecked"
    );
    // The assessment: "2-4 weeks of work".
    let weeks = a.effort_hours_left / 40.0;
    assert!((2.0..=4.0).contains(&weeks), "{weeks} weeks");

    // In the emulator, production's backup selections and restore jobs cannot be read and its
    // table's replica is not reported: Phase 2 is not complete, and the verdict provisional.
    let production = scan_scenarios(&["production"], &[REGION]);
    assert_eq!(production.assessment.grade, Grade::EnhancedStaging);
    assert!(production.assessment.provisional);
    // Filled in as AWS answers for what the seeder asked for, the same inventory grades
    // Production.
    let mut inv = production.inventory.clone();
    let maps_arn = {
        let Some(Collected::Ok(ddb)) = inv.dynamodb.get_mut(REGION) else {
            panic!("tables not collected")
        };
        let maps = ddb.tables.iter_mut().find(|t| t.name == "maps").unwrap();
        maps.replica_regions = vec!["eu-central-1".into()];
        maps.arn.clone()
    };
    let Some(Collected::Ok(backup)) = inv.backup.get_mut(REGION) else {
        panic!("backup not collected")
    };
    backup.plans[0].selections = Collected::Ok(vec![BackupSelection {
        name: "tables".into(),
        resources: vec![maps_arn.clone()],
        not_resources: vec![],
        tags: vec![],
        conditions: vec![],
        error: None,
    }]);
    backup.restore_jobs = Collected::Ok(vec![RestoreJob {
        id: "restore-drill".into(),
        status: Some("COMPLETED".into()),
        resource_type: Some("DynamoDB".into()),
        created_resource_arn: Some(format!("{maps_arn}-restore-drill")),
        completed: Some(inv.collected_at.clone()),
    }]);
    let findings = prodready::checks::evaluate(&inv, &production.config);
    let checks = prodready::evidence::check_results(&findings);
    let a = assess(&checks, &findings);
    assert_eq!(a.grade, Grade::Production, "{:?}", a.critical_issues);
    assert!(!a.provisional);
    assert!(a.score >= 95, "{}", a.score);
}

#[test]
fn the_markdown_report_reads_like_the_assessment() {
    let account = Emulator::shared().seed(&["staging"]);
    let out = scan_command(&account)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let (md, _) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    for heading in [
        "# Production Readiness Assessment",
        "**Grade:** Development/Staging · **Score:** ",
        "## Executive Summary",
        "### ❌ Critical Issues",
        "## Production Readiness Checklist",
        "### Phase 1: Critical — ",
        "- [ ] **Remote State** — 2 h left",
        "  - [ ] HA-01 ECS services run at least three tasks (critical) — 1 failing",
        "## Remediation",
        "## Recommendation",
        "Start with Phase 1 (Critical)",
    ] {
        assert!(md.contains(heading), "no {heading:?} in:\n{md}");
    }
    // Failing resources are named with their real identifiers.
    assert!(md.contains(&format!(
        "arn:aws:ecs:{REGION}:{account}:service/mra-mines/frontend"
    )));
    assert!(!md.contains(CANARY));
}

#[test]
fn staging_costs_tens_of_dollars_and_full_production_several_times_more() {
    let e = scan_scenarios(&["staging"], &[REGION]);
    let cost = e.assessment.cost.as_ref().expect("a cost estimate");
    assert_eq!(
        (cost.currency.as_str(), cost.region.as_str()),
        ("USD", REGION)
    );
    assert!(
        (10.0..50.0).contains(&cost.current_monthly),
        "{}",
        cost.current_monthly
    );
    let option = |name: &str| cost.options.iter().find(|o| o.name == name).unwrap();
    let full = option("Full Production");
    assert!(
        full.monthly >= 3.0 * cost.current_monthly,
        "{}",
        full.monthly
    );
    assert!(option("Production-Lite").monthly <= full.monthly);
    assert!(option("Enhanced Staging").monthly <= option("Production-Lite").monthly);
    // Every line is quantity × unit price, and what is assumed says so.
    for l in cost.lines.iter().chain(&full.added_lines) {
        assert!(
            (l.quantity * l.unit_price - l.monthly).abs() < 1e-9,
            "{l:?}"
        );
    }
    let cloudfront = cost
        .lines
        .iter()
        .find(|l| l.item == "CloudFront data transfer out")
        .unwrap();
    assert!(cloudfront.assumption.is_some());
    // The emulator publishes bucket sizes: the input bucket's is measured, not assumed.
    let s3 = cost
        .lines
        .iter()
        .find(|l| l.item.starts_with("S3 Standard storage"))
        .unwrap();
    assert_eq!(
        s3.item,
        "S3 Standard storage (data buckets), measured by CloudWatch (1)"
    );
    assert!(s3.assumption.is_none());
    // The single task: 0.25 vCPU and 0.5 GB for 730 hours at eu-west-1 Fargate prices.
    let fargate = &cost.lines[0];
    assert_eq!(fargate.quantity, 730.0);
    assert!((fargate.monthly - 9.01).abs() < 0.01, "{}", fargate.monthly);
    // The fixes the assessment prices: more tasks, a load balancer, a WAF.
    for item in [
        "HA-01: 2 more task(s) of frontend",
        "HA-03: an Application Load Balancer",
        "HARD-01: a WAF web ACL per distribution",
    ] {
        assert!(
            full.added_lines.iter().any(|l| l.item.starts_with(item)),
            "{item}: {:?}",
            full.added_lines
        );
    }
}

#[test]
fn a_price_table_file_replaces_the_embedded_one() {
    let dir = temp_dir("prices");
    let file = dir.join("prices.toml");
    let doubled = include_str!("../../prices/aws.toml")
        .replace("fargate_vcpu_hour = 0.04048", "fargate_vcpu_hour = 0.08096");
    std::fs::write(
        &file,
        doubled.replace("date = \"2026-11-01\"", "date = \"2027-01-01\""),
    )
    .unwrap();
    let account = Emulator::shared().seed(&["staging"]);
    let out = scan_command(&account)
        .args(["--format", "json", "--prices"])
        .arg(&file)
        .output()
        .unwrap();
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["assessment"]["cost"]["price_table_date"], "2027-01-01");
    // A malformed table is a clear error before any call.
    std::fs::write(&file, "date = 1\n").unwrap();
    let out = scan_command(&account)
        .arg("--prices")
        .arg(&file)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("price table") && stderr.contains("prices.toml"),
        "{stderr}"
    );
}

/// The status of a check's finding on the resource whose ARN ends with `suffix`.
fn status_on(e: &prodready::evidence::Evidence, id: &str, suffix: &str) -> Option<Status> {
    e.findings
        .iter()
        .find(|f| {
            f.check_id == id
                && f.resource_arn
                    .as_deref()
                    .is_some_and(|a| a.ends_with(suffix))
        })
        .map(|f| f.status)
}

#[test]
fn real_world_shapes_are_judged_as_aws_documents_them() {
    let e = scan_scenarios(&["realworld"], &[REGION]);
    let findings = |id: &str| -> Vec<String> {
        e.findings
            .iter()
            .filter(|f| f.check_id == id)
            .map(|f| format!("{:?} {:?} {}", f.status, f.resource_arn, f.observed))
            .collect()
    };
    for (id, suffix, want) in [
        // A Network Load Balancer fronts a service as an ALB does, and its alarm counts.
        ("HA-03", "service/shop/ledger", Pass),
        // A worker that maps no port serves no traffic: nothing to balance.
        ("HA-03", "service/shop/mailer", NotApplicable),
        ("MON-02", "service/shop/ledger", Pass),
        // Blue/green by CodeDeploy: no rolling-update percentages, and it rolls back.
        ("HA-06", "service/shop/checkout", NotApplicable),
        ("CICD-02", "service/shop/checkout", Pass),
        // Deployment alarms with rollback, instead of the circuit breaker.
        ("CICD-02", "service/shop/catalog", Pass),
        // An Incident Manager response plan pages; another account's topic cannot be seen.
        ("MON-07", ":alarm:ledger-unhealthy", Pass),
        ("MON-07", ":alarm:ledger-cpu", Manual),
        // No action of its own, but an enabled EventBridge rule routes alarm state changes (its
        // state the one that also takes CloudTrail's read-only management events).
        ("MON-07", ":alarm:mailer-bounces", Manual),
        // The registry's rules decide over the repositories' own flags.
        ("CICD-03", "repository/shop-prod-ledger", Pass),
        ("CICD-03", "repository/sandbox", Fail),
    ] {
        assert_eq!(
            status_on(&e, id, suffix),
            Some(want),
            "{id} on {suffix}: {:#?}",
            findings(id)
        );
    }
    // An ALB's access logs can only go to an SSE-S3 bucket.
    let alb_logs = e.findings.iter().find(|f| {
        f.check_id == "HARD-04"
            && f.resource_arn
                .as_deref()
                .is_some_and(|a| a.contains(":::shop-alb-logs-"))
    });
    assert_eq!(
        alb_logs.map(|f| f.status),
        Some(NotApplicable),
        "{:#?}",
        findings("HARD-04")
    );
    // ECS acts on the deployment alarm itself: MON-07 does not ask it to page.
    assert_eq!(
        status_on(&e, "MON-07", ":alarm:catalog-deploy-errors"),
        None
    );
    // A trail of data events only does not record the account's API activity.
    assert_eq!(status_of(&e, "HARD-07"), Fail, "{:#?}", findings("HARD-07"));
    assert!(
        e.findings
            .iter()
            .any(|f| f.check_id == "HARD-07" && f.observed.contains("management event")),
        "{:#?}",
        findings("HARD-07")
    );
    // The account's Block Public Access protects the state bucket, which has none of its own.
    assert_eq!(
        status_of(&e, "STATE-02"),
        Pass,
        "{:#?}",
        findings("STATE-02")
    );
    // Imported key material cannot rotate automatically.
    assert_eq!(
        status_of(&e, "HARD-05"),
        NotApplicable,
        "{:#?}",
        findings("HARD-05")
    );
    // `*.shop.example` (`\052.shop.example` on the wire) answers www.shop.example.
    assert_eq!(status_of(&e, "DOM-03"), Pass, "{:#?}", findings("DOM-03"));
    // Names that point at a secret, or only look like one, hold none.
    assert_eq!(status_of(&e, "SEC-01"), Pass, "{:#?}", findings("SEC-01"));
}

#[test]
fn real_world_shapes_are_priced_as_aws_bills_them() {
    let e = scan_scenarios(&["realworld"], &[REGION]);
    let cost = e.assessment.cost.as_ref().expect("a cost estimate");
    let prices = &prodready::assess::cost::PriceTable::embedded().regions[REGION];
    let line = |prefix: &str| {
        cost.lines
            .iter()
            .find(|l| l.item.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix}: {:#?}", cost.lines))
    };
    // A Graviton task at Fargate's ARM prices.
    let mailer = line("ECS Fargate: service mailer (3 task(s) of 0.25 vCPU, 0.5 GB, ARM64)");
    let arm = 0.25 * prices.fargate_arm_vcpu_hour + 0.5 * prices.fargate_arm_gb_hour;
    assert!((mailer.unit_price - arm).abs() < 1e-12, "{mailer:?}");
    // A provisioned table pays for its capacity by the hour, not for requests.
    let writes = line("DynamoDB provisioned writes (1 tables)");
    assert_eq!(writes.quantity, 10.0 * 730.0);
    assert_eq!(
        line("DynamoDB provisioned reads (1 tables)").quantity,
        20.0 * 730.0
    );
    // The disabled key is billed until it is deleted.
    let keys = line("KMS customer-managed keys (1 of them not enabled");
    assert_eq!(
        keys.quantity, 2.0,
        "the imported key and the disabled one: {keys:?}"
    );
    // The data-event trail pays from its first copy; an internet-facing ALB and NLB in two
    // zones each hold four public addresses.
    assert_eq!(
        line("CloudTrail data events (1 trails)").basis,
        prodready::assess::cost::Basis::Assumed
    );
    // The NAT gateway in zone a, by the hour, and its Elastic IP among the addresses.
    assert_eq!(line("NAT gateways (1)").quantity, 730.0);
    let addresses = line("Public IPv4 addresses");
    assert!(addresses.item.contains("NAT gateways: 1"), "{addresses:?}");
    assert_eq!(addresses.quantity, 5.0 * 730.0, "{addresses:?}");
    let b = &cost.by_basis;
    assert!((b.measured + b.inventory + b.assumed - cost.current_monthly).abs() < 1e-6);
}

#[test]
fn recovery_estimates_say_what_each_failure_costs_by_a_named_rule() {
    use prodready::checks::recovery::{Disruption, Span};
    let staging = scan_scenarios(&["staging"], &[REGION]);
    let r = staging.assessment.recovery.as_ref().unwrap();
    let maps = r.components.iter().find(|c| c.name == "maps").unwrap();
    let data = maps.estimate(Disruption::Data).unwrap();
    assert_eq!(
        (data.rule.as_str(), &data.rpo),
        ("data.none", &Span::Unbounded)
    );
    assert_eq!(data.rpo.text(false), "everything since it was created");
    assert_eq!(status_of(&staging, "REC-04"), Fail);
    let frontend = r.components.iter().find(|c| c.name == "frontend").unwrap();
    assert_eq!(
        frontend.estimate(Disruption::Zone).unwrap().rule,
        "zone.one-zone"
    );
    assert_eq!(status_of(&staging, "REC-02"), Fail);

    let production = scan_scenarios(&["production"], &[REGION]);
    let r = production.assessment.recovery.as_ref().unwrap();
    let maps = r.components.iter().find(|c| c.name == "maps").unwrap();
    let data = maps.estimate(Disruption::Data).unwrap();
    assert_eq!(
        (data.rule.as_str(), &data.rpo),
        ("data.pitr", &Span::minutes(5.0))
    );
    for id in ["REC-01", "REC-02", "REC-04"] {
        assert_eq!(status_of(&production, id), Pass, "{id}");
    }
    let known: Vec<&str> = prodready::checks::recovery::RULES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    for e in r.components.iter().flat_map(|c| &c.estimates) {
        assert!(
            known.contains(&e.rule.as_str()),
            "{} names no rule of docs/recovery.md",
            e.rule
        );
        assert!(!e.how.is_empty());
    }
    // The Terraform lock table is no component; the bucket's replica is its copy.
    let names: Vec<&str> = r.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
