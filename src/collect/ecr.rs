//! ECR: repositories with their scan-on-push setting, and the registry-wide scanning
//! configuration (enhanced scanning, or basic rules that scan on push by name filter).

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::{Collected, Ecr, RegistryScanRule, RegistryScanning, Repository};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Ecr, CollectError> {
    let client = aws_sdk_ecr::Client::new(&config);
    let (repositories, registry) = tokio::join!(
        ctx.pages(
            "DescribeRepositories",
            client
                .describe_repositories()
                .max_results(1000)
                .into_paginator()
                .send(),
        ),
        ctx.call(
            "GetRegistryScanningConfiguration",
            client.get_registry_scanning_configuration().send(),
        ),
    );
    let mut repositories: Vec<Repository> = repositories?
        .iter()
        .flat_map(|p| p.repositories())
        .map(|r| Repository {
            arn: r.repository_arn().unwrap_or_default().to_owned(),
            name: r.repository_name().unwrap_or_default().to_owned(),
            scan_on_push: r
                .image_scanning_configuration()
                .is_some_and(|c| c.scan_on_push()),
        })
        .collect();
    repositories.sort_by(|a, b| a.arn.cmp(&b.arn));
    // The registry setting is a second opinion: a repository without its own flag may still
    // be scanned on push by a registry rule. Its failure is kept, not fatal.
    let registry_scanning = match registry {
        Ok(out) => Collected::Ok(
            out.scanning_configuration()
                .map(|c| RegistryScanning {
                    scan_type: c.scan_type().map(|t| t.as_str().to_owned()),
                    rules: c
                        .rules()
                        .iter()
                        .map(|r| RegistryScanRule {
                            frequency: r.scan_frequency().as_str().to_owned(),
                            filters: r
                                .repository_filters()
                                .iter()
                                .map(|f| f.filter().to_owned())
                                .collect(),
                        })
                        .collect(),
                })
                .unwrap_or_default(),
        ),
        Err(e) => Collected::Error(e),
    };
    Ok(Ecr {
        repositories,
        registry_scanning,
    })
}
