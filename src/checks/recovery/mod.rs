//! Recovery objectives: for each component of the application (ECS service, DynamoDB table,
//! data bucket), how long each disruption keeps it down (recovery time, RTO) and how much
//! data it loses (recovery point, RPO), by the documented rules of `estimates` (each cites the
//! AWS fact it rests on; docs/recovery.md lists them), judged against the config's
//! `[recovery.*]` targets by REC-01…04.

mod changes;
mod estimates;
mod schedule;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Check;
use super::{or_not_applicable, Outcome};
use crate::config::{Config, Target};
use crate::inventory::Inventory;

pub use estimates::RULES;

const CATALOG: &str = "checks/recovery.toml";

pub const CHECKS: &[Check] = &[
    Check::new("REC-01", |i, c| judge(i, c, Disruption::Task), CATALOG)
        .expecting(|c| expectation(c, Disruption::Task)),
    Check::new("REC-02", |i, c| judge(i, c, Disruption::Zone), CATALOG)
        .expecting(|c| expectation(c, Disruption::Zone)),
    Check::new("REC-03", |i, c| judge(i, c, Disruption::Region), CATALOG)
        .expecting(|c| expectation(c, Disruption::Region)),
    Check::new("REC-04", |i, c| judge(i, c, Disruption::Data), CATALOG)
        .expecting(|c| expectation(c, Disruption::Data)),
];

/// What takes a component down. Resilience Hub's disruption types map onto them:
/// application → task and data, infrastructure → task, AZ → zone, region → region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Disruption {
    /// A task or container fails.
    Task,
    /// An availability zone fails.
    Zone,
    /// The region fails.
    Region,
    /// Data is corrupted or deleted: a bad deploy, a mistaken command.
    Data,
}

impl Disruption {
    pub const ALL: [Disruption; 4] = [
        Disruption::Task,
        Disruption::Zone,
        Disruption::Region,
        Disruption::Data,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Disruption::Task => "task",
            Disruption::Zone => "zone",
            Disruption::Region => "region",
            Disruption::Data => "data",
        }
    }

    /// The disruption as a report's column names it.
    pub fn title(self) -> &'static str {
        match self {
            Disruption::Task => "A task fails",
            Disruption::Zone => "A zone fails",
            Disruption::Region => "The region fails",
            Disruption::Data => "Data corrupted or deleted",
        }
    }

    fn target(self, config: &Config) -> Target {
        config.recovery.target(self.as_str())
    }
}

/// A length of downtime (RTO) or of lost writes (RPO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Span {
    Minutes {
        minutes: f64,
    },
    /// No end: down until the region returns, or every write ever made lost.
    Unbounded,
    /// The inventory cannot support a number.
    Unknown {
        reason: String,
    },
}

impl Span {
    pub fn minutes(m: f64) -> Span {
        Span::Minutes { minutes: m }
    }

    /// Whether the span is within `target` minutes; `None` when it is unknown. No target
    /// means nothing is asked.
    pub fn meets(&self, target: Option<u32>) -> Option<bool> {
        match (self, target) {
            (Span::Unknown { .. }, _) => None,
            (_, None) => Some(true),
            (Span::Minutes { minutes }, Some(t)) => Some(*minutes <= f64::from(t)),
            (Span::Unbounded, Some(_)) => Some(false),
        }
    }

    /// Orders spans from best to worst: minutes, then unbounded, then unknown.
    fn rank(&self) -> (u8, f64) {
        match self {
            Span::Minutes { minutes } => (0, *minutes),
            Span::Unbounded => (1, 0.0),
            Span::Unknown { .. } => (2, 0.0),
        }
    }

    pub fn is_worse_than(&self, other: &Span) -> bool {
        self.rank() > other.rank()
    }

    /// The span as a reader says it, for a recovery time (`rto`) or a recovery point.
    pub fn text(&self, rto: bool) -> String {
        match self {
            Span::Minutes { minutes } if *minutes <= 0.0 => "none".into(),
            Span::Minutes { minutes } if *minutes < 1.0 => "under a minute".into(),
            Span::Minutes { minutes } if *minutes < 10.0 && minutes.fract() != 0.0 => {
                format!("{minutes:.1} min")
            }
            Span::Minutes { minutes } if *minutes < 120.0 => format!("{minutes:.0} min"),
            Span::Minutes { minutes } if *minutes < 2880.0 => format!("{:.1} h", minutes / 60.0),
            Span::Minutes { minutes } => format!("{:.1} days", minutes / 1440.0),
            Span::Unbounded if rto => "unbounded".into(),
            Span::Unbounded => "everything since it was created".into(),
            Span::Unknown { reason } => format!("unknown ({reason})"),
        }
    }
}

/// One component's recovery from one disruption, and the rule that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub disruption: Disruption,
    pub rto: Span,
    pub rpo: Span,
    /// The id of the rule (docs/recovery.md) the estimate follows.
    pub rule: String,
    /// How the rule reached the figures, in words.
    pub how: String,
    /// Part of a figure is an assumption (named in `how`), not a documented AWS fact.
    pub assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Service,
    Table,
    Bucket,
}

impl Kind {
    /// "1 ECS service", "12 DynamoDB tables".
    pub fn counted(self, n: usize) -> String {
        let noun = match self {
            Kind::Service => "ECS service",
            Kind::Table => "DynamoDB table",
            Kind::Bucket => "data bucket",
        };
        format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub kind: Kind,
    pub name: String,
    pub resource_arn: String,
    pub region: String,
    pub estimates: Vec<Estimate>,
}

impl Component {
    pub fn estimate(&self, d: Disruption) -> Option<&Estimate> {
        self.estimates.iter().find(|e| e.disruption == d)
    }
}

/// The targets in force for one disruption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub disruption: Disruption,
    pub rto_minutes: Option<u32>,
    pub rpo_minutes: Option<u32>,
}

/// Components whose estimates are the same, shown as one row of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub kind: Kind,
    pub names: Vec<String>,
    /// Per disruption the component has: the estimate and whether it meets the target.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub disruption: Disruption,
    pub rto: String,
    pub rpo: String,
    /// Within the targets; `None` when the estimate is unknown.
    pub meets: Option<bool>,
    pub rule: String,
    pub assumed: bool,
}

/// The recovery section of the assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    pub targets: Vec<TargetRow>,
    pub components: Vec<Component>,
    /// The application as its worst component, per disruption.
    pub application: Vec<Estimate>,
    /// Rows of components with equal estimates, the application's first.
    pub groups: Vec<Group>,
    /// Inputs that could not be read, so that components may be missing.
    pub unreadable: Vec<String>,
}

/// The estimates of every component of the (scoped) inventory against the config's targets.
pub fn assess(inv: &Inventory, config: &Config) -> Recovery {
    let (components, unreadable) = estimates::components(inv, config);
    let application = Disruption::ALL
        .iter()
        .filter_map(|d| worst(&components, *d, &unreadable))
        .collect();
    let mut recovery = Recovery {
        targets: Disruption::ALL
            .iter()
            .map(|d| {
                let t = d.target(config);
                TargetRow {
                    disruption: *d,
                    rto_minutes: t.rto_minutes,
                    rpo_minutes: t.rpo_minutes,
                }
            })
            .collect(),
        components,
        application,
        groups: Vec::new(),
        unreadable,
    };
    recovery.groups = groups(&recovery, config);
    recovery
}

/// The worst estimate of a disruption over the components; unknown when an input that might
/// hold a component could not be read.
fn worst(components: &[Component], d: Disruption, unreadable: &[String]) -> Option<Estimate> {
    let mut all = components
        .iter()
        .filter_map(|c| c.estimate(d).map(|e| (c, e)));
    let (first, e) = all.next()?;
    let pick = |a: &Span, b: &Span| {
        if b.is_worse_than(a) {
            b.clone()
        } else {
            a.clone()
        }
    };
    let (mut rto, mut rpo) = (e.rto.clone(), e.rpo.clone());
    let (mut rto_of, mut rpo_of) = (first, first);
    for (c, e) in all {
        if e.rto.is_worse_than(&rto) {
            rto_of = c;
        }
        if e.rpo.is_worse_than(&rpo) {
            rpo_of = c;
        }
        rto = pick(&rto, &e.rto);
        rpo = pick(&rpo, &e.rpo);
    }
    if let Some(why) = unreadable.first() {
        let reason = format!("{why} could not be read");
        rto = Span::Unknown {
            reason: reason.clone(),
        };
        rpo = Span::Unknown { reason };
    }
    let rule_of = |c: &Component| c.estimate(d).map(|e| e.rule.clone()).unwrap_or_default();
    Some(Estimate {
        disruption: d,
        rto,
        rpo,
        rule: format!("worst of {}", rule_of(rto_of)),
        how: format!(
            "recovery time set by {}, data loss by {}",
            rto_of.name, rpo_of.name
        ),
        assumed: [rto_of, rpo_of]
            .iter()
            .any(|c| c.estimate(d).is_some_and(|e| e.assumed)),
    })
}

fn cell(e: &Estimate, config: &Config) -> Cell {
    let t = e.disruption.target(config);
    let meets = match (e.rto.meets(t.rto_minutes), e.rpo.meets(t.rpo_minutes)) {
        (Some(a), Some(b)) => Some(a && b),
        _ => None,
    };
    Cell {
        disruption: e.disruption,
        rto: e.rto.text(true),
        rpo: e.rpo.text(false),
        meets,
        rule: e.rule.clone(),
        assumed: e.assumed,
    }
}

/// The application's row, then one row per kind and set of equal cells, in order of first
/// appearance (the components come worst first within their kind).
fn groups(r: &Recovery, config: &Config) -> Vec<Group> {
    let mut out = vec![Group {
        kind: Kind::Service,
        names: vec!["the application (its worst component)".into()],
        cells: r.application.iter().map(|e| cell(e, config)).collect(),
    }];
    let mut index: BTreeMap<(Kind, String), usize> = BTreeMap::new();
    for c in &r.components {
        let cells: Vec<Cell> = c.estimates.iter().map(|e| cell(e, config)).collect();
        let key = (c.kind, serde_json::to_string(&cells).unwrap_or_default());
        match index.get(&key) {
            Some(&i) => out[i].names.push(c.name.clone()),
            None => {
                index.insert(key, out.len());
                out.push(Group {
                    kind: c.kind,
                    names: vec![c.name.clone()],
                    cells,
                });
            }
        }
    }
    out
}

fn expectation(config: &Config, d: Disruption) -> String {
    let t = d.target(config);
    let part = |what: &str, v: Option<u32>| v.map(|m| format!("{what} <= {m} min"));
    let parts: Vec<String> = [part("RTO", t.rto_minutes), part("RPO", t.rpo_minutes)]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        format!("no target set in [recovery.{}]", d.as_str())
    } else {
        format!("{} ([recovery.{}])", parts.join(", "), d.as_str())
    }
}

/// REC-01…04: each component with an estimate for `d` against the targets.
fn judge(inv: &Inventory, config: &Config, d: Disruption) -> Vec<Outcome> {
    let (components, unreadable) = estimates::components(inv, config);
    let t = d.target(config);
    let mut out: Vec<Outcome> = unreadable
        .iter()
        .map(|what| Outcome::not_collected(what))
        .collect();
    for c in &components {
        let Some(e) = c.estimate(d) else { continue };
        let observed = format!(
            "RTO {}, RPO {} (rule {})",
            e.rto.text(true),
            e.rpo.text(false),
            e.rule
        );
        let rto_ok = e.rto.meets(t.rto_minutes);
        let rpo_ok = e.rpo.meets(t.rpo_minutes);
        let what = format!("{} {}", kind_noun(c.kind), c.name);
        out.push(match (rto_ok, rpo_ok) {
            (None, _) | (_, None) => Outcome {
                status: super::Status::Error,
                resource_arn: Some(c.resource_arn.clone()),
                region: Some(c.region.clone()),
                observed,
                message: format!("{what}: {}", e.how),
            },
            (Some(true), Some(true)) => Outcome::pass(
                &c.resource_arn,
                &c.region,
                observed,
                format!("{what}: {}", e.how),
            ),
            _ => Outcome::fail(
                &c.resource_arn,
                &c.region,
                observed,
                format!(
                    "{what}: {}; {}",
                    e.how,
                    changes::cheapest(inv, config, c, d, &t)
                ),
            ),
        });
    }
    or_not_applicable(out, "ECS services, DynamoDB tables or data buckets")
}

fn kind_noun(k: Kind) -> &'static str {
    match k {
        Kind::Service => "service",
        Kind::Table => "table",
        Kind::Bucket => "bucket",
    }
}

#[cfg(test)]
mod tests;
