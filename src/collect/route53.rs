//! Route 53 (global): hosted zones and their A, AAAA and CNAME records, the ones that can
//! point a custom domain at a distribution. Zones are read concurrently, each to its end.

use aws_config::SdkConfig;
use aws_sdk_route53::types::RrType;
use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{Collected, DnsRecord, HostedZone, Route53};

pub async fn collect(ctx: Ctx, config: SdkConfig) -> Result<Route53, CollectError> {
    let client = aws_sdk_route53::Client::new(&config);
    let listed: Vec<(String, String, bool)> = ctx
        .pages(
            "ListHostedZones",
            client.list_hosted_zones().into_paginator().send(),
        )
        .await?
        .iter()
        .flat_map(|p| p.hosted_zones())
        .map(|z| {
            (
                z.id().to_owned(),
                without_dot(z.name()),
                z.config().is_some_and(|c| c.private_zone()),
            )
        })
        .collect();
    let mut zones: Vec<HostedZone> = stream::iter(listed)
        .map(|(id, name, private)| {
            let ctx = &ctx;
            let client = &client;
            async move {
                let records = records(ctx, client, &id).await;
                HostedZone {
                    id,
                    name,
                    private,
                    records,
                }
            }
        })
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    zones.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Route53 { zones })
}

/// Every page of a zone's records. The SDK has no paginator for this list (its cursor is a
/// record name, type and identifier), so the loop follows the cursor itself.
async fn records(
    ctx: &Ctx,
    client: &aws_sdk_route53::Client,
    zone_id: &str,
) -> Collected<Vec<DnsRecord>> {
    let mut records = Vec::new();
    let mut cursor: Option<(String, Option<RrType>, Option<String>)> = None;
    loop {
        let mut request = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .max_items(300);
        if let Some((name, kind, identifier)) = cursor.take() {
            request = request
                .start_record_name(name)
                .set_start_record_type(kind)
                .set_start_record_identifier(identifier);
        }
        let page = match ctx.call("ListResourceRecordSets", request.send()).await {
            Ok(p) => p,
            Err(e) => return Collected::Error(e),
        };
        records.extend(
            page.resource_record_sets()
                .iter()
                .filter(|r| matches!(r.r#type(), RrType::A | RrType::Aaaa | RrType::Cname))
                .map(|r| DnsRecord {
                    name: without_dot(r.name()),
                    kind: r.r#type().as_str().to_owned(),
                    alias_target: r.alias_target().map(|a| without_dot(a.dns_name())),
                    values: r
                        .resource_records()
                        .iter()
                        .map(|v| without_dot(v.value()))
                        .collect(),
                }),
        );
        match (page.is_truncated(), page.next_record_name()) {
            (true, Some(name)) => {
                cursor = Some((
                    name.to_owned(),
                    page.next_record_type().cloned(),
                    page.next_record_identifier().map(str::to_owned),
                ))
            }
            _ => return Collected::Ok(records),
        }
    }
}

/// DNS names as people write them: lower case, no trailing dot, and escapes decoded. Route 53
/// returns every character but a–z, 0–9, `-` and `_` as a three-digit octal escape: the
/// wildcard `*.example.com` comes back as `\\052.example.com`.
fn without_dot(name: &str) -> String {
    unescape(name.trim_end_matches('.')).to_lowercase()
}

fn unescape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let digits = rest
            .get(i + 1..i + 4)
            .filter(|d| d.bytes().all(|b| (b'0'..=b'7').contains(&b)));
        match digits.and_then(|d| u8::from_str_radix(d, 8).ok()) {
            Some(byte) => {
                out.push(char::from(byte));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_escapes_are_decoded() {
        assert_eq!(without_dot("\\052.Example.com."), "*.example.com");
        assert_eq!(without_dot("a\\100b.example.com"), "a@b.example.com");
        assert_eq!(without_dot("plain.example.com."), "plain.example.com");
        assert_eq!(without_dot("odd\\9x"), "odd\\9x");
    }
}
