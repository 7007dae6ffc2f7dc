//! The config's scope: which of the account's resources are the application's, so that a
//! shared account is judged on one application only (`[scope]` in prodready.toml).
//!
//! The collected inventory is kept whole in the evidence; the rules see a narrowed copy, and
//! the evidence lists every resource left out, so a reader sees what was not judged and why.
//! Account-wide controls (trails, detectors, dashboards, topics, pipelines, OIDC providers,
//! backup plans, flow logs, hosted zones, certificates) are never narrowed: they serve every
//! application of the account.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::Scope;
use crate::inventory::{Collected, Inventory, Regional, Tags};

/// The resource tags of every region collected, merged: ARNs are unique across regions.
struct TagIndex<'a> {
    by_arn: BTreeMap<&'a str, &'a BTreeMap<String, String>>,
    /// Regions whose tags could not be read: their resources cannot be told apart and stay in.
    unreadable: Vec<&'a str>,
}

impl<'a> TagIndex<'a> {
    fn new(tags: &'a Regional<Tags>) -> Self {
        let mut by_arn = BTreeMap::new();
        let mut unreadable = Vec::new();
        for (region, part) in tags {
            match part {
                Collected::Ok(t) => by_arn.extend(t.resources.iter().map(|(k, v)| (k.as_str(), v))),
                Collected::Error(_) => unreadable.push(region.as_str()),
            }
        }
        TagIndex { by_arn, unreadable }
    }
}

/// Decides, resource by resource, and remembers what it left out.
struct Judge<'a> {
    scope: &'a Scope,
    tags: TagIndex<'a>,
    excluded: Vec<String>,
}

impl Judge<'_> {
    fn name_matches(&self, name: Option<&str>) -> bool {
        if self.scope.name_prefixes.is_empty() {
            return true;
        }
        // A resource without a name (a KMS key) is judged by its tags alone.
        let Some(name) = name else { return true };
        let name = name.to_lowercase();
        self.scope.name_prefixes.iter().any(|p| {
            let p = p.to_lowercase();
            name.starts_with(&p) || name.split('/').any(|segment| segment.starts_with(&p))
        })
    }

    fn tags_match(&self, arn: &str, region: &str) -> bool {
        if self.scope.tags.is_empty() || self.tags.unreadable.contains(&region) {
            return true;
        }
        let Some(tags) = self.tags.by_arn.get(arn) else {
            return false;
        };
        self.scope.tags.iter().all(|(k, v)| tags.get(k) == Some(v))
    }

    fn in_scope(&self, arn: &str, name: Option<&str>, region: &str) -> bool {
        self.name_matches(name) && self.tags_match(arn, region)
    }

    /// Keeps the items in scope; records the ARNs of the others.
    fn keep<T>(
        &mut self,
        items: &mut Vec<T>,
        region: &str,
        arn: impl Fn(&T) -> &str,
        name: impl Fn(&T) -> Option<&str>,
    ) {
        let (kept, left): (Vec<T>, Vec<T>) = std::mem::take(items)
            .into_iter()
            .partition(|i| self.in_scope(arn(i), name(i), region));
        self.excluded.extend(left.iter().map(|i| arn(i).to_owned()));
        *items = kept;
    }
}

impl Judge<'_> {
    /// Keeps the items in scope and those `linked` to what is in scope; records the others.
    fn keep_linked<T>(
        &mut self,
        items: &mut Vec<T>,
        region: &str,
        arn: impl Fn(&T) -> &str,
        name: impl Fn(&T) -> Option<&str>,
        linked: impl Fn(&T) -> bool,
    ) {
        let (kept, left): (Vec<T>, Vec<T>) = std::mem::take(items)
            .into_iter()
            .partition(|i| linked(i) || self.in_scope(arn(i), name(i), region));
        self.excluded.extend(left.iter().map(|i| arn(i).to_owned()));
        *items = kept;
    }
}

/// What the in-scope services use, whatever its own name and tags: their target groups (and
/// through them load balancers), log groups, image repositories and secrets. These are
/// rarely tagged (a target group's name has 32 characters), yet judging them is judging the
/// application.
#[derive(Default)]
struct Links {
    target_groups: BTreeSet<String>,
    log_groups: BTreeSet<String>,
    repositories: BTreeSet<String>,
    /// Secret names (or name-and-suffix) from `valueFrom`.
    secrets: BTreeSet<String>,
}

impl Links {
    fn of_services(ecs: &crate::inventory::Ecs) -> Links {
        let mut links = Links::default();
        for s in &ecs.services {
            links.target_groups.extend(
                s.load_balancers
                    .iter()
                    .filter_map(|l| l.target_group_arn.clone()),
            );
        }
        for c in ecs.task_definitions.iter().flat_map(|t| &t.containers) {
            links.log_groups.extend(c.log_group.clone());
            // ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY[:TAG|@DIGEST]
            if let Some((host, path)) = c.image.as_deref().and_then(|i| i.split_once('/')) {
                if host.contains(".dkr.ecr.") {
                    let repo = path.split(['@', ':']).next().unwrap_or(path);
                    links.repositories.insert(repo.to_owned());
                }
            }
            links
                .secrets
                .extend(c.secrets.iter().filter_map(|r| secret_name(&r.value_from)));
        }
        links
    }

    fn secret(&self, s: &crate::inventory::Secret) -> bool {
        let arn_name = s.arn.split(":secret:").nth(1).unwrap_or_default();
        self.secrets
            .iter()
            .any(|n| n == &s.name || n == arn_name || arn_name.starts_with(&format!("{n}-")))
    }
}

/// The secret a `valueFrom` names: a Secrets Manager ARN (complete or partial, possibly with a
/// JSON key, version stage and version id after it) or a secret's name; SSM parameters are not
/// secrets of Secrets Manager.
fn secret_name(value_from: &str) -> Option<String> {
    match value_from.split_once(":secret:") {
        Some((_, rest)) => rest.split(':').next().map(str::to_owned),
        None if value_from.starts_with("arn:") => None,
        None => Some(value_from.to_owned()),
    }
}

/// The dimension values by which CloudWatch names the in-scope resources: services, target
/// groups and load balancers (the ends of their ARNs), tables, functions, buckets.
fn watched_names(out: &Inventory) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for ecs in out.ecs.values().filter_map(Collected::ok) {
        names.extend(ecs.services.iter().map(|s| s.name.clone()));
    }
    for e in out.elbv2.values().filter_map(Collected::ok) {
        names.extend(
            e.target_groups
                .iter()
                .filter_map(|t| t.arn.rsplit_once(':').map(|(_, tail)| tail.to_owned())),
        );
        names.extend(e.load_balancers.iter().filter_map(|l| {
            l.arn
                .split_once(":loadbalancer/")
                .map(|(_, id)| id.to_owned())
        }));
    }
    for d in out.dynamodb.values().filter_map(Collected::ok) {
        names.extend(d.tables.iter().map(|t| t.name.clone()));
    }
    for l in out.lambda.values().filter_map(Collected::ok) {
        names.extend(l.functions.iter().map(|f| f.name.clone()));
    }
    if let Some(Collected::Ok(s3)) = &out.s3 {
        names.extend(s3.buckets.iter().map(|b| b.name.clone()));
    }
    names
}

/// Whether an alarm watches one of `names` (any dimension of its metric or metric math).
fn watches_any(a: &crate::inventory::Alarm, names: &BTreeSet<String>) -> bool {
    a.metric
        .iter()
        .chain(&a.math_metrics)
        .flat_map(|m| m.dimensions.values())
        .any(|v| names.contains(v))
}

/// Applies `f` to each collected region of a part.
fn each<T>(part: &mut Regional<T>, mut f: impl FnMut(&str, &mut T)) {
    for (region, collected) in part.iter_mut() {
        if let Collected::Ok(v) = collected {
            f(region, v);
        }
    }
}

/// What the rules judge: the inventory narrowed to the scope, and the ARNs left out (sorted).
/// Services and data are judged by their own names and tags; what they use follows them.
pub fn narrow(inv: &Inventory, scope: &Scope) -> (Inventory, Vec<String>) {
    let mut out = inv.clone();
    if scope.is_everything() {
        return (out, Vec::new());
    }
    let mut j = Judge {
        scope,
        tags: TagIndex::new(&inv.tags),
        excluded: Vec::new(),
    };
    each(&mut out.ecs, |region, ecs| narrow_ecs(&mut j, region, ecs));
    let links: BTreeMap<String, Links> = out
        .ecs
        .iter()
        .filter_map(|(r, e)| e.ok().map(|e| (r.clone(), Links::of_services(e))))
        .collect();
    narrow_used(&mut j, &mut out, &links);
    narrow_data(&mut j, &mut out);
    narrow_keys(&mut j, &mut out);
    narrow_alarms(&mut j, &mut out);
    narrow_security_groups(&mut j, &mut out, inv);
    if let Some(Collected::Ok(cf)) = &mut out.cloudfront {
        // Distributions have no name: their tags (read in us-east-1) decide.
        let global = crate::partition::global_region(inv.partition());
        j.keep(&mut cf.distributions, global, |d| &d.arn, |_| None);
    }
    let mut excluded = j.excluded;
    excluded.sort();
    excluded.dedup();
    (out, excluded)
}

/// What the services in scope use follows them: their target groups and the load balancers
/// those serve, their log groups, secrets and image repositories.
fn narrow_used(j: &mut Judge, out: &mut Inventory, links: &BTreeMap<String, Links>) {
    let none = Links::default();
    let linked = |region: &str| links.get(region).unwrap_or(&none);
    each(&mut out.elbv2, |region, e| {
        let l = linked(region);
        j.keep_linked(
            &mut e.target_groups,
            region,
            |t| &t.arn,
            |t| Some(&t.name),
            |t| l.target_groups.contains(&t.arn),
        );
        let serving: BTreeSet<String> = e
            .target_groups
            .iter()
            .flat_map(|t| t.load_balancer_arns.clone())
            .collect();
        j.keep_linked(
            &mut e.load_balancers,
            region,
            |l| &l.arn,
            |l| Some(&l.name),
            |l| serving.contains(&l.arn),
        );
    });
    each(&mut out.logs, |region, l| {
        let used = &linked(region).log_groups;
        j.keep_linked(
            &mut l.groups,
            region,
            |g| &g.arn,
            |g| Some(&g.name),
            |g| used.contains(&g.name),
        )
    });
    each(&mut out.secretsmanager, |region, s| {
        let l = linked(region);
        j.keep_linked(
            &mut s.secrets,
            region,
            |s| &s.arn,
            |s| Some(&s.name),
            |s| l.secret(s),
        )
    });
    each(&mut out.ecr, |region, e| {
        let used = &linked(region).repositories;
        j.keep_linked(
            &mut e.repositories,
            region,
            |r| &r.arn,
            |r| Some(&r.name),
            |r| used.contains(&r.name),
        )
    });
}

/// Data is judged by its own names and tags; the Terraform state and its lock always stay.
fn narrow_data(j: &mut Judge, out: &mut Inventory) {
    // The Terraform state and its lock serve the application whatever they are called
    // (often one bucket and one table for every stack of the account).
    each(&mut out.dynamodb, |region, d| {
        j.keep_linked(
            &mut d.tables,
            region,
            |t| &t.arn,
            |t| Some(&t.name),
            |t| t.hash_key.as_ref().is_some_and(|k| k.name == "LockID"),
        )
    });
    each(&mut out.lambda, |region, l| {
        j.keep(&mut l.functions, region, |f| &f.arn, |f| Some(&f.name))
    });
    if let Some(Collected::Ok(s3)) = &mut out.s3 {
        let mut buckets = std::mem::take(&mut s3.buckets);
        let (kept, left): (Vec<_>, Vec<_>) = buckets.drain(..).partition(|b| {
            let holds_state =
                matches!(&b.state_files, Some(Collected::Ok(files)) if !files.is_empty());
            holds_state
                || j.in_scope(
                    &b.arn,
                    Some(&b.name),
                    b.region.as_deref().unwrap_or_default(),
                )
        });
        j.excluded.extend(left.into_iter().map(|b| b.arn));
        s3.buckets = kept;
    }
}

/// A service belongs to the application when it, or its cluster, does; a cluster when it
/// matches or runs a service that stays; task definitions follow the services that run them.
fn narrow_ecs(j: &mut Judge, region: &str, ecs: &mut crate::inventory::Ecs) {
    let clusters_in: Vec<String> = ecs
        .clusters
        .iter()
        .filter(|c| j.in_scope(&c.arn, Some(&c.name), region))
        .map(|c| c.arn.clone())
        .collect();
    let (kept, left): (Vec<_>, Vec<_>) =
        std::mem::take(&mut ecs.services)
            .into_iter()
            .partition(|s| {
                clusters_in.contains(&s.cluster_arn) || j.in_scope(&s.arn, Some(&s.name), region)
            });
    j.excluded.extend(left.into_iter().map(|s| s.arn));
    ecs.services = kept;
    let kept_clusters: Vec<String> = ecs
        .services
        .iter()
        .map(|s| s.cluster_arn.clone())
        .chain(clusters_in)
        .collect();
    let (kept, left): (Vec<_>, Vec<_>) = std::mem::take(&mut ecs.clusters)
        .into_iter()
        .partition(|c| kept_clusters.contains(&c.arn));
    j.excluded.extend(left.into_iter().map(|c| c.arn));
    ecs.clusters = kept;
    let families: Vec<String> = ecs
        .services
        .iter()
        .filter_map(|s| s.task_definition.clone())
        .collect();
    let (kept, left): (Vec<_>, Vec<_>) = std::mem::take(&mut ecs.task_definitions)
        .into_iter()
        .partition(|t| families.contains(&t.arn));
    j.excluded.extend(left.into_iter().map(|t| t.arn));
    ecs.task_definitions = kept;
}

/// KMS keys belong to the application when they match, or when its tables, log groups,
/// buckets or secrets are encrypted with them.
fn narrow_keys(j: &mut Judge, out: &mut Inventory) {
    let mut used: BTreeSet<String> = BTreeSet::new();
    for d in out.dynamodb.values().filter_map(Collected::ok) {
        used.extend(d.tables.iter().filter_map(|t| t.kms_key_arn.clone()));
    }
    for l in out.logs.values().filter_map(Collected::ok) {
        used.extend(l.groups.iter().filter_map(|g| g.kms_key_id.clone()));
    }
    if let Some(Collected::Ok(s3)) = &out.s3 {
        used.extend(s3.buckets.iter().filter_map(|b| {
            b.encryption
                .ok()
                .and_then(|e| e.as_ref())
                .and_then(|e| e.kms_key.clone())
        }));
    }
    each(&mut out.kms, |region, k| {
        j.keep_linked(
            &mut k.keys,
            region,
            |k| &k.arn,
            |_| None,
            |k| used.contains(&k.arn) || used.contains(&k.id),
        )
    });
}

/// Alarms belong to the application when they match, when they watch one of its resources
/// (by the metric's dimensions), or when they are composite alarms combining such alarms.
fn narrow_alarms(j: &mut Judge, out: &mut Inventory) {
    let names = watched_names(out);
    each(&mut out.cloudwatch, |region, cw| {
        let mut kept: BTreeSet<String> = cw
            .alarms
            .iter()
            .filter(|a| watches_any(a, &names) || j.in_scope(&a.arn, Some(&a.name), region))
            .map(|a| a.name.clone())
            .collect();
        // Composites of composites: follow the rules until nothing new is kept.
        loop {
            let before = kept.len();
            for a in &cw.alarms {
                let combines_kept = a.rule.as_deref().is_some_and(|rule| {
                    crate::checks::alarm_rule_children(rule)
                        .iter()
                        .any(|c| kept.contains(c))
                });
                if combines_kept {
                    kept.insert(a.name.clone());
                }
            }
            if kept.len() == before {
                break;
            }
        }
        let (alarms, left): (Vec<_>, Vec<_>) = std::mem::take(&mut cw.alarms)
            .into_iter()
            .partition(|a| kept.contains(&a.name));
        j.excluded.extend(left.into_iter().map(|a| a.arn));
        cw.alarms = alarms;
    });
}

/// Security groups belong to the application when its services or load balancers use them,
/// whatever they are called.
fn narrow_security_groups(j: &mut Judge, out: &mut Inventory, inv: &Inventory) {
    let used_groups: Vec<String> = out
        .ecs
        .values()
        .filter_map(Collected::ok)
        .flat_map(|e| e.services.iter().flat_map(|s| s.security_groups.clone()))
        .chain(out.elbv2.values().filter_map(Collected::ok).flat_map(|e| {
            e.load_balancers
                .iter()
                .flat_map(|l| l.security_groups.clone())
        }))
        .collect();
    each(&mut out.security_groups, |region, sgs| {
        let (kept, left): (Vec<_>, Vec<_>) =
            std::mem::take(&mut sgs.groups).into_iter().partition(|g| {
                used_groups.contains(&g.id) || {
                    let arn = inv.security_group_arn(region, &g.id);
                    j.in_scope(&arn, Some(&g.name), region)
                }
            });
        j.excluded.extend(left.into_iter().map(|g| g.id));
        sgs.groups = kept;
    });
}

#[cfg(test)]
// Tests build whole inventories by hand; their length is the case, not a function to split.
#[allow(clippy::too_many_lines)]
mod tests {
    use super::*;
    use crate::checks::testing::{bucket, inventory_at, table, REGION};
    use crate::inventory::{DynamoDb, LogGroup, Logs, S3};

    fn scope(tags: &[(&str, &str)], prefixes: &[&str]) -> Scope {
        Scope {
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            name_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn shared_account() -> Inventory {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                tables: vec![table("mra-mines-maps"), table("billing-invoices")],
                ..DynamoDb::default()
            }),
        );
        inv.logs.insert(
            REGION.into(),
            Collected::Ok(Logs {
                groups: ["/ecs/mra-mines-frontend", "/aws/lambda/billing-export"]
                    .iter()
                    .map(|n| LogGroup {
                        created: None,
                        arn: format!("arn:aws:logs:{REGION}:111122223333:log-group:{n}"),
                        name: n.to_string(),
                        retention_days: None,
                        stored_bytes: None,
                        kms_key_id: None,
                        class: None,
                    })
                    .collect(),
            }),
        );
        inv.s3 = Some(Collected::Ok(S3 {
            buckets: vec![
                bucket("mra-mines-input", REGION),
                bucket("billing-exports", REGION),
            ],
            account_public_access_block: None,
        }));
        let mut tags = Tags::default();
        tags.resources.insert(
            table("billing-invoices").arn,
            [("Project".to_owned(), "mra-mines".to_owned())].into(),
        );
        inv.tags.insert(REGION.into(), Collected::Ok(tags));
        inv
    }

    #[test]
    fn name_prefixes_keep_the_application_and_list_what_they_leave_out() {
        let inv = shared_account();
        let (judged, excluded) = narrow(&inv, &scope(&[], &["mra-mines"]));
        let ddb = judged.dynamodb[REGION].ok().unwrap();
        assert_eq!(ddb.tables.len(), 1);
        assert_eq!(ddb.tables[0].name, "mra-mines-maps");
        // A log group's path segment counts.
        let logs = judged.logs[REGION].ok().unwrap();
        assert_eq!(logs.groups[0].name, "/ecs/mra-mines-frontend");
        assert_eq!(logs.groups.len(), 1);
        assert_eq!(
            excluded,
            [
                "arn:aws:dynamodb:eu-west-1:111122223333:table/billing-invoices",
                "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/billing-export",
                "arn:aws:s3:::billing-exports",
            ]
        );
        // The collected inventory is untouched: the evidence keeps it whole.
        assert_eq!(inv.dynamodb[REGION].ok().unwrap().tables.len(), 2);
    }

    #[test]
    fn tags_must_all_match_and_unreadable_tags_keep_everything() {
        let mut inv = shared_account();
        let (judged, _) = narrow(&inv, &scope(&[("Project", "mra-mines")], &[]));
        let tables = &judged.dynamodb[REGION].ok().unwrap().tables;
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].name, "billing-invoices");
        let (judged, _) = narrow(
            &inv,
            &scope(&[("Project", "mra-mines"), ("Env", "prod")], &[]),
        );
        assert!(judged.dynamodb[REGION].ok().unwrap().tables.is_empty());
        inv.tags.insert(
            REGION.into(),
            Collected::Error(crate::checks::testing::denied(
                "tag",
                "GetResources",
                REGION,
            )),
        );
        let (judged, excluded) = narrow(&inv, &scope(&[("Project", "mra-mines")], &[]));
        assert_eq!(judged.dynamodb[REGION].ok().unwrap().tables.len(), 2);
        assert!(excluded.is_empty());
    }

    #[test]
    fn no_scope_changes_nothing() {
        let inv = shared_account();
        let (judged, excluded) = narrow(&inv, &Scope::default());
        assert_eq!(judged, inv);
        assert!(excluded.is_empty());
    }

    #[test]
    fn what_an_in_scope_service_uses_follows_it_whatever_its_name() {
        use crate::inventory::*;
        let tg =
            format!("arn:aws:elasticloadbalancing:{REGION}:111122223333:targetgroup/tg-7f3a/abc");
        let lb = format!(
            "arn:aws:elasticloadbalancing:{REGION}:111122223333:loadbalancer/app/web-1/def"
        );
        let other_tg =
            format!("arn:aws:elasticloadbalancing:{REGION}:111122223333:targetgroup/other/123");
        let td = format!("arn:aws:ecs:{REGION}:111122223333:task-definition/mra-mines-frontend:3");
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        let mut frontend = crate::checks::testing::service("mra-mines-frontend", 3, 3);
        frontend.task_definition = Some(td.clone());
        frontend.load_balancers = vec![ServiceLoadBalancer {
            target_group_arn: Some(tg.clone()),
            load_balancer_name: None,
            container_name: None,
            container_port: None,
        }];
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                services: vec![frontend, crate::checks::testing::service("billing", 3, 3)],
                task_definitions: vec![TaskDefinition {
                    cpu_architecture: None,
                    arn: td,
                    family: "mra-mines-frontend".into(),
                    revision: 3,
                    cpu: None,
                    memory: None,
                    containers: vec![Container {
                        name: "web".into(),
                        image: Some(
                            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.2@sha256:00".into(),
                        ),
                        environment: vec![],
                        secrets: vec![SecretReference {
                            name: "DB".into(),
                            value_from: format!(
                                "arn:aws:secretsmanager:{REGION}:111122223333:secret:db-creds-AbCdEf:password::"
                            ),
                        }],
                        log_group: Some("/ecs/web".into()),
                        ports: Some(vec![8080]),
                        health_check: None,
                    }],
                }],
                ..Ecs::default()
            }),
        );
        let target_group = |arn: &str, lbs: Vec<String>| TargetGroup {
            arn: arn.into(),
            name: arn.rsplit('/').nth(1).unwrap_or_default().into(),
            load_balancer_arns: lbs,
            protocol: None,
            port: None,
            target_type: None,
            health_check_enabled: Some(true),
            health_check_path: None,
            health_check_interval_seconds: None,
            healthy_threshold: None,
            unhealthy_threshold: None,
        };
        inv.elbv2.insert(
            REGION.into(),
            Collected::Ok(Elbv2 {
                load_balancers: vec![LoadBalancer {
                    arn: lb.clone(),
                    name: "web-1".into(),
                    kind: "application".into(),
                    scheme: None,
                    availability_zones: vec![],
                    security_groups: vec![],
                    access_logs_bucket: None,
                    attributes_error: None,
                }],
                target_groups: vec![target_group(&tg, vec![lb]), target_group(&other_tg, vec![])],
                incomplete: None,
            }),
        );
        let group = |name: &str| LogGroup {
            created: None,
            arn: format!("arn:aws:logs:{REGION}:111122223333:log-group:{name}"),
            name: name.into(),
            retention_days: None,
            stored_bytes: None,
            kms_key_id: None,
            class: None,
        };
        inv.logs.insert(
            REGION.into(),
            Collected::Ok(Logs {
                groups: vec![group("/ecs/web"), group("/ecs/billing")],
            }),
        );
        let alarm = |name: &str, dims: &[(&str, &str)], rule: Option<&str>| Alarm {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:{REGION}:111122223333:alarm:{name}"),
            kind: if rule.is_some() {
                "composite"
            } else {
                "metric"
            }
            .into(),
            metric: (!dims.is_empty()).then(|| MetricRef {
                namespace: "AWS/ApplicationELB".into(),
                name: "UnHealthyHostCount".into(),
                dimensions: dims
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }),
            math_metrics: vec![],
            actions_enabled: true,
            alarm_actions: vec![],
            state: None,
            rule: rule.map(str::to_owned),
            expressions: vec![],
        };
        inv.cloudwatch.insert(
            REGION.into(),
            Collected::Ok(CloudWatch {
                alarms: vec![
                    alarm(
                        "unhealthy",
                        &[("TargetGroup", "targetgroup/tg-7f3a/abc")],
                        None,
                    ),
                    alarm("page", &[], Some("ALARM(unhealthy)")),
                    alarm("billing-cpu", &[("ServiceName", "billing")], None),
                ],
                dashboards: vec![],
                alarm_errors: vec![],
            }),
        );
        let (judged, excluded) = narrow(&inv, &scope(&[], &["mra-mines"]));
        let e = judged.elbv2[REGION].ok().unwrap();
        assert_eq!(
            e.target_groups.len(),
            1,
            "the service's target group, named tg-7f3a"
        );
        assert_eq!(e.load_balancers.len(), 1, "the load balancer it serves");
        let logs = judged.logs[REGION].ok().unwrap();
        assert_eq!(logs.groups.len(), 1);
        assert_eq!(logs.groups[0].name, "/ecs/web");
        let alarms: Vec<&str> = judged.cloudwatch[REGION]
            .ok()
            .unwrap()
            .alarms
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(alarms, ["unhealthy", "page"]);
        assert!(excluded.contains(&other_tg));
        assert!(excluded.iter().any(|a| a.ends_with(":alarm:billing-cpu")));
        let links = Links::of_services(judged.ecs[REGION].ok().unwrap());
        assert!(links.repositories.contains("web"));
        assert!(links.secrets.contains("db-creds-AbCdEf"));
    }

    #[test]
    fn the_terraform_state_and_its_lock_stay_whatever_their_names() {
        let mut inv = shared_account();
        let mut lock = table("terraform-locks");
        lock.hash_key = Some(crate::inventory::KeyAttribute {
            name: "LockID".into(),
            kind: Some("S".into()),
        });
        let mut state = bucket("acme-tfstate", REGION);
        state.state_files = Some(Collected::Ok(vec!["app/terraform.tfstate".into()]));
        if let Some(Collected::Ok(d)) = inv.dynamodb.get_mut(REGION) {
            d.tables.push(lock);
        }
        if let Some(Collected::Ok(s3)) = &mut inv.s3 {
            s3.buckets.push(state);
        }
        let (judged, _) = narrow(&inv, &scope(&[], &["mra-mines"]));
        let tables: Vec<&str> = judged.dynamodb[REGION]
            .ok()
            .unwrap()
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(tables, ["mra-mines-maps", "terraform-locks"]);
        let Some(Collected::Ok(s3)) = &judged.s3 else {
            panic!("s3")
        };
        assert!(s3.buckets.iter().any(|b| b.name == "acme-tfstate"));
    }

    #[test]
    fn secret_names_come_from_value_from_in_every_documented_form() {
        let full = "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf";
        assert_eq!(secret_name(full).as_deref(), Some("db-AbCdEf"));
        assert_eq!(
            secret_name(&format!("{full}:password:AWSCURRENT:")).as_deref(),
            Some("db-AbCdEf")
        );
        assert_eq!(secret_name("db").as_deref(), Some("db"));
        assert_eq!(secret_name("arn:aws:ssm:eu-west-1:1:parameter/db"), None);
    }
}
