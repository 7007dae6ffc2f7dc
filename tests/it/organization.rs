//! Several accounts in one run, and the organisation report built from their evidence.

use crate::support::*;

#[test]
fn accounts_scan_at_once_into_their_own_folders_and_aggregate_into_one_report() {
    let em = Emulator::shared();
    let staging = em.seed(&["staging"]);
    let production = em.seed(&["production"]);
    let dir = temp_dir("organization");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        format!(
            "[[account]]\nid = \"{staging}\"\nrole = \"prodready-audit\"\nname = \"staging\"\n\n\
             [[account]]\nid = \"{production}\"\nrole = \"arn:aws:iam::{production}:role/prodready-audit\"\n"
        ),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
        .arg("--accounts")
        .arg(&accounts)
        .arg("--output-dir")
        .arg(&out_dir)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    // Production is partial under the emulator (its gaps): the run says so.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for account in [&staging, &production] {
        let evidence = out_dir.join(account).join("evidence.json");
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&evidence).unwrap()).unwrap();
        assert_eq!(doc["scan"]["account_id"], account.as_str());
        assert!(out_dir.join(account).join("report.md").exists());
    }
    // The worst account first.
    let first = stdout.find(&staging).expect("staging listed");
    let second = stdout.find(&production).expect("production listed");
    assert!(first < second, "{stdout}");
    assert!(stdout.contains("Organisation: 2 account(s)"), "{stdout}");
    assert!(stdout.contains("Failing across accounts"), "{stdout}");

    // The same report from the files alone.
    let agg = prodready()
        .args(["aggregate", "--format", "json"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&agg);
    assert_eq!(agg.status.code(), Some(0), "{stderr}");
    let org: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = org["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [staging.as_str(), production.as_str()]);
    // organization.json sits beside the account folders and is not evidence: skipped.
    assert!(stderr.contains("organization.json"), "{stderr}");

    // Several accounts need a folder for their reports.
    let alone = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
        .arg("--accounts")
        .arg(&accounts)
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(2));
    assert!(
        text(&alone).1.contains("--output-dir"),
        "{:?}",
        text(&alone)
    );
    // A bad accounts file is named, with the entry.
    std::fs::write(&accounts, "[[account]]\nid = \"42\"\nrole = \"audit\"\n").unwrap();
    let bad = prodready()
        .args(["scan", "--region", REGION, "--accounts"])
        .arg(&accounts)
        .output()
        .unwrap();
    let (_, stderr) = text(&bad);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("accounts.toml") && stderr.contains("account[0].id"),
        "{stderr}"
    );
}
