//! Phase 2 — Security Hardening: WAF at the edge, encryption, KMS rotation, open security
//! groups, CloudTrail, GuardDuty.

use super::edge::{self, NO_REGION};
use super::NOWHERE;
use super::{buckets, dynamodb_parts, input, or_not_applicable, regions, trail_events, Outcome};
use super::{Check, FixInput};
use crate::catalog::prices::{assuming, line, CostLine};
use crate::config::Config;
use crate::inventory::{Collected, Elbv2, Inventory, KmsKey, Trail};

const CATALOG: &str = "checks/hardening.toml";

pub const CHECKS: &[Check] = &[
    Check::new("HARD-01", hard_01_waf, CATALOG).costing(hard_01_fix_cost),
    Check::new("HARD-02", hard_02_rate_limit, CATALOG).costing(|f| {
        vec![f.line(
            "a rate-based rule",
            f.failing,
            "rules",
            f.prices.waf_rule_month,
        )]
    }),
    Check::new("HARD-03", hard_03_dynamodb_kms, CATALOG).costing(one_customer_key),
    Check::new("HARD-04", hard_04_s3_kms, CATALOG).costing(one_customer_key),
    Check::new("HARD-05", hard_05_kms_rotation, CATALOG)
        .costing(|f| {
            vec![f.line(
                "rotated key material (first two rotations)",
                f.failing,
                "keys",
                f.prices.kms_key_month,
            )]
        })
        .on_plans(),
    Check::new("HARD-06", hard_06_open_security_groups, CATALOG).on_plans(),
    Check::new("HARD-07", hard_07_cloudtrail, CATALOG),
    Check::new("HARD-08", hard_08_guardduty, CATALOG).costing(|f| {
        let per_region = f.assumptions.guardduty_per_region;
        vec![assuming(
            f.line("GuardDuty", f.failing, "regions", per_region),
            format!("{per_region} USD per region for a small account"),
        )]
    }),
    Check::new("HARD-09", hard_09_geo_restriction, CATALOG),
];

fn hard_01_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let (p, a) = (f.prices, f.assumptions);
    vec![
        f.line(
            "a WAF web ACL per distribution",
            f.failing,
            "web ACLs",
            p.waf_web_acl_month,
        ),
        f.line(
            "two managed rule groups each",
            f.failing * 2.0,
            "rules",
            p.waf_rule_month,
        ),
        assuming(
            f.line(
                "WAF requests",
                f.failing * a.cloudfront_requests_per_distribution,
                "million requests",
                p.waf_million_requests,
            ),
            format!(
                "{}M requests per distribution per month",
                a.cloudfront_requests_per_distribution
            ),
        ),
    ]
}

/// One key serves both encryption checks: the line has the same name for each, and the
/// estimate counts a name once.
fn one_customer_key(f: &FixInput) -> Vec<CostLine> {
    vec![line(
        "KMS: a customer-managed key",
        1.0,
        "keys",
        f.prices.kms_key_month,
    )]
}

/// Keys that have a rotation setting: enabled, customer-managed, symmetric.
fn rotatable(k: &KmsKey) -> bool {
    k.is_customer_managed() && k.is_enabled() && k.is_symmetric() && fixed_material(k).is_none()
}

/// Key material KMS cannot rotate automatically: imported (`EXTERNAL`), or held in a custom
/// key store (`AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`). Only `AWS_KMS` material rotates.
fn fixed_material(k: &KmsKey) -> Option<&str> {
    k.origin.as_deref().filter(|o| *o != "AWS_KMS")
}

pub fn hard_05_kms_rotation(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, kms) in regions(&inv.kms, &mut out) {
        for k in &kms.keys {
            let label = match &k.description {
                Some(d) => format!("key {} ({d})", k.id),
                None => format!("key {}", k.id),
            };
            if let Some(e) = &k.rotation_error {
                // DescribeKey failed (manager unknown) or GetKeyRotationStatus failed on a key
                // that can rotate: either way this key cannot be judged.
                if k.manager.is_none() || rotatable(k) {
                    out.push(Outcome::error(&k.arn, e));
                }
                continue;
            }
            if let (Some(origin), true) = (fixed_material(k), k.is_customer_managed()) {
                out.push(Outcome::not_applicable_to(
                    &k.arn,
                    region,
                    format!("Origin={origin}"),
                    format!("{label}: KMS cannot rotate key material of origin {origin} automatically; rotate it by hand"),
                ));
                continue;
            }
            if !rotatable(k) {
                continue;
            }
            out.push(match k.rotation_enabled {
                Some(true) => Outcome::pass(
                    &k.arn,
                    region,
                    "KeyRotationEnabled=true",
                    format!("{label} rotates yearly"),
                ),
                _ => Outcome::fail(
                    &k.arn,
                    region,
                    "KeyRotationEnabled=false",
                    format!("{label} never rotates its key material"),
                ),
            });
        }
    }
    or_not_applicable(out, "enabled customer-managed symmetric KMS keys")
}

/// Whether a trail records every read and write management event: `None` when its selectors
/// could not be read. Evidence collected before selectors were read judges as it did then.
fn records_management(t: &Trail) -> Option<bool> {
    match &t.selectors {
        None => Some(true),
        Some(Collected::Ok(s)) => {
            let c = trail_events::management_events(s);
            Some(c.read && c.write)
        }
        Some(Collected::Error(_)) => None,
    }
}

fn trail_passes(t: &Trail) -> Outcome {
    let excluded = match &t.selectors {
        Some(Collected::Ok(s)) => trail_events::management_events(s).excluded,
        _ => Vec::new(),
    };
    let observed = if excluded.is_empty() {
        "multi-region, logging, log file validation on, all management events".to_owned()
    } else {
        format!(
            "multi-region, logging, log file validation on, management events except {}",
            excluded.join(", ")
        )
    };
    Outcome::pass(
        &t.arn,
        &t.home_region,
        observed,
        format!(
            "trail {} records every region with validated log files",
            t.name
        ),
    )
}

/// What keeps a trail from recording every region with validated logs.
fn trail_gaps(t: &Trail) -> String {
    let mut gaps = Vec::new();
    if !t.multi_region {
        gaps.push("single-region");
    }
    if t.is_logging != Some(true) {
        gaps.push("not logging");
    }
    if !t.log_file_validation {
        gaps.push("no log file validation");
    }
    if records_management(t) == Some(false) {
        gaps.push("not every read and write management event");
    }
    format!("{}: {}", t.name, gaps.join(", "))
}

pub fn hard_07_cloudtrail(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let trails = match &inv.cloudtrail {
        Some(Collected::Ok(ct)) => &ct.trails,
        Some(Collected::Error(e)) => return vec![Outcome::error(NOWHERE, e)],
        None => return vec![Outcome::not_collected("CloudTrail")],
    };
    let shaped = |t: &&Trail| t.multi_region && t.log_file_validation;
    let good = trails
        .iter()
        .filter(shaped)
        .find(|t| t.is_logging == Some(true) && records_management(t) == Some(true));
    if let Some(t) = good {
        return vec![trail_passes(t)];
    }
    // No trail qualifies. If a trail would qualify but for a status or selectors that could
    // not be read, the answer is unknown, not no.
    for t in trails.iter().filter(shaped) {
        let selectors_error = match &t.selectors {
            Some(Collected::Error(e)) => Some(e),
            _ => None,
        };
        let status_ok = t.is_logging == Some(true) || t.status_error.is_some();
        let events_ok = records_management(t) != Some(false);
        if let (true, true, Some(e)) = (
            status_ok,
            events_ok,
            t.status_error.as_ref().or(selectors_error),
        ) {
            return vec![Outcome::error(&t.arn, e)];
        }
    }
    let account = format!(
        "arn:{}:cloudtrail::{}:account",
        inv.partition(),
        inv.account_id
    );
    if trails.is_empty() {
        return vec![Outcome::fail(
            &account,
            NOWHERE,
            "no trails",
            "the account has no CloudTrail trail: API activity is not recorded",
        )];
    }
    let why: Vec<String> = trails.iter().map(trail_gaps).collect();
    vec![Outcome::fail(
        &account,
        NOWHERE,
        why.join("; "),
        format!(
            "no trail records every region with validated logs ({})",
            why.join("; ")
        ),
    )]
}

pub fn hard_08_guardduty(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, gd) in regions(&inv.guardduty, &mut out) {
        let arn = |id: &str| inv.detector_arn(region, id);
        if let Some(d) = gd.detectors.iter().find(|d| d.is_enabled()) {
            out.push(Outcome::pass(
                &arn(&d.id),
                region,
                "detector ENABLED",
                format!("GuardDuty watches {region}"),
            ));
        } else if let Some((d, e)) = gd
            .detectors
            .iter()
            .find_map(|d| d.error.as_ref().map(|e| (d, e)))
        {
            out.push(Outcome::error(&arn(&d.id), e));
        } else if let Some(d) = gd.detectors.first() {
            out.push(Outcome::fail(
                &arn(&d.id),
                region,
                format!(
                    "detector {}",
                    d.status.as_deref().unwrap_or("status unknown")
                ),
                format!("the GuardDuty detector in {region} is not enabled"),
            ));
        } else {
            let region_arn = format!(
                "arn:{}:guardduty:{region}:{}:detector",
                inv.partition(),
                inv.account_id
            );
            out.push(Outcome::fail(
                &region_arn,
                region,
                "no detector",
                format!("GuardDuty is off in {region}: no detector"),
            ));
        }
    }
    or_not_applicable(out, "regions")
}

/// HARD-03: tables encrypted with a KMS key the account controls (AWS-managed `aws/dynamodb`
/// or customer-managed), not the AWS-owned default.
pub fn hard_03_dynamodb_kms(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ddb) in dynamodb_parts(inv, &mut out) {
        for t in &ddb.tables {
            out.push(match t.sse_type.as_deref() {
                Some("KMS") => Outcome::pass(
                    &t.arn,
                    region,
                    format!("SSEType=KMS key {}", t.kms_key_arn.as_deref().unwrap_or("aws/dynamodb")),
                    format!("table {} is encrypted with a KMS key", t.name),
                ),
                other => Outcome::fail(
                    &t.arn,
                    region,
                    format!("SSEType={}", other.unwrap_or("none (AWS-owned key)")),
                    format!("table {} uses the AWS-owned key: its use is not logged in CloudTrail and access cannot be revoked", t.name),
                ),
            });
        }
    }
    or_not_applicable(out, "DynamoDB tables")
}

/// HARD-04: every bucket's default encryption uses a KMS key.
/// Buckets that receive an application load balancer's access logs, with the load balancer:
/// Elastic Load Balancing writes them only to buckets encrypted with SSE-S3.
fn alb_log_buckets(inv: &Inventory) -> Vec<(&str, &str)> {
    inv.elbv2
        .values()
        .filter_map(Collected::ok)
        .flat_map(|e| &e.load_balancers)
        .filter(|lb| lb.is_application())
        .filter_map(|lb| Some((lb.access_logs_bucket.as_deref()?, lb.name.as_str())))
        .collect()
}

pub fn hard_04_s3_kms(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let all = match buckets::all(inv) {
        Ok(b) => b,
        Err(o) => return vec![o],
    };
    let alb_logs = alb_log_buckets(inv);
    let out: Vec<Outcome> = all
        .iter()
        .map(|b| {
            let region = buckets::region(b);
            if let Some(lb) = alb_logs.iter().find(|(bucket, _)| *bucket == b.name) {
                return Outcome::not_applicable_to(
                    &b.arn,
                    region,
                    format!("access logs of application load balancer {}", lb.1),
                    format!("bucket {} receives an application load balancer's access logs, which support only SSE-S3", b.name),
                );
            }
            match &b.encryption {
                Collected::Ok(Some(e)) if e.algorithm.starts_with("aws:kms") => Outcome::pass(
                    &b.arn,
                    region,
                    format!("{} key {}", e.algorithm, e.kms_key.as_deref().unwrap_or("aws/s3")),
                    format!("bucket {} encrypts with a KMS key", b.name),
                ),
                // Real S3 applies SSE-S3 when no configuration is returned: judged the same.
                Collected::Ok(e) => Outcome::fail(
                    &b.arn,
                    region,
                    e.as_ref().map_or("AES256 (S3 default)".to_owned(), |e| e.algorithm.clone()),
                    format!("bucket {} uses S3-managed keys (SSE-S3): key use is not logged and access cannot be revoked per key", b.name),
                ),
                Collected::Error(e) => Outcome::error(&b.arn, e),
            }
        })
        .collect();
    or_not_applicable(out, "S3 buckets")
}

/// Ports a load balancer may open to the internet.
const WEB_PORTS: [i32; 2] = [80, 443];

/// HARD-06: no security group admits the whole internet, except a load balancer's on 80/443.
/// A group's rules open to the whole internet: those not on a web port, said, and whether
/// any opens a web port (80/443), which a load balancer's group may.
fn open_ingress(g: &crate::inventory::SecurityGroup) -> (Vec<String>, bool) {
    let mut bad = Vec::new();
    let mut web = false;
    for r in &g.ingress {
        let open: Vec<&str> = r
            .ipv4_ranges
            .iter()
            .chain(&r.ipv6_ranges)
            .map(String::as_str)
            .filter(|c| *c == "0.0.0.0/0" || *c == "::/0")
            .collect();
        if open.is_empty() {
            continue;
        }
        let ports = match (r.protocol.as_str(), r.from_port, r.to_port) {
            ("-1", _, _) => "all traffic".to_owned(),
            (p, Some(f), Some(t)) if f == t => format!("{p} {f}"),
            (p, Some(f), Some(t)) => format!("{p} {f}-{t}"),
            (p, _, _) => p.to_owned(),
        };
        let is_web = r.protocol == "tcp"
            && r.from_port == r.to_port
            && r.from_port.is_some_and(|p| WEB_PORTS.contains(&p));
        if is_web {
            web = true;
        } else {
            bad.push(format!("{ports} from {}", open.join(", ")));
        }
    }
    (bad, web)
}

pub fn hard_06_open_security_groups(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, sgs) in regions(&inv.security_groups, &mut out) {
        let elbv2 = input(&inv.elbv2, region);
        for g in &sgs.groups {
            let arn = inv.security_group_arn(region, &g.id);
            let (mut bad, web) = open_ingress(g);
            if web {
                match elbv2 {
                    Ok(e)
                        if e.load_balancers
                            .iter()
                            .any(|lb| lb.security_groups.contains(&g.id)) => {}
                    Err(Some(e)) if bad.is_empty() => {
                        out.push(Outcome::error(&arn, e));
                        continue;
                    }
                    // A load balancer outside those known (a plan's own) may use it.
                    Ok(Elbv2 {
                        incomplete: Some(e),
                        ..
                    }) if bad.is_empty() => {
                        out.push(Outcome::error(&arn, e));
                        continue;
                    }
                    _ => bad.push(
                        "80/443 open to the internet on a group no load balancer uses".to_owned(),
                    ),
                }
            }
            out.push(if bad.is_empty() {
                Outcome::pass(
                    &arn,
                    region,
                    if web {
                        "80/443 open on a load balancer's group"
                    } else {
                        "no ingress from the internet"
                    },
                    format!(
                        "security group {} ({}) admits no unexpected internet traffic",
                        g.name, g.id
                    ),
                )
            } else {
                Outcome::fail(
                    &arn,
                    region,
                    bad.join("; "),
                    format!(
                        "security group {} ({}) admits the internet: {}",
                        g.name,
                        g.id,
                        bad.join("; ")
                    ),
                )
            });
        }
    }
    or_not_applicable(out, "security groups")
}

/// HARD-01: every distribution is behind a WAF web ACL.
pub fn hard_01_waf(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    edge::judge(inv, |_, d| match &d.web_acl_id {
        Some(acl) => Outcome::pass(
            &d.arn,
            NO_REGION,
            format!("WebACLId={acl}"),
            format!("{} is protected by AWS WAF", edge::label(d)),
        ),
        None => Outcome::fail(
            &d.arn,
            NO_REGION,
            "no web ACL",
            format!(
                "{} takes any request from anywhere: no AWS WAF web ACL",
                edge::label(d)
            ),
        ),
    })
}

/// HARD-02: the distribution's web ACL has a rate-based rule.
pub fn hard_02_rate_limit(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    edge::judge(inv, |cf, d| {
        let Some(acl_id) = &d.web_acl_id else {
            return Outcome::fail(
                &d.arn,
                NO_REGION,
                "no web ACL",
                format!("{} has no web ACL, so no rate limit", edge::label(d)),
            );
        };
        let Some(acl) = cf.web_acls.iter().find(|a| a.arn == *acl_id) else {
            // WAF Classic: its rules are not read (WAF Classic is retired; WAFv2 replaces it).
            return Outcome::manual(
                &d.arn,
                format!(
                    "{} uses WAF Classic web ACL {acl_id}: its rules are not read; migrate to AWS WAFv2",
                    edge::label(d)
                ),
            );
        };
        if let Some(e) = &acl.error {
            return Outcome::error(&d.arn, e);
        }
        if acl.rate_based_rules.is_empty() {
            if let Some(e) = acl.rule_group_errors.first() {
                // A rule group that could not be read may hold the rate limit.
                return Outcome::error(&d.arn, e);
            }
            Outcome::fail(
                &d.arn,
                NO_REGION,
                format!("web ACL {} rules: {}", acl.name, list_or_none(&acl.rules)),
                format!(
                    "web ACL {} of {} has no rate-based rule: one client can flood the origin",
                    acl.name,
                    edge::label(d)
                ),
            )
        } else {
            Outcome::pass(
                &d.arn,
                NO_REGION,
                format!(
                    "web ACL {} rate-based rule(s): {}",
                    acl.name,
                    acl.rate_based_rules.join(", ")
                ),
                format!("{} rate-limits clients", edge::label(d)),
            )
        }
    })
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// HARD-09 (informational): when the config says where the application may be served
/// (`cloudfront.allowed_countries`), each distribution allows those countries only.
pub fn hard_09_geo_restriction(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let allowed = &config.cloudfront.allowed_countries;
    if allowed.is_empty() {
        return vec![Outcome::not_applicable(
            "no countries required: set cloudfront.allowed_countries in the config to judge",
        )];
    }
    edge::judge(inv, |_, d| {
        let observed = match d.geo_restriction.as_str() {
            "none" => "no geo restriction".to_owned(),
            kind => format!("{kind}: {}", d.geo_locations.join(", ")),
        };
        let within = d.geo_restriction == "whitelist"
            && !d.geo_locations.is_empty()
            && d.geo_locations.iter().all(|c| allowed.contains(c));
        if within {
            Outcome::pass(
                &d.arn,
                NO_REGION,
                observed,
                format!("{} serves the allowed countries only", edge::label(d)),
            )
        } else {
            Outcome::fail(
                &d.arn,
                NO_REGION,
                observed,
                format!(
                    "{} serves beyond the allowed countries ({})",
                    edge::label(d),
                    allowed.join(", ")
                ),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, statuses};
    use crate::checks::Status;
    use crate::inventory::*;

    fn key(id: &str, manager: &str, rotation: Option<bool>) -> KmsKey {
        KmsKey {
            created: None,
            rotation_period_days: None,
            arn: format!("arn:aws:kms:eu-west-1:111122223333:key/{id}"),
            id: id.into(),
            manager: Some(manager.into()),
            state: Some("Enabled".into()),
            spec: Some("SYMMETRIC_DEFAULT".into()),
            usage: None,
            origin: None,
            description: None,
            rotation_enabled: rotation,
            rotation_error: None,
        }
    }

    #[test]
    fn aws_managed_keys_are_not_findings() {
        // moto reports every key as CUSTOMER, so this case is covered on a built inventory.
        let mut inv = Inventory::default();
        inv.kms.insert(
            "eu-west-1".into(),
            Collected::Ok(Kms {
                keys: vec![
                    key("aws", "AWS", None),
                    key("mine", "CUSTOMER", Some(false)),
                ],
            }),
        );
        let out = hard_05_kms_rotation(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].resource_arn.as_deref().unwrap().ends_with("/mine"));
    }

    #[test]
    fn keys_whose_material_cannot_rotate_automatically_are_not_applicable() {
        let with_origin = |id: &str, origin: &str| KmsKey {
            origin: Some(origin.into()),
            ..key(id, "CUSTOMER", None)
        };
        let mut inv = Inventory::default();
        inv.kms.insert(
            "eu-west-1".into(),
            Collected::Ok(Kms {
                keys: vec![
                    with_origin("imported", "EXTERNAL"),
                    with_origin("hsm", "AWS_CLOUDHSM"),
                    with_origin("xks", "EXTERNAL_KEY_STORE"),
                    KmsKey {
                        rotation_enabled: Some(false),
                        ..with_origin("kms", "AWS_KMS")
                    },
                ],
            }),
        );
        let out = hard_05_kms_rotation(&inv, &Config::default());
        assert_eq!(
            statuses(&out),
            [
                Status::NotApplicable,
                Status::NotApplicable,
                Status::NotApplicable,
                Status::Fail
            ]
        );
        assert_eq!(out[0].observed, "Origin=EXTERNAL");
    }

    #[test]
    fn an_alb_access_log_bucket_is_not_asked_for_a_kms_key() {
        use crate::checks::testing::{bucket, REGION};
        let mut inv = Inventory::default();
        inv.elbv2.insert(
            REGION.into(),
            Collected::Ok(Elbv2 {
                load_balancers: vec![LoadBalancer {
                    arn: "alb".into(),
                    name: "web".into(),
                    kind: "application".into(),
                    scheme: None,
                    availability_zones: vec![],
                    security_groups: vec![],
                    access_logs_bucket: Some("web-access-logs".into()),
                    attributes_error: None,
                }],
                target_groups: vec![],
                incomplete: None,
            }),
        );
        inv.s3 = Some(Collected::Ok(S3 {
            buckets: vec![bucket("web-access-logs", REGION), bucket("data", REGION)],
            account_public_access_block: None,
        }));
        let out = hard_04_s3_kms(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable, Status::Fail]);
        assert_eq!(
            out[0].observed,
            "access logs of application load balancer web"
        );
    }

    #[test]
    fn key_hidden_by_its_policy_is_an_error() {
        let mut hidden = key("locked", "CUSTOMER", None);
        hidden.manager = None;
        hidden.rotation_error = Some(denied("kms", "DescribeKey", "eu-west-1"));
        let mut inv = Inventory::default();
        inv.kms.insert(
            "eu-west-1".into(),
            Collected::Ok(Kms { keys: vec![hidden] }),
        );
        assert_eq!(
            statuses(&hard_05_kms_rotation(&inv, &Config::default())),
            [Status::Error]
        );
    }

    #[test]
    fn trail_status_unreadable_is_an_error_not_a_failure() {
        let inv = Inventory {
            cloudtrail: Some(Collected::Ok(CloudTrail {
                trails: vec![Trail {
                    arn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t".into(),
                    name: "t".into(),
                    home_region: "eu-west-1".into(),
                    multi_region: true,
                    organization_trail: false,
                    log_file_validation: true,
                    s3_bucket: None,
                    is_logging: None,
                    status_error: Some(denied("cloudtrail", "GetTrailStatus", "eu-west-1")),
                    selectors: None,
                }],
            })),
            ..Inventory::default()
        };
        assert_eq!(
            statuses(&hard_07_cloudtrail(&inv, &Config::default())),
            [Status::Error]
        );
    }

    #[test]
    fn hard_07_wants_every_read_and_write_management_event() {
        let trail = |selectors| Trail {
            arn: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t".into(),
            name: "t".into(),
            home_region: "eu-west-1".into(),
            multi_region: true,
            organization_trail: false,
            log_file_validation: true,
            s3_bucket: None,
            is_logging: Some(true),
            status_error: None,
            selectors: Some(selectors),
        };
        let judge = |selectors| {
            let inv = Inventory {
                cloudtrail: Some(Collected::Ok(CloudTrail {
                    trails: vec![trail(selectors)],
                })),
                ..Inventory::default()
            };
            hard_07_cloudtrail(&inv, &Config::default())
        };
        let basic = |kind: &str, management: bool| EventSelectors {
            basic: vec![BasicEventSelector {
                read_write_type: Some(kind.into()),
                include_management_events: Some(management),
                exclude_management_event_sources: vec![],
                data_resource_types: vec![],
            }],
            advanced: vec![],
        };
        assert_eq!(
            statuses(&judge(Collected::Ok(basic("All", true)))),
            [Status::Pass]
        );
        // A trail of data events only, or of writes only, is not the account's audit trail.
        let out = judge(Collected::Ok(basic("All", false)));
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(
            out[0].observed.contains("management event"),
            "{}",
            out[0].observed
        );
        assert_eq!(
            statuses(&judge(Collected::Ok(basic("WriteOnly", true)))),
            [Status::Fail]
        );
        // Selectors that could not be read: unknown.
        let unread = Collected::Error(denied("cloudtrail", "GetEventSelectors", "eu-west-1"));
        assert_eq!(statuses(&judge(unread)), [Status::Error]);
    }

    #[test]
    fn hard_02_reads_wafv2_rules_and_leaves_waf_classic_to_a_person() {
        use crate::checks::testing::inventory_at;
        let acl = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/1";
        let distribution = |web_acl: Option<&str>| Distribution {
            id: "E1".into(),
            arn: "arn:aws:cloudfront::111122223333:distribution/E1".into(),
            domain_name: "d1.cloudfront.net".into(),
            enabled: true,
            aliases: vec![],
            web_acl_id: web_acl.map(str::to_owned),
            acm_certificate_arn: None,
            iam_certificate_id: None,
            geo_restriction: "none".into(),
            geo_locations: vec![],
        };
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.cloudfront = Some(Collected::Ok(CloudFront {
            distributions: vec![
                distribution(Some(acl)),
                distribution(Some("c0ffee-classic-id")),
                distribution(None),
            ],
            web_acls: vec![WebAcl {
                arn: acl.into(),
                name: "edge".into(),
                rules: vec!["rate".into(), "common".into()],
                rate_based_rules: vec!["rate".into()],
                error: None,
                rule_group_errors: vec![],
            }],
        }));
        let out = hard_02_rate_limit(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Manual, Status::Fail]);
        assert_eq!(out[0].observed, "web ACL edge rate-based rule(s): rate");
        assert_eq!(
            statuses(&hard_01_waf(&inv, &Config::default())),
            [Status::Pass, Status::Pass, Status::Fail]
        );
        // No rate-based rule of its own, and a referenced rule group that could not be read:
        // the limit may be in the group.
        if let Some(Collected::Ok(cf)) = &mut inv.cloudfront {
            cf.web_acls[0].rate_based_rules.clear();
            cf.web_acls[0]
                .rule_group_errors
                .push(denied("wafv2", "GetRuleGroup", "us-east-1"));
        }
        let out = hard_02_rate_limit(&inv, &Config::default());
        assert_eq!(statuses(&out)[0], Status::Error);
    }
}
