//! A plan's Route 53 hosted zones and their A, AAAA and CNAME records, as `ListHostedZones`
//! and `ListResourceRecordSets` show them; read over a scan only. A record names its zone by
//! `zone_id` (the scan's zone, or the plan's it references) and, when it aliases a
//! distribution whose domain is known only after apply, the domain made for it (`edge`).

use serde_json::Value;

use super::document::Planned;
use super::edge;
use super::graph::Graph;
use super::reader::{Context, Reader};
use super::values::{at, blocks, text};
use crate::inventory::{Collected, DnsRecord, HostedZone, Inventory, Route53};

const ZONE: &str = "aws_route53_zone";
const RECORD: &str = "aws_route53_record";

pub(super) const DNS: Reader = Reader {
    alone: false,
    kinds: &[ZONE, RECORD],
    arn: |_, _| None,
    remove: |inv, p, _| {
        let Some(r53) = route53(inv) else {
            return;
        };
        let v = &p.values;
        if p.kind == ZONE {
            let id = text(v, "zone_id");
            r53.zones
                .retain(|z| !id.as_deref().is_some_and(|id| same_zone(&z.id, id)));
            return;
        }
        let (Some(zone), Some(kind)) = (text(v, "zone_id"), text(v, "type")) else {
            return;
        };
        let name = record_name(v, None);
        for z in r53.zones.iter_mut().filter(|z| same_zone(&z.id, &zone)) {
            if let Collected::Ok(records) = &mut z.records {
                records.retain(|r| !(r.kind == kind && Some(&r.name) == name.as_ref()));
            }
        }
    },
    add,
};

fn route53(inv: &mut Inventory) -> Option<&mut Route53> {
    match &mut inv.route53 {
        Some(Collected::Ok(r)) => Some(r),
        _ => None,
    }
}

/// A zone ID without the `/hostedzone/` prefix the API gives and the provider drops.
fn bare_zone(id: &str) -> &str {
    id.trim_start_matches("/hostedzone/")
}

fn same_zone(a: &str, b: &str) -> bool {
    bare_zone(a) == bare_zone(b)
}

/// A record's fully qualified name, lower case, without the trailing dot: its `fqdn`, or its
/// `name` within the zone.
fn record_name(v: &Value, zone: Option<&str>) -> Option<String> {
    let name = text(v, "fqdn").or_else(|| text(v, "name"))?;
    let name = name.trim_end_matches('.').to_lowercase();
    Some(match zone {
        Some(z) if name != z && !name.ends_with(&format!(".{z}")) => format!("{name}.{z}"),
        _ => name,
    })
}

fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let graph = &cx.graph;
    let r53 = route53(inv)?;
    if p.kind == ZONE {
        let id = zone_id(p);
        let name = text(&p.values, "name")?
            .trim_end_matches('.')
            .to_lowercase();
        // The plan's records of a zone of the plan come in with it.
        let by_zone = graph.naming("records' zones", &[RECORD], |r| {
            record_zone(r, graph)
                .map(|z| bare_zone(&z).to_owned())
                .into_iter()
                .collect()
        });
        let records = by_zone
            .get(bare_zone(&id))
            .into_iter()
            .flatten()
            .filter_map(|r| record(r, graph, &name))
            .collect();
        r53.zones.push(HostedZone {
            id,
            name,
            private: !blocks(&p.values, "vpc").is_empty(),
            records: Collected::Ok(records),
        });
        return None;
    }
    let in_plan = graph
        .referenced_resources(p, &["zone_id"])
        .iter()
        .any(|z| z.kind == ZONE);
    let zone_id = record_zone(p, graph).filter(|_| !in_plan)?;
    let zone = r53.zones.iter_mut().find(|z| same_zone(&z.id, &zone_id))?;
    let record = record(p, graph, &zone.name)?;
    if let Collected::Ok(records) = &mut zone.records {
        records.push(record);
    }
    None
}

/// A zone's ID, or its address while AWS has not named it.
fn zone_id(p: &Planned) -> String {
    text(&p.values, "zone_id").unwrap_or_else(|| p.address.clone())
}

/// The zone a record is in: its `zone_id`, or the plan's zone it references.
fn record_zone(p: &Planned, graph: &Graph) -> Option<String> {
    text(&p.values, "zone_id").or_else(|| {
        let zone = graph
            .referenced_resources(p, &["zone_id"])
            .into_iter()
            .next()?;
        Some(zone_id(zone))
    })
}

/// A planned A, AAAA or CNAME record of the zone named `zone`.
fn record(p: &Planned, graph: &Graph, zone: &str) -> Option<DnsRecord> {
    let kind = text(&p.values, "type")?;
    if !matches!(kind.as_str(), "A" | "AAAA" | "CNAME") {
        return None;
    }
    Some(DnsRecord {
        name: record_name(&p.values, Some(zone))?,
        kind,
        alias_target: alias_target(p, graph),
        values: blocks(&p.values, "records")
            .iter()
            .filter_map(|r| r.as_str().map(|r| r.trim_end_matches('.').to_lowercase()))
            .collect(),
    })
}

/// An alias record's target: known, or the domain of the plan's distribution it references.
fn alias_target(p: &Planned, graph: &Graph) -> Option<String> {
    at(&p.values, &["alias", "0"])?;
    text(at(&p.values, &["alias", "0"])?, "name")
        .map(|n| n.trim_end_matches('.').to_lowercase())
        .or_else(|| {
            graph
                .referenced_resources(p, &["alias", "0", "name"])
                .into_iter()
                .find(|r| r.kind == edge::DISTRIBUTION)
                .map(edge::domain)
        })
}
