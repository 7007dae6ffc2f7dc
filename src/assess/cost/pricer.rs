//! The price table seen from one scan: each region's prices, the regions the table lacks
//! noted once, and line names that say the region when the scan covers more than one.

use crate::catalog::prices::{CostLine, PriceTable, Prices};
use crate::inventory::Inventory;

/// The priced lines, what is billed but not priced, and notes on the prices used.
#[derive(Debug, Default)]
pub struct Current {
    pub lines: Vec<CostLine>,
    pub not_priced: Vec<String>,
    pub notes: Vec<String>,
}

pub(super) struct Pricer<'a> {
    table: &'a PriceTable,
    several: bool,
    pub(super) out: Current,
}

impl<'a> Pricer<'a> {
    pub(super) fn at(&mut self, region: &str) -> &'a Prices {
        let (prices, note) = self.table.for_region(region);
        if let Some(note) = note.filter(|n| !self.out.notes.contains(n)) {
            self.out.notes.push(note);
        }
        prices
    }

    pub(super) fn name(&self, item: impl Into<String>, region: &str) -> String {
        let item = item.into();
        if self.several {
            format!("{item} ({region})")
        } else {
            item
        }
    }

    pub(super) fn push(&mut self, l: CostLine) {
        self.out.lines.push(l);
    }

    pub(super) fn not_priced(&mut self, what: String) {
        self.out.not_priced.push(what);
    }
}

impl<'a> Pricer<'a> {
    pub(super) fn new(table: &'a PriceTable, inv: &Inventory) -> Self {
        Pricer {
            table,
            several: inv.regions.len() > 1,
            out: Current::default(),
        }
    }
}

/// The region whose prices global services (CloudFront, Route 53) are priced at.
pub fn primary(inv: &Inventory) -> &str {
    inv.regions
        .first()
        .map_or(crate::catalog::prices::FALLBACK_REGION, String::as_str)
}
