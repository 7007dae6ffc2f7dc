//! EC2 reads. Each function pages to the end and reports every call it made.

use aws_config::SdkConfig;
use tokio::sync::Semaphore;

use crate::{classify, ApiFailure, CallOutcome};

/// A subnet and the availability zone it lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: String,
}

/// All subnets of the region. One paginated call; accounts hold few subnets, so reading
/// all of them is cheaper than one call per subnet a service names.
pub async fn describe_subnets(
    config: &SdkConfig,
    gate: &Semaphore,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<Subnet>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let mut pages = client.describe_subnets().into_paginator().send();
    let mut subnets = Vec::new();
    loop {
        let page = {
            // The gate is never closed; were it closed, the call would simply go ungated.
            let _permit = gate.acquire().await.ok();
            pages.next().await
        };
        match page {
            None => break,
            Some(Ok(page)) => {
                calls.push(CallOutcome {
                    operation: "DescribeSubnets",
                    failure: None,
                });
                subnets.extend(page.subnets().iter().map(|s| Subnet {
                    id: s.subnet_id().unwrap_or_default().to_owned(),
                    vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
                    availability_zone: s.availability_zone().unwrap_or_default().to_owned(),
                }));
            }
            Some(Err(err)) => {
                let failure = classify(&err);
                calls.push(CallOutcome {
                    operation: "DescribeSubnets",
                    failure: Some(failure.clone()),
                });
                return Err(failure);
            }
        }
    }
    Ok(subnets)
}
