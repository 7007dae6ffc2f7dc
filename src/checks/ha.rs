//! Phase 1 — High Availability: ECS services, their load balancers and their zones.

use std::collections::BTreeSet;

use super::{ecs_service_parts, input, or_not_applicable, Outcome};
use super::{Check, FixInput};
use crate::catalog::prices::{assuming, oks, task_hour, CostLine, HOURS_PER_MONTH};
use crate::config::Config;
use crate::inventory::{EcsService, Elbv2, Inventory};

const CATALOG: &str = "checks/ha.toml";

/// Named for the recovery estimates, whose cheapest change may be their fixes.
pub(super) const HA_01: Check = Check::new("HA-01", ha_01_desired_count, CATALOG)
    .expecting(|c| format!("desiredCount >= {}", c.thresholds.min_desired_count))
    .costing(ha_01_fix_cost)
    .on_plans();
pub(super) const HA_05: Check = Check::new("HA-05", ha_05_availability_zones, CATALOG)
    .expecting(|c| {
        format!(
            "subnets and load balancer span >= {} availability zones",
            c.thresholds.min_availability_zones
        )
    })
    .costing(ha_05_fix_cost);

pub const CHECKS: &[Check] = &[
    HA_01,
    Check::new("HA-02", ha_02_running_count, CATALOG),
    Check::new("HA-03", ha_03_load_balancer, CATALOG).costing(ha_03_fix_cost),
    Check::new("HA-04", ha_04_health_checks, CATALOG),
    HA_05,
    Check::new("HA-06", ha_06_deployment_capacity, CATALOG).expecting(|c| {
        format!(
            "minimumHealthyPercent >= {} and maximumPercent >= {}",
            c.thresholds.min_healthy_percent, c.thresholds.max_percent
        )
    }),
];

/// The tasks each service below the threshold must add, at its task definition's size.
fn ha_01_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let min = f.config.thresholds.min_desired_count;
    let mut lines = Vec::new();
    for s in oks(&f.inv.ecs)
        .flat_map(|e| &e.services)
        .filter(|s| s.desired_count < min && !s.is_daemon())
    {
        // The new tasks go where the service's strategy places them.
        let target = EcsService {
            desired_count: min,
            ..s.clone()
        }
        .placement();
        let now = s.placement();
        let (on_demand, spot) = (
            target.fargate - now.fargate,
            target.fargate_spot - now.fargate_spot,
        );
        for (tasks, spot, kind) in [(on_demand, false, ""), (spot, true, " on Fargate Spot")] {
            if tasks > 0.0 {
                let (hour, size) = task_hour(f.inv, s.task_definition.as_deref(), f.prices, spot);
                lines.push(f.line(
                    &format!("{tasks} more task(s) of {}{kind} ({size})", s.name),
                    tasks * HOURS_PER_MONTH,
                    "task-hours",
                    hour,
                ));
            }
        }
    }
    lines
}

fn ha_03_fix_cost(f: &FixInput) -> Vec<CostLine> {
    vec![
        f.line(
            "an Application Load Balancer",
            HOURS_PER_MONTH,
            "ALB-hours",
            f.prices.alb_hour,
        ),
        assuming(
            f.line(
                "its capacity",
                f.assumptions.alb_lcu * HOURS_PER_MONTH,
                "LCU-hours",
                f.prices.alb_lcu_hour,
            ),
            format!("{} LCU on average", f.assumptions.alb_lcu),
        ),
        // Internet-facing, it holds a public IPv4 address in each of its zones, and an ALB
        // needs two zones at least (ELB's CreateLoadBalancer).
        f.line(
            "its public IPv4 addresses (two zones)",
            2.0 * HOURS_PER_MONTH,
            "address-hours",
            f.prices.public_ipv4_hour,
        ),
    ]
}

/// Spreading a service over more zones: tasks without a public IP reach ECR and AWS's APIs
/// through a NAT gateway, and the zone-independent layout (Amazon VPC's user guide: a NAT
/// gateway in each zone, each zone's tasks routed to their own) needs one in every zone,
/// beyond the zones that have one already; each public gateway holds a public IPv4 address.
fn ha_05_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let min = f.config.thresholds.min_availability_zones;
    let failing: BTreeSet<String> = ha_05_availability_zones(f.inv, f.config)
        .into_iter()
        .filter(|o| o.status == super::Status::Fail)
        .filter_map(|o| o.resource_arn)
        .collect();
    let mut lines = Vec::new();
    for (region, ecs) in f.inv.ecs.iter().filter_map(|(r, e)| Some((r, e.ok()?))) {
        let private = ecs
            .services
            .iter()
            .any(|s| failing.contains(&s.arn) && s.assign_public_ip != Some(true));
        if !private {
            continue;
        }
        let subnets = f.inv.ec2.get(region).and_then(|e| e.ok());
        let zones_with_nat: BTreeSet<&str> = f
            .inv
            .nat_gateways
            .get(region)
            .and_then(|n| n.ok())
            .into_iter()
            .flat_map(|n| n.billed())
            .filter_map(|g| {
                let subnet = subnets?.subnets.iter().find(|s| s.id == g.subnet_id)?;
                Some(subnet.availability_zone.as_str())
            })
            .collect();
        let needed = min.saturating_sub(zones_with_nat.len()) as f64;
        if needed > 0.0 {
            lines.push(f.line(
                &format!("a NAT gateway in each zone without one ({region})"),
                needed * HOURS_PER_MONTH,
                "gateway-hours",
                f.prices.nat_gateway_hour,
            ));
            lines.push(f.line(
                &format!("their public IPv4 addresses ({region})"),
                needed * HOURS_PER_MONTH,
                "address-hours",
                f.prices.public_ipv4_hour,
            ));
            lines.push(assuming(
                f.line(
                    &format!("their data processed ({region})"),
                    needed * f.assumptions.nat_gb_per_gateway,
                    "GB",
                    f.prices.nat_gateway_gb,
                ),
                format!(
                    "{} GB per gateway per month",
                    f.assumptions.nat_gb_per_gateway
                ),
            ));
        }
    }
    lines
}

const WHAT: &str = "ECS services";

/// The deployment controller of a service that ECS does not roll itself: `CODE_DEPLOY`
/// (blue/green) or `EXTERNAL`. A service that does not report one uses `ECS`.
pub(super) fn other_controller(s: &EcsService) -> Option<&str> {
    s.deployment_controller.as_deref().filter(|c| *c != "ECS")
}

/// Whether a service's task definition maps no container port: it listens nowhere (a queue
/// worker, a scheduler). Unknown (not read) counts as listening.
fn listens_nowhere(s: &EcsService, ecs: &crate::inventory::Ecs) -> bool {
    let Some(td) = s
        .task_definition
        .as_deref()
        .and_then(|arn| ecs.task_definitions.iter().find(|t| t.arn == arn))
    else {
        return false;
    };
    td.containers
        .iter()
        .all(|c| c.ports.as_ref().is_some_and(Vec::is_empty))
}

/// Daemon services run one task per container instance; counts do not apply to them.
/// NOT_APPLICABLE when no service was judged: none at all, or only DAEMON services, which
/// run one task per container instance and have no count to set.
pub(super) fn replicas_or_not_applicable(out: Vec<Outcome>, inv: &Inventory) -> Vec<Outcome> {
    let daemons = inv
        .ecs
        .values()
        .filter_map(crate::inventory::Collected::ok)
        .flat_map(|e| &e.services)
        .any(EcsService::is_daemon);
    if out.is_empty() && daemons {
        return vec![Outcome::not_applicable(
            "only DAEMON services in the scanned regions: each runs one task per container instance and has no count to set",
        )];
    }
    or_not_applicable(out, WHAT)
}

pub(super) fn is_replica(s: &EcsService) -> bool {
    !s.is_daemon()
}

pub fn ha_01_desired_count(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min = config.thresholds.min_desired_count;
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        for s in ecs.services.iter().filter(|s| is_replica(s)) {
            let observed = format!("desiredCount={}", s.desired_count);
            out.push(if s.desired_count >= min {
                Outcome::pass(&s.arn, region, observed, format!("service {} wants {} tasks", s.name, s.desired_count))
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    observed,
                    format!("service {} wants {} task(s); at least {min} are needed to survive the loss of one", s.name, s.desired_count),
                )
            });
        }
    }
    replicas_or_not_applicable(out, inv)
}

pub fn ha_02_running_count(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        for s in ecs.services.iter().filter(|s| is_replica(s)) {
            let observed = format!(
                "runningCount={} desiredCount={}",
                s.running_count, s.desired_count
            );
            out.push(if s.running_count >= s.desired_count {
                Outcome::pass(
                    &s.arn,
                    region,
                    observed,
                    format!(
                        "service {} runs all {} wanted tasks",
                        s.name, s.desired_count
                    ),
                )
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    observed,
                    format!(
                        "service {} runs {} of the {} tasks it wants",
                        s.name, s.running_count, s.desired_count
                    ),
                )
            });
        }
    }
    replicas_or_not_applicable(out, inv)
}

/// The load balancers a service's target groups route from: Application and Network Load
/// Balancers, both of which ECS registers tasks with, spread requests over them and stop
/// sending to unhealthy ones (gateway load balancers do not front services).
fn serving_load_balancers<'a>(
    s: &EcsService,
    elbv2: &'a Elbv2,
) -> Vec<&'a crate::inventory::LoadBalancer> {
    let mut lbs = Vec::new();
    for tg_arn in s
        .load_balancers
        .iter()
        .filter_map(|l| l.target_group_arn.as_deref())
    {
        let Some(tg) = elbv2.target_groups.iter().find(|t| t.arn == tg_arn) else {
            continue;
        };
        for lb_arn in &tg.load_balancer_arns {
            if let Some(lb) = elbv2
                .load_balancers
                .iter()
                .find(|l| &l.arn == lb_arn && matches!(l.kind.as_str(), "application" | "network"))
            {
                if !lbs
                    .iter()
                    .any(|x: &&crate::inventory::LoadBalancer| x.arn == lb.arn)
                {
                    lbs.push(lb);
                }
            }
        }
    }
    lbs
}

pub fn ha_03_load_balancer(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        let elbv2 = input(&inv.elbv2, region);
        for s in &ecs.services {
            let elbv2 = match elbv2 {
                Ok(e) => e,
                Err(Some(e)) => {
                    out.push(Outcome::error(&s.arn, e));
                    continue;
                }
                Err(None) => &Elbv2::default(),
            };
            let lbs = serving_load_balancers(s, elbv2);
            let classic = s
                .load_balancers
                .iter()
                .find_map(|l| l.load_balancer_name.as_deref());
            out.push(if let Some(lb) = lbs.first() {
                Outcome::pass(&s.arn, region, format!("behind {} ({})", lb.name, lb.kind), format!("service {} is behind {} load balancer {}", s.name, lb.kind, lb.name))
            } else if let Some(name) = classic {
                Outcome::pass(&s.arn, region, format!("behind Classic Load Balancer {name}"), format!("service {} is behind Classic Load Balancer {name} (ECS supports it outside awsvpc networking; its settings are not read)", s.name))
            } else if s.load_balancers.is_empty() && listens_nowhere(s, ecs) {
                Outcome::not_applicable_to(&s.arn, region, "no load balancer, no port mapping", format!("service {} maps no container port: it serves no inbound traffic (a worker) and has nothing to balance", s.name))
            } else if s.load_balancers.is_empty() && !is_replica(s) {
                Outcome::not_applicable_to(&s.arn, region, "DAEMON service without a load balancer", format!("service {} runs one task per container instance and serves no load-balanced traffic", s.name))
            } else if s.load_balancers.is_empty() {
                Outcome::fail(&s.arn, region, "no load balancer", format!("service {} is not behind any load balancer", s.name))
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    "target group not attached to an application or network load balancer",
                    format!("service {} registers with a target group that no load balancer routes to", s.name),
                )
            });
        }
    }
    or_not_applicable(out, WHAT)
}

pub fn ha_04_health_checks(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        let elbv2 = input(&inv.elbv2, region);
        for s in ecs.services.iter().filter(|s| !s.load_balancers.is_empty()) {
            let elbv2 = match elbv2 {
                Ok(e) => e,
                Err(Some(e)) => {
                    out.push(Outcome::error(&s.arn, e));
                    continue;
                }
                Err(None) => &Elbv2::default(),
            };
            let mut problems = Vec::new();
            match s.health_check_grace_period_seconds {
                Some(g) if g > 0 => {}
                _ => problems.push("no health check grace period".to_owned()),
            }
            for tg_arn in s
                .load_balancers
                .iter()
                .filter_map(|l| l.target_group_arn.as_deref())
            {
                match elbv2.target_groups.iter().find(|t| t.arn == tg_arn) {
                    Some(tg) if tg.health_check_enabled == Some(false) => problems.push(format!(
                        "target group {} has its health check disabled",
                        tg.name
                    )),
                    Some(_) => {}
                    None => problems.push(format!("target group {tg_arn} not found")),
                }
            }
            let grace = s
                .health_check_grace_period_seconds
                .map_or("unset".to_owned(), |g| format!("{g}s"));
            out.push(if problems.is_empty() {
                Outcome::pass(
                    &s.arn,
                    region,
                    format!("grace period {grace}; target group health checks enabled"),
                    format!("service {} is health-checked", s.name),
                )
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    problems.join("; "),
                    format!("service {}: {}", s.name, problems.join("; ")),
                )
            });
        }
    }
    or_not_applicable(out, "load-balanced ECS services")
}

/// The availability zones of a service's subnets, and the subnets not found (none are when
/// the subnets were not read).
pub(super) fn subnet_zones<'a>(
    ec2: Option<&'a crate::inventory::Ec2>,
    subnets: &'a [String],
) -> (BTreeSet<&'a str>, Vec<&'a str>) {
    let mut zones = BTreeSet::new();
    let mut unknown = Vec::new();
    for id in subnets {
        match ec2.and_then(|e| e.subnets.iter().find(|sn| &sn.id == id)) {
            Some(sn) => {
                zones.insert(sn.availability_zone.as_str());
            }
            None => unknown.push(id.as_str()),
        }
    }
    (zones, unknown)
}

pub fn ha_05_availability_zones(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min = config.thresholds.min_availability_zones;
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        for s in ecs.services.iter().filter(|s| !s.subnets.is_empty()) {
            let (ec2, elbv2) = match (input(&inv.ec2, region), input(&inv.elbv2, region)) {
                (Err(Some(e)), _) | (_, Err(Some(e))) => {
                    out.push(Outcome::error(&s.arn, e));
                    continue;
                }
                (ec2, elbv2) => (ec2.ok(), elbv2.ok()),
            };
            let (zones, unknown) = subnet_zones(ec2, &s.subnets);
            let mut problems = Vec::new();
            if zones.len() < min {
                problems.push(format!(
                    "tasks run in {} zone(s): {}",
                    zones.len(),
                    zones.iter().copied().collect::<Vec<_>>().join(", ")
                ));
            }
            if !unknown.is_empty() {
                problems.push(format!("subnet(s) not found: {}", unknown.join(", ")));
            }
            let mut observed = vec![format!(
                "service zones [{}]",
                zones.iter().copied().collect::<Vec<_>>().join(", ")
            )];
            if let Some(elbv2) = elbv2 {
                for lb in serving_load_balancers(s, elbv2) {
                    observed.push(format!(
                        "{} zones [{}]",
                        lb.name,
                        lb.availability_zones.join(", ")
                    ));
                    if lb.availability_zones.len() < min {
                        problems.push(format!(
                            "load balancer {} spans {} zone(s)",
                            lb.name,
                            lb.availability_zones.len()
                        ));
                    }
                }
            }
            let observed = observed.join("; ");
            out.push(if problems.is_empty() {
                Outcome::pass(
                    &s.arn,
                    region,
                    observed,
                    format!(
                        "service {} spans {} availability zones",
                        s.name,
                        zones.len()
                    ),
                )
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    observed,
                    format!("service {}: {}", s.name, problems.join("; ")),
                )
            });
        }
    }
    or_not_applicable(out, "ECS services with VPC networking")
}

pub fn ha_06_deployment_capacity(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let t = &config.thresholds;
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        for s in ecs.services.iter().filter(|s| is_replica(s)) {
            if let Some(controller) = other_controller(s) {
                out.push(Outcome::not_applicable_to(
                    &s.arn,
                    region,
                    format!("deploymentController={controller}"),
                    format!(
                        "{} deploys {}: minimumHealthyPercent and maximumPercent bound only the ECS rolling update (and, for {controller}, tasks on draining container instances)",
                        controller, s.name
                    ),
                ));
                continue;
            }
            // ECS applies 100 % / 200 % to replica services that do not set them.
            let d = s.deployment.as_ref();
            let min_healthy = d.and_then(|d| d.minimum_healthy_percent).unwrap_or(100);
            let max = d.and_then(|d| d.maximum_percent).unwrap_or(200);
            let observed = format!("minimumHealthyPercent={min_healthy} maximumPercent={max}");
            out.push(if min_healthy >= t.min_healthy_percent && max >= t.max_percent {
                Outcome::pass(&s.arn, region, observed, format!("deployments of {} keep full capacity", s.name))
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    observed,
                    format!("deployments of {} can drop to {min_healthy} % of its tasks or start too few replacements", s.name),
                )
            });
        }
    }
    replicas_or_not_applicable(out, inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, service, statuses};
    use crate::checks::Status;
    use crate::inventory::*;

    fn inventory(services: Vec<EcsService>) -> Inventory {
        let mut inv = Inventory::default();
        inv.ecs.insert(
            "eu-west-1".into(),
            Collected::Ok(Ecs {
                services,
                ..Ecs::default()
            }),
        );
        inv.elbv2
            .insert("eu-west-1".into(), Collected::Ok(Elbv2::default()));
        inv.ec2
            .insert("eu-west-1".into(), Collected::Ok(Ec2::default()));
        inv
    }

    #[test]
    fn running_below_desired_fails() {
        // moto reports runningCount = desiredCount once a service settles, so the
        // degraded case is also covered here on a built inventory.
        let inv = inventory(vec![service("a", 3, 3), service("b", 3, 1)]);
        assert_eq!(
            statuses(&ha_02_running_count(&inv, &Config::default())),
            [Status::Pass, Status::Fail]
        );
    }

    #[test]
    fn daemon_services_are_not_counted() {
        let mut s = service("agent", 1, 1);
        s.scheduling_strategy = Some("DAEMON".into());
        let out = ha_01_desired_count(&inventory(vec![s]), &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable]);
    }

    #[test]
    fn threshold_comes_from_config() {
        let inv = inventory(vec![service("a", 2, 2)]);
        let mut config = Config::default();
        assert_eq!(
            statuses(&ha_01_desired_count(&inv, &config)),
            [Status::Fail]
        );
        config.thresholds.min_desired_count = 2;
        assert_eq!(
            statuses(&ha_01_desired_count(&inv, &config)),
            [Status::Pass]
        );
    }

    #[test]
    fn unreadable_load_balancers_make_ha_03_an_error_not_a_failure() {
        let mut inv = inventory(vec![service("a", 3, 3)]);
        inv.elbv2.insert(
            "eu-west-1".into(),
            Collected::Error(denied("elbv2", "DescribeTargetGroups", "eu-west-1")),
        );
        let out = ha_03_load_balancer(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Error]);
        assert!(
            out[0]
                .message
                .contains("elasticloadbalancing:DescribeTargetGroups"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn network_load_balancers_serve_services_and_gateway_ones_do_not() {
        let mut s = service("a", 3, 3);
        s.load_balancers.push(ServiceLoadBalancer {
            target_group_arn: Some("tg".into()),
            load_balancer_name: None,
            container_name: None,
            container_port: None,
        });
        let mut inv = inventory(vec![s]);
        inv.elbv2.insert(
            "eu-west-1".into(),
            Collected::Ok(Elbv2 {
                load_balancers: vec![LoadBalancer {
                    arn: "nlb".into(),
                    name: "nlb".into(),
                    kind: "network".into(),
                    scheme: None,
                    availability_zones: vec![],
                    security_groups: vec![],
                    access_logs_bucket: None,
                    attributes_error: None,
                }],
                target_groups: vec![TargetGroup {
                    arn: "tg".into(),
                    name: "tg".into(),
                    load_balancer_arns: vec!["nlb".into()],
                    protocol: None,
                    port: None,
                    target_type: None,
                    health_check_enabled: Some(true),
                    health_check_path: None,
                    health_check_interval_seconds: None,
                    healthy_threshold: None,
                    unhealthy_threshold: None,
                }],
                incomplete: None,
            }),
        );
        let out = ha_03_load_balancer(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(out[0].observed, "behind nlb (network)");
        if let Some(Collected::Ok(e)) = inv.elbv2.get_mut("eu-west-1") {
            e.load_balancers[0].kind = "gateway".into();
        }
        assert_eq!(
            statuses(&ha_03_load_balancer(&inv, &Config::default())),
            [Status::Fail]
        );
    }

    #[test]
    fn unreported_deployment_configuration_means_ecs_defaults() {
        let inv = inventory(vec![service("a", 3, 3)]);
        let out = ha_06_deployment_capacity(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(
            out[0].observed,
            "minimumHealthyPercent=100 maximumPercent=200"
        );
    }

    #[test]
    fn unknown_subnet_fails_ha_05_naming_it() {
        let mut s = service("a", 3, 3);
        s.subnets = vec!["subnet-gone".into()];
        let out = ha_05_availability_zones(&inventory(vec![s]), &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].message.contains("subnet-gone"));
    }

    #[test]
    fn ha_06_leaves_blue_green_and_external_deployments_out() {
        let mut blue_green = service("bg", 3, 3);
        blue_green.deployment_controller = Some("CODE_DEPLOY".into());
        blue_green.deployment = Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(0),
            maximum_percent: Some(100),
            circuit_breaker_enabled: None,
            circuit_breaker_rollback: None,
            alarms: None,
        });
        let mut external = service("ext", 3, 3);
        external.deployment_controller = Some("EXTERNAL".into());
        let mut rolling = service("ecs", 3, 3);
        rolling.deployment_controller = Some("ECS".into());
        let out = ha_06_deployment_capacity(
            &inventory(vec![blue_green, external, rolling]),
            &Config::default(),
        );
        assert_eq!(
            statuses(&out),
            [Status::NotApplicable, Status::NotApplicable, Status::Pass]
        );
        assert_eq!(out[0].observed, "deploymentController=CODE_DEPLOY");
    }

    #[test]
    fn one_cluster_that_cannot_be_read_is_an_error_and_the_others_are_judged() {
        let mut inv = inventory(vec![service("a", 3, 3)]);
        if let Some(Collected::Ok(ecs)) = inv.ecs.get_mut("eu-west-1") {
            ecs.service_errors.push(ResourceError {
                resource: "arn:aws:ecs:eu-west-1:111122223333:cluster/locked".into(),
                error: denied("ecs", "ListServices", "eu-west-1"),
            });
        }
        let out = ha_01_desired_count(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Error, Status::Pass]);
        assert_eq!(
            out[0].resource_arn.as_deref(),
            Some("arn:aws:ecs:eu-west-1:111122223333:cluster/locked")
        );
        assert!(out[0].message.contains("ecs:ListServices"));
    }

    #[test]
    fn a_worker_that_maps_no_port_needs_no_load_balancer() {
        let td = |arn: &str, ports: Option<Vec<i32>>| TaskDefinition {
            cpu_architecture: None,
            arn: arn.into(),
            family: arn.into(),
            revision: 1,
            cpu: None,
            memory: None,
            containers: vec![Container {
                name: "app".into(),
                image: None,
                environment: vec![],
                secrets: vec![],
                log_group: None,
                ports,
                health_check: None,
            }],
        };
        let mut worker = service("worker", 3, 3);
        worker.task_definition = Some("worker:1".into());
        let mut web = service("web", 3, 3);
        web.task_definition = Some("web:1".into());
        let mut unknown = service("unknown", 3, 3);
        unknown.task_definition = Some("old:1".into());
        let mut inv = inventory(vec![worker, web, unknown]);
        if let Some(Collected::Ok(ecs)) = inv.ecs.get_mut("eu-west-1") {
            ecs.task_definitions = vec![
                td("worker:1", Some(vec![])),
                td("web:1", Some(vec![8080])),
                // Read before ports were: listening, as far as anyone knows.
                td("old:1", None),
            ];
        }
        let out = ha_03_load_balancer(&inv, &Config::default());
        assert_eq!(
            statuses(&out),
            [Status::NotApplicable, Status::Fail, Status::Fail]
        );
    }

    #[test]
    fn spreading_private_tasks_over_zones_adds_a_nat_gateway_where_a_zone_has_none() {
        let subnet = |id: &str, zone: &str| Subnet {
            id: id.into(),
            vpc_id: "vpc-1".into(),
            availability_zone: zone.into(),
        };
        let gateway = |id: &str, subnet: &str, state: &str| NatGateway {
            id: id.into(),
            subnet_id: subnet.into(),
            state: Some(state.into()),
            connectivity_type: Some("public".into()),
            public_ips: 1,
        };
        let fix_lines = |public_ip: Option<bool>, gateways: Vec<NatGateway>| {
            let mut private = service("api", 3, 3);
            private.subnets = vec!["subnet-a".into()];
            private.assign_public_ip = public_ip;
            let mut inv = inventory(vec![private]);
            inv.ec2.insert(
                "eu-west-1".into(),
                Collected::Ok(Ec2 {
                    subnets: vec![
                        subnet("subnet-a", "eu-west-1a"),
                        subnet("subnet-b", "eu-west-1b"),
                    ],
                }),
            );
            inv.nat_gateways
                .insert("eu-west-1".into(), Collected::Ok(NatGateways { gateways }));
            let prices = crate::assess::cost::PriceTable::embedded();
            let config = Config::default();
            ha_05_fix_cost(&FixInput {
                id: crate::checks::find("HA-05").unwrap().id,
                failing: 1.0,
                inv: &inv,
                config: &config,
                prices: &prices.regions["eu-west-1"],
                assumptions: &prices.assumptions,
            })
        };
        // One gateway in zone a, one deleted in zone b: zone b still needs one.
        let lines = fix_lines(
            Some(false),
            vec![
                gateway("nat-a", "subnet-a", "available"),
                gateway("nat-b", "subnet-b", "deleted"),
            ],
        );
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert_eq!(lines[0].quantity, 730.0);
        assert!(lines[0].item.starts_with("HA-05: a NAT gateway"));
        assert_eq!(lines[1].unit, "address-hours");
        // None yet: one per zone, the two zones the threshold asks for.
        assert_eq!(fix_lines(None, vec![])[0].quantity, 2.0 * 730.0);
        // Tasks with public addresses need no gateway.
        assert!(fix_lines(Some(true), vec![]).is_empty());
    }
}
