//! Application Auto Scaling: the ECS services' scalable targets and their policies, two
//! paginated lists per region whatever the number of services.

use aws_config::SdkConfig;
use aws_sdk_applicationautoscaling::types::ServiceNamespace;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{AutoScaling, ScalableTarget, ScalingPolicy};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<AutoScaling, CollectError> {
    let client = aws_sdk_applicationautoscaling::Client::new(&config);
    let (targets, policies) = tokio::join!(
        ctx.pages(
            "DescribeScalableTargets",
            client
                .describe_scalable_targets()
                .service_namespace(ServiceNamespace::Ecs)
                .max_results(50)
                .into_paginator()
                .send(),
        ),
        ctx.pages(
            "DescribeScalingPolicies",
            client
                .describe_scaling_policies()
                .service_namespace(ServiceNamespace::Ecs)
                .max_results(50)
                .into_paginator()
                .send(),
        ),
    );
    let mut targets: Vec<ScalableTarget> = targets?
        .iter()
        .flat_map(|p| p.scalable_targets())
        .map(|t| ScalableTarget {
            resource_id: t.resource_id().to_owned(),
            dimension: t.scalable_dimension().as_str().to_owned(),
            min_capacity: t.min_capacity(),
            max_capacity: t.max_capacity(),
            scale_out_suspended: t
                .suspended_state()
                .and_then(|s| s.dynamic_scaling_out_suspended())
                .unwrap_or(false),
        })
        .collect();
    let mut policies: Vec<ScalingPolicy> = policies?
        .iter()
        .flat_map(|p| p.scaling_policies())
        .map(|p| ScalingPolicy {
            name: p.policy_name().to_owned(),
            resource_id: p.resource_id().to_owned(),
            dimension: p.scalable_dimension().as_str().to_owned(),
            kind: p.policy_type().as_str().to_owned(),
            alarms: Some(p.alarms().len()),
            predictive_mode: p
                .predictive_scaling_policy_configuration()
                .map(|c| c.mode().map_or("ForecastOnly", |m| m.as_str()).to_owned()),
        })
        .collect();
    targets.sort_by(|a, b| a.resource_id.cmp(&b.resource_id));
    policies.sort_by(|a, b| (&a.resource_id, &a.name).cmp(&(&b.resource_id, &b.name)));
    Ok(AutoScaling {
        targets,
        policies,
        unknown: Vec::new(),
    })
}
