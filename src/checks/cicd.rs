//! Phase 3 — CI/CD: what the deployed services show of the pipeline that deploys them.

use super::{or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::Inventory;

/// CICD-02: a failed deployment rolls itself back.
pub fn cicd_02_rollback(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in regions(&inv.ecs, &mut out) {
        for s in &ecs.services {
            let d = s.deployment.as_ref();
            let enabled = d.and_then(|d| d.circuit_breaker_enabled).unwrap_or(false);
            let rollback = d.and_then(|d| d.circuit_breaker_rollback).unwrap_or(false);
            let observed = format!("circuit breaker enable={enabled} rollback={rollback}");
            out.push(if enabled && rollback {
                Outcome::pass(
                    &s.arn,
                    region,
                    observed,
                    format!("a failing deployment of {} rolls back by itself", s.name),
                )
            } else {
                Outcome::fail(
                    &s.arn,
                    region,
                    observed,
                    format!(
                        "a failing deployment of {} keeps replacing tasks instead of rolling back",
                        s.name
                    ),
                )
            });
        }
    }
    or_not_applicable(out, "ECS services")
}
