//! Property tests of every parser of a user's file: the config, the price table, the accounts
//! file, and stored evidence (read by verify, diff, --baseline, history and aggregate). Arbitrary text and one-character
//! mutations of valid documents must give an error or a document, never a panic; a mutation
//! of sealed evidence that changes its content must be reported by `verify`. Bounded: a few
//! hundred cases each, well under a second in CI.

use proptest::prelude::*;

use crate::assess::cost::PriceTable;
use crate::checks::testing::{bucket, inventory_at, table, REGION};
use crate::config::Config;
use crate::evidence::ScanInfo;
use crate::inventory::{Collected, DynamoDb};

/// The configuration reference's example, the fullest valid config there is.
fn example_config() -> String {
    let doc = include_str!("../docs/configuration.md");
    let start = doc.find("```toml\n").expect("a toml example") + 8;
    let end = start + doc[start..].find("```").expect("its end");
    doc[start..end].to_owned()
}

/// A sealed evidence document of a small account, as the scanner writes it.
fn sealed_evidence() -> String {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(build_sealed_evidence).clone()
}

fn build_sealed_evidence() -> String {
    let mut inv = inventory_at("2026-11-28T03:00:00Z");
    let dynamo = DynamoDb {
        tables: vec![table("maps"), table("scores")],
        ..DynamoDb::default()
    };
    inv.dynamodb.insert(REGION.into(), Collected::Ok(dynamo));
    let s3 = crate::inventory::S3 {
        buckets: vec![bucket("mra-mines-assets", REGION)],
        account_public_access_block: None,
    };
    inv.s3 = Some(Collected::Ok(s3));
    let scan = ScanInfo {
        started_at: "2026-11-28T03:00:00Z".into(),
        finished_at: "2026-11-28T03:00:05Z".into(),
        duration_ms: 5000,
        account_id: inv.account_id.clone(),
        caller_arn: format!("arn:aws:iam::{}:role/audit", inv.account_id),
        regions: inv.regions.clone(),
        endpoint: None,
        partial: false,
        interrupted_by: None,
    };
    let e = crate::scan::assemble(
        scan,
        inv,
        &Config::default(),
        &PriceTable::embedded(),
        Vec::new(),
    );
    crate::report::json(&e)
}

/// `text` with the character at `at` (modulo its length) replaced by `with`.
fn mutate(text: &str, at: usize, with: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let i = at % chars.len();
    let mut out: String = chars[..i].iter().collect();
    out.push_str(with);
    out.extend(&chars[i + 1..]);
    out
}

const REPLACEMENTS: &[&str] = &[
    "",
    "\"",
    "'",
    "=",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\n",
    "-",
    "0",
    "9",
    "x",
    "#",
    "\\",
    "99999999999999999999999",
    "-1",
    "1e999",
    "true",
    "null",
    "\u{0}",
    "é",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_a_config_or_an_error(text in any::<String>()) {
        if let Err(e) = Config::parse(&text) {
            prop_assert!(!e.trim().is_empty(), "an empty error for {text:?}");
        }
    }

    #[test]
    fn a_mutated_config_is_a_config_or_an_error_that_says_what(
        at in any::<usize>(),
        with in proptest::sample::select(REPLACEMENTS),
    ) {
        if let Err(e) = Config::parse(&mutate(&example_config(), at, with)) {
            prop_assert!(!e.trim().is_empty());
        }
    }

    #[test]
    fn any_text_is_a_price_table_or_an_error(text in any::<String>()) {
        match PriceTable::parse(&text) {
            Ok(table) => prop_assert!(!table.regions.is_empty()),
            Err(e) => prop_assert!(!e.trim().is_empty(), "an empty error for {text:?}"),
        }
    }

    #[test]
    fn a_mutated_price_table_is_a_table_or_an_error(
        at in any::<usize>(),
        with in proptest::sample::select(REPLACEMENTS),
    ) {
        let text = mutate(include_str!("../prices/aws.toml"), at, with);
        if let Err(e) = PriceTable::parse(&text) {
            prop_assert!(!e.trim().is_empty());
        }
    }

    #[test]
    fn any_text_is_an_accounts_file_or_an_error(text in any::<String>()) {
        match crate::fleet::accounts::parse(&text) {
            Ok(accounts) => prop_assert!(accounts.iter().all(|a| a.id.len() == 12)),
            Err(e) => prop_assert!(!e.trim().is_empty(), "an empty error for {text:?}"),
        }
    }

    #[test]
    fn a_mutated_accounts_file_is_accounts_or_an_error_that_says_what(
        at in any::<usize>(),
        with in proptest::sample::select(REPLACEMENTS),
    ) {
        let valid = "[[account]]\nid = \"111122223333\"\nrole = \"prodready-audit\"\nname = \"staging\"\n\n[[account]]\nid = \"444455556666\"\nrole = \"arn:aws:iam::444455556666:role/audit\"\n";
        match crate::fleet::accounts::parse(&mutate(valid, at, with)) {
            Ok(accounts) => prop_assert!(accounts.iter().all(|a| a.id.len() == 12)),
            Err(e) => prop_assert!(!e.trim().is_empty()),
        }
    }

    #[test]
    fn any_text_is_refused_by_verify(text in any::<String>()) {
        match crate::evidence::integrity::verify(&text, None) {
            Err(e) => prop_assert!(!e.trim().is_empty(), "an empty error for {text:?}"),
            Ok(report) => prop_assert!(!report.problems.is_empty(), "{text:?} verified"),
        }
        match crate::evidence::read::parse(&text) {
            Err(e) => prop_assert!(!e.trim().is_empty(), "an empty error for {text:?}"),
            Ok(_) => prop_assert!(false, "{text:?} read as evidence"),
        }
    }

    #[test]
    fn a_mutation_of_sealed_evidence_that_changes_it_is_reported(
        at in any::<usize>(),
        with in proptest::sample::select(REPLACEMENTS),
    ) {
        let original = sealed_evidence();
        let text = mutate(&original, at, with);
        let _ = crate::evidence::read::parse(&text);
        match crate::evidence::integrity::verify(&text, None) {
            Err(e) => prop_assert!(!e.is_empty()),
            Ok(report) => {
                let same = |t: &str| crate::evidence::integrity::canonical(t).ok();
                // Only a change the canonical form does not see (whitespace between tokens)
                // may pass.
                prop_assert!(
                    !report.problems.is_empty() || same(&text) == same(&original),
                    "an undetected change at {at}: {with:?}"
                );
            }
        }
    }
}

#[test]
fn the_sample_evidence_verifies() {
    let report = crate::evidence::integrity::verify(&sealed_evidence(), None).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
