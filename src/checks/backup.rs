//! Phase 2 — Backup Strategy.

use super::{buckets, or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

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

/// BAK-03: data buckets manage their objects' lifetime.
pub fn bak_03_lifecycle(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    buckets::judge_data(inv, config, |b| match &b.lifecycle {
        Collected::Ok(Some(l)) if l.enabled_rules > 0 => Outcome::pass(
            &b.arn,
            buckets::region(b),
            format!("{} enabled lifecycle rule(s)", l.enabled_rules),
            format!("bucket {} has a lifecycle configuration", b.name),
        ),
        Collected::Ok(_) => Outcome::fail(
            &b.arn,
            buckets::region(b),
            "no enabled lifecycle rule",
            format!(
                "bucket {} keeps every object and version forever: no lifecycle rule",
                b.name
            ),
        ),
        Collected::Error(e) => Outcome::error(&b.arn, e),
    })
}

/// BAK-04: data buckets keep previous versions of overwritten or deleted objects.
pub fn bak_04_versioning(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    buckets::judge_data(inv, config, |b| match &b.versioning {
        Collected::Ok(Some(s)) if s == "Enabled" => Outcome::pass(
            &b.arn,
            buckets::region(b),
            "versioning Enabled",
            format!("bucket {} keeps previous versions", b.name),
        ),
        Collected::Ok(s) => Outcome::fail(
            &b.arn,
            buckets::region(b),
            format!("versioning {}", s.as_deref().unwrap_or("never enabled")),
            format!(
                "an overwritten or deleted object in bucket {} is lost for good",
                b.name
            ),
        ),
        Collected::Error(e) => Outcome::error(&b.arn, e),
    })
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
