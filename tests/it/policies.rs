//! A team's own checks as Rego policies: judged and shown like the built-in ones, tried on a
//! stored evidence file, kept in the evidence so `verify` judges them again; a broken policy
//! stops the scan with its position, one that fails at evaluation is its own check's ERROR.

use serde_json::Value;

use crate::support::*;

fn examples() -> std::path::PathBuf {
    root().join("docs/examples/policies")
}

fn finding<'a>(e: &'a Value, id: &str) -> Vec<&'a Value> {
    e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == id)
        .collect()
}

#[test]
fn custom_checks_show_in_every_output_and_verify_catches_a_changed_custom_finding() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("policies");
    let out = scan_command(&account)
        .arg("--policy-dir")
        .arg(examples())
        .arg("--output-dir")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let path = dir.join("out/evidence.json");
    let text_of = |f: &str| std::fs::read_to_string(dir.join("out").join(f)).unwrap();
    let e: Value = serde_json::from_str(&text_of("evidence.json")).unwrap();
    let org01 = finding(&e, "ORG-01");
    assert_eq!(org01.len(), 1);
    assert_eq!(org01[0]["status"], "FAIL");
    assert!(org01[0]["resource_arn"]
        .as_str()
        .unwrap()
        .ends_with(":table/maps"));
    assert_eq!(finding(&e, "ORG-02")[0]["status"], "NOT_APPLICABLE");
    assert_eq!(e["policies"].as_array().unwrap().len(), 5);
    assert_eq!(e["policies"][0]["sha256"].as_str().unwrap().len(), 64);
    for f in [
        "report.txt",
        "report.md",
        "report.html",
        "report.junit.xml",
        "report.sarif",
    ] {
        assert!(
            text_of(f).contains("ORG-01"),
            "{f} does not show the custom check"
        );
    }
    // Its own section, in its phase of the checklist.
    assert!(
        text_of("report.md").contains("**Organisation rules**"),
        "{}",
        text_of("report.md")
    );
    validate_json(&root().join("docs/evidence.schema.json"), &path);

    let ok = prodready().arg("verify").arg(&path).output().unwrap();
    assert_eq!(ok.status.code(), Some(0), "{:?}", text(&ok));
    // A custom finding changed after the scan: verify names it.
    let changed = text_of("evidence.json").replacen(
        "\"message\": \"table maps\"",
        "\"message\": \"table maps, fine\"",
        1,
    );
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, changed).unwrap();
    let bad = prodready().arg("verify").arg(&tampered).output().unwrap();
    let (stdout, _) = text(&bad);
    assert_eq!(bad.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("(ORG-01 arn:aws:dynamodb:") && stdout.contains("message"),
        "{stdout}"
    );
    // A policy changed in the evidence: named too.
    let mut doc: Value = serde_json::from_str(&text_of("evidence.json")).unwrap();
    let source = doc["policies"][0]["source"]
        .as_str()
        .unwrap()
        .replace("cost-center", "owner");
    doc["policies"][0]["source"] = Value::String(source);
    let policy = serde_json::to_string_pretty(&doc).unwrap();
    std::fs::write(&tampered, policy).unwrap();
    let (stdout, _) = text(&prodready().arg("verify").arg(&tampered).output().unwrap());
    assert!(stdout.contains("the policy was changed"), "{stdout}");

    // The organisation summary, read where no policy is installed, names the custom check.
    let org = prodready()
        .args(["aggregate", "--format", "json"])
        .arg(dir.join("out"))
        .output()
        .unwrap();
    let org: Value = serde_json::from_slice(&org.stdout).unwrap();
    let across = org["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check_id"] == "ORG-01")
        .unwrap();
    assert_eq!(across["title"], "Tables carry a cost-center tag");
    assert_eq!(across["severity"], "low");

    let tested = prodready()
        .args(["policy", "test"])
        .arg(examples())
        .arg("--evidence")
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&tested);
    assert_eq!(tested.status.code(), Some(1), "{stderr}");
    assert!(
        stdout.contains("ORG-01 Tables carry a cost-center tag")
            && stdout.contains("0 pass, 1 fail"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ORG-05 Tables are billed on demand"),
        "{stdout}"
    );
}

#[test]
fn a_broken_policy_exits_2_at_its_position_and_a_failing_one_errs_alone() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("policies-bad");
    let broken = dir.join("broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("bad.rego"), "package prodready.custom.bad\n\nmetadata := {\n  \"id\": \"BAD-01\"\n\nfindings contains f if {\n").unwrap();
    let out = scan_command(&account)
        .arg("--policy-dir")
        .arg(&broken)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}: line ", broken.join("bad.rego").display())),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let failing = dir.join("failing");
    std::fs::create_dir_all(&failing).unwrap();
    std::fs::copy(
        examples().join("table_billing_mode.rego"),
        failing.join("billing.rego"),
    )
    .unwrap();
    std::fs::write(
        failing.join("fails.rego"),
        "package prodready.custom.fails\n\nmetadata := {\"id\": \"ORG-09\", \"title\": \"Fails\", \"severity\": \"low\", \"phase\": 4, \"section\": \"Organisation rules\", \"effort_hours\": 0}\n\nfindings contains f if {\n  some region, part in input.inventory.dynamodb\n  some t in part.ok.tables\n  f := {\"resource\": t.arn, \"region\": region, \"status\": \"PASS\", \"observed\": \"\", \"message\": sprintf(\"%d\", [to_number(t.name)])}\n}\n",
    )
    .unwrap();
    let out = scan_command(&account)
        .args(["--format", "json", "--policy-dir"])
        .arg(&failing)
        .output()
        .unwrap();
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fails = finding(&e, "ORG-09");
    assert_eq!(fails[0]["status"], "ERROR", "{fails:?}");
    assert!(
        fails[0]["message"]
            .as_str()
            .unwrap()
            .contains("fails.rego: evaluation failed"),
        "{fails:?}"
    );
    assert_eq!(finding(&e, "ORG-05")[0]["status"], "PASS");
    assert_eq!(
        finding(&e, "BAK-01")[0]["status"],
        "FAIL",
        "the rest of the scan is judged"
    );
}

#[test]
fn checks_skip_checks_and_frameworks_choose_what_is_judged() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("policies-select");
    let config = dir.join("prodready.toml");
    std::fs::write(&config, format!("[policies]\ndirs = [{:?}]\n\n[frameworks.data]\nchecks = [\"BAK-01\", \"BAK-04\", \"ORG-05\"]\n", examples().display().to_string())).unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let out = scan_command(&account)
            .args(["--format", "json", "--config"])
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        let e: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{:?}", text(&out)));
        e["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["check_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&["--framework", "data"]),
        ["BAK-01", "BAK-04", "ORG-05"]
    );
    assert_eq!(ids(&["--checks", "HA-01,ORG-01"]), ["HA-01", "ORG-01"]);
    let all = ids(&[]);
    let skipped = ids(&["--skip-checks", "HA-01,ORG-01"]);
    assert_eq!(skipped.len(), all.len() - 2);
    assert!(!skipped.contains(&"HA-01".to_owned()) && all.contains(&"ORG-01".to_owned()));
    let out = scan_command(&account)
        .args(["--checks", "HA-99"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("HA-99 is not a check"),
        "{:?}",
        text(&out)
    );
}
