//! EC2: subnets (for the availability zones services run in). The calls themselves live in
//! the `prodready-aws` crate, which keeps the slow-to-compile EC2 client out of this one.

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Ec2, Subnet};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Ec2, CollectError> {
    let mut calls = Vec::new();
    let result = prodready_aws::ec2::describe_subnets(&config, ctx.gate(), &mut calls).await;
    for call in &calls {
        ctx.log().record(
            ctx.service,
            call.operation,
            &ctx.region,
            call.failure.as_ref(),
        );
    }
    let subnets =
        result.map_err(|f| CollectError::new(ctx.service, "DescribeSubnets", &ctx.region, f))?;
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
