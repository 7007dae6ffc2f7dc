//! The scanner never calls a mutating API: the emulator records every request it receives
//! during a full scan, and each one must be a read.

use crate::support::*;

/// STS calls that create no resource: identifying the caller and assuming the audit role.
const ALLOWED_NON_READS: &[&str] = &["GetCallerIdentity", "AssumeRole"];

#[test]
fn every_request_a_scan_makes_is_a_read() {
    let dir = temp_dir("recording");
    let recording = dir.join("requests.jsonl");
    let em = Emulator::start_with(&["--recording", recording.to_str().unwrap()]);
    let account = fresh_account();
    em.seed_into(&account, &["production", "degraded"], &[]);

    em.post("/moto-api/recorder/reset-recording", "");
    em.post("/moto-api/recorder/start-recording", "");
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "scan",
            "--region",
            REGION,
            "--region",
            "us-east-1",
            "--endpoint-url",
            &em.endpoint,
            "--max-attempts",
            "1",
        ])
        .args(["--role-arn", &role_in(&account), "--format", "json"])
        .output()
        .unwrap();
    em.post("/moto-api/recorder/stop-recording", "");
    // 3: the emulator does not serve ListRestoreJobs or ListBackupSelections.
    assert!(
        matches!(out.status.code(), Some(0) | Some(1) | Some(3)),
        "{:?}",
        text(&out)
    );

    let recorded = em.get("/moto-api/recorder/download-recording");
    // Global services answer in us-east-1, whatever region is scanned first. The emulator
    // answers WAF's CLOUDFRONT scope from any region, so the signing region is what shows it.
    let mut global_calls = 0;
    for line in recorded.lines().filter(|l| !l.trim().is_empty()) {
        let op = operation_of(line);
        let global = ["GetWebACL", "ListOpenIDConnectProviders"].contains(&op.as_str())
            || op.starts_with("REST GET /2020-05-31/distribution")
            || op.starts_with("REST GET /2013-04-01/hostedzone");
        if global {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            let auth = entry["headers"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.as_str().unwrap().to_owned())
                .unwrap_or_default();
            assert!(auth.contains("/us-east-1/"), "{op} signed for {auth}");
            global_calls += 1;
        }
    }
    // Two web ACLs, the distributions, the zones, the OIDC providers.
    assert!(
        global_calls >= 5,
        "only {global_calls} global calls recorded"
    );
    let operations: Vec<String> = recorded
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(operation_of)
        .collect();
    let evidence: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let logged: u64 = evidence["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    // moto's recorder skips requests it has no route for (ListRestoreJobs answers 404), and
    // never sees those the emulator front answers for it (ListGlobalTables, which moto lacks).
    let unrouted: u64 = evidence["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            [
                "ListRestoreJobs",
                "DescribeRegionSettings",
                "GetUsageStatistics",
                "ListGlobalTables",
            ]
            .contains(&c["operation"].as_str().unwrap_or_default())
        })
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    // The scanner's call log plus the AssumeRole its credentials provider makes account for
    // every request the emulator saw: nothing is called that the evidence does not show.
    assert_eq!(
        operations.len() as u64,
        logged + 1 - unrouted,
        "{operations:?}"
    );
    for op in &operations {
        let read = match op.strip_prefix("REST ") {
            // REST protocols (GuardDuty, S3 …): the HTTP method says whether it reads.
            Some(rest) => rest.starts_with("GET ") || rest.starts_with("HEAD "),
            None => ["Describe", "List", "Get"]
                .iter()
                .any(|p| op.starts_with(p)),
        };
        assert!(
            read || ALLOWED_NON_READS.contains(&op.as_str()),
            "mutating call {op}"
        );
    }
}

/// The operation of a recorded request: the JSON protocols name it in X-Amz-Target, the
/// query protocols (STS, EC2, ELBv2) in the Action parameter, and REST protocols by method
/// and path (`REST GET /detector`).
fn operation_of(line: &str) -> String {
    let entry: serde_json::Value = serde_json::from_str(line).unwrap();
    let headers = entry["headers"].as_object().unwrap();
    if let Some(target) = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
    {
        return target
            .1
            .as_str()
            .unwrap()
            .rsplit('.')
            .next()
            .unwrap()
            .to_owned();
    }
    let raw = entry["body"].as_str().unwrap_or_default();
    let body = if entry["body_encoded"] == true {
        String::from_utf8(aws_smithy_types::base64::decode(raw).unwrap()).unwrap()
    } else {
        raw.to_owned()
    };
    let body = body.as_str();
    let url = entry["url"].as_str().unwrap_or_default();
    for source in [
        body,
        url.split_once('?').map(|(_, q)| q).unwrap_or_default(),
    ] {
        if let Some(action) = source.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
            return action.to_owned();
        }
    }
    // A REST protocol: the method and path are the operation.
    let method = entry["method"].as_str().unwrap();
    let path = url.splitn(4, '/').nth(3).unwrap_or_default();
    format!("REST {method} /{path}")
}
