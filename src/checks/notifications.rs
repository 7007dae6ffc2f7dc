//! MON-07: every alarm reaches a person, by its own actions or through a composite alarm
//! that combines it.
//!
//! What each kind of alarm action means, from CloudWatch's `PutMetricAlarm` and
//! `PutCompositeAlarm` references:
//! - an SNS topic of this account in a scanned region reaches a person when one of its
//!   subscriptions is confirmed; a topic of another account, or of a region the scan did not
//!   read, has subscriptions nobody here can see: MANUAL, never FAIL;
//! - an Incident Manager response plan (`arn:aws:ssm-incidents::…:response-plan/…`) engages
//!   its contacts and opens an incident; an OpsItem (`arn:aws:ssm:…:opsitem:…`) lands in the
//!   OpsCenter queue: both reach the people who own them;
//! - a Lambda function may page anyone or no one: that is in its code, so MANUAL;
//! - Auto Scaling policies and EC2 actions (`arn:aws:automate:…`, `arn:aws:swf:…`) act on their
//!   own: such alarms are not asked to page.
//!
//! A metric alarm without actions of its own (or with them disabled) still reaches a person
//! when a composite alarm whose rule names it does: that is how teams cut the noise of many
//! alarms down to one page.

use std::collections::{BTreeMap, BTreeSet};

use super::Check;
use super::{input, or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::error::CollectError;
use crate::inventory::{Alarm, Collected, Inventory};

const CATALOG: &str = "checks/monitoring.toml";

pub const CHECKS: &[Check] = &[Check::new("MON-07", mon_07_alarm_notifications, CATALOG)];

/// How far one alarm's actions get.
#[derive(Debug, Clone, PartialEq)]
enum Reach<'a> {
    /// Someone receives it: what carries it there.
    Person(String),
    /// The read that would tell failed.
    Unknown(&'a CollectError),
    /// Nobody here can see whether anyone receives it: why.
    Unseen(String),
    /// It reaches nobody: why.
    Nobody(String),
}

impl Reach<'_> {
    /// The better of two: a person, then an unreadable input, then what cannot be seen.
    fn rank(&self) -> u8 {
        match self {
            Reach::Person(_) => 0,
            Reach::Unknown(_) => 1,
            Reach::Unseen(_) => 2,
            Reach::Nobody(_) => 3,
        }
    }

    fn or(self, other: Self) -> Self {
        if other.rank() < self.rank() {
            other
        } else {
            self
        }
    }
}

/// Part `index` of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (2 is the service).
fn arn_part(arn: &str, index: usize) -> &str {
    arn.split(':').nth(index).unwrap_or_default()
}

/// Alarms whose actions act by themselves (scaling, EC2 stop/terminate/reboot/recover).
pub(super) fn acts_on_its_own(a: &Alarm) -> bool {
    a.alarm_actions
        .iter()
        .any(|action| matches!(arn_part(action, 2), "autoscaling" | "automate" | "swf"))
}

/// The alarms ECS watches during deployments (`deploymentConfiguration.alarms`): ECS reads
/// their state and stops or rolls back the deployment itself, so they need no action.
fn deployment_alarms<'a>(inv: &'a Inventory, region: &str) -> BTreeSet<&'a str> {
    input(&inv.ecs, region)
        .ok()
        .into_iter()
        .flat_map(|ecs| &ecs.services)
        .filter_map(|s| s.deployment.as_ref()?.alarms.as_ref())
        .filter(|a| a.enable)
        .flat_map(|a| a.names.iter().map(String::as_str))
        .collect()
}

/// Where one action leads.
fn action_reach<'a>(inv: &'a Inventory, region: &str, action: &str) -> Reach<'a> {
    match arn_part(action, 2) {
        "sns" => topic_reach(inv, region, action),
        "ssm-incidents" => Reach::Person(format!("Incident Manager response plan {action}")),
        "ssm" if action.contains(":opsitem:") => {
            Reach::Person(format!("an OpsItem in OpsCenter ({action})"))
        }
        "lambda" => Reach::Unseen(format!(
            "it invokes the Lambda function {action}: whether that reaches a person is in its code"
        )),
        _ => Reach::Unseen(format!(
            "action {action} is of a kind prodready does not judge"
        )),
    }
}

fn topic_reach<'a>(inv: &'a Inventory, region: &str, topic: &str) -> Reach<'a> {
    let account = arn_part(topic, 4);
    if !inv.account_id.is_empty() && !account.is_empty() && account != inv.account_id {
        return Reach::Unseen(format!(
            "its topic {topic} belongs to account {account}: its subscriptions cannot be seen from this account"
        ));
    }
    let topic_region = Some(arn_part(topic, 3)).filter(|r| !r.is_empty());
    match input(&inv.sns, topic_region.unwrap_or(region)) {
        Ok(sns)
            if sns
                .subscriptions
                .iter()
                .any(|s| s.topic_arn == topic && s.confirmed) =>
        {
            Reach::Person(format!("{topic}, which has a confirmed subscription"))
        }
        Ok(sns)
            if sns
                .subscriptions
                .iter()
                .any(|s| s.topic_arn == topic && s.confirmed_after_apply) =>
        {
            Reach::Unseen(format!(
                "its topic {topic} gets a subscription its endpoint's owner must confirm once the plan is applied: until then nobody receives it"
            ))
        }
        Ok(sns) => match sns.confirmed_counts.get(topic) {
            Some(Collected::Ok(n)) if *n > 0 => Reach::Person(format!(
                "{topic}, which has {n} confirmed subscription(s) made by another account"
            )),
            Some(Collected::Error(e)) => Reach::Unknown(e),
            _ => Reach::Nobody(format!(
                "its topic {topic} has no confirmed subscription: nobody receives it"
            )),
        },
        Err(Some(e)) => Reach::Unknown(e),
        Err(None) => Reach::Unseen(format!(
            "its topic {topic} is in {}, which this scan did not read",
            topic_region.unwrap_or(region)
        )),
    }
}

/// Where an alarm's own actions lead.
fn own_reach<'a>(inv: &'a Inventory, region: &str, a: &Alarm) -> Reach<'a> {
    if !a.actions_enabled {
        return Reach::Nobody(format!("alarm {} has its actions disabled", a.name));
    }
    a.alarm_actions
        .iter()
        .map(|action| action_reach(inv, region, action))
        .reduce(Reach::or)
        .unwrap_or_else(|| Reach::Nobody(format!("alarm {} has no alarm action", a.name)))
}

/// The alarms a composite alarm's rule fires on: `ALARM(name)` and `AT_LEAST(n, ALARM, (…))`,
/// not those under `NOT`, named by name or ARN (reduced to the name).
pub fn rule_children(rule: &str) -> BTreeSet<String> {
    let tokens = tokenize(rule);
    let mut children = BTreeSet::new();
    // Whether each open parenthesis is under a NOT (its own, or an enclosing one).
    let mut groups: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let negated = (i > 0 && tokens[i - 1].eq_ignore_ascii_case("NOT"))
            || groups.last().copied().unwrap_or(false);
        let word = tokens[i].to_ascii_uppercase();
        if word == "(" {
            groups.push(negated);
        } else if word == ")" {
            groups.pop();
        }
        if word == "ALARM" && tokens.get(i + 1).map(String::as_str) == Some("(") {
            if let (Some(name), Some(")")) =
                (tokens.get(i + 2), tokens.get(i + 3).map(String::as_str))
            {
                if !negated {
                    children.insert(alarm_name(name));
                }
                i += 4;
                continue;
            }
        }
        if word == "AT_LEAST" {
            // AT_LEAST ( M , STATE , ( a , b , … ) )
            let state = tokens.get(i + 4).map(|s| s.to_ascii_uppercase());
            if let Some(end) = tokens[i..].iter().position(|t| t == ")") {
                if state.as_deref() == Some("ALARM") && !negated {
                    children.extend(
                        tokens[i + 7.min(end)..i + end]
                            .iter()
                            .filter(|t| *t != "," && *t != "(")
                            .map(|t| alarm_name(t)),
                    );
                }
                i += end + 1;
                continue;
            }
        }
        i += 1;
    }
    children
}

fn tokenize(rule: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' | ')' | ',' => tokens.push(c.to_string()),
            '"' | '\'' => {
                let mut s = String::new();
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    s.push(d);
                }
                tokens.push(s);
            }
            _ => {
                let mut s = c.to_string();
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '(' | ')' | ',' | '"' | '\'') {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                tokens.push(s);
            }
        }
    }
    tokens
}

/// An alarm named by ARN in a rule is the same alarm as one named by name.
fn alarm_name(reference: &str) -> String {
    match reference.split_once(":alarm:") {
        Some((_, name)) => name.to_owned(),
        None => reference.to_owned(),
    }
}

/// The composite alarms of a region that fire on each alarm, by child name.
fn parents(alarms: &[Alarm]) -> BTreeMap<String, Vec<&Alarm>> {
    let mut map: BTreeMap<String, Vec<&Alarm>> = BTreeMap::new();
    for composite in alarms {
        if let Some(rule) = &composite.rule {
            for child in rule_children(rule) {
                map.entry(child).or_default().push(composite);
            }
        }
    }
    map
}

/// Where an alarm leads: its own actions, or those of any composite alarm above it.
fn reach<'a>(
    inv: &'a Inventory,
    region: &str,
    a: &Alarm,
    above: &BTreeMap<String, Vec<&Alarm>>,
    seen: &mut BTreeSet<String>,
) -> Reach<'a> {
    let mut best = own_reach(inv, region, a);
    if !seen.insert(a.name.clone()) {
        return best;
    }
    for parent in above.get(&a.name).into_iter().flatten() {
        if matches!(best, Reach::Person(_)) {
            break;
        }
        best = best.or(match reach(inv, region, parent, above, seen) {
            Reach::Person(how) => Reach::Person(format!("composite alarm {} → {how}", parent.name)),
            other => other,
        });
    }
    best
}

/// The EventBridge rules of the region that route this alarm's state changes: a rule whose
/// pattern names alarms (`detail.alarmName`) routes those; one that names none routes all.
/// `Err` when EventBridge could not be read there.
fn routes<'a>(
    inv: &'a Inventory,
    region: &str,
    a: &Alarm,
) -> Result<Vec<&'a str>, Option<&'a CollectError>> {
    let events = input(&inv.events, region)?;
    Ok(events
        .alarm_routes
        .iter()
        .filter(|r| {
            let pattern: serde_json::Value =
                serde_json::from_str(&r.pattern).unwrap_or(serde_json::Value::Null);
            match pattern
                .pointer("/detail/alarmName")
                .and_then(|n| n.as_array())
            {
                Some(names) => names
                    .iter()
                    .any(|n| n.as_str().is_some_and(|n| n == a.name) || !n.is_string()),
                None => true,
            }
        })
        .map(|r| r.name.as_str())
        .collect())
}

/// An alarm whose own actions and composites reach nobody may still page through an
/// EventBridge rule: whether that reaches a person is in the rule's targets.
fn through_eventbridge<'a>(
    inv: &'a Inventory,
    region: &str,
    a: &Alarm,
    reach: Reach<'a>,
) -> Reach<'a> {
    let Reach::Nobody(_) = reach else {
        return reach;
    };
    match routes(inv, region, a) {
        Ok(rules) if rules.is_empty() => reach,
        Ok(rules) => Reach::Unseen(format!(
            "the EventBridge rule(s) {} route its state changes: whether they reach a person is in their targets",
            rules.join(", ")
        )),
        Err(Some(e)) => Reach::Unknown(e),
        Err(None) => reach,
    }
}

/// MON-07: every alarm reaches a person. Alarms that act on their own are left out.
pub fn mon_07_alarm_notifications(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, cw) in regions(&inv.cloudwatch, &mut out) {
        let above = parents(&cw.alarms);
        let watched_by_ecs = deployment_alarms(inv, region);
        for a in cw
            .alarms
            .iter()
            .filter(|a| !acts_on_its_own(a) && !watched_by_ecs.contains(a.name.as_str()))
        {
            let mut seen = BTreeSet::new();
            let reached = reach(inv, region, a, &above, &mut seen);
            out.push(match through_eventbridge(inv, region, a, reached) {
                Reach::Person(how) => Outcome::pass(
                    &a.arn,
                    region,
                    format!("notifies {how}"),
                    format!("alarm {} reaches a person", a.name),
                ),
                Reach::Unknown(e) => Outcome::error(&a.arn, e),
                Reach::Unseen(why) => Outcome::manual_at(
                    &a.arn,
                    region,
                    "not visible from this account",
                    format!("alarm {}: {why}; attest who receives it", a.name),
                ),
                Reach::Nobody(why) => Outcome::fail(
                    &a.arn,
                    region,
                    "reaches nobody",
                    format!(
                        "alarm {} notifies nobody: {why}, and no composite alarm that combines it pages anyone",
                        a.name
                    ),
                ),
            });
        }
    }
    or_not_applicable(out, "alarms")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{alarm, statuses, REGION};
    use crate::checks::Status;
    use crate::inventory::*;

    const TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:alerts";

    fn composite(name: &str, rule: &str, actions: &[&str]) -> Alarm {
        Alarm {
            kind: "composite".into(),
            rule: Some(rule.into()),
            ..alarm(name, actions)
        }
    }

    fn inventory(alarms: Vec<Alarm>, confirmed: bool) -> Inventory {
        let mut inv = crate::checks::testing::inventory_at("2026-12-01T00:00:00Z");
        inv.cloudwatch.insert(
            REGION.into(),
            Collected::Ok(CloudWatch {
                alarms,
                dashboards: vec![],
                alarm_errors: vec![],
            }),
        );
        inv.sns.insert(
            REGION.into(),
            Collected::Ok(Sns {
                topics: vec![TOPIC.into()],
                subscriptions: vec![Subscription {
                    topic_arn: TOPIC.into(),
                    protocol: "email".into(),
                    confirmed,
                    confirmed_after_apply: false,
                }],
                confirmed_counts: BTreeMap::new(),
            }),
        );
        inv
    }

    fn judge(alarms: Vec<Alarm>) -> Vec<Outcome> {
        mon_07_alarm_notifications(&inventory(alarms, true), &Config::default())
    }

    #[test]
    fn a_topic_with_only_pending_subscriptions_reaches_nobody() {
        // moto confirms every subscription at once, so this case is covered here.
        let inv = inventory(vec![alarm("a", &[TOPIC])], false);
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].message.contains("no confirmed subscription"));
        // Another account's confirmed subscription is counted by the topic, not listed here.
        let mut inv = inv;
        if let Some(Collected::Ok(sns)) = inv.sns.get_mut(REGION) {
            sns.confirmed_counts.insert(TOPIC.into(), Collected::Ok(1));
        }
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass]);
        assert!(
            out[0].observed.contains("another account"),
            "{}",
            out[0].observed
        );
        assert_eq!(statuses(&judge(vec![alarm("a", &[TOPIC])])), [Status::Pass]);
    }

    #[test]
    fn children_without_actions_pass_through_the_composite_that_pages() {
        let mut quiet = alarm("cpu", &[]);
        quiet.actions_enabled = false;
        let out = judge(vec![
            quiet,
            alarm("memory", &[]),
            alarm("unrelated", &[]),
            composite(
                "service-down",
                "ALARM(\"cpu\") OR ALARM(arn:aws:cloudwatch:eu-west-1:111122223333:alarm:memory)",
                &[TOPIC],
            ),
        ]);
        let by_name = |n: &str| {
            out.iter()
                .find(|o| {
                    o.resource_arn
                        .as_deref()
                        .unwrap()
                        .ends_with(&format!(":{n}"))
                })
                .unwrap()
        };
        assert_eq!(by_name("cpu").status, Status::Pass);
        assert!(by_name("cpu")
            .observed
            .contains("composite alarm service-down"));
        assert_eq!(by_name("memory").status, Status::Pass);
        assert_eq!(by_name("service-down").status, Status::Pass);
        assert_eq!(by_name("unrelated").status, Status::Fail);
    }

    #[test]
    fn composites_of_composites_and_negations() {
        let out = judge(vec![
            alarm("a", &[]),
            alarm("deploying", &[]),
            composite("inner", "ALARM(a) AND NOT ALARM(deploying)", &[]),
            composite("outer", "AT_LEAST(1, ALARM, (inner, other))", &[TOPIC]),
        ]);
        assert_eq!(
            statuses(&out),
            [Status::Pass, Status::Fail, Status::Pass, Status::Pass],
            "{out:#?}"
        );
    }

    #[test]
    fn rules_name_their_children() {
        let c = rule_children("(ALARM(\"a b\") OR ALARM(c)) AND NOT ALARM(d) AND OK(e) OR TRUE");
        assert_eq!(c, ["a b".to_owned(), "c".to_owned()].into());
        let c = rule_children("AT_LEAST(50%, ALARM, (x, \"y\")) OR AT_LEAST(2, OK, (z, w))");
        assert_eq!(c, ["x".to_owned(), "y".to_owned()].into());
        let c = rule_children("ALARM(a) AND NOT (ALARM(b) OR (ALARM(c))) OR ALARM(d)");
        assert_eq!(c, ["a".to_owned(), "d".to_owned()].into());
    }

    #[test]
    fn alarms_ecs_watches_during_deployments_need_no_action() {
        let mut inv = inventory(vec![alarm("deploy-5xx", &[]), alarm("other", &[])], true);
        let mut s = crate::checks::testing::service("api", 3, 3);
        s.deployment = Some(DeploymentConfiguration {
            minimum_healthy_percent: None,
            maximum_percent: None,
            circuit_breaker_enabled: None,
            circuit_breaker_rollback: None,
            alarms: Some(DeploymentAlarms {
                names: vec!["deploy-5xx".into()],
                enable: true,
                rollback: true,
            }),
        });
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                services: vec![s],
                ..Ecs::default()
            }),
        );
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].message.contains("other"));
    }

    #[test]
    fn an_eventbridge_rule_on_alarm_state_changes_is_not_nobody() {
        let mut inv = inventory(vec![alarm("cpu", &[]), alarm("disk", &[])], true);
        let route = |pattern: &str| AlarmRoute {
            name: "to-pagerduty".into(),
            arn: "arn:aws:events:eu-west-1:111122223333:rule/to-pagerduty".into(),
            pattern: pattern.into(),
        };
        inv.events.insert(
            REGION.into(),
            Collected::Ok(Events {
                alarm_routes: vec![route(
                    r#"{"source":["aws.cloudwatch"],"detail-type":["CloudWatch Alarm State Change"],"detail":{"alarmName":["cpu"]}}"#,
                )],
            }),
        );
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Manual, Status::Fail]);
        assert!(
            out[0].message.contains("to-pagerduty"),
            "{}",
            out[0].message
        );
        // A rule that names no alarm routes them all.
        inv.events.insert(
            REGION.into(),
            Collected::Ok(Events {
                alarm_routes: vec![route(
                    r#"{"detail-type":["CloudWatch Alarm State Change"]}"#,
                )],
            }),
        );
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Manual, Status::Manual]);
    }

    #[test]
    fn incident_manager_and_opsitems_reach_people() {
        let out = judge(vec![
            alarm(
                "plan",
                &["arn:aws:ssm-incidents::111122223333:response-plan/api-down"],
            ),
            alarm("ops", &["arn:aws:ssm:eu-west-1:111122223333:opsitem:2"]),
        ]);
        assert_eq!(statuses(&out), [Status::Pass, Status::Pass]);
    }

    #[test]
    fn what_cannot_be_seen_is_manual_never_fail() {
        let out = judge(vec![
            alarm(
                "other-account",
                &["arn:aws:sns:eu-west-1:999988887777:pager"],
            ),
            alarm(
                "other-region",
                &["arn:aws:sns:ap-south-1:111122223333:pager"],
            ),
            alarm(
                "lambda",
                &["arn:aws:lambda:eu-west-1:111122223333:function:to-slack"],
            ),
        ]);
        assert_eq!(
            statuses(&out),
            [Status::Manual, Status::Manual, Status::Manual]
        );
        assert!(out[0].message.contains("999988887777"));
        assert!(out[1].message.contains("ap-south-1"));
    }

    #[test]
    fn a_topic_whose_region_failed_to_read_is_an_error() {
        let mut inv = inventory(vec![alarm("a", &[TOPIC])], true);
        inv.sns.insert(
            REGION.into(),
            Collected::Error(crate::checks::testing::denied(
                "sns",
                "ListSubscriptions",
                REGION,
            )),
        );
        let out = mon_07_alarm_notifications(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Error]);
    }

    #[test]
    fn alarms_that_act_on_their_own_are_not_asked_to_page() {
        let policy = "arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:1:resource/ecs/service/c/s:policyName/cpu";
        let out = judge(vec![
            alarm("TargetTracking-service/c/s-AlarmHigh-1", &[policy]),
            alarm("recover", &["arn:aws:automate:eu-west-1:ec2:recover"]),
            alarm("cpu-high", &[]),
        ]);
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].message.contains("cpu-high"));
    }
}
