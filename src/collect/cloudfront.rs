//! CloudFront (global) and the WAFv2 web ACLs its distributions name. ListDistributions
//! carries each distribution's aliases, certificate, geo restriction and web ACL, so no
//! distribution is fetched one by one; each web ACL a distribution names is read once.
//!
//! Both are global services answered from us-east-1: the caller passes that region's config
//! whatever regions are scanned (CLOUDFRONT-scope web ACLs exist only there).

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use aws_sdk_wafv2::types::{RuleAction, Scope, Statement};
use futures::{stream, StreamExt};

use super::{Ctx, PER_COLLECTOR_FANOUT};
use crate::error::CollectError;
use crate::inventory::{CloudFront, Distribution, WebAcl};

pub async fn collect(
    ctx: Ctx,
    waf_ctx: Ctx,
    us_east_1: SdkConfig,
) -> Result<CloudFront, CollectError> {
    let client = aws_sdk_cloudfront::Client::new(&us_east_1);
    let pages = ctx
        .pages(
            "ListDistributions",
            client
                .list_distributions()
                .max_items(1000)
                .into_paginator()
                .send(),
        )
        .await?;
    let mut distributions: Vec<Distribution> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
        .map(|d| {
            let cert = d.viewer_certificate();
            let geo = d.restrictions().and_then(|r| r.geo_restriction());
            Distribution {
                id: d.id().to_owned(),
                arn: d.arn().to_owned(),
                domain_name: d.domain_name().to_owned(),
                enabled: d.enabled(),
                aliases: d.aliases().map(|a| a.items().to_vec()).unwrap_or_default(),
                web_acl_id: Some(d.web_acl_id().to_owned()).filter(|id| !id.is_empty()),
                acm_certificate_arn: cert
                    .and_then(|c| c.acm_certificate_arn())
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
                iam_certificate_id: cert
                    .and_then(|c| c.iam_certificate_id())
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
                geo_restriction: geo
                    .map(|g| g.restriction_type().as_str().to_owned())
                    .unwrap_or_else(|| "none".to_owned()),
                geo_locations: geo.map(|g| g.items().to_vec()).unwrap_or_default(),
            }
        })
        .collect();
    distributions.sort_by(|a, b| a.arn.cmp(&b.arn));

    // WAF Classic ids are not ARNs: WAFv2 cannot read them (the rule says so).
    let acl_arns: BTreeSet<String> = distributions
        .iter()
        .filter_map(|d| d.web_acl_id.clone())
        .filter(|id| id.starts_with("arn:"))
        .collect();
    let waf = aws_sdk_wafv2::Client::new(&us_east_1);
    let mut web_acls: Vec<WebAcl> = stream::iter(acl_arns)
        .map(|arn| web_acl(&waf_ctx, &waf, arn))
        .buffer_unordered(PER_COLLECTOR_FANOUT)
        .collect()
        .await;
    web_acls.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(CloudFront {
        distributions,
        web_acls,
    })
}

/// `arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID` → (NAME, ID).
pub fn web_acl_name_and_id(arn: &str) -> Option<(&str, &str)> {
    let path = arn.split_once(":global/webacl/")?.1;
    path.rsplit_once('/')
}

async fn web_acl(ctx: &Ctx, client: &aws_sdk_wafv2::Client, arn: String) -> WebAcl {
    let Some((name, id)) = web_acl_name_and_id(&arn) else {
        return WebAcl {
            name: String::new(),
            rules: Vec::new(),
            rate_based_rules: Vec::new(),
            rule_group_errors: Vec::new(),
            error: Some(CollectError::unreadable(
                "wafv2",
                "GetWebACL",
                &ctx.region,
                format!("{arn} is not a CLOUDFRONT-scope web ACL ARN"),
            )),
            arn,
        };
    };
    let got = ctx
        .call(
            "GetWebACL",
            client
                .get_web_acl()
                .name(name)
                .id(id)
                .scope(Scope::Cloudfront)
                .send(),
        )
        .await;
    let name = name.to_owned();
    match got {
        Ok(out) => {
            let acl = out.web_acl();
            let rules = acl.map(|a| a.rules()).unwrap_or_default();
            let mut rate_based_rules: Vec<String> = rules
                .iter()
                .filter(|r| acts(r.action()) && is_rate_based(r.statement()))
                .map(|r| r.name().to_owned())
                .collect();
            let (found, rule_group_errors) = rule_group_rates(ctx, client, acl).await;
            rate_based_rules.extend(found);
            WebAcl {
                name,
                rules: rules.iter().map(|r| r.name().to_owned()).collect(),
                rate_based_rules,
                rule_group_errors,
                error: None,
                arn,
            }
        }
        Err(e) => WebAcl {
            name,
            rules: Vec::new(),
            rate_based_rules: Vec::new(),
            rule_group_errors: Vec::new(),
            error: Some(e),
            arn,
        },
    }
}

fn is_rate_based(statement: Option<&Statement>) -> bool {
    statement.is_some_and(|s| s.rate_based_statement().is_some())
}

/// Whether a rule's action stops or challenges a client: Count only records.
fn acts(action: Option<&RuleAction>) -> bool {
    action.is_none_or(|a| a.count().is_none())
}

/// A rule group a web ACL references, with what its reference overrides: the whole group
/// to Count (`OverrideAction`), or some of its rules (`RuleActionOverrides`).
struct Reference {
    arn: String,
    counts_all: bool,
    counted: Vec<String>,
}

/// The rule groups a web ACL references: in its rules, and in the Firewall Manager rule
/// groups run before and after them.
fn references(acl: Option<&aws_sdk_wafv2::types::WebAcl>) -> Vec<Reference> {
    let Some(acl) = acl else {
        return Vec::new();
    };
    let own = acl.rules().iter().filter_map(|r| {
        let reference = r.statement()?.rule_group_reference_statement()?;
        Some(Reference {
            arn: reference.arn().to_owned(),
            counts_all: r.override_action().is_some_and(|o| o.count().is_some()),
            counted: counted(reference.rule_action_overrides()),
        })
    });
    let firewall_manager = acl
        .pre_process_firewall_manager_rule_groups()
        .iter()
        .chain(acl.post_process_firewall_manager_rule_groups())
        .filter_map(|g| {
            let reference = g
                .firewall_manager_statement()?
                .rule_group_reference_statement()?;
            Some(Reference {
                arn: reference.arn().to_owned(),
                counts_all: g.override_action().is_some_and(|o| o.count().is_some()),
                counted: counted(reference.rule_action_overrides()),
            })
        });
    own.chain(firewall_manager).collect()
}

fn counted(overrides: &[aws_sdk_wafv2::types::RuleActionOverride]) -> Vec<String> {
    overrides
        .iter()
        .filter(|o| o.action_to_use().is_some_and(|a| a.count().is_some()))
        .map(|o| o.name().to_owned())
        .collect()
}

/// The acting rate-based rules inside the rule groups a web ACL references (`GROUP/RULE`),
/// one GetRuleGroup per group; a group that cannot be read is kept as an error.
async fn rule_group_rates(
    ctx: &Ctx,
    client: &aws_sdk_wafv2::Client,
    acl: Option<&aws_sdk_wafv2::types::WebAcl>,
) -> (Vec<String>, Vec<CollectError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for reference in references(acl).into_iter().filter(|r| !r.counts_all) {
        let call = client.get_rule_group().arn(&reference.arn).send();
        match ctx.call("GetRuleGroup", call).await {
            Ok(out) => {
                let Some(group) = out.rule_group() else {
                    continue;
                };
                found.extend(
                    group
                        .rules()
                        .iter()
                        .filter(|r| acts(r.action()) && is_rate_based(r.statement()))
                        .filter(|r| !reference.counted.iter().any(|c| c == r.name()))
                        .map(|r| format!("{}/{}", group.name(), r.name())),
                );
            }
            Err(e) => errors.push(e),
        }
    }
    (found, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_acl_arn_gives_its_name_and_id() {
        assert_eq!(
            web_acl_name_and_id(
                "arn:aws:wafv2:us-east-1:111122223333:global/webacl/mra-mines-waf/a1b2-c3"
            ),
            Some(("mra-mines-waf", "a1b2-c3"))
        );
        assert_eq!(
            web_acl_name_and_id("arn:aws:wafv2:eu-west-1:1:regional/webacl/x/y"),
            None
        );
    }
}
