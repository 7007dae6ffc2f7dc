//! A plan's CloudWatch alarms and dashboards, as `DescribeAlarms` and `ListDashboards` show
//! them. An alarm names what it watches by its metric's dimensions (`ClusterName`,
//! `LoadBalancer` …); a dimension known only after apply is taken from the plan's resource of
//! the type that dimension names, among those the `dimensions` expression references
//! (`aws_lb.main.arn_suffix` gives `LoadBalancer`). One that cannot be followed leaves the
//! alarm watching something unknown: what no alarm is seen to watch is then an ERROR of the
//! MON checks, never a FAIL. Its actions known only after apply are the ARNs of the plan's
//! topics and policies its configuration references.

use std::collections::BTreeMap;

use serde_json::Value;

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, made_global_arn, part, unknown, Context, Reader};
use super::values::{at, blocks, text};
use crate::inventory::{Alarm, CloudWatch, MetricRef};

const METRIC_ALARM: &str = "aws_cloudwatch_metric_alarm";
const COMPOSITE_ALARM: &str = "aws_cloudwatch_composite_alarm";
const DASHBOARD: &str = "aws_cloudwatch_dashboard";

pub(super) const ALARMS: Reader = Reader {
    alone: false,
    kinds: &[METRIC_ALARM, COMPOSITE_ALARM, DASHBOARD],
    arn,
    remove: |inv, p, _| {
        let Some(cw) = part::<CloudWatch>(&mut inv.cloudwatch, &p.region) else {
            return;
        };
        if p.kind == DASHBOARD {
            let name = text(&p.values, "dashboard_name");
            cw.dashboards.retain(|d| name.as_deref() != Some(d));
        } else {
            let name = text(&p.values, "alarm_name");
            cw.alarms.retain(|a| name.as_deref() != Some(&a.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let cw = part::<CloudWatch>(&mut inv.cloudwatch, &p.region)?;
        if p.kind == DASHBOARD {
            cw.dashboards.push(text(&p.values, "dashboard_name")?);
            return None;
        }
        let arn = arn(p, cx.account)?;
        let (alarm, unresolved) = alarm(p, &cx.graph, arn.clone())?;
        if let Some(why) = unresolved {
            cw.alarm_errors.push(unknown(p, arn.clone(), &why));
        }
        cw.alarms.push(alarm);
        Some(arn)
    },
};

/// An alarm's ARN, made from its name while AWS has not named it; a dashboard's (global).
fn arn(p: &Planned, account: &str) -> Option<String> {
    if p.kind == DASHBOARD {
        let name = text(&p.values, "dashboard_name")?;
        return Some(made_global_arn(
            p,
            "cloudwatch",
            account,
            &format!("dashboard/{name}"),
        ));
    }
    text(&p.values, "arn").or_else(|| {
        let name = text(&p.values, "alarm_name")?;
        Some(made_arn(p, "cloudwatch", account, &format!("alarm:{name}")))
    })
}

/// The resource type a metric dimension names, and what of it the dimension holds.
fn dimension_source(dimension: &str) -> Option<(&'static [&'static str], Source)> {
    Some(match dimension {
        "ClusterName" => (&["aws_ecs_cluster"], Source::Value("name")),
        "ServiceName" => (&["aws_ecs_service"], Source::Value("name")),
        "TableName" => (&["aws_dynamodb_table"], Source::Value("name")),
        "BucketName" => (&["aws_s3_bucket"], Source::Value("bucket")),
        "FunctionName" => (&["aws_lambda_function"], Source::Value("function_name")),
        "LoadBalancer" => (&["aws_lb", "aws_alb"], Source::ArnAfter(":loadbalancer/")),
        "TargetGroup" => (
            &["aws_lb_target_group", "aws_alb_target_group"],
            Source::ArnAfter(":"),
        ),
        _ => return None,
    })
}

enum Source {
    /// The resource's planned value of that argument.
    Value(&'static str),
    /// The end of its ARN, after the last occurrence of that text (`app/NAME/ID`).
    ArnAfter(&'static str),
}

/// A metric's dimensions at `path`: known, or each unknown one from the plan's resource the
/// expression references; the names of those that cannot be followed.
fn dimensions(
    p: &Planned,
    graph: &Graph,
    path: &[&str],
    unresolved: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(map) = at(&p.values, path).and_then(Value::as_object) else {
        return out;
    };
    for (key, value) in map {
        let resolved = value.as_str().map(str::to_owned).or_else(|| {
            let (kinds, source) = dimension_source(key)?;
            let r = graph
                .referenced_resources(p, path)
                .into_iter()
                .find(|r| kinds.contains(&r.kind.as_str()))?;
            match source {
                Source::Value(arg) => text(&r.values, arg),
                Source::ArnAfter(marker) => {
                    let arn = graph.arns.get(&r.address)?;
                    arn.rsplit_once(marker).map(|(_, end)| end.to_owned())
                }
            }
        });
        // Unknown, it matches no resource: what it watches is an ERROR, never a guess.
        if resolved.is_none() {
            unresolved.push(format!("{}.{key}", path.join(".")));
        }
        out.insert(
            key.clone(),
            resolved.unwrap_or_else(|| "(known after apply)".into()),
        );
    }
    out
}

fn metric(v: &Value, dimensions: BTreeMap<String, String>) -> Option<MetricRef> {
    Some(MetricRef {
        namespace: text(v, "namespace")?,
        name: text(v, "metric_name")?,
        dimensions,
    })
}

/// A planned alarm, and why what it watches is unknown, if it is.
fn alarm(p: &Planned, graph: &Graph, arn: String) -> Option<(Alarm, Option<String>)> {
    let v = &p.values;
    let mut unresolved = Vec::new();
    let single = dimensions(p, graph, &["dimensions"], &mut unresolved);
    let mut math_metrics = Vec::new();
    for (i, query) in blocks(v, "metric_query").iter().enumerate() {
        let index = i.to_string();
        let path = ["metric_query", &index, "metric", "0", "dimensions"];
        let dims = dimensions(p, graph, &path, &mut unresolved);
        math_metrics.extend(
            blocks(query, "metric")
                .first()
                .and_then(|m| metric(m, dims)),
        );
    }
    let actions = graph.arns_at(p, &["alarm_actions"]);
    let alarm = Alarm {
        name: text(v, "alarm_name")?,
        arn,
        kind: if p.kind == COMPOSITE_ALARM {
            "composite"
        } else {
            "metric"
        }
        .into(),
        metric: metric(v, single),
        math_metrics,
        actions_enabled: v
            .get("actions_enabled")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        // An action that cannot be followed is named as such: MON-07 does not judge it.
        alarm_actions: actions
            .into_iter()
            .map(|a| a.unwrap_or_else(|| format!("terraform:{}:known-after-apply", p.address)))
            .collect(),
        state: None,
        rule: text(v, "alarm_rule"),
        expressions: blocks(v, "metric_query")
            .iter()
            .filter_map(|q| text(q, "expression"))
            .filter(|e| !e.is_empty())
            .collect(),
    };
    let why = (!unresolved.is_empty()).then(|| {
        format!(
            "{} known only after apply and from no resource of the plan: what it watches is unknown",
            unresolved.join(", ")
        )
    });
    Some((alarm, why))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        account, expressions, judge, plan, read_empty, refs, resource, statuses,
    };
    use crate::checks::Status;
    use serde_json::{json, Value};

    fn alarm(metric: &str) -> Value {
        json!({"alarm_name": format!("api-{metric}"), "namespace": "AWS/ECS", "metric_name": metric,
               "dimensions": {"ClusterName": null, "ServiceName": null}, "alarm_actions": [null]})
    }

    /// A new cluster, service, topic and subscription, and CPU and memory alarms whose
    /// dimensions and actions are known only after apply, judged over a scan of an account
    /// that has none of them.
    fn judge_alarms(subscription: Value, cluster_from: &str) -> Vec<super::super::testing::Found> {
        let dims = refs(&[
            cluster_from,
            "aws_ecs_service.api.name",
            "aws_ecs_service.api",
        ]);
        let pager = refs(&["aws_sns_topic.pager.arn", "aws_sns_topic.pager"]);
        let alarm_config = |name: &str| {
            expressions(
                &format!("aws_cloudwatch_metric_alarm.{name}"),
                json!({"dimensions": dims, "alarm_actions": pager}),
            )
        };
        let plan = plan(
            "eu-west-1",
            vec![
                resource("aws_ecs_cluster", "main", json!({"name": "prod"})),
                resource(
                    "aws_ecs_service",
                    "api",
                    json!({"name": "api", "desired_count": 3}),
                ),
                resource("aws_sns_topic", "pager", json!({"name": "pager"})),
                resource("aws_sns_topic_subscription", "pager", subscription),
                resource(
                    "aws_cloudwatch_metric_alarm",
                    "cpu",
                    alarm("CPUUtilization"),
                ),
                resource(
                    "aws_cloudwatch_metric_alarm",
                    "memory",
                    alarm("MemoryUtilization"),
                ),
            ],
            vec![
                expressions(
                    "aws_ecs_service.api",
                    json!({"cluster": refs(&["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"])}),
                ),
                expressions(
                    "aws_sns_topic_subscription.pager",
                    json!({ "topic_arn": pager }),
                ),
                alarm_config("cpu"),
                alarm_config("memory"),
            ],
            vec![],
        );
        let mut base = account("111122223333");
        read_empty(&mut base.ecs, "eu-west-1");
        read_empty(&mut base.cloudwatch, "eu-west-1");
        read_empty(&mut base.sns, "eu-west-1");
        judge(&plan, &base, &["MON-01", "MON-07"])
    }

    #[test]
    fn alarms_known_only_after_apply_watch_the_plans_service_and_page_through_its_topic() {
        let queue =
            json!({"protocol": "sqs", "endpoint": "arn:aws:sqs:eu-west-1:111122223333:pager"});
        let found = judge_alarms(queue, "aws_ecs_cluster.main.name");
        assert_eq!(
            statuses(&found),
            [
                ("MON-01", Status::Pass),
                ("MON-07", Status::Pass),
                ("MON-07", Status::Pass)
            ],
            "{found:?}"
        );
        assert!(found[0].message.contains("api-CPUUtilization"), "{found:?}");
    }

    #[test]
    fn an_email_subscription_awaits_its_owner_and_an_unknown_dimension_is_never_a_fail() {
        let email = json!({"protocol": "email", "endpoint": "oncall@example.com"});
        let found = judge_alarms(email, "aws_ecs_cluster.main.name");
        assert_eq!(
            statuses(&found),
            [
                ("MON-01", Status::Pass),
                ("MON-07", Status::Manual),
                ("MON-07", Status::Manual)
            ],
            "{found:?}"
        );
        assert!(found[1].message.contains("must confirm"), "{found:?}");
        assert!(
            !found.iter().any(|f| f.message.contains("oncall@")),
            "an endpoint never reaches the findings"
        );
        let found = judge_alarms(json!({"protocol": "sqs"}), "module.naming.cluster");
        assert_eq!(found[0].status, Status::Error, "{found:?}");
        assert!(
            found[0].message.contains("dimensions.ClusterName"),
            "{found:?}"
        );
    }
}
