//! Phase 4 — Custom Domain & SSL: the application answers on its own name, over a certificate
//! that is valid, with DNS pointing at it.

use std::collections::BTreeMap;

use super::edge::{self, NO_REGION};
use super::Check;
use super::NOWHERE;
use super::{age_days, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, Distribution, DnsRecord, HostedZone, Inventory};

const CATALOG: &str = "checks/domain.toml";

pub const CHECKS: &[Check] = &[
    Check::new("DOM-01", dom_01_custom_domain, CATALOG),
    Check::new("DOM-02", dom_02_certificates, CATALOG).expecting(|c| {
        format!(
            "status ISSUED and valid for more than {} more days",
            c.thresholds.certificate_expiry_days
        )
    }),
    Check::new("DOM-03", dom_03_dns, CATALOG),
];

/// DOM-01: each distribution has an alternate domain name and a certificate of its own.
pub fn dom_01_custom_domain(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    edge::judge(inv, |_, d| {
        // The emulator reports CloudFrontDefaultCertificate=true even beside an ACM
        // certificate; the certificate ARN is what decides.
        let certificate = d
            .acm_certificate_arn
            .as_deref()
            .or(d.iam_certificate_id.as_deref());
        match (d.aliases.is_empty(), certificate) {
            (false, Some(cert)) => Outcome::pass(
                &d.arn,
                NO_REGION,
                format!("aliases {}; certificate {cert}", d.aliases.join(", ")),
                format!(
                    "{} serves its own domain over its own certificate",
                    edge::label(d)
                ),
            ),
            (true, _) => Outcome::fail(
                &d.arn,
                NO_REGION,
                format!("no alias; users see {}", d.domain_name),
                format!("{} has no custom domain", edge::label(d)),
            ),
            (false, None) => Outcome::fail(
                &d.arn,
                NO_REGION,
                format!(
                    "aliases {}; default *.cloudfront.net certificate",
                    d.aliases.join(", ")
                ),
                format!(
                    "{} has no certificate for its custom domain",
                    edge::label(d)
                ),
            ),
        }
    })
}

/// The region in an ARN (`arn:aws:acm:REGION:…`).
fn arn_region(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or_default()
}

/// One certificate in use: issued, and valid for more than `min_days`.
fn judge_certificate(
    inv: &Inventory,
    c: &crate::inventory::Certificate,
    region: &str,
    used_by: &str,
    min_days: f64,
) -> Outcome {
    let status = c.status.as_deref().unwrap_or("unknown");
    let left = c
        .not_after
        .as_deref()
        .and_then(|t| age_days(inv, t))
        .map(|d| -d);
    let expiry = match left {
        Some(days) => format!(
            "expires in {days:.0} days ({})",
            c.not_after.as_deref().unwrap_or_default()
        ),
        None => "no expiry date".to_owned(),
    };
    let observed = format!("{status}, {expiry}; {used_by}");
    if status != "ISSUED" {
        Outcome::fail(
            &c.arn,
            region,
            observed,
            format!("certificate for {} is {status}, not ISSUED", c.domain),
        )
    } else if left.is_some_and(|d| d <= min_days) {
        let why = if c.is_imported() {
            ": imported certificates do not renew by themselves"
        } else {
            ": its renewal has not happened"
        };
        Outcome::fail(
            &c.arn,
            region,
            observed,
            format!(
                "certificate for {} expires within {min_days:.0} days{why}",
                c.domain
            ),
        )
    } else {
        Outcome::pass(
            &c.arn,
            region,
            observed,
            format!("certificate for {} is valid", c.domain),
        )
    }
}

/// DOM-02: every certificate in use (by a distribution, or marked in use by ACM) is issued
/// and stays valid long enough for a renewal problem to be noticed and fixed.
pub fn dom_02_certificates(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min_days = config.thresholds.certificate_expiry_days as f64;
    // Certificate ARN → who uses it.
    let mut in_use: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut out = Vec::new();
    match edge::cloudfront(inv) {
        Ok(cf) => {
            for d in &cf.distributions {
                if let Some(arn) = &d.acm_certificate_arn {
                    in_use.entry(arn.clone()).or_default().push(edge::label(d));
                }
            }
        }
        Err(o) if o.status == super::Status::Error && inv.cloudfront.is_some() => out.push(o),
        Err(_) => {}
    }
    for part in inv.acm.values() {
        match part {
            Collected::Ok(acm) => {
                for c in acm.certificates.iter().filter(|c| c.in_use == Some(true)) {
                    in_use.entry(c.arn.clone()).or_default();
                }
            }
            Collected::Error(e) => out.push(Outcome::error(NOWHERE, e)),
        }
    }
    for (arn, users) in in_use {
        let region = arn_region(&arn).to_owned();
        let used_by = if users.is_empty() {
            "in use".to_owned()
        } else {
            format!("used by {}", users.join(", "))
        };
        // A plan's certificate known only after apply, named by its address: not judged.
        if !arn.starts_with("arn:") {
            out.push(Outcome::manual(
                &arn,
                format!(
                    "the certificate {used_by} is known only after apply: attest that it is issued"
                ),
            ));
            continue;
        }
        let listed = match inv.acm.get(&region) {
            Some(Collected::Ok(acm)) => acm.certificates.iter().find(|c| c.arn == arn),
            Some(Collected::Error(_)) => continue, // reported above
            None => {
                out.push(Outcome::not_collected(&format!("ACM in {region}")));
                continue;
            }
        };
        let Some(c) = listed else {
            out.push(Outcome::fail(
                &arn,
                &region,
                format!("not in ACM's list; {used_by}"),
                "a certificate in use no longer exists in ACM",
            ));
            continue;
        };
        out.push(judge_certificate(inv, c, &region, &used_by, min_days));
    }
    if out.is_empty() {
        out.push(Outcome::not_applicable("no certificate in use"));
    }
    out
}

/// One alias of a distribution: a record of this account's public zones points it at the
/// distribution.
fn judge_alias(d: &Distribution, alias: &str, target: &str, zones: &[HostedZone]) -> Outcome {
    let name = alias.trim_end_matches('.').to_lowercase();
    let mut unreadable = None;
    let mut records = Vec::new();
    let mut covering_zones = 0;
    // Public zones only: a record in a private zone resolves inside one VPC, not for users.
    for z in zones
        .iter()
        .filter(|z| !z.private && (name == z.name || name.ends_with(&format!(".{}", z.name))))
    {
        covering_zones += 1;
        match &z.records {
            Collected::Ok(rs) => records.extend(answering(rs, &name)),
            Collected::Error(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    let pointing = records.iter().find(|r| {
        r.alias_target.as_deref() == Some(target) || r.values.iter().any(|v| v == target)
    });
    match (pointing, unreadable) {
        (Some(r), _) => {
            let how = if r.alias_target.is_some() {
                "alias"
            } else {
                "→"
            };
            Outcome::pass(
                &d.arn,
                NO_REGION,
                format!("{} {} {how} {target}", r.name, r.kind),
                format!("{alias} resolves to {}", edge::label(d)),
            )
        }
        (None, Some(e)) => Outcome::error(&d.arn, e),
        // DNS served elsewhere (another account's zone, another provider): not seen.
        (None, None) if covering_zones == 0 => Outcome::manual_at(
            &d.arn,
            NO_REGION,
            format!("no public hosted zone of this account covers {alias}"),
            format!(
                "{alias}'s DNS is not in this account's Route 53: attest that it resolves to {}",
                edge::label(d)
            ),
        ),
        (None, None) if records.is_empty() => Outcome::fail(
            &d.arn,
            NO_REGION,
            format!("no A, AAAA or CNAME record for {alias} in Route 53"),
            format!(
                "{alias} does not resolve to {} through Route 53",
                edge::label(d)
            ),
        ),
        (None, None) => {
            let targets: Vec<String> = records
                .iter()
                .map(|r| r.alias_target.clone().unwrap_or_else(|| r.values.join(" ")))
                .collect();
            Outcome::fail(
                &d.arn,
                NO_REGION,
                format!("{alias} points at {}", targets.join(", ")),
                format!("{alias} points elsewhere, not at {}", edge::label(d)),
            )
        }
    }
}

/// The records that answer for `name`: its own, or else those of the closest wildcard above
/// it (`*.example.com` answers `maps.example.com` when no record of that name exists, as DNS
/// wildcards do, RFC 4592).
fn answering<'a>(records: &'a [DnsRecord], name: &str) -> Vec<&'a DnsRecord> {
    let own: Vec<&DnsRecord> = records.iter().filter(|r| r.name == name).collect();
    if !own.is_empty() {
        return own;
    }
    let mut parent = name;
    while let Some((_, up)) = parent.split_once('.') {
        let wildcard = format!("*.{up}");
        let found: Vec<&DnsRecord> = records.iter().filter(|r| r.name == wildcard).collect();
        if !found.is_empty() {
            return found;
        }
        parent = up;
    }
    Vec::new()
}

/// DOM-03: each distribution alias resolves to the distribution through Route 53.
pub fn dom_03_dns(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let cf = match edge::cloudfront(inv) {
        Ok(cf) => cf,
        Err(o) => return vec![o],
    };
    let zones = match &inv.route53 {
        Some(Collected::Ok(r)) => &r.zones,
        Some(Collected::Error(e)) => return vec![Outcome::error(NOWHERE, e)],
        None => return vec![Outcome::not_collected("Route 53")],
    };
    let mut out = Vec::new();
    for d in &cf.distributions {
        if let Some(o) = edge::disabled(d) {
            out.push(o);
            continue;
        }
        let target = d.domain_name.trim_end_matches('.').to_lowercase();
        for alias in &d.aliases {
            out.push(judge_alias(d, alias, &target, zones));
        }
    }
    if out.is_empty() {
        out.push(Outcome::not_applicable(
            "no distribution has a custom domain",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{inventory_at, statuses};
    use crate::checks::Status;
    use crate::inventory::*;

    const CERT: &str = "arn:aws:acm:us-east-1:111122223333:certificate/abc";

    fn distribution(aliases: &[&str], cert: Option<&str>) -> Distribution {
        Distribution {
            id: "E1".into(),
            arn: "arn:aws:cloudfront::111122223333:distribution/E1".into(),
            domain_name: "d1.cloudfront.net".into(),
            enabled: true,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            web_acl_id: None,
            acm_certificate_arn: cert.map(str::to_owned),
            iam_certificate_id: None,
            geo_restriction: "none".into(),
            geo_locations: vec![],
        }
    }

    /// Route 53 with one public zone, example.com, holding these records.
    fn example_zone(records: Vec<DnsRecord>) -> Route53 {
        Route53 {
            zones: vec![HostedZone {
                id: "/hostedzone/Z1".into(),
                name: "example.com".into(),
                private: false,
                records: Collected::Ok(records),
            }],
        }
    }

    fn with(distributions: Vec<Distribution>, certificates: Vec<Certificate>) -> Inventory {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.cloudfront = Some(Collected::Ok(CloudFront {
            distributions,
            web_acls: vec![],
        }));
        inv.acm
            .insert("us-east-1".into(), Collected::Ok(Acm { certificates }));
        inv
    }

    fn cert(status: &str, not_after: &str) -> Certificate {
        Certificate {
            arn: CERT.into(),
            domain: "maps.example.com".into(),
            status: Some(status.into()),
            not_after: Some(not_after.into()),
            in_use: Some(false),
            kind: Some("AMAZON_ISSUED".into()),
        }
    }

    #[test]
    fn dom_02_fails_a_certificate_expiring_soon_or_not_issued_or_gone() {
        let d = || vec![distribution(&["maps.example.com"], Some(CERT))];
        for (c, want, observed) in [
            (
                vec![cert("ISSUED", "2027-06-01T00:00:00Z")],
                Status::Pass,
                "ISSUED, expires in 186 days",
            ),
            (
                vec![cert("ISSUED", "2026-12-20T00:00:00Z")],
                Status::Fail,
                "ISSUED, expires in 23 days",
            ),
            (
                vec![cert("EXPIRED", "2026-11-01T00:00:00Z")],
                Status::Fail,
                "EXPIRED, expires in -26 days",
            ),
            (vec![], Status::Fail, "not in ACM's list"),
        ] {
            let out = dom_02_certificates(&with(d(), c), &Config::default());
            assert_eq!(statuses(&out), [want]);
            assert!(out[0].observed.starts_with(observed), "{}", out[0].observed);
            assert_eq!(out[0].region.as_deref(), Some("us-east-1"));
        }
        // A certificate nobody uses is not judged.
        let out = dom_02_certificates(
            &with(vec![], vec![cert("EXPIRED", "2026-11-01T00:00:00Z")]),
            &Config::default(),
        );
        assert_eq!(statuses(&out), [Status::NotApplicable]);
    }

    #[test]
    fn dom_01_wants_an_alias_and_a_certificate_of_its_own() {
        let inv = with(
            vec![
                distribution(&["maps.example.com"], Some(CERT)),
                distribution(&[], None),
                distribution(&["maps.example.com"], None),
            ],
            vec![],
        );
        let out = dom_01_custom_domain(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Fail, Status::Fail]);
        assert_eq!(out[1].observed, "no alias; users see d1.cloudfront.net");
    }

    #[test]
    fn dom_03_accepts_an_alias_or_a_cname_to_the_distribution_only() {
        let record = |kind: &str, alias: Option<&str>, values: &[&str]| DnsRecord {
            name: "maps.example.com".into(),
            kind: kind.into(),
            alias_target: alias.map(str::to_owned),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        for (records, want) in [
            (
                vec![record("A", Some("d1.cloudfront.net"), &[])],
                Status::Pass,
            ),
            (
                vec![record("CNAME", None, &["d1.cloudfront.net"])],
                Status::Pass,
            ),
            (
                vec![record("A", Some("old-alb.elb.amazonaws.com"), &[])],
                Status::Fail,
            ),
            (vec![], Status::Fail),
        ] {
            let mut inv = with(
                vec![distribution(&["MAPS.example.com."], Some(CERT))],
                vec![],
            );
            inv.route53 = Some(Collected::Ok(example_zone(records)));
            assert_eq!(statuses(&dom_03_dns(&inv, &Config::default())), [want]);
        }
    }

    #[test]
    fn dom_03_a_wildcard_record_answers_the_names_under_it() {
        let record = |name: &str, target: &str| DnsRecord {
            name: name.into(),
            kind: "A".into(),
            alias_target: Some(target.into()),
            values: vec![],
        };
        for (records, want) in [
            (
                vec![record("*.example.com", "d1.cloudfront.net")],
                Status::Pass,
            ),
            // The name's own record wins over the wildcard, as in DNS.
            (
                vec![
                    record("*.example.com", "d1.cloudfront.net"),
                    record("maps.example.com", "old-alb.elb.amazonaws.com"),
                ],
                Status::Fail,
            ),
            // A wildcard covers one name under it, at any depth, but not the zone apex.
            (
                vec![record("*.other.example.com", "d1.cloudfront.net")],
                Status::Fail,
            ),
        ] {
            let mut inv = with(
                vec![distribution(&["maps.example.com"], Some(CERT))],
                vec![],
            );
            inv.route53 = Some(Collected::Ok(example_zone(records)));
            assert_eq!(statuses(&dom_03_dns(&inv, &Config::default())), [want]);
        }
    }

    #[test]
    fn disabled_distributions_and_dns_served_elsewhere_are_not_failures() {
        let mut off = distribution(&["old.example.com"], None);
        off.enabled = false;
        let mut inv = with(
            vec![off, distribution(&["maps.example.org"], Some(CERT))],
            vec![],
        );
        inv.route53 = Some(Collected::Ok(example_zone(vec![])));
        let out = dom_03_dns(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable, Status::Manual]);
        assert_eq!(
            statuses(&dom_01_custom_domain(&inv, &Config::default()))[0],
            Status::NotApplicable
        );
    }
}
