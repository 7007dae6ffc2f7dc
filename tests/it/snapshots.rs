//! Snapshots of the rendered reports (table and Markdown) for staging and production, with
//! everything that changes from run to run (account ids, times, generated resource ids, the
//! emulator's port, durations) normalised. A change to a report shows up as a reviewable diff
//! in tests/it/snapshots/; `INSTA_UPDATE=always cargo test` rewrites them after a deliberate
//! change.

use crate::support::*;

fn normalised(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "snapshots",
        prepend_module_to_snapshot => false,
        filters => vec![
            (r"\b\d{12}\b", "[ACCOUNT]"),
            (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "[TIME]"),
            (r"127\.0\.0\.1:\d+", "[ENDPOINT]"),
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[UUID]"),
            (r"\b(sg|vpc|subnet)-[0-9a-f]{8,17}\b", "$1-[ID]"),
            (r"distribution/[A-Z0-9]{8,}", "distribution/[ID]"),
            (r"distribution [A-Z0-9]{8,}", "distribution [ID]"),
            (r"[a-z0-9]{8,}\.cloudfront\.net", "[ID].cloudfront.net"),
            (r"\d+ API calls in [0-9.]+ s", "[N] API calls in [T] s"),
            (r"/[0-9a-f]{16}\b", "/[ID]"),
            (r"(secret:[A-Za-z0-9/_-]+)-[A-Za-z0-9]{6}\b", "$1-[RAND]"),
            (r"hostedzone/[A-Z0-9]+", "hostedzone/[ID]"),
            // A CloudFront distribution id on its own (`--id E2…`, `# for: E2…`).
            (r"\b[A-Z0-9]{13,14}\b", "[ID]"),
        ],
    }, {
        insta::assert_snapshot!(name, text);
    });
}

fn outputs(scenario: &str) -> (String, String) {
    let account = Emulator::shared().seed(&[scenario]);
    let table = scan_command(&account).output().unwrap();
    let markdown = scan_command(&account)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    (text(&table).0, text(&markdown).0)
}

#[test]
fn staging_reports() {
    let (table, markdown) = outputs("staging");
    normalised("staging_table", &table);
    normalised("staging_markdown", &markdown);
}

#[test]
fn production_reports() {
    let (table, markdown) = outputs("production");
    normalised("production_table", &table);
    normalised("production_markdown", &markdown);
}
