//! The binary: outputs, exit codes, the evidence document's shape, and bad input.

use std::process::Command;

use crate::support::*;

#[test]
fn table_output_lists_every_check_and_exits_1_on_failures() {
    let account = Emulator::shared().seed(&["staging"]);
    let out = scan_command(&account).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    for id in [
        "STATE-03", "HA-01", "HA-03", "MON-09", "SEC-01", "BAK-01", "HARD-05", "HARD-07", "HARD-08",
    ] {
        let row = stdout
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{stdout}"));
        assert!(row.contains("FAIL"), "{row}");
    }
    assert!(stdout.contains("54 checks:"), "{stdout}");
    assert!(
        !stdout.contains('\u{1b}'),
        "no colour when NO_COLOR is set or stdout is not a terminal"
    );
}

#[test]
fn production_exits_3_for_what_the_emulator_cannot_serve_and_fails_only_its_gap() {
    // Against real AWS the production scenario exits 0. The emulator cannot list backup
    // selections or restore jobs (ERROR, and errors win: exit 3) nor report a table's
    // replicas (BAK-06 fails on the maps table, and REC-03 cannot estimate its region's loss
    // without them). Nothing else may fail or err.
    let account = Emulator::shared().seed(&["production"]);
    let out = scan_command(&account)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{:?}", text(&out));
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let not_passing: Vec<(String, String)> = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| matches!(f["status"].as_str(), Some("FAIL") | Some("ERROR")))
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let ids: Vec<&str> = not_passing.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        ["BAK-02", "BAK-05", "BAK-06", "REC-03"],
        "{not_passing:?}"
    );
    assert!(not_passing[0].1.starts_with("ListBackupSelections in eu-west-1 failed (error): HTTP 500 with a body that is not a service error: <!doctype html>"));
    assert!(not_passing[1]
        .1
        .starts_with("ListRestoreJobs in eu-west-1 failed (error): HTTP 404"));
    assert_eq!(not_passing[2].1, "table maps exists in eu-west-1 only");
    // Without the replica, the table's region estimate turns on the unreadable selections.
    assert_eq!(
        not_passing[3].1,
        "table maps: backup:ListBackupSelections could not be read"
    );
}

#[test]
fn json_evidence_validates_against_the_published_schema() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("schema");
    let file = dir.join("evidence.json");
    let out = scan_command(&account)
        .args(["--format", "json", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    assert!(
        out.stdout.is_empty(),
        "--output writes the file, not stdout"
    );

    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(doc["schema_version"], "1.2");
    assert_eq!(doc["scan"]["account_id"], account.as_str());
    assert_eq!(
        doc["scan"]["caller_arn"]
            .as_str()
            .unwrap()
            .split(':')
            .nth(4),
        Some(account.as_str())
    );
    assert!(doc["api_calls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["operation"] == "ListDetectors"));

    validate_json(&root().join("docs/evidence.schema.json"), &file);
}

#[test]
fn no_output_contains_a_secret_value_even_when_verbose() {
    // Staging plants a value in a task definition's environment, degraded one in a Secrets
    // Manager secret; every planted value ends in the same marker.
    let account = Emulator::shared().seed(&["staging", "degraded"]);
    const PLANTED: &str = "do-not-leak";
    assert!(CANARY.ends_with(PLANTED));
    let dir = temp_dir("canary");
    let json = dir.join("evidence.json");
    // The scanner's own secret key: distinctive, so any echo of it is found.
    const SECRET_KEY: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYprodreadyKEY";
    // A Terraform state holds its secrets in plain text: one more planted value, in an
    // attribute of a type prodready does not know and in one of a type it does.
    let state = dir.join("terraform.tfstate");
    std::fs::write(
        &state,
        format!(
            r#"{{"version": 4, "resources": [
  {{"mode": "managed", "type": "random_password", "name": "db", "instances": [{{"attributes": {{"id": "none", "result": "state-{PLANTED}"}}}}]}},
  {{"mode": "managed", "type": "aws_dynamodb_table", "name": "maps", "instances": [{{"attributes": {{"arn": "arn:aws:dynamodb:eu-west-1:{account}:table/maps", "tags": {{"owner": "tag-{PLANTED}"}}}}}}]}}
]}}"#
        ),
    )
    .unwrap();
    let scan = || {
        let mut c = scan_command(&account);
        c.env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .arg("--terraform-state")
            .arg(&state);
        c
    };
    let runs = [
        scan().output().unwrap(),
        scan().args(["--format", "json"]).output().unwrap(),
        scan()
            .args(["-vv", "--format", "json", "--output"])
            .arg(&json)
            .output()
            .unwrap(),
        scan().env("RUST_LOG", "trace").output().unwrap(),
    ];
    for out in &runs {
        let (stdout, stderr) = text(out);
        assert!(!stdout.is_empty() || json.exists());
        assert!(!stdout.contains(PLANTED), "secret value on stdout");
        assert!(!stderr.contains(PLANTED), "secret value on stderr");
        for output in [&stdout, &stderr] {
            assert!(!output.contains(SECRET_KEY), "the secret key was printed");
            // A SigV4 signature is 64 hex digits after `Signature=`.
            assert!(
                !output
                    .split("Signature=")
                    .skip(1)
                    .any(|rest| rest.len() >= 16
                        && rest[..16].chars().all(|c| c.is_ascii_hexdigit())),
                "a request signature was printed"
            );
        }
    }
    // The trace run did log (so the checks above looked at something).
    assert!(text(&runs[3]).1.lines().count() > 50);
    let written = std::fs::read_to_string(&json).unwrap();
    assert!(
        written.contains("COGNITO_CLIENT_ID") && written.contains("api/db-password"),
        "the names are evidence"
    );
    assert!(!written.contains(PLANTED), "the values are not");
}

#[test]
fn checks_lists_the_catalog() {
    let out = prodready().args(["checks"]).output().unwrap();
    assert!(out.status.success());
    let (stdout, _) = text(&out);
    let catalog = prodready::catalog::catalog().checks();
    for c in catalog {
        let row = stdout.lines().find(|l| l.contains(&format!("| {} ", c.id)));
        assert!(
            row.is_some_and(|r| r.contains(&c.title)),
            "{} missing:\n{stdout}",
            c.id
        );
    }
    let out = prodready()
        .args(["checks", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), catalog.len());
    assert_eq!(
        v[0]["id"], "STATE-01",
        "the assessment's order: remote state first"
    );
}

#[test]
fn docs_check_reference_is_generated_from_the_catalog() {
    let out = prodready()
        .args(["checks", "--format", "markdown"])
        .output()
        .unwrap();
    let committed = std::fs::read_to_string(root().join("docs/checks.md")).unwrap();
    assert!(
        committed == String::from_utf8_lossy(&out.stdout),
        "docs/checks.md is stale: run `cargo run -q -- checks --format markdown > docs/checks.md`"
    );
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let dir = temp_dir("bad-input");
    let config = dir.join("prodready.toml");
    std::fs::write(&config, "[thresholds]\nmin_desired_count = \"three\"\n").unwrap();
    let em = Emulator::shared();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--region".into(), "moon-base-1a".into()],
            "invalid region \"moon-base-1a\"",
        ),
        (
            vec![
                "--region".into(),
                REGION.into(),
                "--endpoint-url".into(),
                "localhost:5000".into(),
            ],
            "invalid endpoint URL",
        ),
        (
            vec![
                "--region".into(),
                REGION.into(),
                "--role-arn".into(),
                "audit".into(),
            ],
            "invalid role ARN",
        ),
        (
            vec![
                "--region".into(),
                REGION.into(),
                "--endpoint-url".into(),
                em.endpoint.clone(),
                "--config".into(),
                config.display().to_string(),
            ],
            "min_desired_count",
        ),
        (
            vec![
                "--region".into(),
                REGION.into(),
                "--max-concurrency".into(),
                "0".into(),
            ],
            "--max-concurrency",
        ),
    ];
    for (args, want) in cases {
        let out = prodready()
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .arg("scan")
            .args(&args)
            .output()
            .unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn every_call_a_scan_makes_is_in_the_generated_policy() {
    let out = prodready().arg("permissions").output().unwrap();
    let policy = text(&out).0;
    let doc: serde_json::Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(doc["Statement"][0]["Effect"], "Allow");
    let e = scan_scenarios(&["production", "degraded"], &[REGION, "us-east-1"]);
    let mut missing = Vec::new();
    for call in &e.api_calls {
        let action = prodready::error::iam_action(&call.service, &call.operation);
        let listed = prodready::collect::permissions::OPERATIONS
            .contains(&(call.service.as_str(), call.operation.as_str()));
        // sts:GetCallerIdentity needs no permission: IAM cannot deny it.
        if action != "sts:GetCallerIdentity"
            && (!listed || !policy.contains(&format!("\"{action}\"")))
        {
            missing.push(action);
        }
    }
    assert!(
        missing.is_empty(),
        "prodready::collect::permissions::OPERATIONS lacks {missing:?}"
    );
}

/// The PNG's size, its count of distinct byte values and its share of dark bytes (decoded
/// with Python's zlib: no image crate for one test).
const PNG_STATS: &str = r#"
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
pos, idat = 8, b""
while pos < len(d):
    n, = struct.unpack(">I", d[pos:pos + 4]); kind = d[pos + 4:pos + 8]
    if kind == b"IHDR": w, h = struct.unpack(">II", d[pos + 8:pos + 16])
    if kind == b"IDAT": idat += d[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
print(w, h, len(set(raw)), sum(1 for b in raw if b < 200) / len(raw))
"#;

#[test]
fn the_html_checklist_filters_by_status_in_chromium_and_reads_without_scripts() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("html-filters");
    let page = dir.join("report.html");
    let out = scan_command(&account)
        .args(["--format", "html", "--output"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    // Without scripts: the filters are hidden, every check is shown.
    assert!(html.contains("<form id=\"filters\" hidden>"));
    assert_eq!(
        html.matches(" hidden>").count(),
        1,
        "only the filters are hidden"
    );
    let browser = chromium();
    let dom = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!(
            "file://{}#status=FAIL&severity=critical",
            page.display()
        ))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let items: Vec<&str> = dom.split("<li ").skip(1).collect();
    assert!(items.len() >= 49, "{} items", items.len());
    let shown: Vec<&&str> = items.iter().filter(|li| !li.contains(" hidden=")).collect();
    assert!(!shown.is_empty(), "nothing shown");
    for li in &shown {
        assert!(
            li.contains("data-status=\"FAIL\"") && li.contains("data-severity=\"critical\""),
            "shown though filtered out: {li}"
        );
    }
    assert!(
        !dom.contains("<form id=\"filters\" hidden"),
        "the filters stay hidden"
    );
    // What a failure would cost: the matrix renders, each cell against its target.
    let matrix = dom
        .split("<table class=\"recovery\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the recovery matrix is in the page");
    assert_eq!(
        matrix.matches("<tr>").count(),
        5,
        "a header, the application, the service, the table, the bucket: {matrix}"
    );
    assert_eq!(matrix.matches("class=\"misses\"").count(), 10, "{matrix}");
    assert_eq!(matrix.matches("class=\"meets\"").count(), 3, "{matrix}");
    assert!(
        matrix.contains("title=\"RTO unbounded, RPO everything since it was created (data.none)\""),
        "{matrix}"
    );
}

#[test]
fn the_html_report_is_one_self_contained_page_that_renders_in_chromium() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("html");
    let page = dir.join("report.html");
    let out = scan_command(&account)
        .args(["--format", "html", "--output"])
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    // Its one script is inline and fetches nothing.
    for external in [
        "<script src",
        "<link",
        "src=",
        "url(",
        "@import",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(
            !html.contains(external),
            "the page fetches something: {external}"
        );
    }
    assert!(
        html.contains("Development/Staging")
            && html.contains("<svg")
            && html.contains("cost-chart")
    );
    assert!(!html.contains(CANARY));

    let browser = chromium();
    let shot = dir.join("report.png");
    let run = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1100,1400",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let (_, log) = text(&run);
    assert!(run.status.success() && shot.exists(), "{log}");
    // Console messages (errors above all) are logged as CONSOLE lines.
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
    let stats = Command::new(python())
        .args(["-c", PNG_STATS])
        .arg(&shot)
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&stats.stdout).to_string();
    let fields: Vec<f64> = stats
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    assert_eq!(fields[..2], [1100.0, 1400.0], "{stats}");
    assert!(fields[2] > 20.0, "a blank screenshot: {stats}");
    assert!(fields[3] > 0.005, "hardly anything drawn: {stats}");
}

#[test]
fn output_dir_writes_every_format_at_once() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("all-formats");
    let out = scan_command(&account)
        .arg("--output-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    for file in ["evidence.json", "report.md", "report.html", "report.txt"] {
        let body = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(body.contains("Development/Staging"), "{file}");
    }
    for file in ["report.junit.xml", "report.sarif"] {
        let body = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(body.contains(&account), "{file}");
    }
    // The terminal still gets its table.
    assert!(text(&out).0.contains("Grade: Development/Staging"));
}

#[test]
fn junit_output_is_valid_with_a_case_per_check_and_resource() {
    let account = Emulator::shared().seed(&["staging"]);
    let dir = temp_dir("junit");
    let file = dir.join("junit.xml");
    let out = scan_command(&account)
        .args(["--format", "junit", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{:?}", text(&out));
    // Parsed by Python's XML parser: counts per status, and the total matches the evidence.
    let counts = Command::new(python())
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             cases = root.findall('./testsuite/testcase')\n\
             n = lambda tag: sum(1 for c in cases if c.find(tag) is not None)\n\
             print(root.tag, len(root.findall('testsuite')), len(cases), n('failure'), n('error'), n('skipped'), root.get('failures'))",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let (stdout, stderr) = text(&counts);
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(fields.len(), 7, "{stdout} {stderr}");
    assert_eq!(fields[0], "testsuites");
    assert_eq!(fields[1], "4", "one suite per phase");
    // Staging: 45 failing resources, as the table says.
    assert_eq!(fields[3], "45");
    assert_eq!(fields[6], "45");
    assert_eq!(fields[4], "0");
    assert!(!std::fs::read_to_string(&file).unwrap().contains(CANARY));
    // And valid against the JUnit XSD CI systems use (Jenkins' junit-10.xsd).
    let check = Command::new(python())
        .args([
            "-c",
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2]); print('valid')",
        ])
        .arg(schema("junit-10.xsd"))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_progress_line_shows_on_a_terminal_and_never_when_piped() {
    let account = Emulator::shared().seed(&["staging"]);
    // Piped (as every other test runs it): no progress line at all.
    let piped = scan_command(&account).output().unwrap();
    assert!(
        !text(&piped).1.contains("parts read"),
        "{:?}",
        text(&piped).1
    );
    // On a terminal (a pseudo-terminal from util-linux's `script`): the spinner line.
    let command = format!(
        "{} scan --region {REGION} --endpoint-url {} --max-attempts 1 --role-arn {} --output /dev/null",
        env!("CARGO_BIN_EXE_prodready"),
        Emulator::shared().endpoint,
        role_in(&account)
    );
    let tty = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .unwrap();
    let (shown, _) = text(&tty);
    assert_eq!(tty.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("parts read") && shown.contains("API calls"),
        "{shown}"
    );
}
