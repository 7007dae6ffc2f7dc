//! CloudTrail, read account-wide: a multi-region trail appears in every region as a
//! "shadow" trail, so it is listed once, and its status read once, from its home region.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use futures::future::{join_all, try_join_all};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{
    AdvancedEventSelector, BasicEventSelector, CloudTrail, Collected, EventSelectors,
    FieldSelector, Trail,
};

/// `configs` holds one config per scanned region; the first is the primary region.
pub async fn collect(
    ctx: Ctx,
    configs: Vec<(String, SdkConfig)>,
) -> Result<CloudTrail, CollectError> {
    let clients: BTreeMap<String, aws_sdk_cloudtrail::Client> = configs
        .iter()
        .map(|(region, config)| (region.clone(), aws_sdk_cloudtrail::Client::new(config)))
        .collect();

    // The primary region lists its own trails and every multi-region trail (shadows); each
    // other region adds only the single-region trails homed there.
    let listings = configs.iter().enumerate().map(|(i, (region, _))| {
        let region_ctx = Ctx {
            region: region.clone(),
            ..ctx.clone()
        };
        let call = clients[region]
            .describe_trails()
            .include_shadow_trails(i == 0)
            .send();
        let region = region.clone();
        async move {
            let out = region_ctx.call("DescribeTrails", call).await?;
            Ok::<Vec<Trail>, CollectError>(
                out.trail_list().iter().map(|t| trail(t, &region)).collect(),
            )
        }
    });
    let unique: BTreeMap<String, Trail> = try_join_all(listings)
        .await?
        .into_iter()
        .flatten()
        .map(|t| (t.arn.clone(), t))
        .collect();

    let statuses = unique.into_values().map(|mut t| {
        // Ask the home region when it is scanned (it always answers for its own trails);
        // otherwise the primary region, by ARN.
        let region = if clients.contains_key(&t.home_region) {
            t.home_region.clone()
        } else {
            configs[0].0.clone()
        };
        let region_ctx = Ctx {
            region: region.clone(),
            ..ctx.clone()
        };
        let status = clients[&region].get_trail_status().name(&t.arn).send();
        let selectors = clients[&region]
            .get_event_selectors()
            .trail_name(&t.arn)
            .send();
        async move {
            let (status, selectors) = tokio::join!(
                region_ctx.call("GetTrailStatus", status),
                region_ctx.call("GetEventSelectors", selectors),
            );
            match status {
                Ok(status) => t.is_logging = status.is_logging(),
                Err(e) => t.status_error = Some(e),
            }
            t.selectors = Some(match selectors {
                Ok(out) => Collected::Ok(event_selectors(&out)),
                Err(e) => Collected::Error(e),
            });
            t
        }
    });
    let trails = join_all(statuses).await;
    let mut trails = trails;
    trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(CloudTrail { trails })
}

fn trail(t: &aws_sdk_cloudtrail::types::Trail, listed_in: &str) -> Trail {
    Trail {
        arn: t.trail_arn().unwrap_or_default().to_owned(),
        name: t.name().unwrap_or_default().to_owned(),
        home_region: t.home_region().unwrap_or(listed_in).to_owned(),
        multi_region: t.is_multi_region_trail().unwrap_or(false),
        organization_trail: t.is_organization_trail().unwrap_or(false),
        log_file_validation: t.log_file_validation_enabled().unwrap_or(false),
        s3_bucket: t.s3_bucket_name().map(str::to_owned),
        is_logging: None,
        status_error: None,
        selectors: None,
    }
}

fn event_selectors(
    out: &aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput,
) -> EventSelectors {
    EventSelectors {
        basic: out
            .event_selectors()
            .iter()
            .map(|s| BasicEventSelector {
                read_write_type: s.read_write_type().map(|t| t.as_str().to_owned()),
                include_management_events: s.include_management_events(),
                exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
                data_resource_types: s
                    .data_resources()
                    .iter()
                    .filter_map(|d| d.r#type().map(str::to_owned))
                    .collect(),
            })
            .collect(),
        advanced: out
            .advanced_event_selectors()
            .iter()
            .map(|s| AdvancedEventSelector {
                fields: s
                    .field_selectors()
                    .iter()
                    .map(|f| FieldSelector {
                        field: f.field().to_owned(),
                        equals: f.equals().to_vec(),
                        not_equals: f.not_equals().to_vec(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
