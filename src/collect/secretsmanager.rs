//! Secrets Manager: each secret's rotation settings. ListSecrets carries everything SEC-02
//! needs, so no secret is described one by one, and no secret value is ever read.

use aws_config::SdkConfig;

use super::{rfc3339, Ctx};
use crate::error::CollectError;
use crate::inventory::{Secret, SecretsManager};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<SecretsManager, CollectError> {
    let client = aws_sdk_secretsmanager::Client::new(&config);
    let pages = ctx
        .pages(
            "ListSecrets",
            client
                .list_secrets()
                .max_results(100)
                .into_paginator()
                .send(),
        )
        .await?;
    let mut secrets: Vec<Secret> = pages
        .iter()
        .flat_map(|p| p.secret_list())
        .map(|s| Secret {
            arn: s.arn().unwrap_or_default().to_owned(),
            name: s.name().unwrap_or_default().to_owned(),
            // Absent when rotation was never configured (the emulator omits it then too).
            rotation_enabled: s.rotation_enabled().unwrap_or(false),
            rotation_days: s
                .rotation_rules()
                .and_then(|r| r.automatically_after_days()),
            rotation_schedule: s
                .rotation_rules()
                .and_then(|r| r.schedule_expression())
                .map(str::to_owned),
            last_rotated: s.last_rotated_date().map(rfc3339),
            created: s.created_date().map(rfc3339),
            owning_service: s.owning_service().map(str::to_owned),
            primary_region: s
                .primary_region()
                .filter(|r| *r != ctx.region)
                .map(str::to_owned),
        })
        .collect();
    secrets.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(SecretsManager { secrets })
}
