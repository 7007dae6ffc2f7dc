//! Policies on built inputs: the contract's cases, its errors, and refusal at load.

use super::*;

fn load(file: &str, body: &str) -> Result<Vec<Policy>, String> {
    load::load_sources(vec![(file.into(), body.into())])
}

const BILLING: &str = r#"package prodready.custom.billing

metadata := {
  "id": "ORG-01", "title": "Tables are billed on demand", "severity": "low",
  "phase": 4, "section": "Organisation rules", "effort_hours": 0.5,
}

status(t) := "FAIL" if {
  t.billing_mode == "PROVISIONED"
} else := "PASS"

findings contains f if {
  some region, part in input.inventory.dynamodb
  some t in part.ok.tables
  f := {
    "resource": t.arn, "region": region, "status": status(t),
    "observed": sprintf("billing_mode=%v", [t.billing_mode]), "message": sprintf("table %s", [t.name]),
  }
}
"#;

fn input(tables: &str) -> String {
    format!(
        r#"{{"collected_at": "2026-12-01T00:00:00Z", "inventory": {{"dynamodb": {{"eu-west-1": {{"ok": {{"tables": [{tables}]}}}}}}}}}}"#
    )
}

#[test]
fn a_policy_judges_its_input_by_the_contract() {
    let policies = load("billing.rego", BILLING).unwrap();
    assert_eq!(policies[0].spec.id, "ORG-01");
    assert_eq!(
        policies[0].spec.custom_file.as_deref(),
        Some("billing.rego")
    );
    assert_eq!(policies[0].sha256.len(), 64);
    let out = evaluate(
        &policies,
        &input(
            r#"{"arn": "a1", "name": "t1", "billing_mode": "PROVISIONED"}, {"arn": "a2", "name": "t2", "billing_mode": "PAY_PER_REQUEST"}"#,
        ),
    );
    let got: Vec<(Status, Option<&str>, &str)> = out["ORG-01"]
        .iter()
        .map(|o| (o.status, o.resource_arn.as_deref(), o.observed.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Status::Fail, Some("a1"), "billing_mode=PROVISIONED"),
            (Status::Pass, Some("a2"), "billing_mode=PAY_PER_REQUEST")
        ]
    );
    // No table: the empty set is NOT_APPLICABLE.
    let out = evaluate(&policies, &input(""));
    assert_eq!(out["ORG-01"][0].status, Status::NotApplicable);
}

#[test]
fn an_undefined_findings_or_a_failing_evaluation_is_an_error_of_that_check_only() {
    let typo = BILLING
        .replace("findings contains", "finding contains")
        .replace("ORG-01", "ORG-02")
        .replace("custom.billing", "custom.typo");
    let broken = BILLING
        .replace("\"status\": status(t)", "\"status\": to_number(t.name)")
        .replace("ORG-01", "ORG-03")
        .replace("custom.billing", "custom.broken");
    let policies = load::load_sources(vec![
        ("billing.rego".into(), BILLING.into()),
        ("typo.rego".into(), typo),
        ("broken.rego".into(), broken),
    ])
    .unwrap();
    let out = evaluate(
        &policies,
        &input(r#"{"arn": "a1", "name": "t1", "billing_mode": "PROVISIONED"}"#),
    );
    assert_eq!(out["ORG-01"][0].status, Status::Fail);
    assert_eq!(out["ORG-02"][0].status, Status::Error);
    assert!(
        out["ORG-02"][0].message.contains("`findings` is undefined"),
        "{}",
        out["ORG-02"][0].message
    );
    assert_eq!(out["ORG-03"][0].status, Status::Error);
    assert!(
        out["ORG-03"][0]
            .message
            .starts_with("broken.rego: evaluation failed"),
        "{}",
        out["ORG-03"][0].message
    );
}

#[test]
fn a_bad_policy_is_refused_at_load_naming_file_and_position() {
    let cases = [
        (
            BILLING.replace(
                "some t in part.ok.tables",
                "some t in part.ok.tables\n  now := time.now_ns()",
            ),
            "billing.rego: line 15, column 10: time.now_ns is not allowed",
        ),
        (
            BILLING.replace("package prodready.custom.billing", "package team.billing"),
            "billing.rego: line 1, column 1: package team.billing is not under prodready.custom",
        ),
        (
            BILLING.replace("\"severity\": \"low\"", "\"severity\": \"urgent\""),
            "billing.rego: line 3, column 1: metadata: unknown variant `urgent`",
        ),
        (
            BILLING.replace("ORG-01", "HA-01"),
            "billing.rego: metadata.id HA-01 is a built-in check's id",
        ),
        (
            BILLING.replace("ORG-01", "org 1"),
            "billing.rego: metadata.id \"org 1\"",
        ),
        (
            BILLING.replace("} else := \"PASS\"", "} else := \"PASS\" {"),
            "billing.rego: line 10, column 3: `if` keyword is required before rule body",
        ),
        (
            BILLING.replace("\"phase\": 4", "\"phase\": 7"),
            "billing.rego: metadata.phase 7: 1 to 4",
        ),
    ];
    for (body, want) in cases {
        let err = load("billing.rego", &body).unwrap_err();
        assert!(err.starts_with(want), "want {want:?}, got {err}");
    }
    let syntax = load(
        "billing.rego",
        &BILLING.replace("} else := \"PASS\"", "} else := \"PASS\" {"),
    )
    .unwrap_err();
    assert!(
        !syntax.contains('\n'),
        "one line, without the source's text: {syntax}"
    );
}

#[test]
fn the_input_is_what_its_published_schema_says() {
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../../docs/custom-checks.input.schema.json"
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&super::input(
        "1.2",
        &crate::inventory::Inventory::default(),
        &crate::config::Config::default(),
        &["arn:aws:s3:::left-out".to_owned()],
    ))
    .unwrap();
    let mut keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    required.sort_unstable();
    assert_eq!(keys, required);
    assert_eq!(
        doc["in_scope"],
        serde_json::json!({ "scoped": false, "left_out": ["arn:aws:s3:::left-out"] })
    );
}

/// The five example policies of docs/examples/policies, each on an input holding a resource it
/// passes and one it fails.
#[test]
fn each_example_policy_passes_and_fails_what_it_should() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/policies");
    let policies = load_dirs(&[dir]).unwrap();
    let ids: Vec<&str> = policies.iter().map(|p| p.spec.id.as_str()).collect();
    assert_eq!(ids, ["ORG-01", "ORG-03", "ORG-04", "ORG-02", "ORG-05"]);
    let input = r#"{
      "account_id": "111122223333", "collected_at": "2026-12-01T00:00:00Z",
      "inventory": {
        "dynamodb": {"eu-west-1": {"ok": {"tables": [
          {"arn": "arn:t:tagged", "name": "tagged", "billing_mode": "PAY_PER_REQUEST"},
          {"arn": "arn:t:bare", "name": "bare", "billing_mode": "PROVISIONED"}]}}},
        "tags": {"eu-west-1": {"ok": {"resources": {
          "arn:t:tagged": {"cost-center": "CC-1"},
          "arn:s:big": {"Environment": "production"}, "arn:s:small": {"Environment": "production"},
          "arn:s:dev": {"Environment": "dev"}}}}},
        "ecs": {"eu-west-1": {"ok": {
          "services": [
            {"arn": "arn:s:big", "name": "big", "desired_count": 4},
            {"arn": "arn:s:small", "name": "small", "desired_count": 2},
            {"arn": "arn:s:dev", "name": "dev", "desired_count": 1}],
          "task_definitions": [
            {"arn": "arn:td:ours", "family": "ours", "revision": 3, "containers": [
              {"image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1"},
              {"image": "public.ecr.aws/xray/aws-xray-daemon:3"}]},
            {"arn": "arn:td:hub", "family": "hub", "revision": 1, "containers": [{"image": "nginx:latest"}]}]}}},
        "logs": {"eu-west-1": {"ok": {"groups": [
          {"arn": "arn:l:year", "name": "/year", "retention_days": 365},
          {"arn": "arn:l:forever", "name": "/forever", "retention_days": null},
          {"arn": "arn:l:long", "name": "/long", "retention_days": 731}]}}}
      }
    }"#;
    let out = evaluate(&policies, input);
    let verdicts = |id: &str| -> Vec<(String, Status)> {
        let mut v: Vec<(String, Status)> = out[id]
            .iter()
            .map(|o| (o.resource_arn.clone().unwrap_or_default(), o.status))
            .collect();
        v.sort();
        v
    };
    let pair = |a: &str, s: Status| (a.to_owned(), s);
    assert_eq!(
        verdicts("ORG-01"),
        [
            pair("arn:t:bare", Status::Fail),
            pair("arn:t:tagged", Status::Pass)
        ]
    );
    assert_eq!(
        verdicts("ORG-02"),
        [
            pair("arn:s:big", Status::Pass),
            pair("arn:s:small", Status::Fail)
        ]
    );
    assert_eq!(
        verdicts("ORG-03"),
        [
            pair("arn:td:hub", Status::Fail),
            pair("arn:td:ours", Status::Pass)
        ]
    );
    assert_eq!(
        verdicts("ORG-04"),
        [
            pair("arn:l:forever", Status::Fail),
            pair("arn:l:long", Status::Fail),
            pair("arn:l:year", Status::Pass)
        ]
    );
    assert_eq!(
        verdicts("ORG-05"),
        [
            pair("arn:t:bare", Status::Fail),
            pair("arn:t:tagged", Status::Pass)
        ]
    );
}
