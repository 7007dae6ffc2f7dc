//! GuardDuty: detectors and whether each is enabled.

use aws_config::SdkConfig;
use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{Detector, GuardDuty};

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
            let ctx = &ctx;
            async move {
                match ctx.call("GetDetector", call).await {
                    Ok(d) => Detector {
                        id,
                        status: d.status().map(|s| s.as_str().to_owned()),
                        error: None,
                    },
                    Err(e) => Detector {
                        id,
                        status: None,
                        error: Some(e),
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
