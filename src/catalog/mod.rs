//! The check catalog: one entry per check id, from the TOML files in `checks/`, embedded at
//! compile time. The catalog says what a check is (title, phase, severity, effort, why, how
//! to fix); the rules in `src/checks/` say how it is judged.

pub mod prices;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// `(path, contents)` of each catalog file, embedded at compile time.
macro_rules! catalog_files {
    ($($name:literal),* $(,)?) => {
        &[$((concat!("checks/", $name, ".toml"), include_str!(concat!("../../checks/", $name, ".toml")))),*]
    };
}

/// The catalog files, by path. A test asserts this list matches the `checks/` directory.
pub const FILES: &[(&str, &str)] = catalog_files![
    "backup",
    "cicd",
    "cost",
    "documentation",
    "domain",
    "ha",
    "hardening",
    "iac",
    "monitoring",
    "observability",
    "recovery",
    "scaling",
    "secrets",
    "state",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub id: String,
    /// Bumped whenever the check's meaning changes, so stored evidence says which it used.
    pub version: u32,
    pub title: String,
    /// The assessment's phase: 1 critical, 2 high, 3 important, 4 enhanced.
    pub phase: u8,
    /// The assessment's checklist section the check belongs to.
    pub section: String,
    pub severity: Severity,
    /// Work to fix a failing check, in hours.
    pub effort_hours: f32,
    pub rationale: String,
    pub expected: String,
    pub references: Vec<String>,
    pub remediation: Remediation,
    /// The account cannot show this: a person attests it in the config (`[attestations]`).
    #[serde(default)]
    pub manual: bool,
    /// Judged from the account, but a person's attestation may stand in for what the account
    /// cannot show (a restore tested outside AWS Backup).
    #[serde(default)]
    pub attestable: bool,
    /// What the verdict rests on, read against AWS's documentation.
    pub basis: Basis,
    /// A team's own check: the policy file that defines it (see `checks::custom`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_file: Option<String>,
}

/// What a check's verdict rests on: the API fields it reads, each case a real account can
/// present and the verdict it gets, what the account cannot show, and the AWS pages cited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    pub reads: Vec<String>,
    pub cases: Vec<String>,
    pub blind: Vec<String>,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub terraform: String,
    pub cli: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    check: Vec<CheckSpec>,
}

#[derive(Debug)]
pub struct Catalog {
    checks: Vec<CheckSpec>,
}

impl Catalog {
    /// Parses catalog files; the error names the file and the key.
    pub fn parse(files: &[(&str, &str)]) -> Result<Catalog, String> {
        let mut checks = Vec::new();
        for (path, text) in files {
            let file: CatalogFile = toml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
            checks.extend(file.check);
        }
        checks.sort_by_key(|c| order_key(&c.id));
        for pair in checks.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(format!("check {} is defined twice", pair[0].id));
            }
        }
        Ok(Catalog { checks })
    }

    pub fn checks(&self) -> &[CheckSpec] {
        &self.checks
    }

    pub fn get(&self, id: &str) -> Option<&CheckSpec> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// The assessment's order of areas: phase 1's (remote state, availability, monitoring,
/// secrets), then phase 2's, 3's and 4's.
const AREA_ORDER: &[&str] = &[
    "STATE", "HA", "MON", "SEC", "BAK", "REC", "HARD", "SCALE", "CICD", "IAC", "DOM", "OBS",
    "COST", "DOC",
];

/// Checks sort in the assessment's order of areas, then by number: HA-02 before HA-10.
fn order_key(id: &str) -> (usize, String, u32) {
    let (area, n) = id.rsplit_once('-').unwrap_or((id, "0"));
    let rank = AREA_ORDER
        .iter()
        .position(|a| *a == area)
        .unwrap_or(AREA_ORDER.len());
    (rank, area.to_owned(), n.parse().unwrap_or(0))
}

static CUSTOM: OnceLock<Vec<CheckSpec>> = OnceLock::new();

/// Adds a team's own checks to the catalog, once per process, before the catalog is first
/// read; their ids must not clash with the built-in ones.
pub fn install_custom(specs: Vec<CheckSpec>) -> Result<(), String> {
    CUSTOM
        .set(specs)
        .map_err(|_| "custom checks were already installed".to_owned())
}

/// The catalog: the embedded checks, and the custom ones installed before its first use.
/// Its embedded files are part of the binary and a test parses them, so a failure here is a
/// build defect, not bad input.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut c = Catalog::parse(FILES).unwrap_or_else(|e| panic!("embedded check catalog: {e}"));
        // Installing closes the door: custom checks installed later would not be seen.
        let custom = CUSTOM.get_or_init(Vec::new);
        c.checks.extend(custom.iter().cloned());
        c.checks.sort_by_key(|c| order_key(&c.id));
        c
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_parses() {
        assert!(!catalog().checks().is_empty());
    }

    #[test]
    fn every_file_in_checks_dir_is_embedded() {
        // The checkout under test, read at run time: a test binary cargo reuses from another
        // clone sharing the target dir has that clone's path compiled in.
        let root = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
        let dir = root.join("checks");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("checks/{}", e.unwrap().file_name().to_string_lossy()))
            .filter(|p| p.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = FILES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn entries_are_complete() {
        for c in catalog().checks() {
            assert!((1..=4).contains(&c.phase), "{} phase", c.id);
            assert!(c.effort_hours > 0.0, "{} effort", c.id);
            for (field, value) in [
                ("title", &c.title),
                ("section", &c.section),
                ("rationale", &c.rationale),
                ("expected", &c.expected),
                ("terraform", &c.remediation.terraform),
                ("cli", &c.remediation.cli),
            ] {
                assert!(!value.trim().is_empty(), "{} has an empty {field}", c.id);
            }
            assert!(!c.references.is_empty(), "{} has no references", c.id);
            let b = &c.basis;
            assert!(!b.reads.is_empty(), "{} reads nothing", c.id);
            assert!(!b.cases.is_empty(), "{} has no cases", c.id);
            assert!(!b.docs.is_empty(), "{} cites no AWS page", c.id);
            for url in &b.docs {
                assert!(
                    url.starts_with("https://docs.aws.amazon.com/"),
                    "{} cites {url}, not an AWS documentation page",
                    c.id
                );
                // The English page, not a translation (`/zh_tw/`, `/id_id/` …).
                let first = url["https://docs.aws.amazon.com/".len()..]
                    .split('/')
                    .next();
                assert!(
                    !first.is_some_and(|s| s.len() == 5 && s.as_bytes()[2] == b'_'),
                    "{} cites a translated page: {url}",
                    c.id
                );
            }
        }
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let bad = "[[check]]\nid = \"X-1\"\nversoin = 1\n";
        let err = Catalog::parse(&[("checks/x.toml", bad)]).unwrap_err();
        assert!(
            err.contains("checks/x.toml") && err.contains("versoin"),
            "{err}"
        );
    }

    #[test]
    fn ids_sort_by_area_then_numerically() {
        assert!(order_key("HA-2") < order_key("HA-10"));
        assert!(order_key("HA-10") < order_key("MON-1"));
        assert!(order_key("MON-9") < order_key("BAK-1"));
    }
}
