//! Phase 4 — Documentation: what only a person can attest.

use super::Check;
use super::Outcome;
use super::NOWHERE;
use crate::config::{AttestedResult, Config};
use crate::inventory::Inventory;

const CATALOG: &str = "checks/documentation.toml";

const DOC_01: Check = Check::new("DOC-01", doc_01_runbooks, CATALOG);

pub const CHECKS: &[Check] = &[DOC_01];

/// DOC-01: runbooks and incident-response procedures. MANUAL until attested in the config.
pub fn doc_01_runbooks(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let account = format!("arn:{}:iam::{}:root", inv.partition(), inv.account_id);
    let Some(a) = config.attestations.get(DOC_01.id.as_str()) else {
        return vec![Outcome::manual(
            &account,
            format!(
                "runbooks and incident-response procedures cannot be seen in the account: attest them under [attestations.{}] in the config",
                DOC_01.id
            ),
        )];
    };
    let observed = format!(
        "attested by {} on {}: {}",
        a.attested_by, a.date, a.evidence_url
    );
    vec![match a.result {
        AttestedResult::Pass => Outcome::pass(
            &account,
            NOWHERE,
            observed,
            "runbooks and incident-response procedures are attested",
        ),
        AttestedResult::Fail => Outcome::fail(
            &account,
            NOWHERE,
            observed,
            "runbooks or incident-response procedures are attested missing",
        ),
    }]
}
