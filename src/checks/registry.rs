//! The registry: every check, declared once beside its rule. A declaration names the check's
//! id, its rule, the expectation with the config's thresholds in it, what fixing it costs, and
//! the catalog file that describes it. Nothing else spells a check id.

use std::fmt;

use super::Outcome;
use crate::catalog::prices::{line, Assumptions, CostLine, Prices};
use crate::config::Config;
use crate::inventory::Inventory;

/// A check's id ("HA-01"). Its only spelling outside tests is the declaration's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CheckId(&'static str);

impl CheckId {
    pub const fn new(id: &'static str) -> CheckId {
        CheckId(id)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for CheckId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

pub type RuleFn = fn(&Inventory, &Config) -> Vec<Outcome>;
pub type ExpectedFn = fn(&Config) -> String;
pub type FixCostFn = fn(&FixInput) -> Vec<CostLine>;

/// One check.
pub struct Check {
    pub id: CheckId,
    pub rule: RuleFn,
    /// The expectation with the thresholds in force; `None` keeps the catalog's `expected`.
    pub expected: Option<ExpectedFn>,
    /// What fixing the failing findings adds to the bill; `None` when the fix costs nothing.
    pub fix_cost: Option<FixCostFn>,
    /// The catalog file holding the check's entry (title, severity, basis, remediation).
    pub catalog: &'static str,
    /// Judged on a Terraform plan alone (`prodready plan`): every input it reads is built from
    /// the resource types a plan is read for.
    pub on_plans: bool,
}

impl Check {
    /// A check judged by `rule`, described in `catalog`, whose fix costs nothing and whose
    /// expectation is the catalog's.
    pub const fn new(id: &'static str, rule: RuleFn, catalog: &'static str) -> Check {
        Check {
            id: CheckId::new(id),
            rule,
            expected: None,
            fix_cost: None,
            catalog,
            on_plans: false,
        }
    }

    /// See [`Check::on_plans`].
    pub const fn on_plans(mut self) -> Check {
        self.on_plans = true;
        self
    }

    pub const fn expecting(mut self, expected: ExpectedFn) -> Check {
        self.expected = Some(expected);
        self
    }

    pub const fn costing(mut self, fix_cost: FixCostFn) -> Check {
        self.fix_cost = Some(fix_cost);
        self
    }

    /// The expectation a finding states: the thresholds in force, or the catalog's text.
    pub fn expected_text(&self, config: &Config, catalog_text: &str) -> String {
        match self.expected {
            Some(expected) => expected(config),
            None => catalog_text.to_owned(),
        }
    }
}

/// What a check's `fix_cost` sees: the check, how many of its findings fail, and the account.
pub struct FixInput<'a> {
    pub id: CheckId,
    pub failing: f64,
    pub inv: &'a Inventory,
    pub config: &'a Config,
    pub prices: &'a Prices,
    pub assumptions: &'a Assumptions,
}

impl FixInput<'_> {
    /// One line named after the check: "ID: what".
    pub fn line(&self, what: &str, quantity: f64, unit: &str, unit_price: f64) -> CostLine {
        line(format!("{}: {what}", self.id), quantity, unit, unit_price)
    }

    /// `per` alarms for each failing finding.
    pub fn alarms(&self, per: f64, what: &str) -> Vec<CostLine> {
        vec![self.line(
            what,
            self.failing * per,
            "alarms",
            self.prices.cloudwatch_alarm_month,
        )]
    }
}

/// Every rule module's declarations.
const MODULES: &[&[Check]] = &[
    super::state::CHECKS,
    super::ha::CHECKS,
    super::monitoring::CHECKS,
    super::notifications::CHECKS,
    super::secrets::CHECKS,
    super::backup::CHECKS,
    super::hardening::CHECKS,
    super::scaling::CHECKS,
    super::cicd::CHECKS,
    super::iac::CHECKS,
    super::domain::CHECKS,
    super::observability::CHECKS,
    super::cost::CHECKS,
    super::documentation::CHECKS,
    super::recovery::CHECKS,
];

/// Every check, in declaration order (the catalog gives the report's order).
pub fn all() -> impl Iterator<Item = &'static Check> {
    MODULES.iter().flat_map(|m| m.iter())
}

/// The check with this id, if one is declared.
pub fn find(id: &str) -> Option<&'static Check> {
    all().find(|c| c.id == *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `AREA-NN` token of a line: the shape of a check id.
    fn id_shaped(line: &str) -> Vec<&str> {
        let bytes = line.as_bytes();
        let mut found = Vec::new();
        let mut start = 0;
        while start < bytes.len() {
            let letters = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_uppercase())
                .count();
            let after_letters = start + letters;
            let starts_word = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
            if letters >= 2 && starts_word && bytes.get(after_letters) == Some(&b'-') {
                let digits = bytes[after_letters + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let end = after_letters + 1 + digits;
                let ends_word = bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
                if digits == 2 && ends_word {
                    found.push(&line[start..end]);
                }
            }
            start = after_letters.max(start + 1);
        }
        found
    }

    /// Each `.rs` file under `dir`, its text before the first test module; a module's
    /// `tests.rs` (compiled for tests only) is all test.
    fn code_outside_tests(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                code_outside_tests(&path, out);
            } else if path.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                out.push((path.display().to_string(), code.to_owned()));
            }
        }
    }

    #[test]
    fn each_check_id_is_spelled_once_outside_tests_in_its_declaration() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        code_outside_tests(&src, &mut files);
        let mut spelled: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (path, code) in &files {
            for (n, line) in code.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for id in id_shaped(line) {
                    spelled
                        .entry(id)
                        .or_default()
                        .push(format!("{path}:{}", n + 1));
                }
            }
        }
        for check in all() {
            let places = spelled.remove(check.id.as_str()).unwrap_or_default();
            assert_eq!(places.len(), 1, "{} is spelled at {places:?}", check.id);
        }
        assert!(
            spelled.is_empty(),
            "ids no check declares, or ids spelled outside a declaration: {spelled:?}"
        );
    }

    #[test]
    fn id_shapes_are_found_where_they_are_words() {
        assert_eq!(
            id_shaped(r#"("HA-01", x) MON-07, SCALE-02"#),
            ["HA-01", "MON-07", "SCALE-02"]
        );
        assert!(id_shaped("HA-010 xHA-01 AWS-4 us-east-1").is_empty());
    }
}
