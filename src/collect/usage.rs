//! Usage CloudWatch can tell, for the cost estimate: each bucket's size (`BucketSizeBytes`,
//! reported daily by S3), each table's consumed read and write capacity, each log group's
//! ingested bytes (`IncomingBytes`) and each NAT gateway's processed bytes over 30 days. Runs after the buckets, tables and log
//! groups are known; one GetMetricData call answers up to 500 queries.
//!
//! A resource without a datapoint is left out: the estimate tells an idle one (older than
//! the window: CloudWatch publishes these metrics only when there is activity) from one it
//! cannot know (younger than the window).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::total::Total;
use crate::inventory::Usage;

/// The most queries one GetMetricData call takes.
const QUERIES_PER_CALL: usize = 500;
/// The window consumed capacity is summed over: a month.
const MONTH: Duration = Duration::from_secs(crate::inventory::USAGE_WINDOW_DAYS * 86_400);

enum Query {
    BucketBytes(String),
    TableWrites(String),
    TableReads(String),
    LogIncoming(String),
    /// A NAT gateway's bytes in, from one side (`BytesInFromSource` or
    /// `BytesInFromDestination`): together, what it processed.
    NatBytes(String, &'static str),
}

fn metric(namespace: &str, name: &str, dims: &[(&str, &str)]) -> Metric {
    let mut m = Metric::builder().namespace(namespace).metric_name(name);
    for (k, v) in dims {
        m = m.dimensions(Dimension::builder().name(*k).value(*v).build());
    }
    m.build()
}

fn query(id: String, metric: Metric, period: i32, stat: &str) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(period)
                .stat(stat)
                .build(),
        )
        .return_data(true)
        .build()
}

impl Query {
    fn to_query(&self, id: String) -> MetricDataQuery {
        match self {
            // Daily: the latest day's size is the one that counts.
            Query::BucketBytes(b) => query(
                id,
                metric(
                    "AWS/S3",
                    "BucketSizeBytes",
                    // CloudWatch matches dimensions as a set; the emulator only in the order
                    // S3 publishes them, which this is.
                    &[("StorageType", "StandardStorage"), ("BucketName", b)],
                ),
                86_400,
                "Average",
            ),
            Query::TableWrites(t) => query(
                id,
                metric(
                    "AWS/DynamoDB",
                    "ConsumedWriteCapacityUnits",
                    &[("TableName", t)],
                ),
                MONTH.as_secs() as i32,
                "Sum",
            ),
            Query::TableReads(t) => query(
                id,
                metric(
                    "AWS/DynamoDB",
                    "ConsumedReadCapacityUnits",
                    &[("TableName", t)],
                ),
                MONTH.as_secs() as i32,
                "Sum",
            ),
            Query::LogIncoming(g) => query(
                id,
                metric("AWS/Logs", "IncomingBytes", &[("LogGroupName", g)]),
                MONTH.as_secs() as i32,
                "Sum",
            ),
            Query::NatBytes(n, side) => query(
                id,
                metric("AWS/NATGateway", side, &[("NatGatewayId", n)]),
                MONTH.as_secs() as i32,
                "Sum",
            ),
        }
    }
}

/// Every page's datapoints, per query id: results can span pages.
fn values_by_id(
    pages: &[aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput],
) -> BTreeMap<String, Vec<(i64, f64)>> {
    let mut values: BTreeMap<String, Vec<(i64, f64)>> = BTreeMap::new();
    for page in pages {
        for r in page.metric_data_results() {
            let Some(id) = r.id() else { continue };
            values.entry(id.to_owned()).or_default().extend(
                r.timestamps()
                    .iter()
                    .map(|t| t.secs())
                    .zip(r.values().iter().copied()),
            );
        }
    }
    values
}

pub async fn collect(
    ctx: Ctx,
    config: SdkConfig,
    buckets: Vec<String>,
    tables: Vec<String>,
    log_groups: Vec<String>,
    nat_gateways: Vec<String>,
) -> Result<Usage, CollectError> {
    let mut usage = Usage::default();
    let queries: Vec<Query> = buckets
        .into_iter()
        .map(Query::BucketBytes)
        .chain(
            tables
                .into_iter()
                .flat_map(|t| [Query::TableWrites(t.clone()), Query::TableReads(t)]),
        )
        .chain(log_groups.into_iter().map(Query::LogIncoming))
        .chain(nat_gateways.into_iter().flat_map(|n| {
            [
                Query::NatBytes(n.clone(), "BytesInFromSource"),
                Query::NatBytes(n, "BytesInFromDestination"),
            ]
        }))
        .collect();
    if queries.is_empty() {
        return Ok(usage);
    }
    let client = aws_sdk_cloudwatch::Client::new(&config);
    let end = SystemTime::now();
    let start = end - MONTH;
    for (chunk_no, chunk) in queries.chunks(QUERIES_PER_CALL).enumerate() {
        let mut request = client
            .get_metric_data()
            .start_time(start.into())
            .end_time(end.into());
        for (i, q) in chunk.iter().enumerate() {
            let id = format!("q{chunk_no}_{i}");
            request = request.metric_data_queries(q.to_query(id));
        }
        let pages = ctx
            .pages("GetMetricData", request.into_paginator().send())
            .await?;
        let values = values_by_id(&pages);
        for (i, q) in chunk.iter().enumerate() {
            let Some(points) = values.get(&format!("q{chunk_no}_{i}")) else {
                continue;
            };
            if points.is_empty() {
                continue;
            }
            match q {
                Query::BucketBytes(b) => {
                    let latest = points.iter().max_by_key(|(t, _)| *t).map(|(_, v)| *v);
                    usage.bucket_bytes.extend(latest.map(|v| (b.clone(), v)));
                }
                Query::TableWrites(t) => {
                    usage
                        .table_writes
                        .insert(t.clone(), points.iter().map(|(_, v)| *v).total());
                }
                Query::TableReads(t) => {
                    usage
                        .table_reads
                        .insert(t.clone(), points.iter().map(|(_, v)| *v).total());
                }
                Query::LogIncoming(g) => {
                    usage
                        .log_incoming_bytes
                        .insert(g.clone(), points.iter().map(|(_, v)| *v).total());
                }
                Query::NatBytes(n, _) => {
                    *usage.nat_processed_bytes.entry(n.clone()).or_default() +=
                        points.iter().map(|(_, v)| v).sum::<f64>();
                }
            }
        }
    }
    Ok(usage)
}
