//! Evidence an auditor can keep: sealed, signed, verified, and re-evaluated (issue 5).

use crate::support::*;

/// A signed staging scan: (dir, evidence file, public key file).
fn signed_staging() -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir("signed");
    let (private, public) = keygen(&dir, "scan");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the private key is private");
    }
    let account = Emulator::shared().seed(&["staging"]);
    let evidence = dir.join("evidence.json");
    let out = scan_command(&account)
        .args(["--format", "json", "--output"])
        .arg(&evidence)
        .arg("--sign-key")
        .arg(&private)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    (dir, evidence, public)
}

fn verify(file: &std::path::Path, public: &std::path::Path) -> (Option<i32>, String) {
    let out = prodready()
        .arg("verify")
        .arg(file)
        .arg("--pubkey")
        .arg(public)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    (out.status.code(), format!("{stdout}{stderr}"))
}

/// The file with one occurrence of `from` replaced by `to`.
fn tampered(file: &std::path::Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let body = std::fs::read_to_string(file).unwrap();
    assert!(body.contains(from), "{from} not in the evidence");
    let copy = file.with_file_name(name);
    std::fs::write(&copy, body.replacen(from, to, 1)).unwrap();
    copy
}

#[test]
fn a_signed_evidence_file_verifies_and_every_tampering_is_named() {
    let (dir, evidence, public) = signed_staging();
    let (code, out) = verify(&evidence, &public);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("ok: signature verifies") && out.contains("verified"),
        "{out}"
    );
    // The digest is reproducible without prodready, as docs/evidence.md shows.
    let python = std::process::Command::new(python())
        .args([
            "-c",
            "import hashlib, json, sys\n\
             doc = json.load(open(sys.argv[1]))\n\
             stored = doc.pop('integrity')['digest']\n\
             canonical = json.dumps(doc, separators=(',', ':'), sort_keys=True, ensure_ascii=False)\n\
             print(hashlib.sha256(canonical.encode()).hexdigest() == stored)",
        ])
        .arg(&evidence)
        .output()
        .unwrap();
    assert_eq!(text(&python).0.trim(), "True", "{:?}", text(&python));

    // One byte of a finding: the digest breaks, and re-evaluation names the finding.
    let finding = tampered(
        &evidence,
        "finding.json",
        "\"observed\": \"desiredCount=1\"",
        "\"observed\": \"desiredCount=3\"",
    );
    let (code, out) = verify(&finding, &public);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAILED: digest mismatch"), "{out}");
    assert!(
        out.contains("(HA-01 arn:aws:ecs:eu-west-1:")
            && out.contains(
                "the inventory gives observed \"desiredCount=1\" (stored \"desiredCount=3\")"
            ),
        "{out}"
    );

    // One inventory value: the stored verdict no longer follows from it.
    let inventory = tampered(
        &evidence,
        "inventory.json",
        "\"desired_count\": 1,",
        "\"desired_count\": 3,",
    );
    let (code, out) = verify(&inventory, &public);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAILED: digest mismatch"), "{out}");
    assert!(
        out.contains("the inventory gives status PASS (stored FAIL)"),
        "{out}"
    );

    // The signature itself.
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&evidence).unwrap()).unwrap();
    let sig = doc["integrity"]["signature"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = format!(
        "{}{}",
        if sig.starts_with('A') { "B" } else { "A" },
        &sig[1..]
    );
    let signature = tampered(&evidence, "signature.json", &sig, &flipped);
    let (code, out) = verify(&signature, &public);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("FAILED: signature does not verify"), "{out}");
    assert!(
        out.contains("ok: digest"),
        "only the signature was touched: {out}"
    );

    // Another key's public half.
    let (_, _, other_public) = {
        let d = temp_dir("other-key");
        let (k, p) = (d.join("k"), d.join("k.pub"));
        prodready()
            .args(["keygen", "--private"])
            .arg(&k)
            .arg("--public")
            .arg(&p)
            .output()
            .unwrap();
        (d, k, p)
    };
    let (code, out) = verify(&evidence, &other_public);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("signed with a different key"), "{out}");

    // Not evidence at all: exit 2, naming the file.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{\"schema_version\": \"1.2\", \"findings\": [").unwrap();
    let (code, out) = verify(&junk, &public);
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("junk.json") && out.contains("not a JSON document"),
        "{out}"
    );
}

#[test]
fn keygen_never_overwrites_a_key() {
    let dir = temp_dir("keygen-twice");
    let args = |c: &mut std::process::Command| {
        c.args(["keygen", "--private"])
            .arg(dir.join("k"))
            .arg("--public")
            .arg(dir.join("k.pub"))
            .output()
            .unwrap()
    };
    assert_eq!(args(&mut prodready()).status.code(), Some(0));
    let again = args(&mut prodready());
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again).1.contains("cannot create"),
        "{:?}",
        text(&again)
    );
}

/// Changes made to an account between two scans, through the emulator's AWS API.
const NIGHT_OF_WORK: &str = r#"
import sys, boto3
endpoint, account = sys.argv[1], sys.argv[2]
def client(service):
    c = boto3.client(service, endpoint_url=endpoint, region_name="eu-west-1",
                     aws_access_key_id="x", aws_secret_access_key="y")
    c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c
# Fixed: point-in-time recovery on maps, 30-day retention on both log groups.
client("dynamodb").update_continuous_backups(TableName="maps", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
for group in ["/ecs/mra-mines-frontend", "/aws/lambda/mra-mines-map-processor"]:
    client("logs").put_retention_policy(logGroupName=group, retentionInDays=30)
# Regressed: a new log group that keeps its logs forever.
client("logs").create_log_group(logGroupName="/ecs/mra-mines-debug")
"#;

#[test]
fn diff_lists_what_a_night_fixed_and_what_it_broke() {
    let em = Emulator::shared();
    let account = em.seed(&["staging"]);
    let dir = temp_dir("diff");
    let scan = |file: &str| {
        let out = scan_command(&account)
            .args(["--format", "json", "--output"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    };
    scan("before.json");
    let night = std::process::Command::new(python())
        .args(["-c", NIGHT_OF_WORK, &em.endpoint, &account])
        .output()
        .unwrap();
    assert!(night.status.success(), "{:?}", text(&night));
    scan("after.json");

    let out = prodready()
        .args(["diff", "--format", "json"])
        .arg(dir.join("before.json"))
        .arg(dir.join("after.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a new failure is a regression: {:?}",
        text(&out)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids = |part: &str| -> Vec<String> {
        let mut ids: Vec<String> = d[part]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    c["check_id"].as_str().unwrap(),
                    c["resource_arn"]
                        .as_str()
                        .unwrap()
                        .rsplit(['/', ':'])
                        .next()
                        .unwrap()
                )
            })
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids("fixed"),
        [
            "BAK-01 maps",
            "MON-09 mra-mines-frontend",
            "MON-09 mra-mines-map-processor",
            "REC-04 maps"
        ]
    );
    assert_eq!(ids("new_failures"), ["COST-01 mra-mines-debug"]);
    assert!(d["recovery_worse"].is_null(), "{}", d["recovery_worse"]);

    // Read backwards, the night turned PITR off: the table's data estimate got worse.
    let out = prodready()
        .arg("diff")
        .arg(dir.join("after.json"))
        .arg(dir.join("before.json"))
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("Recovery estimates that got worse: 1\n")
            && stdout.contains("  data    maps: RTO 20 min → unbounded, RPO 5 min → everything since it was created (data.none)\n"),
        "{stdout}"
    );
    assert!(
        d["score"][1].as_u64() > d["score"][0].as_u64(),
        "{}",
        d["score"]
    );

    // The same scan against itself: nothing regressed.
    let out = prodready()
        .arg("diff")
        .arg(dir.join("after.json"))
        .arg(dir.join("after.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    assert!(text(&out).0.contains("New failures (0)"));
}

#[test]
fn a_nightly_scan_can_fail_only_on_what_is_new() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("nightly");
    let before = dir.join("before.json");
    let first = scan_command(&account)
        .args(["--format", "json", "--output"])
        .arg(&before)
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(1));
    // Nothing changed overnight: the same failures, none new.
    let again = scan_command(&account)
        .arg("--baseline")
        .arg(&before)
        .args(["--fail-on", "new"])
        .output()
        .unwrap();
    let (_, stderr) = text(&again);
    assert_eq!(again.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("New failures (0)") && stderr.contains("Still failing: 45"),
        "{stderr}"
    );
    // Severity gates: staging fails critical checks.
    let critical = scan_command(&account)
        .args(["--fail-on", "critical"])
        .output()
        .unwrap();
    assert_eq!(critical.status.code(), Some(1));
    // A gate on regressions needs something to compare with.
    let alone = scan_command(&account)
        .args(["--fail-on", "new"])
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(2));
    assert!(text(&alone).1.contains("--baseline"), "{:?}", text(&alone));
}
