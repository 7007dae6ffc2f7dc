//! Elastic Load Balancing v2: load balancers and target groups. Both lists carry every field
//! the rules need but where each load balancer writes its access logs, which its attributes
//! say: one DescribeLoadBalancerAttributes per load balancer (no list carries them).

use aws_config::SdkConfig;

use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
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
            access_logs_bucket: None,
            attributes_error: None,
        })
        .collect::<Vec<LoadBalancer>>();
    let load_balancers = stream::iter(load_balancers)
        .map(|lb| access_logs(&ctx, &client, lb))
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect::<Vec<Result<LoadBalancer, CollectError>>>()
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
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
            health_check_interval_seconds: tg.health_check_interval_seconds(),
            healthy_threshold: tg.healthy_threshold_count(),
            unhealthy_threshold: tg.unhealthy_threshold_count(),
        })
        .collect();
    let mut load_balancers = load_balancers;
    load_balancers.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(Elbv2 {
        load_balancers,
        target_groups,
        incomplete: None,
    })
}

/// The access-log bucket of one load balancer. Gateway load balancers have no access logs.
async fn access_logs(
    ctx: &Ctx,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    mut lb: LoadBalancer,
) -> Result<LoadBalancer, CollectError> {
    if lb.is_gateway() {
        return Ok(lb);
    }
    let call = client
        .describe_load_balancer_attributes()
        .load_balancer_arn(&lb.arn)
        .send();
    // A load balancer whose attributes cannot be read is kept with that error: only HARD-04's
    // allowance for its log bucket depends on them.
    let out = match ctx.call("DescribeLoadBalancerAttributes", call).await {
        Ok(out) => out,
        Err(e) if e.is_interrupted() => return Err(e),
        Err(e) => {
            lb.attributes_error = Some(e);
            return Ok(lb);
        }
    };
    let attribute = |key: &str| {
        out.attributes()
            .iter()
            .find(|a| a.key() == Some(key))
            .and_then(|a| a.value())
    };
    if attribute("access_logs.s3.enabled") == Some("true") {
        lb.access_logs_bucket = attribute("access_logs.s3.bucket")
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
    }
    Ok(lb)
}
