//! Phase 1 — Remote State: where Terraform keeps and locks its state.

use super::{Outcome, Status};
use crate::config::Config;
use crate::inventory::{Collected, Inventory};

/// The key Terraform's S3 backend locks on.
const LOCK_KEY: &str = "LockID";

/// STATE-03: an account-wide check: one lock table anywhere in the scanned regions will do.
pub fn state_03_lock_table(inv: &Inventory, config: &Config) -> Vec<Outcome> {
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
        let found = ddb.tables.iter().find(|t| match wanted {
            Some(name) => t.name == name,
            None => t
                .hash_key
                .as_ref()
                .is_some_and(|k| k.name == LOCK_KEY && k.kind.as_deref() == Some("S")),
        });
        if let Some(t) = found {
            let key_ok = t
                .hash_key
                .as_ref()
                .is_some_and(|k| k.name == LOCK_KEY && k.kind.as_deref() == Some("S"));
            return vec![if key_ok {
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
            }];
        }
    }
    if let Some(e) = unreadable.first() {
        return vec![Outcome::error("", e)];
    }
    if inv.dynamodb.is_empty() {
        return vec![Outcome {
            status: Status::Error,
            resource_arn: None,
            region: None,
            observed: "DynamoDB was not collected".into(),
            message: "DynamoDB was not collected in this scan".into(),
        }];
    }
    let account = format!("arn:aws:dynamodb::{}:account", inv.account_id);
    let what = match wanted {
        Some(name) => format!("no table named {name} (terraform.lock_table)"),
        None => "no table keyed by LockID".to_owned(),
    };
    vec![Outcome::fail(&account, "", what.clone(), format!("Terraform state is not locked: {what} in the scanned regions; two applies can corrupt the state"))]
}
