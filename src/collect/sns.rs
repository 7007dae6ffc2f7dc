//! SNS: topics and their subscriptions (whether each is confirmed). One paginated list each:
//! ListSubscriptions answers for every topic at once.

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Sns, Subscription};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Sns, CollectError> {
    let client = aws_sdk_sns::Client::new(&config);
    let (topic_pages, subscription_pages) = tokio::try_join!(
        ctx.pages("ListTopics", client.list_topics().into_paginator().send()),
        ctx.pages(
            "ListSubscriptions",
            client.list_subscriptions().into_paginator().send()
        ),
    )?;
    let mut topics: Vec<String> = topic_pages
        .iter()
        .flat_map(|p| p.topics())
        .filter_map(|t| t.topic_arn().map(str::to_owned))
        .collect();
    topics.sort();
    let subscriptions = subscription_pages
        .iter()
        .flat_map(|p| p.subscriptions())
        .map(|s| Subscription {
            topic_arn: s.topic_arn().unwrap_or_default().to_owned(),
            protocol: s.protocol().unwrap_or_default().to_owned(),
            confirmed: s.subscription_arn().is_some_and(|a| a.starts_with("arn:")),
        })
        .collect();
    Ok(Sns {
        topics,
        subscriptions,
    })
}
