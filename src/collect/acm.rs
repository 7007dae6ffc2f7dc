//! ACM: the region's certificates, status and expiry, from the list alone.

use aws_config::SdkConfig;
use aws_sdk_acm::types::{Filters, KeyAlgorithm};

use super::{rfc3339, Ctx};
use crate::error::CollectError;
use crate::inventory::{Acm, Certificate};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Acm, CollectError> {
    let client = aws_sdk_acm::Client::new(&config);
    // Without a key-type filter ListCertificates returns RSA-1024/2048 certificates only:
    // an ECDSA or RSA-4096 certificate in use would go unseen.
    let every_key_type = Filters::builder()
        .set_key_types(Some(
            KeyAlgorithm::values()
                .iter()
                .map(|k| KeyAlgorithm::from(*k))
                .collect(),
        ))
        .build();
    let pages = ctx
        .pages(
            "ListCertificates",
            client
                .list_certificates()
                .includes(every_key_type)
                .max_items(1000)
                .into_paginator()
                .send(),
        )
        .await?;
    let mut certificates: Vec<Certificate> = pages
        .iter()
        .flat_map(|p| p.certificate_summary_list())
        .map(|c| Certificate {
            arn: c.certificate_arn().unwrap_or_default().to_owned(),
            domain: c.domain_name().unwrap_or_default().to_owned(),
            status: c.status().map(|s| s.as_str().to_owned()),
            not_after: c.not_after().map(rfc3339),
            in_use: c.in_use(),
            kind: c.r#type().map(|t| t.as_str().to_owned()),
        })
        .collect();
    certificates.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(Acm { certificates })
}
