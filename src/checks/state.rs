//! Phase 1 — Remote State: where Terraform keeps and locks its state.

use super::Check;
use super::NOWHERE;
use super::{buckets, Outcome};
use crate::config::{Backend, Config, Locking};
use crate::inventory::{Bucket, Collected, Inventory, PublicAccessBlock, Table};

const CATALOG: &str = "checks/state.toml";

const STATE_01: Check = Check::new("STATE-01", state_01_state_bucket, CATALOG);

pub const CHECKS: &[Check] = &[
    STATE_01,
    Check::new("STATE-02", state_02_state_bucket_protected, CATALOG),
    Check::new("STATE-03", state_03_lock_table, CATALOG),
];

/// The key Terraform's S3 backend locks on.
const LOCK_KEY: &str = "LockID";

/// The Terraform lock table: the one the config names, or any table keyed by `LockID`.
/// It holds no application data, so backup and replication checks leave it out.
pub fn is_lock_table(t: &Table, config: &Config) -> bool {
    match config.terraform.lock_table.as_deref() {
        Some(name) => t.name == name,
        None => t.hash_key.as_ref().is_some_and(|k| k.name == LOCK_KEY),
    }
}

/// The config says the state lives outside this account: nothing here to judge.
fn elsewhere(config: &Config) -> Option<Vec<Outcome>> {
    (config.terraform.backend == Some(Backend::Elsewhere)).then(|| {
        vec![Outcome::not_applicable(
            "the config says the Terraform state is kept outside this account (terraform.backend = \"elsewhere\"): judge it where it lives",
        )]
    })
}

fn keyed_by_lock_id(t: &Table) -> bool {
    t.hash_key
        .as_ref()
        .is_some_and(|k| k.name == LOCK_KEY && k.kind.as_deref() == Some("S"))
}

/// The lock table found: Terraform needs its hash key to be the string `LockID`.
fn judge_lock_table(t: &Table, region: &str) -> Outcome {
    if keyed_by_lock_id(t) {
        Outcome::pass(
            &t.arn,
            region,
            "hash key LockID (S)",
            format!("table {} can lock Terraform state", t.name),
        )
    } else {
        Outcome::fail(
            &t.arn,
            region,
            "hash key is not LockID (S)",
            format!(
                "table {} is named as the lock table but is not keyed by LockID (string)",
                t.name
            ),
        )
    }
}

/// STATE-03: an account-wide check: one lock table anywhere in the scanned regions will do.
pub fn state_03_lock_table(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    if let Some(out) = elsewhere(config) {
        return out;
    }
    if config.terraform.locking == Some(Locking::S3) {
        let bucket = match &config.terraform.state_bucket {
            Some(name) => format!("arn:{}:s3:::{name}", inv.partition()),
            None => format!("arn:{}:s3:::account/{}", inv.partition(), inv.account_id),
        };
        return vec![Outcome::pass(
            &bucket,
            NOWHERE,
            "S3-native locking (terraform.locking = \"s3\")",
            "Terraform locks the state with a lock file beside it in the state bucket (use_lockfile); the file exists only while Terraform runs, so the config's statement stands for it",
        )];
    }
    let wanted = config.terraform.lock_table.as_deref();
    let mut unreadable = Vec::new();
    for (region, part) in &inv.dynamodb {
        let ddb = match part {
            Collected::Ok(d) => d,
            Collected::Error(e) => {
                unreadable.push(e);
                continue;
            }
        };
        // A table that could not be described may be the lock table.
        unreadable.extend(
            ddb.errors
                .iter()
                .filter(|e| wanted.is_none_or(|name| e.resource == name))
                .map(|e| &e.error),
        );
        let found = ddb.tables.iter().find(|t| match wanted {
            Some(name) => t.name == name,
            None => keyed_by_lock_id(t),
        });
        if let Some(t) = found {
            return vec![judge_lock_table(t, region)];
        }
    }
    if let Some(e) = unreadable.first() {
        return vec![Outcome::error(NOWHERE, e)];
    }
    if inv.dynamodb.is_empty() {
        return vec![Outcome::not_collected("DynamoDB")];
    }
    let account = format!(
        "arn:{}:dynamodb::{}:account",
        inv.partition(),
        inv.account_id
    );
    let what = match wanted {
        Some(name) => format!("no table named {name} (terraform.lock_table)"),
        None => "no table keyed by LockID".to_owned(),
    };
    // The backend's lock table lives in its region, usually the state bucket's: when that
    // region was not scanned, the table was not looked for there.
    if let Some(b) = state_bucket_outside(inv, config) {
        let region = buckets::region(b);
        return vec![Outcome::manual_at(
            &account,
            NOWHERE,
            format!("{what} in the scanned regions; state bucket {} is in {region}", b.name),
            format!("the state bucket {} is in {region}, which this scan did not read: its lock table is usually there; scan {region} too", b.name),
        )];
    }
    vec![Outcome::fail(&account, NOWHERE, what.clone(), format!("Terraform state is not locked: {what} in the scanned regions; two applies can corrupt the state. With Terraform 1.10+ S3-native locking (use_lockfile), say so in the config: terraform.locking = \"s3\""))]
}

/// The account-level Block Public Access, when it was read: `Ok(None)` when the account has
/// none.
fn account_block(
    inv: &Inventory,
) -> Option<Result<Option<&PublicAccessBlock>, &crate::error::CollectError>> {
    match &inv.s3 {
        Some(Collected::Ok(s3)) => match &s3.account_public_access_block {
            Some(Collected::Ok(block)) => Some(Ok(block.as_ref())),
            Some(Collected::Error(e)) => Some(Err(e)),
            None => None,
        },
        _ => None,
    }
}

/// S3 applies the most restrictive combination of a bucket's and its account's settings,
/// setting by setting (S3 user guide, "Blocking public access to your Amazon S3 storage").
fn combined(own: Option<&PublicAccessBlock>, account: &PublicAccessBlock) -> PublicAccessBlock {
    let own = own.cloned().unwrap_or_default();
    PublicAccessBlock {
        block_public_acls: own.block_public_acls || account.block_public_acls,
        ignore_public_acls: own.ignore_public_acls || account.ignore_public_acls,
        block_public_policy: own.block_public_policy || account.block_public_policy,
        restrict_public_buckets: own.restrict_public_buckets || account.restrict_public_buckets,
    }
}

/// A state bucket in a region the scan did not read.
fn state_bucket_outside<'a>(inv: &'a Inventory, config: &Config) -> Option<&'a Bucket> {
    let all = buckets::all(inv).ok()?;
    all.iter().find(|b| {
        buckets::is_state(b, config) && !inv.regions.iter().any(|r| r == buckets::region(b))
    })
}

/// STATE-01: Terraform state lives in a versioned bucket.
pub fn state_01_state_bucket(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    if let Some(out) = elsewhere(config) {
        return out;
    }
    let all = match buckets::all(inv) {
        Ok(b) => b,
        Err(o) => return vec![o],
    };
    let state: Vec<&Bucket> = all
        .iter()
        .filter(|b| buckets::is_state(b, config))
        .collect();
    if state.is_empty() {
        // A candidate that could not be searched might be the state bucket.
        if let Some((b, e)) = all.iter().find_map(|b| {
            b.state_files
                .as_ref()
                .and_then(|s| s.error())
                .map(|e| (b, e))
        }) {
            return vec![Outcome::error(&b.arn, e)];
        }
        let account = format!("arn:{}:s3:::account/{}", inv.partition(), inv.account_id);
        let observed = match &config.terraform.state_bucket {
            Some(name) => format!("bucket {name} (terraform.state_bucket) does not exist"),
            None => "no bucket holds *.tfstate objects".to_owned(),
        };
        return vec![Outcome::fail(&account, NOWHERE, observed.clone(), format!("Terraform state is not in S3 ({observed}): it lives on someone's disk, unversioned and unshared"))];
    }
    state
        .into_iter()
        .map(|b| match &b.versioning {
            Collected::Ok(Some(s)) if s == "Enabled" => Outcome::pass(
                &b.arn,
                buckets::region(b),
                "versioning Enabled",
                format!("state bucket {} keeps every version of the state", b.name),
            ),
            Collected::Ok(status) => {
                let status = status.as_deref().unwrap_or("never enabled");
                Outcome::fail(
                    &b.arn,
                    buckets::region(b),
                    format!("versioning {status}"),
                    format!(
                        "state bucket {} is not versioned: a bad apply cannot be undone",
                        b.name
                    ),
                )
            }
            Collected::Error(e) => Outcome::error(&b.arn, e),
        })
        .collect()
}

/// STATE-02: the state bucket is encrypted and not public.
pub fn state_02_state_bucket_protected(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    if let Some(out) = elsewhere(config) {
        return out;
    }
    let all = match buckets::all(inv) {
        Ok(b) => b,
        Err(o) => return vec![o],
    };
    let mut out = Vec::new();
    for b in all.iter().filter(|b| buckets::is_state(b, config)) {
        let encryption = match &b.encryption {
            Collected::Ok(Some(e)) => e.algorithm.clone(),
            // S3 encrypts every new object with SSE-S3 when no configuration says otherwise.
            Collected::Ok(None) => "AES256 (S3 default)".to_owned(),
            Collected::Error(e) => {
                out.push(Outcome::error(&b.arn, e));
                continue;
            }
        };
        let own = match &b.public_access_block {
            Collected::Ok(p) => p.as_ref(),
            Collected::Error(e) => {
                out.push(Outcome::error(&b.arn, e));
                continue;
            }
        };
        let block = match (own, account_block(inv)) {
            (Some(p), _) if p.full() => "full",
            (_, Some(Err(e))) => {
                // The account's own block could complete the bucket's: unknown.
                out.push(Outcome::error(&b.arn, e));
                continue;
            }
            (own, Some(Ok(Some(account)))) if combined(own, account).full() => {
                "full (with the account's)"
            }
            (Some(_), _) => "partial",
            (None, _) => "none",
        };
        let observed = format!("encryption {encryption}; public access block {block}");
        out.push(if block.starts_with("full") {
            Outcome::pass(&b.arn, buckets::region(b), observed, format!("state bucket {} is encrypted and cannot be made public", b.name))
        } else {
            Outcome::fail(
                &b.arn,
                buckets::region(b),
                observed,
                format!("state bucket {} has a {block} public access block: the state (with every secret Terraform saw) could be exposed", b.name),
            )
        });
    }
    if out.is_empty() {
        out.push(Outcome::not_applicable(format!(
            "no Terraform state bucket (see {})",
            STATE_01.id
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, inventory_at, statuses, table, REGION};
    use crate::checks::Status;
    use crate::inventory::{DynamoDb, ResourceError};

    fn account(tables: Vec<Table>, errors: Vec<ResourceError>) -> Inventory {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables,
                errors,
                ..DynamoDb::default()
            }),
        );
        inv
    }

    #[test]
    fn s3_native_locking_stated_in_the_config_passes_without_a_table() {
        let inv = account(vec![table("maps")], vec![]);
        let mut config = Config::default();
        let out = state_03_lock_table(&inv, &config);
        assert_eq!(statuses(&out), [Status::Fail]);
        assert!(
            out[0].message.contains("use_lockfile"),
            "{}",
            out[0].message
        );
        config.terraform.locking = Some(Locking::S3);
        config.terraform.state_bucket = Some("tf-state".into());
        let out = state_03_lock_table(&inv, &config);
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(
            out[0].resource_arn.as_deref(),
            Some("arn:aws:s3:::tf-state")
        );
        config.terraform.locking = Some(Locking::Dynamodb);
        assert_eq!(
            statuses(&state_03_lock_table(&inv, &config)),
            [Status::Fail]
        );
    }

    #[test]
    fn state_kept_elsewhere_or_in_an_unscanned_region_is_not_failed() {
        let mut inv = account(vec![table("maps")], vec![]);
        let mut state = crate::checks::testing::bucket("acme-tfstate", "us-east-1");
        state.state_files = Some(Collected::Ok(vec!["app/terraform.tfstate".into()]));
        inv.s3 = Some(Collected::Ok(crate::inventory::S3 {
            buckets: vec![state],
            account_public_access_block: None,
        }));
        // The state bucket is in us-east-1, which was not scanned: its lock table may be there.
        let out = state_03_lock_table(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Manual]);
        assert!(out[0].message.contains("us-east-1"), "{}", out[0].message);
        let mut config = Config::default();
        config.terraform.backend = Some(Backend::Elsewhere);
        for rule in [
            state_01_state_bucket,
            state_02_state_bucket_protected,
            state_03_lock_table,
        ] {
            assert_eq!(statuses(&rule(&inv, &config)), [Status::NotApplicable]);
        }
    }

    #[test]
    fn the_account_block_completes_the_state_buckets_own() {
        let pab = |acls: bool, policy: bool| PublicAccessBlock {
            block_public_acls: acls,
            ignore_public_acls: acls,
            block_public_policy: policy,
            restrict_public_buckets: policy,
        };
        let judge = |own: Option<PublicAccessBlock>,
                     account: Option<Collected<Option<PublicAccessBlock>>>| {
            let mut state = crate::checks::testing::bucket("acme-tfstate", REGION);
            state.state_files = Some(Collected::Ok(vec!["terraform.tfstate".into()]));
            state.public_access_block = Collected::Ok(own);
            let mut inv = inventory_at("2026-11-27T00:00:00Z");
            inv.s3 = Some(Collected::Ok(crate::inventory::S3 {
                buckets: vec![state],
                account_public_access_block: account,
            }));
            state_02_state_bucket_protected(&inv, &Config::default())
        };
        // Not read (evidence from before the account setting was read): the bucket's alone.
        assert_eq!(statuses(&judge(None, None)), [Status::Fail]);
        let out = judge(None, Some(Collected::Ok(Some(pab(true, true)))));
        assert_eq!(statuses(&out), [Status::Pass]);
        assert!(
            out[0].observed.contains("with the account's"),
            "{}",
            out[0].observed
        );
        // Setting by setting: ACLs blocked on the bucket, policies on the account.
        let out = judge(
            Some(pab(true, false)),
            Some(Collected::Ok(Some(pab(false, true)))),
        );
        assert_eq!(statuses(&out), [Status::Pass]);
        assert_eq!(
            statuses(&judge(Some(pab(true, false)), Some(Collected::Ok(None)))),
            [Status::Fail]
        );
        let denied = Collected::Error(denied("s3control", "GetPublicAccessBlock", REGION));
        let out = judge(Some(pab(true, false)), Some(denied));
        assert_eq!(statuses(&out), [Status::Error]);
        assert!(
            out[0].message.contains("s3:GetAccountPublicAccessBlock"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn a_table_that_could_not_be_described_may_be_the_lock_table() {
        let locked = ResourceError {
            resource: "terraform-locks".into(),
            error: denied("dynamodb", "DescribeTable", REGION),
        };
        let inv = account(vec![table("maps")], vec![locked]);
        assert_eq!(
            statuses(&state_03_lock_table(&inv, &Config::default())),
            [Status::Error]
        );
        let mut config = Config::default();
        config.terraform.lock_table = Some("other".into());
        assert_eq!(
            statuses(&state_03_lock_table(&inv, &config)),
            [Status::Fail]
        );
    }
}
