//! Reading policies: every `*.rego` file of the directories, each parsed and its `metadata`
//! checked before any AWS call. A problem stops the run (exit 2) naming the file, and the line
//! and column where it is known.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Policy, PolicyRecord};
use crate::catalog::{Basis, CheckSpec, Remediation, Severity};
use crate::config::position;

/// Builtins that would make a policy read the clock, draw randomness, or reach outside the
/// scan; refused at load, so a stored evidence file is judged the same by `verify` later.
/// ("now" for a policy is the input's `collected_at".)
const REFUSED: &[&str] = &[
    "time.now_ns",
    "rand.intn",
    "uuid.rfc4122",
    "uuid.parse",
    "opa.runtime",
    "http.send",
    "net.lookup_ip_addr",
];

const PACKAGE_ROOT: &str = "prodready.custom.";

/// An engine as every policy runs in: Rego v1, no data document.
pub fn engine() -> regorus::Engine {
    regorus::Engine::new()
}

/// The policies of every directory, in file order; the first problem is the error.
pub fn load_dirs(dirs: &[PathBuf]) -> Result<Vec<Policy>, String> {
    let mut records = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rego"))
            .filter(|p| {
                !p.file_stem()
                    .is_some_and(|s| s.to_string_lossy().ends_with("_test"))
            })
            .collect();
        files.sort();
        for file in files {
            let source =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            records.push((file.display().to_string(), source));
        }
    }
    load_sources(records)
}

/// The policies an evidence document keeps.
pub fn load_records(records: &[PolicyRecord]) -> Result<Vec<Policy>, String> {
    load_sources(
        records
            .iter()
            .map(|r| (r.file.clone(), r.source.clone()))
            .collect(),
    )
}

pub(super) fn load_sources(sources: Vec<(String, String)>) -> Result<Vec<Policy>, String> {
    let mut policies: Vec<Policy> = Vec::new();
    for (file, source) in sources {
        let p = load_one(&file, source)?;
        if let Some(other) = policies.iter().find(|o| o.spec.id == p.spec.id) {
            return Err(format!(
                "{file}: check {} is also defined by {}",
                p.spec.id, other.file
            ));
        }
        policies.push(p);
    }
    Ok(policies)
}

fn load_one(file: &str, source: String) -> Result<Policy, String> {
    for name in REFUSED {
        if let Some(at) = source.find(name) {
            let (line, column) = position(&source, at);
            return Err(format!(
                "{file}: line {line}, column {column}: {name} is not allowed: a policy may not read the clock, randomness or anything outside its input (use input.collected_at for \"now\")"
            ));
        }
    }
    let package = source
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().to_owned())
        .ok_or_else(|| format!("{file}: no package declaration"))?;
    if !package.starts_with(PACKAGE_ROOT) {
        let at = source.find("package").unwrap_or(0);
        let (line, column) = position(&source, at);
        return Err(format!(
            "{file}: line {line}, column {column}: package {package} is not under {}: a custom check's package is prodready.custom.NAME",
            PACKAGE_ROOT.trim_end_matches('.')
        ));
    }
    let mut engine = engine();
    engine
        .add_policy(file.to_owned(), source.clone())
        .map_err(|e| parse_error(file, &e.to_string()))?;
    let meta = metadata(&mut engine, file, &source, &package)?;
    let sha256 = Sha256::digest(source.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let spec = meta.spec(file)?;
    Ok(Policy {
        file: file.to_owned(),
        source,
        sha256,
        package,
        spec,
    })
}

/// regorus's parse error as one line: `FILE: line L, column C: MESSAGE`, without the excerpt
/// of the source it quotes.
fn parse_error(file: &str, message: &str) -> String {
    let at = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|place| {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some(format!("line {line}, column {column}: "))
        })
        .unwrap_or_default();
    let what = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or("the policy does not parse");
    format!("{file}: {at}{what}")
}

/// The policy's `metadata` object, as the contract says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metadata {
    id: String,
    title: String,
    severity: Severity,
    phase: u8,
    section: String,
    effort_hours: f32,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    remediation: Option<String>,
    #[serde(default)]
    references: Vec<String>,
}

fn metadata(
    engine: &mut regorus::Engine,
    file: &str,
    source: &str,
    package: &str,
) -> Result<Metadata, String> {
    let at = source.find("metadata").unwrap_or(0);
    let (line, column) = position(source, at);
    let value = engine
        .eval_rule(format!("data.{package}.metadata"))
        .map_err(|e| format!("{file}: line {line}, column {column}: metadata: {e}"))?;
    if value == regorus::Value::Undefined {
        return Err(format!(
            "{file}: defines no `metadata` (see docs/custom-checks.md)"
        ));
    }
    let json = value
        .to_json_str()
        .map_err(|e| format!("{file}: line {line}, column {column}: metadata: {e}"))?;
    serde_json::from_str(&json)
        .map_err(|e| format!("{file}: line {line}, column {column}: metadata: {e}"))
}

impl Metadata {
    fn spec(self, file: &str) -> Result<CheckSpec, String> {
        let id_ok = !self.id.is_empty()
            && self.id.starts_with(|c: char| c.is_ascii_uppercase())
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(format!("{file}: metadata.id {:?}: upper-case letters, digits and dashes, starting with a letter", self.id));
        }
        if crate::checks::find(&self.id).is_some() {
            return Err(format!(
                "{file}: metadata.id {} is a built-in check's id",
                self.id
            ));
        }
        if !(1..=4).contains(&self.phase) {
            return Err(format!("{file}: metadata.phase {}: 1 to 4", self.phase));
        }
        if self.section.trim().is_empty() || self.title.trim().is_empty() {
            return Err(format!(
                "{file}: metadata.title and metadata.section must not be empty"
            ));
        }
        if !(self.effort_hours >= 0.0 && self.effort_hours.is_finite()) {
            return Err(format!("{file}: metadata.effort_hours must be 0 or more"));
        }
        let name = Path::new(file)
            .file_name()
            .map_or(file.to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(CheckSpec {
            id: self.id,
            version: 1,
            title: self.title,
            phase: self.phase,
            section: self.section,
            severity: self.severity,
            effort_hours: self.effort_hours,
            rationale: self.rationale.unwrap_or_default(),
            expected: "PASS by the policy".into(),
            references: self.references,
            remediation: Remediation {
                terraform: String::new(),
                cli: self.remediation.unwrap_or_default(),
            },
            manual: false,
            attestable: false,
            basis: Basis {
                reads: vec![format!(
                    "the custom policy {name}: its findings over the scan's inventory"
                )],
                cases: vec!["as the policy says".into()],
                blind: vec![],
                docs: vec![],
            },
            custom_file: Some(file.to_owned()),
        })
    }
}
