//! `--accounts FILE`: the accounts of a multi-account scan, each with the role to assume in it.
//!
//! ```toml
//! [[account]]
//! id   = "123456789012"
//! role = "prodready-audit"     # a role name in that account, or a full role ARN
//! name = "staging"             # optional, for people
//! ```

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub id: String,
    pub role: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "account", default)]
    accounts: Vec<Account>,
}

impl Account {
    /// The role to assume: the name made an ARN in the account (partition `aws`), or the ARN.
    pub fn role_arn(&self) -> String {
        if self.role.starts_with("arn:") {
            self.role.clone()
        } else {
            format!("arn:aws:iam::{}:role/{}", self.id, self.role)
        }
    }
}

/// Parses an accounts file; the error names the entry and what is wrong.
pub fn parse(text: &str) -> Result<Vec<Account>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
    if file.accounts.is_empty() {
        return Err("no [[account]] entries".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in file.accounts.iter().enumerate() {
        if a.id.len() != 12 || !a.id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "account[{i}].id must be a 12-digit account id, got {:?}",
                a.id
            ));
        }
        if a.role.trim().is_empty() || a.role.contains(char::is_whitespace) {
            return Err(format!(
                "account[{i}].role must be a role name or ARN, got {:?}",
                a.role
            ));
        }
        let arn = a.role_arn();
        if arn.split(':').nth(4) != Some(a.id.as_str()) || !arn.contains(":role/") {
            return Err(format!(
                "account[{i}].role {arn:?} is not a role in account {}",
                a.id
            ));
        }
        if !seen.insert(a.id.clone()) {
            return Err(format!("account[{i}].id {} is listed twice", a.id));
        }
    }
    Ok(file.accounts)
}

pub fn load(path: &Path) -> Result<Vec<Account>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_name_their_roles_and_bad_entries_are_named() {
        let ok = parse(
            "[[account]]\nid = \"111122223333\"\nrole = \"audit\"\n\n[[account]]\nid = \"444455556666\"\nrole = \"arn:aws:iam::444455556666:role/x\"\nname = \"prod\"\n",
        )
        .unwrap();
        assert_eq!(ok[0].role_arn(), "arn:aws:iam::111122223333:role/audit");
        assert_eq!(ok[1].role_arn(), "arn:aws:iam::444455556666:role/x");
        for (text, want) in [
            ("", "no [[account]]"),
            ("[[account]]\nid = \"1\"\nrole = \"a\"\n", "12-digit"),
            ("[[account]]\nid = \"111122223333\"\nrole = \"\"\n", "role must be"),
            (
                "[[account]]\nid = \"111122223333\"\nrole = \"arn:aws:iam::999999999999:role/a\"\n",
                "not a role in account",
            ),
            (
                "[[account]]\nid = \"111122223333\"\nrole = \"a\"\n[[account]]\nid = \"111122223333\"\nrole = \"b\"\n",
                "listed twice",
            ),
            ("[[account]]\nid = \"111122223333\"\nrole = \"a\"\nregion = \"x\"\n", "unknown field"),
            ("[[account]]\nid = 111122223333\nrole = \"a\"\n", "invalid type"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }
}
