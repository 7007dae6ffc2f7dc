//! A plan's ECS services and the load balancers in front of them, as the collectors read them:
//! clusters, load balancers and target groups named by the ARN they have or one made from their
//! name, each service's target groups, cluster and subnets taken from its values or, when known
//! only after apply, from the plan's resources its configuration references (`graph`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::document::Planned;
use super::graph::{Graph, LISTENERS, RULES, SUBNET, VPC};
use super::reader::{made_arn, part, unknown, Context, Identity, Reader};
use super::values::{blocks, int, text};
use crate::inventory::{
    CapacityProviderShare, DeploymentAlarms, DeploymentConfiguration, Ec2, Ecs, EcsCluster,
    EcsService, Elbv2, FlowLogs, Inventory, LoadBalancer, ServiceLoadBalancer, TargetGroup,
};

const LOAD_BALANCERS: [&str; 2] = ["aws_lb", "aws_alb"];
const TARGET_GROUPS: [&str; 2] = ["aws_lb_target_group", "aws_alb_target_group"];
const SERVICE: &str = "aws_ecs_service";
const CLUSTER: &str = "aws_ecs_cluster";
const FLOW_LOG: &str = "aws_flow_log";
const SECURITY_GROUP: &str = "aws_security_group";
const ACCOUNT_SETTING: &str = "aws_ecs_account_setting_default";

/// The ARN a cluster, load balancer, target group or listener has, or one made from what the
/// plan knows while AWS has not named it.
fn arn(p: &Planned, account: &str) -> Option<String> {
    if let Some(known) = text(&p.values, "arn") {
        return Some(known);
    }
    let name = text(&p.values, "name");
    let kind = p.kind.as_str();
    let elb = |resource: String| made_arn(p, "elasticloadbalancing", account, &resource);
    Some(if kind == CLUSTER {
        made_arn(p, "ecs", account, &format!("cluster/{}", name?))
    } else if LOAD_BALANCERS.contains(&kind) {
        let short = match text(&p.values, "load_balancer_type").as_deref() {
            Some("network") => "net",
            Some("gateway") => "gwy",
            _ => "app",
        };
        elb(format!("loadbalancer/{short}/{}/known-after-apply", name?))
    } else if TARGET_GROUPS.contains(&kind) {
        elb(format!("targetgroup/{}/known-after-apply", name?))
    } else if LISTENERS.contains(&kind) {
        format!("terraform:{}", p.address)
    } else {
        return None;
    })
}

/// The availability zones of a load balancer's subnets, one per subnet (Elastic Load
/// Balancing takes one subnet per zone); a subnet whose zone neither the scan nor the plan
/// gives is named as the zone of that subnet.
fn zones(g: &Graph, p: &Planned, base: &Inventory) -> Vec<String> {
    let mut ids = g.subnets(p, &["subnets"]);
    for i in 0..blocks(&p.values, "subnet_mapping").len() {
        ids.extend(g.subnets(p, &["subnet_mapping", &i.to_string(), "subnet_id"]));
    }
    let scanned = base.ec2.get(&p.region).and_then(|e| e.ok());
    ids.iter()
        .map(|id| {
            g.subnet_zones
                .get(id)
                .cloned()
                .or_else(|| {
                    scanned
                        .and_then(|e| e.subnets.iter().find(|s| &s.id == id))
                        .map(|s| s.availability_zone.clone())
                })
                .unwrap_or_else(|| format!("zone of {id}"))
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

pub(super) fn load_balancer(g: &Graph, p: &Planned, base: &Inventory) -> Option<LoadBalancer> {
    let v = &p.values;
    let logs = blocks(v, "access_logs").first();
    Some(LoadBalancer {
        arn: g.arns.get(&p.address)?.clone(),
        name: text(v, "name")?,
        kind: text(v, "load_balancer_type").unwrap_or_else(|| "application".into()),
        scheme: v.get("internal").and_then(Value::as_bool).map(|internal| {
            if internal {
                "internal"
            } else {
                "internet-facing"
            }
            .to_owned()
        }),
        availability_zones: zones(g, p, base),
        security_groups: g.ids_at(p, &["security_groups"], &[SECURITY_GROUP]),
        access_logs_bucket: logs
            .filter(|l| l.get("enabled").and_then(Value::as_bool) == Some(true))
            .and_then(|l| text(l, "bucket")),
        attributes_error: None,
    })
}

/// A planned target group; the load balancers routing to it are the plan's and, for one
/// the scan saw, those it saw.
pub(super) fn target_group(
    g: &Graph,
    p: &Planned,
    scanned: Option<&TargetGroup>,
) -> Option<TargetGroup> {
    let v = &p.values;
    let arn = g.arns.get(&p.address)?.clone();
    let check = blocks(v, "health_check").first();
    let mut lbs: BTreeSet<String> = g.routes.get(&arn).cloned().unwrap_or_default();
    lbs.extend(
        scanned
            .into_iter()
            .flat_map(|t| t.load_balancer_arns.iter().cloned()),
    );
    Some(TargetGroup {
        name: text(v, "name")?,
        load_balancer_arns: lbs.into_iter().collect(),
        protocol: text(v, "protocol"),
        port: int(v, "port"),
        target_type: text(v, "target_type"),
        health_check_enabled: check
            .and_then(|c| c.get("enabled"))
            .and_then(Value::as_bool),
        health_check_path: check.and_then(|c| text(c, "path")),
        health_check_interval_seconds: check.and_then(|c| int(c, "interval")),
        healthy_threshold: check.and_then(|c| int(c, "healthy_threshold")),
        unhealthy_threshold: check.and_then(|c| int(c, "unhealthy_threshold")),
        arn,
    })
}

/// The ARN of the cluster a planned service runs in: its `cluster` (an ARN, or a name in
/// the service's region), or the plan's cluster it references.
fn cluster_arn(g: &Graph, p: &Planned) -> Option<String> {
    let cluster = g.known_or_referenced(p, &["cluster"])?;
    Some(if cluster.starts_with("arn:") {
        cluster
    } else {
        made_arn(p, "ecs", g.account, &format!("cluster/{cluster}"))
    })
}

/// The target groups (or Classic Load Balancers) a planned service registers with.
fn service_load_balancers(g: &Graph, p: &Planned) -> Result<Vec<ServiceLoadBalancer>, String> {
    let mut out = Vec::new();
    for (i, lb) in blocks(&p.values, "load_balancer").iter().enumerate() {
        let index = i.to_string();
        let elb_name = text(lb, "elb_name").filter(|n| !n.is_empty());
        let target_group_arn =
            g.known_or_referenced(p, &["load_balancer", &index, "target_group_arn"]);
        if target_group_arn.is_none() && elb_name.is_none() {
            return Err(format!(
                "load_balancer[{i}].target_group_arn is known only after apply and is no resource of the plan"
            ));
        }
        out.push(ServiceLoadBalancer {
            target_group_arn,
            load_balancer_name: elb_name,
            container_name: text(lb, "container_name"),
            container_port: int(lb, "container_port"),
        });
    }
    Ok(out)
}

/// A planned service as the scan would read it, or why it cannot be: a value the rules
/// need is known only after apply and comes from no resource in the plan.
pub(super) fn service(
    g: &Graph,
    p: &Planned,
    scanned: &[EcsService],
) -> Result<EcsService, String> {
    let v = &p.values;
    let name = text(v, "name").ok_or("its name is known only after apply")?;
    let cluster_arn = cluster_arn(g, p)
        .ok_or("its cluster is known only after apply and is no resource of the plan")?;
    let cluster_name = cluster_arn
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let id = text(v, "id").filter(|id| id.starts_with("arn:"));
    let before = scanned.iter().find(|s| {
        id.as_deref() == Some(&s.arn) || (s.name == name && s.cluster_arn == cluster_arn)
    });
    let arn = id
        .or_else(|| before.map(|b| b.arn.clone()))
        .unwrap_or_else(|| {
            made_arn(
                p,
                "ecs",
                g.account,
                &format!("service/{cluster_name}/{name}"),
            )
        });
    let strategy = text(v, "scheduling_strategy");
    let desired_count = match v.get("desired_count") {
        Some(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(0),
        None if strategy.as_deref() == Some("DAEMON") => 0,
        None => return Err("its desired_count is known only after apply".into()),
    };
    let load_balancers = service_load_balancers(g, p)?;
    let network = blocks(v, "network_configuration").first();
    let subnets = if network.is_some() {
        g.subnets(p, &["network_configuration", "0", "subnets"])
    } else {
        Vec::new()
    };
    Ok(EcsService {
        arn,
        name,
        cluster_arn,
        status: Some("ACTIVE".into()),
        launch_type: text(v, "launch_type").filter(|t| !t.is_empty()),
        scheduling_strategy: strategy.or(Some("REPLICA".into())),
        desired_count,
        // Once applied, ECS starts what a changed count wants; an unchanged count runs what
        // the scan saw running.
        running_count: match before {
            Some(b) if b.desired_count == desired_count => b.running_count,
            _ => desired_count,
        },
        task_definition: g
            .known_or_referenced(p, &["task_definition"])
            .or_else(|| before.and_then(|b| b.task_definition.clone())),
        load_balancers,
        health_check_grace_period_seconds: int(v, "health_check_grace_period_seconds"),
        deployment: Some(deployment(v)),
        subnets,
        security_groups: if network.is_some() {
            g.ids_at(
                p,
                &["network_configuration", "0", "security_groups"],
                &[SECURITY_GROUP],
            )
        } else {
            Vec::new()
        },
        assign_public_ip: network
            .and_then(|n| n.get("assign_public_ip"))
            .and_then(Value::as_bool),
        deployment_controller: blocks(v, "deployment_controller")
            .first()
            .and_then(|d| text(d, "type")),
        capacity_providers: capacity_providers(v),
    })
}

pub(super) const SERVICES: Reader = Reader {
    alone: true,
    kinds: &[SERVICE],
    arn: |p, _| text(&p.values, "id").filter(|id| id.starts_with("arn:")),
    // A service's name is unique in its cluster only: a name alone matches nothing.
    remove: |inv, p, _| {
        let planned = Identity::of(p);
        if let Some(e) = part::<Ecs>(&mut inv.ecs, &p.region) {
            e.services.retain(|s| !planned.is_arn(&s.arn));
        }
    },
    add: add_service,
};

/// A planned service into its region's ECS part, replacing the scanned one; one the rules
/// cannot judge from the plan is an error of that service, saying why.
fn add_service(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let e = part::<Ecs>(&mut inv.ecs, &p.region)?;
    match service(&cx.graph, p, &e.services) {
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

pub(super) const LOAD_BALANCERS_READ: Reader = Reader {
    alone: false,
    kinds: &LOAD_BALANCERS,
    arn,
    remove: |inv, p, _| {
        let planned = Identity::of(p);
        if let Some(e) = part::<Elbv2>(&mut inv.elbv2, &p.region) {
            e.load_balancers.retain(|l| !planned.is(&l.arn, &l.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let lb = load_balancer(&cx.graph, p, inv)?;
        let arn = lb.arn.clone();
        part::<Elbv2>(&mut inv.elbv2, &p.region)?
            .load_balancers
            .push(lb);
        Some(arn)
    },
};

/// Target groups: a changed one keeps the load balancers the scan saw routing to it (the scan
/// keeps no listeners to take out), a deleted one leaves.
pub(super) const TARGET_GROUPS_READ: Reader = Reader {
    alone: false,
    kinds: &TARGET_GROUPS,
    arn,
    remove: |inv, p, deleted| {
        let planned = Identity::of(p);
        if let (true, Some(e)) = (deleted, part::<Elbv2>(&mut inv.elbv2, &p.region)) {
            e.target_groups.retain(|t| !planned.is_arn(&t.arn));
        }
    },
    add: |inv, p, cx: &Context| {
        let e = part::<Elbv2>(&mut inv.elbv2, &p.region)?;
        let scanned = text(&p.values, "arn")
            .and_then(|arn| e.target_groups.iter().position(|t| t.arn == arn))
            .map(|i| e.target_groups.remove(i));
        let tg = target_group(&cx.graph, p, scanned.as_ref())?;
        let arn = tg.arn.clone();
        e.target_groups.push(tg);
        Some(arn)
    },
};

/// Subnets (their zones and VPC) and flow logs, which findings name by VPC, not by address.
pub(super) const NETWORK: Reader = Reader {
    alone: false,
    kinds: &[SUBNET, FLOW_LOG],
    arn: |_, _| None,
    remove: |_, _, _| {},
    add: |inv, p, cx: &Context| {
        if p.kind == SUBNET {
            let sn = cx.graph.subnet(p)?;
            let subnets = &mut part::<Ec2>(&mut inv.ec2, &p.region)?.subnets;
            subnets.retain(|s| s.id != sn.id);
            subnets.push(sn);
        } else {
            let f = cx.graph.flow_log(p)?;
            part::<FlowLogs>(&mut inv.flow_logs, &p.region)?
                .flow_logs
                .push(f);
        }
        None
    },
};

/// Clusters and their Container Insights setting. A cluster created without the setting takes
/// the account's default (`PutAccountSettingDefault`), which a scan does not read: the plan's
/// own default setting gives it, else such a cluster is judged once scanned. One that exists
/// keeps what the scan read unless the plan sets it.
pub(super) const CLUSTERS: Reader = Reader {
    alone: true,
    kinds: &[CLUSTER, ACCOUNT_SETTING],
    arn,
    remove: |inv, p, deleted| {
        let planned = Identity::of(p);
        if let (true, Some(e)) = (
            deleted && p.kind == CLUSTER,
            part::<Ecs>(&mut inv.ecs, &p.region),
        ) {
            e.clusters.retain(|c| !planned.is(&c.arn, &c.name));
        }
    },
    add: |inv, p, cx: &Context| {
        if p.kind != CLUSTER {
            return None;
        }
        let arn = arn(p, cx.account)?;
        let default = cx.graph.planned(ACCOUNT_SETTING).find_map(|s| {
            (text(&s.values, "name").as_deref() == Some("containerInsights"))
                .then(|| text(&s.values, "value"))
                .flatten()
        });
        let setting = blocks(&p.values, "setting")
            .iter()
            .find(|s| text(s, "name").as_deref() == Some("containerInsights"))
            .and_then(|s| text(s, "value"));
        let e = part::<Ecs>(&mut inv.ecs, &p.region)?;
        match e.clusters.iter_mut().find(|c| c.arn == arn) {
            Some(scanned) => {
                if setting.is_some() {
                    scanned.container_insights = setting;
                }
            }
            None => {
                let Some(insights) = setting.or(default) else {
                    return Some(arn);
                };
                e.clusters.push(EcsCluster {
                    arn: arn.clone(),
                    name: text(&p.values, "name")?,
                    status: Some("ACTIVE".into()),
                    active_services: 0,
                    running_tasks: 0,
                    container_insights: Some(insights),
                });
            }
        }
        Some(arn)
    },
};

/// VPCs, listeners and listener rules: read for the ARNs and routes of the rest.
pub(super) const ROUTES: Reader = Reader {
    alone: true,
    kinds: &[VPC, LISTENERS[0], LISTENERS[1], RULES[0], RULES[1]],
    arn,
    remove: |_, _, _| {},
    add: |_, _, _| None,
};

/// The strings of a list argument.
fn strings(v: &Value, key: &str) -> Vec<String> {
    blocks(v, key)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// A planned service's deployment settings: its percentages, circuit breaker and alarms.
fn deployment(v: &Value) -> DeploymentConfiguration {
    let breaker = blocks(v, "deployment_circuit_breaker").first();
    let flag = |b: Option<&Value>, key: &str| b.and_then(|b| b.get(key)).and_then(Value::as_bool);
    DeploymentConfiguration {
        minimum_healthy_percent: int(v, "deployment_minimum_healthy_percent"),
        maximum_percent: int(v, "deployment_maximum_percent"),
        circuit_breaker_enabled: flag(breaker, "enable"),
        circuit_breaker_rollback: flag(breaker, "rollback"),
        alarms: blocks(v, "alarms").first().map(|a| DeploymentAlarms {
            names: strings(a, "alarm_names"),
            enable: flag(Some(a), "enable").unwrap_or(false),
            rollback: flag(Some(a), "rollback").unwrap_or(false),
        }),
    }
}

/// A planned service's capacity provider strategy.
fn capacity_providers(v: &Value) -> Vec<CapacityProviderShare> {
    blocks(v, "capacity_provider_strategy")
        .iter()
        .filter_map(|c| {
            Some(CapacityProviderShare {
                provider: text(c, "capacity_provider")?,
                base: int(c, "base").unwrap_or(0),
                weight: int(c, "weight").unwrap_or(0),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, plan, resource};
    use crate::checks::Status;
    use crate::inventory::{Collected, Ecs, Inventory};
    use serde_json::{json, Value};

    fn cluster(setting: Option<&str>) -> Value {
        let settings: Vec<Value> = setting
            .map(|s| json!({"name": "containerInsights", "value": s}))
            .into_iter()
            .collect();
        resource(
            "aws_ecs_cluster",
            "main",
            json!({"name": "prod", "setting": settings}),
        )
    }

    #[test]
    fn a_new_clusters_insights_are_its_setting_or_the_plans_account_default() {
        let mut base = Inventory {
            account_id: "1".into(),
            ..Inventory::default()
        };
        base.ecs
            .insert("eu-west-1".into(), Collected::Ok(Ecs::default()));
        let judge_one = |resources| {
            let found = judge(
                &plan("eu-west-1", resources, vec![], vec![]),
                &base,
                &["OBS-01"],
            );
            found[0].status
        };
        assert_eq!(judge_one(vec![cluster(Some("enhanced"))]), Status::Pass);
        assert_eq!(judge_one(vec![cluster(Some("disabled"))]), Status::Fail);
        assert_eq!(
            judge_one(vec![cluster(None)]),
            Status::NotApplicable,
            "the account's default, which the scan does not read: judged once scanned"
        );
        let default = resource(
            "aws_ecs_account_setting_default",
            "insights",
            json!({"name": "containerInsights", "value": "enabled"}),
        );
        assert_eq!(judge_one(vec![cluster(None), default]), Status::Pass);
    }
}
