//! S3, read account-wide: buckets are listed once (ListBuckets is global), then each bucket's
//! settings are read from the bucket's own region. A setting that is not configured is
//! `ok: null`; one that could not be read is that setting's error, so one locked bucket hides
//! nothing else.

use aws_sdk_s3::operation::get_bucket_encryption::GetBucketEncryptionOutput;
use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_replication::GetBucketReplicationOutput;
use aws_sdk_s3::operation::get_public_access_block::GetPublicAccessBlockOutput;
use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_s3::types::{BucketVersioningStatus, ExpirationStatus, ReplicationRuleStatus};
use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{
    Bucket, BucketEncryption, Collected, Lifecycle, PublicAccessBlock, Replication, S3,
};

/// Name fragments that make a bucket a candidate for holding Terraform state.
const STATE_NAME_FRAGMENTS: &[&str] = &["tfstate", "terraform", "tf-state", "state"];

/// Object listing pages read per candidate at most while looking for a state file.
const MAX_STATE_PAGES: usize = 10;

/// `regions` are the scanned regions' configs; the first is the primary region.
/// `path_style`: address buckets by path, as custom endpoints (emulators, proxies) need.
/// `state_bucket`: the bucket the config names as Terraform's; always searched for state.
pub async fn collect(
    ctx: Ctx,
    regions: Vec<(String, SdkConfig)>,
    path_style: bool,
    state_bucket: Option<String>,
) -> Result<S3, CollectError> {
    let base = regions[0].1.clone();
    let client_for = move |region: &str| {
        let config = aws_sdk_s3::config::Builder::from(&base)
            .region(aws_config::Region::new(region.to_owned()))
            .force_path_style(path_style)
            .build();
        aws_sdk_s3::Client::from_conf(config)
    };
    let primary = client_for(&regions[0].0);
    let listed = list_buckets(&ctx, &primary).await?;

    let mut clients: BTreeMap<String, aws_sdk_s3::Client> = BTreeMap::new();
    let located = locate(&ctx, &primary, listed).await;
    for (_, region) in &located {
        let region = region.as_ref().map(String::as_str).unwrap_or(&regions[0].0);
        clients
            .entry(region.to_owned())
            .or_insert_with(|| client_for(region));
    }

    let mut buckets: Vec<Bucket> = stream::iter(located)
        .map(|(name, region)| {
            let (region_name, location_error) = match region {
                Ok(r) => (r, None),
                Err(e) => (regions[0].0.clone(), Some(e)),
            };
            let client = clients[&region_name].clone();
            let bucket_ctx = Ctx {
                region: region_name.clone(),
                ..ctx.clone()
            };
            let candidate = state_bucket.as_deref() == Some(name.as_str())
                || STATE_NAME_FRAGMENTS
                    .iter()
                    .any(|f| name.to_lowercase().contains(f));
            async move {
                bucket(
                    &bucket_ctx,
                    &client,
                    name,
                    region_name,
                    location_error,
                    candidate,
                )
                .await
            }
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(S3 {
        buckets,
        account_public_access_block: None,
    })
}

/// Every bucket of the account, with its region when ListBuckets gives it.
async fn list_buckets(
    ctx: &Ctx,
    primary: &aws_sdk_s3::Client,
) -> Result<Vec<(String, Option<String>)>, CollectError> {
    Ok(ctx
        .pages(
            "ListBuckets",
            primary
                .list_buckets()
                .max_buckets(1000)
                .into_paginator()
                .send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.buckets())
        .map(|b| {
            (
                b.name().unwrap_or_default().to_owned(),
                b.bucket_region().map(str::to_owned),
            )
        })
        .collect())
}

/// Each bucket's region: ListBuckets gives it on AWS; GetBucketLocation where it does not.
async fn locate(
    ctx: &Ctx,
    primary: &aws_sdk_s3::Client,
    listed: Vec<(String, Option<String>)>,
) -> Vec<(String, Result<String, CollectError>)> {
    stream::iter(listed)
        .map(|(name, region)| async move {
            let region = match region {
                Some(r) => Ok(r),
                None => ctx
                    .call(
                        "GetBucketLocation",
                        primary.get_bucket_location().bucket(&name).send(),
                    )
                    .await
                    .map(|out| location(out.location_constraint().map(|c| c.as_str()))),
            };
            (name, region)
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await
}

/// S3's names for regions in GetBucketLocation: empty is us-east-1, `EU` is eu-west-1.
fn location(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(r) => r.to_owned(),
    }
}

/// A "not configured" answer (`NoSuchLifecycleConfiguration` …) is `Ok(None)`.
fn unless_absent<T>(result: Result<T, CollectError>, absent: &str) -> Collected<Option<T>> {
    match result {
        Ok(v) => Collected::Ok(Some(v)),
        Err(e) if e.code.as_deref() == Some(absent) => Collected::Ok(None),
        Err(e) => Collected::Error(e),
    }
}

fn encryption_of(o: GetBucketEncryptionOutput) -> Option<BucketEncryption> {
    let rule = o
        .server_side_encryption_configuration()?
        .rules()
        .first()?
        .apply_server_side_encryption_by_default()?
        .clone();
    Some(BucketEncryption {
        algorithm: rule.sse_algorithm().as_str().to_owned(),
        kms_key: rule.kms_master_key_id().map(str::to_owned),
    })
}

fn public_access_block_of(o: GetPublicAccessBlockOutput) -> Option<PublicAccessBlock> {
    let c = o.public_access_block_configuration()?;
    Some(PublicAccessBlock {
        block_public_acls: c.block_public_acls().unwrap_or(false),
        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
        block_public_policy: c.block_public_policy().unwrap_or(false),
        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
    })
}

fn lifecycle_of(o: GetBucketLifecycleConfigurationOutput) -> Lifecycle {
    let enabled: Vec<_> = o
        .rules()
        .iter()
        .filter(|r| r.status() == &ExpirationStatus::Enabled)
        .collect();
    Lifecycle {
        enabled_rules: enabled.len(),
        // Previous versions moving to a cheaper class is tiering too.
        transitions: enabled
            .iter()
            .any(|r| !r.transitions().is_empty() || !r.noncurrent_version_transitions().is_empty()),
        expirations: enabled
            .iter()
            .any(|r| r.expiration().is_some() || r.noncurrent_version_expiration().is_some()),
    }
}

fn replication_of(o: GetBucketReplicationOutput) -> Option<Replication> {
    let enabled: Vec<_> = o
        .replication_configuration()?
        .rules()
        .iter()
        .filter(|r| r.status() == &ReplicationRuleStatus::Enabled)
        .collect();
    Some(Replication {
        enabled_rules: enabled.len(),
        destinations: enabled
            .iter()
            .filter_map(|r| r.destination())
            .map(|d| d.bucket().to_owned())
            .collect(),
    })
}

async fn bucket(
    ctx: &Ctx,
    client: &aws_sdk_s3::Client,
    name: String,
    region: String,
    location_error: Option<CollectError>,
    candidate: bool,
) -> Bucket {
    let (versioning, encryption, pab, lifecycle, replication) = tokio::join!(
        ctx.call(
            "GetBucketVersioning",
            client.get_bucket_versioning().bucket(&name).send()
        ),
        ctx.call(
            "GetBucketEncryption",
            client.get_bucket_encryption().bucket(&name).send()
        ),
        ctx.call(
            "GetPublicAccessBlock",
            client.get_public_access_block().bucket(&name).send()
        ),
        ctx.call(
            "GetBucketLifecycleConfiguration",
            client
                .get_bucket_lifecycle_configuration()
                .bucket(&name)
                .send()
        ),
        ctx.call(
            "GetBucketReplication",
            client.get_bucket_replication().bucket(&name).send()
        ),
    );
    let versioning = match versioning {
        Ok(v) => Collected::Ok(v.status().map(|s| match s {
            BucketVersioningStatus::Enabled => "Enabled".to_owned(),
            other => other.as_str().to_owned(),
        })),
        Err(e) => Collected::Error(e),
    };
    let encryption = unless_absent(encryption, "ServerSideEncryptionConfigurationNotFoundError")
        .map_ok(|out| out.and_then(encryption_of));
    let public_access_block = unless_absent(pab, "NoSuchPublicAccessBlockConfiguration")
        .map_ok(|out| out.and_then(public_access_block_of));
    let lifecycle = unless_absent(lifecycle, "NoSuchLifecycleConfiguration")
        .map_ok(|out| out.map(lifecycle_of));
    let replication = unless_absent(replication, "ReplicationConfigurationNotFoundError")
        .map_ok(|out| out.and_then(replication_of));
    let state_files = if candidate {
        Some(state_files(ctx, client, &name).await)
    } else {
        None
    };
    Bucket {
        arn: format!(
            "arn:{}:s3:::{name}",
            crate::partition::of_region(&ctx.region)
        ),
        name,
        region: Some(region).filter(|_| location_error.is_none()),
        location_error,
        versioning,
        encryption,
        public_access_block,
        lifecycle,
        state_files,
        replication,
    }
}

/// Terraform state files (`*.tfstate`) in a candidate bucket: the first few found, looking
/// through a bounded number of listing pages.
async fn state_files(ctx: &Ctx, client: &aws_sdk_s3::Client, name: &str) -> Collected<Vec<String>> {
    let mut pages = client
        .list_objects_v2()
        .bucket(name)
        .into_paginator()
        .send();
    let mut found = Vec::new();
    for _ in 0..MAX_STATE_PAGES {
        let (page, attempts) = {
            let _permit = ctx.gate().acquire().await.ok();
            prodready_aws::http::attempt_unless_interrupted(pages.next()).await
        };
        let Some(page) = page else {
            return Collected::Error(ctx.interrupted("ListObjectsV2", attempts));
        };
        let Some(page) = page else { break };
        match ctx.outcome("ListObjectsV2", page, attempts) {
            Ok(p) => found.extend(
                p.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .filter(|k| k.ends_with(".tfstate"))
                    .map(str::to_owned),
            ),
            Err(e) => return Collected::Error(e),
        }
        if !found.is_empty() {
            break;
        }
    }
    found.truncate(20);
    Collected::Ok(found)
}
