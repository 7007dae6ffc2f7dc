//! The input a policy sees: `{schema_version, account_id, collected_at, inventory, config,
//! in_scope}`, where `inventory` is exactly the evidence document's (so a policy can be tried
//! on any stored evidence file) and `in_scope` says what the config's `[scope]` left out.

use serde_json::json;

use crate::config::Config;
use crate::inventory::Inventory;

/// The input as JSON. `out_of_scope`: the resources the scope left out (the evidence's
/// `out_of_scope`); findings on them are dropped.
/// `schema_version`: the evidence's.
pub fn input(
    schema_version: &str,
    inventory: &Inventory,
    config: &Config,
    out_of_scope: &[String],
) -> String {
    json!({
        "schema_version": schema_version,
        "account_id": inventory.account_id,
        "collected_at": inventory.collected_at,
        "inventory": inventory,
        "config": config,
        "in_scope": {
            "scoped": !config.scope.is_everything(),
            "left_out": out_of_scope,
        },
    })
    .to_string()
}
