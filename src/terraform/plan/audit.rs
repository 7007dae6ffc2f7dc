//! A plan's CloudTrail trails and GuardDuty detectors, as `DescribeTrails`, `GetTrailStatus`,
//! `GetEventSelectors` and `GetDetector` show them; read over a scan only (alone, the
//! account's other trails and detectors are not known). The provider's defaults stand for what
//! the plan leaves unset: a trail is single-region, unvalidated and logging, records every
//! management event without selectors; a detector is enabled.

use serde_json::Value;

use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::{blocks, text};
use crate::inventory::{
    AdvancedEventSelector, BasicEventSelector, Collected, Detector, EventSelectors, FieldSelector,
    GuardDuty, Trail,
};

const TRAIL: &str = "aws_cloudtrail";
const DETECTOR: &str = "aws_guardduty_detector";

pub(super) const AUDIT: Reader = Reader {
    alone: false,
    kinds: &[TRAIL, DETECTOR],
    arn: |p, account| {
        if p.kind != TRAIL {
            return None;
        }
        let name = text(&p.values, "name")?;
        text(&p.values, "arn")
            .or_else(|| Some(made_arn(p, "cloudtrail", account, &format!("trail/{name}"))))
    },
    remove: |inv, p, _| {
        if p.kind == TRAIL {
            let planned = Identity::of(p);
            // Trail names are unique within a region: the cloudtrail part holds every region's.
            if let Some(Collected::Ok(ct)) = &mut inv.cloudtrail {
                ct.trails.retain(|t| {
                    !(planned.is_arn(&t.arn)
                        || planned.is(&t.arn, &t.name) && t.home_region == p.region)
                });
            }
        } else if let (Some(id), Some(gd)) = (
            text(&p.values, "id"),
            part::<GuardDuty>(&mut inv.guardduty, &p.region),
        ) {
            gd.detectors.retain(|d| d.id != id);
        }
    },
    add: |inv, p, cx: &Context| {
        let flag =
            |key: &str, unset: bool| p.values.get(key).and_then(Value::as_bool).unwrap_or(unset);
        if p.kind == DETECTOR {
            part::<GuardDuty>(&mut inv.guardduty, &p.region)?
                .detectors
                .push(Detector {
                    id: text(&p.values, "id").unwrap_or_else(|| p.address.clone()),
                    status: Some(
                        if flag("enable", true) {
                            "ENABLED"
                        } else {
                            "DISABLED"
                        }
                        .into(),
                    ),
                    error: None,
                    usage_usd: None,
                });
            return None;
        }
        let Some(Collected::Ok(ct)) = &mut inv.cloudtrail else {
            return None;
        };
        let arn = (AUDIT.arn)(p, cx.account)?;
        ct.trails.push(Trail {
            arn: arn.clone(),
            name: text(&p.values, "name")?,
            home_region: p.region.clone(),
            multi_region: flag("is_multi_region_trail", false),
            organization_trail: flag("is_organization_trail", false),
            log_file_validation: flag("enable_log_file_validation", false),
            s3_bucket: text(&p.values, "s3_bucket_name").or_else(|| {
                let bucket = cx
                    .graph
                    .referenced_resources(p, &["s3_bucket_name"])
                    .into_iter()
                    .next()?;
                text(&bucket.values, "bucket")
            }),
            is_logging: Some(flag("enable_logging", true)),
            status_error: None,
            selectors: Some(Collected::Ok(selectors(&p.values))),
        });
        Some(arn)
    },
};

/// A trail's basic and advanced event selectors.
fn selectors(v: &Value) -> EventSelectors {
    let strings = |v: &Value, key: &str| -> Vec<String> {
        blocks(v, key)
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    EventSelectors {
        basic: blocks(v, "event_selector")
            .iter()
            .map(|s| BasicEventSelector {
                read_write_type: text(s, "read_write_type"),
                include_management_events: s
                    .get("include_management_events")
                    .and_then(Value::as_bool),
                exclude_management_event_sources: strings(s, "exclude_management_event_sources"),
                data_resource_types: blocks(s, "data_resource")
                    .iter()
                    .filter_map(|d| text(d, "type"))
                    .collect(),
            })
            .collect(),
        advanced: blocks(v, "advanced_event_selector")
            .iter()
            .map(|s| AdvancedEventSelector {
                fields: blocks(s, "field_selector")
                    .iter()
                    .filter_map(|f| {
                        Some(FieldSelector {
                            field: text(f, "field")?,
                            equals: strings(f, "equals"),
                            not_equals: strings(f, "not_equals"),
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deleted, judge, plan, resource};
    use crate::checks::Status;
    use crate::inventory::{CloudTrail, Collected, Detector, GuardDuty, Inventory};
    use serde_json::{json, Value};

    /// `check` over a scan with no trail and an enabled detector `d1`.
    fn judge_audit(check: &'static str, resources: Vec<Value>, deletions: Vec<Value>) -> Status {
        let plan = plan("eu-west-1", resources, vec![], deletions);
        let mut base = Inventory {
            account_id: "1".into(),
            cloudtrail: Some(Collected::Ok(CloudTrail::default())),
            ..Inventory::default()
        };
        base.guardduty.insert(
            "eu-west-1".into(),
            Collected::Ok(GuardDuty {
                detectors: vec![Detector {
                    id: "d1".into(),
                    status: Some("ENABLED".into()),
                    error: None,
                    usage_usd: None,
                }],
            }),
        );
        judge(&plan, &base, &[check])[0].status
    }

    fn trail(values: Value) -> Vec<Value> {
        vec![resource("aws_cloudtrail", "main", values)]
    }

    #[test]
    fn a_planned_trail_is_judged_with_the_providers_defaults() {
        let good = json!({"name": "main", "is_multi_region_trail": true, "enable_log_file_validation": true});
        assert_eq!(
            judge_audit("HARD-07", trail(good.clone()), vec![]),
            Status::Pass
        );
        let mut stopped = good.clone();
        stopped["enable_logging"] = json!(false);
        assert_eq!(judge_audit("HARD-07", trail(stopped), vec![]), Status::Fail);
        let mut data_only = good;
        data_only["event_selector"] = json!([{"include_management_events": false,
            "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]);
        assert_eq!(
            judge_audit("HARD-07", trail(data_only), vec![]),
            Status::Fail
        );
        assert_eq!(
            judge_audit("HARD-07", trail(json!({"name": "main"})), vec![]),
            Status::Fail,
            "single-region and unvalidated unless the plan says otherwise"
        );
    }

    #[test]
    fn a_deleted_detector_turns_guardduty_off() {
        assert_eq!(judge_audit("HARD-08", vec![], vec![]), Status::Pass);
        let gone = deleted(
            "aws_guardduty_detector",
            "main",
            json!({"id": "d1", "enable": true}),
        );
        assert_eq!(judge_audit("HARD-08", vec![], vec![gone]), Status::Fail);
    }

    #[test]
    fn a_trail_of_the_same_name_in_another_region_is_another_trail() {
        use crate::inventory::{EventSelectors, Trail};
        let mut base = super::super::testing::account("1");
        base.cloudtrail = Some(Collected::Ok(CloudTrail {
            trails: vec![Trail {
                arn: "arn:aws:cloudtrail:us-east-1:1:trail/main".into(),
                name: "main".into(),
                home_region: "us-east-1".into(),
                multi_region: true,
                organization_trail: false,
                log_file_validation: true,
                s3_bucket: None,
                is_logging: Some(true),
                status_error: None,
                selectors: Some(Collected::Ok(EventSelectors::default())),
            }],
        }));
        let regional = trail(json!({"name": "main"}));
        let found = judge(
            &plan("eu-west-1", regional, vec![], vec![]),
            &base,
            &["HARD-07"],
        );
        assert_eq!(found[0].status, Status::Pass, "{found:?}");
    }
}
