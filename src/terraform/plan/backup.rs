//! A plan's AWS Backup vaults, plans, selections and region settings, as `ListBackupVaults`,
//! `GetBackupPlan`, `GetBackupSelection` and `DescribeRegionSettings` show them; read over a
//! scan only (the scan's restore jobs stay). A selection names its plan (`plan_id`) and the
//! resources it picks: ARNs known only after apply are those of the plan's resources its
//! expression references (a new table's); one that cannot be followed makes the selection
//! unreadable, so what it might pick is an ERROR of BAK-02, never a FAIL.

use serde_json::Value;

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, Context, Reader};
use super::values::{at, blocks, text};
use crate::inventory::{
    Backup, BackupPlan, BackupRule, BackupSelection, Collected, Inventory, TagCondition,
};

const VAULT: &str = "aws_backup_vault";
const PLAN: &str = "aws_backup_plan";
const SELECTION: &str = "aws_backup_selection";
const REGION_SETTINGS: &str = "aws_backup_region_settings";

pub(super) const BACKUP: Reader = Reader {
    alone: false,
    kinds: &[VAULT, PLAN, SELECTION, REGION_SETTINGS],
    arn: |p, account| {
        let name = text(&p.values, "name")?;
        let resource = match p.kind.as_str() {
            VAULT => format!("backup-vault:{name}"),
            PLAN => format!("backup-plan:known-after-apply-{name}"),
            _ => return None,
        };
        text(&p.values, "arn").or_else(|| Some(made_arn(p, "backup", account, &resource)))
    },
    remove,
    add,
};

fn scanned<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Backup> {
    inv.backup.get_mut(region).and_then(Collected::ok_mut)
}

/// A plan matched by the ARN or ID a selection names it by.
fn is_plan(plan: &BackupPlan, named: Option<&str>) -> bool {
    named.is_some_and(|n| n == plan.arn || n == plan.id)
}

fn remove(inv: &mut Inventory, p: &Planned, deleted: bool) {
    let v = &p.values;
    let Some(b) = scanned(inv, &p.region) else {
        return;
    };
    match p.kind.as_str() {
        VAULT if deleted => {
            let name = text(v, "name");
            b.vaults.retain(|x| name.as_deref() != Some(x));
        }
        PLAN if deleted => {
            let (arn, id) = (text(v, "arn"), text(v, "id"));
            b.plans
                .retain(|x| arn.as_deref() != Some(&x.arn) && id.as_deref() != Some(&x.id));
        }
        SELECTION => {
            let (plan, name) = (text(v, "plan_id"), text(v, "name"));
            for x in b.plans.iter_mut().filter(|x| is_plan(x, plan.as_deref())) {
                if let Collected::Ok(sels) = &mut x.selections {
                    sels.retain(|s| name.as_deref() != Some(&s.name));
                }
            }
        }
        REGION_SETTINGS if deleted => b.opt_in = Collected::Ok(Default::default()),
        _ => {}
    }
}

fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let arn = (BACKUP.arn)(p, cx.account);
    let b = scanned(inv, &p.region)?;
    match p.kind.as_str() {
        VAULT => b.vaults.push(text(&p.values, "name")?),
        PLAN => {
            let mut planned = plan(p, &cx.graph, arn.clone()?);
            let id = text(&p.values, "id");
            match b
                .plans
                .iter()
                .position(|x| x.arn == planned.arn || id.as_deref() == Some(&x.id))
            {
                // The scan's selections of a plan the plan changes stay, but those it holds.
                Some(i) => {
                    let before = b.plans.remove(i);
                    if let (Collected::Ok(kept), Collected::Ok(new)) =
                        (before.selections, &mut planned.selections)
                    {
                        let names: Vec<String> = new.iter().map(|s| s.name.clone()).collect();
                        new.extend(kept.into_iter().filter(|s| !names.contains(&s.name)));
                    }
                    b.plans.push(planned);
                }
                None => b.plans.push(planned),
            }
        }
        SELECTION => {
            // A selection of one of the plan's plans came in with it.
            let named = cx.graph.known_or_referenced(p, &["plan_id"]);
            let planned_plans = cx.graph.naming("backup plans", &[PLAN], |x| {
                (BACKUP.arn)(x, cx.account).into_iter().collect()
            });
            if named
                .as_ref()
                .is_some_and(|n| planned_plans.contains_key(n))
            {
                return None;
            }
            for x in b.plans.iter_mut().filter(|x| is_plan(x, named.as_deref())) {
                if let Collected::Ok(sels) = &mut x.selections {
                    sels.push(selection(p, &cx.graph));
                }
            }
        }
        _ => {
            let prefs = at(&p.values, &["resource_type_opt_in_preference"])
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_bool()?)))
                        .collect()
                })
                .unwrap_or_default();
            b.opt_in = Collected::Ok(prefs);
        }
    }
    arn
}

/// A planned backup plan with its rules, and the plan's selections that name it.
fn plan(p: &Planned, graph: &Graph, arn: String) -> BackupPlan {
    let v = &p.values;
    // Selections name their plan by its ID, known or (a new plan's) through a reference.
    let by_plan = graph.naming("selected plans", &[SELECTION], |s| {
        graph
            .known_or_referenced(s, &["plan_id"])
            .into_iter()
            .collect()
    });
    let id = text(v, "id");
    let selections = [Some(&arn), id.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|named| by_plan.get(named))
        .flatten()
        .map(|s| selection(s, graph))
        .collect();
    BackupPlan {
        id: text(v, "id").unwrap_or_else(|| p.address.clone()),
        name: text(v, "name").unwrap_or_else(|| p.address.clone()),
        rules: blocks(v, "rule")
            .iter()
            .enumerate()
            .map(|(i, r)| rule(p, graph, r, i))
            .collect(),
        error: None,
        selections: Collected::Ok(selections),
        arn,
    }
}

fn rule(p: &Planned, graph: &Graph, r: &Value, i: usize) -> BackupRule {
    let index = i.to_string();
    let vault = text(r, "target_vault_name").or_else(|| {
        let referenced = graph.referenced_resources(p, &["rule", &index, "target_vault_name"]);
        referenced.first().and_then(|v| text(&v.values, "name"))
    });
    let copy_regions = blocks(r, "copy_action")
        .iter()
        .enumerate()
        .filter_map(|(c, copy)| {
            // arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME, or the plan's vault's region.
            text(copy, "destination_vault_arn")
                .and_then(|a| a.split(':').nth(3).map(str::to_owned))
                .or_else(|| {
                    let path = [
                        "rule",
                        &index,
                        "copy_action",
                        &c.to_string(),
                        "destination_vault_arn",
                    ];
                    let vault = graph.referenced_resources(p, &path).into_iter().next()?;
                    Some(vault.region.clone())
                })
        })
        .collect();
    BackupRule {
        name: text(r, "rule_name").unwrap_or_default(),
        vault: vault.unwrap_or_else(|| "(known after apply)".into()),
        schedule: text(r, "schedule").filter(|s| !s.is_empty()),
        delete_after_days: at(r, &["lifecycle", "0", "delete_after"]).and_then(Value::as_i64),
        start_window_minutes: r.get("start_window").and_then(Value::as_i64),
        copy_regions,
    }
}

/// A planned selection: its ARNs (a new table's made as the table's), tags and conditions.
fn selection(p: &Planned, graph: &Graph) -> BackupSelection {
    let v = &p.values;
    let resources = graph.arns_at(p, &["resources"]);
    let unknown = resources.iter().any(Option::is_none);
    let mut conditions = Vec::new();
    for c in blocks(v, "condition") {
        for (key, test) in [
            ("string_equals", "StringEquals"),
            ("string_not_equals", "StringNotEquals"),
            ("string_like", "StringLike"),
            ("string_not_like", "StringNotLike"),
        ] {
            conditions.extend(blocks(c, key).iter().filter_map(|t| {
                Some(TagCondition {
                    test: test.into(),
                    key: text(t, "key")?
                        .trim_start_matches("aws:ResourceTag/")
                        .to_owned(),
                    value: text(t, "value")?,
                })
            }));
        }
    }
    BackupSelection {
        name: text(v, "name").unwrap_or_else(|| p.address.clone()),
        resources: resources.into_iter().flatten().collect(),
        not_resources: graph
            .arns_at(p, &["not_resources"])
            .into_iter()
            .flatten()
            .collect(),
        tags: blocks(v, "selection_tag")
            .iter()
            .filter(|t| text(t, "type").is_none_or(|k| k == "STRINGEQUALS"))
            .filter_map(|t| Some((text(t, "key")?, text(t, "value")?)))
            .collect(),
        conditions,
        error: unknown.then(|| {
            crate::error::CollectError::unreadable(
                "terraform",
                "plan",
                &p.region,
                format!(
                    "{}: resources known only after apply and from no resource of the plan",
                    p.address
                ),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{expressions, judge, plan, refs, resource};
    use crate::checks::Status;
    use crate::inventory::{Backup, Collected, DynamoDb, Inventory};
    use serde_json::json;

    /// A new table, and a new backup plan (daily, 35 days, into the scanned vault) with a
    /// selection whose resources reference `selected`, judged over a scan.
    fn judge_backup(selected: Option<&[&str]>) -> (Status, String) {
        let mut resources = vec![
            resource(
                "aws_dynamodb_table",
                "orders",
                json!({"name": "orders", "point_in_time_recovery": [{"enabled": true}]}),
            ),
            resource(
                "aws_backup_plan",
                "daily",
                json!({"name": "daily", "rule": [{"rule_name": "daily",
                "target_vault_name": "main", "schedule": "cron(0 5 * * ? *)", "lifecycle": [{"delete_after": 35}]}]}),
            ),
        ];
        let mut config = vec![];
        if let Some(selected) = selected {
            resources.push(resource(
                "aws_backup_selection",
                "tables",
                json!({"name": "tables", "resources": [null]}),
            ));
            config.push(expressions(
                "aws_backup_selection.tables",
                json!({"plan_id": refs(&["aws_backup_plan.daily.id", "aws_backup_plan.daily"]),
                       "resources": refs(selected)}),
            ));
        }
        let plan = plan("eu-west-1", resources, config, vec![]);
        let mut base = Inventory {
            account_id: "1".into(),
            ..Inventory::default()
        };
        base.dynamodb.insert(
            "eu-west-1".into(),
            Collected::Ok(DynamoDb {
                legacy_global_tables: Collected::Ok(vec![]),
                ..DynamoDb::default()
            }),
        );
        base.backup.insert(
            "eu-west-1".into(),
            Collected::Ok(Backup {
                vaults: vec!["main".into()],
                plans: vec![],
                restore_jobs: Collected::Ok(vec![]),
                opt_in: Collected::Ok(Default::default()),
            }),
        );
        let f = judge(&plan, &base, &["BAK-02"]).remove(0);
        (f.status, f.message)
    }

    #[test]
    fn a_new_plan_selecting_a_new_table_by_reference_backs_it_up() {
        let table = ["aws_dynamodb_table.orders.arn", "aws_dynamodb_table.orders"];
        assert_eq!(judge_backup(Some(&table)).0, Status::Pass);
        assert_eq!(
            judge_backup(None).0,
            Status::Fail,
            "a plan without a selection"
        );
        let (status, message) = judge_backup(Some(&["module.tables.arns"]));
        assert_eq!(status, Status::Error, "{message}");
        assert!(message.contains("known only after apply"), "{message}");
    }
}
