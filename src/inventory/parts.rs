//! Walking the inventory part by part. The parts are listed once, in the `inventory!`
//! declaration; what needs all of them (failed reads, an unreachable region) visits them.

use super::*;

/// One part of the inventory (ECS, S3 …).
pub trait Part {
    /// Reads that failed for one resource of a part otherwise read (a table that could not
    /// be described, a bucket whose versioning was denied).
    fn resource_errors(&self) -> Vec<CollectError> {
        Vec::new()
    }
}

/// Sees every part of an inventory.
pub trait PartVisitor {
    fn regional<T: Part>(&mut self, name: &'static str, part: &Regional<T>);
    fn global<T: Part>(&mut self, name: &'static str, part: &Option<Collected<T>>);
}

/// Changes every part of an inventory.
pub trait PartVisitorMut {
    fn regional<T: Part>(&mut self, name: &'static str, part: &mut Regional<T>);
    fn global<T: Part>(&mut self, name: &'static str, part: &mut Option<Collected<T>>);
}

impl Inventory {
    /// Every read that failed, part-wide or for one resource, in the parts' order.
    pub fn collection_errors(&self) -> Vec<CollectError> {
        struct Errors(Vec<CollectError>);
        impl Errors {
            fn add<T: Part>(&mut self, collected: &Collected<T>) {
                match collected {
                    Collected::Ok(part) => self.0.extend(part.resource_errors()),
                    Collected::Error(e) => self.0.push(e.clone()),
                }
            }
        }
        impl PartVisitor for Errors {
            fn regional<T: Part>(&mut self, _: &'static str, part: &Regional<T>) {
                part.values().for_each(|c| self.add(c));
            }
            fn global<T: Part>(&mut self, _: &'static str, part: &Option<Collected<T>>) {
                part.iter().for_each(|c| self.add(c));
            }
        }
        let mut errors = Errors(Vec::new());
        self.visit(&mut errors);
        errors.0
    }

    /// A region that could not be reached at all: every regional part of it is `failure`,
    /// so each check there says ERROR with the cause.
    pub fn unreachable_region(&mut self, failure: &CollectError) {
        struct Fail<'a>(&'a CollectError);
        impl PartVisitorMut for Fail<'_> {
            fn regional<T: Part>(&mut self, _: &'static str, part: &mut Regional<T>) {
                part.insert(self.0.region.clone(), Collected::Error(self.0.clone()));
            }
            fn global<T: Part>(&mut self, _: &'static str, _: &mut Option<Collected<T>>) {}
        }
        self.regions.push(failure.region.clone());
        self.visit_mut(&mut Fail(failure));
    }
}

fn errors_of<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    error: impl Fn(&'a T) -> Option<&'a CollectError>,
) -> impl Iterator<Item = CollectError> {
    items.into_iter().filter_map(error).cloned()
}

/// Parts whose reads are all part-wide: nothing fails for one resource alone.
macro_rules! whole_parts {
    ($($part:ty),* $(,)?) => { $(impl Part for $part {})* };
}

whole_parts!(
    Ec2,
    SecurityGroups,
    FlowLogs,
    Logs,
    CloudWatch,
    Events,
    Lambda,
    SecretsManager,
    AutoScaling,
    CodePipeline,
    Acm,
    Tags,
    Usage,
    Iam,
    NatGateways,
);

impl Part for TerraformInputs {
    fn resource_errors(&self) -> Vec<CollectError> {
        self.states.iter().filter_map(|s| s.error.clone()).collect()
    }
}

impl Part for Ecs {
    fn resource_errors(&self) -> Vec<CollectError> {
        self.service_errors
            .iter()
            .chain(&self.task_definition_errors)
            .map(|r| r.error.clone())
            .collect()
    }
}

impl Part for Elbv2 {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.load_balancers, |lb| lb.attributes_error.as_ref()).collect()
    }
}

impl Part for DynamoDb {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.tables, |t| t.backups_error.as_ref())
            .chain(self.errors.iter().map(|r| r.error.clone()))
            .chain(self.legacy_global_tables.error().cloned())
            .collect()
    }
}

impl Part for Kms {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.keys, |k| k.rotation_error.as_ref()).collect()
    }
}

impl Part for GuardDuty {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.detectors, |d| d.error.as_ref())
            .chain(errors_of(&self.detectors, |d| {
                d.usage_usd.as_ref().and_then(Collected::error)
            }))
            .collect()
    }
}

impl Part for Sns {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(self.confirmed_counts.values(), Collected::error).collect()
    }
}

impl Part for Backup {
    fn resource_errors(&self) -> Vec<CollectError> {
        let mut errors: Vec<CollectError> = self
            .restore_jobs
            .error()
            .into_iter()
            .chain(self.opt_in.error())
            .cloned()
            .collect();
        for plan in &self.plans {
            errors.extend(plan.error.clone());
            match &plan.selections {
                Collected::Ok(selections) => {
                    errors.extend(errors_of(selections, |s| s.error.as_ref()))
                }
                Collected::Error(e) => errors.push(e.clone()),
            }
        }
        errors
    }
}

impl Part for Ecr {
    fn resource_errors(&self) -> Vec<CollectError> {
        self.registry_scanning
            .error()
            .cloned()
            .into_iter()
            .collect()
    }
}

impl Part for CloudFront {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.web_acls, |a| a.error.as_ref())
            .chain(
                self.web_acls
                    .iter()
                    .flat_map(|a| a.rule_group_errors.clone()),
            )
            .collect()
    }
}

impl Part for Route53 {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.zones, |z| z.records.error()).collect()
    }
}

impl Part for S3 {
    fn resource_errors(&self) -> Vec<CollectError> {
        let mut errors: Vec<CollectError> = self
            .account_public_access_block
            .as_ref()
            .and_then(|a| a.error())
            .cloned()
            .into_iter()
            .collect();
        for b in &self.buckets {
            errors.extend(b.location_error.clone());
            let settings = [
                b.versioning.error(),
                b.encryption.error(),
                b.public_access_block.error(),
                b.lifecycle.error(),
                b.state_files.as_ref().and_then(|s| s.error()),
                b.replication.error(),
            ];
            errors.extend(settings.into_iter().flatten().cloned());
        }
        errors
    }
}

impl Part for CloudTrail {
    fn resource_errors(&self) -> Vec<CollectError> {
        errors_of(&self.trails, |t| t.status_error.as_ref())
            .chain(errors_of(&self.trails, |t| {
                t.selectors.as_ref().and_then(|s| s.error())
            }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{denied, inventory_at, REGION};

    #[test]
    fn a_read_that_failed_for_one_resource_makes_the_scan_partial() {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        assert!(inv.collection_errors().is_empty());
        inv.ecs.insert(
            REGION.into(),
            Collected::Ok(Ecs {
                task_definition_errors: vec![ResourceError {
                    resource: "td:1".into(),
                    error: denied("ecs", "DescribeTaskDefinition", REGION),
                }],
                ..Ecs::default()
            }),
        );
        inv.dynamodb.insert(
            REGION.into(),
            Collected::Ok(DynamoDb {
                errors: vec![ResourceError {
                    resource: "maps".into(),
                    error: denied("dynamodb", "DescribeTable", REGION),
                }],
                ..DynamoDb::default()
            }),
        );
        let operations: Vec<String> = inv
            .collection_errors()
            .into_iter()
            .map(|e| e.operation)
            .collect();
        assert_eq!(operations, ["DescribeTaskDefinition", "DescribeTable"]);
    }

    #[test]
    fn an_unreachable_region_fails_every_regional_part_and_no_global_one() {
        let mut inv = inventory_at("2026-11-27T00:00:00Z");
        inv.unreachable_region(&denied("sts", "GetCallerIdentity", "ap-south-2"));
        let json = serde_json::to_value(&inv).unwrap();
        for part in Inventory::PARTS {
            let failed = json[part]["ap-south-2"]["error"]["operation"] == "GetCallerIdentity";
            let global = json[part].is_null();
            assert!(failed != global, "{part}: {}", json[part]);
        }
        assert_eq!(inv.regions, [REGION, "ap-south-2"]);
    }
}
