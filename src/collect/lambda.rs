//! Lambda: functions (for MON-05's error alarms).

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Function, Lambda};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Lambda, CollectError> {
    let client = aws_sdk_lambda::Client::new(&config);
    let pages = ctx
        .pages(
            "ListFunctions",
            client
                .list_functions()
                .max_items(50)
                .into_paginator()
                .send(),
        )
        .await?;
    let mut functions: Vec<Function> = pages
        .iter()
        .flat_map(|p| p.functions())
        .map(|f| Function {
            name: f.function_name().unwrap_or_default().to_owned(),
            arn: f.function_arn().unwrap_or_default().to_owned(),
            runtime: f.runtime().map(|r| r.as_str().to_owned()),
        })
        .collect();
    functions.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(Lambda { functions })
}
