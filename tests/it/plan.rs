//! `prodready plan`: a Terraform plan judged before it is applied — alone (only what it holds,
//! nothing account-wide) and over a scan of the account (what it fixes, what it newly breaks).

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
    let out = prodready()
        .args(["plan", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let e: Value = serde_json::from_str(&stdout).unwrap();
    let bak01 = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "BAK-01")
        .unwrap();
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
        judged
            .iter()
            .all(|id| ["BAK-01", "BAK-06", "MON-09", "COST-01"].contains(id)),
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
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("plan-baseline");
    let baseline = dir.join("baseline.json");
    let scan = scan_command(&account)
        .args(["--format", "json", "--output"])
        .arg(&baseline)
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(1), "{:?}", text(&scan));
    let e: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    let maps = e["inventory"]["dynamodb"][REGION]["ok"]["tables"][0]["arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = dir.join("plan.json");
    std::fs::write(&file, plan(true, Some(&maps))).unwrap();
    let out = prodready()
        .args(["plan", "--format", "json", "--baseline"])
        .arg(&baseline)
        .arg(&file)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let d: Value = serde_json::from_str(&stdout).unwrap();
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
