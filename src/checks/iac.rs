//! Infrastructure as Code: with a Terraform state given, every resource of the application
//! that no state manages was made by hand (drift from the code). Resources AWS makes itself
//! are not judged.

use super::addresses::{inputs, Index};
use super::{buckets, or_not_applicable, state, Check, Outcome, NOWHERE};
use crate::catalog::prices::oks;
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

const CATALOG: &str = "checks/iac.toml";

pub const CHECKS: &[Check] = &[Check::new("IAC-01", iac_01_managed_by_terraform, CATALOG)];

/// A resource to judge: the ARN a finding names, the identifier a state would hold (its ARN
/// or AWS id), what it is, its name and region.
struct Candidate {
    arn: String,
    id: String,
    what: &'static str,
    name: String,
    region: String,
}

fn candidate(arn: &str, id: &str, what: &'static str, name: &str, region: &str) -> Candidate {
    Candidate {
        arn: arn.to_owned(),
        id: id.to_owned(),
        what,
        name: name.to_owned(),
        region: region.to_owned(),
    }
}

/// Whether AWS made the resource itself: a VPC's default security group, Lambda's and
/// Container Insights' log groups, the alarms target tracking makes, and what AWS Control
/// Tower deploys into every enrolled account (its trail, topics, buckets and log groups, named
/// `aws-controltower…`), which its own stack sets manage.
fn made_by_aws(what: &str, name: &str) -> bool {
    if name.starts_with("aws-controltower") || name.starts_with("/aws-controltower") {
        return true;
    }
    match what {
        "security group" => name == "default",
        "log group" => {
            name.starts_with("/aws/lambda/") || name.starts_with("/aws/ecs/containerinsights/")
        }
        "alarm" => name.starts_with("TargetTracking-"),
        _ => false,
    }
}

/// The regions whose part was read, and the part.
fn read<T>(part: &crate::inventory::Regional<T>) -> impl Iterator<Item = (&str, &T)> {
    part.iter()
        .filter_map(|(r, c)| c.ok().map(|v| (r.as_str(), v)))
}

fn regional_candidates(inv: &Inventory, out: &mut Vec<Candidate>) {
    for (r, ecs) in read(&inv.ecs) {
        out.extend(
            ecs.clusters
                .iter()
                .map(|c| candidate(&c.arn, &c.arn, "ECS cluster", &c.name, r)),
        );
        out.extend(
            ecs.services
                .iter()
                .map(|s| candidate(&s.arn, &s.arn, "ECS service", &s.name, r)),
        );
    }
    for (r, e) in read(&inv.elbv2) {
        out.extend(
            e.load_balancers
                .iter()
                .map(|l| candidate(&l.arn, &l.arn, "load balancer", &l.name, r)),
        );
        out.extend(
            e.target_groups
                .iter()
                .map(|t| candidate(&t.arn, &t.arn, "target group", &t.name, r)),
        );
    }
    for (r, d) in read(&inv.dynamodb) {
        out.extend(
            d.tables
                .iter()
                .map(|t| candidate(&t.arn, &t.arn, "table", &t.name, r)),
        );
    }
    for (r, l) in read(&inv.logs) {
        out.extend(
            l.groups
                .iter()
                .map(|g| candidate(&g.arn, &g.arn, "log group", &g.name, r)),
        );
    }
    for (r, k) in read(&inv.kms) {
        out.extend(
            k.keys
                .iter()
                .filter(|k| {
                    k.is_customer_managed() && k.state.as_deref() != Some("PendingDeletion")
                })
                .map(|k| candidate(&k.arn, &k.arn, "KMS key", &k.id, r)),
        );
    }
    more_regional_candidates(inv, out);
}

fn more_regional_candidates(inv: &Inventory, out: &mut Vec<Candidate>) {
    for (r, c) in read(&inv.cloudwatch) {
        out.extend(
            c.alarms
                .iter()
                .map(|a| candidate(&a.arn, &a.arn, "alarm", &a.name, r)),
        );
    }
    for (r, s) in read(&inv.sns) {
        out.extend(s.topics.iter().map(|t| {
            let name = t.rsplit(':').next().unwrap_or(t);
            candidate(t, t, "SNS topic", name, r)
        }));
    }
    for (r, s) in read(&inv.secretsmanager) {
        out.extend(
            s.secrets
                .iter()
                .filter(|s| s.owning_service.is_none())
                .map(|s| candidate(&s.arn, &s.arn, "secret", &s.name, r)),
        );
    }
    for (r, e) in read(&inv.ecr) {
        out.extend(
            e.repositories
                .iter()
                .map(|x| candidate(&x.arn, &x.arn, "ECR repository", &x.name, r)),
        );
    }
    for (r, l) in read(&inv.lambda) {
        out.extend(
            l.functions
                .iter()
                .map(|f| candidate(&f.arn, &f.arn, "Lambda function", &f.name, r)),
        );
    }
    for (r, g) in read(&inv.security_groups) {
        out.extend(g.groups.iter().map(|g| {
            let arn = inv.security_group_arn(r, &g.id);
            candidate(&arn, &g.id, "security group", &g.name, r)
        }));
    }
    for (r, g) in read(&inv.guardduty) {
        out.extend(g.detectors.iter().map(|d| {
            let arn = inv.detector_arn(r, &d.id);
            candidate(&arn, &d.id, "GuardDuty detector", &d.id, r)
        }));
    }
}

fn global_candidates(inv: &Inventory, config: &Config, out: &mut Vec<Candidate>) {
    if let Ok(all) = buckets::all(inv) {
        out.extend(
            all.iter()
                .filter(|b| !buckets::is_state(b, config))
                .map(|b| candidate(&b.arn, &b.arn, "bucket", &b.name, buckets::region(b))),
        );
    }
    if let Some(Collected::Ok(ct)) = &inv.cloudtrail {
        out.extend(
            ct.trails
                .iter()
                .map(|t| candidate(&t.arn, &t.arn, "trail", &t.name, &t.home_region)),
        );
    }
    if let Some(Collected::Ok(cf)) = &inv.cloudfront {
        out.extend(
            cf.distributions
                .iter()
                .map(|d| candidate(&d.arn, &d.arn, "CloudFront distribution", &d.id, "")),
        );
    }
}

/// IAC-01: each resource of the application is managed by a given Terraform state.
pub fn iac_01_managed_by_terraform(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let Some(terraform) = inputs(inv) else {
        return vec![Outcome::not_applicable(
            "no Terraform state given (--terraform-state, or [terraform] state in the config)",
        )];
    };
    let index = Index::of(terraform);
    let unreadable = terraform.states.iter().find_map(|s| s.error.as_ref());
    let mut all = Vec::new();
    regional_candidates(inv, &mut all);
    global_candidates(inv, config, &mut all);
    let lock_tables: Vec<&str> = oks(&inv.dynamodb)
        .flat_map(|d| &d.tables)
        .filter(|t| state::is_lock_table(t, config))
        .map(|t| t.arn.as_str())
        .collect();
    let mut out = Vec::new();
    for c in all
        .iter()
        .filter(|c| !made_by_aws(c.what, &c.name) && !lock_tables.contains(&c.arn.as_str()))
    {
        let region = if c.region.is_empty() {
            NOWHERE
        } else {
            (&c.region).into()
        };
        out.push(match (index.managing(&c.id), unreadable) {
            (Some((r, source)), _) => Outcome::pass(
                &c.arn,
                region,
                format!("{} in {source}", r.address),
                format!("{} {} is managed by Terraform as {}", c.what, c.name, r.address),
            ),
            (None, Some(e)) => Outcome::error(&c.arn, e),
            (None, None) => Outcome::fail(
                &c.arn,
                region,
                "in no given Terraform state",
                format!("{} {} is managed by no Terraform state given: made by hand, or by another tool", c.what, c.name),
            ),
        });
    }
    or_not_applicable(out, "resources of the kinds judged here")
}
