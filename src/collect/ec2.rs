//! EC2: subnets (the zones services run in), security groups, flow logs and NAT gateways. The calls live
//! in the `prodready-aws` crate, which keeps the slow-to-compile EC2 client out of this one.
//! Each is its own collector, so that a permission missing for one does not hide the others.

use aws_config::SdkConfig;
use prodready_aws::{ApiFailure, CallOutcome};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Ec2, FlowLogs, NatGateways, SecurityGroups};

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
            call.attempts,
            call.failure.as_ref(),
        );
    }
    result.map_err(|f| CollectError::new(ctx.service, operation, &ctx.region, f))
}

pub async fn subnets(ctx: Ctx, config: SdkConfig) -> Result<Ec2, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_subnets(&config, ctx.gate(), &mut calls).await;
    let subnets = settle(&ctx, "DescribeSubnets", calls, result)?;
    Ok(Ec2 { subnets })
}

pub async fn security_groups(ctx: Ctx, config: SdkConfig) -> Result<SecurityGroups, CollectError> {
    let mut calls = Vec::new();
    let result =
        prodready_aws::ec2::describe_security_groups(&config, ctx.gate(), &mut calls).await;
    let groups = settle(&ctx, "DescribeSecurityGroups", calls, result)?;
    Ok(SecurityGroups { groups })
}

pub async fn nat_gateways(ctx: Ctx, config: SdkConfig) -> Result<NatGateways, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_nat_gateways(&config, ctx.gate(), &mut calls).await;
    let gateways = settle(&ctx, "DescribeNatGateways", calls, result)?;
    Ok(NatGateways { gateways })
}

pub async fn flow_logs(ctx: Ctx, config: SdkConfig) -> Result<FlowLogs, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_flow_logs(&config, ctx.gate(), &mut calls).await;
    let flow_logs = settle(&ctx, "DescribeFlowLogs", calls, result)?;
    Ok(FlowLogs { flow_logs })
}
