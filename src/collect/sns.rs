//! SNS: topics and their subscriptions (whether each is confirmed). One paginated list each:
//! ListSubscriptions answers for every topic at once, but only with the subscriptions this
//! account made; a topic none of whose listed subscriptions is confirmed is asked for its
//! `SubscriptionsConfirmed` count, which includes those another account made (a central
//! on-call account subscribing its queue or endpoint).

use aws_config::SdkConfig;

use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{Collected, Sns, Subscription};

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
    let subscriptions: Vec<Subscription> = subscription_pages
        .iter()
        .flat_map(|p| p.subscriptions())
        .map(|s| Subscription {
            topic_arn: s.topic_arn().unwrap_or_default().to_owned(),
            protocol: s.protocol().unwrap_or_default().to_owned(),
            confirmed: s.subscription_arn().is_some_and(|a| a.starts_with("arn:")),
            confirmed_after_apply: false,
        })
        .collect();
    let unconfirmed: Vec<String> = topics
        .iter()
        .filter(|t| {
            !subscriptions
                .iter()
                .any(|s| s.topic_arn == **t && s.confirmed)
        })
        .cloned()
        .collect();
    let ctx = &ctx;
    let client = &client;
    let confirmed_counts = stream::iter(unconfirmed)
        .map(|topic| async move {
            let call = client.get_topic_attributes().topic_arn(&topic).send();
            let count = match ctx.call("GetTopicAttributes", call).await {
                Ok(out) => Collected::Ok(
                    out.attributes()
                        .and_then(|a| a.get("SubscriptionsConfirmed"))
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0),
                ),
                Err(e) => Collected::Error(e),
            };
            (topic, count)
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    Ok(Sns {
        topics,
        subscriptions,
        confirmed_counts,
    })
}
