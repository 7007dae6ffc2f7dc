//! EC2: subnets (the zones services run in), security groups and flow logs. The calls live
//! in the `prodready-aws` crate, which keeps the slow-to-compile EC2 client out of this one.
//! Each is its own collector, so that a permission missing for one does not hide the others.

use aws_config::SdkConfig;
use prodready_aws::{ApiFailure, CallOutcome};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{
    Ec2, FlowLog, FlowLogs, IngressRule, SecurityGroup, SecurityGroups, Subnet,
};

/// Records the calls an EC2 read made and turns its failure into a `CollectError`.
fn settle<T>(
    ctx: &Ctx,
    operation: &str,
    calls: Vec<CallOutcome>,
    result: Result<T, ApiFailure>,
) -> Result<T, CollectError> {
    for call in &calls {
        ctx.log().record(
            ctx.service,
            call.operation,
            &ctx.region,
            call.failure.as_ref(),
        );
    }
    result.map_err(|f| CollectError::new(ctx.service, operation, &ctx.region, f))
}

pub async fn subnets(ctx: Ctx, config: SdkConfig) -> Result<Ec2, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_subnets(&config, ctx.gate(), &mut calls).await;
    let subnets = settle(&ctx, "DescribeSubnets", calls, result)?;
    Ok(Ec2 {
        subnets: subnets
            .into_iter()
            .map(|s| Subnet {
                id: s.id,
                vpc_id: s.vpc_id,
                availability_zone: s.availability_zone,
            })
            .collect(),
    })
}

pub async fn security_groups(ctx: Ctx, config: SdkConfig) -> Result<SecurityGroups, CollectError> {
    let mut calls = Vec::new();
    let result =
        prodready_aws::ec2::describe_security_groups(&config, ctx.gate(), &mut calls).await;
    let groups = settle(&ctx, "DescribeSecurityGroups", calls, result)?;
    Ok(SecurityGroups {
        groups: groups
            .into_iter()
            .map(|g| SecurityGroup {
                id: g.id,
                name: g.name,
                vpc_id: g.vpc_id,
                ingress: g
                    .ingress
                    .into_iter()
                    .map(|r| IngressRule {
                        protocol: r.protocol,
                        from_port: r.from_port,
                        to_port: r.to_port,
                        ipv4_ranges: r.ipv4_ranges,
                        ipv6_ranges: r.ipv6_ranges,
                        source_groups: r.source_groups,
                    })
                    .collect(),
            })
            .collect(),
    })
}

pub async fn flow_logs(ctx: Ctx, config: SdkConfig) -> Result<FlowLogs, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_flow_logs(&config, ctx.gate(), &mut calls).await;
    let logs = settle(&ctx, "DescribeFlowLogs", calls, result)?;
    Ok(FlowLogs {
        flow_logs: logs
            .into_iter()
            .map(|f| FlowLog {
                id: f.id,
                resource_id: f.resource_id,
                status: f.status,
                traffic_type: f.traffic_type,
            })
            .collect(),
    })
}
