//! The monthly cost estimate: the account as it runs now, and what each of the assessment's
//! remediation options adds, itemised as quantity × unit price from a dated price table.
//!
//! Each line says where its quantity comes from (`Basis`): CloudWatch's measurement, the
//! inventory, or an assumption of the price table's `[assumptions]`, named in the line.
//! docs/cost.md lists every price, its source and every assumption.

mod account;
mod activity;
mod current;
mod edge;
mod pricer;

use serde::{Deserialize, Serialize};

use crate::catalog::prices::total;
pub use crate::catalog::prices::{Assumptions, Basis, CostLine, PriceTable, Prices};
use crate::checks::CheckResult;
use crate::checks::FixInput;
use crate::checks::Status;
use crate::config::Config;
use crate::inventory::Inventory;

/// The remediation options of the assessment, by the checklist sections each one completes.
pub const OPTIONS: &[(&str, &[u8], &[&str])] = &[
    ("Full Production", &[1, 2, 3], &[]),
    ("Production-Lite", &[1, 2], &[]),
    (
        "Enhanced Staging",
        &[],
        &[
            "Remote State",
            "Monitoring & Alerting",
            "Secrets Management",
        ],
    ),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostEstimate {
    pub currency: String,
    pub price_table_date: String,
    /// The first scanned region: global services and the options' additions are priced at
    /// its prices; every other line at its resource's region's.
    pub region: String,
    /// Set when a scanned region is not in the table and us-east-1's prices stand in for it.
    pub region_note: Option<String>,
    pub current_monthly: f64,
    /// How much of `current_monthly` was measured, priced from the inventory, and assumed.
    #[serde(default)]
    pub by_basis: BasisTotals,
    pub lines: Vec<CostLine>,
    /// Billed, but not priced: what the scan cannot size (tasks on EC2 capacity, Network
    /// Load Balancers …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_priced: Vec<String>,
    pub options: Vec<CostOption>,
}

/// A monthly amount split by where its quantities come from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BasisTotals {
    pub measured: f64,
    pub inventory: f64,
    pub assumed: f64,
}

impl BasisTotals {
    pub fn of(lines: &[CostLine]) -> Self {
        let sum = |basis| total(lines.iter().filter(|l| l.basis == basis).map(|l| l.monthly));
        BasisTotals {
            measured: sum(Basis::Measured),
            inventory: sum(Basis::Inventory),
            assumed: sum(Basis::Assumed),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostOption {
    pub name: String,
    /// The account's cost once the option's failing checks are fixed.
    pub monthly: f64,
    pub added_lines: Vec<CostLine>,
}

/// What fixing one failing check adds to the bill, as its declaration says.
fn fix_cost(
    check: &CheckResult,
    inv: &Inventory,
    config: &Config,
    prices: &Prices,
    assumptions: &Assumptions,
) -> Vec<CostLine> {
    let Some(declared) = crate::checks::find(&check.check_id) else {
        return Vec::new();
    };
    let Some(cost) = declared.fix_cost else {
        return Vec::new();
    };
    cost(&FixInput {
        id: declared.id,
        failing: check.failed as f64,
        inv,
        config,
        prices,
        assumptions,
    })
}

pub fn estimate(
    inv: &Inventory,
    checks: &[CheckResult],
    config: &Config,
    table: &PriceTable,
) -> CostEstimate {
    let region = pricer::primary(inv).to_owned();
    let now = current::price(inv, config, table);
    let (p, _) = table.for_region(&region);
    let current_monthly = total(now.lines.iter().map(|l| l.monthly));
    let options = OPTIONS
        .iter()
        .map(|(name, phases, sections)| {
            let mut added: Vec<CostLine> = Vec::new();
            for c in checks.iter().filter(|c| {
                !matches!(c.status, Status::Pass | Status::NotApplicable)
                    && (phases.contains(&c.phase) || sections.contains(&c.section.as_str()))
            }) {
                for l in fix_cost(c, inv, config, p, &table.assumptions) {
                    // One key serves both encryption checks.
                    if !added.iter().any(|a| a.item == l.item) {
                        added.push(l);
                    }
                }
            }
            CostOption {
                name: name.to_string(),
                monthly: current_monthly + total(added.iter().map(|l| l.monthly)),
                added_lines: added,
            }
        })
        .collect();
    CostEstimate {
        currency: table.currency.clone(),
        price_table_date: table.date.clone(),
        region,
        region_note: (!now.notes.is_empty()).then(|| now.notes.join("; ")),
        current_monthly,
        by_basis: BasisTotals::of(&now.lines),
        lines: now.lines,
        not_priced: now.not_priced,
        options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_covers_the_promised_regions() {
        let t = PriceTable::embedded();
        for r in ["us-east-1", "eu-west-1", "eu-central-1", "us-west-2"] {
            assert!(t.regions.contains_key(r), "{r}");
        }
        assert_eq!(t.currency, "USD");
    }

    #[test]
    fn a_malformed_price_table_names_the_key() {
        let err = PriceTable::parse(
            "date = \"x\"\ncurrency = \"USD\"\n[assumptions]\nalb_lcu = \"one\"\n",
        )
        .unwrap_err();
        assert!(err.contains("alb_lcu") || err.contains("line 4"), "{err}");
    }

    #[test]
    fn every_price_and_assumption_is_documented() {
        let doc = include_str!("../../../docs/cost.md");
        let t = toml::from_str::<toml::Table>(crate::catalog::prices::EMBEDDED).unwrap();
        for key in t["assumptions"].as_table().unwrap().keys() {
            assert!(
                doc.contains(&format!("| `{key}` |")),
                "docs/cost.md's assumptions do not explain {key}"
            );
        }
        // Each price: a row naming its AWS pricing page and the date it was read.
        let is_date = |cell: &str| {
            let cell = cell.trim();
            cell.len() == 10 && cell.as_bytes()[4] == b'-' && cell.as_bytes()[7] == b'-'
        };
        for key in t["regions"]["us-east-1"].as_table().unwrap().keys() {
            let sourced = doc.lines().any(|row| {
                let cells: Vec<&str> = row.split('|').collect();
                row.contains(&format!("`{key}`"))
                    && row.contains("https://aws.amazon.com/")
                    && cells.len() > 2
                    && is_date(cells[cells.len() - 2])
            });
            assert!(
                sourced,
                "docs/cost.md gives no pricing page and date for {key}"
            );
        }
    }

    #[test]
    fn an_unknown_region_uses_us_east_1_prices_and_says_so() {
        let inv = Inventory {
            regions: vec!["ap-southeast-2".into()],
            ..Inventory::default()
        };
        let e = estimate(&inv, &[], &Config::default(), &PriceTable::embedded());
        assert_eq!(e.region, "ap-southeast-2");
        assert_eq!(
            e.region_note.unwrap(),
            "ap-southeast-2 is not in the price table: us-east-1 prices stand in"
        );
        assert_eq!(e.current_monthly, 0.0);
        assert_eq!(format!("{:.2}", e.current_monthly), "0.00");
    }
}
