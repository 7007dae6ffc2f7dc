//! One family of resource types a plan is read for: which types, how the scanned copy of what
//! the plan deletes or changes leaves the inventory, and how the planned resource enters it in
//! the shape the collectors give. A type the checks should judge on a plan is one reader,
//! listed in `families`.

use super::document::Planned;
use super::graph::Graph;
use super::values::text;
use crate::inventory::{Collected, Inventory, Regional, ResourceError};

/// What a reader needs beyond the resource: the plan's ARNs, routes and references, and the
/// account the plan is for.
pub(super) struct Context<'a> {
    pub graph: Graph<'a>,
    pub account: &'a str,
    /// What the plan deletes outright, as it was.
    pub deleted: &'a [Planned],
}

pub(super) struct Reader {
    pub kinds: &'static [&'static str],
    /// Whether a check judged on a plan alone reads what it puts in (or what it resolves
    /// references for); the others' types are judged over a baseline only.
    pub alone: bool,
    /// The ARN a planned resource has, or the one made for it while AWS has not named it (by
    /// which the plan's other resources find it).
    pub arn: fn(&Planned, &str) -> Option<String>,
    /// Takes out the scanned copy of a resource the plan deletes (`deleted`) or changes.
    pub remove: fn(&mut Inventory, &Planned, bool),
    /// Puts a planned resource in: the ARN it has or will have, to name its findings.
    pub add: fn(&mut Inventory, &Planned, &Context) -> Option<String>,
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
    made_arn_in(p, service, &p.region, account, resource)
}

/// The ARN of a global resource (a dashboard, a distribution, an IAM provider): no region, the
/// partition of the plan resource's region.
pub(super) fn made_global_arn(p: &Planned, service: &str, account: &str, resource: &str) -> String {
    made_arn_in(p, service, "", account, resource)
}

fn made_arn_in(p: &Planned, service: &str, region: &str, account: &str, resource: &str) -> String {
    let partition = crate::partition::of_region(&p.region);
    format!("arn:{partition}:{service}:{region}:{account}:{resource}")
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
