//! Account-wide services, per region: customer-managed keys and their rotated material,
//! CloudTrail's paid copies and data events, GuardDuty, pipelines; and Route 53's zones.

use crate::catalog::prices::{assuming, line, Assumptions};
use crate::inventory::{Collected, Inventory};

use crate::checks::trail_events;

use super::pricer::{primary, Pricer};

pub(super) fn price(p: &mut Pricer, inv: &Inventory, a: &Assumptions) {
    for region in &inv.regions {
        keys(p, inv, region);
        trails(p, inv, region, a);
        let prices = p.at(region);
        guardduty(p, inv, region, a);
        let pipelines = inv
            .codepipeline
            .get(region)
            .and_then(Collected::ok)
            .map_or(0, |c| c.pipelines.len());
        if pipelines > 0 {
            p.push(line(
                p.name("CodePipeline pipelines", region),
                pipelines as f64,
                "pipelines",
                prices.codepipeline_month,
            ));
        }
    }
    if let Some(Collected::Ok(r53)) = &inv.route53 {
        if !r53.zones.is_empty() {
            let prices = p.at(primary(inv));
            p.push(line(
                "Route 53 hosted zones",
                r53.zones.len() as f64,
                "zones",
                prices.route53_zone_month,
            ));
        }
    }
}

/// GuardDuty as its usage statistics measured it over the last 30 days (a detector younger
/// than that: its usage so far); where they could not be read, the price table's assumption.
fn guardduty(p: &mut Pricer, inv: &Inventory, region: &str, a: &Assumptions) {
    let Some(gd) = inv.guardduty.get(region).and_then(Collected::ok) else {
        return;
    };
    let enabled: Vec<_> = gd.detectors.iter().filter(|d| d.is_enabled()).collect();
    if enabled.is_empty() {
        return;
    }
    let measured: Option<f64> = enabled
        .iter()
        .map(|d| d.usage_usd.as_ref().and_then(Collected::ok).copied())
        .sum();
    match measured {
        Some(usd) => p.push(crate::catalog::prices::measured(line(
            p.name("GuardDuty, by its usage statistics of the last 30 days", region),
            usd,
            "USD",
            1.0,
        ))),
        None => p.push(assuming(
            line(p.name("GuardDuty", region), 1.0, "regions", a.guardduty_per_region),
            format!(
                "{} USD per region for a small account's event volume (its usage statistics could not be read)",
                a.guardduty_per_region
            ),
        )),
    }
}

/// Every customer-managed key until it is deleted, disabled ones too; and for a rotated key,
/// each of its first two rotations' material (later rotations are free; KMS pricing). The
/// rotations are counted from the key's age and rotation period, as if rotation had been on
/// since the key was made: the one assumption here.
fn keys(p: &mut Pricer, inv: &Inventory, region: &str) {
    let Some(kms) = inv.kms.get(region).and_then(Collected::ok) else {
        return;
    };
    let prices = p.at(region);
    let billed: Vec<_> = kms.keys.iter().filter(|k| k.is_billed()).collect();
    if billed.is_empty() {
        return;
    }
    let disabled = billed.iter().filter(|k| !k.is_enabled()).count();
    let item = match disabled {
        0 => "KMS customer-managed keys".to_owned(),
        n => format!("KMS customer-managed keys ({n} of them not enabled, billed until deleted)"),
    };
    p.push(line(
        p.name(item, region),
        billed.len() as f64,
        "keys",
        prices.kms_key_month,
    ));
    let rotations: f64 = billed
        .iter()
        .filter(|k| k.rotation_enabled == Some(true))
        .filter_map(|k| {
            let age = inv.age_days(k.created.as_deref()?)?;
            let period = f64::from(k.rotation_period_days.unwrap_or(365).max(1));
            Some((age / period).floor().clamp(0.0, 2.0))
        })
        .sum();
    if rotations > 0.0 {
        p.push(assuming(
            line(
                p.name("KMS rotated key material (first two rotations)", region),
                rotations,
                "rotations",
                prices.kms_rotation_month,
            ),
            "rotation on since each key was created",
        ));
    }
}

/// The first copy of management events in a region is free; every further trail delivering
/// them is a paid copy. Data events are paid from the first copy. Event volumes are assumed.
fn trails(p: &mut Pricer, inv: &Inventory, region: &str, a: &Assumptions) {
    let (management, data) = trail_copies(inv, region);
    let prices = p.at(region);
    let paid = management.saturating_sub(1);
    if paid > 0 {
        p.push(assuming(
            line(
                p.name(
                    format!("CloudTrail paid copies of management events ({paid})"),
                    region,
                ),
                paid as f64 * a.cloudtrail_100k_management_events_per_region,
                "100,000 events",
                prices.cloudtrail_100k_paid_management_events,
            ),
            format!(
                "{:.0} management events per region per month",
                a.cloudtrail_100k_management_events_per_region * 1e5
            ),
        ));
    }
    if data > 0 {
        p.push(assuming(
            line(
                p.name(format!("CloudTrail data events ({data} trails)"), region),
                data as f64 * a.cloudtrail_100k_data_events_per_trail,
                "100,000 events",
                prices.cloudtrail_100k_data_events,
            ),
            format!(
                "{:.0} data events per trail per month",
                a.cloudtrail_100k_data_events_per_trail * 1e5
            ),
        ));
    }
}

/// How many of the scan's trails deliver a region's management events, and how many record
/// data events there.
fn trail_copies(inv: &Inventory, region: &str) -> (usize, usize) {
    let Some(Collected::Ok(ct)) = &inv.cloudtrail else {
        return (0, 0);
    };
    let delivering = ct
        .trails
        .iter()
        .filter(|t| t.is_logging != Some(false) && (t.multi_region || t.home_region == region));
    let (mut management, mut data) = (0, 0);
    for t in delivering {
        let selectors = match &t.selectors {
            Some(Collected::Ok(s)) => Some(s),
            _ => None,
        };
        // A trail whose selectors could not be read records management events by default.
        if selectors.is_none_or(trail_events::records_management_events) {
            management += 1;
        }
        if selectors.is_some_and(trail_events::records_data_events) && t.home_region == region {
            data += 1;
        }
    }
    (management, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::prices::{Basis, PriceTable};
    use crate::checks::testing::{inventory_at, REGION};
    use crate::config::Config;

    #[test]
    fn trails_beyond_the_first_are_paid_copies_and_data_events_are_paid_from_the_first() {
        use crate::inventory::{
            AdvancedEventSelector, CloudTrail, EventSelectors, FieldSelector, Trail,
        };
        let mut inv = inventory_at("2026-12-01T00:00:00Z");
        let trail = |name: &str, multi: bool, data: bool| Trail {
            arn: format!("arn:aws:cloudtrail:{REGION}:1:trail/{name}"),
            name: name.into(),
            home_region: REGION.into(),
            multi_region: multi,
            organization_trail: false,
            log_file_validation: true,
            s3_bucket: None,
            is_logging: Some(true),
            status_error: None,
            selectors: Some(Collected::Ok(EventSelectors {
                basic: vec![],
                advanced: vec![AdvancedEventSelector {
                    fields: vec![FieldSelector {
                        field: "eventCategory".into(),
                        equals: vec![if data { "Data" } else { "Management" }.into()],
                        not_equals: vec![],
                    }],
                }],
            })),
        };
        inv.cloudtrail = Some(Collected::Ok(CloudTrail {
            trails: vec![
                trail("org", true, false),
                trail("security", true, false),
                trail("objects", false, true),
            ],
        }));
        assert_eq!(trail_copies(&inv, REGION), (2, 1));
        assert_eq!(trail_copies(&inv, "us-east-1"), (2, 0));
        let c = super::super::current::price(&inv, &Config::default(), &PriceTable::embedded());
        let paid = c
            .lines
            .iter()
            .find(|l| {
                l.item
                    .starts_with("CloudTrail paid copies of management events (1)")
            })
            .unwrap();
        assert_eq!(paid.monthly, 2.0 * 2.0);
        assert_eq!(paid.basis, Basis::Assumed);
        let data = c
            .lines
            .iter()
            .find(|l| l.item.starts_with("CloudTrail data events (1 trails)"))
            .unwrap();
        assert_eq!(data.monthly, 10.0 * 0.10);
    }

    #[test]
    fn guardduty_is_priced_by_its_usage_statistics_and_assumed_only_where_they_failed() {
        use crate::inventory::{Detector, GuardDuty};
        let priced = |usage: Option<Collected<f64>>| {
            let mut inv = inventory_at("2026-12-01T00:00:00Z");
            inv.guardduty.insert(
                REGION.into(),
                Collected::Ok(GuardDuty {
                    detectors: vec![Detector {
                        id: "d1".into(),
                        status: Some("ENABLED".into()),
                        error: None,
                        usage_usd: usage,
                    }],
                }),
            );
            let c = super::super::current::price(&inv, &Config::default(), &PriceTable::embedded());
            c.lines
                .into_iter()
                .find(|l| l.item.starts_with("GuardDuty"))
                .unwrap()
        };
        let measured = priced(Some(Collected::Ok(12.5)));
        assert_eq!((measured.monthly, measured.basis), (12.5, Basis::Measured));
        let denied = crate::checks::testing::denied("guardduty", "GetUsageStatistics", REGION);
        let assumed = priced(Some(Collected::Error(denied)));
        assert_eq!((assumed.monthly, assumed.basis), (4.0, Basis::Assumed));
        assert!(assumed.assumption.unwrap().contains("could not be read"));
    }
}
