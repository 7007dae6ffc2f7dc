//! CodePipeline: the region's pipelines, by name (CICD-01 asks only whether one exists).

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::CodePipeline;

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<CodePipeline, CollectError> {
    let client = aws_sdk_codepipeline::Client::new(&config);
    let mut pipelines: Vec<String> = ctx
        .pages(
            "ListPipelines",
            client.list_pipelines().into_paginator().send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.pipelines())
        .filter_map(|p| p.name().map(str::to_owned))
        .collect();
    pipelines.sort();
    Ok(CodePipeline { pipelines })
}
