//! A team's own checks, written in Rego (docs/custom-checks.md): each `*.rego` file of the
//! policy directories is one check, a package under `prodready.custom` that defines `metadata`
//! and `findings`. They are evaluated in-process (regorus) on the input of `input.rs`, after
//! the built-in rules; a policy that fails at evaluation or runs past its time budget is an
//! ERROR of its own check, and the scan goes on.

mod input;
mod load;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use input::input;
pub use load::{load_dirs, load_records};

use super::{Outcome, Status};
use crate::catalog::CheckSpec;

/// How long one policy may evaluate before its check says ERROR.
const TIME_BUDGET: Duration = Duration::from_secs(10);

/// A loaded policy: its file and source (kept in the evidence, so `verify` can judge again),
/// the source's SHA-256, its package and the check its metadata describes.
#[derive(Debug, Clone)]
pub struct Policy {
    pub file: String,
    pub source: String,
    pub sha256: String,
    pub package: String,
    pub spec: CheckSpec,
}

/// A policy as the evidence keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub check_id: String,
    pub file: String,
    pub sha256: String,
    pub source: String,
}

impl Policy {
    pub fn record(&self) -> PolicyRecord {
        PolicyRecord {
            check_id: self.spec.id.clone(),
            file: self.file.clone(),
            sha256: self.sha256.clone(),
            source: self.source.clone(),
        }
    }
}

static INSTALLED: OnceLock<Vec<Policy>> = OnceLock::new();

/// Makes the policies this run's custom checks: their specs join the catalog, their rules the
/// evaluation. Once per process, before anything reads the catalog's custom checks.
pub fn install(policies: Vec<Policy>) -> Result<(), String> {
    crate::catalog::install_custom(policies.iter().map(|p| p.spec.clone()).collect())?;
    INSTALLED
        .set(policies)
        .map_err(|_| "custom checks were already installed".to_owned())
}

/// The installed policies (none unless `install` ran).
pub fn installed() -> &'static [Policy] {
    INSTALLED.get().map_or(&[], Vec::as_slice)
}

/// The custom checks' outcomes on the whole inventory, less those on resources the scope
/// left out.
pub fn outcomes(
    policies: &[Policy],
    schema_version: &str,
    inventory: &crate::inventory::Inventory,
    config: &crate::config::Config,
    out_of_scope: &[String],
) -> BTreeMap<String, Vec<Outcome>> {
    if policies.is_empty() {
        return Default::default();
    }
    let input = input(schema_version, inventory, config, out_of_scope);
    let mut outcomes = evaluate(policies, &input);
    for list in outcomes.values_mut() {
        list.retain(|o| {
            !o.resource_arn
                .as_ref()
                .is_some_and(|r| out_of_scope.contains(r))
        });
    }
    outcomes
}

const NOT_A_SET: &str =
    "findings must be a set of {resource, region, status, observed, message} objects";

/// One finding a policy returns, as the contract says.
#[derive(Debug)]
struct PolicyFinding {
    resource: Option<String>,
    region: Option<String>,
    status: String,
    observed: String,
    message: String,
}

/// A finding object: `status` and `message` strings, `resource`, `region` and `observed`
/// strings when present; no other key.
fn finding(item: &regorus::Value) -> Option<PolicyFinding> {
    const KEYS: [&str; 5] = ["resource", "region", "status", "observed", "message"];
    let object = item.as_object().ok()?;
    let text = |key: &str| -> Option<Option<String>> {
        match object.get(&regorus::Value::from(key)) {
            None | Some(regorus::Value::Null) => Some(None),
            Some(regorus::Value::String(s)) => Some(Some(s.to_string())),
            Some(_) => None,
        }
    };
    let known = object
        .keys()
        .all(|k| k.as_string().is_ok_and(|k| KEYS.contains(&k.as_ref())));
    if !known {
        return None;
    }
    Some(PolicyFinding {
        resource: text("resource")?,
        region: text("region")?,
        status: text("status")??,
        observed: text("observed")?.unwrap_or_default(),
        message: text("message")??,
    })
}

fn error(message: String) -> Outcome {
    Outcome {
        status: Status::Error,
        resource_arn: None,
        region: None,
        observed: "the policy could not be evaluated".into(),
        message,
    }
}

/// Every policy's outcomes on `input_json` (see `input`), by check id.
pub fn evaluate(policies: &[Policy], input_json: &str) -> BTreeMap<String, Vec<Outcome>> {
    let mut out = BTreeMap::new();
    if policies.is_empty() {
        return out;
    }
    let input = match regorus::Value::from_json_str(input_json) {
        Ok(v) => v,
        Err(e) => {
            for p in policies {
                out.insert(
                    p.spec.id.clone(),
                    vec![error(format!("the input could not be built: {e}"))],
                );
            }
            return out;
        }
    };
    // One engine for all: the input is converted once. Each policy loaded on its own before
    // (`load`), so none can fail to add here but by a clash of packages, which is its ERROR.
    let mut engine = load::engine();
    let mut added = Vec::new();
    for p in policies {
        match engine.add_policy(p.file.clone(), p.source.clone()) {
            Ok(_) => added.push(p),
            Err(e) => {
                out.insert(p.spec.id.clone(), vec![error(format!("{}: {e}", p.file))]);
            }
        }
    }
    engine.set_input(input);
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: TIME_BUDGET,
        check_interval: std::num::NonZeroU32::new(1000).unwrap_or(std::num::NonZeroU32::MIN),
    });
    for p in added {
        out.insert(p.spec.id.clone(), evaluate_one(&mut engine, p));
    }
    out
}

fn evaluate_one(engine: &mut regorus::Engine, p: &Policy) -> Vec<Outcome> {
    let path = format!("data.{}.findings", p.package);
    let value = match engine.eval_rule(path.clone()) {
        // regorus answers a rule no policy defines with this error, not with undefined.
        Err(e) if e.to_string().contains("not a valid rule path") => regorus::Value::Undefined,
        Ok(v) => v,
        Err(e) => return vec![error(format!("{}: evaluation failed: {e}", p.file))],
    };
    if value == regorus::Value::Undefined {
        return vec![error(format!(
            "{}: `findings` is undefined: no rule of that name produced a value (a typo in a path, or a rule that never matched); an empty set means no resource to judge",
            p.file
        ))];
    }
    // Read straight from the interpreter's values: a set (or array) of objects.
    let items: Vec<&regorus::Value> = match &value {
        regorus::Value::Set(set) => set.iter().collect(),
        regorus::Value::Array(list) => list.iter().collect(),
        _ => return vec![error(format!("{}: {NOT_A_SET}", p.file))],
    };
    let mut found = Vec::with_capacity(items.len());
    for item in items {
        match finding(item) {
            Some(f) => found.push(f),
            None => {
                return vec![error(format!(
                    "{}: a finding is not an object with a string status and message (and string resource, region, observed): {}",
                    p.file,
                    item.to_json_str().unwrap_or_default().chars().take(200).collect::<String>()
                ))]
            }
        }
    }
    if found.is_empty() {
        return vec![Outcome::not_applicable(format!(
            "{} found nothing to judge",
            p.file
        ))];
    }
    found.into_iter().map(|f| outcome(p, f)).collect()
}

fn outcome(p: &Policy, f: PolicyFinding) -> Outcome {
    let status = match f.status.as_str() {
        "PASS" => Status::Pass,
        "FAIL" => Status::Fail,
        other => {
            return error(format!(
                "{}: a finding's status is {other:?}; PASS or FAIL",
                p.file
            ))
        }
    };
    Outcome {
        status,
        resource_arn: f.resource.filter(|r| !r.is_empty()),
        region: f.region.filter(|r| !r.is_empty()),
        observed: f.observed,
        message: f.message,
    }
}

#[cfg(test)]
mod tests;
