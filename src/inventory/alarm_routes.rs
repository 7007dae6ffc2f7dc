//! Which EventBridge rules route CloudWatch alarm state changes: an enabled rule whose event
//! pattern can match the event CloudWatch sends (`source` `aws.cloudwatch`, `detail-type`
//! `CloudWatch Alarm State Change`). Patterns are read as EventBridge matches them (its
//! "Comparison operators" page: exact values, `prefix`, `suffix`, `equals-ignore-case`,
//! `wildcard`, `anything-but`, `exists`); a matcher not understood is taken as matching, so an
//! alarm is never said to reach nobody because of a pattern prodready cannot read (MON-07 then
//! says MANUAL, not FAIL).

use serde_json::Value;

use super::AlarmRoute;

const SOURCE: &str = "aws.cloudwatch";
const DETAIL_TYPE: &str = "CloudWatch Alarm State Change";

impl AlarmRoute {
    /// Whether a rule's `State` matches events: `ENABLED`, or
    /// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` (enabled for every event, CloudTrail's
    /// read-only management events too: EventBridge API reference, `Rule`).
    pub fn enabled(state: &str) -> bool {
        matches!(
            state,
            "ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
        )
    }

    /// Whether an event pattern can match an alarm state change event.
    pub fn may_route(pattern: &str) -> bool {
        let Ok(pattern) = serde_json::from_str::<Value>(pattern) else {
            return pattern.contains(DETAIL_TYPE);
        };
        // `$or` combines patterns: not read, taken as matching.
        pattern.get("$or").is_some()
            || (may_match(pattern.get("source"), SOURCE)
                && may_match(pattern.get("detail-type"), DETAIL_TYPE))
    }
}

/// Whether a field's matchers can match `value`: no matcher (the field is not filtered), or
/// any matcher of its list matching it.
fn may_match(field: Option<&Value>, value: &str) -> bool {
    match field {
        None => true,
        Some(Value::Array(matchers)) => matchers.iter().any(|m| matcher(m, value)),
        Some(_) => true,
    }
}

fn matcher(m: &Value, value: &str) -> bool {
    let Some(rule) = m.as_object() else {
        return m.as_str().is_none_or(|s| s == value);
    };
    let text = |key: &str| rule.get(key).and_then(Value::as_str);
    if let Some(p) = text("prefix") {
        return value.starts_with(p);
    }
    if let Some(s) = text("suffix") {
        return value.ends_with(s);
    }
    if let Some(e) = text("equals-ignore-case") {
        return value.eq_ignore_ascii_case(e);
    }
    if let Some(w) = text("wildcard") {
        return wildcard(w, value);
    }
    if let Some(but) = rule.get("anything-but") {
        return match but {
            Value::String(s) => s != value,
            Value::Array(list) => !list.iter().any(|s| s.as_str() == Some(value)),
            _ => true,
        };
    }
    if let Some(exists) = rule.get("exists").and_then(Value::as_bool) {
        return exists;
    }
    true
}

/// EventBridge's `wildcard`: `*` matches any run of characters.
fn wildcard(pattern: &str, value: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return value == pattern;
    }
    if !value.starts_with(first) || !value[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &value[first.len()..value.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::AlarmRoute;

    #[test]
    fn patterns_route_alarm_state_changes_as_eventbridge_matches_them() {
        let routes = |p: &str| AlarmRoute::may_route(p);
        assert!(routes(
            r#"{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"]}"#
        ));
        assert!(
            routes(r#"{"source":["aws.cloudwatch"]}"#),
            "every CloudWatch event"
        );
        assert!(routes(r#"{"detail-type":[{"prefix":"CloudWatch Alarm"}]}"#));
        assert!(routes(
            r#"{"detail-type":[{"wildcard":"CloudWatch * Change"}]}"#
        ));
        assert!(routes(
            r#"{"detail-type":[{"equals-ignore-case":"cloudwatch alarm state change"}]}"#
        ));
        assert!(routes(r#"{"source":[{"anything-but":"aws.ec2"}]}"#));
        assert!(routes(
            r#"{"$or":[{"source":["aws.ec2"]},{"source":["aws.cloudwatch"]}]}"#
        ));
        // Forms the operators page names that are not read (an `anything-but` or `prefix`
        // holding an object, `numeric`, `cidr`): taken as matching, never a false "nobody".
        assert!(routes(
            r#"{"detail-type":[{"prefix":{"equals-ignore-case":"cloudwatch alarm"}}]}"#
        ));
        assert!(routes(
            r#"{"source":[{"anything-but":{"prefix":"aws.ec"}}]}"#
        ));
        assert!(routes(r#"{"source":[{"cidr":"10.0.0.0/24"}]}"#));
        assert!(!routes(r#"{"source":["aws.ec2"]}"#));
        assert!(!routes(r#"{"source":[""]}"#), "an empty value is a value");
        assert!(!routes(
            r#"{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm Configuration Change"]}"#
        ));
        assert!(!routes(r#"{"detail-type":[{"prefix":"EC2"}]}"#));
        assert!(!routes(
            r#"{"source":[{"anything-but":["aws.cloudwatch"]}]}"#
        ));
        assert!(!routes(
            r#"{"detail-type":[{"wildcard":"CloudWatch * Deleted"}]}"#
        ));
    }

    #[test]
    fn both_enabled_states_are_enabled() {
        assert!(AlarmRoute::enabled("ENABLED"));
        assert!(AlarmRoute::enabled(
            "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
        ));
        assert!(!AlarmRoute::enabled("DISABLED"));
    }
}
