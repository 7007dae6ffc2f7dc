//! EC2 reads. Each function pages to the end and reports every call it made. The types are
//! the inventory's own (re-exported there), so nothing is copied field by field.

use aws_config::SdkConfig;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::{classify, ApiFailure, CallOutcome};

/// A subnet and the availability zone it lives in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: String,
}

/// Reads one paginated EC2 list to the end, through the gate, recording each page.
macro_rules! pages {
    ($gate:expr, $calls:expr, $op:literal, $paginator:expr, |$page:ident| $take:expr) => {{
        let mut pages = $paginator;
        let mut items = Vec::new();
        loop {
            let (page, attempts) = {
                let _permit = $gate.acquire().await.ok();
                $crate::http::attempt_unless_interrupted(pages.next()).await
            };
            let Some(page) = page else {
                let failure = ApiFailure::interrupted();
                $calls.push(CallOutcome {
                    operation: $op,
                    attempts,
                    failure: Some(failure.clone()),
                });
                return Err(failure);
            };
            match page {
                None => break,
                Some(Ok($page)) => {
                    $calls.push(CallOutcome {
                        operation: $op,
                        attempts,
                        failure: None,
                    });
                    items.extend($take);
                }
                Some(Err(err)) => {
                    let failure = classify(&err);
                    $calls.push(CallOutcome {
                        operation: $op,
                        attempts,
                        failure: Some(failure.clone()),
                    });
                    return Err(failure);
                }
            }
        }
        items
    }};
}

/// All subnets of the region. One paginated call; accounts hold few subnets, so reading
/// all of them is cheaper than one call per subnet a service names.
pub async fn describe_subnets(
    config: &SdkConfig,
    gate: &Semaphore,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<Subnet>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let subnets = pages!(
        gate,
        calls,
        "DescribeSubnets",
        client
            .describe_subnets()
            .max_results(1000)
            .into_paginator()
            .send(),
        |page| page.subnets().iter().map(|s| Subnet {
            id: s.subnet_id().unwrap_or_default().to_owned(),
            vpc_id: s.vpc_id().unwrap_or_default().to_owned(),
            availability_zone: s.availability_zone().unwrap_or_default().to_owned(),
        })
    );
    Ok(subnets)
}

/// A security group's ingress rules, flattened to what exposure checks need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: Option<String>,
    pub ingress: Vec<IngressRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp`, `icmp`, or `-1` for every protocol.
    pub protocol: String,
    /// Absent for "all traffic" rules.
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    /// Source security groups (traffic from members of those groups only).
    pub source_groups: Vec<String>,
}

/// A VPC, subnet or network-interface flow log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    pub resource_id: String,
    pub status: Option<String>,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: Option<String>,
    /// `DeliverLogsStatus`: `SUCCESS`, or `FAILED` when the role or the destination's policy
    /// keeps the records from arriving.
    #[serde(default)]
    pub deliver_logs_status: Option<String>,
}

/// All security groups of the region with their ingress rules.
pub async fn describe_security_groups(
    config: &SdkConfig,
    gate: &Semaphore,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<SecurityGroup>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let groups = pages!(
        gate,
        calls,
        "DescribeSecurityGroups",
        client
            .describe_security_groups()
            .max_results(1000)
            .into_paginator()
            .send(),
        |page| page.security_groups().iter().map(|g| SecurityGroup {
            id: g.group_id().unwrap_or_default().to_owned(),
            name: g.group_name().unwrap_or_default().to_owned(),
            vpc_id: g.vpc_id().map(str::to_owned),
            ingress: g
                .ip_permissions()
                .iter()
                .map(|p| IngressRule {
                    protocol: p.ip_protocol().unwrap_or("-1").to_owned(),
                    from_port: p.from_port(),
                    to_port: p.to_port(),
                    ipv4_ranges: p
                        .ip_ranges()
                        .iter()
                        .filter_map(|r| r.cidr_ip().map(str::to_owned))
                        .collect(),
                    ipv6_ranges: p
                        .ipv6_ranges()
                        .iter()
                        .filter_map(|r| r.cidr_ipv6().map(str::to_owned))
                        .collect(),
                    source_groups: p
                        .user_id_group_pairs()
                        .iter()
                        .filter_map(|u| u.group_id().map(str::to_owned))
                        .collect(),
                })
                .collect(),
        })
    );
    Ok(groups)
}

/// All flow logs of the region.
pub async fn describe_flow_logs(
    config: &SdkConfig,
    gate: &Semaphore,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<FlowLog>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let logs = pages!(
        gate,
        calls,
        "DescribeFlowLogs",
        client
            .describe_flow_logs()
            .max_results(1000)
            .into_paginator()
            .send(),
        |page| page.flow_logs().iter().map(|f| FlowLog {
            id: f.flow_log_id().unwrap_or_default().to_owned(),
            resource_id: f.resource_id().unwrap_or_default().to_owned(),
            status: f.flow_log_status().map(str::to_owned),
            traffic_type: f.traffic_type().map(|t| t.as_str().to_owned()),
            deliver_logs_status: f.deliver_logs_status().map(str::to_owned),
        })
    );
    Ok(logs)
}

/// A NAT gateway: billed by the hour from creation until deleted, and per GB it processes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatGateway {
    pub id: String,
    pub subnet_id: String,
    /// `pending`, `available`, `deleting`, `deleted` or `failed`.
    pub state: Option<String>,
    /// `public` (with Elastic IP addresses) or `private`.
    pub connectivity_type: Option<String>,
    /// Its public IPv4 addresses: each is billed as one.
    pub public_ips: usize,
}

pub async fn describe_nat_gateways(
    config: &SdkConfig,
    gate: &Semaphore,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<NatGateway>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let gateways = pages!(
        gate,
        calls,
        "DescribeNatGateways",
        client
            .describe_nat_gateways()
            .max_results(1000)
            .into_paginator()
            .send(),
        |page| page.nat_gateways().iter().map(|n| NatGateway {
            id: n.nat_gateway_id().unwrap_or_default().to_owned(),
            subnet_id: n.subnet_id().unwrap_or_default().to_owned(),
            state: n.state().map(|s| s.as_str().to_owned()),
            connectivity_type: n.connectivity_type().map(|c| c.as_str().to_owned()),
            public_ips: n
                .nat_gateway_addresses()
                .iter()
                .filter(|a| a.public_ip().is_some())
                .count(),
        })
    );
    Ok(gateways)
}

/// The regions enabled for the account (`DescribeRegions` without `AllRegions`: opt-in
/// regions the account has not opted into are left out), sorted. One call.
pub async fn describe_regions(
    config: &SdkConfig,
    calls: &mut Vec<CallOutcome>,
) -> Result<Vec<String>, ApiFailure> {
    let client = aws_sdk_ec2::Client::new(config);
    let (answer, attempts) =
        crate::http::attempt_unless_interrupted(client.describe_regions().send()).await;
    let answer = answer.ok_or_else(ApiFailure::interrupted);
    let result = answer.and_then(|r| r.map_err(|e| classify(&e)));
    calls.push(CallOutcome {
        operation: "DescribeRegions",
        attempts,
        failure: result.as_ref().err().cloned(),
    });
    let mut regions: Vec<String> = result?
        .regions()
        .iter()
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    Ok(regions)
}
