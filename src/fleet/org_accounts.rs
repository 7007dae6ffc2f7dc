//! `--org-role NAME`: the accounts of the caller's organisation, listed from AWS Organizations
//! (`ListAccounts`, which answers in the management account or a delegated administrator
//! account), each to be scanned by assuming NAME in it.

use std::sync::Arc;

use aws_config::SdkConfig;

use crate::collect::Ctx;
use crate::error::CollectError;
use crate::session::calls::CallLog;

/// One member account, as Organizations lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccount {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, … (the `State` field, or the older `Status`
    /// where only that is given).
    pub state: String,
    /// The partition of the account's ARN (`aws`, `aws-us-gov`, `aws-cn`): the role is in it.
    pub partition: String,
}

impl OrgAccount {
    /// The role `name` (optionally with a path: `audit/prodready`) in this account.
    pub fn role_arn(&self, name: &str) -> String {
        format!("arn:{}:iam::{}:role/{}", self.partition, self.id, name)
    }

    /// Only an active account can be scanned: a suspended or closing one refuses every call.
    pub fn is_active(&self) -> bool {
        self.state == "ACTIVE"
    }
}

/// Every account of the organisation, every page, sorted by id. The calls go into `log`.
pub async fn list(config: &SdkConfig, log: Arc<CallLog>) -> Result<Vec<OrgAccount>, CollectError> {
    let region = config.region().map(|r| r.to_string()).unwrap_or_default();
    let ctx = Ctx::new(
        "organizations",
        &region,
        log,
        Arc::new(tokio::sync::Semaphore::new(1)),
    );
    let client = aws_sdk_organizations::Client::new(config);
    let pages = ctx
        .pages(
            "ListAccounts",
            client.list_accounts().into_paginator().send(),
        )
        .await?;
    let mut accounts = Vec::new();
    for page in &pages {
        accounts.extend(page.accounts().iter().map(|a| {
            #[allow(deprecated)] // `Status` is what older answers (and emulators) carry.
            let status = a.status().map(|s| s.as_str().to_owned());
            OrgAccount {
                id: a.id().unwrap_or_default().to_owned(),
                name: a.name().unwrap_or_default().to_owned(),
                state: a
                    .state()
                    .map(|s| s.as_str().to_owned())
                    .or(status)
                    .unwrap_or_default(),
                partition: a
                    .arn()
                    .and_then(|arn| arn.split(':').nth(1))
                    .filter(|p| !p.is_empty())
                    .unwrap_or("aws")
                    .to_owned(),
            }
        }));
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(accounts)
}

/// What to scan: the active accounts not excluded, each with the role's ARN; and the accounts
/// left out because they are not active, for the operator to see.
pub fn to_scan(
    accounts: &[OrgAccount],
    role: &str,
    exclude: &[String],
) -> (Vec<String>, Vec<OrgAccount>) {
    let mut roles = Vec::new();
    let mut inactive = Vec::new();
    for a in accounts.iter().filter(|a| !exclude.contains(&a.id)) {
        if a.is_active() {
            roles.push(a.role_arn(role));
        } else {
            inactive.push(a.clone());
        }
    }
    (roles, inactive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, state: &str, partition: &str) -> OrgAccount {
        OrgAccount {
            id: id.into(),
            name: format!("n{id}"),
            state: state.into(),
            partition: partition.into(),
        }
    }

    #[test]
    fn active_accounts_not_excluded_are_scanned_through_the_role_in_their_partition() {
        let accounts = [
            account("111111111111", "ACTIVE", "aws"),
            account("222222222222", "SUSPENDED", "aws"),
            account("333333333333", "ACTIVE", "aws-us-gov"),
            account("444444444444", "ACTIVE", "aws"),
        ];
        let (roles, inactive) = to_scan(&accounts, "audit/prodready", &["444444444444".into()]);
        assert_eq!(
            roles,
            [
                "arn:aws:iam::111111111111:role/audit/prodready",
                "arn:aws-us-gov:iam::333333333333:role/audit/prodready",
            ]
        );
        assert_eq!(inactive, [accounts[1].clone()]);
    }
}
