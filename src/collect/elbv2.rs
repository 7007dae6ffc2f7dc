//! Elastic Load Balancing v2: load balancers and target groups. Both lists carry every field
//! the rules need, so there is no per-resource call.

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Elbv2, LoadBalancer, TargetGroup};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Elbv2, CollectError> {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let (lbs, tgs) = tokio::try_join!(
        ctx.pages(
            "DescribeLoadBalancers",
            client
                .describe_load_balancers()
                .page_size(400)
                .into_paginator()
                .send()
        ),
        ctx.pages(
            "DescribeTargetGroups",
            client
                .describe_target_groups()
                .page_size(400)
                .into_paginator()
                .send()
        ),
    )?;
    let load_balancers = lbs
        .iter()
        .flat_map(|p| p.load_balancers())
        .map(|lb| LoadBalancer {
            arn: lb.load_balancer_arn().unwrap_or_default().to_owned(),
            name: lb.load_balancer_name().unwrap_or_default().to_owned(),
            kind: lb
                .r#type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            scheme: lb.scheme().map(|s| s.as_str().to_owned()),
            availability_zones: lb
                .availability_zones()
                .iter()
                .filter_map(|z| z.zone_name().map(str::to_owned))
                .collect(),
            security_groups: lb.security_groups().to_vec(),
        })
        .collect();
    let target_groups = tgs
        .iter()
        .flat_map(|p| p.target_groups())
        .map(|tg| TargetGroup {
            arn: tg.target_group_arn().unwrap_or_default().to_owned(),
            name: tg.target_group_name().unwrap_or_default().to_owned(),
            load_balancer_arns: tg.load_balancer_arns().to_vec(),
            protocol: tg.protocol().map(|p| p.as_str().to_owned()),
            port: tg.port(),
            target_type: tg.target_type().map(|t| t.as_str().to_owned()),
            health_check_enabled: tg.health_check_enabled(),
            health_check_path: tg.health_check_path().map(str::to_owned),
        })
        .collect();
    Ok(Elbv2 {
        load_balancers,
        target_groups,
    })
}
