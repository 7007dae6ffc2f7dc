//! Which Terraform address manages a finding's resource, and where the configuration declares
//! it: the inventory's `terraform` part matched by ARN or AWS id (a log group's ARN with or
//! without its `:*`), the address's instance keys dropped to find its `resource` block.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::inventory::{Collected, Inventory, StateResource, TerraformInputs};

/// Where a finding's resource is managed and declared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerraformRef {
    /// `module.data.aws_dynamodb_table.maps`, instance key included.
    pub address: String,
    /// The state it is in: the file or `s3://` URL given.
    pub state: String,
    /// The `.tf` file declaring it, relative to `--terraform-dir`, and the block's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// A resource identifier as both sides spell it: a log group's ARN loses its `:*`.
pub fn normalise(id: &str) -> &str {
    id.strip_suffix(":*").unwrap_or(id)
}

/// The address without instance keys: `module.a["x"].aws_s3_bucket.b[0]` →
/// `module.a.aws_s3_bucket.b`.
pub fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every identifier of every readable state, to the resource and its state's source.
pub struct Index<'a> {
    by_id: HashMap<&'a str, (&'a StateResource, &'a str)>,
    declared: HashMap<&'a str, (&'a str, usize)>,
}

impl<'a> Index<'a> {
    pub fn of(inputs: &'a TerraformInputs) -> Index<'a> {
        let mut by_id = HashMap::new();
        for state in &inputs.states {
            for r in &state.resources {
                for id in &r.ids {
                    by_id
                        .entry(normalise(id))
                        .or_insert((r, state.source.as_str()));
                }
            }
        }
        let declared = inputs
            .declarations
            .iter()
            .map(|d| (d.address.as_str(), (d.file.as_str(), d.line)))
            .collect();
        Index { by_id, declared }
    }

    /// The state resource managing the resource of this ARN or id.
    pub fn managing(&self, id: &str) -> Option<(&'a StateResource, &'a str)> {
        self.by_id.get(normalise(id)).copied()
    }

    pub fn reference(&self, id: &str) -> Option<TerraformRef> {
        let (r, state) = self.managing(id)?;
        let declared = self.declared.get(without_keys(&r.address).as_str());
        Some(TerraformRef {
            address: r.address.clone(),
            state: state.to_owned(),
            file: declared.map(|(f, _)| (*f).to_owned()),
            line: declared.map(|(_, l)| *l),
        })
    }
}

/// The Terraform inputs of the scan, when any state was given.
pub fn inputs(inv: &Inventory) -> Option<&TerraformInputs> {
    match &inv.terraform {
        Some(Collected::Ok(t)) if !t.states.is_empty() => Some(t),
        _ => None,
    }
}

/// Sets each finding's `terraform` from the states of the inventory.
pub fn annotate(findings: &mut [super::Finding], inv: &Inventory) {
    let Some(inputs) = inputs(inv) else {
        return;
    };
    let index = Index::of(inputs);
    for f in findings {
        f.terraform = f
            .resource_arn
            .as_deref()
            .and_then(|arn| index.reference(arn));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_groups_arn_matches_with_or_without_its_star() {
        let inputs = TerraformInputs {
            states: vec![crate::inventory::StateFile {
                source: "s.tfstate".into(),
                resources: vec![StateResource {
                    address: "aws_cloudwatch_log_group.app".into(),
                    kind: "aws_cloudwatch_log_group".into(),
                    ids: vec!["arn:aws:logs:eu-west-1:1:log-group:/ecs/app".into()],
                }],
                ..Default::default()
            }],
            declarations: vec![crate::inventory::Declaration {
                address: "aws_cloudwatch_log_group.app".into(),
                file: "main.tf".into(),
                line: 9,
            }],
        };
        let index = Index::of(&inputs);
        let got = index
            .reference("arn:aws:logs:eu-west-1:1:log-group:/ecs/app:*")
            .unwrap();
        assert_eq!(
            (got.address.as_str(), got.file.as_deref(), got.line),
            ("aws_cloudwatch_log_group.app", Some("main.tf"), Some(9))
        );
        assert!(index
            .reference("arn:aws:logs:eu-west-1:1:log-group:/ecs/other:*")
            .is_none());
    }

    #[test]
    fn instance_keys_are_dropped_wherever_they_stand() {
        assert_eq!(
            without_keys("module.a[\"x]y\"].module.b[0].aws_s3_bucket.c[\"k\"]"),
            "module.a.module.b.aws_s3_bucket.c"
        );
        assert_eq!(without_keys("aws_kms_key.main"), "aws_kms_key.main");
    }
}
