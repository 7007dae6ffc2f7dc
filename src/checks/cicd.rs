//! Phase 3 — CI/CD: what the deployed services show of the pipeline that deploys them.

use super::Check;
use super::NOWHERE;
use super::{account_arn, ecs_service_parts, glob_match, ha, or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, EcsService, Inventory, RegistryScanning, Repository};

const CATALOG: &str = "checks/cicd.toml";

pub const CHECKS: &[Check] = &[
    Check::new("CICD-01", cicd_01_pipeline, CATALOG).costing(|f| {
        vec![f.line(
            "a CodePipeline pipeline",
            1.0,
            "pipelines",
            f.prices.codepipeline_month,
        )]
    }),
    Check::new("CICD-02", cicd_02_rollback, CATALOG),
    Check::new("CICD-03", cicd_03_image_scanning, CATALOG),
];

/// Issuers of CI systems that deploy to AWS with OpenID Connect instead of stored keys.
const CI_OIDC_ISSUERS: &[&str] = &[
    "token.actions.githubusercontent.com",
    "gitlab.com",
    "oidc.circleci.com",
    "api.bitbucket.org",
    "vstoken.dev.azure.com",
    "agent.buildkite.com",
];

/// CICD-01: something deploys the application: a CodePipeline pipeline in a scanned region,
/// or an OIDC identity provider a CI system assumes roles through.
pub fn cicd_01_pipeline(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let account = account_arn(inv);
    let mut found = Vec::new();
    let mut other_issuers = Vec::new();
    let mut unreadable = None;
    for (region, part) in &inv.codepipeline {
        match part {
            Collected::Ok(cp) => found.extend(
                cp.pipelines
                    .iter()
                    .map(|p| format!("CodePipeline {p} ({region})")),
            ),
            Collected::Error(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    match &inv.iam {
        Some(Collected::Ok(iam)) => {
            for issuer in iam
                .oidc_providers
                .iter()
                .filter_map(|arn| arn.split_once(":oidc-provider/").map(|(_, issuer)| issuer))
            {
                let host = issuer.split('/').next().unwrap_or_default();
                if CI_OIDC_ISSUERS.contains(&host) {
                    found.push(format!("OIDC provider {issuer}"));
                } else if !host.starts_with("oidc.eks.") {
                    // A self-hosted GitLab, GitHub Enterprise Server, Terraform Cloud …
                    other_issuers.push(issuer);
                }
            }
        }
        Some(Collected::Error(e)) => {
            unreadable.get_or_insert(e);
        }
        None => {}
    }
    if !found.is_empty() {
        return vec![Outcome::pass(
            &account,
            NOWHERE,
            found.join(", "),
            "a deployment pipeline exists",
        )];
    }
    if let Some(e) = unreadable {
        return vec![Outcome::error(&account, e)];
    }
    if inv.codepipeline.is_empty() && inv.iam.is_none() {
        return vec![Outcome::not_collected("CodePipeline and IAM")];
    }
    if !other_issuers.is_empty() {
        return vec![Outcome::manual_at(
            &account,
            NOWHERE,
            format!("OIDC provider(s) {}", other_issuers.join(", ")),
            "no CodePipeline pipeline and no OIDC provider of a known CI service, but the account trusts other identity providers, which may be a self-hosted CI system's: attest how deployments are made",
        )];
    }
    vec![Outcome::fail(
        &account,
        NOWHERE,
        "no CodePipeline pipeline and no CI OIDC provider",
        "deployments are made by hand: nothing builds, tests and ships the same way every time",
    )]
}

/// A registry scanning filter: with `*` a wildcard pattern; without, ECR matches every
/// repository name that contains it (ECR user guide, "Filters for image scanning").
fn filter_matches(filter: &str, name: &str) -> bool {
    if filter.contains('*') {
        glob_match(filter, name)
    } else {
        name.contains(filter)
    }
}

/// How ECR scans a repository, and why: the registry's configuration decides over the
/// repository's `scanOnPush` as soon as it has rules (basic scanning sets a repository that no
/// scan-on-push filter matches to manual), and always under enhanced scanning (a repository
/// no filter matches is not scanned at all). Only basic scanning without rules leaves it to
/// the repository.
fn scanned_on_push(registry: &RegistryScanning, repo: &Repository) -> Result<String, String> {
    let enhanced = registry.scan_type.as_deref() == Some("ENHANCED");
    let kind = registry.scan_type.as_deref().unwrap_or("BASIC");
    if !enhanced && registry.rules.is_empty() {
        return if repo.scan_on_push {
            Ok("scanOnPush=true".to_owned())
        } else {
            Err("scanOnPush=false, no registry scan-on-push rule".to_owned())
        };
    }
    let rule = registry.rules.iter().find(|r| {
        matches!(r.frequency.as_str(), "SCAN_ON_PUSH" | "CONTINUOUS_SCAN")
            && r.filters.iter().any(|f| filter_matches(f, &repo.name))
    });
    match rule {
        Some(r) => Ok(format!(
            "registry {kind} scanning, {} for {}",
            r.frequency,
            r.filters.join(", ")
        )),
        None => Err(format!(
            "registry {kind} scanning: no scan-on-push or continuous filter matches it{}",
            if repo.scan_on_push {
                " (its own scanOnPush=true is overridden by the registry's rules)"
            } else {
                ""
            }
        )),
    }
}

/// CICD-03: images are scanned for known vulnerabilities when pushed.
pub fn cicd_03_image_scanning(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecr) in regions(&inv.ecr, &mut out) {
        for repo in &ecr.repositories {
            out.push(match &ecr.registry_scanning {
                Collected::Ok(registry) => match scanned_on_push(registry, repo) {
                    Ok(observed) => Outcome::pass(
                        &repo.arn,
                        region,
                        observed,
                        format!("images pushed to {} are scanned", repo.name),
                    ),
                    Err(observed) => Outcome::fail(
                        &repo.arn,
                        region,
                        observed,
                        format!(
                            "images pushed to {} ship without a vulnerability scan",
                            repo.name
                        ),
                    ),
                },
                Collected::Error(e) => Outcome::error(&repo.arn, e),
            });
        }
    }
    or_not_applicable(out, "ECR repositories")
}

/// CICD-02: a failed deployment rolls itself back. With the ECS controller, the circuit
/// breaker or deployment alarms do it (each with `rollback`); CodeDeploy's blue/green keeps the
/// original task set serving and rolls back itself; an external controller cannot be seen.
pub fn cicd_02_rollback(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecs) in ecs_service_parts(inv, &mut out) {
        for s in &ecs.services {
            out.push(match ha::other_controller(s) {
                Some("CODE_DEPLOY") => Outcome::pass(
                    &s.arn,
                    region,
                    "deploymentController=CODE_DEPLOY",
                    format!(
                        "{} deploys blue/green with CodeDeploy: the original task set serves until the new one is healthy, and CodeDeploy rolls a failed deployment back",
                        s.name
                    ),
                ),
                Some(controller) => Outcome::manual_at(
                    &s.arn,
                    region,
                    format!("deploymentController={controller}"),
                    format!(
                        "{} is deployed by an external controller, whose rollback the account does not show: attest it",
                        s.name
                    ),
                ),
                None => ecs_rollback(s, region),
            });
        }
    }
    or_not_applicable(out, "ECS services")
}

/// A service ECS deploys: the circuit breaker, or deployment alarms, with rollback.
fn ecs_rollback(s: &EcsService, region: &str) -> Outcome {
    let d = s.deployment.as_ref();
    let enabled = d.and_then(|d| d.circuit_breaker_enabled).unwrap_or(false);
    let rollback = d.and_then(|d| d.circuit_breaker_rollback).unwrap_or(false);
    let alarms = d
        .and_then(|d| d.alarms.as_ref())
        .filter(|a| a.enable && a.rollback && !a.names.is_empty());
    let observed = format!("circuit breaker enable={enabled} rollback={rollback}");
    if enabled && rollback {
        return Outcome::pass(
            &s.arn,
            region,
            observed,
            format!("a failing deployment of {} rolls back by itself", s.name),
        );
    }
    if let Some(a) = alarms {
        return Outcome::pass(
            &s.arn,
            region,
            format!("deployment alarms {} with rollback", a.names.join(", ")),
            format!(
                "a deployment of {} that sets off its alarms rolls back by itself",
                s.name
            ),
        );
    }
    Outcome::fail(
        &s.arn,
        region,
        observed,
        format!(
            "a failing deployment of {} keeps replacing tasks instead of rolling back: neither the circuit breaker nor deployment alarms roll it back",
            s.name
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{inventory_at, statuses, REGION};
    use crate::checks::Status;
    use crate::inventory::{CodePipeline, Ecr, Iam, RegistryScanRule};

    #[test]
    fn cicd_01_accepts_a_ci_oidc_provider_but_not_any_oidc_provider() {
        for (provider, want) in [
            ("gitlab.com", Status::Pass),
            ("token.actions.githubusercontent.com", Status::Pass),
            // An EKS cluster's OIDC issuer is not a deployment pipeline.
            ("oidc.eks.eu-west-1.amazonaws.com/id/ABC", Status::Fail),
            // A self-hosted CI system's issuer may be: the account cannot tell.
            ("gitlab.internal.example.com", Status::Manual),
        ] {
            let mut inv = inventory_at("2026-11-27T00:00:00Z");
            inv.codepipeline
                .insert(REGION.into(), Collected::Ok(CodePipeline::default()));
            inv.iam = Some(Collected::Ok(Iam {
                oidc_providers: vec![format!(
                    "arn:aws:iam::111122223333:oidc-provider/{provider}"
                )],
            }));
            assert_eq!(
                statuses(&cicd_01_pipeline(&inv, &Config::default())),
                [want],
                "{provider}"
            );
        }
    }

    #[test]
    fn cicd_03_the_registry_rules_decide_over_the_repository_setting() {
        let repo = |name: &str, on_push: bool| Repository {
            arn: format!("arn:aws:ecr:{REGION}:111122223333:repository/{name}"),
            name: name.into(),
            scan_on_push: on_push,
        };
        let judge = |scan_type: &str, rules: Vec<RegistryScanRule>| {
            let mut inv = inventory_at("2026-11-27T00:00:00Z");
            inv.ecr.insert(
                REGION.into(),
                Collected::Ok(Ecr {
                    repositories: vec![
                        repo("api-prod", true),
                        repo("sandbox", true),
                        repo("old", false),
                    ],
                    registry_scanning: Collected::Ok(RegistryScanning {
                        scan_type: Some(scan_type.into()),
                        rules,
                    }),
                }),
            );
            statuses(&cicd_03_image_scanning(&inv, &Config::default()))
        };
        let prod = |frequency: &str| RegistryScanRule {
            frequency: frequency.into(),
            // No wildcard: ECR matches names that contain the filter.
            filters: vec!["prod".into()],
        };
        // Basic scanning without rules: each repository's own setting.
        assert_eq!(
            judge("BASIC", vec![]),
            [Status::Pass, Status::Pass, Status::Fail]
        );
        // Basic scanning with rules: unmatched repositories are set to manual.
        assert_eq!(
            judge("BASIC", vec![prod("SCAN_ON_PUSH")]),
            [Status::Pass, Status::Fail, Status::Fail]
        );
        // Enhanced scanning: a repository no filter matches is not scanned at all.
        assert_eq!(
            judge("ENHANCED", vec![prod("CONTINUOUS_SCAN")]),
            [Status::Pass, Status::Fail, Status::Fail]
        );
        assert_eq!(
            judge("ENHANCED", vec![]),
            [Status::Fail, Status::Fail, Status::Fail]
        );
    }

    #[test]
    fn cicd_03_accepts_the_registry_scanning_on_push_for_matching_names() {
        let repo = |name: &str| Repository {
            arn: format!("arn:aws:ecr:{REGION}:111122223333:repository/{name}"),
            name: name.into(),
            scan_on_push: false,
        };
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.ecr.insert(
            REGION.into(),
            Collected::Ok(Ecr {
                repositories: vec![repo("prod-api"), repo("sandbox")],
                registry_scanning: Collected::Ok(RegistryScanning {
                    scan_type: Some("ENHANCED".into()),
                    rules: vec![RegistryScanRule {
                        frequency: "CONTINUOUS_SCAN".into(),
                        filters: vec!["prod-*".into()],
                    }],
                }),
            }),
        );
        let out = cicd_03_image_scanning(&inv, &Config::default());
        assert_eq!(statuses(&out), [Status::Pass, Status::Fail]);
        assert_eq!(
            out[0].observed,
            "registry ENHANCED scanning, CONTINUOUS_SCAN for prod-*"
        );
    }

    #[test]
    fn cicd_02_follows_the_deployment_controller_and_deployment_alarms() {
        use crate::checks::testing::service;
        use crate::inventory::{DeploymentAlarms, DeploymentConfiguration, Ecs};
        let mut blue_green = service("bg", 3, 3);
        blue_green.deployment_controller = Some("CODE_DEPLOY".into());
        let mut external = service("ext", 3, 3);
        external.deployment_controller = Some("EXTERNAL".into());
        let mut alarmed = service("alarmed", 3, 3);
        alarmed.deployment = Some(DeploymentConfiguration {
            minimum_healthy_percent: Some(100),
            maximum_percent: Some(200),
            circuit_breaker_enabled: Some(false),
            circuit_breaker_rollback: Some(false),
            alarms: Some(DeploymentAlarms {
                names: vec!["api-5xx".into()],
                enable: true,
                rollback: true,
            }),
        });
        let mut alarms_without_rollback = alarmed.clone();
        alarms_without_rollback.name = "no-rollback".into();
        if let Some(a) = alarms_without_rollback
            .deployment
            .as_mut()
            .and_then(|d| d.alarms.as_mut())
        {
            a.rollback = false;
        }
        let plain = service("plain", 3, 3);
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                services: vec![
                    blue_green,
                    external,
                    alarmed,
                    alarms_without_rollback,
                    plain,
                ],
                ..Ecs::default()
            }),
        );
        let out = cicd_02_rollback(&inv, &Config::default());
        assert_eq!(
            statuses(&out),
            [
                Status::Pass,
                Status::Manual,
                Status::Pass,
                Status::Fail,
                Status::Fail
            ]
        );
        assert_eq!(out[2].observed, "deployment alarms api-5xx with rollback");
    }
}
