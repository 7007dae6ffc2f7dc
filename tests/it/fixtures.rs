//! Every check judged on its fixtures: inventory fragments, serialised as the evidence
//! stores them, each with the config it is judged under. One snapshot per check holds the
//! outcomes of all its cases. The emulator scenarios test the wire and the whole pipeline;
//! these test each rule on the cases an account can present, the ones moto cannot seed too.

use std::collections::BTreeSet;
use std::path::PathBuf;

use prodready::checks::{Check, Outcome, Status};
use prodready::config::Config;
use prodready::inventory::Inventory;
use serde::Deserialize;
use serde_json::Value;

use crate::support::root;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case shows.
    name: String,
    /// The config's TOML, when the case needs more than the defaults.
    #[serde(default)]
    config: Option<String>,
    /// The parts of the inventory the check reads; the others are left uncollected.
    inventory: Value,
}

fn fixtures_dir() -> PathBuf {
    root().join("tests/fixtures/checks")
}

fn load(check: &Check) -> Fixture {
    let path = fixtures_dir().join(format!("{}.json", check.id));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: no fixture ({e}): run scripts/new-check",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fragment laid over an inventory where nothing was collected.
fn inventory_of(fragment: &Value, context: &str) -> Inventory {
    let mut whole = serde_json::to_value(Inventory::default()).unwrap();
    let parts = fragment
        .as_object()
        .unwrap_or_else(|| panic!("{context}: the inventory is not an object"));
    for (key, value) in parts {
        assert!(
            whole.get(key).is_some(),
            "{context}: the inventory has no part {key}"
        );
        whole[key] = value.clone();
    }
    serde_json::from_value(whole).unwrap_or_else(|e| panic!("{context}: {e}"))
}

fn judge(check: &Check, case: &Case) -> Vec<Outcome> {
    let context = format!("{} / {}", check.id, case.name);
    let config = match &case.config {
        Some(text) => Config::parse(text).unwrap_or_else(|e| panic!("{context}: config: {e}")),
        None => Config::default(),
    };
    (check.rule)(&inventory_of(&case.inventory, &context), &config)
}

fn render(check: &Check, fixture: &Fixture) -> String {
    let mut out = String::new();
    for case in &fixture.cases {
        out.push_str(&format!("## {}\n", case.name));
        for o in judge(check, case) {
            out.push_str(&format!(
                "{} {} [{}] {}\n    {}\n",
                o.status.as_str(),
                o.resource_arn.as_deref().unwrap_or("-"),
                o.region.as_deref().unwrap_or("-"),
                o.observed,
                o.message
            ));
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_check_is_judged_on_its_fixtures() {
    for check in prodready::checks::all() {
        let fixture = load(check);
        insta::assert_snapshot!(format!("check_{}", check.id), render(check, &fixture));
    }
}

/// A PASS, a FAIL, and at least one case more: an edge a real account presents.
#[test]
fn every_check_has_a_failing_a_passing_and_an_edge_case() {
    let mut missing = Vec::new();
    for check in prodready::checks::all() {
        let fixture = load(check);
        if fixture.cases.len() < 3 {
            missing.push(format!("{} has fewer than three cases", check.id));
        }
        let seen: BTreeSet<Status> = fixture
            .cases
            .iter()
            .flat_map(|c| judge(check, c))
            .map(|o| o.status)
            .collect();
        for want in [Status::Fail, Status::Pass] {
            if !seen.contains(&want) {
                missing.push(format!("{} has no case judged {}", check.id, want.as_str()));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_fixture_file_is_a_declared_check() {
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".json").unwrap_or(&name);
        assert!(
            prodready::checks::find(id).is_some(),
            "tests/fixtures/checks/{name} names no declared check"
        );
    }
}
