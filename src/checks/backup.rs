//! Phase 2 — Backup Strategy.

use super::{or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::Inventory;

pub fn bak_01_pitr(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ddb) in regions(&inv.dynamodb, &mut out) {
        for t in &ddb.tables {
            out.push(match (t.pitr_enabled, &t.backups_error) {
                (Some(true), _) => Outcome::pass(
                    &t.arn,
                    region,
                    "PointInTimeRecoveryStatus=ENABLED",
                    format!("table {} has point-in-time recovery", t.name),
                ),
                (Some(false), _) => Outcome::fail(
                    &t.arn,
                    region,
                    "PointInTimeRecoveryStatus=DISABLED",
                    format!("table {} cannot be restored to a point in time", t.name),
                ),
                (None, Some(e)) => Outcome::error(&t.arn, e),
                (None, None) => Outcome::fail(
                    &t.arn,
                    region,
                    "no continuous backups description",
                    format!("table {} reports no point-in-time recovery", t.name),
                ),
            });
        }
    }
    or_not_applicable(out, "DynamoDB tables")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, statuses};
    use crate::checks::Status;
    use crate::inventory::*;

    #[test]
    fn a_table_whose_backups_cannot_be_read_is_an_error_the_others_still_judged() {
        let table = |name: &str, pitr, err| Table {
            arn: format!("arn:aws:dynamodb:eu-west-1:111122223333:table/{name}"),
            name: name.into(),
            status: None,
            billing_mode: None,
            size_bytes: None,
            item_count: None,
            hash_key: None,
            sse_type: None,
            kms_key_arn: None,
            pitr_enabled: pitr,
            backups_error: err,
        };
        let mut inv = Inventory::default();
        inv.dynamodb.insert(
            "eu-west-1".into(),
            Collected::Ok(DynamoDb {
                tables: vec![
                    table("a", Some(true), None),
                    table(
                        "b",
                        None,
                        Some(denied("dynamodb", "DescribeContinuousBackups", "eu-west-1")),
                    ),
                    table("c", Some(false), None),
                ],
            }),
        );
        let out = bak_01_pitr(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Error, Status::Fail]);
        assert!(out[1]
            .message
            .contains("dynamodb:DescribeContinuousBackups"));
    }
}
