//! Phase 1 — Monitoring & Alerting.

use super::NOWHERE;
use super::{
    buckets, dynamodb_parts, ecs_service_parts, input, notifications, or_not_applicable, regions,
    Outcome,
};
use super::{Check, FixInput};
use crate::catalog::prices::CostLine;
use crate::config::Config;
use crate::error::CollectError;
use crate::inventory::{
    Alarm, Bucket, EcsService, Function, Inventory, LoadBalancer, MetricRef, Table,
};

const CATALOG: &str = "checks/monitoring.toml";

pub const CHECKS: &[Check] = &[
    Check::new("MON-01", mon_01_ecs_utilization, CATALOG)
        .costing(|f| f.alarms(2.0, "CPU and memory alarms per service")),
    Check::new("MON-02", mon_02_unhealthy_tasks, CATALOG).costing(one_alarm_each),
    Check::new("MON-03", mon_03_alb_5xx, CATALOG).costing(one_alarm_each),
    Check::new("MON-04", mon_04_dynamodb_throttling, CATALOG).costing(one_alarm_each),
    Check::new("MON-05", mon_05_lambda_errors, CATALOG).costing(one_alarm_each),
    Check::new("MON-06", mon_06_s3_errors, CATALOG).costing(one_alarm_each),
    Check::new("MON-08", mon_08_dashboard, CATALOG).costing(|f| {
        vec![f.line(
            "a dashboard",
            1.0,
            "dashboards",
            f.prices.cloudwatch_dashboard_month,
        )]
    }),
    Check::new("MON-09", mon_09_log_retention, CATALOG)
        .on_plans()
        .expecting(|c| {
            format!(
                "retentionInDays >= {} (or never expire)",
                c.thresholds.log_retention_days
            )
        }),
];

fn one_alarm_each(f: &FixInput) -> Vec<CostLine> {
    f.alarms(1.0, "one alarm per resource")
}

pub fn mon_09_log_retention(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min = config.thresholds.log_retention_days;
    let mut out = Vec::new();
    for (region, logs) in regions(&inv.logs, &mut out) {
        for g in &logs.groups {
            if let Some(o) = super::delivery_class(g, region) {
                out.push(o);
                continue;
            }
            out.push(match g.retention_days {
                None => Outcome::pass(
                    &g.arn,
                    region,
                    "never expire",
                    format!("log group {} keeps its logs forever", g.name),
                ),
                Some(d) if d >= min => Outcome::pass(
                    &g.arn,
                    region,
                    format!("retentionInDays={d}"),
                    format!("log group {} keeps logs {d} days", g.name),
                ),
                Some(d) => Outcome::fail(
                    &g.arn,
                    region,
                    format!("retentionInDays={d}"),
                    format!(
                        "log group {} keeps logs only {d} days; at least {min} are needed",
                        g.name
                    ),
                ),
            });
        }
    }
    or_not_applicable(out, "log groups")
}

/// Whether an alarm watches one of `metrics` in `namespace` for the resource named by a
/// dimension (`dimension = value`), directly or through metric math.
fn watches(
    alarm: &Alarm,
    namespaces: &[&str],
    metrics: &[&str],
    dimension: &str,
    value: &str,
) -> bool {
    let matches = |m: &MetricRef| {
        namespaces.contains(&m.namespace.as_str())
            && metrics.contains(&m.name.as_str())
            && m.dimensions.get(dimension).map(String::as_str) == Some(value)
    };
    // An alarm that scales (target tracking creates CPU and memory alarms) pages nobody: it is
    // not the alarm the check asks for.
    !notifications::acts_on_its_own(alarm)
        && (alarm.metric.as_ref().is_some_and(matches)
            || alarm.math_metrics.iter().any(matches)
            || alarm
                .expressions
                .iter()
                .any(|e| queries(e, namespaces, metrics, dimension, value)))
}

/// Whether a Metrics Insights query reads one of `metrics` of `namespaces` for the resource
/// its `WHERE` clause names (`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/ECS", ClusterName,
/// ServiceName) WHERE ServiceName = 'api'`).
fn queries(
    expression: &str,
    namespaces: &[&str],
    metrics: &[&str],
    dimension: &str,
    value: &str,
) -> bool {
    let e = expression.replace(['"', '\''], "'");
    e.to_uppercase().contains("SELECT")
        && namespaces.iter().any(|n| e.contains(&format!("'{n}'")))
        && metrics.iter().any(|m| e.contains(&format!("({m})")))
        && e.contains(dimension)
        && e.contains(&format!("'{value}'"))
}

/// Whether an alarm's metric (or a metric of its math, or its query) carries `dimension`.
fn names_dimension(alarm: &Alarm, dimension: &str) -> bool {
    alarm
        .metric
        .iter()
        .chain(&alarm.math_metrics)
        .any(|m| m.dimensions.contains_key(dimension))
        || alarm.expressions.iter().any(|e| e.contains(dimension))
}

/// ECS metrics name a service by cluster and service: an alarm that names a cluster must name
/// the service's own (service names are unique only within a cluster).
fn in_cluster(alarm: &Alarm, s: &EcsService) -> bool {
    let cluster = s.cluster_arn.rsplit('/').next().unwrap_or_default();
    alarm
        .metric
        .iter()
        .chain(&alarm.math_metrics)
        .filter_map(|m| m.dimensions.get("ClusterName"))
        .all(|c| c == cluster)
}

/// A family of alarms (namespace, metrics, the dimension naming the resource) and how the
/// findings word it.
struct Watch {
    namespaces: &'static [&'static str],
    metrics: &'static [&'static str],
    dimension: &'static str,
    /// A dimension the metric is only published with, beside the resource's: an alarm without
    /// it never receives a datapoint.
    also: Option<&'static str>,
    /// What a resource without such an alarm lacks: "5xx alarm" …
    missing: &'static str,
    /// What such an alarm fires on: "5xx" …
    fires_on: &'static str,
}

impl Watch {
    /// PASS text naming the alarms that watch the resource (`what`, named `value` in the
    /// metric's dimension), or FAIL text.
    fn judge(&self, alarms: &[Alarm], what: &str, value: &str) -> Result<String, String> {
        let found: Vec<&Alarm> = alarms
            .iter()
            .filter(|a| watches(a, self.namespaces, self.metrics, self.dimension, value))
            .filter(|a| self.also.is_none_or(|d| names_dimension(a, d)))
            .collect();
        if found.is_empty() {
            Err(format!("{what} has no {}", self.missing))
        } else {
            Ok(format!(
                "{what} alarms on {} ({})",
                self.fires_on,
                names(&found)
            ))
        }
    }
}

const ALB_5XX: Watch = Watch {
    namespaces: &["AWS/ApplicationELB"],
    metrics: &[
        "HTTPCode_ELB_5XX_Count",
        "HTTPCode_Target_5XX_Count",
        "HTTPCode_ELB_500_Count",
        "HTTPCode_ELB_502_Count",
        "HTTPCode_ELB_503_Count",
        "HTTPCode_ELB_504_Count",
    ],
    dimension: "LoadBalancer",
    also: None,
    missing: "5xx alarm",
    fires_on: "5xx",
};

const DYNAMODB_THROTTLING: Watch = Watch {
    namespaces: &["AWS/DynamoDB"],
    metrics: &[
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "ReadProvisionedThroughputThrottleEvents",
        "WriteProvisionedThroughputThrottleEvents",
        "ReadKeyRangeThroughputThrottleEvents",
        "WriteKeyRangeThroughputThrottleEvents",
        "ReadMaxOnDemandThroughputThrottleEvents",
        "WriteMaxOnDemandThroughputThrottleEvents",
        "ReadAccountLimitThrottleEvents",
        "WriteAccountLimitThrottleEvents",
    ],
    dimension: "TableName",
    also: None,
    missing: "throttling alarm",
    fires_on: "throttling",
};

/// DynamoDB publishes ThrottledRequests per table *and operation*: an alarm on the table alone
/// never receives a datapoint.
const THROTTLED_REQUESTS: Watch = Watch {
    namespaces: &["AWS/DynamoDB"],
    metrics: &["ThrottledRequests"],
    dimension: "TableName",
    also: Some("Operation"),
    missing: "throttling alarm",
    fires_on: "throttling",
};

/// A table's throttling alarms: on its throttle events, or on its throttled requests per
/// operation.
fn throttling(alarms: &[Alarm], what: &str, table: &str) -> Result<String, String> {
    DYNAMODB_THROTTLING
        .judge(alarms, what, table)
        .or_else(|missing| {
            THROTTLED_REQUESTS
                .judge(alarms, what, table)
                .map_err(|_| missing)
        })
}

const LAMBDA_ERRORS: Watch = Watch {
    namespaces: &["AWS/Lambda"],
    metrics: &["Errors"],
    dimension: "FunctionName",
    also: None,
    missing: "Errors alarm",
    fires_on: "errors",
};

const S3_ERRORS: Watch = Watch {
    namespaces: &["AWS/S3"],
    metrics: &["4xxErrors", "5xxErrors"],
    dimension: "BucketName",
    also: Some("FilterId"),
    missing: "4xx/5xx error alarm",
    fires_on: "request errors",
};

/// The alarms of a region, or why they are not known.
fn alarms_in<'a>(
    inv: &'a Inventory,
    region: &str,
) -> Result<&'a [Alarm], Option<&'a CollectError>> {
    input(&inv.cloudwatch, region).map(|cw| cw.alarms.as_slice())
}

/// The names of the alarms that watch something, for the evidence.
fn names(alarms: &[&Alarm]) -> String {
    alarms
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The resource-judging skeleton shared by MON-01…06: for each resource of each region,
/// PASS when `covered` finds alarms, FAIL with `missing` otherwise, ERROR when CloudWatch
/// could not be read there or a planned alarm's resource is known only after apply.
fn judge_coverage<'a, R: 'a>(
    inv: &'a Inventory,
    resources: impl Iterator<Item = (&'a str, &'a R)>,
    arn: impl Fn(&R) -> &str,
    covered: impl Fn(&R, &'a [Alarm]) -> Result<String, String>,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, r) in resources {
        match alarms_in(inv, region) {
            Ok(alarms) => out.push(match covered(r, alarms) {
                Ok(msg) => Outcome::pass(arn(r), region, "alarmed", msg),
                // An alarm of a plan whose resource is known only after apply may be the one.
                Err(msg) => match input(&inv.cloudwatch, region)
                    .ok()
                    .and_then(|cw| cw.alarm_errors.first())
                {
                    Some(unknown) => Outcome::error(arn(r), &unknown.error),
                    None => Outcome::fail(arn(r), region, "no alarm", msg),
                },
            }),
            Err(Some(e)) => out.push(Outcome::error(arn(r), e)),
            Err(None) => {}
        }
    }
    out
}

fn ecs_services<'a>(inv: &'a Inventory, out: &mut Vec<Outcome>) -> Vec<(&'a str, &'a EcsService)> {
    ecs_service_parts(inv, out)
        .into_iter()
        .flat_map(|(r, ecs)| ecs.services.iter().map(move |s| (r, s)))
        .collect()
}

/// MON-01: CPU and memory alarms on every ECS service.
pub fn mon_01_ecs_utilization(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let services = ecs_services(inv, &mut out);
    out.extend(judge_coverage(
        inv,
        services.into_iter(),
        |s| &s.arn,
        |s, alarms| {
            let ns = ["AWS/ECS", "ECS/ContainerInsights"];
            let find = |metrics: &[&str]| -> Vec<&Alarm> {
                alarms
                    .iter()
                    .filter(|a| {
                        watches(a, &ns, metrics, "ServiceName", &s.name) && in_cluster(a, s)
                    })
                    .collect()
            };
            let (cpu, memory) = (
                find(&["CPUUtilization", "CpuUtilized"]),
                find(&["MemoryUtilization", "MemoryUtilized"]),
            );
            match (cpu.is_empty(), memory.is_empty()) {
                (false, false) => Ok(format!(
                    "service {} has CPU ({}) and memory ({}) alarms",
                    s.name,
                    names(&cpu),
                    names(&memory)
                )),
                (true, true) => Err(format!("service {} has no CPU or memory alarm", s.name)),
                (true, false) => Err(format!("service {} has no CPU alarm", s.name)),
                (false, true) => Err(format!("service {} has no memory alarm", s.name)),
            }
        },
    ));
    or_not_applicable(out, "ECS services")
}

/// MON-02: an alarm fires when an ECS service's tasks are unhealthy.
pub fn mon_02_unhealthy_tasks(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let services = ecs_services(inv, &mut out);
    out.extend(judge_coverage(inv, services.into_iter(), |s| &s.arn, |s, alarms| {
        // ALB metrics name a target group by the end of its ARN: `targetgroup/name/id`.
        let target_groups: Vec<&str> = s
            .load_balancers
            .iter()
            .filter_map(|l| l.target_group_arn.as_deref())
            .filter_map(|arn| arn.rsplit_once(':').map(|(_, tail)| tail))
            .collect();
        let found: Vec<&Alarm> = alarms
            .iter()
            .filter(|a| {
                target_groups.iter().any(|tg| watches(a, &["AWS/ApplicationELB", "AWS/NetworkELB"], &["UnHealthyHostCount", "HealthyHostCount"], "TargetGroup", tg))
                    || (watches(a, &["ECS/ContainerInsights"], &["RunningTaskCount"], "ServiceName", &s.name) && in_cluster(a, s))
            })
            .collect();
        if found.is_empty() {
            Err(format!("service {}: no alarm on unhealthy targets (UnHealthyHostCount) or running tasks (RunningTaskCount)", s.name))
        } else {
            Ok(format!("service {} is alarmed when its tasks are unhealthy ({})", s.name, names(&found)))
        }
    }));
    or_not_applicable(out, "ECS services")
}

/// MON-03: every application load balancer alarms on 5xx responses.
pub fn mon_03_alb_5xx(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let lbs: Vec<(&str, &LoadBalancer)> = regions(&inv.elbv2, &mut out)
        .into_iter()
        .flat_map(|(r, e)| {
            e.load_balancers
                .iter()
                .filter(|lb| lb.is_application())
                .map(move |lb| (r, lb))
        })
        .collect();
    out.extend(judge_coverage(
        inv,
        lbs.into_iter(),
        |lb| &lb.arn,
        |lb, alarms| {
            // ALB metrics name a load balancer by the end of its ARN: `app/name/id`.
            let id = lb
                .arn
                .split_once(":loadbalancer/")
                .map(|(_, id)| id)
                .unwrap_or_default();
            ALB_5XX.judge(alarms, &format!("load balancer {}", lb.name), id)
        },
    ));
    or_not_applicable(out, "application load balancers")
}

/// MON-04: every DynamoDB table alarms on throttling.
pub fn mon_04_dynamodb_throttling(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let tables: Vec<(&str, &Table)> = dynamodb_parts(inv, &mut out)
        .into_iter()
        .flat_map(|(r, d)| d.tables.iter().map(move |t| (r, t)))
        .filter(|(_, t)| !super::is_lock_table(t, config))
        .collect();
    out.extend(judge_coverage(
        inv,
        tables.into_iter(),
        |t| &t.arn,
        |t, alarms| throttling(alarms, &format!("table {}", t.name), &t.name),
    ));
    or_not_applicable(out, "DynamoDB tables")
}

/// MON-05: every Lambda function alarms on errors.
pub fn mon_05_lambda_errors(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let functions: Vec<(&str, &Function)> = regions(&inv.lambda, &mut out)
        .into_iter()
        .flat_map(|(r, l)| l.functions.iter().map(move |f| (r, f)))
        .collect();
    out.extend(judge_coverage(
        inv,
        functions.into_iter(),
        |f| &f.arn,
        |f, alarms| LAMBDA_ERRORS.judge(alarms, &format!("function {}", f.name), &f.name),
    ));
    or_not_applicable(out, "Lambda functions")
}

/// MON-06: data buckets alarm on request errors. S3 publishes request metrics only for a
/// bucket's metrics configuration, with its `FilterId` beside `BucketName`: an alarm without
/// a `FilterId` never receives a datapoint. (Whether the configuration exists is not read.)
pub fn mon_06_s3_errors(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let all = match buckets::all(inv) {
        Ok(b) => b,
        Err(o) => return vec![o],
    };
    let data: Vec<(&str, &Bucket)> = all
        .iter()
        .filter(|b| buckets::is_data(b, inv, config) && !buckets::is_replication_copy(b, all))
        .map(|b| (buckets::region(b), b))
        .collect();
    let out = judge_coverage(
        inv,
        data.into_iter(),
        |b| &b.arn,
        |b, alarms| S3_ERRORS.judge(alarms, &format!("bucket {}", b.name), &b.name),
    );
    or_not_applicable(out, "data buckets")
}

/// MON-08: at least one dashboard. An account-wide check.
pub fn mon_08_dashboard(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    let parts = regions(&inv.cloudwatch, &mut out);
    if let Some((region, name)) = parts
        .iter()
        .find_map(|(r, cw)| cw.dashboards.first().map(|d| (*r, d)))
    {
        let arn = format!(
            "arn:{}:cloudwatch::{}:dashboard/{name}",
            inv.partition(),
            inv.account_id
        );
        return vec![Outcome::pass(
            &arn,
            region,
            format!("dashboard {name}"),
            format!("dashboard {name} exists"),
        )];
    }
    if !out.is_empty() || parts.is_empty() {
        return or_not_applicable(out, "CloudWatch regions");
    }
    let account = format!(
        "arn:{}:cloudwatch::{}:dashboard",
        inv.partition(),
        inv.account_id
    );
    vec![Outcome::fail(
        &account,
        NOWHERE,
        "no dashboard",
        "no CloudWatch dashboard: nobody can see the service's health at a glance",
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::alarm;
    use crate::inventory::*;

    #[test]
    fn metric_math_alarms_count() {
        let mut a = alarm("math", &[]);
        a.math_metrics.push(MetricRef {
            namespace: "AWS/DynamoDB".into(),
            name: "ReadThrottleEvents".into(),
            dimensions: [("TableName".to_owned(), "maps".to_owned())].into(),
        });
        assert!(watches(
            &a,
            &["AWS/DynamoDB"],
            &["ReadThrottleEvents"],
            "TableName",
            "maps"
        ));
        assert!(!watches(
            &a,
            &["AWS/DynamoDB"],
            &["ReadThrottleEvents"],
            "TableName",
            "other"
        ));
    }

    fn ecs_alarm(name: &str, cluster: &str, actions: &[&str]) -> Alarm {
        let mut a = alarm(name, actions);
        a.metric = Some(MetricRef {
            namespace: "AWS/ECS".into(),
            name: "CPUUtilization".into(),
            dimensions: [
                ("ClusterName".to_owned(), cluster.to_owned()),
                ("ServiceName".to_owned(), "api".to_owned()),
            ]
            .into(),
        });
        a
    }

    #[test]
    fn an_alarm_counts_for_its_own_cluster_and_only_if_it_pages() {
        let s = crate::checks::testing::service("api", 3, 3);
        assert!(in_cluster(&ecs_alarm("cpu", "main", &[]), &s));
        assert!(!in_cluster(&ecs_alarm("cpu", "staging", &[]), &s));
        let scaling = "arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:1:resource/ecs/service/main/api:policyName/cpu";
        let a = ecs_alarm(
            "TargetTracking-service/main/api-AlarmHigh",
            "main",
            &[scaling],
        );
        assert!(!watches(
            &a,
            &["AWS/ECS"],
            &["CPUUtilization"],
            "ServiceName",
            "api"
        ));
        assert!(watches(
            &ecs_alarm("cpu", "main", &[]),
            &["AWS/ECS"],
            &["CPUUtilization"],
            "ServiceName",
            "api"
        ));
    }

    #[test]
    fn metrics_insights_alarms_count_for_the_resource_they_select() {
        let mut a = alarm("insights", &[]);
        a.expressions = vec!["SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/ECS\", ClusterName, ServiceName) WHERE ServiceName = 'api'".into()];
        assert!(watches(
            &a,
            &["AWS/ECS"],
            &["CPUUtilization"],
            "ServiceName",
            "api"
        ));
        assert!(!watches(
            &a,
            &["AWS/ECS"],
            &["CPUUtilization"],
            "ServiceName",
            "web"
        ));
        assert!(!watches(
            &a,
            &["AWS/ECS"],
            &["MemoryUtilization"],
            "ServiceName",
            "api"
        ));
    }

    #[test]
    fn s3_request_alarms_need_the_metrics_filter() {
        let mut a = alarm("s3-5xx", &[]);
        let mut metric = MetricRef {
            namespace: "AWS/S3".into(),
            name: "5xxErrors".into(),
            dimensions: [("BucketName".to_owned(), "data".to_owned())].into(),
        };
        a.metric = Some(metric.clone());
        assert!(S3_ERRORS
            .judge(&[a.clone()], "bucket data", "data")
            .is_err());
        metric
            .dimensions
            .insert("FilterId".into(), "EntireBucket".into());
        a.metric = Some(metric);
        assert!(S3_ERRORS.judge(&[a], "bucket data", "data").is_ok());
    }

    #[test]
    fn throttled_requests_counts_only_per_operation() {
        let mut a = alarm("throttles", &[]);
        let mut metric = MetricRef {
            namespace: "AWS/DynamoDB".into(),
            name: "ThrottledRequests".into(),
            dimensions: [("TableName".to_owned(), "maps".to_owned())].into(),
        };
        a.metric = Some(metric.clone());
        assert!(throttling(&[a.clone()], "table maps", "maps").is_err());
        metric
            .dimensions
            .insert("Operation".into(), "PutItem".into());
        a.metric = Some(metric);
        assert!(throttling(&[a], "table maps", "maps").is_ok());
    }
}
