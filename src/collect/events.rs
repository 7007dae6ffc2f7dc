//! EventBridge: the rules of the default event bus that route CloudWatch alarm state changes.
//! CloudWatch sends every alarm's state change to EventBridge; a team may page from such a
//! rule instead of from alarm actions (MON-07).

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{AlarmRoute, Events};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Events, CollectError> {
    let client = aws_sdk_eventbridge::Client::new(&config);
    let mut alarm_routes = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = client
            .list_rules()
            .set_next_token(next.take())
            .limit(100)
            .send();
        let page = ctx.call("ListRules", call).await?;
        alarm_routes.extend(page.rules().iter().filter_map(|r| {
            let enabled = r.state().is_some_and(|s| AlarmRoute::enabled(s.as_str()));
            let pattern = r.event_pattern()?;
            (enabled && AlarmRoute::may_route(pattern)).then(|| AlarmRoute {
                name: r.name().unwrap_or_default().to_owned(),
                arn: r.arn().unwrap_or_default().to_owned(),
                pattern: pattern.to_owned(),
            })
        }));
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => break,
        }
    }
    alarm_routes.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(Events { alarm_routes })
}
