//! Phase 1 — Secrets Management.

use super::{or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::Inventory;

/// SEC-01. Only names are judged: values were never collected.
pub fn sec_01_plain_env_secrets(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let patterns: Vec<String> = config
        .secrets
        .env_name_patterns
        .iter()
        .map(|p| p.to_uppercase())
        .collect();
    let looks_secret = |name: &str| {
        let upper = name.to_uppercase();
        patterns.iter().any(|p| upper.contains(p.as_str()))
    };
    let mut out = Vec::new();
    for (region, ecs) in regions(&inv.ecs, &mut out) {
        for td in &ecs.task_definitions {
            let exposed: Vec<String> = td
                .containers
                .iter()
                .flat_map(|c| {
                    c.environment
                        .iter()
                        .filter(|n| looks_secret(n))
                        .map(move |n| format!("{}: {n}", c.name))
                })
                .collect();
            let label = format!("{}:{}", td.family, td.revision);
            out.push(if exposed.is_empty() {
                Outcome::pass(&td.arn, region, "no secret-like names in plain environment", format!("task definition {label} keeps no secrets in plain environment variables"))
            } else {
                Outcome::fail(
                    &td.arn,
                    region,
                    format!("plain environment: {}", exposed.join(", ")),
                    format!(
                        "task definition {label} passes {} as plain environment variable(s): readable by anyone who can describe it, and kept in Terraform state",
                        exposed.join(", ")
                    ),
                )
            });
        }
    }
    or_not_applicable(out, "task definitions in use")
}
