//! Phase 2 — Backup Strategy.

use super::NOWHERE;
use super::{
    account_arn, age_days, buckets, dynamodb_parts, glob_match, input, or_not_applicable, state,
    Outcome,
};
use crate::config::{AttestedResult, Config};
use crate::error::CollectError;
use crate::inventory::RESTORE_WINDOW_DAYS;
use std::collections::BTreeMap;

use super::{Check, FixInput};
use crate::catalog::prices::{assuming, oks, CostLine, GB};
use crate::inventory::total::Total;
use crate::inventory::{
    Backup, BackupPlan, BackupRule, BackupSelection, Collected, DynamoDb, Inventory, Table,
};

const CATALOG: &str = "checks/backup.toml";

const BAK_05: Check = Check::new("BAK-05", bak_05_restore_tested, CATALOG);
// Named for the recovery estimates, whose cheapest change may be their fixes.
pub(super) const BAK_01: Check = Check::new("BAK-01", bak_01_pitr, CATALOG)
    .costing(|f| {
        vec![f.line(
            "point-in-time recovery",
            table_gb(f),
            "GB-month",
            f.prices.dynamodb_pitr_gb_month,
        )]
    })
    .on_plans();
pub(super) const BAK_02: Check = Check::new("BAK-02", bak_02_backup_plan, CATALOG)
    .expecting(|c| {
        format!(
            "a scheduled AWS Backup rule into an existing vault, retention >= {} days (or never deleted), selecting the table",
            c.thresholds.backup_retention_days
        )
    })
    .costing(bak_02_fix_cost);
pub(super) const BAK_04: Check =
    Check::new("BAK-04", bak_04_versioning, CATALOG).costing(bak_04_fix_cost);
pub(super) const BAK_06: Check = Check::new("BAK-06", bak_06_replication, CATALOG)
    .costing(bak_06_fix_cost)
    .on_plans();

pub const CHECKS: &[Check] = &[
    BAK_01,
    BAK_02,
    Check::new("BAK-03", bak_03_lifecycle, CATALOG),
    BAK_04,
    BAK_05,
    BAK_06,
];

/// The tables' size in GB, the Terraform lock table left out.
fn table_gb(f: &FixInput) -> f64 {
    oks(&f.inv.dynamodb)
        .flat_map(|d| &d.tables)
        .filter(|t| !state::is_lock_table(t, f.config))
        .map(|t| t.size_bytes.unwrap_or(0) as f64 / GB)
        .total()
}

fn bak_02_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let days = f.config.thresholds.backup_retention_days;
    vec![assuming(
        f.line(
            "AWS Backup storage",
            table_gb(f) * days as f64,
            "GB-month",
            f.prices.dynamodb_backup_gb_month,
        ),
        format!("a daily full backup kept {days} days"),
    )]
}

fn bak_04_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let a = f.assumptions;
    vec![assuming(
        f.line(
            "versions kept",
            f.failing * a.s3_gb_per_data_bucket * a.versioning_overhead,
            "GB-month",
            f.prices.s3_standard_gb_month,
        ),
        format!(
            "{} % more storage per bucket",
            a.versioning_overhead * 100.0
        ),
    )]
}

/// A replica of every table and data bucket in a second region.
fn bak_06_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let (p, a) = (f.prices, f.assumptions);
    let data_buckets = buckets::all(f.inv)
        .map(|all| {
            all.iter()
                .filter(|b| buckets::is_data(b, f.inv, f.config))
                .count()
        })
        .unwrap_or(0) as f64;
    let tables = oks(&f.inv.dynamodb)
        .flat_map(|d| &d.tables)
        .filter(|t| !state::is_lock_table(t, f.config))
        .count() as f64;
    let bucket_gb = data_buckets * a.s3_gb_per_data_bucket;
    vec![
        f.line(
            "table replica storage",
            table_gb(f),
            "GB-month",
            p.dynamodb_storage_gb_month,
        ),
        assuming(
            f.line(
                "replicated writes",
                tables * a.dynamodb_million_writes_per_table,
                "million rWRU",
                p.dynamodb_million_writes,
            ),
            format!(
                "{}M writes per table per month",
                a.dynamodb_million_writes_per_table
            ),
        ),
        assuming(
            f.line(
                "bucket replica storage",
                bucket_gb,
                "GB-month",
                p.s3_standard_gb_month,
            ),
            format!("{} GB per data bucket", a.s3_gb_per_data_bucket),
        ),
        assuming(
            f.line(
                "replication transfer",
                bucket_gb,
                "GB",
                p.inter_region_transfer_gb,
            ),
            "each bucket's data copied once a month",
        ),
    ]
}

pub fn bak_01_pitr(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ddb) in dynamodb_parts(inv, &mut out) {
        for t in &ddb.tables {
            out.push(match (t.pitr_enabled, &t.backups_error) {
                (Some(true), _) => Outcome::pass(
                    &t.arn,
                    region,
                    match t.pitr_recovery_days {
                        Some(days) => format!(
                            "PointInTimeRecoveryStatus=ENABLED, RecoveryPeriodInDays={days}"
                        ),
                        None => "PointInTimeRecoveryStatus=ENABLED".to_owned(),
                    },
                    format!("table {} has point-in-time recovery", t.name),
                ),
                (Some(false), _) => Outcome::fail(
                    &t.arn,
                    region,
                    "PointInTimeRecoveryStatus=DISABLED",
                    format!("table {} cannot be restored to a point in time", t.name),
                ),
                (None, Some(e)) => Outcome::error(&t.arn, e),
                (None, None) => Outcome::fail(
                    &t.arn,
                    region,
                    "no continuous backups description",
                    format!("table {} reports no point-in-time recovery", t.name),
                ),
            });
        }
    }
    or_not_applicable(out, "DynamoDB tables")
}

/// BAK-03: data buckets manage their objects' lifetime.
pub fn bak_03_lifecycle(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    buckets::judge_data(inv, config, |b| match &b.lifecycle {
        Collected::Ok(Some(l)) if l.enabled_rules > 0 => Outcome::pass(
            &b.arn,
            buckets::region(b),
            format!("{} enabled lifecycle rule(s)", l.enabled_rules),
            format!("bucket {} has a lifecycle configuration", b.name),
        ),
        Collected::Ok(_) => Outcome::fail(
            &b.arn,
            buckets::region(b),
            "no enabled lifecycle rule",
            format!(
                "bucket {} keeps every object and version forever: no lifecycle rule",
                b.name
            ),
        ),
        Collected::Error(e) => Outcome::error(&b.arn, e),
    })
}

/// BAK-04: data buckets keep previous versions of overwritten or deleted objects.
pub fn bak_04_versioning(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    buckets::judge_data(inv, config, |b| match &b.versioning {
        Collected::Ok(Some(s)) if s == "Enabled" => Outcome::pass(
            &b.arn,
            buckets::region(b),
            "versioning Enabled",
            format!("bucket {} keeps previous versions", b.name),
        ),
        Collected::Ok(s) => Outcome::fail(
            &b.arn,
            buckets::region(b),
            format!("versioning {}", s.as_deref().unwrap_or("never enabled")),
            format!(
                "an overwritten or deleted object in bucket {} is lost for good",
                b.name
            ),
        ),
        Collected::Error(e) => Outcome::error(&b.arn, e),
    })
}

/// What AWS Backup runs a rule on when it has no `ScheduleExpression` (BackupRule, API
/// reference): daily at 05:00 UTC.
const DEFAULT_SCHEDULE: &str = "cron(0 5 ? * * *) (AWS Backup's default)";

/// A plan rule that protects data: it runs on a schedule (its own, or AWS Backup's default), into a vault that exists, and keeps
/// recovery points long enough. `Err` says why the plan's rules do not.
fn qualifying_rule(plan: &BackupPlan, backup: &Backup, min_days: i64) -> Result<String, String> {
    let mut why = Vec::new();
    for r in &plan.rules {
        let retention = r.delete_after_days;
        if !backup.vaults.contains(&r.vault) {
            why.push(format!("rule {} targets missing vault {}", r.name, r.vault));
        } else if retention.is_some_and(|d| d < min_days) {
            why.push(format!(
                "rule {} keeps backups {} days",
                r.name,
                retention.unwrap_or_default()
            ));
        } else {
            return Ok(format!(
                "plan {}, rule {} ({}), vault {}, retention {}",
                plan.name,
                r.name,
                r.schedule.as_deref().unwrap_or(DEFAULT_SCHEDULE),
                r.vault,
                retention.map_or("forever".to_owned(), |d| format!("{d} days"))
            ));
        }
    }
    if plan.rules.is_empty() {
        why.push(format!("plan {} has no rules", plan.name));
    }
    Err(format!("plan {}: {}", plan.name, why.join(", ")))
}

/// The tag key a `ListOfTags` condition names. AWS Backup's own examples write it with the
/// condition-key prefix (`aws:ResourceTag/Department`); without one it is the bare key.
fn tag_key(condition_key: &str) -> &str {
    condition_key
        .split_once("ResourceTag/")
        .map_or(condition_key, |(_, key)| key)
}

/// Whether a selection picks the table: by ARN (wildcards allowed) or by one of its tags,
/// not excluded by `NotResources`, and passing every one of its `Conditions`. `None` when
/// that turns on tags that could not be read.
///
/// AWS Backup protects a table chosen by tag, by `*` or by `arn:aws:dynamodb:*` only where
/// DynamoDB is opted in to AWS Backup in the region; a pattern that names the resource type
/// (`…:table/…`) protects it whatever the opt-in (UpdateRegionSettings, API reference).
/// `opted_in` is `None` when the opt-in could not be read.
fn selects(
    sel: &BackupSelection,
    t: &Table,
    tags: Option<&BTreeMap<String, String>>,
    opted_in: Option<bool>,
) -> Option<bool> {
    let picked = picks(sel, t, tags)?;
    let typed = sel
        .resources
        .iter()
        .any(|p| p.contains(":table/") && glob_match(p, &t.arn));
    match (picked, typed, opted_in) {
        (true, false, Some(false)) => Some(false),
        (true, false, None) => None,
        _ => Some(picked),
    }
}

fn picks(
    sel: &BackupSelection,
    t: &Table,
    tags: Option<&BTreeMap<String, String>>,
) -> Option<bool> {
    let needs_tags = !sel.tags.is_empty() || !sel.conditions.is_empty();
    // A selection of `Conditions` alone narrows every (opted-in) resource: as `*`.
    let conditions_only = sel.resources.is_empty() && sel.tags.is_empty();
    let by_arn = conditions_only || sel.resources.iter().any(|p| glob_match(p, &t.arn));
    let excluded = sel.not_resources.iter().any(|p| glob_match(p, &t.arn));
    if excluded || (!by_arn && sel.tags.is_empty()) {
        return Some(false);
    }
    let tags = match tags {
        Some(tags) => tags,
        None if needs_tags => return None,
        None => return Some(by_arn),
    };
    let by_tag = sel
        .tags
        .iter()
        .any(|(k, v)| tags.get(tag_key(k)) == Some(v));
    let conditions_hold = sel.conditions.iter().all(|c| {
        let value = tags.get(&c.key).map(String::as_str);
        match c.test.as_str() {
            "StringEquals" => value == Some(c.value.as_str()),
            "StringNotEquals" => value != Some(c.value.as_str()),
            "StringLike" => value.is_some_and(|v| glob_match(&c.value, v)),
            "StringNotLike" => !value.is_some_and(|v| glob_match(&c.value, v)),
            _ => false,
        }
    });
    Some((by_arn || by_tag) && conditions_hold)
}

/// The selection of `plan` that picks `t`, if one does. A selection, or a tag or opt-in it
/// needs, that could not be read goes to `unreadable`.
fn selection_of<'a>(
    plan: &'a BackupPlan,
    t: &Table,
    backup: &'a Backup,
    tags: Result<&'a crate::inventory::Tags, Option<&'a CollectError>>,
    unreadable: &mut Option<&'a CollectError>,
) -> Result<Option<&'a BackupSelection>, &'a CollectError> {
    let sels = match &plan.selections {
        Collected::Ok(sels) => sels,
        Collected::Error(e) => return Err(e),
    };
    // Opted in unless the region says otherwise (AWS Backup's default for DynamoDB).
    let opted_in = match &backup.opt_in {
        Collected::Ok(m) => Some(m.get("DynamoDB").copied().unwrap_or(true)),
        Collected::Error(_) => None,
    };
    // Tags of the region, if read: an untagged table has none.
    let empty = BTreeMap::new();
    let table_tags = tags.map(|tags| tags.resources.get(&t.arn).unwrap_or(&empty));
    for sel in sels {
        if let Some(e) = &sel.error {
            unreadable.get_or_insert(e);
            continue;
        }
        match selects(sel, t, table_tags.ok(), opted_in) {
            Some(true) => return Ok(Some(sel)),
            Some(false) => {}
            None => {
                if let Err(Some(e)) = table_tags {
                    unreadable.get_or_insert(e);
                }
                if let Collected::Error(e) = &backup.opt_in {
                    unreadable.get_or_insert(e);
                }
            }
        }
    }
    Ok(None)
}

/// One table against the region's backup plans.
fn judge_table_backup(
    t: &Table,
    region: &str,
    backup: &Backup,
    tags: Result<&crate::inventory::Tags, Option<&CollectError>>,
    min_days: i64,
) -> Outcome {
    let mut reasons = Vec::new();
    let mut unreadable = None;
    let mut covered = None;
    for plan in &backup.plans {
        if let Some(e) = &plan.error {
            unreadable.get_or_insert(e);
            continue;
        }
        let rule = match qualifying_rule(plan, backup, min_days) {
            Ok(rule) => rule,
            Err(why) => {
                reasons.push(why);
                continue;
            }
        };
        match selection_of(plan, t, backup, tags, &mut unreadable) {
            Ok(Some(sel)) => {
                covered = Some(format!("{rule}, selection {}", sel.name));
                break;
            }
            Ok(None) => reasons.push(not_selected(plan, backup, region)),
            Err(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    match (covered, unreadable) {
        (Some(observed), _) => Outcome::pass(
            &t.arn,
            region,
            observed,
            format!("table {} is backed up by AWS Backup", t.name),
        ),
        (None, Some(e)) => Outcome::error(&t.arn, e),
        (None, None) => Outcome::fail(
            &t.arn,
            region,
            if reasons.is_empty() {
                "no AWS Backup plan".to_owned()
            } else {
                reasons.join("; ")
            },
            format!(
                "table {} has no scheduled backup kept {min_days}+ days in a vault",
                t.name
            ),
        ),
    }
}

/// The rules, into vaults that exist, of the plans that select `t`: what a restore of `t` can
/// come from. `Err` when nothing selects it and a plan, selection, tag or opt-in that might
/// could not be read.
pub(super) fn rules_backing<'a>(
    t: &Table,
    backup: &'a Backup,
    tags: Result<&'a crate::inventory::Tags, Option<&'a CollectError>>,
) -> Result<Vec<&'a BackupRule>, &'a CollectError> {
    let mut rules = Vec::new();
    let mut unreadable = None;
    for plan in &backup.plans {
        if let Some(e) = &plan.error {
            unreadable.get_or_insert(e);
            continue;
        }
        match selection_of(plan, t, backup, tags, &mut unreadable) {
            Ok(Some(_)) => rules.extend(
                plan.rules
                    .iter()
                    .filter(|r| backup.vaults.contains(&r.vault)),
            ),
            Ok(None) => {}
            Err(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    match unreadable {
        Some(e) if rules.is_empty() => Err(e),
        _ => Ok(rules),
    }
}

fn not_selected(plan: &BackupPlan, backup: &Backup, region: &str) -> String {
    let opted_out = matches!(&backup.opt_in, Collected::Ok(m) if m.get("DynamoDB") == Some(&false));
    if opted_out {
        format!("plan {} does not select it by its resource type, and DynamoDB is not opted in to AWS Backup in {region}", plan.name)
    } else {
        format!("plan {} does not select it", plan.name)
    }
}

/// BAK-02: each DynamoDB table (but the Terraform lock table) is selected by an AWS Backup
/// plan with a scheduled rule into an existing vault and a long enough retention.
pub fn bak_02_backup_plan(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let min_days = config.thresholds.backup_retention_days;
    let mut out = Vec::new();
    for (region, ddb) in dynamodb_parts(inv, &mut out) {
        let backup = input(&inv.backup, region);
        let tags = input(&inv.tags, region);
        for t in ddb
            .tables
            .iter()
            .filter(|t| !state::is_lock_table(t, config))
        {
            let backup = match backup {
                Ok(b) => b,
                Err(Some(e)) => {
                    out.push(Outcome::error(&t.arn, e));
                    continue;
                }
                Err(None) => {
                    // Not read in this region at all: said once for the region, not per table.
                    out.push(Outcome::not_collected("AWS Backup"));
                    break;
                }
            };
            out.push(judge_table_backup(t, region, backup, tags, min_days));
        }
    }
    or_not_applicable(out, "DynamoDB tables (other than the Terraform lock table)")
}

/// The restores completed in the window (AWS Backup restore jobs, tables made by a
/// restore), said, and the first read that failed.
fn restores_seen(inv: &Inventory) -> (Vec<String>, Option<&CollectError>) {
    let recent = |t: Option<&str>| {
        t.and_then(|t| age_days(inv, t))
            .is_some_and(|d| d <= RESTORE_WINDOW_DAYS as f64)
    };
    let mut seen = Vec::new();
    let mut unreadable = None;
    for part in inv.backup.values() {
        let jobs = match part {
            Collected::Ok(b) => &b.restore_jobs,
            Collected::Error(e) => {
                unreadable.get_or_insert(e);
                continue;
            }
        };
        match jobs {
            Collected::Ok(jobs) => seen.extend(
                jobs.iter()
                    .filter(|j| {
                        j.status.as_deref() == Some("COMPLETED") && recent(j.completed.as_deref())
                    })
                    .map(|j| {
                        format!(
                            "restore job {} ({}) completed {}",
                            j.id,
                            j.resource_type.as_deref().unwrap_or("resource"),
                            j.completed.as_deref().unwrap_or_default()
                        )
                    }),
            ),
            Collected::Error(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    for ddb in inv.dynamodb.values().filter_map(Collected::ok) {
        seen.extend(ddb.tables.iter().filter_map(|t| {
            let r = t.restored.as_ref()?;
            (!r.in_progress && recent(Some(&r.restored_at))).then(|| {
                format!(
                    "table {} restored {} from {}",
                    t.name,
                    r.restored_at,
                    r.source_table_arn
                        .as_deref()
                        .or(r.source_backup_arn.as_deref())
                        .unwrap_or("a backup")
                )
            })
        }));
    }
    (seen, unreadable)
}

/// A person's word on a restore test, which stands for a restore in the window as a restore
/// job would.
fn judge_attested_restore(
    inv: &Inventory,
    a: &crate::config::Attestation,
    account: &str,
) -> Outcome {
    let observed = format!(
        "attested by {} on {}: {}",
        a.attested_by, a.date, a.evidence_url
    );
    let age = age_days(inv, &format!("{}T00:00:00Z", a.date));
    let stale = age.is_some_and(|d| d > RESTORE_WINDOW_DAYS as f64);
    match a.result {
        AttestedResult::Pass if stale => Outcome::fail(
            account,
            NOWHERE,
            observed,
            format!(
                "the attested restore test is older than {RESTORE_WINDOW_DAYS} days: test a restore again"
            ),
        ),
        AttestedResult::Pass => Outcome::pass(account, NOWHERE, observed, "a restore test is attested"),
        AttestedResult::Fail => Outcome::fail(
            account,
            NOWHERE,
            observed,
            "the restore test is attested failed",
        ),
    }
}

/// BAK-05: a restore completed in the last 90 days: an AWS Backup restore job, or a DynamoDB
/// table made by a restore (a drill). Failing those, an attestation stands in: restores can
/// be tested where the account cannot see (another account, a database dump).
pub fn bak_05_restore_tested(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let (mut seen, unreadable) = restores_seen(inv);
    let account = account_arn(inv);
    if !seen.is_empty() {
        seen.sort();
        return vec![Outcome::pass(
            &account,
            NOWHERE,
            seen.join("; "),
            format!("a restore completed in the last {RESTORE_WINDOW_DAYS} days"),
        )];
    }
    if let Some(a) = config.attestations.get(BAK_05.id.as_str()) {
        return vec![judge_attested_restore(inv, a, &account)];
    }
    if let Some(e) = unreadable {
        return vec![Outcome::error(&account, e)];
    }
    if inv.backup.is_empty() {
        return vec![Outcome::not_collected("AWS Backup")];
    }
    vec![Outcome::fail(
        &account,
        NOWHERE,
        format!("no completed restore job or restored table in the last {RESTORE_WINDOW_DAYS} days"),
        "no restore has been tested: nobody knows whether the backups can be restored, or how long it takes",
    )]
}

/// BAK-06: critical data has a copy in another region: DynamoDB tables (but the lock table)
/// are global tables, data buckets replicate to a bucket in another region.
pub fn bak_06_replication(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ddb) in dynamodb_parts(inv, &mut out) {
        for t in ddb
            .tables
            .iter()
            .filter(|t| !state::is_lock_table(t, config))
        {
            out.push(judge_table_replication(t, ddb, region));
        }
    }
    match buckets::all(inv) {
        Err(o) => out.push(o),
        Ok(all) => {
            for b in all.iter().filter(|b| {
                buckets::is_data(b, inv, config) && !buckets::is_replication_copy(b, all)
            }) {
                out.push(judge_bucket_replication(b, all));
            }
        }
    }
    or_not_applicable(out, "DynamoDB tables or data buckets")
}

/// A table is replicated by a version 2019.11.21 global table (its `Replicas`) or by a
/// version 2017.11.29 one (ListGlobalTables' replication group of the same name).
/// A replica that failed to create, lost its key or sits in a disabled region stops
/// replicating, and DynamoDB removes it after 20 hours (ReplicaDescription, API reference):
/// only an active, creating or updating replica (or one whose status is not reported) counts.
pub(super) fn replicating(t: &Table) -> Vec<&str> {
    t.replica_regions
        .iter()
        .filter(|r| {
            t.replica_statuses
                .get(*r)
                .is_none_or(|s| matches!(s.as_str(), "ACTIVE" | "CREATING" | "UPDATING"))
        })
        .map(String::as_str)
        .collect()
}

fn judge_table_replication(t: &Table, ddb: &DynamoDb, region: &str) -> Outcome {
    let replicas = replicating(t);
    if !replicas.is_empty() {
        return Outcome::pass(
            &t.arn,
            region,
            format!("replicas in {}", replicas.join(", ")),
            format!("table {} is replicated to another region", t.name),
        );
    }
    let legacy = match &ddb.legacy_global_tables {
        Collected::Ok(legacy) => legacy
            .iter()
            .find(|g| g.name == t.name && !g.replica_regions.is_empty()),
        Collected::Error(e) => return Outcome::error(&t.arn, e),
    };
    match legacy {
        Some(g) => Outcome::pass(
            &t.arn,
            region,
            format!(
                "global table (version 2017.11.29) with replicas in {}",
                g.replica_regions.join(", ")
            ),
            format!("table {} is replicated to another region", t.name),
        ),
        None if t.replica_regions.is_empty() => Outcome::fail(
            &t.arn,
            region,
            "no global-table replica",
            format!("table {} exists in {region} only", t.name),
        ),
        None => Outcome::fail(
            &t.arn,
            region,
            format!(
                "replicas not replicating: {}",
                t.replica_statuses
                    .iter()
                    .map(|(r, s)| format!("{r} {s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("table {}'s replicas have stopped replicating", t.name),
        ),
    }
}

/// The replication destinations of a bucket outside its region. A destination outside the
/// account's listing (another account) counts as elsewhere.
pub(super) fn replicas_elsewhere<'a>(
    b: &crate::inventory::Bucket,
    r: &'a crate::inventory::Replication,
    all: &[crate::inventory::Bucket],
) -> Vec<&'a String> {
    r.destinations
        .iter()
        .filter(|d| {
            all.iter()
                .find(|x| x.arn == **d)
                .is_none_or(|x| x.region.as_deref() != b.region.as_deref())
        })
        .collect()
}

fn judge_bucket_replication(
    b: &crate::inventory::Bucket,
    all: &[crate::inventory::Bucket],
) -> Outcome {
    let region = buckets::region(b);
    let r = match &b.replication {
        Collected::Error(e) => return Outcome::error(&b.arn, e),
        Collected::Ok(r) => r.as_ref().filter(|r| r.enabled_rules > 0),
    };
    let Some(r) = r else {
        return Outcome::fail(
            &b.arn,
            region,
            "no enabled replication rule",
            format!("bucket {} has no copy in another region", b.name),
        );
    };
    let elsewhere = replicas_elsewhere(b, r, all);
    let observed = format!("replicates to {}", r.destinations.join(", "));
    if elsewhere.is_empty() {
        Outcome::fail(
            &b.arn,
            region,
            observed,
            format!("bucket {} replicates within its own region only", b.name),
        )
    } else {
        Outcome::pass(
            &b.arn,
            region,
            observed,
            format!("bucket {} is replicated to another region", b.name),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, statuses};
    use crate::checks::Status;
    use crate::inventory::*;

    #[test]
    fn bak_01_names_the_recovery_window_it_read() {
        let mut short = table("maps");
        short.pitr_recovery_days = Some(7);
        let inv = with_backup(vec![short], vec![]);
        let out = bak_01_pitr(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(
            out[0].observed,
            "PointInTimeRecoveryStatus=ENABLED, RecoveryPeriodInDays=7"
        );
    }

    #[test]
    fn a_table_whose_backups_cannot_be_read_is_an_error_the_others_still_judged() {
        let table = |name: &str, pitr, err| Table {
            pitr_enabled: pitr,
            backups_error: err,
            ..crate::checks::testing::table(name)
        };
        let mut inv = crate::checks::testing::inventory_at("2026-11-27T00:00:00Z");
        inv.dynamodb.insert(
            "eu-west-1".into(),
            Collected::Ok(DynamoDb {
                tables: vec![
                    table("a", Some(true), None),
                    table(
                        "b",
                        None,
                        Some(denied("dynamodb", "DescribeContinuousBackups", "eu-west-1")),
                    ),
                    table("c", Some(false), None),
                ],
                errors: vec![ResourceError {
                    resource: "locked".into(),
                    error: denied("dynamodb", "DescribeTable", "eu-west-1"),
                }],
                ..DynamoDb::default()
            }),
        );
        let out = bak_01_pitr(&inv, &Config::default());
        // The table that could not be described is an error of its own; the rest are judged.
        assert_eq!(
            statuses(&out),
            [Status::Error, Status::Pass, Status::Error, Status::Fail]
        );
        assert_eq!(
            out[0].resource_arn.as_deref(),
            Some("arn:aws:dynamodb:eu-west-1:111122223333:table/locked")
        );
        let out = &out[1..];
        assert!(out[1]
            .message
            .contains("dynamodb:DescribeContinuousBackups"));
    }

    fn plan(
        name: &str,
        retention: Option<i64>,
        selections: Collected<Vec<BackupSelection>>,
    ) -> BackupPlan {
        BackupPlan {
            arn: format!("arn:aws:backup:eu-west-1:111122223333:backup-plan:{name}"),
            id: name.into(),
            name: name.into(),
            rules: vec![crate::inventory::BackupRule {
                name: "daily".into(),
                vault: "main".into(),
                schedule: Some("cron(0 5 * * ? *)".into()),
                delete_after_days: retention,
                start_window_minutes: None,
                copy_regions: vec![],
            }],
            error: None,
            selections,
        }
    }

    fn selection(resources: &[&str], not: &[&str], tags: &[(&str, &str)]) -> BackupSelection {
        BackupSelection {
            name: "tables".into(),
            resources: resources.iter().map(|r| r.to_string()).collect(),
            not_resources: not.iter().map(|r| r.to_string()).collect(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            conditions: Vec::new(),
            error: None,
        }
    }

    fn with_backup(tables: Vec<Table>, plans: Vec<BackupPlan>) -> Inventory {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables,
                ..DynamoDb::default()
            }),
        );
        inv.backup.insert(
            REGION.into(),
            Collected::Ok(Backup {
                vaults: vec!["main".into()],
                plans,
                restore_jobs: Collected::Ok(vec![]),
                opt_in: Collected::Ok(BTreeMap::new()),
            }),
        );
        inv
    }

    use crate::checks::testing::{bucket, inventory_at, table, REGION};

    #[test]
    fn bak_02_passes_a_table_selected_by_arn_wildcard_or_tag_and_not_excluded() {
        let tagged = table("orders");
        let mut inv = with_backup(
            vec![table("maps"), tagged.clone(), table("scratch")],
            vec![plan(
                "daily",
                Some(35),
                Collected::Ok(vec![
                    selection(&["arn:aws:dynamodb:*:*:table/ma*"], &[], &[]),
                    selection(&[], &["*:table/scratch"], &[("Backup", "daily")]),
                ]),
            )],
        );
        let mut tags = Tags::default();
        tags.resources.insert(
            tagged.arn.clone(),
            [("Backup".to_owned(), "daily".to_owned())].into(),
        );
        inv.tags.insert(REGION.into(), Collected::Ok(tags));
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Pass, Status::Fail]);
        assert!(
            out[0].observed.contains("plan daily, rule daily"),
            "{}",
            out[0].observed
        );
        assert_eq!(out[2].observed, "plan daily does not select it");
    }

    #[test]
    fn bak_02_reads_tag_conditions_written_with_the_condition_key_prefix() {
        let tagged = table("orders");
        let mut inv = with_backup(
            vec![tagged.clone(), table("other")],
            vec![plan(
                "daily",
                Some(35),
                Collected::Ok(vec![selection(
                    &[],
                    &[],
                    &[("aws:ResourceTag/Backup", "daily")],
                )]),
            )],
        );
        let mut tags = Tags::default();
        tags.resources.insert(
            tagged.arn.clone(),
            [("Backup".to_owned(), "daily".to_owned())].into(),
        );
        inv.tags.insert(REGION.into(), Collected::Ok(tags));
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Fail]);
    }

    #[test]
    fn bak_02_without_dynamodb_opted_in_only_a_selection_by_resource_type_protects() {
        let tagged = table("orders");
        let plans = || {
            vec![plan(
                "daily",
                Some(35),
                Collected::Ok(vec![
                    selection(&["arn:aws:dynamodb:*:*:table/maps"], &[], &[]),
                    selection(&["*"], &[], &[("Backup", "daily")]),
                ]),
            )]
        };
        let judge = |opt_in: Collected<BTreeMap<String, bool>>| {
            let mut inv = with_backup(vec![table("maps"), tagged.clone(), table("other")], plans());
            let mut tags = Tags::default();
            tags.resources.insert(
                tagged.arn.clone(),
                [("Backup".to_owned(), "daily".to_owned())].into(),
            );
            inv.tags.insert(REGION.into(), Collected::Ok(tags));
            if let Some(Collected::Ok(b)) = inv.backup.get_mut(REGION) {
                b.opt_in = opt_in;
            }
            bak_02_backup_plan(&inv, &Config::default())
        };
        // Opted in (or unset: AWS Backup's default): the wildcard selection protects every table.
        assert_eq!(
            statuses(&judge(Collected::Ok(BTreeMap::new()))),
            [Status::Pass, Status::Pass, Status::Pass]
        );
        let out = judge(Collected::Ok([("DynamoDB".to_owned(), false)].into()));
        assert_eq!(statuses(&out), [Status::Pass, Status::Fail, Status::Fail]);
        assert!(
            out[1].observed.contains("not opted in"),
            "{}",
            out[1].observed
        );
        // Unknown opt-in: only what a typed selection protects is known.
        let unread = Collected::Error(denied("backup", "DescribeRegionSettings", REGION));
        assert_eq!(
            statuses(&judge(unread)),
            [Status::Pass, Status::Error, Status::Error]
        );
    }

    #[test]
    fn bak_02_a_rule_without_a_schedule_runs_on_aws_backups_default() {
        let mut daily = plan(
            "daily",
            Some(35),
            Collected::Ok(vec![selection(&["*"], &[], &[])]),
        );
        daily.rules[0].schedule = None;
        let inv = with_backup(vec![table("maps")], vec![daily]);
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass]);
        assert!(
            out[0].observed.contains("cron(0 5 ? * * *)"),
            "{}",
            out[0].observed
        );
    }

    #[test]
    fn bak_02_fails_a_short_retention_before_it_needs_the_selections() {
        let unreadable = Collected::Error(denied("backup", "ListBackupSelections", REGION));
        let inv = with_backup(
            vec![table("maps")],
            vec![plan("weekly", Some(7), unreadable.clone())],
        );
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert_eq!(
            out[0].observed,
            "plan weekly: rule daily keeps backups 7 days"
        );
        // A plan that qualifies but whose selections cannot be read: ERROR, naming the action.
        let inv = with_backup(vec![table("maps")], vec![plan("daily", None, unreadable)]);
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Error]);
        assert!(out[0].message.contains("backup:ListBackupSelections"));
    }

    #[test]
    fn bak_02_leaves_the_terraform_lock_table_out() {
        let mut lock = table("locks");
        lock.hash_key = Some(KeyAttribute {
            name: "LockID".into(),
            kind: Some("S".into()),
        });
        let inv = with_backup(vec![lock], vec![]);
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::NotApplicable]);
    }

    #[test]
    fn bak_05_counts_restores_of_the_last_90_days_then_attestations() {
        let job = |completed: &str| RestoreJob {
            id: "job-1".into(),
            status: Some("COMPLETED".into()),
            resource_type: Some("DynamoDB".into()),
            created_resource_arn: None,
            completed: Some(completed.into()),
        };
        let mut inv = with_backup(vec![table("maps")], vec![]);
        let set_jobs = |inv: &mut Inventory, jobs: Collected<Vec<RestoreJob>>| {
            if let Some(Collected::Ok(b)) = inv.backup.get_mut(REGION) {
                b.restore_jobs = jobs;
            }
        };
        set_jobs(&mut inv, Collected::Ok(vec![job("2026-10-01T00:00:00Z")]));
        assert_eq!(
            statuses(&bak_05_restore_tested(&inv, &Config::default())),
            [Status::Pass]
        );
        // 120 days before the scan: too old.
        set_jobs(&mut inv, Collected::Ok(vec![job("2026-07-30T00:00:00Z")]));
        let out = bak_05_restore_tested(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Fail]);
        assert_eq!(
            out[0].resource_arn.as_deref(),
            Some("arn:aws:iam::111122223333:root")
        );
        // Unreadable restore jobs: ERROR, unless an attestation speaks for the restore test.
        set_jobs(
            &mut inv,
            Collected::Error(denied("backup", "ListRestoreJobs", REGION)),
        );
        assert_eq!(
            statuses(&bak_05_restore_tested(&inv, &Config::default())),
            [Status::Error]
        );
        let mut config = Config::default();
        config.attestations.insert(
            "BAK-05".into(),
            crate::config::Attestation {
                attested_by: "dba".into(),
                date: "2026-11-01".into(),
                evidence_url: "https://wiki/restore-drill".into(),
                result: AttestedResult::Pass,
            },
        );
        let out = bak_05_restore_tested(&inv, &config);
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(
            out[0].observed,
            "attested by dba on 2026-11-01: https://wiki/restore-drill"
        );
        // An attested drill older than the window is no longer a tested restore.
        if let Some(a) = config.attestations.get_mut("BAK-05") {
            a.date = "2026-05-01".into();
        }
        let out = bak_05_restore_tested(&inv, &config);
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(out[0].message.contains("older than 90 days"));
    }

    #[test]
    fn bak_06_wants_a_replica_elsewhere_and_leaves_copies_and_lock_tables_out() {
        let mut inv = with_backup(vec![], vec![]);
        let mut global = table("maps");
        global.replica_regions = vec!["eu-central-1".into()];
        let mut failed = table("broken");
        failed.replica_regions = vec!["us-east-1".into()];
        failed.replica_statuses = [("us-east-1".to_owned(), "CREATION_FAILED".to_owned())].into();
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![global, table("orders"), table("legacy"), failed],
                legacy_global_tables: Collected::Ok(vec![LegacyGlobalTable {
                    name: "legacy".into(),
                    replica_regions: vec!["us-west-2".into()],
                }]),
                ..DynamoDb::default()
            }),
        );
        let replication = |dest: &str| {
            Collected::Ok(Some(Replication {
                destinations: vec![format!("arn:aws:s3:::{dest}")],
                enabled_rules: 1,
            }))
        };
        let mut across = bucket("input", REGION);
        across.replication = replication("input-copy");
        let mut same = bucket("uploads", REGION);
        same.replication = replication("uploads-copy");
        inv.s3 = Some(Collected::Ok(S3 {
            buckets: vec![
                across,
                bucket("input-copy", "eu-central-1"),
                same,
                bucket("uploads-copy", REGION),
            ],
            account_public_access_block: None,
        }));
        let out = bak_06_replication(&inv, &Config::default());
        let got: Vec<(Status, &str)> = out.iter().map(|o| (o.status, o.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Status::Pass, "table maps is replicated to another region"),
                (Status::Fail, "table orders exists in eu-west-1 only"),
                (Status::Pass, "table legacy is replicated to another region"),
                (
                    Status::Fail,
                    "table broken's replicas have stopped replicating"
                ),
                (Status::Pass, "bucket input is replicated to another region"),
                (
                    Status::Fail,
                    "bucket uploads replicates within its own region only"
                ),
            ]
        );
    }

    #[test]
    fn bak_02_applies_conditions_and_errs_when_the_tags_it_needs_are_unreadable() {
        let mut narrowed = selection(&["*"], &[], &[]);
        narrowed.conditions = vec![TagCondition {
            test: "StringEquals".into(),
            key: "Env".into(),
            value: "prod".into(),
        }];
        let prod = table("maps");
        let mut inv = with_backup(
            vec![prod.clone(), table("scratch")],
            vec![plan("daily", Some(35), Collected::Ok(vec![narrowed]))],
        );
        let mut tags = Tags::default();
        tags.resources.insert(
            prod.arn.clone(),
            [("Env".to_owned(), "prod".to_owned())].into(),
        );
        inv.tags.insert(REGION.into(), Collected::Ok(tags));
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Fail]);
        // Without the tags, a selection that turns on them cannot be judged.
        inv.tags.insert(
            REGION.into(),
            Collected::Error(denied("tag", "GetResources", REGION)),
        );
        let out = bak_02_backup_plan(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Error, Status::Error]);
        assert!(out[0].message.contains("tag:GetResources"));
    }
}
