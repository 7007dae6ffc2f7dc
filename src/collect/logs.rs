//! CloudWatch Logs: log groups. The list carries retention and size: no per-group call.

use aws_config::SdkConfig;

use super::{rfc3339, Ctx};
use crate::error::CollectError;
use crate::inventory::{LogGroup, Logs};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Logs, CollectError> {
    let client = aws_sdk_cloudwatchlogs::Client::new(&config);
    let pages = ctx
        .pages(
            "DescribeLogGroups",
            client
                .describe_log_groups()
                .limit(50)
                .into_paginator()
                .send(),
        )
        .await?;
    let groups = pages
        .iter()
        .flat_map(|p| p.log_groups())
        .map(|g| LogGroup {
            arn: g
                .log_group_arn()
                .or(g.arn().map(|a| a.trim_end_matches(":*")))
                .unwrap_or_default()
                .to_owned(),
            name: g.log_group_name().unwrap_or_default().to_owned(),
            retention_days: g.retention_in_days(),
            stored_bytes: g.stored_bytes(),
            kms_key_id: g.kms_key_id().map(str::to_owned),
            class: g.log_group_class().map(|c| c.as_str().to_owned()),
            created: g
                .creation_time()
                .map(|ms| rfc3339(&aws_smithy_types::DateTime::from_millis(ms))),
        })
        .collect();
    Ok(Logs { groups })
}
