//! The inventory a plan would leave: over a baseline scan's inventory when one is given (what
//! the plan deletes taken out, the scanned copies of what it changes replaced), or alone; and
//! the plan's addresses as a state, so each finding names its address.

use std::collections::BTreeMap;

use super::buckets;
use super::document::Plan;
use super::families;
use super::graph::Graph;
use super::reader::{part, Context};
use crate::inventory::{Collected, Elbv2, Inventory, StateFile, StateResource, TerraformInputs};

/// The inventory the plan would leave, the ARNs of the resources it holds, and the types it
/// holds that no check judges, alone or over the baseline given (counted).
pub struct Overlay {
    pub inventory: Inventory,
    pub arns: Vec<String>,
    pub not_read: BTreeMap<String, usize>,
}

/// Takes out of the inventory what the plan deletes, and the scanned copies of what it
/// changes (matched by ARN, or by name where the plan does not know the ARN yet).
fn remove_replaced(inv: &mut Inventory, plan: &Plan) {
    let deleted = plan.deleted.iter().map(|p| (p, true));
    for (p, deleted) in deleted.chain(plan.resources.iter().map(|p| (p, false))) {
        if let Some(r) = families::of(&p.kind) {
            (r.remove)(inv, p, deleted);
        }
    }
}

/// Puts what the plan creates or changes into the inventory; the ARNs it gave them, the
/// types no check judges (`alone`: on a plan alone), and the addresses of what it put in.
fn add_planned(inv: &mut Inventory, plan: &Plan, account: &str, alone: bool) -> Added {
    let cx = Context {
        graph: Graph::read(plan, account, &|p| families::arn(p, account)),
        account,
        deleted: &plan.deleted,
    };
    let mut added = Added::default();
    for p in &plan.resources {
        if !inv.regions.contains(&p.region) {
            inv.regions.push(p.region.clone());
        }
        let reader = families::of(&p.kind);
        let judged = match reader {
            Some(r) => r.alone || !alone,
            None => buckets::reads(&p.kind) && !alone,
        };
        if !judged {
            *added.not_read.entry(p.kind.clone()).or_insert(0) += 1;
        }
        let arn = reader.and_then(|r| (r.add)(inv, p, &cx));
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

/// What a plan alone does not tell of the account. It holds no bucket of its own (buckets are
/// read over a baseline only): the checks that read buckets judge none. Nor all the account's
/// load balancers: whether one the plan does not hold uses a group open on 80/443 is unknown
/// (HARD-06 ERROR), while a group open on any other port fails whatever uses it.
fn alone(inv: &mut Inventory) {
    inv.s3 = Some(Collected::Ok(Default::default()));
    let regions: Vec<String> = inv.security_groups.keys().cloned().collect();
    for region in regions {
        let unknown = crate::error::CollectError::unreadable(
            "terraform",
            "plan",
            &region,
            "the account's load balancers are not in a plan: whether one uses a group open on 80/443 is judged over a --baseline scan"
                .to_owned(),
        );
        if let Some(e) = part::<Elbv2>(&mut inv.elbv2, &region) {
            e.incomplete = Some(unknown);
        }
    }
}

#[derive(Default)]
struct Added {
    arns: Vec<String>,
    not_read: BTreeMap<String, usize>,
    addressed: Vec<StateResource>,
}

/// The inventory `plan` would leave: over `base` (a scan of the account) or alone.
pub fn overlay(plan: &Plan, base: Option<&Inventory>, account: &str, now: &str) -> Overlay {
    let mut inv = base.cloned().unwrap_or_else(|| Inventory {
        account_id: account.to_owned(),
        collected_at: now.to_owned(),
        ..Inventory::default()
    });
    remove_replaced(&mut inv, plan);
    let mut added = add_planned(&mut inv, plan, account, base.is_none());
    for (address, arn) in buckets::overlay(&mut inv, plan) {
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
            alone(&mut inv);
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
    use super::super::data::table;
    use super::super::document::Planned;
    use super::super::logs::log_group;
    use super::super::registry::{registry_scanning, repository};
    use super::super::testing::planned;
    use super::*;
    use crate::checks::Status;
    use crate::inventory::{FlowLogs, Logs, RegistryScanning};
    use serde_json::{json, Value};

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
            let plan = super::super::parse("p.json", &doc.to_string(), None).unwrap();
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
            judge(vec![repo(true), registry.clone()], Some(&base)),
            [Status::Fail],
            "the registry's enhanced scanning rules override the repository's own setting"
        );
        assert_eq!(judge(vec![repo(true)], None), [Status::NotApplicable]);
        // The enhanced configuration destroyed: basic scanning without rules, the repository's
        // own setting stands again.
        let mut enhanced = base.clone();
        if let Some(Collected::Ok(e)) = enhanced.ecr.get_mut("eu-west-1") {
            e.registry_scanning = Collected::Ok(registry_scanning(&registry));
        }
        let destroyed = Plan {
            source: "p.json".into(),
            resources: vec![repo(true)],
            deleted: vec![registry],
            ..Plan::default()
        };
        let o = overlay(&destroyed, Some(&enhanced), "1", "2026-12-01T00:00:00Z");
        let check = crate::checks::find("CICD-03").unwrap();
        let out = (check.rule)(&o.inventory, &crate::config::Config::default());
        assert_eq!(out[0].status, Status::Pass, "{}", out[0].message);
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
