//! The scan configuration (`prodready.toml`): thresholds the rules judge by.
//! Every key is optional; unknown keys are errors, so a typo never silently keeps a default.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::SetupError;

mod problems;

pub use problems::position;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    pub secrets: Secrets,
    #[serde(default)]
    pub terraform: Terraform,
    #[serde(default)]
    pub s3: S3Scope,
    #[serde(default)]
    pub cloudfront: CloudFrontPolicy,
    /// Which resources are the application's: the rest of the account is not judged.
    #[serde(default)]
    pub scope: Scope,
    /// Manual checks (DOC-01 …) judged by a person, by check id.
    #[serde(default)]
    pub attestations: BTreeMap<String, Attestation>,
    /// Failing findings accepted for now, with a reason (see `suppress`).
    #[serde(default)]
    pub suppressions: Vec<Suppression>,
    /// REC-01…04: the recovery time and point wanted for each disruption.
    #[serde(default)]
    pub recovery: RecoveryTargets,
    /// A team's own checks, written in Rego (docs/custom-checks.md).
    #[serde(default)]
    pub policies: Policies,
    /// Named sets of checks (`[frameworks.NAME] checks = [...]`), chosen with `--framework`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub frameworks: BTreeMap<String, Framework>,
    /// The checks judged: `--checks`, `--skip-checks` and `--framework` end up here, and the
    /// evidence keeps it, so `verify` judges the same set.
    #[serde(default, skip_serializing_if = "Selection::is_everything")]
    pub selection: Selection,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub checks: Vec<String>,
}

/// Which checks are judged: only these (empty: all), less these.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Selection {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skip: Vec<String>,
}

impl Selection {
    pub fn is_everything(&self) -> bool {
        self.only.is_empty() && self.skip.is_empty()
    }

    pub fn includes(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == id))
            && !self.skip.iter().any(|s| s == id)
    }
}

/// Where the custom checks' policies are: every `*.rego` file of these directories (as
/// `--policy-dir`, which adds to them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policies {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<String>,
}

/// The `[policies] dirs` of a config file, read before the whole file is checked (the
/// check needs the custom checks' ids). Nothing when the file has none or cannot be read:
/// the whole check then says what is wrong.
pub fn policy_dirs(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    doc.get("policies")
        .and_then(|p| p.get("dirs"))
        .and_then(|d| d.as_array())
        .map(|dirs| {
            dirs.iter()
                .filter_map(|d| d.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The recovery wanted per disruption (`[recovery.task]`, `.zone`, `.region`, `.data`). A key
/// left out keeps its default, suited to the "Production" grade (docs/recovery.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecoveryTargets {
    pub task: Target,
    pub zone: Target,
    pub region: Target,
    pub data: Target,
}

/// Minutes of downtime (RTO) and of lost writes (RPO) a disruption may cost; unset keys
/// take the disruption's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Target {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo_minutes: Option<u32>,
}

impl RecoveryTargets {
    /// The target in force for a disruption (`task`, `zone`, `region`, `data`): the config's
    /// keys over the defaults. A task's failure has no data to lose: no RPO by default.
    pub fn target(&self, disruption: &str) -> Target {
        let (given, rto, rpo) = match disruption {
            "task" => (self.task, 5, None),
            "zone" => (self.zone, 15, Some(0)),
            "region" => (self.region, 480, Some(60)),
            _ => (self.data, 240, Some(60)),
        };
        Target {
            rto_minutes: given.rto_minutes.or(Some(rto)),
            rpo_minutes: given.rpo_minutes.or(rpo),
        }
    }
}

/// A person's word on a check the account cannot show, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub attested_by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub evidence_url: String,
    /// What the person found: `pass` (the default) or `fail`.
    #[serde(default)]
    pub result: AttestedResult,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttestedResult {
    #[default]
    Pass,
    Fail,
}

/// HARD-09: where the application may be served. Unset, geography is not judged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CloudFrontPolicy {
    /// ISO 3166-1 alpha-2 codes (`GB`, `IE` …) the distributions may serve.
    pub allowed_countries: Vec<String>,
}

/// Which buckets hold the application's data (BAK-03, BAK-04, COST-02 judge only those).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct S3Scope {
    /// Case-insensitive name fragments of buckets that are not data: logs, trails, state,
    /// the buckets AWS tools make for themselves. A fragment matches at the start of a word of
    /// the name (words split on `-`, `.` and `_`): `log` matches `access-logs`, not `catalog`.
    /// Terraform state buckets and CloudTrail's buckets are never data, whatever their names.
    pub non_data_name_patterns: Vec<String>,
}

impl Default for S3Scope {
    fn default() -> Self {
        let patterns = [
            "log",
            "cloudtrail",
            "tfstate",
            "terraform-state",
            "tf-state",
            // CodePipeline's artifact store (the console names it codepipeline-REGION-…).
            "codepipeline",
            // Buckets AWS tools create for their own artifacts and results: the CDK's bootstrap
            // assets, SAM's managed bucket, Elastic Beanstalk's, Athena's query results, AWS
            // Config's delivery channel.
            "cdk-hnb659fds",
            "aws-sam-cli-managed",
            "elasticbeanstalk",
            "aws-athena-query-results",
            "config-bucket",
        ];
        S3Scope {
            non_data_name_patterns: patterns.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// SEC-01: what makes an environment variable's name look like a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Secrets {
    /// Case-insensitive substrings of variable names that mark a secret.
    pub env_name_patterns: Vec<String>,
}

impl Default for Secrets {
    fn default() -> Self {
        let patterns = [
            "SECRET",
            "PASSWORD",
            "PASSWD",
            "TOKEN",
            "API_KEY",
            "APIKEY",
            "PRIVATE_KEY",
            "CLIENT_ID",
            "CLIENT_SECRET",
            "CREDENTIAL",
            "ACCESS_KEY",
        ];
        Secrets {
            env_name_patterns: patterns.iter().map(|p| p.to_string()).collect(),
        }
    }
}

impl Secrets {
    /// Whether an environment variable's name looks like it holds a secret: a pattern matches
    /// where it ends a word of the name (`DB_PASSWORD`, `DBPASSWORD`, not
    /// `TOKENIZERS_PARALLELISM`), and a name that
    /// points at a secret rather than holding one (`DB_SECRET_ARN`, `JWT_SECRET_NAME`, as ECS
    /// recommends passing them) does not count.
    pub fn looks_secret(&self, name: &str) -> bool {
        let upper = name.to_uppercase().replace(['-', '.'], "_");
        const POINTERS: &[&str] = &["_ARN", "_NAME", "_PARAMETER", "_PARAM", "_PATH"];
        if POINTERS.iter().any(|p| upper.ends_with(p)) {
            return false;
        }
        let words = format!("_{upper}_");
        self.env_name_patterns
            .iter()
            .any(|p| words.contains(&format!("{}_", p.to_uppercase())))
    }
}

/// Where the Terraform state lives, when the scanner should not guess.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Terraform {
    /// STATE-01/02: the state bucket's name. Unset: buckets whose names suggest state
    /// (tfstate, terraform, state) are searched for `*.tfstate` objects.
    pub state_bucket: Option<String>,
    /// STATE-03: the DynamoDB lock table's name. Unset: any table keyed by `LockID` counts.
    pub lock_table: Option<String>,
    /// STATE-01…03: `elsewhere` when the state is not kept in this account (HCP Terraform,
    /// Terraform Enterprise, another account's bucket): the checks are then not this
    /// account's to judge. Unset or `s3`: the state is looked for here.
    pub backend: Option<Backend>,
    /// Terraform states managing the account (files or `s3://BUCKET/KEY`), as
    /// `--terraform-state`: findings name their addresses, IAC-01 judges what none manages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<String>,
    /// The Terraform configuration's directory, as `--terraform-dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// STATE-03: how the S3 backend locks the state. `s3`: Terraform 1.10+'s lock file in the
    /// state bucket (`use_lockfile = true`), which exists only while an operation runs, so the
    /// account cannot show it and this statement stands for it. Unset or `dynamodb`: a lock
    /// table is looked for.
    pub locking: Option<Locking>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    S3,
    Elsewhere,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locking {
    Dynamodb,
    S3,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// HA-01: the fewest tasks an ECS service may want.
    pub min_desired_count: i32,
    /// HA-05: the fewest availability zones a service and its load balancer may span.
    pub min_availability_zones: usize,
    /// HA-06: deployment minimum healthy percent, at least.
    pub min_healthy_percent: i32,
    /// HA-06: deployment maximum percent, at least.
    pub max_percent: i32,
    /// MON-09: the fewest days a log group may keep its events.
    pub log_retention_days: i32,
    /// BAK-02: the fewest days a backup rule may keep its recovery points.
    pub backup_retention_days: i64,
    /// SCALE-01: the lowest minimum capacity a service's scalable target may have.
    pub min_scaling_capacity: i32,
    /// DOM-02: a certificate in use must stay valid at least this many more days.
    pub certificate_expiry_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_desired_count: 3,
            min_availability_zones: 2,
            min_healthy_percent: 100,
            max_percent: 200,
            log_retention_days: 30,
            backup_retention_days: 30,
            min_scaling_capacity: 3,
            certificate_expiry_days: 30,
        }
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, SetupError> {
        let err = |detail: String| SetupError::Config {
            path: path.display().to_string(),
            detail,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Config::parse(&text).map_err(err)
    }

    /// Parses a config document; the error lists every problem of it, each at its line and
    /// column with the key and what was expected.
    pub fn parse(text: &str) -> Result<Config, String> {
        problems::read(text).map_err(|p| problems::describe(&p))
    }

    /// What the values mean that their types cannot say: ranges, dates, known checks. Each
    /// problem with the key path it is at.
    fn problems(&self) -> Vec<(String, String)> {
        let mut out = self.thresholds.problems();
        if self
            .secrets
            .env_name_patterns
            .iter()
            .any(|p| p.trim().is_empty())
        {
            out.push((
                "secrets.env_name_patterns".into(),
                "secrets.env_name_patterns must not contain an empty pattern".into(),
            ));
        }
        if self.scope.name_prefixes.iter().any(|p| p.trim().is_empty()) {
            out.push((
                "scope.name_prefixes".into(),
                "scope.name_prefixes must not contain an empty prefix".into(),
            ));
        }
        if self.scope.tags.keys().any(|k| k.trim().is_empty()) {
            out.push((
                "scope.tags".into(),
                "scope.tags must not have an empty key".into(),
            ));
        }
        for (i, code) in self.cloudfront.allowed_countries.iter().enumerate() {
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                out.push((
                    format!("cloudfront.allowed_countries[{i}]"),
                    format!("cloudfront.allowed_countries: {code:?} is not an ISO 3166-1 alpha-2 code such as \"GB\""),
                ));
            }
        }
        for (id, a) in &self.attestations {
            out.extend(a.problems(id));
        }
        for (i, s) in self.suppressions.iter().enumerate() {
            out.extend(s.problems(i));
        }
        out
    }
}

impl Thresholds {
    fn problems(&self) -> Vec<(String, String)> {
        let t = self;
        let ranges: [(&str, bool, &str); 8] = [
            (
                "min_desired_count",
                (1..=1000).contains(&t.min_desired_count),
                "1 to 1000",
            ),
            (
                "min_availability_zones",
                (1..=6).contains(&t.min_availability_zones),
                "1 to 6",
            ),
            (
                "min_healthy_percent",
                (0..=100).contains(&t.min_healthy_percent),
                "0 to 100",
            ),
            (
                "max_percent",
                (100..=200).contains(&t.max_percent),
                "100 to 200",
            ),
            (
                "log_retention_days",
                (1..=3653).contains(&t.log_retention_days),
                "1 to 3653",
            ),
            (
                "backup_retention_days",
                (1..=36500).contains(&t.backup_retention_days),
                "1 to 36500",
            ),
            (
                "min_scaling_capacity",
                (1..=1000).contains(&t.min_scaling_capacity),
                "1 to 1000",
            ),
            (
                "certificate_expiry_days",
                (0..=365).contains(&t.certificate_expiry_days),
                "0 to 365",
            ),
        ];
        ranges
            .iter()
            .filter(|(_, ok, _)| !ok)
            .map(|(key, _, range)| {
                let path = format!("thresholds.{key}");
                let message = format!("{path} must be {range}");
                (path, message)
            })
            .collect()
    }
}

impl Attestation {
    fn problems(&self, id: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let attestable = crate::catalog::catalog()
            .get(id)
            .is_some_and(|c| c.manual || c.attestable);
        if !attestable {
            out.push((
                format!("attestations.{id}"),
                format!("attestations.{id}: only manual and attestable checks take an attestation (see `prodready checks`)"),
            ));
        }
        if self.attested_by.trim().is_empty() || self.evidence_url.trim().is_empty() {
            out.push((
                format!("attestations.{id}"),
                format!("attestations.{id}: attested_by and evidence_url must not be empty"),
            ));
        }
        if !is_date(&self.date) {
            out.push((
                format!("attestations.{id}.date"),
                format!(
                    "attestations.{id}.date must be a date as YYYY-MM-DD, got {:?}",
                    self.date
                ),
            ));
        }
        out
    }
}

impl Suppression {
    fn problems(&self, i: usize) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if crate::catalog::catalog().get(&self.check).is_none() {
            out.push((
                format!("suppressions[{i}].check"),
                format!(
                    "suppressions[{i}].check: no check {:?} (see `prodready checks`)",
                    self.check
                ),
            ));
        }
        if self.resource.trim().is_empty() {
            out.push((
                format!("suppressions[{i}].resource"),
                format!("suppressions[{i}].resource must be an ARN or a pattern such as \"*\""),
            ));
        }
        if let Some(e) = self.expires.as_deref().filter(|e| !is_date(e)) {
            out.push((
                format!("suppressions[{i}].expires"),
                format!("suppressions[{i}].expires must be a date as YYYY-MM-DD, got {e:?}"),
            ));
        }
        out
    }
}

/// `YYYY-MM-DD` with a plausible month and day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.chars().all(|c| c.is_ascii_digit());
    parts.len() == 3
        && num(parts[0], 4)
        && num(parts[1], 2)
        && num(parts[2], 2)
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0))
}

/// `[scope]`: which of the account's resources are the application's (see `checks::scope`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scope {
    /// Tags a resource must carry, every one (`Project = "mra-mines"`).
    pub tags: BTreeMap<String, String>,
    /// Name prefixes, any one of which a resource's name (or one of its path segments, for
    /// log groups such as `/ecs/mra-mines-frontend`) must start with.
    pub name_prefixes: Vec<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty() && self.name_prefixes.is_empty()
    }
}

/// One `[[suppressions]]` entry of the config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// The check id, e.g. `HARD-09`.
    pub check: String,
    /// The resources it covers: an ARN, or a pattern with `*` (`*` alone: every resource of
    /// the check, and the account-wide findings).
    pub resource: String,
    /// Why the failure is accepted. Required: without one the suppression does not hold.
    #[serde(default)]
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, the last day it holds.
    #[serde(default)]
    pub expires: Option<String>,
    #[serde(default)]
    pub approved_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attestations_are_validated() {
        let ok = "[attestations.DOC-01]\nattested_by = \"ops lead\"\ndate = \"2026-11-01\"\nevidence_url = \"https://wiki/runbooks\"\n";
        let c = Config::parse(ok).unwrap();
        assert_eq!(c.attestations["DOC-01"].result, AttestedResult::Pass);
        let not_manual = ok.replace("DOC-01", "HA-01");
        assert!(Config::parse(&not_manual)
            .unwrap_err()
            .contains("only manual and attestable checks"));
        let bad_date = ok.replace("2026-11-01", "1 Nov 2026");
        assert!(Config::parse(&bad_date).unwrap_err().contains("YYYY-MM-DD"));
        let missing = "[attestations.DOC-01]\nattested_by = \"x\"\n";
        assert!(Config::parse(missing).unwrap_err().contains("date"));
    }

    #[test]
    fn the_documented_example_is_a_valid_config() {
        let doc = include_str!("../../docs/configuration.md");
        let example = doc
            .split("```toml")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("a toml block in docs/configuration.md");
        let c = Config::parse(example).unwrap();
        assert_eq!(c.scope.name_prefixes, ["mra-mines"]);
        assert_eq!(c.cloudfront.allowed_countries, ["GB", "IE"]);
        assert!(c.attestations.contains_key("BAK-05"));
        // The example spells out the default list: it must be the default.
        assert_eq!(c.s3, S3Scope::default());
    }

    #[test]
    fn empty_config_is_the_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn thresholds_override_defaults() {
        let c = Config::parse("[thresholds]\nmin_desired_count = 2\n").unwrap();
        assert_eq!(c.thresholds.min_desired_count, 2);
        assert_eq!(c.thresholds.log_retention_days, 30);
    }

    #[test]
    fn unknown_key_names_the_key_and_line() {
        let err = Config::parse("[thresholds]\nmin_desired = 2\n").unwrap_err();
        assert!(err.contains("min_desired"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn recovery_targets_keep_their_defaults_and_bad_ones_name_their_key() {
        let c = Config::parse("[recovery.zone]\nrto_minutes = 30\n").unwrap();
        let zone = c.recovery.target("zone");
        assert_eq!((zone.rto_minutes, zone.rpo_minutes), (Some(30), Some(0)));
        assert_eq!(c.recovery.target("task").rpo_minutes, None);
        assert_eq!(c.recovery.target("region").rto_minutes, Some(480));
        let err = Config::parse(
            "[recovery.zone]\nrto_minutes = -5\n[recovery.datta]\nrpo_minutes = 1\n[recovery.region]\nrpo_minutes = \"an hour\"\n",
        )
        .unwrap_err();
        for (key, line) in [
            (
                "recovery.zone.rto_minutes: invalid value: integer `-5`",
                "line 2",
            ),
            ("recovery.datta: unknown field `datta`", "line 3"),
            (
                "recovery.region.rpo_minutes: invalid type: string",
                "line 6",
            ),
        ] {
            assert!(
                err.contains(&format!("{line}, column")) && err.contains(key),
                "{key}: {err}"
            );
        }
    }

    #[test]
    fn wrong_type_says_what_was_expected() {
        let err = Config::parse("[thresholds]\nlog_retention_days = \"thirty\"\n").unwrap_err();
        assert!(
            err.contains("log_retention_days") || err.contains("line 2"),
            "{err}"
        );
        assert!(err.contains("expected i32"), "{err}");
    }

    #[test]
    fn secret_patterns_replace_the_defaults() {
        let d = Config::default();
        for (name, secret) in [
            ("DB_PASSWORD", true),
            ("dbpassword", true),
            ("COGNITO_CLIENT_ID", true),
            ("STRIPE_API_KEY", true),
            ("GITHUB_TOKEN", true),
            ("TOKENIZERS_PARALLELISM", false),
            ("DB_SECRET_ARN", false),
            ("JWT_SECRET_NAME", false),
            ("DB_PASSWORD_PARAMETER", false),
            ("LOG_LEVEL", false),
        ] {
            assert_eq!(d.secrets.looks_secret(name), secret, "{name}");
        }
        let c = Config::parse("[secrets]\nenv_name_patterns = [\"DSN\"]\n").unwrap();
        assert_eq!(c.secrets.env_name_patterns, ["DSN"]);
        assert!(Config::parse("[secrets]\nenv_name_patterns = [\"\"]\n").is_err());
    }

    #[test]
    fn out_of_range_value_names_the_key() {
        let err = Config::parse("[thresholds]\nmin_desired_count = 0\n").unwrap_err();
        assert_eq!(
            err,
            "line 2, column 21: thresholds.min_desired_count must be 1 to 1000"
        );
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_its_line_and_column() {
        let text = "\
[thresholds]
min_desired_count = 0
max_percent = \"lots\"
min_desired = 2

[[suppressions]]
check = \"HA-01\"
expires = \"soon\"

[[suppressions]]
check = \"NOPE-01\"
resource = \"*\"
";
        // Wrong types, unknown keys and wrong values, all at once, each at its place; the
        // second suppression keeps its number though the first could not be read.
        let err = Config::parse(text).unwrap_err();
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            [
                "5 problems:",
                "  line 2, column 21: thresholds.min_desired_count must be 1 to 1000",
                "  line 3, column 15: thresholds.max_percent: invalid type: string \"lots\", expected i32",
                "  line 4, column 1: thresholds.min_desired: unknown field `min_desired`, expected one of `min_desired_count`, `min_availability_zones`, `min_healthy_percent`, `max_percent`, `log_retention_days`, `backup_retention_days`, `min_scaling_capacity`, `certificate_expiry_days`",
                "  line 6, column 1: suppressions[0]: missing field `resource`",
                "  line 11, column 9: suppressions[1].check: no check \"NOPE-01\" (see `prodready checks`)",
            ]
        );
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_place() {
        let err = Config::parse("[thresholds]\nmin_desired_count = = 3\n").unwrap_err();
        assert!(
            err.contains("line 2, column 21: extra `=`, expected nothing"),
            "{err}"
        );
    }
}
