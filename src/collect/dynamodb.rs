//! DynamoDB: tables, their point-in-time recovery setting, replicas and restore origin.

use aws_config::SdkConfig;
use aws_sdk_dynamodb::types::{KeyType, PointInTimeRecoveryStatus};
use futures::{stream, StreamExt};

use super::{is_not_found, rfc3339, Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{
    Collected, DynamoDb, KeyAttribute, LegacyGlobalTable, ResourceError, RestoreSummary, Table,
};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<DynamoDb, CollectError> {
    let client = aws_sdk_dynamodb::Client::new(&config);
    let names: Vec<String> = ctx
        .pages(
            "ListTables",
            client.list_tables().limit(100).into_paginator().send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.table_names().iter().cloned())
        .collect();

    let legacy = legacy_global_tables(&ctx, &client);
    let described = stream::iter(names)
        .map(|name| async {
            let result = table(&ctx, &client, name.clone()).await;
            (name, result)
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect::<Vec<_>>();
    let (described, legacy_global_tables) = tokio::join!(described, legacy);
    let mut tables = Vec::new();
    let mut errors = Vec::new();
    for (name, result) in described {
        match result {
            Ok(t) => tables.extend(t),
            Err(e) if e.is_interrupted() => return Err(e),
            Err(error) => errors.push(ResourceError {
                resource: name,
                error,
            }),
        }
    }
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    errors.sort_by(|a, b| a.resource.cmp(&b.resource));
    Ok(DynamoDb {
        tables,
        errors,
        legacy_global_tables,
    })
}

/// An answer that says the region has no legacy global tables rather than that the read
/// failed: the operation unknown there.
fn not_offered(e: &CollectError) -> bool {
    e.code.as_deref() == Some("UnknownOperationException")
}

/// Global tables of version 2017.11.29 with a replica in this region. DescribeTable's
/// `Replicas` lists only version 2019.11.21 replicas, so these need their own list.
async fn legacy_global_tables(
    ctx: &Ctx,
    client: &aws_sdk_dynamodb::Client,
) -> Collected<Vec<LegacyGlobalTable>> {
    let mut found = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let call = client
            .list_global_tables()
            .region_name(&ctx.region)
            .set_exclusive_start_global_table_name(start.take())
            .limit(100)
            .send();
        let page = match ctx.call("ListGlobalTables", call).await {
            Ok(page) => page,
            // Regions opened after version 2019.11.21 have no legacy global tables, and may
            // not know the operation: nothing there to replicate.
            Err(e) if not_offered(&e) => break,
            Err(e) => return Collected::Error(e),
        };
        found.extend(page.global_tables().iter().map(|g| {
            LegacyGlobalTable {
                name: g.global_table_name().unwrap_or_default().to_owned(),
                replica_regions: g
                    .replication_group()
                    .iter()
                    .filter_map(|r| r.region_name())
                    .filter(|r| *r != ctx.region)
                    .map(str::to_owned)
                    .collect(),
            }
        }));
        match page.last_evaluated_global_table_name() {
            Some(next) if !next.is_empty() => start = Some(next.to_owned()),
            _ => break,
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Collected::Ok(found)
}

/// Whether point-in-time recovery is on, and its recovery period in days.
fn pitr(
    b: &aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput,
) -> (bool, Option<i32>) {
    let pitr = b
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description());
    (
        pitr.and_then(|p| p.point_in_time_recovery_status())
            == Some(&PointInTimeRecoveryStatus::Enabled),
        pitr.and_then(|p| p.recovery_period_in_days()),
    )
}

/// The table's partition key and its attribute type.
fn hash_key(t: &aws_sdk_dynamodb::types::TableDescription) -> Option<KeyAttribute> {
    t.key_schema()
        .iter()
        .find(|k| k.key_type() == &KeyType::Hash)
        .map(|k| KeyAttribute {
            name: k.attribute_name().to_owned(),
            kind: t
                .attribute_definitions()
                .iter()
                .find(|a| a.attribute_name() == k.attribute_name())
                .map(|a| a.attribute_type().as_str().to_owned()),
        })
}

/// The capacity units the table and its global secondary indexes have provisioned together;
/// `None` when DescribeTable reports none.
fn provisioned(
    t: &aws_sdk_dynamodb::types::TableDescription,
    units: impl Fn(&aws_sdk_dynamodb::types::ProvisionedThroughputDescription) -> Option<i64>,
) -> Option<i64> {
    let table = t.provisioned_throughput().and_then(&units);
    let indexes = t
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.provisioned_throughput().and_then(&units));
    table.map(|u| u + indexes.sum::<i64>())
}

/// One table: its description and its backup settings, both at once. A table deleted
/// since the list is skipped; a backup setting that cannot be read is kept as that
/// table's error, so one locked-down table does not hide the others.
async fn table(
    ctx: &Ctx,
    client: &aws_sdk_dynamodb::Client,
    name: String,
) -> Result<Option<Table>, CollectError> {
    let (described, backups) = tokio::join!(
        ctx.call(
            "DescribeTable",
            client.describe_table().table_name(&name).send()
        ),
        ctx.call(
            "DescribeContinuousBackups",
            client
                .describe_continuous_backups()
                .table_name(&name)
                .send()
        ),
    );
    let described = match described {
        Ok(d) => d,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(t) = described.table() else {
        return Ok(None);
    };
    let (pitr_enabled, pitr_recovery_days, backups_error) = match backups {
        Ok(b) => {
            let (enabled, days) = pitr(&b);
            (Some(enabled), days, None)
        }
        Err(e) => (None, None, Some(e)),
    };
    Ok(Some(Table {
        arn: t.table_arn().unwrap_or_default().to_owned(),
        name: t.table_name().unwrap_or(&name).to_owned(),
        status: t.table_status().map(|s| s.as_str().to_owned()),
        billing_mode: t
            .billing_mode_summary()
            .and_then(|b| b.billing_mode())
            .map(|m| m.as_str().to_owned()),
        provisioned_reads: provisioned(t, |p| p.read_capacity_units()),
        provisioned_writes: provisioned(t, |p| p.write_capacity_units()),
        table_class: t
            .table_class_summary()
            .and_then(|c| c.table_class())
            .map(|c| c.as_str().to_owned()),
        created: t.creation_date_time().map(rfc3339),
        size_bytes: t.table_size_bytes(),
        item_count: t.item_count(),
        hash_key: hash_key(t),
        sse_type: t
            .sse_description()
            .and_then(|s| s.sse_type())
            .map(|s| s.as_str().to_owned()),
        kms_key_arn: t
            .sse_description()
            .and_then(|s| s.kms_master_key_arn())
            .map(str::to_owned),
        pitr_enabled,
        pitr_recovery_days,
        backups_error,
        replica_statuses: t
            .replicas()
            .iter()
            .filter_map(|r| Some((r.region_name()?, r.replica_status()?)))
            .filter(|(r, _)| *r != ctx.region)
            .map(|(r, s)| (r.to_owned(), s.as_str().to_owned()))
            .collect(),
        replica_regions: t
            .replicas()
            .iter()
            .filter_map(|r| r.region_name())
            .filter(|r| *r != ctx.region)
            .map(str::to_owned)
            .collect(),
        restored: t.restore_summary().map(|r| RestoreSummary {
            source_table_arn: r.source_table_arn().map(str::to_owned),
            source_backup_arn: r.source_backup_arn().map(str::to_owned),
            restored_at: rfc3339(r.restore_date_time()),
            in_progress: r.restore_in_progress(),
        }),
    }))
}
