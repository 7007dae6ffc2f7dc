//! Phase 3 — CI/CD: what the deployed services show of the pipeline that deploys them.

use super::{account_arn, glob_match, or_not_applicable, regions, Outcome};
use crate::config::Config;
use crate::inventory::{Collected, Inventory, RegistryScanning, Repository};

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
        Some(Collected::Ok(iam)) => found.extend(
            iam.oidc_providers
                .iter()
                .filter_map(|arn| arn.split_once(":oidc-provider/").map(|(_, issuer)| issuer))
                .filter(|issuer| {
                    CI_OIDC_ISSUERS
                        .iter()
                        .any(|ci| issuer.split('/').next() == Some(*ci))
                })
                .map(|issuer| format!("OIDC provider {issuer}")),
        ),
        Some(Collected::Error(e)) => {
            unreadable.get_or_insert(e);
        }
        None => {}
    }
    if !found.is_empty() {
        return vec![Outcome::pass(
            &account,
            "",
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
    vec![Outcome::fail(
        &account,
        "",
        "no CodePipeline pipeline and no CI OIDC provider",
        "deployments are made by hand: nothing builds, tests and ships the same way every time",
    )]
}

/// Whether the registry's own scanning configuration scans this repository on push.
fn registry_scans_on_push(registry: &RegistryScanning, repo: &Repository) -> Option<String> {
    let enhanced = registry.scan_type.as_deref() == Some("ENHANCED");
    registry.rules.iter().find_map(|r| {
        let on_push =
            r.frequency == "SCAN_ON_PUSH" || (enhanced && r.frequency == "CONTINUOUS_SCAN");
        let matches = r.filters.iter().any(|f| glob_match(f, &repo.name));
        (on_push && matches).then(|| {
            format!(
                "registry {} scanning, {} for {}",
                registry.scan_type.as_deref().unwrap_or("BASIC"),
                r.frequency,
                r.filters.join(", ")
            )
        })
    })
}

/// CICD-03: images are scanned for known vulnerabilities when pushed.
pub fn cicd_03_image_scanning(inv: &Inventory, _: &Config) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (region, ecr) in regions(&inv.ecr, &mut out) {
        for repo in &ecr.repositories {
            if repo.scan_on_push {
                out.push(Outcome::pass(
                    &repo.arn,
                    region,
                    "scanOnPush=true",
                    format!("images pushed to {} are scanned", repo.name),
                ));
                continue;
            }
            out.push(match &ecr.registry_scanning {
                Collected::Ok(registry) => match registry_scans_on_push(registry, repo) {
                    Some(observed) => Outcome::pass(
                        &repo.arn,
                        region,
                        observed,
                        format!(
                            "images pushed to {} are scanned by the registry's rules",
                            repo.name
                        ),
                    ),
                    None => Outcome::fail(
                        &repo.arn,
                        region,
                        "scanOnPush=false, no registry scan-on-push rule",
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
}
