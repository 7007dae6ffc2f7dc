//! A plan's EventBridge rules that route CloudWatch alarm state changes (MON-07), as the
//! collector keeps them: enabled rules of the default event bus whose pattern can match an
//! alarm state change (`AlarmRoute::may_route`).

use super::reader::{made_arn, part, Context, Reader};
use super::values::text;
use crate::inventory::{AlarmRoute, Events};

pub(super) const EVENT_RULES: Reader = Reader {
    alone: false,
    kinds: &["aws_cloudwatch_event_rule"],
    arn: |p, account| {
        let name = text(&p.values, "name")?;
        text(&p.values, "arn")
            .or_else(|| Some(made_arn(p, "events", account, &format!("rule/{name}"))))
    },
    remove: |inv, p, _| {
        // Only the default bus's rules are kept: a rule of another bus is another rule.
        if text(&p.values, "event_bus_name").is_some_and(|b| b != "default") {
            return;
        }
        let name = text(&p.values, "name");
        if let Some(e) = part::<Events>(&mut inv.events, &p.region) {
            e.alarm_routes.retain(|r| name.as_deref() != Some(&r.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let v = &p.values;
        let default_bus = text(v, "event_bus_name").is_none_or(|b| b == "default");
        // `state` (provider 5.x), or the older `is_enabled`; a rule is enabled unless set so.
        let enabled = match text(v, "state") {
            Some(state) => AlarmRoute::enabled(&state),
            None => v.get("is_enabled").and_then(serde_json::Value::as_bool) != Some(false),
        };
        let pattern = text(v, "event_pattern")?;
        if !(default_bus && enabled && AlarmRoute::may_route(&pattern)) {
            return None;
        }
        let arn = (EVENT_RULES.arn)(p, cx.account)?;
        part::<Events>(&mut inv.events, &p.region)?
            .alarm_routes
            .push(AlarmRoute {
                name: text(v, "name")?,
                arn: arn.clone(),
                pattern,
            });
        Some(arn)
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::{judge, plan, resource};
    use crate::checks::Status;
    use crate::inventory::{CloudWatch, Collected, Events, Inventory, Sns};
    use serde_json::json;

    #[test]
    fn a_planned_rule_on_alarm_state_changes_routes_the_alarms_nobody_else_hears() {
        let mut base = Inventory {
            account_id: "1".into(),
            ..Inventory::default()
        };
        base.cloudwatch.insert(
            "eu-west-1".into(),
            Collected::Ok(CloudWatch {
                alarms: vec![crate::checks::testing::alarm("cpu", &[])],
                ..CloudWatch::default()
            }),
        );
        base.sns
            .insert("eu-west-1".into(), Collected::Ok(Sns::default()));
        base.events
            .insert("eu-west-1".into(), Collected::Ok(Events::default()));
        let judge_one = |state: &str| {
            let rule = resource(
                "aws_cloudwatch_event_rule",
                "alarms",
                json!({"name": "alarms-to-pager", "state": state,
                       "event_pattern": "{\"source\":[\"aws.cloudwatch\"],\"detail-type\":[\"CloudWatch Alarm State Change\"]}"}),
            );
            judge(
                &plan("eu-west-1", vec![rule], vec![], vec![]),
                &base,
                &["MON-07"],
            )[0]
            .status
        };
        assert_eq!(judge_one("DISABLED"), Status::Fail);
        assert_eq!(
            judge_one("ENABLED"),
            Status::Manual,
            "its targets are not judged"
        );
        assert_eq!(
            judge_one("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
            Status::Manual,
            "enabled for every event"
        );
    }
}
