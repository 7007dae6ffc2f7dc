//! Renderers: each output is a function of the evidence (or the catalog) alone.

pub mod aggregate;
pub mod catalog;
pub mod diff;
pub mod history;
pub mod html;
pub mod junit;
pub mod markdown;
mod recovery;
pub mod sarif;
pub mod table;

use crate::assess::remediation::short_name;
use crate::checks::Finding;

/// Items grouped by check, in the order the checks first appear.
fn by_check<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    id: impl Fn(&T) -> &str,
) -> Vec<(String, Vec<&'a T>)> {
    let mut groups: Vec<(String, Vec<&T>)> = Vec::new();
    for item in items {
        match groups.iter_mut().find(|(g, _)| g == id(item)) {
            Some((_, g)) => g.push(item),
            None => groups.push((id(item).to_owned(), vec![item])),
        }
    }
    groups
}

/// "a, b, c +N more": the first `named` of `names`, and how many of `total` were left out.
fn named_few(names: &[&str], named: usize, total: usize) -> String {
    let shown: Vec<&str> = names.iter().take(named).copied().collect();
    match total.saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{} +{more} more", shown.join(", ")),
    }
}

/// The names of the resources a check's open findings name (the message where a finding
/// names none), in evidence order.
fn open_resource_names<'a>(e: &'a Evidence, check_id: &str) -> Vec<&'a str> {
    e.findings
        .iter()
        .filter(|f| f.check_id == check_id && crate::assess::is_open(f.status))
        .map(|f: &Finding| {
            f.resource_arn
                .as_deref()
                .map_or(f.message.as_str(), short_name)
        })
        .collect()
}

use crate::evidence::Evidence;

/// The Terraform addresses of a check's open findings, each once, in evidence order.
fn terraform_places<'a>(
    e: &'a Evidence,
    check_id: &str,
) -> Vec<&'a crate::checks::addresses::TerraformRef> {
    let mut out: Vec<&crate::checks::addresses::TerraformRef> = Vec::new();
    for t in e
        .findings
        .iter()
        .filter(|f| f.check_id == check_id && crate::assess::is_open(f.status))
        .filter_map(|f| f.terraform.as_ref())
    {
        if !out.iter().any(|o| o.address == t.address) {
            out.push(t);
        }
    }
    out
}

/// The JSON evidence document, pretty-printed, with a trailing newline.
pub fn json(evidence: &Evidence) -> String {
    let mut s = serde_json::to_string_pretty(evidence)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

#[cfg(test)]
pub(crate) mod testing {
    //! Evidence of accounts built by hand, for the renderers' tests.
    use crate::checks::testing::{inventory_at, table, REGION};
    use crate::evidence::Evidence;
    use crate::inventory::{Collected, DynamoDb};

    /// An account of `tables` tables without point-in-time recovery, scanned and judged.
    pub fn archive_account(tables: usize) -> Evidence {
        let mut inv = inventory_at("2026-11-28T03:00:00Z");
        let tables = (0..tables)
            .map(|i| {
                let mut t = table(&format!("archive-{i:03}"));
                t.pitr_enabled = Some(false);
                t
            })
            .collect();
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables,
                ..DynamoDb::default()
            }),
        );
        let scan = crate::evidence::ScanInfo {
            started_at: inv.collected_at.clone(),
            finished_at: inv.collected_at.clone(),
            duration_ms: 1,
            account_id: inv.account_id.clone(),
            caller_arn: String::new(),
            regions: inv.regions.clone(),
            endpoint: None,
            partial: false,
            interrupted_by: None,
        };
        let prices = crate::assess::cost::PriceTable::embedded();
        crate::scan::assemble(
            scan,
            inv,
            &crate::config::Config::default(),
            &prices,
            vec![],
        )
    }
}
