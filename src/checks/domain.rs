//! Phase 4 — Custom Domain & SSL: the application answers on its own name, over a certificate
//! that is valid, with DNS pointing at it.

use std::collections::BTreeMap;

use super::edge::{self, NO_REGION};
use super::{age_days, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

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
            Collected::Error(e) => out.push(Outcome::error("", e)),
        }
    }
    for (arn, users) in in_use {
        let region = arn_region(&arn).to_owned();
        let used_by = if users.is_empty() {
            "in use".to_owned()
        } else {
            format!("used by {}", users.join(", "))
        };
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
        let status = c.status.as_deref().unwrap_or("unknown");
        let left = c
            .not_after
            .as_deref()
            .and_then(|t| age_days(inv, t))
            .map(|d| -d);
        let observed = format!(
            "{status}, {}; {used_by}",
            match left {
                Some(days) => format!(
                    "expires in {days:.0} days ({})",
                    c.not_after.as_deref().unwrap_or_default()
                ),
                None => "no expiry date".to_owned(),
            }
        );
        out.push(if status != "ISSUED" {
            Outcome::fail(
                &c.arn,
                &region,
                observed,
                format!("certificate for {} is {status}, not ISSUED", c.domain),
            )
        } else if left.is_some_and(|d| d <= min_days) {
            Outcome::fail(
                &c.arn,
                &region,
                observed,
                format!(
                    "certificate for {} expires within {min_days:.0} days{}",
                    c.domain,
                    if c.kind.as_deref() == Some("IMPORTED") {
                        ": imported certificates do not renew by themselves"
                    } else {
                        ": its renewal has not happened"
                    }
                ),
            )
        } else {
            Outcome::pass(
                &c.arn,
                &region,
                observed,
                format!("certificate for {} is valid", c.domain),
            )
        });
    }
    if out.is_empty() {
        out.push(Outcome::not_applicable("no certificate in use"));
    }
    out
}

/// DOM-03: each distribution alias resolves to the distribution through Route 53.
pub fn dom_03_dns(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let cf = match edge::cloudfront(inv) {
        Ok(cf) => cf,
        Err(o) => return vec![o],
    };
    let zones = match &inv.route53 {
        Some(Collected::Ok(r)) => &r.zones,
        Some(Collected::Error(e)) => return vec![Outcome::error("", e)],
        None => return vec![Outcome::not_collected("Route 53")],
    };
    let mut out = Vec::new();
    for d in &cf.distributions {
        let target = d.domain_name.trim_end_matches('.').to_lowercase();
        for alias in &d.aliases {
            let name = alias.trim_end_matches('.').to_lowercase();
            let mut unreadable = None;
            let mut records = Vec::new();
            for z in zones
                .iter()
                .filter(|z| name == z.name || name.ends_with(&format!(".{}", z.name)))
            {
                match &z.records {
                    Collected::Ok(rs) => records.extend(rs.iter().filter(|r| r.name == name)),
                    Collected::Error(e) => {
                        unreadable.get_or_insert(e);
                    }
                }
            }
            let pointing = records.iter().find(|r| {
                r.alias_target.as_deref() == Some(target.as_str()) || r.values.contains(&target)
            });
            out.push(match (pointing, unreadable) {
                (Some(r), _) => Outcome::pass(
                    &d.arn,
                    NO_REGION,
                    format!(
                        "{} {} {} {}",
                        r.name,
                        r.kind,
                        if r.alias_target.is_some() {
                            "alias"
                        } else {
                            "→"
                        },
                        target
                    ),
                    format!("{alias} resolves to {}", edge::label(d)),
                ),
                (None, Some(e)) => Outcome::error(&d.arn, e),
                (None, None) if records.is_empty() => Outcome::fail(
                    &d.arn,
                    NO_REGION,
                    format!("no A, AAAA or CNAME record for {alias} in Route 53"),
                    format!(
                        "{alias} does not resolve to {} through Route 53",
                        edge::label(d)
                    ),
                ),
                (None, None) => Outcome::fail(
                    &d.arn,
                    NO_REGION,
                    format!(
                        "{alias} points at {}",
                        records
                            .iter()
                            .map(|r| r.alias_target.clone().unwrap_or_else(|| r.values.join(" ")))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    format!("{alias} points elsewhere, not at {}", edge::label(d)),
                ),
            });
        }
    }
    if out.is_empty() {
        out.push(Outcome::not_applicable(
            "no distribution has a custom domain",
        ));
    }
    out
}
