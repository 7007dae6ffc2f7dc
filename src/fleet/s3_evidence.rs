//! `prodready aggregate s3://BUCKET/PREFIX`: the evidence files a fleet of scans wrote under
//! an S3 prefix, listed (`ListObjectsV2`, every page) and read (`GetObject`) a few at a time.
//! Each document is summarised as it arrives and dropped, so memory holds the summaries and at
//! most `READ_AHEAD` documents, however many accounts there are.

use std::sync::Arc;

use aws_config::SdkConfig;
use futures::StreamExt;

use crate::collect::Ctx;
use crate::error::CollectError;
use crate::fleet::aggregate::{Organization, Reader};
use crate::session::calls::CallLog;

/// Documents fetched at once: enough to hide the round trip, few enough that a fleet of large
/// accounts' evidence (15 MB each at 2,000 tables) stays small in memory.
const READ_AHEAD: usize = 4;

/// `s3://BUCKET/PREFIX`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Keys starting with this are read (`""`: the whole bucket).
    pub prefix: String,
}

impl S3Location {
    /// `None` when `text` is not an `s3://` URL (it is a folder then).
    pub fn parse(text: &str) -> Option<Result<S3Location, String>> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        Some(if valid {
            Ok(S3Location {
                bucket: bucket.to_owned(),
                prefix: prefix.to_owned(),
            })
        } else {
            Err(format!(
                "{text}: not an S3 location (s3://BUCKET/PREFIX, a bucket name of 3 to 63 lowercase letters, digits, '-' and '.')"
            ))
        })
    }

    fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }
}

/// The organisation from every `*.json` object under the location. Listing failures end it
/// (nothing can be aggregated); a document that cannot be read or is not evidence is named in
/// `unreadable`, as a damaged file in a folder is.
pub async fn load(
    config: &SdkConfig,
    path_style: bool,
    at: &S3Location,
    log: Arc<CallLog>,
) -> Result<Organization, String> {
    let region = config.region().map(|r| r.to_string()).unwrap_or_default();
    let ctx = Ctx::new(
        "s3",
        &region,
        log,
        Arc::new(tokio::sync::Semaphore::new(READ_AHEAD)),
    );
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(config)
            .force_path_style(path_style)
            .build(),
    );
    let keys = list(&ctx, &s3, at).await.map_err(|e| {
        format!(
            "{}: the evidence cannot be listed (s3:ListBucket): {}",
            at.url(&at.prefix),
            e.message
        )
    })?;
    let mut reader = Reader::default();
    let mut documents = futures::stream::iter(keys)
        .map(|key| {
            let (ctx, s3) = (&ctx, &s3);
            async move {
                let text = get(ctx, s3, at, &key).await;
                (key, text)
            }
        })
        .buffered(READ_AHEAD);
    while let Some((key, text)) = documents.next().await {
        reader.add(&at.url(&key), text);
    }
    reader.finish(&at.url(&at.prefix))
}

/// The keys of the `*.json` objects under the prefix, in key order.
async fn list(
    ctx: &Ctx,
    s3: &aws_sdk_s3::Client,
    at: &S3Location,
) -> Result<Vec<String>, CollectError> {
    let pages = ctx
        .pages(
            "ListObjectsV2",
            s3.list_objects_v2()
                .bucket(&at.bucket)
                .prefix(&at.prefix)
                .into_paginator()
                .send(),
        )
        .await?;
    let mut keys: Vec<String> = pages
        .iter()
        .flat_map(|page| page.contents())
        .filter_map(|o| o.key())
        .filter(|k| k.ends_with(".json"))
        .map(str::to_owned)
        .collect();
    keys.sort();
    Ok(keys)
}

async fn get(
    ctx: &Ctx,
    s3: &aws_sdk_s3::Client,
    at: &S3Location,
    key: &str,
) -> Result<String, String> {
    let url = at.url(key);
    let body = ctx
        .call(
            "GetObject",
            s3.get_object().bucket(&at.bucket).key(key).send(),
        )
        .await
        .map_err(|e| format!("{url}: cannot be read (s3:GetObject): {}", e.message))?
        .body
        .collect()
        .await
        .map_err(|e| format!("{url}: the download broke off: {e}"))?;
    String::from_utf8(body.to_vec()).map_err(|_| format!("{url}: not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_locations_are_told_from_folders_and_bad_buckets_are_named() {
        assert_eq!(S3Location::parse("evidence/nightly"), None);
        assert_eq!(
            S3Location::parse("s3://org-evidence/nightly/2026-11-28/").unwrap(),
            Ok(S3Location {
                bucket: "org-evidence".into(),
                prefix: "nightly/2026-11-28/".into()
            })
        );
        assert_eq!(
            S3Location::parse("s3://org-evidence")
                .unwrap()
                .unwrap()
                .prefix,
            ""
        );
        for bad in ["s3://", "s3://AB", "s3://Bad_Bucket/x"] {
            let err = S3Location::parse(bad).unwrap().unwrap_err();
            assert!(err.contains("not an S3 location"), "{bad}: {err}");
        }
    }
}
