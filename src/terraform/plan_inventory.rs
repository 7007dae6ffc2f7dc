//! A plan made an inventory: the resource types the plan-judged checks read (DynamoDB tables,
//! log groups), laid over a baseline scan's inventory when one is given (what the plan deletes
//! taken out, what it creates or changes put in), and the plan's addresses as a state so each
//! finding names its address.

use std::collections::BTreeMap;

use serde_json::Value;

use super::plan::{Plan, Planned};
use crate::inventory::{
    Collected, DynamoDb, Inventory, KeyAttribute, LogGroup, Logs, StateFile, StateResource, Table,
    TerraformInputs,
};

/// The inventory the plan would leave, the ARNs of the resources it holds, and the types it
/// holds that no plan-judged check reads (counted).
pub struct Overlay {
    pub inventory: Inventory,
    pub arns: Vec<String>,
    pub not_read: BTreeMap<String, usize>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn table(p: &Planned, account: &str) -> Option<Table> {
    let v = &p.values;
    let name = text(v, "name")?;
    let pitr = v.get("point_in_time_recovery").and_then(Value::as_array);
    Some(Table {
        arn: text(v, "arn")
            .unwrap_or_else(|| format!("arn:aws:dynamodb:{}:{account}:table/{name}", p.region)),
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

fn log_group(p: &Planned, account: &str) -> Option<LogGroup> {
    let v = &p.values;
    let name = text(v, "name")?;
    Some(LogGroup {
        arn: text(v, "arn")
            .map(|a| a.trim_end_matches(":*").to_owned())
            .unwrap_or_else(|| format!("arn:aws:logs:{}:{account}:log-group:{name}", p.region)),
        name,
        // 0 (or unset) keeps the events forever.
        retention_days: v
            .get("retention_in_days")
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .and_then(|d| i32::try_from(d).ok()),
        stored_bytes: None,
        kms_key_id: text(v, "kms_key_id").filter(|k| !k.is_empty()),
        class: text(v, "log_group_class"),
        created: None,
    })
}

fn tables<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<Table>> {
    let part = inv.dynamodb.entry(region.to_owned()).or_insert_with(|| {
        Collected::Ok(DynamoDb {
            legacy_global_tables: Collected::Ok(Vec::new()),
            ..DynamoDb::default()
        })
    });
    match part {
        Collected::Ok(d) => Some(&mut d.tables),
        Collected::Error(_) => None,
    }
}

fn groups<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<LogGroup>> {
    match inv
        .logs
        .entry(region.to_owned())
        .or_insert_with(|| Collected::Ok(Logs::default()))
    {
        Collected::Ok(l) => Some(&mut l.groups),
        Collected::Error(_) => None,
    }
}

/// The inventory `plan` would leave: over `base` (a scan of the account) or alone.
pub fn overlay(plan: &Plan, base: Option<&Inventory>, account: &str, now: &str) -> Overlay {
    let mut inv = base.cloned().unwrap_or_else(|| Inventory {
        account_id: account.to_owned(),
        collected_at: now.to_owned(),
        ..Inventory::default()
    });
    for p in plan.deleted.iter().chain(&plan.resources) {
        let (arn, name) = (text(&p.values, "arn"), text(&p.values, "name"));
        let same = |a: &str, n: &str| arn.as_deref() == Some(a) || name.as_deref() == Some(n);
        match p.kind.as_str() {
            "aws_dynamodb_table" => {
                if let Some(t) = tables(&mut inv, &p.region) {
                    t.retain(|t| !same(&t.arn, &t.name));
                }
            }
            "aws_cloudwatch_log_group" => {
                if let Some(g) = groups(&mut inv, &p.region) {
                    g.retain(|g| !same(g.arn.trim_end_matches(":*"), &g.name));
                }
            }
            _ => {}
        }
    }
    let mut arns = Vec::new();
    let mut not_read = BTreeMap::new();
    let mut addressed = Vec::new();
    for p in &plan.resources {
        if !inv.regions.contains(&p.region) {
            inv.regions.push(p.region.clone());
        }
        let arn = match p.kind.as_str() {
            "aws_dynamodb_table" => table(p, account).and_then(|t| {
                let arn = t.arn.clone();
                tables(&mut inv, &p.region)?.push(t);
                Some(arn)
            }),
            "aws_cloudwatch_log_group" => log_group(p, account).and_then(|g| {
                let arn = g.arn.clone();
                groups(&mut inv, &p.region)?.push(g);
                Some(arn)
            }),
            other => {
                *not_read.entry(other.to_owned()).or_insert(0) += 1;
                None
            }
        };
        if let Some(arn) = arn {
            addressed.push(StateResource {
                address: p.address.clone(),
                kind: p.kind.clone(),
                ids: vec![arn.clone()],
            });
            arns.push(arn);
        }
    }
    // Alone, the plan is the only Terraform the inventory knows: its addresses name the
    // findings. Over a scan, the scan's own states stay (a plan is no state: IAC-01 would
    // count everything else as made by hand).
    if base.is_none() {
        inv.terraform = Some(Collected::Ok(TerraformInputs {
            states: vec![StateFile {
                source: plan.source.clone(),
                resources: addressed,
                ..StateFile::default()
            }],
            declarations: Vec::new(),
        }));
    }
    Overlay {
        inventory: inv,
        arns,
        not_read,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    fn planned(kind: &str, address: &str, values: Value) -> Planned {
        Planned {
            address: address.into(),
            kind: kind.into(),
            region: "eu-west-1".into(),
            values,
        }
    }

    #[test]
    fn a_deleted_group_leaves_and_an_unknown_pitr_is_unknown_never_a_fail() {
        let base_plan = Plan {
            source: "p.json".into(),
            resources: vec![
                planned(
                    "aws_cloudwatch_log_group",
                    "aws_cloudwatch_log_group.kept",
                    serde_json::json!({"name": "/kept", "retention_in_days": 0}),
                ),
                planned(
                    "aws_dynamodb_table",
                    "aws_dynamodb_table.t",
                    serde_json::json!({"name": "t", "point_in_time_recovery": [{}]}),
                ),
            ],
            deleted: vec![planned(
                "aws_cloudwatch_log_group",
                "aws_cloudwatch_log_group.gone",
                serde_json::json!({"name": "/gone", "arn": "arn:aws:logs:eu-west-1:1:log-group:/gone"}),
            )],
        };
        let mut base = Inventory::default();
        base.logs.insert(
            "eu-west-1".into(),
            Collected::Ok(Logs {
                groups: vec![log_group(&planned("aws_cloudwatch_log_group", "x", serde_json::json!({"name": "/gone", "arn": "arn:aws:logs:eu-west-1:1:log-group:/gone:*", "retention_in_days": 7})), "1").unwrap()],
            }),
        );
        let o = overlay(&base_plan, Some(&base), "1", "2026-12-01T00:00:00Z");
        let names: Vec<&str> = o.inventory.logs["eu-west-1"]
            .ok()
            .unwrap()
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["/kept"],
            "the deleted group is gone, the planned one in"
        );
        assert_eq!(
            o.inventory.logs["eu-west-1"].ok().unwrap().groups[0].retention_days,
            None,
            "0 keeps forever"
        );
        let out = crate::checks::find("BAK-01")
            .map(|c| (c.rule)(&o.inventory, &crate::config::Config::default()))
            .unwrap();
        assert_eq!(out[0].status, Status::Error, "{}", out[0].message);
        assert!(
            out[0].message.contains("known only after apply"),
            "{}",
            out[0].message
        );
    }
}
