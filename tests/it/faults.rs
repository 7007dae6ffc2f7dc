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
    assert!(stderr.contains("no AWS credentials"), "{stderr}");
    assert!(stderr.contains("aws sso login"), "{stderr}");
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
    assert!(stderr.contains("no AWS region"), "{stderr}");
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
