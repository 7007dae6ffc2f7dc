//! A plan's SNS topics and subscriptions, as `ListTopics` and `ListSubscriptions` show them.
//! A topic's ARN is made from its name (SNS names a topic `arn:PARTITION:sns:REGION:ACCOUNT:NAME`).
//! A subscription the plan creates is confirmed once applied when SNS needs no confirmation
//! (a queue, function or stream of the topic's account); an email or HTTP/S endpoint, or one
//! of another account, must confirm it first (`Subscribe`, SNS API reference): it is marked
//! as such, and MON-07 does not take it for a person reached, nor for nobody. The endpoint
//! itself is never read beyond its account.

use super::document::Planned;
use super::reader::{made_arn, part, Context, Reader};
use super::values::text;
use crate::inventory::{Sns, Subscription};

const TOPIC: &str = "aws_sns_topic";
const SUBSCRIPTION: &str = "aws_sns_topic_subscription";

pub(super) const TOPICS: Reader = Reader {
    alone: false,
    kinds: &[TOPIC, SUBSCRIPTION],
    arn: topic_arn,
    remove: |inv, p, _| {
        let Some(sns) = part::<Sns>(&mut inv.sns, &p.region) else {
            return;
        };
        if p.kind == TOPIC {
            let arn = text(&p.values, "arn");
            sns.topics.retain(|t| arn.as_deref() != Some(t));
        } else if let (Some(topic), Some(protocol)) =
            (text(&p.values, "topic_arn"), text(&p.values, "protocol"))
        {
            // Subscriptions are listed without their ARN: one of that topic and protocol.
            if let Some(i) = sns
                .subscriptions
                .iter()
                .position(|s| s.topic_arn == topic && s.protocol == protocol)
            {
                sns.subscriptions.remove(i);
            }
        }
    },
    add: |inv, p, cx: &Context| {
        let sns = part::<Sns>(&mut inv.sns, &p.region)?;
        if p.kind == TOPIC {
            let arn = topic_arn(p, cx.account)?;
            sns.topics.push(arn.clone());
            return Some(arn);
        }
        let topic_arn = cx.graph.known_or_referenced(p, &["topic_arn"])?;
        sns.subscriptions
            .push(subscription(p, topic_arn, cx.account));
        None
    },
};

/// A topic's ARN, made from its name while AWS has not named it.
fn topic_arn(p: &Planned, account: &str) -> Option<String> {
    if p.kind != TOPIC {
        return None;
    }
    let name = text(&p.values, "name")?;
    text(&p.values, "arn").or_else(|| Some(made_arn(p, "sns", account, &name)))
}

/// A planned subscription: one that exists keeps its state (`pending_confirmation`); a new
/// one is confirmed when applied only if SNS needs no confirmation for it.
fn subscription(p: &Planned, topic_arn: String, account: &str) -> Subscription {
    let v = &p.values;
    let protocol = text(v, "protocol").unwrap_or_default();
    let exists = text(v, "arn").is_some_and(|a| a.starts_with("arn:"));
    let (confirmed, confirmed_after_apply) = if exists {
        (
            v.get("pending_confirmation")
                .and_then(serde_json::Value::as_bool)
                == Some(false),
            false,
        )
    } else {
        let endpoint_account = text(v, "endpoint")
            .filter(|e| e.starts_with("arn:"))
            .and_then(|e| e.split(':').nth(4).map(str::to_owned));
        let other_account = endpoint_account.is_some_and(|a| a != account);
        let needs_confirming =
            matches!(protocol.as_str(), "email" | "email-json" | "http" | "https") || other_account;
        (!needs_confirming, needs_confirming)
    };
    Subscription {
        topic_arn,
        protocol,
        confirmed,
        confirmed_after_apply,
    }
}
