//! A plan's Application Auto Scaling targets and policies for ECS services, as
//! `DescribeScalableTargets` and `DescribeScalingPolicies` show them. Both name their service
//! by `resource_id` (`service/CLUSTER/SERVICE`); known only after apply, it is made from the
//! plan's service (and cluster) the expression references. One that cannot be followed is an
//! ERROR of the services no target or policy is seen to scale, never a FAIL. A step policy's
//! alarms are those, scanned or planned, whose actions name the policy.

use serde_json::Value;

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, part, unknown, Context, Reader};
use super::values::{at, blocks, int, text};
use crate::inventory::{AutoScaling, Inventory, ScalableTarget, ScalingPolicy};

const TARGET: &str = "aws_appautoscaling_target";
const POLICY: &str = "aws_appautoscaling_policy";
const METRIC_ALARM: &str = "aws_cloudwatch_metric_alarm";

pub(super) const SCALING: Reader = Reader {
    alone: false,
    kinds: &[TARGET, POLICY],
    arn: |p, account| {
        if p.kind != POLICY {
            return None;
        }
        // Made from what the plan knows, the same for the policy and the alarms naming it.
        text(&p.values, "arn").or_else(|| {
            let id = text(&p.values, "resource_id").unwrap_or_else(|| p.address.clone());
            let name = text(&p.values, "name").unwrap_or_else(|| p.address.clone());
            Some(made_arn(
                p,
                "autoscaling",
                account,
                &format!("scalingPolicy:known-after-apply:resource/ecs/{id}:policyName/{name}"),
            ))
        })
    },
    remove: |inv, p, _| {
        let v = &p.values;
        let (id, dimension) = (text(v, "resource_id"), text(v, "scalable_dimension"));
        let Some(a) = part::<AutoScaling>(&mut inv.autoscaling, &p.region) else {
            return;
        };
        let same = |r: &str, d: &str| id.as_deref() == Some(r) && dimension.as_deref() == Some(d);
        if p.kind == TARGET {
            a.targets.retain(|t| !same(&t.resource_id, &t.dimension));
        } else {
            let name = text(v, "name");
            a.policies.retain(|x| {
                !(same(&x.resource_id, &x.dimension) && name.as_deref() == Some(&x.name))
            });
        }
    },
    add,
};

fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let v = &p.values;
    if text(v, "service_namespace").is_some_and(|n| n != "ecs") {
        return None;
    }
    let arn = (SCALING.arn)(p, cx.account);
    let alarms = arn
        .as_deref()
        .map(|a| alarms_acting_on(inv, p, &cx.graph, a));
    let a = part::<AutoScaling>(&mut inv.autoscaling, &p.region)?;
    let Some(resource_id) = resource_id(p, &cx.graph) else {
        let why = "resource_id is known only after apply and names no service of the plan";
        a.unknown.push(unknown(p, p.address.clone(), why));
        return None;
    };
    let dimension =
        text(v, "scalable_dimension").unwrap_or_else(|| "ecs:service:DesiredCount".into());
    if p.kind == TARGET {
        a.targets.push(ScalableTarget {
            resource_id,
            dimension,
            min_capacity: int(v, "min_capacity").unwrap_or(0),
            max_capacity: int(v, "max_capacity").unwrap_or(0),
            scale_out_suspended: at(
                v,
                &["suspended_state", "0", "dynamic_scaling_out_suspended"],
            )
            .and_then(Value::as_bool)
            .unwrap_or(false),
        });
        return None;
    }
    let kind = text(v, "policy_type").unwrap_or_else(|| "StepScaling".into());
    a.policies.push(ScalingPolicy {
        name: text(v, "name")?,
        resource_id,
        dimension,
        alarms: if kind == "StepScaling" { alarms } else { None },
        predictive_mode: blocks(v, "predictive_scaling_policy_configuration")
            .first()
            .map(|c| text(c, "mode").unwrap_or_else(|| "ForecastOnly".into())),
        kind,
    });
    arn
}

/// `service/CLUSTER/SERVICE`: known, or made from the plan's service (and its cluster) the
/// expression references.
fn resource_id(p: &Planned, graph: &Graph) -> Option<String> {
    text(&p.values, "resource_id").or_else(|| {
        let referenced = graph.referenced_resources(p, &["resource_id"]);
        let service = referenced.iter().find(|r| r.kind == "aws_ecs_service")?;
        let cluster = referenced
            .iter()
            .find(|r| r.kind == "aws_ecs_cluster")
            .and_then(|c| text(&c.values, "name"))
            .or_else(|| {
                let c = graph.known_or_referenced(service, &["cluster"])?;
                Some(c.rsplit('/').next().unwrap_or_default().to_owned())
            })?;
        Some(format!(
            "service/{cluster}/{}",
            text(&service.values, "name")?
        ))
    })
}

/// How many alarms name the policy among their actions: the scanned ones the plan keeps, and
/// the plan's own.
fn alarms_acting_on(inv: &Inventory, p: &Planned, graph: &Graph, arn: &str) -> usize {
    let scanned = inv
        .cloudwatch
        .get(&p.region)
        .and_then(|c| c.ok())
        .map_or(0, |c| {
            c.alarms
                .iter()
                .filter(|a| a.alarm_actions.iter().any(|x| x == arn))
                .count()
        });
    let planned = graph.naming("alarm actions", &[METRIC_ALARM], |a| {
        graph
            .arns_at(a, &["alarm_actions"])
            .into_iter()
            .flatten()
            .collect()
    });
    let planned = planned.get(arn).map_or(0, Vec::len);
    scanned + planned
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        account, expressions, judge, plan, read_empty, refs, resource, Found,
    };
    use crate::checks::Status;
    use serde_json::json;

    /// A new service with a scalable target and a step policy, their `resource_id` known only
    /// after apply (`resource_id_from`), and an alarm acting on the policy (`with_alarm`).
    fn judge_scaling(resource_id_from: &[&str], with_alarm: bool) -> Vec<Found> {
        let dimension = "ecs:service:DesiredCount";
        let mut resources = vec![
            resource("aws_ecs_cluster", "main", json!({"name": "prod"})),
            resource(
                "aws_ecs_service",
                "api",
                json!({"name": "api", "desired_count": 3}),
            ),
            resource(
                "aws_appautoscaling_target",
                "api",
                json!({"service_namespace": "ecs",
                "scalable_dimension": dimension, "min_capacity": 3, "max_capacity": 12}),
            ),
            resource(
                "aws_appautoscaling_policy",
                "cpu",
                json!({"name": "cpu-up", "service_namespace": "ecs",
                "scalable_dimension": dimension, "policy_type": "StepScaling"}),
            ),
        ];
        if with_alarm {
            resources.push(resource("aws_cloudwatch_metric_alarm", "high", json!({"alarm_name": "cpu-high",
                "namespace": "AWS/ECS", "metric_name": "CPUUtilization",
                "dimensions": {"ClusterName": "prod", "ServiceName": "api"}, "alarm_actions": [null]})));
        }
        let id = json!({ "resource_id": refs(resource_id_from) });
        let plan = plan(
            "eu-west-1",
            resources,
            vec![
                expressions(
                    "aws_ecs_service.api",
                    json!({"cluster": refs(&["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"])}),
                ),
                expressions("aws_appautoscaling_target.api", id.clone()),
                expressions("aws_appautoscaling_policy.cpu", id),
                expressions(
                    "aws_cloudwatch_metric_alarm.high",
                    json!({"alarm_actions": refs(&["aws_appautoscaling_policy.cpu.arn", "aws_appautoscaling_policy.cpu"])}),
                ),
            ],
            vec![],
        );
        let mut base = account("1");
        read_empty(&mut base.ecs, "eu-west-1");
        read_empty(&mut base.cloudwatch, "eu-west-1");
        read_empty(&mut base.autoscaling, "eu-west-1");
        judge(&plan, &base, &["SCALE-01", "SCALE-02"])
    }

    const SERVICE_AND_CLUSTER: [&str; 4] = [
        "aws_ecs_cluster.main.name",
        "aws_ecs_cluster.main",
        "aws_ecs_service.api.name",
        "aws_ecs_service.api",
    ];

    fn status(found: &[Found]) -> Vec<Status> {
        found.iter().map(|f| f.status).collect()
    }

    #[test]
    fn a_target_and_step_policy_known_after_apply_scale_the_plans_service() {
        let found = judge_scaling(&SERVICE_AND_CLUSTER, true);
        assert_eq!(status(&found), [Status::Pass, Status::Pass], "{found:?}");
        // Through the service's own cluster, when the expression names only the service.
        let found = judge_scaling(&SERVICE_AND_CLUSTER[2..], true);
        assert_eq!(found[0].status, Status::Pass, "{found:?}");
    }

    #[test]
    fn a_step_policy_no_alarm_sets_off_moves_nothing() {
        let found = judge_scaling(&SERVICE_AND_CLUSTER, false);
        assert_eq!(found[1].status, Status::Fail, "{found:?}");
        assert!(
            found[1].message.contains("never change its task count"),
            "{found:?}"
        );
    }

    #[test]
    fn a_service_known_only_after_apply_is_an_error_never_a_fail() {
        let found = judge_scaling(&["module.naming.resource_id"], true);
        assert_eq!(status(&found), [Status::Error, Status::Error], "{found:?}");
        assert!(found[0]
            .message
            .contains("resource_id is known only after apply"));
    }
}
