//! Phase 2 — Auto-scaling: ECS services grow and shrink with load.

use super::Check;
use super::{ecs_service_parts, ha, input, Outcome, Status};
use crate::config::Config;
use crate::inventory::{AutoScaling, EcsService, Inventory, ScalableTarget, ScalingPolicy};

const CATALOG: &str = "checks/scaling.toml";

pub const CHECKS: &[Check] = &[
    Check::new("SCALE-01", scale_01_scalable_target, CATALOG).expecting(|c| {
        format!(
            "a scalable target ecs:service:DesiredCount with min >= {} and max > min",
            c.thresholds.min_scaling_capacity
        )
    }),
    Check::new("SCALE-02", scale_02_scaling_policy, CATALOG),
];

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
                // A planned target or policy whose service is known only after apply may be
                // this service's.
                Ok(a) => match (judge(region, s, a), a.unknown.first()) {
                    (o, Some(unknown)) if o.status == Status::Fail => {
                        Outcome::error(&s.arn, &unknown.error)
                    }
                    (o, _) => o,
                },
                Err(Some(e)) => Outcome::error(&s.arn, e),
                Err(None) => Outcome::not_collected("Application Auto Scaling"),
            });
        }
    }
    ha::replicas_or_not_applicable(out, inv)
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

/// Why a policy moves nothing: a step policy no alarm sets off, or a predictive policy that
/// only forecasts (its default mode, `ForecastOnly`).
fn idle(p: &ScalingPolicy) -> Option<&'static str> {
    match p.kind.as_str() {
        "StepScaling" if p.alarms == Some(0) => Some("no alarm sets it off"),
        "PredictiveScaling" if p.predictive_mode.as_deref() == Some("ForecastOnly") => {
            Some("it only forecasts (ForecastOnly)")
        }
        _ => None,
    }
}

/// SCALE-02: the scalable target has a policy that moves it.
pub fn scale_02_scaling_policy(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    judge_services(inv, |region, s, scaling| {
        let id = resource_id(s);
        let (acting, idle): (Vec<&ScalingPolicy>, Vec<&ScalingPolicy>) = scaling
            .policies
            .iter()
            .filter(|p| p.resource_id == id && p.dimension == DIMENSION)
            .partition(|p| idle(p).is_none());
        let policies: Vec<String> = acting
            .iter()
            .map(|p| format!("{} ({})", p.name, p.kind))
            .collect();
        if target(scaling, s).is_some_and(|t| t.scale_out_suspended) && !policies.is_empty() {
            return Outcome::fail(
                &s.arn,
                region,
                format!("{}; dynamic scale-out suspended", policies.join(", ")),
                format!(
                    "the scaling policies of service {} cannot add tasks: dynamic scale-out is suspended",
                    s.name
                ),
            );
        }
        if policies.is_empty() && !idle.is_empty() {
            let why: Vec<String> = idle
                .iter()
                .map(|p| {
                    format!(
                        "{} ({}): {}",
                        p.name,
                        p.kind,
                        self::idle(p).unwrap_or_default()
                    )
                })
                .collect();
            return Outcome::fail(
                &s.arn,
                region,
                why.join("; "),
                format!(
                    "the scaling policies of service {} never change its task count",
                    s.name
                ),
            );
        }
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
            cluster_arn: "arn:aws:ecs:eu-west-1:1:cluster/mra-mines".into(),
            ..crate::checks::testing::service("frontend", 1, 1)
        };
        assert_eq!(resource_id(&s), "service/mra-mines/frontend");
    }

    #[test]
    fn scale_02_wants_a_policy_that_moves_the_task_count() {
        use crate::checks::testing::{inventory_at, service, statuses, REGION};
        use crate::checks::Status;
        let policy = |kind: &str, alarms: Option<usize>, mode: Option<&str>| ScalingPolicy {
            name: "p".into(),
            resource_id: "service/main/api".into(),
            dimension: DIMENSION.into(),
            kind: kind.into(),
            alarms,
            predictive_mode: mode.map(str::to_owned),
        };
        let judge = |policy: ScalingPolicy, suspended: bool| {
            let mut inv = inventory_at("2026-11-27T00:00:00Z");
            inv.ecs.insert(
                REGION.into(),
                Collected::Ok(Ecs {
                    services: vec![service("api", 3, 3)],
                    ..Ecs::default()
                }),
            );
            inv.autoscaling.insert(
                REGION.into(),
                Collected::Ok(AutoScaling {
                    targets: vec![ScalableTarget {
                        resource_id: "service/main/api".into(),
                        dimension: DIMENSION.into(),
                        min_capacity: 3,
                        max_capacity: 10,
                        scale_out_suspended: suspended,
                    }],
                    policies: vec![policy],
                    unknown: vec![],
                }),
            );
            statuses(&scale_02_scaling_policy(&inv, &Config::default()))
        };
        assert_eq!(
            judge(policy("TargetTrackingScaling", Some(2), None), false),
            [Status::Pass]
        );
        assert_eq!(
            judge(policy("StepScaling", Some(1), None), false),
            [Status::Pass]
        );
        // A step policy no alarm sets off, a forecast-only predictive policy: nothing moves.
        assert_eq!(
            judge(policy("StepScaling", Some(0), None), false),
            [Status::Fail]
        );
        assert_eq!(
            judge(
                policy("PredictiveScaling", Some(0), Some("ForecastOnly")),
                false
            ),
            [Status::Fail]
        );
        assert_eq!(
            judge(
                policy("PredictiveScaling", Some(0), Some("ForecastAndScale")),
                false
            ),
            [Status::Pass]
        );
        // Dynamic scale-out suspended: the policies cannot add tasks.
        assert_eq!(
            judge(policy("TargetTrackingScaling", Some(2), None), true),
            [Status::Fail]
        );
    }
}
