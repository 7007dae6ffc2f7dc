//! AWS Backup: vaults, plans with their rules and selections, and the restore jobs of the
//! last 90 days (read only where a vault exists). Per-plan reads run concurrently; a plan or
//! selection that cannot be read is kept as that part's error.
//!
//! Emulator gap (moto 5.2.5): ListBackupSelections answers 500 and ListRestoreJobs 404, so
//! against the emulator, in a region with a plan or a vault, selections and restore jobs are
//! errors; the rules on them are unit-tested on built inventories.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_sdk_backup::types::RestoreJobStatus;
use futures::{stream, StreamExt};

use super::{rfc3339, Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{
    Backup, BackupPlan, BackupRule, BackupSelection, Collected, RestoreJob, TagCondition,
    RESTORE_WINDOW_DAYS,
};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Backup, CollectError> {
    let client = aws_sdk_backup::Client::new(&config);
    let (vaults, plans) = tokio::join!(
        ctx.pages(
            "ListBackupVaults",
            client
                .list_backup_vaults()
                .max_results(1000)
                .into_paginator()
                .send(),
        ),
        ctx.pages(
            "ListBackupPlans",
            client
                .list_backup_plans()
                .max_results(1000)
                .into_paginator()
                .send(),
        ),
    );
    let mut vaults: Vec<String> = vaults?
        .iter()
        .flat_map(|p| p.backup_vault_list())
        .filter_map(|v| v.backup_vault_name().map(str::to_owned))
        .collect();
    vaults.sort();
    let restore_jobs = restore_jobs(&ctx, &client, &vaults).await;
    let listed: Vec<(String, String, String)> = plans?
        .iter()
        .flat_map(|p| p.backup_plans_list())
        .map(|p| {
            (
                p.backup_plan_arn().unwrap_or_default().to_owned(),
                p.backup_plan_id().unwrap_or_default().to_owned(),
                p.backup_plan_name().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut plans: Vec<BackupPlan> = stream::iter(listed)
        .map(|(arn, id, name)| plan(&ctx, &client, arn, id, name))
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    plans.sort_by(|a, b| a.arn.cmp(&b.arn));
    // Whether a plan protects resources selected by tag or wildcard depends on the region's
    // opt-in of their service: read only where a plan could use it.
    let opt_in = if plans.is_empty() {
        Collected::Ok(BTreeMap::new())
    } else {
        opt_in(&ctx, &client).await
    };
    Ok(Backup {
        vaults,
        plans,
        restore_jobs,
        opt_in,
    })
}

async fn plan(
    ctx: &Ctx,
    client: &aws_sdk_backup::Client,
    arn: String,
    id: String,
    name: String,
) -> BackupPlan {
    let (described, selections) = tokio::join!(
        ctx.call(
            "GetBackupPlan",
            client.get_backup_plan().backup_plan_id(&id).send()
        ),
        selections(ctx, client, &id),
    );
    let (rules, error) = match described {
        Ok(out) => (
            out.backup_plan()
                .map(|p| {
                    p.rules()
                        .iter()
                        .map(|r| BackupRule {
                            name: r.rule_name().to_owned(),
                            vault: r.target_backup_vault_name().to_owned(),
                            schedule: r.schedule_expression().map(str::to_owned),
                            delete_after_days: r.lifecycle().and_then(|l| l.delete_after_days()),
                            start_window_minutes: r.start_window_minutes(),
                            // arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME
                            copy_regions: r
                                .copy_actions()
                                .iter()
                                .filter_map(|c| c.destination_backup_vault_arn().split(':').nth(3))
                                .map(str::to_owned)
                                .collect(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e)),
    };
    BackupPlan {
        arn,
        id,
        name,
        rules,
        error,
        selections,
    }
}

/// Restores completed in the window. A restore job restores a recovery point, which lives in
/// a vault: a region without a vault has no AWS Backup restore to list, and most regions of a
/// scan have none.
async fn restore_jobs(
    ctx: &Ctx,
    client: &aws_sdk_backup::Client,
    vaults: &[String],
) -> Collected<Vec<RestoreJob>> {
    if vaults.is_empty() {
        return Collected::Ok(Vec::new());
    }
    let since = SystemTime::now() - Duration::from_secs(RESTORE_WINDOW_DAYS * 86_400);
    let pages = ctx
        .pages(
            "ListRestoreJobs",
            client
                .list_restore_jobs()
                .by_status(RestoreJobStatus::Completed)
                .by_complete_after(since.into())
                .max_results(1000)
                .into_paginator()
                .send(),
        )
        .await;
    match pages {
        Ok(pages) => Collected::Ok(
            pages
                .iter()
                .flat_map(|p| p.restore_jobs())
                .map(|j| RestoreJob {
                    id: j.restore_job_id().unwrap_or_default().to_owned(),
                    status: j.status().map(|s| s.as_str().to_owned()),
                    resource_type: j.resource_type().map(str::to_owned),
                    created_resource_arn: j.created_resource_arn().map(str::to_owned),
                    completed: j.completion_date().map(rfc3339),
                })
                .collect(),
        ),
        Err(e) => Collected::Error(e),
    }
}

/// The region's opt-in per resource type.
async fn opt_in(ctx: &Ctx, client: &aws_sdk_backup::Client) -> Collected<BTreeMap<String, bool>> {
    let settings = ctx
        .call(
            "DescribeRegionSettings",
            client.describe_region_settings().send(),
        )
        .await;
    match settings {
        Ok(out) => Collected::Ok(
            out.resource_type_opt_in_preference()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
                .unwrap_or_default(),
        ),
        Err(e) => Collected::Error(e),
    }
}

async fn selections(
    ctx: &Ctx,
    client: &aws_sdk_backup::Client,
    plan_id: &str,
) -> Collected<Vec<BackupSelection>> {
    let listed = match ctx
        .pages(
            "ListBackupSelections",
            client
                .list_backup_selections()
                .backup_plan_id(plan_id)
                .max_results(1000)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages,
        Err(e) => return Collected::Error(e),
    };
    let ids: Vec<(String, String)> = listed
        .iter()
        .flat_map(|p| p.backup_selections_list())
        .map(|s| {
            (
                s.selection_id().unwrap_or_default().to_owned(),
                s.selection_name().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut selections: Vec<BackupSelection> = stream::iter(ids)
        .map(|(id, name)| async move {
            let got = ctx
                .call(
                    "GetBackupSelection",
                    client
                        .get_backup_selection()
                        .backup_plan_id(plan_id)
                        .selection_id(&id)
                        .send(),
                )
                .await;
            match got {
                Ok(out) => selection(name, out.backup_selection()),
                Err(e) => BackupSelection {
                    name,
                    resources: Vec::new(),
                    not_resources: Vec::new(),
                    tags: Vec::new(),
                    conditions: Vec::new(),
                    error: Some(e),
                },
            }
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    selections.sort_by(|a, b| a.name.cmp(&b.name));
    Collected::Ok(selections)
}

/// A selection read with GetBackupSelection.
fn selection(name: String, s: Option<&aws_sdk_backup::types::BackupSelection>) -> BackupSelection {
    BackupSelection {
        name,
        resources: s.map(|s| s.resources().to_vec()).unwrap_or_default(),
        not_resources: s.map(|s| s.not_resources().to_vec()).unwrap_or_default(),
        tags: s
            .map(|s| {
                s.list_of_tags()
                    .iter()
                    .map(|c| (c.condition_key().to_owned(), c.condition_value().to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        conditions: s
            .and_then(|s| s.conditions())
            .map(conditions)
            .unwrap_or_default(),
        error: None,
    }
}

/// A selection's `Conditions`, flattened: every one must hold for a resource to be selected.
fn conditions(c: &aws_sdk_backup::types::Conditions) -> Vec<TagCondition> {
    let tests = [
        ("StringEquals", c.string_equals()),
        ("StringNotEquals", c.string_not_equals()),
        ("StringLike", c.string_like()),
        ("StringNotLike", c.string_not_like()),
    ];
    tests
        .into_iter()
        .flat_map(|(test, params)| {
            params.iter().map(move |p| TagCondition {
                test: test.to_owned(),
                key: p
                    .condition_key()
                    .unwrap_or_default()
                    .trim_start_matches("aws:ResourceTag/")
                    .to_owned(),
                value: p.condition_value().unwrap_or_default().to_owned(),
            })
        })
        .collect()
}
