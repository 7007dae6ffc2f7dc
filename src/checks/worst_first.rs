//! The order of a check's findings: the resources that matter most first, so that the three
//! a report names are the ones an operator fixes first. A resource tagged for production
//! comes before the others, then the larger before the smaller (a table's `TableSizeBytes`, a
//! log group's `storedBytes`, a bucket's `BucketSizeBytes`); resources alike keep the rule's
//! order. The evidence stores findings in this order; reports only take the first few.

use std::collections::BTreeMap;

use crate::inventory::{Collected, Inventory};

/// Tag keys that name a resource's environment, compared without case.
const ENVIRONMENT_KEYS: &[&str] = &["environment", "env", "stage"];

/// What makes a resource weigh more than another.
#[derive(Debug, Default, Clone, Copy, PartialEq, PartialOrd)]
struct Weight {
    production: bool,
    bytes: f64,
}

/// The weight of every resource the inventory can weigh, by ARN.
pub struct Prominence {
    by_arn: BTreeMap<String, Weight>,
}

impl Prominence {
    pub fn of(inventory: &Inventory) -> Self {
        let mut by_arn: BTreeMap<String, Weight> = BTreeMap::new();
        let mut weigh =
            |arn: &str, bytes: f64| by_arn.entry(arn.to_owned()).or_default().bytes = bytes;
        for part in inventory.dynamodb.values().filter_map(Collected::ok) {
            for t in &part.tables {
                weigh(&t.arn, t.size_bytes.unwrap_or(0) as f64);
            }
        }
        for part in inventory.logs.values().filter_map(Collected::ok) {
            for g in &part.groups {
                weigh(&g.arn, g.stored_bytes.unwrap_or(0) as f64);
            }
        }
        for part in inventory.usage.values().filter_map(Collected::ok) {
            for (bucket, bytes) in &part.bucket_bytes {
                let arn = format!("arn:{}:s3:::{bucket}", inventory.partition());
                weigh(&arn, *bytes);
            }
        }
        for part in inventory.tags.values().filter_map(Collected::ok) {
            for (arn, tags) in &part.resources {
                if tags.iter().any(|(k, v)| is_production(k, v)) {
                    by_arn.entry(arn.clone()).or_default().production = true;
                }
            }
        }
        Prominence { by_arn }
    }

    fn weight(&self, arn: Option<&str>) -> Weight {
        arn.and_then(|a| self.by_arn.get(a))
            .copied()
            .unwrap_or_default()
    }

    /// Sorts one check's items heaviest first; a stable sort, so equals keep their order.
    pub fn sort<T>(&self, items: &mut [T], arn: impl Fn(&T) -> Option<&str>) {
        items.sort_by(|a, b| {
            let (a, b) = (self.weight(arn(a)), self.weight(arn(b)));
            b.partial_cmp(&a).unwrap_or(std::cmp::Ordering::Equal)
        });
    }
}

/// `Environment = prod`, `env = Production`, `stage = prd` …
fn is_production(key: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    ENVIRONMENT_KEYS.contains(&key.to_ascii_lowercase().as_str())
        && (value.starts_with("prod") || value == "prd" || value == "live")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{inventory_at, table, REGION};
    use crate::inventory::{DynamoDb, Tags};

    #[test]
    fn production_first_then_the_largest_then_the_rules_order() {
        let mut inv = inventory_at("2026-12-01T00:00:00Z");
        let sized = |name: &str, bytes| {
            let mut t = table(name);
            t.size_bytes = Some(bytes);
            t
        };
        let tables = vec![
            sized("small", 10),
            sized("large", 10_000),
            sized("tagged", 1),
            sized("unsized-a", 0),
            sized("unsized-b", 0),
        ];
        let arns: Vec<String> = tables.iter().map(|t| t.arn.clone()).collect();
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables,
                ..Default::default()
            }),
        );
        inv.tags.insert(
            REGION.into(),
            Collected::Ok(Tags {
                resources: [(
                    arns[2].clone(),
                    [("Environment".to_owned(), "Production".to_owned())].into(),
                )]
                .into(),
            }),
        );
        let mut items: Vec<Option<&str>> = arns.iter().map(|a| Some(a.as_str())).collect();
        items.push(None);
        items.insert(0, Some("arn:aws:s3:::unknown"));
        Prominence::of(&inv).sort(&mut items, |a| *a);
        let names: Vec<&str> = items
            .iter()
            .map(|a| a.map_or("-", crate::assess::remediation::short_name))
            .collect();
        assert_eq!(
            names,
            [
                "tagged",
                "large",
                "small",
                "unknown",
                "unsized-a",
                "unsized-b",
                "-"
            ]
        );
    }

    #[test]
    fn the_evidence_names_a_checks_largest_failing_table_first() {
        let mut inv = inventory_at("2026-12-01T00:00:00Z");
        let no_pitr = |name: &str, bytes| {
            let mut t = table(name);
            t.pitr_enabled = Some(false);
            t.size_bytes = Some(bytes);
            t
        };
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![no_pitr("a-small", 1), no_pitr("b-large", 5_000)],
                ..Default::default()
            }),
        );
        let findings = crate::checks::evaluate(&inv, &crate::config::Config::default());
        let failing: Vec<&str> = findings
            .iter()
            .filter(|f| f.status == crate::checks::Status::Fail)
            .filter_map(|f| f.resource_arn.as_deref())
            .map(crate::assess::remediation::short_name)
            .filter(|n| n.ends_with("small") || n.ends_with("large"))
            .take(2)
            .collect();
        assert_eq!(failing, ["b-large", "a-small"]);
    }

    #[test]
    fn only_an_environment_tag_saying_production_counts() {
        assert!(is_production("Env", "prod-eu"));
        assert!(is_production("STAGE", "prd"));
        assert!(!is_production("Environment", "staging"));
        assert!(!is_production("Owner", "production-team"));
    }
}
