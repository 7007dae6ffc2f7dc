//! Terraform beside a scan: findings name the address, file and line that fix them, IAC-01
//! fails what no state manages, an `s3://` state is read with GetObject, a bad state stops the
//! scan with exit 2 before any call, and no state value reaches any output.

use serde_json::{json, Value};

use crate::support::*;

const STATE_CANARY: &str = "canary-9e2f-terraform-state-attribute-do-not-leak";

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key].as_str().is_some_and(|s| s.ends_with(value)))
        .unwrap_or_else(|| panic!("no {key} ending {value}"))
}

fn instance(index: Option<Value>, attributes: Value) -> Value {
    let mut i =
        json!({ "schema_version": 0, "attributes": attributes, "sensitive_attributes": [] });
    if let Some(k) = index {
        i["index_key"] = k;
    }
    i
}

fn resource(module: Option<&str>, kind: &str, name: &str, instances: Vec<Value>) -> Value {
    let mut r = json!({ "mode": "managed", "type": kind, "name": name,
        "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": instances });
    if let Some(m) = module {
        r["module"] = json!(m);
    }
    r
}

/// A raw state (version 4) managing the staging account's resources but its KMS key and its
/// CloudFront distribution, by the ARNs a first scan read, with secrets among its attributes.
fn staging_state(e: &Value) -> String {
    let inv = &e["inventory"];
    let ecs = &inv["ecs"][REGION]["ok"];
    let arn = |v: &Value| v["arn"].as_str().unwrap().to_owned();
    let table = find(&inv["dynamodb"][REGION]["ok"]["tables"], "name", "maps");
    let bucket = find(
        &inv["s3"]["ok"]["buckets"],
        "name",
        &format!("map-input-{}", e["scan"]["account_id"].as_str().unwrap()),
    );
    let group = find(
        &inv["logs"][REGION]["ok"]["groups"],
        "name",
        "/ecs/mra-mines-frontend",
    );
    let sg = find(
        &inv["security_groups"][REGION]["ok"]["groups"],
        "name",
        "frontend",
    );
    let repo = find(
        &inv["ecr"][REGION]["ok"]["repositories"],
        "name",
        "mra-mines-frontend",
    );
    let function = find(
        &inv["lambda"][REGION]["ok"]["functions"],
        "name",
        "map-processor",
    );
    let one = |attributes: Value| vec![instance(None, attributes)];
    let state = json!({
        "version": 4, "terraform_version": "1.9.8", "serial": 12, "lineage": "5c1f", "outputs": {},
        "resources": [
            { "mode": "data", "type": "aws_caller_identity", "name": "current", "provider": "p",
              "instances": [{ "attributes": { "account_id": e["scan"]["account_id"] } }] },
            resource(None, "aws_ecs_cluster", "main", one(json!({ "arn": arn(&ecs["clusters"][0]), "name": "mra-mines" }))),
            resource(None, "aws_ecs_service", "frontend", one(json!({ "id": arn(&ecs["services"][0]), "name": "frontend" }))),
            resource(Some("module.data"), "aws_dynamodb_table", "maps", one(json!({ "arn": arn(table), "id": "maps" }))),
            resource(Some("module.data"), "aws_s3_bucket", "map_input", one(json!({ "arn": arn(bucket), "bucket": bucket["name"] }))),
            resource(None, "aws_cloudwatch_log_group", "app", vec![instance(Some(json!("frontend")),
                json!({ "arn": arn(group).trim_end_matches(":*"), "name": "/ecs/mra-mines-frontend" }))]),
            resource(None, "aws_security_group", "frontend", one(json!({ "id": sg["id"], "name": "frontend" }))),
            resource(None, "aws_ecr_repository", "frontend", one(json!({ "arn": arn(repo) }))),
            resource(Some("module.edge"), "aws_lambda_function", "map_processor", one(json!({ "arn": arn(function),
                "environment": [{ "variables": { "API_TOKEN": STATE_CANARY } }] }))),
            resource(None, "random_password", "db", one(json!({ "id": "none", "result": STATE_CANARY }))),
            resource(None, "aws_ssm_parameter", "token", one(json!({ "arn": "arn:aws:ssm:eu-west-1:1:parameter/t", "value": STATE_CANARY }))),
        ]
    });
    serde_json::to_string_pretty(&state).unwrap()
}

#[test]
fn findings_name_the_address_file_and_line_that_fix_them_and_iac_01_fails_the_unmanaged() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("terraform");
    let first = scan_command(&account)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&first.stdout).unwrap();
    let state = dir.join("staging.tfstate");
    std::fs::write(&state, staging_state(&e)).unwrap();
    let out_dir = dir.join("out");
    let out = scan_command(&account)
        .arg("--terraform-state")
        .arg(&state)
        .arg("--terraform-dir")
        .arg(root().join("tests/fixtures/terraform/staging"))
        .arg("--output-dir")
        .arg(&out_dir)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let evidence: Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("evidence.json")).unwrap()).unwrap();
    let findings = evidence["findings"].as_array().unwrap();
    let of = |id: &str, name: &str| {
        findings
            .iter()
            .find(|f| {
                f["check_id"] == id
                    && f["resource_arn"]
                        .as_str()
                        .is_some_and(|a| a.ends_with(name))
            })
            .unwrap_or_else(|| panic!("no {id} finding on {name}"))
    };
    assert_eq!(
        of("BAK-01", "table/maps")["terraform"],
        json!({ "address": "module.data.aws_dynamodb_table.maps", "state": state.display().to_string(),
                "file": "modules/data/main.tf", "line": 1 })
    );
    assert_eq!(
        of("MON-09", "/ecs/mra-mines-frontend")["terraform"]["address"],
        "aws_cloudwatch_log_group.app[\"frontend\"]"
    );
    assert_eq!(
        of("MON-09", "/ecs/mra-mines-frontend")["terraform"]["line"],
        31
    );
    // IAC-01: the key and the distribution were made by hand; Lambda's own log group is AWS's.
    assert_eq!(of("IAC-01", "table/maps")["status"], "PASS");
    assert_eq!(
        of("IAC-01", "function:mra-mines-map-processor")["observed"]
            .as_str()
            .unwrap()
            .split(" in ")
            .next(),
        Some("module.edge.aws_lambda_function.map_processor")
    );
    let failing: Vec<&str> = findings
        .iter()
        .filter(|f| f["check_id"] == "IAC-01" && f["status"] == "FAIL")
        .map(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .split(" is managed")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(failing.len(), 2, "{failing:?}");
    assert!(
        failing[0].starts_with("KMS key ") && failing[1].starts_with("CloudFront distribution "),
        "{failing:?}"
    );
    assert!(!findings.iter().any(|f| f["check_id"] == "IAC-01"
        && f["resource_arn"].as_str().unwrap().contains("/aws/lambda/")));
    // The states' unknown types are counted, never searched.
    assert_eq!(
        evidence["inventory"]["terraform"]["ok"]["states"][0]["unknown_types"],
        json!({ "aws_ssm_parameter": 1, "random_password": 1 })
    );

    let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
    assert!(
        md.contains(
            "Where to fix it: `module.data.aws_dynamodb_table.maps (modules/data/main.tf:1)`"
        ),
        "{md}"
    );
    assert!(md.contains("# module.data.aws_dynamodb_table.maps (modules/data/main.tf:1)\nresource \"aws_dynamodb_table\" \"maps\" {"), "{md}");
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("report.sarif")).unwrap()).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "BAK-01")
        .unwrap();
    assert_eq!(
        result["locations"][0]["physicalLocation"],
        json!({ "artifactLocation": { "uri": "modules/data/main.tf" }, "region": { "startLine": 1 } })
    );
    for file in std::fs::read_dir(&out_dir).unwrap() {
        let path = file.unwrap().path();
        let body = std::fs::read_to_string(&path).unwrap();
        assert!(
            !body.contains(STATE_CANARY),
            "{} leaks a state value",
            path.display()
        );
    }
    assert!(!stdout.contains(STATE_CANARY) && !stderr.contains(STATE_CANARY));
}

const PUT_STATE: &str = r#"
import sys, boto3
endpoint, account, bucket, path = sys.argv[1:5]
c = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="y")
c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
c.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
c.put_object(Bucket=bucket, Key="staging/terraform.tfstate", Body=open(path, "rb").read())
"#;

#[test]
fn an_s3_state_is_read_with_get_object_and_one_that_cannot_be_is_an_error_of_that_input() {
    let em = Emulator::shared();
    let account = em.seed(&["staging"]);
    let dir = temp_dir("terraform-s3");
    let first = scan_command(&account)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&first.stdout).unwrap();
    let state = dir.join("staging.tfstate");
    std::fs::write(&state, staging_state(&e)).unwrap();
    let bucket = format!("tf-state-{account}");
    let put = std::process::Command::new(python())
        .args(["-c", PUT_STATE, &em.endpoint, &account, &bucket])
        .arg(&state)
        .output()
        .unwrap();
    assert!(put.status.success(), "{:?}", text(&put));
    let url = format!("s3://{bucket}/staging/terraform.tfstate");
    let out = scan_command(&account)
        .args([
            "--format",
            "json",
            "--terraform-state",
            &url,
            "--terraform-state",
            "s3://no-such-bucket-here/x.tfstate",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a state that cannot be read makes the scan partial: {stderr}"
    );
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    let states = &e["inventory"]["terraform"]["ok"]["states"];
    assert_eq!(states[0]["source"], url.as_str());
    assert!(states[0]["resources"].as_array().unwrap().len() >= 8);
    assert_eq!(states[1]["error"]["operation"], "GetObject");
    assert!(e["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["operation"] == "GetObject" && x["iam_action"] == "s3:GetObject"));
    // What the readable state manages passes; the rest cannot be told from hand-made: ERROR.
    let iac: Vec<&str> = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "IAC-01")
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert!(
        iac.contains(&"PASS") && iac.contains(&"ERROR") && !iac.contains(&"FAIL"),
        "{iac:?}"
    );
    assert!(!stdout.contains(STATE_CANARY) && !stderr.contains(STATE_CANARY));
}

#[test]
fn a_bad_state_or_configuration_exits_2_naming_the_file_and_where_before_any_call() {
    let dir = temp_dir("terraform-bad");
    let cut = dir.join("cut.tfstate");
    std::fs::write(&cut, format!("{{\"version\": 4, \"resources\": [{{\"mode\": \"managed\", \"type\": \"random_password\", \"instances\": [{{\"attributes\": {{\"result\": \"{STATE_CANARY}\"")).unwrap();
    let old = dir.join("old.tfstate");
    std::fs::write(&old, "{\"version\": 3, \"modules\": []}").unwrap();
    let tf = dir.join("tf");
    std::fs::create_dir_all(&tf).unwrap();
    std::fs::write(
        tf.join("main.tf"),
        format!("resource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{STATE_CANARY}\"\n"),
    )
    .unwrap();
    for (args, want) in [
        (
            vec!["--terraform-state".to_owned(), cut.display().to_string()],
            format!(
                "{}: truncated: the JSON ends early (line 1, column",
                cut.display()
            ),
        ),
        (
            vec!["--terraform-state".to_owned(), old.display().to_string()],
            format!(
                "{}: Terraform state version 3 is not one prodready reads",
                old.display()
            ),
        ),
        (
            vec!["--terraform-dir".to_owned(), tf.display().to_string()],
            format!("{}: line 2, column", tf.join("main.tf").display()),
        ),
        (
            vec![
                "--terraform-state".to_owned(),
                "s3://bucket-only".to_owned(),
            ],
            "s3://bucket-only: an S3 state is given as s3://BUCKET/KEY".to_owned(),
        ),
    ] {
        // No endpoint answers here: the error must come before any call.
        let out = prodready()
            .env("AWS_ACCESS_KEY_ID", "x")
            .env("AWS_SECRET_ACCESS_KEY", "y")
            .args([
                "scan",
                "--region",
                REGION,
                "--endpoint-url",
                "http://127.0.0.1:9",
            ])
            .args(&args)
            .output()
            .unwrap();
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&want), "{args:?}: {stderr}");
        assert!(
            !stderr.contains(STATE_CANARY) && !stdout.contains(STATE_CANARY),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
