//! KMS: keys, who manages them, and rotation for the keys that can rotate.

use aws_config::SdkConfig;
use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, OriginType};
use futures::{stream, StreamExt, TryStreamExt};

use super::{is_not_found, rfc3339, Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{Kms, KmsKey};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Kms, CollectError> {
    let client = aws_sdk_kms::Client::new(&config);
    let listed: Vec<(String, String)> = ctx
        .pages(
            "ListKeys",
            client.list_keys().limit(1000).into_paginator().send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.keys())
        .map(|k| {
            (
                k.key_id().unwrap_or_default().to_owned(),
                k.key_arn().unwrap_or_default().to_owned(),
            )
        })
        .collect();

    let mut keys: Vec<KmsKey> = stream::iter(listed)
        .map(|(id, arn)| key(&ctx, &client, id, arn))
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .try_filter_map(|k| async move { Ok(k) })
        .try_collect()
        .await?;
    keys.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(Kms { keys })
}

/// One key. A key policy can deny the scanner a single key while the rest are readable:
/// such a key is kept with its error rather than failing the whole service.
async fn key(
    ctx: &Ctx,
    client: &aws_sdk_kms::Client,
    id: String,
    arn: String,
) -> Result<Option<KmsKey>, CollectError> {
    let mut key = KmsKey {
        arn,
        id: id.clone(),
        manager: None,
        state: None,
        spec: None,
        usage: None,
        origin: None,
        description: None,
        rotation_enabled: None,
        rotation_error: None,
        created: None,
        rotation_period_days: None,
    };
    let meta = match ctx
        .call("DescribeKey", client.describe_key().key_id(&id).send())
        .await
    {
        Ok(out) => out.key_metadata().cloned(),
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => {
            key.rotation_error = Some(e);
            return Ok(Some(key));
        }
    };
    let Some(meta) = meta else {
        return Ok(Some(key));
    };
    key.manager = meta.key_manager().map(|m| m.as_str().to_owned());
    key.state = meta.key_state().map(|s| s.as_str().to_owned());
    key.spec = meta.key_spec().map(|s| s.as_str().to_owned());
    key.usage = meta.key_usage().map(|s| s.as_str().to_owned());
    key.origin = meta.origin().map(|s| s.as_str().to_owned());
    key.created = meta.creation_date().map(rfc3339);
    key.description = meta
        .description()
        .filter(|d| !d.is_empty())
        .map(str::to_owned);

    // Only enabled, customer-managed, symmetric keys of KMS's own material have a rotation
    // setting to read.
    let rotatable = meta.key_manager() == Some(&KeyManagerType::Customer)
        && meta.key_state() == Some(&KeyState::Enabled)
        && meta.key_spec() == Some(&KeySpec::SymmetricDefault)
        // Imported material and custom key stores cannot rotate automatically: KMS answers
        // GetKeyRotationStatus with UnsupportedOperationException for them.
        && meta.origin() == Some(&OriginType::AwsKms);
    if rotatable {
        match ctx
            .call(
                "GetKeyRotationStatus",
                client.get_key_rotation_status().key_id(&id).send(),
            )
            .await
        {
            Ok(out) => {
                key.rotation_enabled = Some(out.key_rotation_enabled());
                key.rotation_period_days = out.rotation_period_in_days();
            }
            Err(e) => key.rotation_error = Some(e),
        }
    }
    Ok(Some(key))
}
