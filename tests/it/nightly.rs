//! What a nightly scan relies on: suppressions, SARIF (validated against the OASIS 2.1.0
//! schema), the history folder, and the documented cron wrapper.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::*;

fn json_of(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The staging scan's failing checks, from a first scan without suppressions.
fn failing_checks(account: &str, dir: &Path) -> Vec<String> {
    let file = dir.join("plain.json");
    let out = scan_command(account)
        .args(["--format", "json", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    json_of(&file)["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "FAIL")
        .map(|c| c["check_id"].as_str().unwrap().to_owned())
        .collect()
}

/// A config suppressing every check in `ids`, each with a reason, until `expires`; `tweak`
/// edits one entry by check id.
fn suppressions(ids: &[String], tweak: &[(&str, &str)]) -> String {
    let mut toml = String::new();
    for id in ids {
        let entry = tweak
            .iter()
            .find(|(t, _)| t == id)
            .map(|(_, e)| e.to_string())
            .unwrap_or_else(|| {
                "reason = \"accepted until the production launch\"\nexpires = \"2099-12-31\"\napproved_by = \"cto@example.com\"".into()
            });
        toml.push_str(&format!(
            "[[suppressions]]\ncheck = \"{id}\"\nresource = \"*\"\n{entry}\n\n"
        ));
    }
    toml
}

#[test]
fn suppressions_stop_failing_the_scan_stay_visible_and_lapse_when_expired_or_unexplained() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("suppress");
    let failing = failing_checks(&account, &dir);
    assert!(failing.len() > 10, "{failing:?}");
    let plain = json_of(&dir.join("plain.json"));

    // Every failure accepted: exit 0, each finding SUPPRESSED with its reason, the grade and
    // score what they were.
    let all = dir.join("all.toml");
    std::fs::write(&all, suppressions(&failing, &[])).unwrap();
    let file = dir.join("all.json");
    let out = scan_command(&account)
        .arg("--config")
        .arg(&all)
        .args(["--format", "json", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let doc = json_of(&file);
    assert_eq!(doc["summary"]["failed"], 0);
    assert_eq!(doc["summary"]["suppressed"], failing.len());
    let suppressed: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "SUPPRESSED")
        .collect();
    assert_eq!(suppressed.len(), plain["summary"]["failing_resources"]);
    assert!(suppressed
        .iter()
        .all(|f| f["suppression"]["state"] == "active"
            && f["suppression"]["reason"] == "accepted until the production launch"));
    assert_eq!(doc["assessment"]["score"], plain["assessment"]["score"]);
    assert_eq!(doc["assessment"]["grade"], plain["assessment"]["grade"]);
    validate_json(&root().join("docs/evidence.schema.json"), &file);
    // The table shows them, with the reason.
    let table = scan_command(&account)
        .arg("--config")
        .arg(&all)
        .output()
        .unwrap();
    let (stdout, _) = text(&table);
    assert!(
        stdout.contains("SUPPRESSED") && stdout.contains("accepted until the production launch"),
        "{stdout}"
    );

    // Against last night's scan, the accepted failures are newly suppressed, not regressions.
    let gate = scan_command(&account)
        .arg("--config")
        .arg(&all)
        .arg("--baseline")
        .arg(dir.join("plain.json"))
        .args(["--fail-on", "new"])
        .output()
        .unwrap();
    let (_, stderr) = text(&gate);
    assert_eq!(gate.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("Newly suppressed ({})", suppressed.len()))
            && stderr.contains("New failures (0)"),
        "{stderr}"
    );

    // One expired, one without a reason: those fail again, and say why.
    let lapsed = dir.join("lapsed.toml");
    let config = suppressions(
        &failing,
        &[
            (
                "HA-01",
                "reason = \"one task until launch\"\nexpires = \"2020-01-01\"",
            ),
            ("SEC-01", "approved_by = \"nobody\""),
        ],
    );
    std::fs::write(&lapsed, config).unwrap();
    let file = dir.join("lapsed.json");
    let out = scan_command(&account)
        .arg("--config")
        .arg(&lapsed)
        .args(["--format", "json", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("(HA-01 *) does not hold (expired)")
            && stderr.contains("(SEC-01 *) does not hold (no reason given)"),
        "{stderr}"
    );
    let doc = json_of(&file);
    let status_of = |id: &str| {
        doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check_id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status_of("HA-01"), "FAIL");
    assert_eq!(status_of("SEC-01"), "FAIL");
    assert_eq!(status_of("HA-03"), "SUPPRESSED");
    let ha01 = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "HA-01" && f["status"] == "FAIL")
        .unwrap();
    assert_eq!(ha01["suppression"]["state"], "expired");
    let states: Vec<&str> = doc["suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"expired") && states.contains(&"no_reason"));
    // After a night with everything suppressed, the lapsed ones are new failures again.
    let gate = scan_command(&account)
        .arg("--config")
        .arg(&lapsed)
        .arg("--baseline")
        .arg(dir.join("all.json"))
        .args(["--fail-on", "new"])
        .output()
        .unwrap();
    let (_, stderr) = text(&gate);
    assert_eq!(gate.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("HA-01") && !stderr.contains("New failures (0)"),
        "{stderr}"
    );
    // The evidence re-evaluates to the same suppressions.
    let verify = prodready().arg("verify").arg(&file).output().unwrap();
    assert_eq!(verify.status.code(), Some(0), "{:?}", text(&verify));

    // SARIF of the same scan: valid against the OASIS schema; suppressions accepted or
    // rejected as they held; every finding a result.
    let sarif = dir.join("scan.sarif");
    let out = scan_command(&account)
        .arg("--config")
        .arg(&lapsed)
        .args(["--format", "sarif", "--output"])
        .arg(&sarif)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    validate_json(&schema("sarif-schema-2.1.0.json"), &sarif);
    let s = json_of(&sarif);
    let run = &s["runs"][0];
    let results = run["results"].as_array().unwrap();
    let needing_attention = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !matches!(f["status"].as_str(), Some("PASS" | "NOT_APPLICABLE")))
        .count();
    assert_eq!(results.len(), needing_attention);
    assert!(results.iter().all(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("aws/{account}/")))
    ));
    let with = |status: &str| {
        results
            .iter()
            .filter(|r| r["suppressions"][0]["status"] == status)
            .count()
    };
    let failing_resources = plain["summary"]["failing_resources"].as_u64().unwrap() as usize;
    assert!(with("rejected") >= 2 && with("accepted") + with("rejected") == failing_resources);
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        doc["checks"].as_array().unwrap().len()
    );
    assert!(!std::fs::read_to_string(&sarif).unwrap().contains(CANARY));
}

#[test]
fn history_keeps_every_scan_and_charts_score_and_cost() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("history");
    let history = dir.join("history");
    // Two nights: the second with a laxer HA-01 threshold, so the score moves.
    let lax = dir.join("lax.toml");
    std::fs::write(&lax, "[thresholds]\nmin_desired_count = 1\n").unwrap();
    for config in [None, Some(&lax)] {
        let mut c = scan_command(&account);
        c.arg("--history").arg(&history).args(["--format", "json"]);
        if let Some(config) = config {
            c.arg("--config").arg(config);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
        assert!(text(&out).1.contains("history: "), "{:?}", text(&out).1);
    }
    let mut files: Vec<String> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files
        .iter()
        .all(|f| f.starts_with(&format!("scan-{account}-")) && f.ends_with(".json")));
    // A damaged night is skipped, with a warning, not fatal.
    std::fs::write(
        history.join("scan-broken.json"),
        "{\"schema_version\": \"1.2\", ",
    )
    .unwrap();

    let out = prodready()
        .args(["history", "--format", "json"])
        .arg(&history)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("scan-broken.json"), "{stderr}");
    let h: Value = serde_json::from_str(&stdout).unwrap();
    let points = h["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert!(points[0]["started_at"].as_str() < points[1]["started_at"].as_str());
    assert!(
        points[1]["score"].as_u64() > points[0]["score"].as_u64(),
        "{points:?}"
    );
    assert!(points
        .iter()
        .all(|p| p["monthly_cost"].as_f64().unwrap() > 0.0));

    let table = prodready().arg("history").arg(&history).output().unwrap();
    let (stdout, _) = text(&table);
    assert!(
        stdout.contains("Development/Staging") && stdout.contains(&account),
        "{stdout}"
    );

    let page = dir.join("history.html");
    let out = prodready()
        .args(["history", "--format", "html", "--output"])
        .arg(&page)
        .arg(&history)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    for external in ["<script", "<link", "src=", "url(", "@import"] {
        assert!(!html.contains(external), "the page fetches {external}");
    }
    // Two charts (score, cost), each a well-formed SVG with a line through both scans.
    let svgs = Command::new(python())
        .args([
            "-c",
            "import re, sys, xml.etree.ElementTree as ET\n\
             page = open(sys.argv[1]).read()\n\
             for svg in re.findall(r'<svg.*?</svg>', page, re.S):\n\
             \x20   root = ET.fromstring(svg)\n\
             \x20   line = root.find('{http://www.w3.org/2000/svg}polyline')\n\
             \x20   print(len(line.get('points').split()))",
        ])
        .arg(&page)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&svgs);
    assert_eq!(
        stdout.split_whitespace().collect::<Vec<_>>(),
        ["2", "2"],
        "{stderr}"
    );

    // A folder with no evidence at all is an error.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = prodready().arg("history").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).1.contains("no evidence files"),
        "{:?}",
        text(&out)
    );
}

#[test]
fn the_nightly_docs_quote_their_example_files_verbatim() {
    let doc = std::fs::read_to_string(root().join("docs/nightly.md")).unwrap();
    for file in [
        "docs/examples/cron/prodready-nightly",
        "docs/examples/github-actions/prodready-nightly.yml",
    ] {
        let body = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            doc.contains(body.trim_end()),
            "docs/nightly.md no longer quotes {file} as it is"
        );
    }
}

#[test]
fn the_documented_cron_wrapper_runs_two_nights_and_gates_on_what_is_new() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("cron");
    let (private, public) = keygen(&dir, "key");
    let config = dir.join("prodready.toml");
    std::fs::write(&config, "").unwrap();
    let night = || {
        Command::new("bash")
            .arg(root().join("docs/examples/cron/prodready-nightly"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &dir)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_ENDPOINT_URL", &Emulator::shared().endpoint)
            .env("PRODREADY_ACCOUNT", &account)
            .env("PRODREADY_REGIONS", REGION)
            .env("PRODREADY_ROLE_ARN", role_in(&account))
            .env("PRODREADY_HOME", dir.join("var"))
            .env("PRODREADY_CONFIG", &config)
            .env("PRODREADY_SIGN_KEY", &private)
            .env("PRODREADY_BIN", env!("CARGO_BIN_EXE_prodready"))
            .output()
            .unwrap()
    };
    // The first night has no baseline: staging's failures fail it.
    let first = night();
    assert_eq!(first.status.code(), Some(1), "{:?}", text(&first));
    // The second night changes nothing: nothing new fails.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = night();
    assert_eq!(second.status.code(), Some(0), "{:?}", text(&second));

    let history = dir.join("var/history").join(&account);
    let scans: Vec<PathBuf> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(scans.len(), 2, "{scans:?}");
    for scan in &scans {
        let verify = prodready()
            .arg("verify")
            .arg(scan)
            .arg("--pubkey")
            .arg(&public)
            .output()
            .unwrap();
        assert_eq!(verify.status.code(), Some(0), "{:?}", text(&verify));
    }
    let trend = dir.join("var/runs").join(&account).join("trend.html");
    assert!(std::fs::read_to_string(trend).unwrap().contains("<svg"));
}
