//! What the plan readers' tests share: a plan document made of resources, the expressions
//! that reference them and what it deletes, laid over a scan and judged.

use serde_json::{json, Value};

use crate::checks::Status;
use crate::inventory::{Collected, Inventory, Regional};

/// A managed resource of `planned_values`.
pub fn resource(kind: &str, name: &str, values: Value) -> Value {
    json!({"address": format!("{kind}.{name}"), "mode": "managed", "type": kind, "name": name, "values": values})
}

/// An expression referencing `to` (an address, and an attribute of it first).
pub fn refs(to: &[&str]) -> Value {
    json!({ "references": to })
}

/// A `resource_changes` entry deleting `kind.name`, which was `before`.
pub fn deleted(kind: &str, name: &str, before: Value) -> Value {
    json!({"address": format!("{kind}.{name}"), "mode": "managed", "type": kind,
           "change": {"actions": ["delete"], "before": before}})
}

/// The expressions of one resource of the configuration's root module.
pub fn expressions(address: &str, expressions: Value) -> Value {
    json!({"address": address, "expressions": expressions})
}

/// A plan in `region` of these resources, expressions and deletions.
pub fn plan(
    region: &str,
    resources: Vec<Value>,
    config: Vec<Value>,
    deletions: Vec<Value>,
) -> super::Plan {
    let doc = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": deletions,
        "configuration": {"provider_config": {"aws": {"expressions": {"region": {"constant_value": region}}}},
          "root_module": {"resources": config}}
    });
    super::parse("p.json", &doc.to_string(), None).unwrap()
}

/// A finding of a judged plan: its check, status, message and resource.
#[derive(Debug)]
pub struct Found {
    pub check: &'static str,
    pub status: Status,
    pub message: String,
    pub resource: String,
}

/// The findings of `checks` on the inventory `plan` would leave over `base`.
pub fn judge(plan: &super::Plan, base: &Inventory, checks: &[&'static str]) -> Vec<Found> {
    let o = super::overlay(plan, Some(base), &base.account_id, "2026-12-01T00:00:00Z");
    checks
        .iter()
        .flat_map(|id| {
            let check = crate::checks::find(id).unwrap();
            (check.rule)(&o.inventory, &crate::config::Config::default())
                .into_iter()
                .map(|f| Found {
                    check: id,
                    status: f.status,
                    message: f.message,
                    resource: f.resource_arn.unwrap_or_default(),
                })
        })
        .collect()
}

/// The checks and statuses of findings, in order.
pub fn statuses(found: &[Found]) -> Vec<(&'static str, Status)> {
    found.iter().map(|f| (f.check, f.status)).collect()
}

/// A scan of account `id` that read nothing yet.
pub fn account(id: &str) -> Inventory {
    Inventory {
        account_id: id.into(),
        ..Inventory::default()
    }
}

/// A regional part a scan read empty in `region`.
pub fn read_empty<T: Default>(part: &mut Regional<T>, region: &str) {
    part.insert(region.into(), Collected::Ok(T::default()));
}

/// A resource as the plan leaves it, in eu-west-1.
pub fn planned(kind: &str, address: &str, values: Value) -> super::Planned {
    super::Planned {
        address: address.into(),
        kind: kind.into(),
        region: "eu-west-1".into(),
        values,
    }
}
