//! A scan that cannot start fails fast with a helpful message; a scan that can read only part
//! of the account says so, finishes, and still writes its outputs.

use crate::support::*;

#[test]
fn no_credentials_fail_fast_with_how_to_provide_them() {
    // No keys, no profile files, no container or web-identity variables; the instance
    // metadata service is not there (it is not on this machine) and is not disabled either.
    let out = prodready()
        .args(["scan", "--region", REGION])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: no AWS credentials found ("),
        "{stderr}"
    );
    assert!(stderr.ends_with(
        "Provide them in one of these ways:\n  \
         - `aws sso login --profile NAME`, then pass --profile NAME (or set AWS_PROFILE)\n  \
         - set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)\n  \
         - configure ~/.aws/credentials or a credential_process in ~/.aws/config\n  \
         - run on an AWS compute service with a role (EC2 instance profile, ECS task role, web identity)\n"
    ), "{stderr}");
    // The chain's attempts, said once each; no SDK warning before, no debug dump inside.
    assert!(!stderr.contains("WARN"), "{stderr}");
    assert!(!stderr.contains("CredentialsNotLoaded("), "{stderr}");
}

#[test]
fn no_region_says_how_to_set_one() {
    let out = prodready()
        .args(["scan"])
        .env("AWS_ACCESS_KEY_ID", "k")
        .env("AWS_SECRET_ACCESS_KEY", "s")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile\n"
    );
}

#[test]
fn unreachable_endpoint_is_a_clear_error() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "scan",
            "--region",
            REGION,
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--max-attempts",
            "1",
        ])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sts:GetCallerIdentity"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The emulator enforces IAM here: the scanning user may do anything but read CloudWatch Logs.
///
/// Under enforcement moto also verifies each request's SigV4 signature, and two emulator
/// artefacts fail that verification although IAM would allow them: its REST services
/// (REST-JSON GuardDuty, Lambda, Backup; REST-XML CloudFront, Route 53: `SignatureDoesNotMatch`
/// on every call, from any client, boto3 included), and CloudWatch, whose CBOR request the
/// emulator front must rewrite. The test tells those apart from the real denial by the error
/// each carries.
#[test]
fn access_denied_on_one_service_errors_its_checks_only_and_exits_3() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    let keys = em_create_user(&em, &account);
    // From here on, moto checks every request against IAM.
    em.post("/moto-api/reset-auth", "0");

    let dir = temp_dir("denied");
    let file = dir.join("evidence.json");
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", &keys.0)
        .env("AWS_SECRET_ACCESS_KEY", &keys.1)
        .args([
            "scan",
            "--region",
            REGION,
            "--endpoint-url",
            &em.endpoint,
            "--max-attempts",
            "1",
            "--format",
            "json",
            "--output",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("partial"), "{stderr}");

    let e: prodready::evidence::Evidence =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(e.scan.partial);
    // The denial: logs:DescribeLogGroups, refused by the user's policy.
    let denied: Vec<_> = e
        .errors
        .iter()
        .filter(|err| err.service == "logs")
        .collect();
    assert_eq!(denied.len(), 1, "{:?}", e.errors);
    assert_eq!(denied[0].iam_action, "logs:DescribeLogGroups");
    assert_eq!(denied[0].kind, prodready_aws::FailureKind::AccessDenied);
    assert!(
        denied[0].message.contains("AccessDenied"),
        "{}",
        denied[0].message
    );
    for id in ["MON-09", "COST-01"] {
        assert_eq!(status_of(&e, id), prodready::checks::Status::Error, "{id}");
        let f = e.findings.iter().find(|f| f.check_id == id).unwrap();
        assert!(
            f.message.contains("access denied") && f.message.contains("logs:DescribeLogGroups"),
            "{}",
            f.message
        );
    }
    // The artefacts, and nothing else.
    let unexpected: Vec<_> = e
        .errors
        .iter()
        .filter(|err| err.service != "logs")
        .filter(|err| {
            let artefact = match err.service.as_str() {
                // REST protocols: moto's signature check disagrees with the SDK's.
                "guardduty" | "lambda" | "backup" | "cloudfront" | "route53" => {
                    err.message.contains("SignatureDoesNotMatch")
                }
                "cloudwatch" => true,
                _ => false,
            };
            !artefact
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
    // Everything else was read and judged as usual.
    for id in [
        "HA-01", "HA-03", "BAK-01", "HARD-05", "HARD-07", "SEC-01", "HARD-06", "STATE-01",
        "HARD-04",
    ] {
        assert_eq!(status_of(&e, id), prodready::checks::Status::Fail, "{id}");
    }
}

/// Creates, through the emulator's IAM API, a user allowed everything but CloudWatch Logs;
/// returns its access key.
fn em_create_user(em: &Emulator, account: &str) -> (String, String) {
    let script = r#"
import json, sys, boto3
endpoint, account = sys.argv[1], sys.argv[2]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="seeder", aws_secret_access_key="seeder")
iam.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
iam.create_user(UserName="scanner")
iam.put_user_policy(UserName="scanner", PolicyName="read-all-but-logs", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:*", "Resource": "*"},
    ]}))
key = iam.create_access_key(UserName="scanner")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
"#;
    let out = std::process::Command::new(python())
        .args(["-c", script, &em.endpoint, account])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    let mut parts = s.split_whitespace();
    (
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
    )
}

/// Scan options for `account` in `em` (not the shared emulator), with the SDK's retries on.
fn options_in(em: &Emulator, account: &str, attempts: u32) -> prodready::scan::ScanOptions {
    let mut o = options(account, &[REGION]);
    o.session.endpoint_url = Some(em.endpoint.clone());
    o.session.max_attempts = attempts;
    o
}

fn scan_in(em: &Emulator, account: &str, attempts: u32) -> prodready::evidence::Evidence {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(prodready::scan::run(&options_in(em, account, attempts)))
        .expect("scan")
}

/// Findings as comparable facts: check, resource, region, status, message.
fn facts(e: &prodready::evidence::Evidence) -> Vec<(String, String, String, String)> {
    let mut v: Vec<_> = e
        .findings
        .iter()
        .map(|f| {
            (
                f.check_id.clone(),
                f.resource_arn.clone().unwrap_or_default(),
                f.status.as_str().to_owned(),
                f.message.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The faults the front injected, in all.
fn injected(em: &Emulator) -> u64 {
    let report: serde_json::Value = serde_json::from_str(&em.get("/front-api/faults")).unwrap();
    report["injected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn under_30_percent_throttling_the_findings_are_the_same_and_the_call_log_shows_the_retries() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    // Standard retries: random throttles, unrelated to the call rate, would hold adaptive
    // mode's rate limiter at its floor (84 s against 11 s for this scan, measured).
    let scan_in = |em: &Emulator, account: &str, attempts: u32| {
        let mut o = options_in(em, account, attempts);
        o.session.retry_mode = prodready::session::RetryMode::Standard;
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(prodready::scan::run(&o))
            .expect("scan")
    };
    let calm = scan_in(&em, &account, 3);
    assert!(!calm.scan.partial, "{:?}", calm.errors);

    // A third of every call in the account answered with the service's throttling error.
    em.post(
        "/front-api/faults",
        &format!(
            r#"{{"rules": [{{"account": "{account}", "kind": "throttle", "share": 0.3}}], "seed": 7}}"#
        ),
    );
    let stormy = scan_in(&em, &account, 3);
    let faults = injected(&em);
    let report = em.get("/front-api/faults");
    em.post("/front-api/faults", r#"{"rules": []}"#);

    assert!(!stormy.scan.partial, "{:#?}", stormy.errors);
    assert_eq!(facts(&stormy), facts(&calm));
    assert!(
        faults >= 10,
        "only {faults} throttles injected in {} calls: {report}",
        stormy.summary.api_calls
    );
    // Every throttle was retried, and the call log counted each retry.
    let retries: u64 = stormy.api_calls.iter().map(|c| c.attempts - c.count).sum();
    assert_eq!(retries, faults, "{:#?}", stormy.api_calls);
    let calm_retries: u64 = calm.api_calls.iter().map(|c| c.attempts - c.count).sum();
    assert_eq!(calm_retries, 0);
}

/// AWS throttles by rate: the front's `rate` rule answers DescribeTable beyond 10 calls/s with
/// ThrottlingException, as an API rate quota does. Adaptive retries (the default) slow the
/// client down to it and read every table; the throttles show in the call log as retries.
/// Five attempts, not the default three: in the first second, before the client has learned
/// the quota, 16 calls in flight meet a bucket of 10, and about one run in six one of them met
/// it three times running (a partial scan with that table's ERROR, measured here). The
/// slowing down is what is tested, not the luck of the first second.
#[test]
fn under_a_rate_quota_adaptive_retries_slow_down_and_read_everything() {
    const ATTEMPTS: u32 = 5;
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &["--large", "tables=60"]);
    let calm = scan_in(&em, &account, ATTEMPTS);
    assert!(!calm.scan.partial, "{:?}", calm.errors);

    em.post(
        "/front-api/faults",
        &format!(
            r#"{{"rules": [{{"account": "{account}", "service": "dynamodb", "operation": "DescribeTable", "kind": "throttle", "rate": 10}}]}}"#
        ),
    );
    let started = std::time::Instant::now();
    let limited = scan_in(&em, &account, ATTEMPTS);
    let took = started.elapsed();
    let faults = injected(&em);
    em.post("/front-api/faults", r#"{"rules": []}"#);

    assert!(!limited.scan.partial, "{:#?}", limited.errors);
    assert_eq!(facts(&limited), facts(&calm));
    let describe = limited
        .api_calls
        .iter()
        .find(|c| c.operation == "DescribeTable")
        .unwrap();
    assert!(describe.count > 60, "{describe:?}");
    assert_eq!(describe.errors, 0, "{describe:?}");
    assert!(faults >= 1, "the quota was never reached");
    assert_eq!(describe.attempts - describe.count, faults, "{describe:?}");
    // 60 tables (and staging's) at 10 a second take about 6 s: the client waited for the quota.
    assert!(took.as_secs_f64() >= 4.0, "{took:?}");
}

#[test]
fn failing_and_malformed_services_error_their_checks_only_and_every_output_is_written() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    let calm = scan_in(&em, &account, 1);

    // One fault per protocol: awsJson (kms 500, dynamodb malformed), query (sns 503, elbv2
    // malformed), ec2 (malformed), REST-XML (s3 malformed), REST-JSON (lambda malformed),
    // RPCv2-CBOR (cloudwatch malformed), and a dropped connection (logs).
    let rules: Vec<String> = [
        ("kms", "500"),
        ("sns", "503"),
        ("logs", "drop"),
        ("dynamodb", "malformed"),
        ("elasticloadbalancing", "malformed"),
        ("ec2", "malformed"),
        ("s3", "malformed"),
        ("lambda", "malformed"),
        ("monitoring", "malformed"),
    ]
    .iter()
    .map(|(service, kind)| {
        format!(r#"{{"account": "{account}", "service": "{service}", "kind": "{kind}"}}"#)
    })
    .collect();
    em.post(
        "/front-api/faults",
        &format!(r#"{{"rules": [{}]}}"#, rules.join(",")),
    );
    let dir = temp_dir("faulty-services");
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
        .args(["--role-arn", &role_in(&account), "--output-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    em.post("/front-api/faults", r#"{"rules": []}"#);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for file in [
        "evidence.json",
        "report.md",
        "report.html",
        "report.txt",
        "report.junit.xml",
        "report.sarif",
    ] {
        assert!(dir.join(file).exists(), "{file} not written");
    }
    assert!(stdout.contains("Could not check"), "{stdout}");

    let faulty: prodready::evidence::Evidence =
        serde_json::from_slice(&std::fs::read(dir.join("evidence.json")).unwrap()).unwrap();
    let failed: std::collections::BTreeSet<&str> =
        faulty.errors.iter().map(|e| e.service.as_str()).collect();
    for service in [
        "kms",
        "sns",
        "logs",
        "dynamodb",
        "elbv2",
        "ec2",
        "s3",
        "lambda",
        "cloudwatch",
    ] {
        assert!(
            failed.contains(service),
            "{service} did not fail: {failed:?}"
        );
    }
    assert!(
        failed.len() == 9,
        "services that should not have failed: {failed:?}"
    );
    // Each error is one line with its cause; malformed answers are parse errors, not panics.
    for e in &faulty.errors {
        assert!(!e.message.contains('\n') && !e.message.is_empty(), "{e:?}");
    }
    // A finding differs from the calm scan only by being ERROR.
    let calm_status = |id: &str| status_of(&calm, id);
    for c in &faulty.checks {
        if c.status != calm_status(&c.check_id) {
            assert_eq!(
                c.status,
                prodready::checks::Status::Error,
                "{} went from {:?} to {:?}",
                c.check_id,
                calm_status(&c.check_id),
                c.status
            );
        }
    }
    // Checks that read none of the faulted services are judged as usual.
    for id in ["HA-01", "SEC-01", "HARD-07", "CICD-03"] {
        assert_eq!(status_of(&faulty, id), calm_status(id), "{id}");
    }
}

#[test]
fn a_hung_endpoint_is_abandoned_at_the_operation_timeout() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    em.post(
        "/front-api/faults",
        &format!(
            r#"{{"rules": [{{"account": "{account}", "service": "dynamodb", "kind": "hang"}}], "hang_seconds": 300}}"#
        ),
    );
    let started = std::time::Instant::now();
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
        .args(["--role-arn", &role_in(&account)])
        .args(["--operation-timeout", "4", "--format", "json"])
        .output()
        .unwrap();
    let took = started.elapsed();
    em.post("/front-api/faults", r#"{"rules": []}"#);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    // Well under the 300 s the endpoint would hold the call.
    assert!(took.as_secs() < 60, "the scan took {took:?}");
    let e: prodready::evidence::Evidence = serde_json::from_str(&stdout).unwrap();
    let dynamo: Vec<_> = e
        .errors
        .iter()
        .filter(|e| e.service == "dynamodb")
        .collect();
    assert!(!dynamo.is_empty(), "{:?}", e.errors);
    assert!(
        dynamo
            .iter()
            .all(|e| e.message.contains("timed out") || e.message.contains("timeout")),
        "{dynamo:#?}"
    );
    assert_eq!(status_of(&e, "BAK-01"), prodready::checks::Status::Error);
}

#[test]
fn sigterm_stops_the_scan_at_once_and_keeps_a_partial_result_only_when_asked() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    // Every call of the account takes 1.5 s: the scan is still reading when the signal comes.
    em.post(
        "/front-api/latency",
        &format!(r#"{{"ms": 1500, "account": "{account}"}}"#),
    );
    let dir = temp_dir("sigterm");
    for keep in [false, true] {
        let file = dir.join(format!("evidence-{keep}.json"));
        let mut c = prodready();
        c.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
            .args([
                "--role-arn",
                &role_in(&account),
                "--format",
                "json",
                "--output",
            ])
            .arg(&file)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        if keep {
            c.arg("--keep-partial");
        }
        let child = c.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_secs(4));
        let signalled = std::time::Instant::now();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let out = child.wait_with_output().unwrap();
        let took = signalled.elapsed();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(143), "128 + SIGTERM: {stderr}");
        assert!(
            took.as_secs() < 5,
            "the scan took {took:?} to stop: {stderr}"
        );
        assert!(stderr.contains("interrupted"), "{stderr}");
        if !keep {
            assert!(!file.exists(), "an interrupted scan wrote its output");
            assert!(stderr.contains("nothing written"), "{stderr}");
            continue;
        }
        let e: prodready::evidence::Evidence =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        assert!(e.scan.partial);
        assert_eq!(e.scan.interrupted_by, Some(15));
        assert!(
            e.errors
                .iter()
                .any(|err| err.kind == prodready_aws::FailureKind::Interrupted),
            "{:#?}",
            e.errors
        );
    }
    em.post("/front-api/latency", r#"{"ms": 0}"#);
}

#[test]
fn an_unreachable_region_costs_one_failed_call_and_is_reported() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    // eu-west-3 drops every connection, as a region behind a broken network path does.
    em.post(
        "/front-api/faults",
        &format!(
            r#"{{"rules": [{{"account": "{account}", "region": "eu-west-3", "kind": "drop"}}]}}"#
        ),
    );
    let dir = temp_dir("unreachable-region");
    let file = dir.join("evidence.json");
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--region", "eu-west-3"])
        .args([
            "--endpoint-url",
            &em.endpoint,
            "--role-arn",
            &role_in(&account),
        ])
        .args(["--format", "json", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    let faults: serde_json::Value = serde_json::from_str(&em.get("/front-api/faults")).unwrap();
    em.post("/front-api/faults", r#"{"rules": []}"#);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let e: prodready::evidence::Evidence =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(e.scan.regions, [REGION, "eu-west-3"]);
    // One call went to eu-west-3: the probe, one attempt.
    let there: Vec<_> = e
        .api_calls
        .iter()
        .filter(|c| c.region == "eu-west-3")
        .collect();
    assert_eq!(there.len(), 1, "{there:#?}");
    assert_eq!(
        (
            there[0].operation.as_str(),
            there[0].count,
            there[0].attempts
        ),
        ("GetCallerIdentity", 1, 1)
    );
    assert_eq!(faults["injected"][0]["count"], 1, "{faults}");
    // Every regional part of eu-west-3 is that failure; eu-west-1 is judged as usual.
    let guardduty: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "HARD-08")
        .map(|f| (f.region.clone().unwrap_or_default(), f.status))
        .collect();
    assert!(
        guardduty.contains(&("eu-west-3".into(), prodready::checks::Status::Error)),
        "{guardduty:?}"
    );
    assert_eq!(status_of(&e, "HA-01"), prodready::checks::Status::Fail);
    assert!(e
        .errors
        .iter()
        .filter(|err| err.region == "eu-west-3")
        .all(|err| err.operation == "GetCallerIdentity"));
}

#[test]
fn all_regions_lists_the_accounts_regions_and_exclusions_apply() {
    let em = Emulator::start();
    let account = fresh_account();
    em.seed_into(&account, &["staging"], &[]);
    // The emulator enables every region: exclude all but two, found the way the scanner does.
    let listed = std::process::Command::new(python())
        .args([
            "-c",
            "import sys, boto3\n\
             ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name='eu-west-1',\n\
             \x20   aws_access_key_id='testing', aws_secret_access_key='testing')\n\
             print(' '.join(sorted(r['RegionName'] for r in ec2.describe_regions()['Regions'])))",
        ])
        .arg(&em.endpoint)
        .output()
        .unwrap();
    let all: Vec<String> = text(&listed)
        .0
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(
        all.len() > 10 && all.contains(&"eu-west-2".to_owned()),
        "{all:?}"
    );
    let mut c = prodready();
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .args(["scan", "--all-regions", "--endpoint-url", &em.endpoint])
        .args(["--role-arn", &role_in(&account), "--format", "json"]);
    for r in all.iter().filter(|r| *r != REGION && *r != "eu-west-2") {
        c.args(["--exclude-region", r]);
    }
    let out = c.output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let e: prodready::evidence::Evidence = serde_json::from_str(&stdout).unwrap();
    assert_eq!(e.scan.regions, ["eu-west-1", "eu-west-2"]);
    assert!(e
        .api_calls
        .iter()
        .any(|c| c.operation == "DescribeRegions" && c.count == 1));
    // --region and --all-regions together are a usage error.
    let both = prodready()
        .args(["scan", "--all-regions", "--region", REGION])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}
