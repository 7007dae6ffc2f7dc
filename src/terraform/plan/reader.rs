//! One family of resource types a plan is read for: which types, how the scanned copy of what
//! the plan deletes or changes leaves the inventory, and how the planned resource enters it in
//! the shape the collectors give. A type the checks should judge on a plan is one reader here.

use super::document::Planned;
use super::services::Graph;
use super::values::text;
use super::{data, keys, logs, registry, services, tasks};
use crate::inventory::{Collected, Inventory, Regional, ResourceError};

/// What a reader needs beyond the resource: the plan's ARNs, routes and references, and the
/// account the plan is for.
pub(super) struct Context<'a> {
    pub graph: Graph<'a>,
    pub account: &'a str,
}

pub(super) struct Reader {
    pub kinds: &'static [&'static str],
    /// Takes out the scanned copy of a resource the plan deletes (`deleted`) or changes.
    pub remove: fn(&mut Inventory, &Planned, bool),
    /// Puts a planned resource in: the ARN it has or will have, to name its findings.
    pub add: fn(&mut Inventory, &Planned, &Context) -> Option<String>,
}

const READERS: &[&Reader] = &[
    &data::TABLES,
    &logs::GROUPS,
    &keys::KEYS,
    &registry::REPOSITORIES,
    &services::SERVICES,
    &services::LOAD_BALANCERS_READ,
    &services::TARGET_GROUPS_READ,
    &services::NETWORK,
    &services::ROUTES,
    &tasks::TASK_DEFINITIONS,
];

/// The reader of a resource type, if any.
pub(super) fn of(kind: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|r| r.kinds.contains(&kind))
}

/// A region's part of the inventory, made empty (as a scan that found nothing makes it) when
/// the plan brings the region's first resource of that kind; `None` when the scan could not
/// read it.
pub(super) fn part<'a, T: Default>(parts: &'a mut Regional<T>, region: &str) -> Option<&'a mut T> {
    parts
        .entry(region.to_owned())
        .or_insert_with(|| Collected::Ok(T::default()))
        .ok_mut()
}

/// Why a planned resource cannot be judged (a value the rules need is known only after apply),
/// as the error of that resource.
pub(super) fn unknown(p: &Planned, resource: String, why: &str) -> ResourceError {
    ResourceError {
        resource,
        error: crate::error::CollectError::unreadable(
            "terraform",
            "plan",
            &p.region,
            format!("{}: {why}", p.address),
        ),
    }
}

/// The ARN a planned resource is made with, in its region's partition.
pub(super) fn made_arn(p: &Planned, service: &str, account: &str, resource: &str) -> String {
    let partition = crate::partition::of_region(&p.region);
    format!(
        "arn:{partition}:{service}:{}:{account}:{resource}",
        p.region
    )
}

/// The ARN (or ID) and name the plan gives a resource, to find the scanned copy it replaces.
pub(super) struct Identity {
    arn: Option<String>,
    name: Option<String>,
}

impl Identity {
    pub(super) fn of(p: &Planned) -> Identity {
        let v = &p.values;
        Identity {
            arn: text(v, "arn").or_else(|| text(v, "id")),
            name: text(v, "name"),
        }
    }

    /// Whether a scanned resource of that ARN and name is this one.
    pub(super) fn is(&self, arn: &str, name: &str) -> bool {
        self.arn.as_deref() == Some(arn) || self.name.as_deref() == Some(name)
    }

    pub(super) fn is_arn(&self, arn: &str) -> bool {
        self.arn.as_deref() == Some(arn)
    }
}
