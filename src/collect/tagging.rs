//! Resource tags, from the Resource Groups Tagging API: every tagged resource of the region in
//! a few paginated calls, instead of one ListTags call per resource per service. Tag-based
//! AWS Backup selections (BAK-02) are judged with them.

use std::collections::BTreeMap;

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::Tags;

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Tags, CollectError> {
    let client = aws_sdk_resourcegroupstagging::Client::new(&config);
    let pages = ctx
        .pages(
            "GetResources",
            client
                .get_resources()
                .resources_per_page(100)
                .into_paginator()
                .send(),
        )
        .await?;
    let resources: BTreeMap<String, BTreeMap<String, String>> = pages
        .iter()
        .flat_map(|p| p.resource_tag_mapping_list())
        .filter_map(|m| {
            let tags = m
                .tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect();
            Some((m.resource_arn()?.to_owned(), tags))
        })
        .collect();
    Ok(Tags { resources })
}
