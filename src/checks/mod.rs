//! Rules: pure functions from the inventory (and the config's thresholds) to findings.
//! They never call AWS. A rule whose input could not be collected says ERROR with the cause;
//! a rule with nothing to look at says NOT_APPLICABLE.

pub mod addresses;
mod backup;
pub mod buckets;
mod cicd;
mod cost;
pub mod custom;
mod documentation;
mod domain;
mod edge;
mod ha;
mod hardening;
mod iac;
mod monitoring;
mod notifications;
mod observability;
pub mod recovery;
mod registry;
mod results;
mod scaling;
pub mod scope;
mod secrets;
mod state;
pub mod suppress;
pub mod trail_events;
mod worst_first;

pub use notifications::rule_children as alarm_rule_children;
pub use registry::{all, find, Check, CheckId, FixInput, RuleFn};
pub use results::{check_results, CheckResult};
pub use state::is_lock_table;

use serde::{Deserialize, Serialize};

use crate::catalog::{catalog, Severity};
use crate::config::Config;
use crate::error::CollectError;
use crate::inventory::{Collected, DynamoDb, Ecs, Inventory, Regional};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Pass,
    Fail,
    Error,
    NotApplicable,
    /// The account cannot show it (runbooks, procedures): a person must attest it.
    Manual,
    /// Fails, but a suppression in the config accepts it for now (see `suppress`): visible,
    /// not failing the exit code. Rules never return it.
    Suppressed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::NotApplicable => "NOT_APPLICABLE",
            Status::Manual => "MANUAL",
            Status::Suppressed => "SUPPRESSED",
        }
    }
}

/// Where an outcome is: a resource's ARN, a region, or nowhere in particular.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At<'a>(Option<&'a str>);

/// No resource (the account as a whole) or no region (a global service).
pub const NOWHERE: At<'static> = At(None);

impl<'a> From<&'a str> for At<'a> {
    fn from(s: &'a str) -> Self {
        At(Some(s))
    }
}

impl<'a> From<&'a String> for At<'a> {
    fn from(s: &'a String) -> Self {
        At(Some(s.as_str()))
    }
}

impl At<'_> {
    /// The place, if any; an empty name read from the account counts as none.
    fn owned(self) -> Option<String> {
        self.0.filter(|s| !s.is_empty()).map(str::to_owned)
    }
}

/// What a rule concludes about one resource (or about the account, or a region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub resource_arn: Option<String>,
    pub region: Option<String>,
    pub observed: String,
    pub message: String,
}

impl Outcome {
    fn new<'a, 'b>(
        status: Status,
        resource: impl Into<At<'a>>,
        region: impl Into<At<'b>>,
        observed: String,
        message: String,
    ) -> Outcome {
        Outcome {
            status,
            resource_arn: resource.into().owned(),
            region: region.into().owned(),
            observed,
            message,
        }
    }

    pub fn pass<'a, 'b>(
        resource: impl Into<At<'a>>,
        region: impl Into<At<'b>>,
        observed: impl Into<String>,
        message: impl Into<String>,
    ) -> Outcome {
        Outcome::new(
            Status::Pass,
            resource,
            region,
            observed.into(),
            message.into(),
        )
    }

    pub fn fail<'a, 'b>(
        resource: impl Into<At<'a>>,
        region: impl Into<At<'b>>,
        observed: impl Into<String>,
        message: impl Into<String>,
    ) -> Outcome {
        Outcome::new(
            Status::Fail,
            resource,
            region,
            observed.into(),
            message.into(),
        )
    }

    /// The rule could not judge because its input failed to collect.
    pub fn error<'a>(resource: impl Into<At<'a>>, error: &CollectError) -> Outcome {
        Outcome::new(
            Status::Error,
            resource,
            &error.region,
            format!("{} could not be read", error.iam_action),
            error.to_string(),
        )
    }

    /// The account cannot show what decides it, though the resource is seen: a person says.
    pub fn manual_at<'a, 'b>(
        resource: impl Into<At<'a>>,
        region: impl Into<At<'b>>,
        observed: impl Into<String>,
        message: impl Into<String>,
    ) -> Outcome {
        Outcome::new(
            Status::Manual,
            resource,
            region,
            observed.into(),
            message.into(),
        )
    }

    pub fn manual<'a>(resource: impl Into<At<'a>>, message: impl Into<String>) -> Outcome {
        Outcome::new(
            Status::Manual,
            resource,
            NOWHERE,
            "not observable in the account".into(),
            message.into(),
        )
    }

    /// An account-wide input the scan did not collect at all.
    pub fn not_collected(part: &str) -> Outcome {
        Outcome {
            status: Status::Error,
            resource_arn: None,
            region: None,
            observed: format!("{part} was not collected"),
            message: format!("{part} was not collected in this scan"),
        }
    }

    /// The check does not apply to this resource, seen and named.
    pub fn not_applicable_to<'a, 'b>(
        resource: impl Into<At<'a>>,
        region: impl Into<At<'b>>,
        observed: impl Into<String>,
        message: impl Into<String>,
    ) -> Outcome {
        Outcome::new(
            Status::NotApplicable,
            resource,
            region,
            observed.into(),
            message.into(),
        )
    }

    pub fn not_applicable(message: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::NotApplicable,
            resource_arn: None,
            region: None,
            observed: String::new(),
            message: message.into(),
        }
    }
}

/// One finding of the evidence: an outcome with the check it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    pub status: Status,
    pub severity: Severity,
    pub resource_arn: Option<String>,
    pub region: Option<String>,
    pub observed: String,
    pub expected: String,
    pub message: String,
    /// The config's suppression this failure matched, and whether it held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppression: Option<crate::checks::suppress::Applied>,
    /// The Terraform address managing the resource, with a state given (`addresses`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform: Option<addresses::TerraformRef>,
}

/// Runs every rule over the inventory, then the config's suppressions. The order is the
/// catalog's, then within a check the most prominent resources first (`worst_first`).
pub fn evaluate(inventory: &Inventory, config: &Config) -> Vec<Finding> {
    evaluate_all(inventory, config, &std::collections::BTreeMap::new())
}

/// As [`evaluate`], with the outcomes of the custom checks (by id, see `custom`) among them.
pub fn evaluate_all(
    inventory: &Inventory,
    config: &Config,
    custom: &std::collections::BTreeMap<String, Vec<Outcome>>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let prominence = worst_first::Prominence::of(inventory);
    for spec in catalog()
        .checks()
        .iter()
        .filter(|s| config.selection.includes(&s.id))
    {
        let (expected, mut outcomes) = match (find(&spec.id), custom.get(&spec.id)) {
            (Some(check), _) => (
                check.expected_text(config, &spec.expected),
                (check.rule)(inventory, config),
            ),
            (None, Some(outcomes)) => (spec.expected.clone(), outcomes.clone()),
            (None, None) => continue,
        };
        prominence.sort(&mut outcomes, |o| o.resource_arn.as_deref());
        for o in outcomes {
            findings.push(Finding {
                check_id: spec.id.clone(),
                status: o.status,
                severity: spec.severity,
                resource_arn: o.resource_arn,
                region: o.region,
                observed: o.observed,
                expected: expected.clone(),
                message: o.message,
                suppression: None,
                terraform: None,
            });
        }
    }
    addresses::annotate(&mut findings, inventory);
    crate::checks::suppress::apply(&mut findings, &config.suppressions, &inventory.collected_at);
    findings
}

/// The collected regions of a part; failed regions become ERROR outcomes in `out`.
fn regions<'a, T>(part: &'a Regional<T>, out: &mut Vec<Outcome>) -> Vec<(&'a str, &'a T)> {
    let mut ok = Vec::new();
    for (region, collected) in part {
        match collected {
            Collected::Ok(v) => ok.push((region.as_str(), v)),
            Collected::Error(e) => out.push(Outcome::error(NOWHERE, e)),
        }
    }
    ok
}

/// The regions whose ECS part was read, for rules about services: a region that failed and
/// each cluster whose services could not be read become ERROR outcomes in `out`.
fn ecs_service_parts<'a>(inv: &'a Inventory, out: &mut Vec<Outcome>) -> Vec<(&'a str, &'a Ecs)> {
    let parts = regions(&inv.ecs, out);
    for (_, ecs) in &parts {
        out.extend(
            ecs.service_errors
                .iter()
                .map(|e| Outcome::error(&e.resource, &e.error)),
        );
    }
    parts
}

/// The regions whose ECS part was read, for rules about task definitions: as
/// [`ecs_service_parts`], and each task definition that could not be described is an ERROR
/// in `out` too.
fn ecs_task_definition_parts<'a>(
    inv: &'a Inventory,
    out: &mut Vec<Outcome>,
) -> Vec<(&'a str, &'a Ecs)> {
    let parts = ecs_service_parts(inv, out);
    for (_, ecs) in &parts {
        out.extend(
            ecs.task_definition_errors
                .iter()
                .map(|e| Outcome::error(&e.resource, &e.error)),
        );
    }
    parts
}

/// The regions whose DynamoDB part was read: a region that failed and each table that could
/// not be described become ERROR outcomes in `out`.
fn dynamodb_parts<'a>(inv: &'a Inventory, out: &mut Vec<Outcome>) -> Vec<(&'a str, &'a DynamoDb)> {
    let parts = regions(&inv.dynamodb, out);
    for (region, ddb) in &parts {
        out.extend(ddb.errors.iter().map(|e| {
            let arn = format!(
                "arn:{}:dynamodb:{region}:{}:table/{}",
                inv.partition(),
                inv.account_id,
                e.resource
            );
            Outcome::error(&arn, &e.error)
        }));
    }
    parts
}

/// A second input of a rule, in the same region as the first.
fn input<'a, T>(part: &'a Regional<T>, region: &str) -> Result<&'a T, Option<&'a CollectError>> {
    match part.get(region) {
        Some(Collected::Ok(v)) => Ok(v),
        Some(Collected::Error(e)) => Err(Some(e)),
        None => Err(None),
    }
}

/// Days from `then` to the scan's start (`collected_at`); `None` when either is not a
/// timestamp. Rules judge ages against the scan's own clock, so a stored inventory is judged
/// the same on any later day.
fn age_days(inv: &Inventory, then: &str) -> Option<f64> {
    inv.age_days(then)
}

/// Shell-style match where `*` stands for any run of characters (AWS Backup resource ARNs,
/// ECR repository filters).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// A log group of the Delivery class keeps its events one day by design and hands them to
/// S3 or Firehose: its retention is neither short (MON-09) nor endless (COST-01).
fn delivery_class(g: &crate::inventory::LogGroup, region: &str) -> Option<Outcome> {
    g.is_delivery_class().then(|| {
        Outcome::not_applicable_to(
            &g.arn,
            region,
            "logGroupClass=DELIVERY",
            format!(
                "log group {} is of the Delivery class: its events go to S3 or Firehose",
                g.name
            ),
        )
    })
}

/// The account as a resource, for account-wide findings.
fn account_arn(inv: &Inventory) -> String {
    format!("arn:{}:iam::{}:root", inv.partition(), inv.account_id)
}

fn or_not_applicable(mut out: Vec<Outcome>, what: &str) -> Vec<Outcome> {
    if out.is_empty() {
        out.push(Outcome::not_applicable(format!(
            "no {what} in the scanned regions"
        )));
    }
    out
}

#[cfg(test)]
pub(crate) mod testing {
    //! Inventories built by hand, for the cases the emulator cannot produce.
    use super::*;

    pub fn statuses(outcomes: &[Outcome]) -> Vec<Status> {
        outcomes.iter().map(|o| o.status).collect()
    }

    pub const REGION: &str = "eu-west-1";

    /// An inventory of account 111122223333 collected at a known moment.
    pub fn inventory_at(collected_at: &str) -> Inventory {
        Inventory {
            account_id: "111122223333".into(),
            regions: vec![REGION.into()],
            collected_at: collected_at.into(),
            ..Inventory::default()
        }
    }

    pub fn table(name: &str) -> crate::inventory::Table {
        crate::inventory::Table {
            created: None,
            provisioned_reads: None,
            provisioned_writes: None,
            table_class: None,
            arn: format!("arn:aws:dynamodb:{REGION}:111122223333:table/{name}"),
            name: name.into(),
            status: Some("ACTIVE".into()),
            billing_mode: None,
            size_bytes: None,
            item_count: None,
            hash_key: None,
            sse_type: None,
            kms_key_arn: None,
            pitr_enabled: Some(true),
            pitr_recovery_days: None,
            backups_error: None,
            replica_regions: Vec::new(),
            replica_statuses: Default::default(),
            restored: None,
        }
    }

    /// A Fargate replica service of cluster `main`, ECS-deployed, with ECS's defaults.
    pub fn service(name: &str, desired: i32, running: i32) -> crate::inventory::EcsService {
        crate::inventory::EcsService {
            capacity_providers: Vec::new(),
            arn: format!("arn:aws:ecs:{REGION}:111122223333:service/main/{name}"),
            name: name.into(),
            cluster_arn: format!("arn:aws:ecs:{REGION}:111122223333:cluster/main"),
            status: Some("ACTIVE".into()),
            launch_type: Some("FARGATE".into()),
            scheduling_strategy: Some("REPLICA".into()),
            desired_count: desired,
            running_count: running,
            task_definition: None,
            load_balancers: vec![],
            health_check_grace_period_seconds: None,
            deployment: None,
            subnets: vec![],
            security_groups: vec![],
            assign_public_ip: None,
            deployment_controller: None,
        }
    }

    /// A metric alarm of account 111122223333 with these actions, watching no metric yet.
    pub fn alarm(name: &str, actions: &[&str]) -> crate::inventory::Alarm {
        crate::inventory::Alarm {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:{REGION}:111122223333:alarm:{name}"),
            kind: "metric".into(),
            metric: None,
            math_metrics: vec![],
            actions_enabled: true,
            alarm_actions: actions.iter().map(|a| a.to_string()).collect(),
            state: None,
            rule: None,
            expressions: vec![],
        }
    }

    pub fn bucket(name: &str, region: &str) -> crate::inventory::Bucket {
        crate::inventory::Bucket {
            name: name.into(),
            arn: format!("arn:aws:s3:::{name}"),
            region: Some(region.into()),
            location_error: None,
            versioning: Collected::Ok(Some("Enabled".into())),
            encryption: Collected::Ok(None),
            public_access_block: Collected::Ok(None),
            lifecycle: Collected::Ok(None),
            state_files: None,
            replication: Collected::Ok(None),
        }
    }

    pub fn denied(service: &str, operation: &str, region: &str) -> CollectError {
        CollectError::new(
            service,
            operation,
            region,
            prodready_aws::ApiFailure {
                kind: prodready_aws::FailureKind::AccessDenied,
                code: Some("AccessDeniedException".into()),
                message: "not authorized".into(),
                http_status: Some(400),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_like_aws_wildcards() {
        assert!(glob_match("*", "anything"));
        assert!(glob_match(
            "arn:aws:dynamodb:*:*:table/*",
            "arn:aws:dynamodb:eu-west-1:1:table/maps"
        ));
        assert!(glob_match("prod-*", "prod-api"));
        assert!(!glob_match("prod-*", "staging-api"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
        assert!(glob_match("a*b*c", "a-x-b-y-c"));
        assert!(!glob_match("a*b*c", "a-x-c"));
        assert!(!glob_match("ab*ba", "aba"));
    }

    #[test]
    fn ages_are_measured_from_the_scan_start() {
        let inv = Inventory {
            collected_at: "2026-11-27T00:00:00Z".into(),
            ..Inventory::default()
        };
        assert_eq!(age_days(&inv, "2026-11-17T00:00:00Z"), Some(10.0));
        assert_eq!(age_days(&inv, "2026-12-07T00:00:00Z"), Some(-10.0));
        assert_eq!(age_days(&inv, "yesterday"), None);
    }

    #[test]
    fn every_check_is_declared_once_and_described_in_its_catalog_file() {
        let mut declared: Vec<&str> = all().map(|c| c.id.as_str()).collect();
        declared.sort();
        let before = declared.len();
        declared.dedup();
        assert_eq!(before, declared.len(), "a check id is declared twice");
        let mut described: Vec<&str> = catalog().checks().iter().map(|c| c.id.as_str()).collect();
        described.sort();
        assert_eq!(declared, described);
        for check in all() {
            let (_, text) = crate::catalog::FILES
                .iter()
                .find(|(path, _)| *path == check.catalog)
                .unwrap_or_else(|| panic!("{}: no catalog file {}", check.id, check.catalog));
            let entries = crate::catalog::Catalog::parse(&[(check.catalog, text)]).unwrap();
            assert!(
                entries.get(check.id.as_str()).is_some(),
                "{} is not described in {}",
                check.id,
                check.catalog
            );
        }
    }

    #[test]
    fn an_empty_inventory_is_not_applicable_everywhere_but_account_wide_checks() {
        let findings = evaluate(&Inventory::default(), &Config::default());
        for f in &findings {
            // Account-wide checks cannot say "nothing to judge" about parts never collected.
            let want = if f.check_id == "DOC-01" {
                Status::Manual
            } else if matches!(
                f.check_id.as_str(),
                "HARD-07"
                    | "STATE-01"
                    | "STATE-02"
                    | "STATE-03"
                    | "BAK-03"
                    | "BAK-04"
                    | "HARD-04"
                    | "COST-02"
                    | "MON-06"
                    | "BAK-05"
                    | "BAK-06"
                    | "CICD-01"
                    | "HARD-01"
                    | "HARD-02"
                    | "DOM-01"
                    | "DOM-03"
            ) {
                Status::Error
            } else {
                Status::NotApplicable
            };
            assert_eq!(f.status, want, "{f:?}");
        }
    }
}
