//! `prodready plan`: a Terraform plan judged before it is applied — alone (only what it holds,
//! nothing account-wide) and over a scan of the account (what it fixes, what it newly breaks).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::support::*;

const PLAN_CANARY: &str = "canary-51ab-plan-value-do-not-leak";

/// A plan (`terraform show -json`'s shape) changing the maps table, with secrets elsewhere.
fn plan(pitr: bool, arn: Option<&str>) -> String {
    let mut values = json!({
        "name": "maps", "billing_mode": "PAY_PER_REQUEST", "hash_key": "map_id",
        "point_in_time_recovery": [{ "enabled": pitr }], "replica": [],
        "tags": { "owner": PLAN_CANARY },
    });
    if let Some(arn) = arn {
        values["arn"] = json!(arn);
    }
    json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": { "root_module": {
            "resources": [
                { "address": "aws_db_instance.main", "mode": "managed", "type": "aws_db_instance", "name": "main",
                  "values": { "password": PLAN_CANARY, "identifier": "main" } },
                { "address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "values": {} }
            ],
            "child_modules": [{ "address": "module.data", "resources": [
                { "address": "module.data.aws_dynamodb_table.maps", "mode": "managed", "type": "aws_dynamodb_table",
                  "name": "maps", "values": values }
            ]}]
        }},
        "resource_changes": [
            { "address": "module.data.aws_dynamodb_table.maps", "mode": "managed", "type": "aws_dynamodb_table",
              "name": "maps", "change": { "actions": ["update"], "before": {}, "after": {} } }
        ],
        "configuration": { "provider_config": { "aws": { "name": "aws",
            "expressions": { "region": { "constant_value": REGION } } } } }
    })
    .to_string()
}

#[test]
fn a_plan_turning_pitr_off_fails_bak_01_on_its_address_and_judges_nothing_account_wide() {
    let dir = temp_dir("plan-alone");
    let file = dir.join("plan.json");
    std::fs::write(&file, plan(false, None)).unwrap();
    let (e, stdout, stderr) = judged(&[file.as_os_str()], 1);
    let bak01 = first_finding(&e, "BAK-01");
    assert_eq!(bak01["status"], "FAIL");
    assert_eq!(
        bak01["terraform"]["address"],
        "module.data.aws_dynamodb_table.maps"
    );
    let judged: Vec<&str> = e["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check_id"].as_str().unwrap())
        .collect();
    assert!(
        judged.iter().all(|id| [
            "BAK-01", "BAK-06", "MON-09", "COST-01", "HA-01", "HARD-05", "HARD-06", "SEC-01"
        ]
        .contains(id)),
        "{judged:?}"
    );
    assert!(
        !judged.contains(&"HARD-07") && !judged.contains(&"MON-01"),
        "account-wide checks are not judged on a plan"
    );
    assert!(
        stderr.contains("not judged on a plan alone") && stderr.contains("aws_db_instance (1)"),
        "{stderr}"
    );
    assert!(
        !stdout.contains(PLAN_CANARY) && !stderr.contains(PLAN_CANARY),
        "a plan value leaked"
    );

    // With the configuration the plan was made from, the address gets its file and line.
    let out = prodready()
        .args(["plan", "--format", "json", "--terraform-dir"])
        .arg(root().join("tests/fixtures/terraform/staging"))
        .arg(&file)
        .output()
        .unwrap();
    let e: Value = serde_json::from_str(&text(&out).0).unwrap();
    let bak01 = first_finding(&e, "BAK-01");
    assert_eq!(
        (&bak01["terraform"]["file"], &bak01["terraform"]["line"]),
        (&json!("modules/data/main.tf"), &json!(1))
    );

    std::fs::write(&file, plan(true, None)).unwrap();
    let out = prodready().args(["plan"]).arg(&file).output().unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("BAK-01") && !stdout.contains(PLAN_CANARY),
        "{stdout}"
    );
}

#[test]
fn over_a_baseline_a_plan_that_turns_pitr_on_reports_the_fix_and_exits_0() {
    let (_, dir, baseline, e) = scanned("staging", "plan-baseline");
    let maps = e["inventory"]["dynamodb"][REGION]["ok"]["tables"][0]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = dir.join("plan.json");
    std::fs::write(&file, plan(true, Some(&maps))).unwrap();
    let over = [
        OsStr::new("--baseline"),
        baseline.as_os_str(),
        file.as_os_str(),
    ];
    let (d, stdout, stderr) = judged(&over, 0);
    let fixed: Vec<&str> = d["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check_id"].as_str().unwrap())
        .collect();
    assert!(
        fixed.contains(&"BAK-01") && fixed.contains(&"REC-04"),
        "{fixed:?}"
    );
    assert_eq!(d["new_failures"], json!([]));
    assert!(!stdout.contains(PLAN_CANARY));
    assert!(
        stderr.contains("not read from a plan") && stderr.contains("aws_db_instance (1)"),
        "the types a plan is not read for are named: {stderr}"
    );

    // A new table without point-in-time recovery is a new failure: exit 1, naming it.
    let new_table = plan(false, None)
        .replace("\"maps\"", "\"orders\"")
        .replace(".maps", ".orders");
    std::fs::write(&file, new_table).unwrap();
    let out = prodready()
        .args(["plan", "--baseline"])
        .arg(&baseline)
        .arg(&file)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("BAK-01") && stdout.contains("orders"),
        "{stdout}"
    );
}

#[test]
fn a_bad_plan_exits_2_naming_the_file_and_the_problem() {
    let dir = temp_dir("plan-bad");
    for (body, want) in [
        (
            "{\"format_version\": \"1.2\", \"planned_values\": {".to_owned(),
            "truncated: the JSON ends early (line 1",
        ),
        (
            format!("password={PLAN_CANARY}"),
            "not JSON (line 1, column 1)",
        ),
        (
            "{\"format_version\": \"2.0\", \"planned_values\": {}}".to_owned(),
            "format_version \"2.0\" is not one prodready reads",
        ),
        (
            "{\"format_version\": \"1.0\", \"values\": {}}".to_owned(),
            "no planned_values nor resource_changes",
        ),
    ] {
        let file = dir.join("plan.json");
        std::fs::write(&file, &body).unwrap();
        let out = prodready().arg("plan").arg(&file).output().unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("{}: {want}", file.display())),
            "{stderr}"
        );
        assert!(!stderr.contains(PLAN_CANARY));
    }
}

/// A scenario seeded into a fresh account and scanned: the account, a temporary folder, the
/// evidence file in it and its JSON. The scan fails checks (exit 1) or is partial where the
/// emulator cannot serve a read (exit 3): either way the evidence is written.
fn scanned(scenario: &str, name: &str) -> (String, PathBuf, PathBuf, Value) {
    let account = Emulator::shared().seed(&[scenario]);
    let dir = temp_dir(name);
    let baseline = dir.join("baseline.json");
    let scan = scan_command(&account)
        .args(["--format", "json", "--output"])
        .arg(&baseline)
        .output()
        .unwrap();
    assert!(
        matches!(scan.status.code(), Some(1 | 3)),
        "{:?}",
        text(&scan)
    );
    let e: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    (account, dir, baseline, e)
}

/// The first finding of check `id` in an evidence document.
fn first_finding<'a>(e: &'a Value, id: &str) -> &'a Value {
    e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no {id} finding"))
}

/// A plan fixture of tests/fixtures/plans, its placeholders filled.
fn fixture_plan(name: &str, fill: &[(&str, &str)]) -> String {
    let mut body = std::fs::read_to_string(root().join("tests/fixtures/plans").join(name)).unwrap();
    for (placeholder, value) in fill {
        body = body.replace(placeholder, value);
    }
    body
}

/// `prodready plan --format json ARGS…` exiting `exit` and leaking none of the plan's values:
/// the JSON it printed (evidence alone, the diff over a baseline), its stdout and its stderr.
fn judged(args: &[&OsStr], exit: i32) -> (Value, String, String) {
    let out = prodready()
        .args(["plan", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(exit), "{stderr}\n{stdout}");
    assert!(!stdout.contains(PLAN_CANARY) && !stderr.contains(PLAN_CANARY));
    (serde_json::from_str(&stdout).unwrap(), stdout, stderr)
}

/// The plan over the baseline, newly failing something (exit 1): the diff and the output.
fn judged_over(baseline: &Path, plan: &Path) -> (Value, String) {
    let (d, stdout, _) = judged(
        &[
            OsStr::new("--baseline"),
            baseline.as_os_str(),
            plan.as_os_str(),
        ],
        1,
    );
    (d, stdout)
}

fn changes<'a>(d: &'a Value, key: &str) -> Vec<(&'a str, &'a str)> {
    d[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check_id"].as_str().unwrap(),
                c["resource_arn"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_plan_of_services_in_a_for_each_module_is_judged_by_address_through_its_references() {
    let dir = temp_dir("plan-modules");
    let file = dir.join("plan.json");
    let body = fixture_plan(
        "staging-behind-an-alb.json",
        &[
            ("${ACCOUNT}", "123456789012"),
            ("${VPC_ID}", "vpc-0a1b2c3d"),
        ],
    );
    std::fs::write(&file, body).unwrap();
    let (e, _, stderr) = judged(&[file.as_os_str()], 1);
    let ha01: Vec<(&str, &str, &str)> = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "HA-01")
        .map(|f| {
            (
                f["status"].as_str().unwrap(),
                f["resource_arn"].as_str().unwrap(),
                f["terraform"]["address"].as_str().unwrap(),
            )
        })
        .collect();
    // The cluster comes through the module's input from the root's cluster: the service's
    // ARN names it, and each instance of the module keeps its own address.
    assert_eq!(
        ha01,
        [
            (
                "PASS",
                "arn:aws:ecs:eu-west-1:000000000000:service/mra-mines/frontend",
                r#"module.services["frontend"].aws_ecs_service.this"#
            ),
            (
                "FAIL",
                "arn:aws:ecs:eu-west-1:000000000000:service/mra-mines/worker",
                r#"module.services["worker"].aws_ecs_service.this"#
            ),
        ]
    );
    let judged: Vec<&str> = e["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check_id"].as_str().unwrap())
        .collect();
    // A task definition's plain environment, judged by the variable's name; its value stays
    // out of every output (asserted above).
    let sec01 = first_finding(&e, "SEC-01");
    assert_eq!(sec01["status"], "FAIL");
    assert_eq!(
        sec01["terraform"]["address"],
        "aws_ecs_task_definition.worker"
    );
    assert!(
        sec01["message"]
            .as_str()
            .unwrap()
            .contains("WORKER_API_TOKEN"),
        "{sec01}"
    );
    assert!(
        judged.contains(&"HA-01") && !judged.contains(&"HA-03"),
        "a load balancer check needs the account's target groups: not judged on a plan alone: {judged:?}"
    );
    assert!(
        stderr.contains("aws_secretsmanager_secret_version (1)"),
        "{stderr}"
    );
}

#[test]
fn over_staging_a_plan_that_puts_the_service_behind_an_alb_fixes_it_and_names_what_it_breaks() {
    let (account, dir, baseline, e) = scanned("staging", "plan-alb-baseline");
    let file = dir.join("plan.json");
    // New subnets in the service's VPC (a data source: known when planning).
    let subnet = &e["inventory"]["ecs"][REGION]["ok"]["services"][0]["subnets"][0];
    let vpc = e["inventory"]["ec2"][REGION]["ok"]["subnets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| &s["id"] == subnet)
        .map(|s| s["vpc_id"].as_str().unwrap().to_owned())
        .unwrap();
    let body = fixture_plan(
        "staging-behind-an-alb.json",
        &[("${ACCOUNT}", &account), ("${VPC_ID}", &vpc)],
    );
    std::fs::write(&file, body).unwrap();
    let (d, _) = judged_over(&baseline, &file);
    let fixed = changes(&d, "fixed");
    let frontend = |c: &&(&str, &str)| c.1.ends_with("/frontend");
    let fixed_frontend: Vec<&str> = fixed.iter().filter(frontend).map(|c| c.0).collect();
    // Two tasks, behind the new ALB (target group and listener made in the same plan, found
    // through the references), in the two new subnets' zones.
    for id in ["HA-01", "HA-03", "HA-05"] {
        assert!(fixed_frontend.contains(&id), "{id} not fixed: {fixed:?}");
    }
    // The input bucket's versioning, a resource of its own naming the bucket by reference.
    let input = format!("arn:aws:s3:::mra-mines-map-input-{account}");
    assert!(fixed.contains(&("BAK-04", input.as_str())), "{fixed:?}");
    let new = changes(&d, "new_failures");
    assert!(
        new.iter()
            .any(|c| c.0 == "HA-01" && c.1.ends_with("/worker")),
        "the new one-task worker is a new failure: {new:?}"
    );
    assert!(
        !new.iter().any(|c| c.1.ends_with("/frontend") || c.1.contains(":vpc/")),
        "nothing newly fails for the service the plan fixes, nor for the VPC it adds subnets to: {new:?}"
    );
}

#[test]
fn over_production_a_plan_that_deletes_the_load_balancer_is_a_new_failure() {
    let (_, dir, baseline, e) = scanned("production", "plan-lb-deleted");
    let lb = e["inventory"]["elbv2"][REGION]["ok"]["load_balancers"][0]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = dir.join("plan.json");
    std::fs::write(
        &file,
        fixture_plan("production-without-its-alb.json", &[("${LB_ARN}", &lb)]),
    )
    .unwrap();
    let (d, stdout) = judged_over(&baseline, &file);
    let new = changes(&d, "new_failures");
    assert!(
        new.iter()
            .any(|c| c.0 == "HA-03" && c.1.contains(":service/")),
        "the service loses its load balancer: {new:?}"
    );
    assert!(
        !changes(&d, "fixed").iter().any(|c| c.0 == "HA-03"),
        "{stdout}"
    );
}

#[test]
fn over_production_a_plan_that_tears_down_its_operations_newly_fails_each_check_they_passed() {
    let (_, dir, baseline, e) = scanned("production", "plan-ops-torn-down");
    let inventory = &e["inventory"];
    let detector = inventory["guardduty"][REGION]["ok"]["detectors"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = inventory["secretsmanager"][REGION]["ok"]["secrets"][0]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let vpc = inventory["security_groups"][REGION]["ok"]["groups"][0]["vpc_id"]
        .as_str()
        .unwrap_or("vpc-unknown")
        .to_owned();
    let file = dir.join("plan.json");
    std::fs::write(
        &file,
        fixture_plan(
            "production-ops-torn-down.json",
            &[
                ("${DETECTOR_ID}", &detector),
                ("${SECRET_ARN}", &secret),
                ("${VPC_ID}", &vpc),
            ],
        ),
    )
    .unwrap();
    let (d, stdout) = judged_over(&baseline, &file);
    let new = changes(&d, "new_failures");
    for (check, resource) in [
        ("MON-01", ":service/mra-mines/frontend"),
        // No detector left in the region: the region's finding.
        ("HARD-08", ":detector"),
        ("SCALE-01", ":service/mra-mines/frontend"),
        ("SEC-02", secret.as_str()),
        ("HARD-06", "security-group/aws_security_group.debug"),
    ] {
        assert!(
            new.iter().any(|c| c.0 == check && c.1.ends_with(resource)),
            "{check} on {resource}: {new:?}"
        );
    }
    assert!(changes(&d, "fixed").is_empty(), "{stdout}");
}

#[test]
fn over_staging_a_plan_that_adds_its_operations_fixes_what_they_fix_and_breaks_nothing() {
    let (account, dir, baseline, _) = scanned("staging", "plan-ops-added");
    let file = dir.join("plan.json");
    std::fs::write(
        &file,
        fixture_plan(
            "staging-gets-its-operations.json",
            &[("${ACCOUNT}", &account)],
        ),
    )
    .unwrap();
    let over = [
        OsStr::new("--baseline"),
        baseline.as_os_str(),
        file.as_os_str(),
    ];
    let (d, stdout, _) = judged(&over, 0);
    let fixed: Vec<&str> = changes(&d, "fixed").iter().map(|c| c.0).collect();
    for check in [
        "HARD-07", "HARD-08", "MON-01", "MON-08", "SCALE-01", "SCALE-02",
    ] {
        assert!(fixed.contains(&check), "{check} not fixed: {fixed:?}");
    }
    assert_eq!(d["new_failures"], json!([]), "{stdout}");
}

#[test]
fn alone_a_plan_that_opens_ssh_to_the_world_fails_hard_06_on_the_groups_address() {
    let dir = temp_dir("plan-ssh-alone");
    let file = dir.join("plan.json");
    let body = fixture_plan(
        "production-ops-torn-down.json",
        &[
            ("${DETECTOR_ID}", "d1"),
            (
                "${SECRET_ARN}",
                "arn:aws:secretsmanager:eu-west-1:1:secret:x-AbCdEf",
            ),
            ("${VPC_ID}", "vpc-0a1b2c3d"),
        ],
    );
    std::fs::write(&file, body).unwrap();
    let (e, _, _) = judged(&[file.as_os_str()], 1);
    let hard06 = first_finding(&e, "HARD-06");
    assert_eq!(hard06["status"], "FAIL", "{hard06}");
    assert_eq!(hard06["terraform"]["address"], "aws_security_group.debug");
    // Nothing account-wide: the deletions of an alarm, a detector or a rotation judge nothing.
    for id in ["MON-01", "HARD-08", "SEC-02", "SCALE-01"] {
        assert!(
            !e["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["check_id"] == id),
            "{id} is not judged on a plan alone"
        );
    }
    // Open on 443 only: whether a load balancer of the account uses it is not in the plan.
    let https = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"from_port\": 22", "\"from_port\": 443")
        .replace("\"to_port\": 22", "\"to_port\": 443");
    std::fs::write(&file, https).unwrap();
    // An ERROR is no failure: exit 0.
    let (e, _, _) = judged(&[file.as_os_str()], 0);
    let hard06 = first_finding(&e, "HARD-06");
    assert_eq!(hard06["status"], "ERROR", "{hard06}");
    assert!(
        hard06["message"].as_str().unwrap().contains("--baseline"),
        "{hard06}"
    );
}
