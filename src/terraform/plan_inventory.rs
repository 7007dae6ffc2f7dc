//! A plan made an inventory: the resource types the plan-judged checks read (DynamoDB tables,
//! log groups), laid over a baseline scan's inventory when one is given (what the plan deletes
//! taken out, what it creates or changes put in), and the plan's addresses as a state so each
//! finding names its address.

use std::collections::BTreeMap;

use serde_json::Value;

use super::plan::{at, blocks, text, Plan, Planned};
use super::plan_buckets;
use super::plan_services;
use super::plan_tasks;
use crate::inventory::{
    Collected, DynamoDb, Ec2, Ecs, Elbv2, FlowLogs, Inventory, KeyAttribute, Kms, KmsKey, LogGroup,
    Logs, Regional, RegistryScanRule, RegistryScanning, Repository, ResourceError, StateFile,
    StateResource, Table, TerraformInputs,
};

/// The inventory the plan would leave, the ARNs of the resources it holds, and the types it
/// holds that no plan-judged check reads (counted).
pub struct Overlay {
    pub inventory: Inventory,
    pub arns: Vec<String>,
    pub not_read: BTreeMap<String, usize>,
}

fn table(p: &Planned, account: &str) -> Option<Table> {
    let v = &p.values;
    let name = text(v, "name")?;
    let pitr = v.get("point_in_time_recovery").and_then(Value::as_array);
    Some(Table {
        arn: text(v, "arn").unwrap_or_else(|| {
            let partition = crate::partition::of_region(&p.region);
            format!(
                "arn:{partition}:dynamodb:{}:{account}:table/{name}",
                p.region
            )
        }),
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
            .unwrap_or_else(|| {
                let partition = crate::partition::of_region(&p.region);
                format!(
                    "arn:{partition}:logs:{}:{account}:log-group:{name}",
                    p.region
                )
            }),
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

/// A region's part of the inventory, made empty (as a scan that found nothing makes it) when
/// the plan brings the region's first resource of that kind; `None` when the scan could not
/// read it.
fn part<'a, T: Default>(parts: &'a mut Regional<T>, region: &str) -> Option<&'a mut T> {
    parts
        .entry(region.to_owned())
        .or_insert_with(|| Collected::Ok(T::default()))
        .ok_mut()
}

/// A planned customer-managed key (`aws_kms_key`, or `aws_kms_external_key` for imported
/// material), with the provider's defaults for what the plan leaves unset; a rotation setting
/// known only after apply is an error of that key, never a FAIL.
fn kms_key(p: &Planned, account: &str) -> KmsKey {
    let v = &p.values;
    let id = text(v, "key_id").unwrap_or_else(|| format!("(known after apply: {})", p.address));
    let partition = crate::partition::of_region(&p.region);
    let origin = if p.kind == "aws_kms_external_key" {
        "EXTERNAL"
    } else if text(v, "xks_key_id").is_some_and(|k| !k.is_empty()) {
        "EXTERNAL_KEY_STORE"
    } else if text(v, "custom_key_store_id").is_some_and(|k| !k.is_empty()) {
        "AWS_CLOUDHSM"
    } else {
        "AWS_KMS"
    };
    let rotation_enabled = match v.get("enable_key_rotation") {
        Some(Value::Null) => Some(false),
        Some(r) => r.as_bool(),
        None if p.kind == "aws_kms_external_key" => Some(false),
        None => None,
    };
    KmsKey {
        arn: text(v, "arn")
            .unwrap_or_else(|| format!("arn:{partition}:kms:{}:{account}:key/{id}", p.region)),
        manager: Some("CUSTOMER".into()),
        state: Some(
            if v.get("is_enabled").and_then(Value::as_bool) == Some(false)
                || v.get("enabled").and_then(Value::as_bool) == Some(false)
            {
                "Disabled"
            } else {
                "Enabled"
            }
            .into(),
        ),
        spec: Some(
            text(v, "customer_master_key_spec").unwrap_or_else(|| "SYMMETRIC_DEFAULT".into()),
        ),
        usage: Some(text(v, "key_usage").unwrap_or_else(|| "ENCRYPT_DECRYPT".into())),
        origin: Some(origin.into()),
        description: text(v, "description").filter(|d| !d.is_empty()),
        rotation_error: rotation_enabled.is_none().then(|| {
            crate::error::CollectError::unreadable(
                "terraform",
                "plan",
                &p.region,
                format!(
                    "{}: enable_key_rotation is known only after apply",
                    p.address
                ),
            )
        }),
        rotation_enabled,
        created: None,
        rotation_period_days: v
            .get("rotation_period_in_days")
            .and_then(Value::as_i64)
            .and_then(|d| i32::try_from(d).ok()),
        id,
    }
}

/// A planned ECR repository: its own scan-on-push setting (the registry's rules, which can
/// override it, are the scan's or the plan's `aws_ecr_registry_scanning_configuration`).
fn repository(p: &Planned, account: &str) -> Option<Repository> {
    let v = &p.values;
    let name = text(v, "name")?;
    let partition = crate::partition::of_region(&p.region);
    Some(Repository {
        arn: text(v, "arn").unwrap_or_else(|| {
            format!(
                "arn:{partition}:ecr:{}:{account}:repository/{name}",
                p.region
            )
        }),
        scan_on_push: at(v, &["image_scanning_configuration", "0", "scan_on_push"])
            .and_then(Value::as_bool)
            .unwrap_or(false),
        name,
    })
}

/// A planned registry scanning configuration: its type and each rule's frequency and filters.
fn registry_scanning(p: &Planned) -> RegistryScanning {
    RegistryScanning {
        scan_type: text(&p.values, "scan_type"),
        rules: blocks(&p.values, "rule")
            .iter()
            .filter_map(|r| {
                Some(RegistryScanRule {
                    frequency: text(r, "scan_frequency")?,
                    filters: blocks(r, "repository_filter")
                        .iter()
                        .filter_map(|f| text(f, "filter"))
                        .collect(),
                })
            })
            .collect(),
    }
}

fn tables<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<Table>> {
    let part = inv.dynamodb.entry(region.to_owned()).or_insert_with(|| {
        Collected::Ok(DynamoDb {
            legacy_global_tables: Collected::Ok(Vec::new()),
            ..DynamoDb::default()
        })
    });
    part.ok_mut().map(|d| &mut d.tables)
}

fn groups<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<LogGroup>> {
    part(&mut inv.logs, region).map(|l: &mut Logs| &mut l.groups)
}

fn ecs<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Ecs> {
    part(&mut inv.ecs, region)
}

fn elbv2<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Elbv2> {
    part(&mut inv.elbv2, region)
}

/// Takes out of the inventory what the plan deletes, and the scanned copies of what it
/// changes (matched by ARN, or by name where the plan does not know the ARN yet).
fn remove_replaced(inv: &mut Inventory, plan: &Plan) {
    for p in plan.deleted.iter().chain(&plan.resources) {
        let v = &p.values;
        let (arn, name) = (text(v, "arn").or_else(|| text(v, "id")), text(v, "name"));
        let same = |a: &str, n: &str| arn.as_deref() == Some(a) || name.as_deref() == Some(n);
        let kind = p.kind.as_str();
        match kind {
            "aws_dynamodb_table" => {
                if let Some(t) = tables(inv, &p.region) {
                    t.retain(|t| !same(&t.arn, &t.name));
                }
            }
            "aws_cloudwatch_log_group" => {
                if let Some(g) = groups(inv, &p.region) {
                    g.retain(|g| !same(g.arn.trim_end_matches(":*"), &g.name));
                }
            }
            // A service's name is unique in its cluster only: a name alone matches nothing.
            plan_services::SERVICE => {
                if let Some(e) = ecs(inv, &p.region) {
                    e.services.retain(|s| arn.as_deref() != Some(&s.arn));
                }
            }
            "aws_lb" | "aws_alb" => {
                if let Some(e) = elbv2(inv, &p.region) {
                    e.load_balancers.retain(|l| !same(&l.arn, &l.name));
                }
            }
            plan_tasks::TASK_DEFINITION => {
                // The plan's revision replaces the family's revisions the services ran.
                let family = text(v, "family");
                if let Some(e) = ecs(inv, &p.region) {
                    e.task_definitions
                        .retain(|t| family.as_deref() != Some(&t.family));
                }
            }
            "aws_ecr_repository" => {
                if let Some(Collected::Ok(e)) = inv.ecr.get_mut(&p.region) {
                    e.repositories.retain(|r| !same(&r.arn, &r.name));
                }
            }
            "aws_kms_key" | "aws_kms_external_key" => {
                let key_id = text(v, "key_id");
                if let Some(k) = part::<Kms>(&mut inv.kms, &p.region) {
                    k.keys.retain(|k| {
                        arn.as_deref() != Some(&k.arn) && key_id.as_deref() != Some(&k.id)
                    });
                }
            }
            _ => {}
        }
    }
    for p in plan.deleted.iter().filter(|p| {
        matches!(
            p.kind.as_str(),
            "aws_lb_target_group" | "aws_alb_target_group"
        )
    }) {
        if let (Some(arn), Some(e)) = (text(&p.values, "arn"), elbv2(inv, &p.region)) {
            e.target_groups.retain(|t| t.arn != arn);
        }
    }
}

/// Puts what the plan creates or changes into the inventory; the ARNs it gave them, the
/// types it does not read, and the addresses of what it put in.
fn add_planned(inv: &mut Inventory, plan: &Plan, account: &str) -> Added {
    let graph = plan_services::Graph::read(plan, account);
    let mut added = Added::default();
    for p in &plan.resources {
        if !inv.regions.contains(&p.region) {
            inv.regions.push(p.region.clone());
        }
        let kind = p.kind.as_str();
        let arn = match kind {
            "aws_dynamodb_table" => table(p, account).and_then(|t| {
                let arn = t.arn.clone();
                tables(inv, &p.region)?.push(t);
                Some(arn)
            }),
            "aws_cloudwatch_log_group" => log_group(p, account).and_then(|g| {
                let arn = g.arn.clone();
                groups(inv, &p.region)?.push(g);
                Some(arn)
            }),
            plan_services::SERVICE => add_service(inv, &graph, p),
            plan_tasks::TASK_DEFINITION => add_task_definition(inv, p, account),
            "aws_ecr_repository" | "aws_ecr_registry_scanning_configuration" => {
                add_ecr(inv, p, account)
            }
            "aws_kms_key" | "aws_kms_external_key" => {
                let key = kms_key(p, account);
                let arn = key.arn.clone();
                part::<Kms>(&mut inv.kms, &p.region).map(|k| {
                    k.keys.push(key);
                    arn
                })
            }
            "aws_lb" | "aws_alb" => graph.load_balancer(p, inv).and_then(|lb| {
                let arn = lb.arn.clone();
                elbv2(inv, &p.region)?.load_balancers.push(lb);
                Some(arn)
            }),
            "aws_lb_target_group" | "aws_alb_target_group" => {
                let e = elbv2(inv, &p.region);
                let scanned = e.as_ref().and_then(|e| {
                    let arn = text(&p.values, "arn")?;
                    e.target_groups.iter().position(|t| t.arn == arn)
                });
                e.and_then(|e| {
                    let before = scanned.map(|i| e.target_groups.remove(i));
                    let tg = graph.target_group(p, before.as_ref())?;
                    let arn = tg.arn.clone();
                    e.target_groups.push(tg);
                    Some(arn)
                })
            }
            "aws_subnet" => graph.subnet(p).and_then(|sn| {
                let subnets = &mut part::<Ec2>(&mut inv.ec2, &p.region)?.subnets;
                subnets.retain(|s| s.id != sn.id);
                subnets.push(sn);
                None
            }),
            plan_services::FLOW_LOG => graph.flow_log(p).and_then(|f| {
                part::<FlowLogs>(&mut inv.flow_logs, &p.region)?
                    .flow_logs
                    .push(f);
                None
            }),
            other if plan_services::reads(other) || plan_buckets::reads(other) => None,
            other => {
                *added.not_read.entry(other.to_owned()).or_insert(0) += 1;
                None
            }
        };
        if let Some(arn) = arn {
            added.addressed.push(StateResource {
                address: p.address.clone(),
                kind: p.kind.clone(),
                ids: vec![arn.clone()],
            });
            added.arns.push(arn);
        }
    }
    added
}

#[derive(Default)]
struct Added {
    arns: Vec<String>,
    not_read: BTreeMap<String, usize>,
    addressed: Vec<StateResource>,
}

/// Why a planned resource cannot be judged (a value the rules need is known only after apply),
/// as the error of that resource.
fn unknown(p: &Planned, resource: String, why: &str) -> ResourceError {
    ResourceError {
        resource,
        error: crate::error::CollectError::unreadable(
            "terraform",
            "plan",
            &p.region,
            format!("{}: {why}", p.address),
        ),
    }
}

/// A planned service into its region's ECS part, replacing the scanned one; one the rules
/// cannot judge from the plan is an error of that service, saying why.
fn add_service(inv: &mut Inventory, graph: &plan_services::Graph, p: &Planned) -> Option<String> {
    let e = ecs(inv, &p.region)?;
    match graph.service(p, &e.services) {
        Ok(s) => {
            let arn = s.arn.clone();
            e.services.retain(|x| {
                x.arn != s.arn && !(x.name == s.name && x.cluster_arn == s.cluster_arn)
            });
            e.services.push(s);
            Some(arn)
        }
        Err(why) => {
            e.service_errors.push(unknown(p, p.address.clone(), &why));
            None
        }
    }
}

/// A planned repository or registry scanning configuration into its region's ECR part, over a
/// scan only: alone, the registry's rules that can override a repository's own setting are not
/// known.
fn add_ecr(inv: &mut Inventory, p: &Planned, account: &str) -> Option<String> {
    let Some(Collected::Ok(e)) = inv.ecr.get_mut(&p.region) else {
        return None;
    };
    if p.kind == "aws_ecr_registry_scanning_configuration" {
        e.registry_scanning = Collected::Ok(registry_scanning(p));
        return None;
    }
    let r = repository(p, account)?;
    let arn = r.arn.clone();
    e.repositories.push(r);
    Some(arn)
}

/// A planned task definition into its region's ECS part; one whose containers are known
/// only after apply is an error of that task definition, saying so.
fn add_task_definition(inv: &mut Inventory, p: &Planned, account: &str) -> Option<String> {
    let e = ecs(inv, &p.region)?;
    match plan_tasks::task_definition(p, account) {
        Ok(td) => {
            let arn = td.arn.clone();
            e.task_definitions.push(td);
            Some(arn)
        }
        Err(why) => {
            let resource = plan_tasks::arn(p, account).unwrap_or_else(|| p.address.clone());
            e.task_definition_errors.push(unknown(p, resource, &why));
            None
        }
    }
}

/// The inventory `plan` would leave: over `base` (a scan of the account) or alone.
pub fn overlay(plan: &Plan, base: Option<&Inventory>, account: &str, now: &str) -> Overlay {
    let mut inv = base.cloned().unwrap_or_else(|| Inventory {
        account_id: account.to_owned(),
        collected_at: now.to_owned(),
        ..Inventory::default()
    });
    remove_replaced(&mut inv, plan);
    let mut added = add_planned(&mut inv, plan, account);
    for (address, arn) in plan_buckets::overlay(&mut inv, plan) {
        added.addressed.push(StateResource {
            address,
            kind: "aws_s3_bucket".into(),
            ids: vec![arn.clone()],
        });
        added.arns.push(arn);
    }
    // Alone, the plan is the only Terraform the inventory knows: its addresses name the
    // findings. Over a scan given states, the plan's addresses join them (what it creates is
    // managed); over a scan given none, they do not (IAC-01 would start counting everything
    // else as made by hand).
    let plan_state = StateFile {
        source: plan.source.clone(),
        resources: added.addressed,
        ..StateFile::default()
    };
    match (base.is_none(), &mut inv.terraform) {
        (true, _) => {
            inv.terraform = Some(Collected::Ok(TerraformInputs {
                states: vec![plan_state],
                declarations: Vec::new(),
            }));
        }
        (false, Some(Collected::Ok(t))) if !t.states.is_empty() => t.states.insert(0, plan_state),
        _ => {}
    }
    Overlay {
        inventory: inv,
        arns: added.arns,
        not_read: added.not_read,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use serde_json::json;

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
            configuration: Value::Null,
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

    #[test]
    fn a_new_vpc_is_known_by_its_address_through_its_subnets_and_its_flow_log() {
        let doc = serde_json::json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.1.0.0/16"}},
                {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "values": {"availability_zone": "eu-west-1a"}},
                {"address": "aws_flow_log.main", "mode": "managed", "type": "aws_flow_log", "name": "main", "values": {"traffic_type": "ALL"}},
                {"address": "aws_ecs_service.api", "mode": "managed", "type": "aws_ecs_service", "name": "api",
                 "values": {"name": "api", "cluster": "prod", "desired_count": 3, "network_configuration": [{"assign_public_ip": false}]}}
            ]}},
            "configuration": {"provider_config": {"aws": {"expressions": {"region": {"constant_value": "eu-west-1"}}}},
              "root_module": {"resources": [
                {"address": "aws_subnet.a", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
                {"address": "aws_flow_log.main", "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
                {"address": "aws_ecs_service.api", "expressions": {"network_configuration": [{"subnets": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}]}}
            ]}}
        });
        let judge = |doc: &Value| {
            let plan = super::super::plan::parse("p.json", &doc.to_string(), None).unwrap();
            // Over a scan of an account that has no flow log yet.
            let mut base = Inventory {
                account_id: "1".into(),
                ..Inventory::default()
            };
            base.flow_logs
                .insert("eu-west-1".into(), Collected::Ok(FlowLogs::default()));
            let o = overlay(&plan, Some(&base), "1", "2026-12-01T00:00:00Z");
            let inv = &o.inventory;
            let subnet = &inv.ec2["eu-west-1"].ok().unwrap().subnets[0];
            assert_eq!(
                (subnet.id.as_str(), subnet.vpc_id.as_str()),
                ("aws_subnet.a", "aws_vpc.main")
            );
            let service = &inv.ecs["eu-west-1"].ok().unwrap().services[0];
            assert_eq!(service.subnets, ["aws_subnet.a"]);
            assert_eq!(service.cluster_arn, "arn:aws:ecs:eu-west-1:1:cluster/prod");
            let check = crate::checks::find("OBS-03").unwrap();
            let out = (check.rule)(inv, &crate::config::Config::default());
            (
                out[0].status,
                out[0].resource_arn.clone().unwrap_or_default(),
            )
        };
        assert_eq!(
            judge(&doc),
            (
                Status::Pass,
                "arn:aws:ec2:eu-west-1:1:vpc/aws_vpc.main".to_owned()
            ),
            "the plan's flow log records the plan's VPC"
        );
        let mut without = doc.clone();
        without["planned_values"]["root_module"]["resources"]
            .as_array_mut()
            .unwrap()
            .remove(2);
        assert_eq!(judge(&without).0, Status::Fail);
    }

    #[test]
    fn a_planned_key_rotates_by_its_setting_or_is_unknown_never_a_fail() {
        let key = |kind: &str, values: Value| {
            let p = planned(kind, &format!("{kind}.k"), values);
            let mut inv = Inventory::default();
            inv.kms.insert(
                "eu-west-1".into(),
                Collected::Ok(Kms {
                    keys: vec![kms_key(&p, "1")],
                }),
            );
            let check = crate::checks::find("HARD-05").unwrap();
            (check.rule)(&inv, &crate::config::Config::default())
                .into_iter()
                .map(|o| o.status)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            key("aws_kms_key", json!({"enable_key_rotation": false})),
            [Status::Fail]
        );
        assert_eq!(
            key("aws_kms_key", json!({"enable_key_rotation": true})),
            [Status::Pass]
        );
        assert_eq!(
            key("aws_kms_key", json!({})),
            [Status::Error],
            "known only after apply"
        );
        assert_eq!(
            key(
                "aws_kms_key",
                json!({"enable_key_rotation": false, "customer_master_key_spec": "RSA_2048"})
            ),
            [Status::NotApplicable],
            "an asymmetric key cannot rotate"
        );
        assert_eq!(
            key("aws_kms_external_key", json!({})),
            [Status::NotApplicable],
            "imported material"
        );
    }

    #[test]
    fn a_planned_repository_is_judged_with_the_registry_rules_over_a_scan_only() {
        use crate::inventory::Ecr;
        let repo = |scan: bool| {
            planned(
                "aws_ecr_repository",
                "aws_ecr_repository.app",
                json!({"name": "app", "image_scanning_configuration": [{"scan_on_push": scan}]}),
            )
        };
        let registry = planned(
            "aws_ecr_registry_scanning_configuration",
            "aws_ecr_registry_scanning_configuration.this",
            json!({"scan_type": "ENHANCED", "rule": [{"scan_frequency": "SCAN_ON_PUSH",
                   "repository_filter": [{"filter": "prod-*", "filter_type": "WILDCARD"}]}]}),
        );
        let judge = |resources: Vec<Planned>, base: Option<&Inventory>| {
            let plan = Plan {
                source: "p.json".into(),
                resources,
                ..Plan::default()
            };
            let o = overlay(&plan, base, "1", "2026-12-01T00:00:00Z");
            let check = crate::checks::find("CICD-03").unwrap();
            (check.rule)(&o.inventory, &crate::config::Config::default())
                .into_iter()
                .map(|o| o.status)
                .collect::<Vec<_>>()
        };
        let mut base = Inventory::default();
        base.ecr.insert(
            "eu-west-1".into(),
            Collected::Ok(Ecr {
                repositories: vec![repository(&repo(false), "1").unwrap()],
                registry_scanning: Collected::Ok(RegistryScanning::default()),
            }),
        );
        assert_eq!(judge(vec![repo(true)], Some(&base)), [Status::Pass]);
        assert_eq!(
            judge(vec![repo(true), registry], Some(&base)),
            [Status::Fail],
            "the registry's enhanced scanning rules override the repository's own setting"
        );
        assert_eq!(judge(vec![repo(true)], None), [Status::NotApplicable]);
    }

    #[test]
    fn made_arns_are_in_the_partition_of_the_region() {
        let in_region = |kind: &str, region: &str| Planned {
            region: region.into(),
            ..planned(kind, "x", json!({"name": "t"}))
        };
        let t = table(&in_region("aws_dynamodb_table", "cn-north-1"), "1").unwrap();
        assert_eq!(t.arn, "arn:aws-cn:dynamodb:cn-north-1:1:table/t");
        let g = log_group(&in_region("aws_cloudwatch_log_group", "us-gov-west-1"), "1").unwrap();
        assert_eq!(g.arn, "arn:aws-us-gov:logs:us-gov-west-1:1:log-group:t");
    }
}
