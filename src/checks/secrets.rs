//! Phase 1 — Secrets Management.

use super::{age_days, ecs_task_definition_parts, or_not_applicable, regions, Outcome};
use super::{Check, FixInput};
use crate::catalog::prices::{oks, CostLine};
use crate::config::Config;
use crate::inventory::Inventory;

const CATALOG: &str = "checks/secrets.toml";

pub const CHECKS: &[Check] = &[
    Check::new("SEC-01", sec_01_plain_env_secrets, CATALOG)
        .costing(sec_01_fix_cost)
        .on_plans(),
    Check::new("SEC-02", sec_02_rotation, CATALOG),
];

/// One secret for each distinct variable name that looks secret.
fn sec_01_fix_cost(f: &FixInput) -> Vec<CostLine> {
    let names: std::collections::BTreeSet<&str> = oks(&f.inv.ecs)
        .flat_map(|e| &e.task_definitions)
        .flat_map(|t| &t.containers)
        .flat_map(|c| &c.environment)
        .filter(|n| f.config.secrets.looks_secret(n))
        .map(String::as_str)
        .collect();
    vec![f.line(
        "secrets moved to Secrets Manager",
        names.len().max(1) as f64,
        "secrets",
        f.prices.secret_month,
    )]
}

/// SEC-01. Only names are judged: values were never collected.
pub fn sec_01_plain_env_secrets(inv: &Inventory, config: &Config) -> Vec<Outcome> {
    let looks_secret = |name: &str| config.secrets.looks_secret(name);
    let mut out = Vec::new();
    for (region, ecs) in ecs_task_definition_parts(inv, &mut out) {
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

/// A rotation may run up to a day after it is due (rotation windows are up to 24 hours).
const ROTATION_GRACE_DAYS: f64 = 1.0;

/// SEC-02: every secret rotates, and its last rotation (or its creation, if it never
/// rotated) is within its rotation interval.
pub fn sec_02_rotation(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, sm) in regions(&inv.secretsmanager, &mut out) {
        for s in &sm.secrets {
            if let Some(primary) = &s.primary_region {
                out.push(Outcome::not_applicable_to(
                    &s.arn,
                    region,
                    format!("replica of a secret in {primary}"),
                    format!(
                        "secret {} is a replica: its rotation runs on the primary secret in {primary}",
                        s.name
                    ),
                ));
                continue;
            }
            if let (false, Some(owner)) = (s.rotation_enabled, &s.owning_service) {
                out.push(Outcome::not_applicable_to(
                    &s.arn,
                    region,
                    format!("OwningService={owner}"),
                    format!(
                        "secret {} is managed by {owner}, which decides its rotation",
                        s.name
                    ),
                ));
                continue;
            }
            if !s.rotation_enabled {
                out.push(Outcome::fail(
                    &s.arn,
                    region,
                    "RotationEnabled=false",
                    format!(
                        "secret {} never rotates: a leaked value stays valid",
                        s.name
                    ),
                ));
                continue;
            }
            let since = s.last_rotated.as_deref().or(s.created.as_deref());
            let age = since.and_then(|t| age_days(inv, t));
            let what = if s.last_rotated.is_some() {
                "last rotated"
            } else {
                "created"
            };
            out.push(match (s.rotation_days, age) {
                (Some(days), Some(age)) if age > days as f64 + ROTATION_GRACE_DAYS => {
                    Outcome::fail(
                        &s.arn,
                        region,
                        format!("{what} {age:.0} days ago; rotates every {days} days"),
                        format!(
                            "secret {} is overdue for rotation: its rotation is failing",
                            s.name
                        ),
                    )
                }
                (Some(days), Some(age)) => Outcome::pass(
                    &s.arn,
                    region,
                    format!("{what} {age:.0} days ago; rotates every {days} days"),
                    format!("secret {} rotates on schedule", s.name),
                ),
                // A cron or rate schedule, or no date to measure from: rotation is on, and
                // nothing observed says it is late.
                _ => Outcome::pass(
                    &s.arn,
                    region,
                    format!(
                        "RotationEnabled=true, schedule {}",
                        s.rotation_schedule.as_deref().unwrap_or("unknown")
                    ),
                    format!("secret {} rotates", s.name),
                ),
            });
        }
    }
    or_not_applicable(out, "Secrets Manager secrets")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{inventory_at, statuses, REGION};
    use crate::checks::Status;
    use crate::inventory::{Collected, Secret, SecretsManager};

    fn secret(name: &str, enabled: bool, last_rotated: Option<&str>) -> Secret {
        Secret {
            arn: format!("arn:aws:secretsmanager:{REGION}:111122223333:secret:{name}-AbCdEf"),
            name: name.into(),
            rotation_enabled: enabled,
            rotation_days: enabled.then_some(30),
            rotation_schedule: None,
            last_rotated: last_rotated.map(str::to_owned),
            created: Some("2026-01-01T00:00:00Z".into()),
            owning_service: None,
            primary_region: None,
        }
    }

    #[test]
    fn sec_02_fails_a_secret_whose_rotation_is_overdue() {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.secretsmanager.insert(
            REGION.into(),
            Collected::Ok(SecretsManager {
                secrets: vec![
                    secret("on-time", true, Some("2026-11-10T00:00:00Z")),
                    // 31 days: within the interval plus a day of grace.
                    secret("grace", true, Some("2026-10-27T00:00:00Z")),
                    // Rotation on, but the last one was 57 days ago: the rotation is failing.
                    secret("overdue", true, Some("2026-10-01T00:00:00Z")),
                    // Never rotated: measured from its creation, 330 days ago.
                    secret("never", true, None),
                    secret("off", false, None),
                ],
            }),
        );
        let out = sec_02_rotation(&inv, &Config::default());
        assert_eq!(
            statuses(&out),
            [
                Status::Pass,
                Status::Pass,
                Status::Fail,
                Status::Fail,
                Status::Fail
            ]
        );
        assert_eq!(
            out[2].observed,
            "last rotated 57 days ago; rotates every 30 days"
        );
        assert_eq!(
            out[3].observed,
            "created 330 days ago; rotates every 30 days"
        );
        assert_eq!(out[4].observed, "RotationEnabled=false");
    }

    #[test]
    fn sec_02_leaves_the_rotation_of_a_managed_secret_to_its_service() {
        let mut managed = secret("events!connection/slack", false, None);
        managed.owning_service = Some("events".into());
        let mut replica = secret("db", false, None);
        replica.primary_region = Some("us-east-1".into());
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.secretsmanager.insert(
            REGION.into(),
            Collected::Ok(SecretsManager {
                secrets: vec![managed, secret("db", false, None), replica],
            }),
        );
        let out = sec_02_rotation(&inv, &Config::default());
        assert_eq!(
            statuses(&out),
            [Status::NotApplicable, Status::Fail, Status::NotApplicable]
        );
        assert_eq!(out[0].observed, "OwningService=events");
    }
}
