//! A plan's CloudFront distributions, the WAFv2 web ACLs that protect them (scope
//! `CLOUDFRONT`) and their ACM certificates, as `ListDistributions`, `GetWebACL`,
//! `GetRuleGroup` and `DescribeCertificate` show them; read over a scan only. What is known
//! only after apply (a new distribution's ID and domain, a new web ACL's or certificate's ARN)
//! is made from the plan's address, the same for whatever references it (a DNS alias, a
//! distribution's `web_acl_id`). A certificate ACM issues is `PENDING_VALIDATION` once
//! applied unless the plan waits for its validation (`aws_acm_certificate_validation`); one
//! imported is issued as given.

use serde_json::Value;

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, made_global_arn, part, Context, Identity, Reader};
use super::values::{at, blocks, text};
use crate::error::CollectError;
use crate::inventory::{Acm, Certificate, Collected, Distribution, Inventory, WebAcl};

pub(super) const DISTRIBUTION: &str = "aws_cloudfront_distribution";
const WEB_ACL: &str = "aws_wafv2_web_acl";
const RULE_GROUP: &str = "aws_wafv2_rule_group";
const CERTIFICATE: &str = "aws_acm_certificate";
const VALIDATION: &str = "aws_acm_certificate_validation";

pub(super) const EDGE: Reader = Reader {
    alone: false,
    kinds: &[DISTRIBUTION, WEB_ACL, RULE_GROUP, CERTIFICATE, VALIDATION],
    arn,
    remove: |inv, p, _| {
        let planned = Identity::of(p);
        if p.kind == CERTIFICATE {
            if let Some(acm) = part::<Acm>(&mut inv.acm, &p.region) {
                acm.certificates.retain(|c| !planned.is_arn(&c.arn));
            }
            return;
        }
        let Some(Collected::Ok(cf)) = &mut inv.cloudfront else {
            return;
        };
        match p.kind.as_str() {
            DISTRIBUTION => cf
                .distributions
                .retain(|d| !planned.is_arn(&d.arn) && !planned.is_arn(&d.id)),
            // Only CloudFront's web ACLs are in the inventory: a regional one of the same name
            // is another ACL.
            WEB_ACL if text(&p.values, "scope").as_deref() == Some("CLOUDFRONT") => {
                cf.web_acls.retain(|a| !planned.is(&a.arn, &a.name));
            }
            _ => {}
        }
    },
    add,
};

/// The ARN a distribution, web ACL, rule group or certificate has, or one made from its
/// address while AWS has not named it.
fn arn(p: &Planned, account: &str) -> Option<String> {
    if let Some(known) = text(&p.values, "arn") {
        return Some(known);
    }
    let address = &p.address;
    let name = text(&p.values, "name").unwrap_or_else(|| address.clone());
    Some(match p.kind.as_str() {
        DISTRIBUTION => {
            made_global_arn(p, "cloudfront", account, &format!("distribution/{address}"))
        }
        WEB_ACL => made_arn(
            p,
            "wafv2",
            account,
            &format!("global/webacl/{name}/{address}"),
        ),
        RULE_GROUP => made_arn(
            p,
            "wafv2",
            account,
            &format!("global/rulegroup/{name}/{address}"),
        ),
        CERTIFICATE => made_arn(p, "acm", account, &format!("certificate/{address}")),
        _ => return None,
    })
}

/// A distribution's domain: known, or made from its address (what a DNS alias to it gets).
pub(super) fn domain(p: &Planned) -> String {
    text(&p.values, "domain_name")
        .unwrap_or_else(|| format!("{}.known-after-apply.cloudfront.net", p.address))
        .to_lowercase()
}

fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let arn = arn(p, cx.account)?;
    if p.kind == CERTIFICATE {
        let c = certificate(p, &cx.graph, arn.clone());
        part::<Acm>(&mut inv.acm, &p.region)?.certificates.push(c);
        return Some(arn);
    }
    let Some(Collected::Ok(cf)) = &mut inv.cloudfront else {
        return None;
    };
    match p.kind.as_str() {
        DISTRIBUTION => cf
            .distributions
            .push(distribution(p, &cx.graph, arn.clone())),
        WEB_ACL if text(&p.values, "scope").as_deref() == Some("CLOUDFRONT") => {
            cf.web_acls.push(web_acl(p, &cx.graph, arn.clone()));
        }
        _ => return None,
    }
    Some(arn)
}

fn distribution(p: &Planned, graph: &Graph, arn: String) -> Distribution {
    let v = &p.values;
    let geo = at(v, &["restrictions", "0", "geo_restriction", "0"]);
    let certificate = |key: &str| {
        let path = ["viewer_certificate", "0", key];
        match at(v, &path) {
            Some(set) => set.as_str().filter(|c| !c.is_empty()).map(str::to_owned),
            // Known only after apply: the plan's certificate, through the validation the plan
            // waits for, or named as unknown (not judged), never taken for none.
            None => graph
                .referenced_resources(p, &path)
                .into_iter()
                .find_map(|r| match r.kind.as_str() {
                    VALIDATION => graph.known_or_referenced(r, &["certificate_arn"]),
                    _ => graph.known_or_referenced(p, &path),
                })
                .or_else(|| Some(format!("terraform:{}:{key}:known-after-apply", p.address))),
        }
    };
    Distribution {
        id: text(v, "id").unwrap_or_else(|| p.address.clone()),
        domain_name: domain(p),
        enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
        aliases: blocks(v, "aliases")
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        web_acl_id: text(v, "web_acl_id")
            .or_else(|| graph.known_or_referenced(p, &["web_acl_id"]))
            .filter(|w| !w.is_empty()),
        acm_certificate_arn: certificate("acm_certificate_arn"),
        iam_certificate_id: certificate("iam_certificate_id"),
        geo_restriction: geo
            .and_then(|g| text(g, "restriction_type"))
            .unwrap_or_else(|| "none".into()),
        geo_locations: geo
            .map(|g| {
                blocks(g, "locations")
                    .iter()
                    .filter_map(|l| l.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        arn,
    }
}

/// Whether a rule stops or challenges a client (Count only records), and is rate-based.
fn acting_rate_rule(rule: &Value) -> bool {
    let counts = at(rule, &["action", "0", "count"])
        .is_some_and(|c| c.as_array().is_none_or(|a| !a.is_empty()));
    !counts && at(rule, &["statement", "0", "rate_based_statement", "0"]).is_some()
}

/// A planned web ACL: its rules, its acting rate-based rules and those of the rule groups it
/// references that the plan holds; a group the plan does not hold is not read (an error of
/// the web ACL's rate limit, unless its own rules limit).
fn web_acl(p: &Planned, graph: &Graph, arn: String) -> WebAcl {
    let v = &p.values;
    let mut rate_based_rules: Vec<String> = Vec::new();
    let mut rule_group_errors = Vec::new();
    for (i, rule) in blocks(v, "rule").iter().enumerate() {
        let name = text(rule, "name").unwrap_or_default();
        if acting_rate_rule(rule) {
            rate_based_rules.push(name.clone());
        }
        let Some(reference) = at(
            rule,
            &["statement", "0", "rule_group_reference_statement", "0"],
        ) else {
            continue;
        };
        if at(rule, &["override_action", "0", "count", "0"]).is_some() {
            continue;
        }
        let index = i.to_string();
        let path = [
            "rule",
            &index,
            "statement",
            "0",
            "rule_group_reference_statement",
            "0",
            "arn",
        ];
        let group = graph
            .referenced_resources(p, &path)
            .into_iter()
            .find(|g| g.kind == RULE_GROUP);
        let counted: Vec<&str> = blocks(reference, "rule_action_override")
            .iter()
            .filter(|o| at(o, &["action_to_use", "0", "count", "0"]).is_some())
            .filter_map(|o| o.get("name").and_then(Value::as_str))
            .collect();
        match group {
            Some(g) => {
                let group_name = text(&g.values, "name").unwrap_or_default();
                rate_based_rules.extend(
                    blocks(&g.values, "rule")
                        .iter()
                        .filter(|r| acting_rate_rule(r))
                        .filter_map(|r| text(r, "name"))
                        .filter(|r| !counted.contains(&r.as_str()))
                        .map(|r| format!("{group_name}/{r}")),
                );
            }
            None => rule_group_errors.push(CollectError::unreadable(
                "terraform",
                "plan",
                &p.region,
                format!(
                    "{}: rule {name} references a rule group the plan does not hold: its rules are read by a scan, not from a plan",
                    p.address
                ),
            )),
        }
    }
    WebAcl {
        name: text(v, "name").unwrap_or_else(|| p.address.clone()),
        rules: blocks(v, "rule")
            .iter()
            .filter_map(|r| text(r, "name"))
            .collect(),
        rate_based_rules,
        error: None,
        rule_group_errors,
        arn,
    }
}

/// A planned certificate: imported (its body given), private (a private CA's) or issued by
/// ACM once validated, which the plan waits for only with a validation resource.
fn certificate(p: &Planned, graph: &Graph, arn: String) -> Certificate {
    let v = &p.values;
    let imported = v.get("certificate_body").is_some_and(|b| !b.is_null());
    let private = text(v, "certificate_authority_arn").is_some_and(|a| !a.is_empty());
    let validations = graph.naming("validated certificates", &[VALIDATION], |val| {
        graph
            .known_or_referenced(val, &["certificate_arn"])
            .into_iter()
            .collect()
    });
    let validated = validations.contains_key(&arn);
    let status = text(v, "status").or_else(|| {
        Some(
            if imported || private || validated {
                "ISSUED"
            } else {
                "PENDING_VALIDATION"
            }
            .into(),
        )
    });
    Certificate {
        domain: text(v, "domain_name").unwrap_or_default(),
        status,
        not_after: text(v, "not_after").filter(|t| !t.is_empty()),
        in_use: None,
        kind: Some(
            if imported {
                "IMPORTED"
            } else if private {
                "PRIVATE"
            } else {
                "AMAZON_ISSUED"
            }
            .into(),
        ),
        arn,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{expressions, judge, plan, refs, resource, statuses, Found};
    use crate::checks::Status;
    use crate::inventory::{Acm, CloudFront, Collected, Inventory, Route53};
    use serde_json::{json, Value};

    fn arn_of(to: &str) -> Value {
        refs(&[&format!("{to}.arn"), to])
    }

    fn rule(name: &str, statement: Value) -> Value {
        json!({"name": name, "action": [{"block": [{}], "count": []}], "override_action": [], "statement": [statement]})
    }

    /// A new distribution for app.example.com behind a new web ACL (`acl_rules`), with the
    /// certificate `certificate_from` references (the plan's, validated by the plan or not) and
    /// a DNS alias in a new zone, over a scan of an account without any; the findings of the
    /// edge and domain checks.
    fn judge_edge(acl_rules: Vec<Value>, certificate_from: &str, validated: bool) -> Vec<Found> {
        let mut resources = vec![
            resource(
                "aws_cloudfront_distribution",
                "app",
                json!({"enabled": true, "aliases": ["app.example.com"],
                "viewer_certificate": [{"iam_certificate_id": null}],
                "restrictions": [{"geo_restriction": [{"restriction_type": "none", "locations": []}]}]}),
            ),
            resource(
                "aws_wafv2_web_acl",
                "edge",
                json!({"name": "edge", "scope": "CLOUDFRONT", "rule": acl_rules}),
            ),
            resource(
                "aws_acm_certificate",
                "app",
                json!({"domain_name": "app.example.com", "validation_method": "DNS"}),
            ),
            resource("aws_route53_zone", "main", json!({"name": "example.com"})),
            resource(
                "aws_route53_record",
                "app",
                json!({"name": "app", "type": "A", "alias": [{"evaluate_target_health": false}]}),
            ),
        ];
        if validated {
            resources.push(resource("aws_acm_certificate_validation", "app", json!({})));
        }
        let group = json!([{"rule_group_reference_statement": [{"arn": arn_of("aws_wafv2_rule_group.shared")}]}]);
        let config = vec![
            expressions(
                "aws_cloudfront_distribution.app",
                json!({"web_acl_id": arn_of("aws_wafv2_web_acl.edge"),
                       "viewer_certificate": [{"acm_certificate_arn": arn_of(certificate_from)}]}),
            ),
            expressions(
                "aws_acm_certificate_validation.app",
                json!({"certificate_arn": arn_of("aws_acm_certificate.app")}),
            ),
            expressions(
                "aws_route53_record.app",
                json!({"zone_id": refs(&["aws_route53_zone.main.zone_id", "aws_route53_zone.main"]),
                       "alias": [{"name": refs(&["aws_cloudfront_distribution.app.domain_name", "aws_cloudfront_distribution.app"])}]}),
            ),
            expressions(
                "aws_wafv2_web_acl.edge",
                json!({"rule": [{ "statement": group }]}),
            ),
        ];
        let plan = plan("us-east-1", resources, config, vec![]);
        let mut base = Inventory {
            account_id: "1".into(),
            cloudfront: Some(Collected::Ok(CloudFront::default())),
            route53: Some(Collected::Ok(Route53::default())),
            ..Inventory::default()
        };
        base.acm
            .insert("us-east-1".into(), Collected::Ok(Acm::default()));
        judge(
            &plan,
            &base,
            &["HARD-01", "HARD-02", "DOM-01", "DOM-02", "DOM-03"],
        )
    }

    #[test]
    fn a_new_distribution_is_protected_certified_and_resolved_through_what_the_plan_makes() {
        let rate = rule(
            "per-ip",
            json!({"rate_based_statement": [{"limit": 1000, "aggregate_key_type": "IP"}]}),
        );
        let found = judge_edge(vec![rate], "aws_acm_certificate_validation.app", true);
        assert_eq!(
            statuses(&found),
            [
                ("HARD-01", Status::Pass),
                ("HARD-02", Status::Pass),
                ("DOM-01", Status::Pass),
                ("DOM-02", Status::Pass),
                ("DOM-03", Status::Pass)
            ],
            "{found:?}"
        );
    }

    #[test]
    fn a_certificate_the_plan_does_not_wait_for_is_pending_and_an_unread_rule_group_is_unknown() {
        let group = rule(
            "shared",
            json!({"rule_group_reference_statement": [{"rule_action_override": []}]}),
        );
        let found = judge_edge(vec![group], "aws_acm_certificate.app", false);
        assert_eq!(found[1].status, Status::Error, "{found:?}");
        assert!(
            found[1]
                .message
                .contains("rule group the plan does not hold"),
            "{found:?}"
        );
        assert_eq!(found[3].status, Status::Fail, "{found:?}");
        assert!(found[3].message.contains("PENDING_VALIDATION"), "{found:?}");
    }

    #[test]
    fn a_certificate_known_only_after_apply_is_a_certificate_not_judged() {
        let found = judge_edge(vec![], "module.certificates", false);
        assert_eq!(
            found[2].status,
            Status::Pass,
            "DOM-01: it has one: {found:?}"
        );
        assert_eq!(found[3].status, Status::Manual, "DOM-02: {found:?}");
        assert!(
            found[3].message.contains("known only after apply"),
            "{found:?}"
        );
    }

    #[test]
    fn a_regional_web_acl_of_the_same_name_leaves_cloudfronts_alone() {
        use crate::inventory::{Distribution, WebAcl};
        let acl = "arn:aws:wafv2:us-east-1:1:global/webacl/edge/abc";
        let mut base = super::super::testing::account("1");
        base.cloudfront = Some(Collected::Ok(CloudFront {
            distributions: vec![Distribution {
                id: "E1".into(),
                arn: "arn:aws:cloudfront::1:distribution/E1".into(),
                domain_name: "d1.cloudfront.net".into(),
                enabled: true,
                aliases: vec![],
                web_acl_id: Some(acl.into()),
                acm_certificate_arn: None,
                iam_certificate_id: None,
                geo_restriction: "none".into(),
                geo_locations: vec![],
            }],
            web_acls: vec![WebAcl {
                arn: acl.into(),
                name: "edge".into(),
                rules: vec!["per-ip".into()],
                rate_based_rules: vec!["per-ip".into()],
                error: None,
                rule_group_errors: vec![],
            }],
        }));
        let regional = resource(
            "aws_wafv2_web_acl",
            "api",
            json!({"name": "edge", "scope": "REGIONAL", "rule": []}),
        );
        let found = judge(
            &plan("eu-west-1", vec![regional], vec![], vec![]),
            &base,
            &["HARD-02"],
        );
        assert_eq!(found[0].status, Status::Pass, "{found:?}");
    }
}
