//! Several accounts in one run, and the organisation report built from their evidence.

use std::process::Command;

use crate::support::*;

#[test]
fn an_accounts_file_of_one_account_scans_that_account_through_its_role() {
    let em = Emulator::shared();
    let staging = em.seed(&["staging"]);
    let dir = temp_dir("one-account");
    let accounts = dir.join("accounts.toml");
    std::fs::write(
        &accounts,
        format!("[[account]]\nid = \"{staging}\"\nrole = \"prodready-audit\"\n"),
    )
    .unwrap();
    let out = prodready()
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["scan", "--region", REGION, "--endpoint-url", &em.endpoint])
        .args(["--max-attempts", "1", "--format", "json"])
        .arg("--accounts")
        .arg(&accounts)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    let doc: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(doc["scan"]["account_id"], staging.as_str(), "{stderr}");
}

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

/// `--org-role`: the organisation's accounts come from Organizations (in the management
/// account the base credentials reach: moto's default account here, so this test has an
/// emulator of its own); the active ones are scanned, closed ones named and skipped. Their
/// evidence, put in S3 as a fleet of scans would, aggregates from there.
#[test]
fn org_role_scans_every_active_member_and_aggregate_reads_their_evidence_from_s3() {
    const MANAGEMENT: &str = "123456789012";
    let em = Emulator::start();
    let base = |c: &mut std::process::Command| {
        c.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .args(["--region", REGION, "--endpoint-url", &em.endpoint]);
    };
    let dir = temp_dir("org-role");
    let out_dir = dir.join("out");
    let org_scan = || {
        let mut c = prodready();
        c.arg("scan");
        base(&mut c);
        c.args(["--org-role", "prodready-audit", "--max-attempts", "1"])
            .args(["--exclude-account", MANAGEMENT, "--format", "json"])
            .arg("--output-dir")
            .arg(&out_dir);
        c.output().unwrap()
    };

    // Not (yet) an organisation: said plainly, with the permission, before any scan. (AWS
    // answers AWSOrganizationsNotInUseException; the emulator lists no account.)
    let none = org_scan();
    let (_, stderr) = text(&none);
    assert_eq!(none.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("organizations:ListAccounts"), "{stderr}");

    let seeded = Command::new(python())
        .arg(root().join("mocks/emulator/seed.py"))
        .args(["--endpoint", &em.endpoint, "--account", MANAGEMENT])
        .args([
            "--organization",
            "staging,production,closed",
            "--close",
            "closed",
        ])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{:?}", text(&seeded));
    let ids: serde_json::Value = serde_json::from_slice(&seeded.stdout).unwrap();
    let id = |name: &str| ids["organization"][name].as_str().unwrap().to_owned();
    let (staging, production, closed) = (id("staging"), id("production"), id("closed"));
    em.seed_into(&staging, &["staging"], &[]);
    em.seed_into(&production, &["production"], &[]);

    let scanned = org_scan();
    let (stdout, stderr) = text(&scanned);
    // Production is partial under the emulator (its gaps), so the run is too.
    assert_eq!(scanned.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&closed) && stderr.contains("SUSPENDED"),
        "{stderr}"
    );
    let org: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let accounts = |org: &serde_json::Value| -> Vec<String> {
        org["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(accounts(&org), [staging.clone(), production.clone()]);
    assert!(!out_dir.join(&closed).exists() && !out_dir.join(MANAGEMENT).exists());

    // The fleet's evidence in S3, with a JSON file that is not evidence and a file that is
    // not JSON beside it.
    let upload = Command::new(python())
        .args([
            "-c",
            "import boto3, sys\n\
             s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='eu-west-1',\n\
                 aws_access_key_id='testing', aws_secret_access_key='testing')\n\
             s3.create_bucket(Bucket='org-evidence', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})\n\
             for account, path in zip(sys.argv[2::2], sys.argv[3::2]): s3.upload_file(path, 'org-evidence', f'nightly/{account}/evidence.json')\n\
             s3.put_object(Bucket='org-evidence', Key='nightly/notes.json', Body=b'{}')\n\
             s3.put_object(Bucket='org-evidence', Key='nightly/README.txt', Body=b'hello')\n",
            &em.endpoint,
        ])
        .args([&staging, &out_dir.join(&staging).join("evidence.json").display().to_string()])
        .args([&production, &out_dir.join(&production).join("evidence.json").display().to_string()])
        .output()
        .unwrap();
    assert!(upload.status.success(), "{:?}", text(&upload));

    let aggregate = |source: &str| {
        let mut c = prodready();
        c.args(["aggregate", source, "--format", "json"]);
        base(&mut c);
        c.output().unwrap()
    };
    let from_s3 = aggregate("s3://org-evidence/nightly/");
    let (stdout, stderr) = text(&from_s3);
    assert_eq!(from_s3.status.code(), Some(0), "{stderr}");
    let org: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(accounts(&org), [staging.clone(), production.clone()]);
    assert_eq!(
        org["accounts"][0]["source"],
        format!("s3://org-evidence/nightly/{staging}/evidence.json")
    );
    assert!(
        stderr.contains("s3://org-evidence/nightly/notes.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("README.txt"), "{stderr}");
    // The same summary as from the folder the scan wrote.
    let from_dir = prodready()
        .args(["aggregate", "--format", "json"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let local: serde_json::Value = serde_json::from_slice(&from_dir.stdout).unwrap();
    assert_eq!(local["checks"], org["checks"]);
    assert_eq!(local["mean_score"], org["mean_score"]);

    // A bucket that is not there: exit 2, with the permission it needs.
    let missing = aggregate("s3://no-such-bucket/nightly/");
    let (_, stderr) = text(&missing);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("s3:ListBucket"), "{stderr}");
}
