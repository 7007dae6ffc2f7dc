//! The HTML report of a large account opens in a browser and its filters still work: the
//! renderers' size bounds hold where they matter, in Chromium.

use std::process::Command;

use prodready::inventory::Inventory;
use serde_json::json;

use crate::support::{chromium, temp_dir};

const TABLES: usize = 3_000;
const LOG_GROUPS: usize = 3_000;

/// An account of thousands of tables without point-in-time recovery and log groups that never
/// expire, judged.
fn large_account() -> prodready::evidence::Evidence {
    let region = "eu-west-1";
    let arn = |kind: &str, name: &str| format!("arn:aws:{kind}:{region}:111122223333:{name}");
    let tables: Vec<_> = (0..TABLES)
        .map(|i| {
            let name = format!("archive-{i:04}");
            json!({"arn": arn("dynamodb", &format!("table/{name}")), "name": name,
                   "status": "ACTIVE", "billing_mode": "PAY_PER_REQUEST", "size_bytes": i,
                   "item_count": 0, "hash_key": null, "sse_type": null, "kms_key_arn": null,
                   "pitr_enabled": false, "backups_error": null, "restored": null})
        })
        .collect();
    let groups: Vec<_> = (0..LOG_GROUPS)
        .map(|i| {
            let name = format!("/ecs/service-{i:04}");
            json!({"arn": arn("logs", &format!("log-group:{name}")), "name": name,
                   "retention_days": null, "stored_bytes": i, "kms_key_id": null})
        })
        .collect();
    let mut inventory = serde_json::to_value(Inventory::default()).unwrap();
    let fragment = json!({
        "account_id": "111122223333",
        "collected_at": "2026-12-01T03:00:00Z",
        "regions": [region],
        "dynamodb": {region: {"ok": {"tables": tables, "legacy_global_tables": {"ok": []}}}},
        "logs": {region: {"ok": {"groups": groups}}},
    });
    for (key, value) in fragment.as_object().unwrap() {
        inventory[key] = value.clone();
    }
    let inventory: Inventory = serde_json::from_value(inventory).unwrap();
    let scan = prodready::evidence::ScanInfo {
        started_at: inventory.collected_at.clone(),
        finished_at: inventory.collected_at.clone(),
        duration_ms: 1,
        account_id: inventory.account_id.clone(),
        caller_arn: String::new(),
        regions: inventory.regions.clone(),
        endpoint: None,
        partial: false,
        interrupted_by: None,
    };
    prodready::scan::assemble(
        scan,
        inventory,
        &prodready::config::Config::default(),
        &prodready::assess::cost::PriceTable::embedded(),
        vec![],
    )
}

#[test]
fn a_large_accounts_html_report_is_bounded_and_filters_in_chromium() {
    let evidence = large_account();
    let failing = evidence
        .findings
        .iter()
        .filter(|f| f.status == prodready::checks::Status::Fail)
        .count();
    assert!(failing >= TABLES + LOG_GROUPS, "{failing} failing findings");
    let markdown = prodready::report::markdown::render(&evidence);
    assert!(
        markdown.len() < 1_000_000,
        "Markdown: {} bytes",
        markdown.len()
    );
    let html = prodready::report::html::render(&evidence);
    assert!(html.len() < 1_000_000, "HTML: {} bytes", html.len());
    // Worst first: the largest table is among the three a summary names.
    assert!(
        html.contains(&format!("failing: archive-{:04}, ", TABLES - 1)),
        "the largest table is not named first"
    );
    let page = temp_dir("large-html").join("report.html");
    std::fs::write(&page, &html).unwrap();
    let dom = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}#q=service-1234", page.display()))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let items: Vec<&str> = dom.split("<li ").skip(1).collect();
    assert!(items.len() >= 49, "{} checks in the page", items.len());
    let shown: Vec<&&str> = items.iter().filter(|li| !li.contains(" hidden=")).collect();
    assert!(!shown.is_empty(), "the search found nothing");
    assert!(shown.len() < items.len(), "the search hid nothing");
    for li in shown {
        assert!(
            li.contains("service-1234"),
            "shown though not matching: {li}"
        );
    }
}
