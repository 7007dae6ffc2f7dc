//! A Terraform plan, `terraform show -json tfplan` (HashiCorp's JSON output format): the
//! planned values of every managed resource, each with its region, and what the plan deletes.
//! Values stay in memory: only the fields the readers take reach the inventory, and no
//! error quotes the document (a plan holds secrets in plain text).

use serde_json::Value;

/// A resource as the plan would leave it.
#[derive(Debug, Clone)]
pub struct Planned {
    pub address: String,
    pub kind: String,
    pub region: String,
    /// Its planned values: a value known only after apply is absent here.
    pub values: Value,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub source: String,
    pub resources: Vec<Planned>,
    /// Resources the plan deletes (not replaces): their type, region and values before.
    pub deleted: Vec<Planned>,
    /// The plan's `configuration`: the expressions values were written with, which name the
    /// resources a value known only after apply will come from (`refs`).
    pub configuration: Value,
}

/// Reads a plan; `region` is the fallback for resources whose region neither they (AWS
/// provider 6's `region` argument) nor the provider configuration give.
pub fn parse(source: &str, text: &str, region: Option<&str>) -> Result<Plan, String> {
    let doc = crate::terraform::json(
        source,
        text,
        "the output of `terraform show -json PLANFILE`",
    )?;
    match doc.get("format_version") {
        Some(Value::String(f)) if f.split('.').next() == Some("1") => {}
        Some(f) => {
            return Err(format!(
                "{source}: format_version {f} is not one prodready reads (1.x)"
            ))
        }
        None => {
            return Err(format!(
                "{source}: no format_version: not the output of `terraform show -json`"
            ))
        }
    }
    if doc.get("planned_values").is_none() && doc.get("resource_changes").is_none() {
        return Err(format!(
            "{source}: no planned_values nor resource_changes: a state's `show -json`, not a plan's"
        ));
    }
    let provider_region = doc
        .pointer("/configuration/provider_config/aws/expressions/region/constant_value")
        .and_then(Value::as_str)
        .or(region);
    let region_of = |values: &Value, address: &str| -> Result<String, String> {
        values
            .get("region")
            .and_then(Value::as_str)
            .or(provider_region)
            .map(str::to_owned)
            .ok_or_else(|| {
                format!("{source}: {address} has no region the plan shows: give --region")
            })
    };
    let mut plan = Plan {
        source: source.to_owned(),
        resources: planned(&doc, source, &region_of)?,
        deleted: deleted(&doc, &region_of)?,
        configuration: doc.get("configuration").cloned().unwrap_or(Value::Null),
    };
    plan.resources.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(plan)
}

type RegionOf<'a> = dyn Fn(&Value, &str) -> Result<String, String> + 'a;

/// The managed resources of `planned_values`, through every child module.
fn planned(doc: &Value, source: &str, region_of: &RegionOf) -> Result<Vec<Planned>, String> {
    let mut out = Vec::new();
    let mut modules: Vec<&Value> = doc
        .pointer("/planned_values/root_module")
        .into_iter()
        .collect();
    while let Some(module) = modules.pop() {
        for r in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if r.get("mode").and_then(Value::as_str) != Some("managed") {
                continue;
            }
            let (Some(address), Some(kind)) = (
                r.get("address").and_then(Value::as_str),
                r.get("type").and_then(Value::as_str),
            ) else {
                return Err(format!(
                    "{source}: a planned resource has no address or type"
                ));
            };
            let values = r.get("values").cloned().unwrap_or(Value::Null);
            out.push(Planned {
                address: address.to_owned(),
                kind: kind.to_owned(),
                region: region_of(&values, address)?,
                values,
            });
        }
        modules.extend(
            module
                .get("child_modules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    Ok(out)
}

/// What `resource_changes` deletes outright (a replacement creates again: not a deletion).
fn deleted(doc: &Value, region_of: &RegionOf) -> Result<Vec<Planned>, String> {
    let mut out = Vec::new();
    for change in doc
        .get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let actions: Vec<&str> = change
            .pointer("/change/actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if actions != ["delete"] || change.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let address = change
            .get("address")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let before = change
            .pointer("/change/before")
            .cloned()
            .unwrap_or(Value::Null);
        out.push(Planned {
            address: address.to_owned(),
            kind: change
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            region: region_of(&before, address)?,
            values: before,
        });
    }
    Ok(out)
}
