//! S3 Control: the account-level S3 Block Public Access settings, which protect every bucket
//! of the account alongside each bucket's own (STATE-02).
//!
//! S3 Control addresses each account at its own host name (`ACCOUNT.s3-control.REGION…`),
//! and the SDK's endpoint rules put the account in front of a custom endpoint URL as well. An
//! endpoint override (an S3-compatible store, a proxy, an emulator) has no per-account host
//! names, as it has no virtual-hosted buckets: there the call goes to the URL as given, with
//! the account in the `x-amz-account-id` header, as S3 does with path-style addressing.

use aws_config::SdkConfig;
use aws_sdk_s3control::config::endpoint::{
    DefaultResolver, Endpoint, EndpointFuture, Params, ResolveEndpoint,
};

use super::Ctx;
use crate::error::CollectError;
use crate::inventory::PublicAccessBlock;

/// The account's block, `None` when it has none (`NoSuchPublicAccessBlockConfiguration`).
pub async fn collect(
    ctx: Ctx,
    config: SdkConfig,
    account_id: String,
    as_given: bool,
) -> Result<Option<PublicAccessBlock>, CollectError> {
    let mut builder = aws_sdk_s3control::config::Builder::from(&config);
    if as_given {
        builder = builder.endpoint_resolver(AtTheGivenUrl(DefaultResolver::new()));
    }
    let client = aws_sdk_s3control::Client::from_conf(builder.build());
    let call = client
        .get_public_access_block()
        .account_id(account_id)
        .send();
    match ctx.call("GetPublicAccessBlock", call).await {
        Ok(out) => Ok(out
            .public_access_block_configuration()
            .map(|c| PublicAccessBlock {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            })),
        Err(e) if e.code.as_deref() == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
        Err(e) => Err(e),
    }
}

/// The SDK's own endpoint, at the custom endpoint URL as given when there is one.
#[derive(Debug)]
struct AtTheGivenUrl(DefaultResolver);

impl ResolveEndpoint for AtTheGivenUrl {
    fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
        let resolved = self.0.resolve_endpoint(params);
        let given = params.endpoint().map(str::to_owned);
        EndpointFuture::new(async move {
            let endpoint = resolved.await?;
            let Some(url) = given else {
                return Ok(endpoint);
            };
            let mut builder = Endpoint::builder().url(url);
            for (key, value) in endpoint.properties() {
                builder = builder.property(key.clone(), value.clone());
            }
            Ok(builder.build())
        })
    }
}
