//! A plan's security groups and their ingress rules, as `DescribeSecurityGroups` shows them.
//! Terraform writes ingress three ways: a group's inline `ingress` blocks, and rule resources
//! naming the group (`aws_security_group_rule` of type `ingress`,
//! `aws_vpc_security_group_ingress_rule`); a group gets its inline rules, then the plan's rule
//! resources naming it, less those the plan deletes. A group AWS has not named yet is known by
//! its address, as are the groups referencing it (a load balancer's, a rule's source).
//! Protocols are spelled as EC2 returns them (`6` is `tcp`, `all` is `-1`).

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, part, Context, Reader};
use super::values::{blocks, int, text};
use crate::inventory::{IngressRule, Inventory, SecurityGroup, SecurityGroups};

const GROUP: &str = "aws_security_group";
const RULE: &str = "aws_security_group_rule";
const INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";

pub(super) const FIREWALL: Reader = Reader {
    alone: true,
    kinds: &[GROUP, RULE, INGRESS_RULE],
    arn: |p, account| {
        (p.kind == GROUP).then(|| made_arn(p, "ec2", account, &format!("security-group/{}", id(p))))
    },
    remove: |inv, p, deleted| {
        let Some(sgs) = part::<SecurityGroups>(&mut inv.security_groups, &p.region) else {
            return;
        };
        if p.kind == GROUP {
            let id = id(p);
            sgs.groups.retain(|g| g.id != id);
            return;
        }
        // A deleted rule of a scanned group leaves it.
        let known = |r: &Planned, key: &str| text(&r.values, key).into_iter().collect();
        if let (true, Some(rule)) = (deleted, ingress(p, &known)) {
            let of = text(&p.values, "security_group_id");
            for g in sgs
                .groups
                .iter_mut()
                .filter(|g| of.as_deref() == Some(&g.id))
            {
                g.ingress.retain(|r| *r != rule);
            }
        }
    },
    add,
};

/// A group's ID, or its address while AWS has not named it.
fn id(p: &Planned) -> String {
    text(&p.values, "id").unwrap_or_else(|| p.address.clone())
}

fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let graph = &cx.graph;
    let sgs = part::<SecurityGroups>(&mut inv.security_groups, &p.region)?;
    if p.kind == GROUP {
        let group = group(p, cx);
        let arn = (FIREWALL.arn)(p, cx.account);
        sgs.groups.push(group);
        return arn;
    }
    // A rule of a group the plan holds came in with it; one of a scanned group joins it.
    let of = graph.ids_at(p, &["security_group_id"], &[GROUP]);
    let planned = graph.naming("security groups", &[GROUP], |g| vec![id(g)]);
    if of.iter().any(|g| planned.contains_key(g)) {
        return None;
    }
    let rule = ingress(p, &|r, key| graph.ids_at(r, &[key], &[GROUP]))?;
    for g in sgs.groups.iter_mut().filter(|g| of.contains(&g.id)) {
        g.ingress.push(rule.clone());
    }
    None
}

/// A planned group: its inline rules, the plan's rule resources naming it, less the rules the
/// plan deletes.
fn group(p: &Planned, cx: &Context) -> SecurityGroup {
    let graph = &cx.graph;
    let id = id(p);
    let mut rules: Vec<IngressRule> = blocks(&p.values, "ingress")
        .iter()
        .map(|r| inline(p, r))
        .collect();
    let ids = |r: &Planned, key: &str| graph.ids_at(r, &[key], &[GROUP]);
    let by_group = graph.naming("rules' groups", &[RULE, INGRESS_RULE], |r| {
        ids(r, "security_group_id")
    });
    for r in by_group.get(&id).into_iter().flatten() {
        if let Some(rule) = ingress(r, &ids) {
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    for gone in cx.deleted.iter().filter(|d| {
        [RULE, INGRESS_RULE].contains(&d.kind.as_str())
            && text(&d.values, "security_group_id").as_deref() == Some(id.as_str())
    }) {
        if let Some(rule) = ingress(gone, &ids) {
            rules.retain(|r| *r != rule);
        }
    }
    SecurityGroup {
        name: text(&p.values, "name").unwrap_or_else(|| p.address.clone()),
        vpc_id: text(&p.values, "vpc_id"),
        ingress: rules,
        id,
    }
}

fn protocol(p: &str) -> String {
    match p {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "all" | "-1" => "-1",
        other => other,
    }
    .to_owned()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    blocks(v, key)
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Ports as EC2 gives them: none for every protocol (`-1`).
fn ports(protocol: &str, v: &Value) -> (Option<i32>, Option<i32>) {
    if protocol == "-1" {
        (None, None)
    } else {
        (int(v, "from_port"), int(v, "to_port"))
    }
}

/// An inline `ingress` block of a planned group.
fn inline(p: &Planned, r: &Value) -> IngressRule {
    let protocol = protocol(&text(r, "protocol").unwrap_or_default());
    let (from_port, to_port) = ports(&protocol, r);
    let mut source_groups = strings(r, "security_groups");
    if r.get("self").and_then(Value::as_bool) == Some(true) {
        source_groups.push(id(p));
    }
    IngressRule {
        from_port,
        to_port,
        ipv4_ranges: strings(r, "cidr_blocks"),
        ipv6_ranges: strings(r, "ipv6_cidr_blocks"),
        source_groups,
        protocol,
    }
}

/// A rule resource's ingress rule: `aws_security_group_rule` of type `ingress`, or
/// `aws_vpc_security_group_ingress_rule` (one source each); `ids` gives the group IDs an
/// argument names.
fn ingress(p: &Planned, ids: &dyn Fn(&Planned, &str) -> Vec<String>) -> Option<IngressRule> {
    let v = &p.values;
    if p.kind == RULE {
        if text(v, "type").as_deref() != Some("ingress") {
            return None;
        }
        let protocol = protocol(&text(v, "protocol").unwrap_or_default());
        let (from_port, to_port) = ports(&protocol, v);
        let mut source_groups = ids(p, "source_security_group_id");
        if v.get("self").and_then(Value::as_bool) == Some(true) {
            source_groups.extend(ids(p, "security_group_id"));
        }
        return Some(IngressRule {
            from_port,
            to_port,
            ipv4_ranges: strings(v, "cidr_blocks"),
            ipv6_ranges: strings(v, "ipv6_cidr_blocks"),
            source_groups,
            protocol,
        });
    }
    let protocol = protocol(&text(v, "ip_protocol").unwrap_or_default());
    let (from_port, to_port) = ports(&protocol, v);
    Some(IngressRule {
        from_port,
        to_port,
        ipv4_ranges: text(v, "cidr_ipv4").into_iter().collect(),
        ipv6_ranges: text(v, "cidr_ipv6").into_iter().collect(),
        source_groups: ids(p, "referenced_security_group_id"),
        protocol,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deleted, expressions, judge, plan, refs, resource};
    use crate::checks::Status;
    use crate::inventory::{
        Collected, Elbv2, IngressRule, Inventory, SecurityGroup, SecurityGroups,
    };
    use serde_json::{json, Value};

    fn group_id(name: &str) -> Value {
        refs(&[
            &format!("aws_security_group.{name}.id"),
            &format!("aws_security_group.{name}"),
        ])
    }

    /// HARD-06 over a scan holding `sg-old` (SSH open to the world, by a rule resource the
    /// plan may delete): its findings by group ID.
    fn judge_groups(resources: Vec<Value>, deletions: Vec<Value>) -> Vec<(String, Status)> {
        let config = vec![
            expressions("aws_lb.web", json!({"security_groups": group_id("lb")})),
            expressions(
                "aws_vpc_security_group_ingress_rule.ssh",
                json!({"security_group_id": group_id("app")}),
            ),
        ];
        let plan = plan("eu-west-1", resources, config, deletions);
        let mut base = Inventory {
            account_id: "1".into(),
            ..Inventory::default()
        };
        base.elbv2
            .insert("eu-west-1".into(), Collected::Ok(Elbv2::default()));
        base.security_groups.insert(
            "eu-west-1".into(),
            Collected::Ok(SecurityGroups {
                groups: vec![SecurityGroup {
                    id: "sg-old".into(),
                    name: "old".into(),
                    vpc_id: None,
                    ingress: vec![IngressRule {
                        protocol: "tcp".into(),
                        from_port: Some(22),
                        to_port: Some(22),
                        ipv4_ranges: vec!["0.0.0.0/0".into()],
                        ipv6_ranges: vec![],
                        source_groups: vec![],
                    }],
                }],
            }),
        );
        judge(&plan, &base, &["HARD-06"])
            .into_iter()
            .map(|f| {
                let id = f.resource.rsplit('/').next().unwrap_or_default().to_owned();
                (id, f.status)
            })
            .collect()
    }

    #[test]
    fn new_groups_are_judged_with_their_rule_resources_and_the_load_balancer_using_them() {
        let https = json!({"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]});
        let found = judge_groups(
            vec![
                resource(
                    "aws_security_group",
                    "lb",
                    json!({"name": "lb", "ingress": [https]}),
                ),
                resource(
                    "aws_lb",
                    "web",
                    json!({"name": "web", "load_balancer_type": "application", "security_groups": [null]}),
                ),
                resource("aws_security_group", "app", json!({"name": "app"})),
                resource(
                    "aws_vpc_security_group_ingress_rule",
                    "ssh",
                    json!({"ip_protocol": "6",
                    "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"}),
                ),
            ],
            vec![],
        );
        assert_eq!(
            found,
            [
                ("sg-old".to_owned(), Status::Fail),
                ("aws_security_group.app".to_owned(), Status::Fail),
                ("aws_security_group.lb".to_owned(), Status::Pass),
            ]
        );
    }

    #[test]
    fn a_deleted_rule_leaves_its_scanned_group() {
        let gone = deleted(
            "aws_security_group_rule",
            "ssh",
            json!({"type": "ingress", "security_group_id": "sg-old", "protocol": "tcp",
                   "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
        );
        assert_eq!(
            judge_groups(vec![], vec![gone]),
            [("sg-old".to_owned(), Status::Pass)]
        );
    }

    #[test]
    fn alone_a_group_open_on_443_passes_only_when_the_plans_load_balancer_uses_it() {
        let https = json!({"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]});
        let ssh = json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]});
        let resources = vec![
            resource(
                "aws_security_group",
                "lb",
                json!({"name": "lb", "ingress": [https.clone()]}),
            ),
            resource(
                "aws_lb",
                "web",
                json!({"name": "web", "load_balancer_type": "application", "security_groups": [null]}),
            ),
            resource(
                "aws_security_group",
                "spare",
                json!({"name": "spare", "ingress": [https]}),
            ),
            resource(
                "aws_security_group",
                "debug",
                json!({"name": "debug", "ingress": [ssh]}),
            ),
        ];
        let config = vec![expressions(
            "aws_lb.web",
            json!({"security_groups": group_id("lb")}),
        )];
        let plan = plan("eu-west-1", resources, config, vec![]);
        let o = super::super::overlay(&plan, None, "1", "2026-12-01T00:00:00Z");
        let check = crate::checks::find("HARD-06").unwrap();
        let found: Vec<(String, Status)> =
            (check.rule)(&o.inventory, &crate::config::Config::default())
                .into_iter()
                .map(|f| {
                    let arn = f.resource_arn.unwrap_or_default();
                    (
                        arn.rsplit('/').next().unwrap_or_default().to_owned(),
                        f.status,
                    )
                })
                .collect();
        assert_eq!(
            found,
            [
                ("aws_security_group.debug".to_owned(), Status::Fail),
                ("aws_security_group.lb".to_owned(), Status::Pass),
                ("aws_security_group.spare".to_owned(), Status::Error),
            ],
            "another load balancer of the account may use the spare group"
        );
    }
}
