//! GuardDuty: detectors, whether each is enabled, and what an enabled one's usage cost over
//! the last 30 days (its usage statistics, for the cost estimate).

use aws_config::SdkConfig;
use futures::{stream, StreamExt};

use aws_sdk_guardduty::types::{DetectorStatus, UsageCriteria, UsageFeature, UsageStatisticType};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::total::Total;
use crate::inventory::{Collected, Detector, GuardDuty};

/// The detector's cost over the last 30 days by its usage statistics, every feature summed.
/// GuardDuty's API reference: "Lists Amazon GuardDuty usage statistics over the last 30 days
/// … For newly enabled detectors or data sources, the cost returned will include only the
/// usage so far under 30 days"; amounts are strings in the requested `unit`, USD.
async fn usage_usd(
    ctx: &Ctx,
    client: &aws_sdk_guardduty::Client,
    id: &str,
) -> Result<f64, CollectError> {
    let criteria = UsageFeature::values()
        .iter()
        .fold(UsageCriteria::builder(), |c, f| {
            c.features(UsageFeature::from(*f))
        })
        .build();
    let pages = ctx
        .pages(
            "GetUsageStatistics",
            client
                .get_usage_statistics()
                .detector_id(id)
                .usage_statistic_type(UsageStatisticType::SumByFeatures)
                .usage_criteria(criteria)
                .unit("USD")
                .into_paginator()
                .send(),
        )
        .await?;
    Ok(pages
        .iter()
        .filter_map(|p| p.usage_statistics())
        .flat_map(|u| u.sum_by_feature())
        .filter_map(|f| f.total()?.amount()?.parse::<f64>().ok())
        .total())
}

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<GuardDuty, CollectError> {
    let client = aws_sdk_guardduty::Client::new(&config);
    let ids: Vec<String> = ctx
        .pages(
            "ListDetectors",
            client.list_detectors().into_paginator().send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.detector_ids().iter().cloned())
        .collect();
    let mut detectors: Vec<Detector> = stream::iter(ids)
        .map(|id| {
            let call = client.get_detector().detector_id(&id).send();
            let (ctx, client) = (&ctx, &client);
            async move {
                match ctx.call("GetDetector", call).await {
                    Ok(d) => {
                        let enabled = d.status() == Some(&DetectorStatus::Enabled);
                        let usage_usd = match enabled {
                            true => Some(Collected::from_result(usage_usd(ctx, client, &id).await)),
                            false => None,
                        };
                        Detector {
                            id,
                            status: d.status().map(|s| s.as_str().to_owned()),
                            error: None,
                            usage_usd,
                        }
                    }
                    Err(e) => Detector {
                        id,
                        status: None,
                        error: Some(e),
                        usage_usd: None,
                    },
                }
            }
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    detectors.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(GuardDuty { detectors })
}
