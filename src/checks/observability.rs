//! Phase 4 — Enhanced Monitoring: Container Insights, tracing, VPC flow logs.

use std::collections::BTreeSet;

use super::Check;
use super::NOWHERE;
use super::{
    ecs_service_parts, ecs_task_definition_parts, input, or_not_applicable, regions, Outcome,
};
use crate::config::Config;
use crate::inventory::Inventory;

const CATALOG: &str = "checks/observability.toml";

pub const CHECKS: &[Check] = &[
    Check::new("OBS-01", obs_01_container_insights, CATALOG),
    Check::new("OBS-02", obs_02_tracing, CATALOG),
    Check::new("OBS-03", obs_03_flow_logs, CATALOG),
];

/// OBS-01.
pub fn obs_01_container_insights(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in regions(&inv.ecs, &mut out) {
        for c in &ecs.clusters {
            let setting = c.container_insights.as_deref().unwrap_or("unset");
            let observed = format!("containerInsights={setting}");
            out.push(if matches!(setting, "enabled" | "enhanced") {
                Outcome::pass(&c.arn, region, observed, format!("cluster {} reports task-level metrics", c.name))
            } else {
                Outcome::fail(&c.arn, region, observed, format!("cluster {} has no Container Insights: no per-task CPU, memory or restart metrics", c.name))
            });
        }
    }
    or_not_applicable(out, "ECS clusters")
}

/// Images that trace: the X-Ray daemon, OpenTelemetry collectors (AWS's distribution or
/// upstream), and CloudWatch Application Signals' agent and auto-instrumentation. Each is a
/// word of the image's repository name, so `hotel-api` is not a tracer.
const TRACING_IMAGES: &[&str] = &[
    "xray",
    "otel",
    "opentelemetry",
    "cloudwatch-agent",
    "adot-autoinstrumentation",
];

/// Whether an image's repository (the path before its tag or digest) names a tracer as a word.
fn traces(image: &str) -> bool {
    let repository = image
        .split('@')
        .next()
        .unwrap_or(image)
        .rsplit_once(':')
        .filter(|(_, tag)| !tag.contains('/'))
        .map_or(image, |(repository, _)| repository)
        .to_lowercase()
        .replace(['/', '.', '_'], "-");
    let words = format!("-{repository}-");
    TRACING_IMAGES
        .iter()
        .any(|t| words.contains(&format!("-{t}-")))
}

/// OBS-02.
pub fn obs_02_tracing(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_task_definition_parts(inv, &mut out) {
        for s in &ecs.services {
            let td = s
                .task_definition
                .as_deref()
                .and_then(|arn| ecs.task_definitions.iter().find(|t| t.arn == arn));
            let tracer = td.and_then(|td| {
                td.containers
                    .iter()
                    .find(|c| traces(c.image.as_deref().unwrap_or_default()))
            });
            out.push(match tracer {
                Some(c) => Outcome::pass(
                    &s.arn,
                    region,
                    format!("sidecar {}", c.name),
                    format!(
                        "service {} sends traces through its {} container",
                        s.name, c.name
                    ),
                ),
                None => Outcome::fail(
                    &s.arn,
                    region,
                    "no X-Ray daemon or OpenTelemetry collector container",
                    format!(
                        "service {} is not traced: no X-Ray or OpenTelemetry sidecar",
                        s.name
                    ),
                ),
            });
        }
    }
    or_not_applicable(out, "ECS services")
}

/// OBS-03: every VPC that hosts ECS tasks records its traffic.
pub fn obs_03_flow_logs(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        let task_subnets: BTreeSet<&str> = ecs
            .services
            .iter()
            .flat_map(|s| s.subnets.iter().map(String::as_str))
            .collect();
        if task_subnets.is_empty() {
            continue;
        }
        let (ec2, flow) = match (input(&inv.ec2, region), input(&inv.flow_logs, region)) {
            (Ok(ec2), Ok(flow)) => (ec2, flow),
            (Err(Some(e)), _) | (_, Err(Some(e))) => {
                out.push(Outcome::error(NOWHERE, e));
                continue;
            }
            _ => continue,
        };
        // A flow log records the traffic when it is active, delivers (a FAILED delivery
        // records nothing anyone can read), and keeps accepted traffic (REJECT alone misses
        // every connection that got through).
        let active = |resource: &str| {
            flow.flow_logs.iter().any(|f| {
                f.resource_id == resource
                    && f.status.as_deref() == Some("ACTIVE")
                    && f.deliver_logs_status.as_deref() != Some("FAILED")
                    && f.traffic_type.as_deref() != Some("REJECT")
            })
        };
        let mut vpcs: BTreeSet<&str> = BTreeSet::new();
        for id in &task_subnets {
            if let Some(sn) = ec2.subnets.iter().find(|sn| sn.id == *id) {
                vpcs.insert(sn.vpc_id.as_str());
            }
        }
        for vpc in vpcs {
            let arn = format!(
                "arn:{}:ec2:{region}:{}:vpc/{vpc}",
                inv.partition(),
                inv.account_id
            );
            let subnets_of_vpc: Vec<&str> = task_subnets
                .iter()
                .copied()
                .filter(|id| {
                    ec2.subnets
                        .iter()
                        .any(|sn| sn.id == *id && sn.vpc_id == vpc)
                })
                .collect();
            out.push(if active(vpc) {
                Outcome::pass(
                    &arn,
                    region,
                    "VPC flow log ACTIVE",
                    format!("traffic of VPC {vpc} is recorded"),
                )
            } else if subnets_of_vpc.iter().all(|id| active(id)) {
                Outcome::pass(
                    &arn,
                    region,
                    "subnet flow logs ACTIVE",
                    format!("traffic of the task subnets of VPC {vpc} is recorded"),
                )
            } else {
                Outcome::fail(
                    &arn,
                    region,
                    "no active flow log",
                    format!(
                        "VPC {vpc} hosts ECS tasks but records none of its traffic: no flow log"
                    ),
                )
            });
        }
    }
    or_not_applicable(out, "VPCs hosting ECS tasks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracers_are_named_by_a_word_of_the_repository() {
        assert!(traces("public.ecr.aws/xray/aws-xray-daemon:3.3.12"));
        assert!(traces(
            "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
        ));
        assert!(traces("otel/opentelemetry-collector-contrib@sha256:00"));
        assert!(traces(
            "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
        ));
        assert!(!traces(
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hotel-api:1.0"
        ));
        assert!(!traces("nginx:stable"));
    }

    #[test]
    fn obs_03_wants_a_flow_log_that_delivers_accepted_traffic() {
        use crate::checks::testing::{inventory_at, service, statuses, REGION};
        use crate::checks::Status;
        use crate::inventory::*;
        let judge = |traffic: &str, delivery: &str| {
            let mut inv = inventory_at("2026-11-27T00:00:00Z");
            let mut s = service("api", 3, 3);
            s.subnets = vec!["subnet-a".into()];
            inv.ecs.insert(
                REGION.into(),
                Collected::Ok(Ecs {
                    services: vec![s],
                    ..Ecs::default()
                }),
            );
            inv.ec2.insert(
                REGION.into(),
                Collected::Ok(Ec2 {
                    subnets: vec![Subnet {
                        id: "subnet-a".into(),
                        vpc_id: "vpc-1".into(),
                        availability_zone: "eu-west-1a".into(),
                    }],
                }),
            );
            inv.flow_logs.insert(
                REGION.into(),
                Collected::Ok(FlowLogs {
                    flow_logs: vec![FlowLog {
                        id: "fl-1".into(),
                        resource_id: "vpc-1".into(),
                        status: Some("ACTIVE".into()),
                        traffic_type: Some(traffic.into()),
                        deliver_logs_status: Some(delivery.into()),
                    }],
                }),
            );
            statuses(&obs_03_flow_logs(&inv, &Config::default()))
        };
        assert_eq!(judge("ALL", "SUCCESS"), [Status::Pass]);
        assert_eq!(judge("ACCEPT", "SUCCESS"), [Status::Pass]);
        assert_eq!(judge("REJECT", "SUCCESS"), [Status::Fail]);
        assert_eq!(judge("ALL", "FAILED"), [Status::Fail]);
    }
}
