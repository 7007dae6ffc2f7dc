//! The config's scope: which of the account's resources are the application's, so that a
//! shared account is judged on one application only (`[scope]` in prodready.toml).
//!
//! The collected inventory is kept whole in the evidence; the rules see a narrowed copy, and
//! the evidence lists every resource left out, so a reader sees what was not judged and why.
//! Account-wide controls (trails, detectors, dashboards, topics, pipelines, OIDC providers,
//! backup plans, flow logs, hosted zones, certificates) are never narrowed: they serve every
//! application of the account.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::inventory::{Collected, Inventory, Regional, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scope {
    /// Tags a resource must carry, every one (`Project = "mra-mines"`).
    pub tags: BTreeMap<String, String>,
    /// Name prefixes, any one of which a resource's name (or one of its path segments, for
    /// log groups such as `/ecs/mra-mines-frontend`) must start with.
    pub name_prefixes: Vec<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.tags.is_empty() && self.name_prefixes.is_empty()
    }
}

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

/// Applies `f` to each collected region of a part.
fn each<T>(part: &mut Regional<T>, mut f: impl FnMut(&str, &mut T)) {
    for (region, collected) in part.iter_mut() {
        if let Collected::Ok(v) = collected {
            f(region, v);
        }
    }
}

/// What the rules judge: the inventory narrowed to the scope, and the ARNs left out (sorted).
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

    each(&mut out.ecs, |region, ecs| {
        // A service belongs to the application when it, or its cluster, does.
        let clusters_in: Vec<String> = ecs
            .clusters
            .iter()
            .filter(|c| j.in_scope(&c.arn, Some(&c.name), region))
            .map(|c| c.arn.clone())
            .collect();
        let (kept, left): (Vec<_>, Vec<_>) = std::mem::take(&mut ecs.services)
            .into_iter()
            .partition(|s| {
                clusters_in.contains(&s.cluster_arn) || j.in_scope(&s.arn, Some(&s.name), region)
            });
        j.excluded.extend(left.into_iter().map(|s| s.arn));
        ecs.services = kept;
        // A cluster stays when it matches or runs a service that stays.
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
        // Task definitions follow the services that run them.
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
    });
    each(&mut out.elbv2, |region, e| {
        j.keep(&mut e.load_balancers, region, |l| &l.arn, |l| Some(&l.name));
        j.keep(&mut e.target_groups, region, |t| &t.arn, |t| Some(&t.name));
    });
    each(&mut out.dynamodb, |region, d| {
        j.keep(&mut d.tables, region, |t| &t.arn, |t| Some(&t.name))
    });
    each(&mut out.logs, |region, l| {
        j.keep(&mut l.groups, region, |g| &g.arn, |g| Some(&g.name))
    });
    each(&mut out.kms, |region, k| {
        j.keep(&mut k.keys, region, |k| &k.arn, |_| None)
    });
    each(&mut out.lambda, |region, l| {
        j.keep(&mut l.functions, region, |f| &f.arn, |f| Some(&f.name))
    });
    each(&mut out.secretsmanager, |region, s| {
        j.keep(&mut s.secrets, region, |s| &s.arn, |s| Some(&s.name))
    });
    each(&mut out.ecr, |region, e| {
        j.keep(&mut e.repositories, region, |r| &r.arn, |r| Some(&r.name))
    });
    each(&mut out.cloudwatch, |region, cw| {
        j.keep(&mut cw.alarms, region, |a| &a.arn, |a| Some(&a.name))
    });
    // Security groups belong to the application when its services or load balancers use
    // them, whatever they are called.
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
                    let arn = format!(
                        "arn:{}:ec2:{region}:{}:security-group/{}",
                        inv.partition(),
                        inv.account_id,
                        g.id
                    );
                    j.in_scope(&arn, Some(&g.name), region)
                }
            });
        j.excluded.extend(left.into_iter().map(|g| g.id));
        sgs.groups = kept;
    });
    if let Some(Collected::Ok(s3)) = &mut out.s3 {
        let mut buckets = std::mem::take(&mut s3.buckets);
        let (kept, left): (Vec<_>, Vec<_>) = buckets.drain(..).partition(|b| {
            j.in_scope(
                &b.arn,
                Some(&b.name),
                b.region.as_deref().unwrap_or_default(),
            )
        });
        j.excluded.extend(left.into_iter().map(|b| b.arn));
        s3.buckets = kept;
    }
    if let Some(Collected::Ok(cf)) = &mut out.cloudfront {
        // Distributions have no name: their tags (read in us-east-1) decide.
        j.keep(&mut cf.distributions, "us-east-1", |d| &d.arn, |_| None);
    }
    let mut excluded = j.excluded;
    excluded.sort();
    excluded.dedup();
    (out, excluded)
}

#[cfg(test)]
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
                        arn: format!("arn:aws:logs:{REGION}:111122223333:log-group:{n}"),
                        name: n.to_string(),
                        retention_days: None,
                        stored_bytes: None,
                        kms_key_id: None,
                    })
                    .collect(),
            }),
        );
        inv.s3 = Some(Collected::Ok(S3 {
            buckets: vec![
                bucket("mra-mines-input", REGION),
                bucket("billing-exports", REGION),
            ],
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
}
