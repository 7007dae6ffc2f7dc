//! A plan's DynamoDB tables: point-in-time recovery as its block says (no block: off; its
//! `enabled` known only after apply: an error of that table, never a FAIL), and replicas.

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, Context, Identity, Reader};
use super::values::text;
use crate::inventory::{Collected, DynamoDb, Inventory, KeyAttribute, Table};

pub(super) const TABLES: Reader = Reader {
    alone: true,
    kinds: &["aws_dynamodb_table"],
    arn: |p, account| table(p, account).map(|t| t.arn),
    remove: |inv, p, _| {
        let planned = Identity::of(p);
        if let Some(t) = tables(inv, &p.region) {
            t.retain(|t| !planned.is(&t.arn, &t.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let t = table(p, cx.account)?;
        let arn = t.arn.clone();
        tables(inv, &p.region)?.push(t);
        Some(arn)
    },
};

fn tables<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<Table>> {
    let part = inv.dynamodb.entry(region.to_owned()).or_insert_with(|| {
        Collected::Ok(DynamoDb {
            legacy_global_tables: Collected::Ok(Vec::new()),
            ..DynamoDb::default()
        })
    });
    part.ok_mut().map(|d| &mut d.tables)
}

/// A planned table as `DescribeTable` and `DescribeContinuousBackups` would show it.
pub(super) fn table(p: &Planned, account: &str) -> Option<Table> {
    let v = &p.values;
    let name = text(v, "name")?;
    let pitr = v.get("point_in_time_recovery").and_then(Value::as_array);
    Some(Table {
        arn: text(v, "arn")
            .unwrap_or_else(|| made_arn(p, "dynamodb", account, &format!("table/{name}"))),
        name,
        status: Some("ACTIVE".into()),
        billing_mode: text(v, "billing_mode"),
        provisioned_reads: None,
        provisioned_writes: None,
        table_class: text(v, "table_class"),
        created: None,
        size_bytes: None,
        item_count: None,
        hash_key: text(v, "hash_key").map(|name| KeyAttribute { name, kind: None }),
        sse_type: None,
        kms_key_arn: None,
        // No block: off. A block whose `enabled` is known only after apply: unknown.
        pitr_enabled: match pitr.and_then(|b| b.first()) {
            None => Some(false),
            Some(block) => block.get("enabled").and_then(Value::as_bool),
        },
        pitr_recovery_days: pitr
            .and_then(|b| b.first())
            .and_then(|b| b.get("recovery_period_in_days"))
            .and_then(Value::as_i64)
            .and_then(|d| i32::try_from(d).ok()),
        // Known only after apply: unknown to the checks, never a FAIL.
        backups_error: match pitr.and_then(|b| b.first()) {
            Some(block) if block.get("enabled").and_then(Value::as_bool).is_none() => {
                Some(crate::error::CollectError::unreadable(
                    "terraform",
                    "plan",
                    &p.region,
                    format!(
                        "{}: point_in_time_recovery.enabled is known only after apply",
                        p.address
                    ),
                ))
            }
            _ => None,
        },
        replica_regions: v
            .get("replica")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(|x| text(x, "region_name")).collect())
            .unwrap_or_default(),
        replica_statuses: BTreeMap::new(),
        restored: None,
    })
}
