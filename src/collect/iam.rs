//! IAM (global): the account's OpenID Connect identity providers. A CI system that deploys
//! without long-lived keys (GitHub Actions, GitLab, CircleCI …) shows up as one; the ARN
//! ends in the issuer, so the list alone says which CI it trusts.

use aws_config::SdkConfig;

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::Iam;

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Iam, CollectError> {
    let client = aws_sdk_iam::Client::new(&config);
    // Not paginated: the API returns every provider (at most 100 per account) at once.
    let out = ctx
        .call(
            "ListOpenIDConnectProviders",
            client.list_open_id_connect_providers().send(),
        )
        .await?;
    let mut oidc_providers: Vec<String> = out
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_owned))
        .collect();
    oidc_providers.sort();
    Ok(Iam { oidc_providers })
}
