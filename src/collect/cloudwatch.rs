//! CloudWatch: alarms (metric and composite) and dashboards. (aws-sdk-cloudwatch speaks
//! Smithy RPCv2-CBOR; against moto the emulator front translates, see mocks/emulator/front.py.)

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{AlarmType, Dimension, Metric};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Alarm, CloudWatch, MetricRef};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<CloudWatch, CollectError> {
    let client = aws_sdk_cloudwatch::Client::new(&config);
    let (alarm_pages, dashboard_pages) = tokio::try_join!(
        ctx.pages(
            "DescribeAlarms",
            // Without AlarmTypes, DescribeAlarms returns metric alarms only: the composite
            // alarm that pages for its children would never be seen.
            client
                .describe_alarms()
                .alarm_types(AlarmType::MetricAlarm)
                .alarm_types(AlarmType::CompositeAlarm)
                .max_records(100)
                .into_paginator()
                .send()
        ),
        ctx.pages(
            "ListDashboards",
            client.list_dashboards().into_paginator().send()
        ),
    )?;
    let mut alarms = Vec::new();
    for page in &alarm_pages {
        alarms.extend(page.metric_alarms().iter().map(|a| {
            Alarm {
                name: a.alarm_name().unwrap_or_default().to_owned(),
                arn: a.alarm_arn().unwrap_or_default().to_owned(),
                kind: "metric".into(),
                metric: a.metric_name().map(|name| MetricRef {
                    namespace: a.namespace().unwrap_or_default().to_owned(),
                    name: name.to_owned(),
                    dimensions: dimensions(a.dimensions()),
                }),
                math_metrics: a
                    .metrics()
                    .iter()
                    .filter_map(|q| q.metric_stat().and_then(|s| s.metric()))
                    .map(metric_ref)
                    .collect(),
                actions_enabled: a.actions_enabled().unwrap_or(true),
                alarm_actions: a.alarm_actions().to_vec(),
                state: a.state_value().map(|s| s.as_str().to_owned()),
                rule: None,
                expressions: a
                    .metrics()
                    .iter()
                    .filter_map(|q| q.expression().map(str::to_owned))
                    .collect(),
            }
        }));
        alarms.extend(page.composite_alarms().iter().map(|a| Alarm {
            name: a.alarm_name().unwrap_or_default().to_owned(),
            arn: a.alarm_arn().unwrap_or_default().to_owned(),
            kind: "composite".into(),
            metric: None,
            math_metrics: Vec::new(),
            actions_enabled: a.actions_enabled().unwrap_or(true),
            alarm_actions: a.alarm_actions().to_vec(),
            state: a.state_value().map(|s| s.as_str().to_owned()),
            rule: a.alarm_rule().map(str::to_owned),
            expressions: Vec::new(),
        }));
    }
    alarms.sort_by(|a, b| a.arn.cmp(&b.arn));
    let mut dashboards: Vec<String> = dashboard_pages
        .iter()
        .flat_map(|p| p.dashboard_entries())
        .filter_map(|d| d.dashboard_name().map(str::to_owned))
        .collect();
    dashboards.sort();
    Ok(CloudWatch {
        alarms,
        dashboards,
        alarm_errors: Vec::new(),
    })
}

fn dimensions(dims: &[Dimension]) -> BTreeMap<String, String> {
    dims.iter()
        .map(|d| {
            (
                d.name().unwrap_or_default().to_owned(),
                d.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn metric_ref(m: &Metric) -> MetricRef {
    MetricRef {
        namespace: m.namespace().unwrap_or_default().to_owned(),
        name: m.metric_name().unwrap_or_default().to_owned(),
        dimensions: dimensions(m.dimensions()),
    }
}
