//! Phase 2 — Auto-scaling: ECS services grow and shrink with load.

use super::{ecs_service_parts, ha, input, or_not_applicable, Outcome};
use crate::config::Config;
use crate::inventory::{AutoScaling, EcsService, Inventory, ScalableTarget};

const DIMENSION: &str = "ecs:service:DesiredCount";

/// Application Auto Scaling's name for a service: `service/CLUSTER/SERVICE`.
fn resource_id(s: &EcsService) -> String {
    let cluster = s.cluster_arn.rsplit('/').next().unwrap_or_default();
    format!("service/{cluster}/{}", s.name)
}

fn target<'a>(scaling: &'a AutoScaling, s: &EcsService) -> Option<&'a ScalableTarget> {
    let id = resource_id(s);
    scaling
        .targets
        .iter()
        .find(|t| t.resource_id == id && t.dimension == DIMENSION)
}

/// Runs `judge` on each replica service with its region's scaling settings.
fn judge_services(
    inv: &Inventory,
    mut judge: impl FnMut(&str, &EcsService, &AutoScaling) -> Outcome,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        let scaling = input(&inv.autoscaling, region);
        for s in ecs.services.iter().filter(|s| ha::is_replica(s)) {
            out.push(match scaling {
                Ok(a) => judge(region, s, a),
                Err(Some(e)) => Outcome::error(&s.arn, e),
                Err(None) => Outcome::not_collected("Application Auto Scaling"),
            });
        }
    }
    or_not_applicable(out, "ECS services")
}

/// SCALE-01: each service has a scalable target whose floor survives a lost task and whose
/// ceiling leaves room to grow.
pub fn scale_01_scalable_target(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min = config.thresholds.min_scaling_capacity;
    judge_services(inv, |region, s, scaling| {
        let Some(t) = target(scaling, s) else {
            return Outcome::fail(
                &s.arn,
                region,
                "no scalable target",
                format!(
                    "service {} runs a fixed {} task(s) whatever the load",
                    s.name, s.desired_count
                ),
            );
        };
        let observed = format!("min={} max={}", t.min_capacity, t.max_capacity);
        if t.min_capacity >= min && t.max_capacity > t.min_capacity {
            Outcome::pass(
                &s.arn,
                region,
                observed,
                format!(
                    "service {} scales between {} and {} tasks",
                    s.name, t.min_capacity, t.max_capacity
                ),
            )
        } else if t.max_capacity <= t.min_capacity {
            Outcome::fail(
                &s.arn,
                region,
                observed,
                format!("service {} cannot scale out: max is not above min", s.name),
            )
        } else {
            Outcome::fail(
                &s.arn,
                region,
                observed,
                format!(
                    "service {} may scale in to {} task(s); at least {min} survive the loss of one",
                    s.name, t.min_capacity
                ),
            )
        }
    })
}

/// SCALE-02: the scalable target has a policy that moves it.
pub fn scale_02_scaling_policy(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    judge_services(inv, |region, s, scaling| {
        let id = resource_id(s);
        let policies: Vec<String> = scaling
            .policies
            .iter()
            .filter(|p| p.resource_id == id && p.dimension == DIMENSION)
            .map(|p| format!("{} ({})", p.name, p.kind))
            .collect();
        if policies.is_empty() {
            let why = if target(scaling, s).is_some() {
                "a scalable target but no scaling policy"
            } else {
                "no scalable target, so no scaling policy"
            };
            Outcome::fail(
                &s.arn,
                region,
                why,
                format!(
                    "nothing changes the task count of service {} under load",
                    s.name
                ),
            )
        } else {
            Outcome::pass(
                &s.arn,
                region,
                policies.join(", "),
                format!("service {} scales on a policy", s.name),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::*;

    #[test]
    fn the_resource_id_is_the_cluster_name_and_service_name() {
        let s = EcsService {
            arn: "arn:aws:ecs:eu-west-1:1:service/mra-mines/frontend".into(),
            name: "frontend".into(),
            cluster_arn: "arn:aws:ecs:eu-west-1:1:cluster/mra-mines".into(),
            status: None,
            launch_type: None,
            scheduling_strategy: None,
            desired_count: 1,
            running_count: 1,
            task_definition: None,
            load_balancers: vec![],
            health_check_grace_period_seconds: None,
            deployment: None,
            subnets: vec![],
            security_groups: vec![],
            assign_public_ip: None,
            deployment_controller: None,
        };
        assert_eq!(resource_id(&s), "service/mra-mines/frontend");
    }
}
