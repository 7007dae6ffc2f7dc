//! What the plan's resources say of each other: the ARNs they have or will have (their own
//! when known, else one made from what the plan knows), which load balancers the plan's
//! listeners and listener rules route to which target groups, the plan's subnets and VPCs, and
//! a value known only after apply followed to the resource its configuration references
//! (`refs`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::Value;

use super::document::{Plan, Planned};
use super::refs::Configuration;
use super::values::{at, blocks, text};
use crate::inventory::{FlowLog, Subnet};

pub(super) const LISTENERS: [&str; 2] = ["aws_lb_listener", "aws_alb_listener"];
pub(super) const RULES: [&str; 2] = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
pub(super) const SUBNET: &str = "aws_subnet";
pub(super) const VPC: &str = "aws_vpc";

/// The ARNs the plan's resources have or will have, and the routes its listeners make.
pub(super) struct Graph<'a> {
    config: Configuration<'a>,
    /// Address of a planned resource: the ARN it has or will have.
    pub(super) arns: HashMap<String, String>,
    /// Target group ARN: the load balancer ARNs whose listeners route to it.
    pub(super) routes: HashMap<String, BTreeSet<String>>,
    /// Listener ARN: its load balancer's ARN.
    listener_lb: HashMap<String, String>,
    /// A planned subnet's ID (its address while AWS has not named it): its availability zone.
    pub(super) subnet_zones: HashMap<String, String>,
    /// A planned subnet's address: its ID, or its address while AWS has not named it.
    subnet_ids: BTreeMap<String, String>,
    /// A planned VPC's address: its ID, or its address while AWS has not named it.
    vpc_ids: BTreeMap<String, String>,
    pub(super) account: &'a str,
    /// Every planned resource by its address.
    resources: BTreeMap<&'a str, &'a Planned>,
    /// The planned resources of each type.
    by_kind: HashMap<&'a str, Vec<&'a Planned>>,
    /// Indexes made once (`naming`), by name.
    indexes: RefCell<HashMap<&'static str, Rc<Index<'a>>>>,
}

/// Planned resources by a name they give (an ARN or ID they reference).
pub(super) type Index<'a> = HashMap<String, Vec<&'a Planned>>;

impl<'a> Graph<'a> {
    /// Reads the plan's ARNs (`arn_of`: the ARN a resource has or will have), listener routes,
    /// subnets and VPCs.
    pub(super) fn read(
        plan: &'a Plan,
        account: &'a str,
        arn_of: &dyn Fn(&Planned) -> Option<String>,
    ) -> Graph<'a> {
        let mut g = Graph {
            config: Configuration::read(&plan.configuration),
            arns: HashMap::new(),
            routes: HashMap::new(),
            listener_lb: HashMap::new(),
            subnet_zones: HashMap::new(),
            subnet_ids: BTreeMap::new(),
            vpc_ids: BTreeMap::new(),
            account,
            resources: plan
                .resources
                .iter()
                .map(|p| (p.address.as_str(), p))
                .collect(),
            by_kind: HashMap::new(),
            indexes: RefCell::new(HashMap::new()),
        };
        for p in &plan.resources {
            g.by_kind.entry(p.kind.as_str()).or_default().push(p);
        }
        for p in &plan.resources {
            if let Some(arn) = arn_of(p) {
                g.arns.insert(p.address.clone(), arn);
            }
            if p.kind == VPC {
                let id = text(&p.values, "id").unwrap_or_else(|| p.address.clone());
                g.vpc_ids.insert(p.address.clone(), id);
            }
            if p.kind == SUBNET {
                let id = text(&p.values, "id").unwrap_or_else(|| p.address.clone());
                if let Some(zone) = text(&p.values, "availability_zone") {
                    g.subnet_zones.insert(id.clone(), zone);
                }
                g.subnet_ids.insert(p.address.clone(), id);
            }
        }
        for p in plan
            .resources
            .iter()
            .filter(|p| LISTENERS.contains(&p.kind.as_str()))
        {
            let Some(lb) = g.known_or_referenced(p, &["load_balancer_arn"]) else {
                continue;
            };
            if let Some(arn) = g.arns.get(&p.address).cloned() {
                g.listener_lb.insert(arn, lb.clone());
            }
            g.route_actions(p, "default_action", &lb);
        }
        for p in plan
            .resources
            .iter()
            .filter(|p| RULES.contains(&p.kind.as_str()))
        {
            let lb = g
                .known_or_referenced(p, &["listener_arn"])
                .and_then(|l| g.listener_lb.get(&l).cloned());
            if let Some(lb) = lb {
                g.route_actions(p, "action", &lb);
            }
        }
        g
    }

    /// The string at `path` of the resource's values, or the ARN of the plan's resource its
    /// configuration references there.
    pub(super) fn known_or_referenced(&self, p: &Planned, path: &[&str]) -> Option<String> {
        if let Some(known) = at(&p.values, path).and_then(Value::as_str) {
            return Some(known.to_owned());
        }
        let address = self.config.referenced(&p.address, path)?;
        self.arns.get(&address).cloned()
    }

    /// Records that `lb` routes to the target groups of the resource's `key` actions (a
    /// `forward` action's target group, or each of its weighted target groups).
    fn route_actions(&mut self, p: &Planned, key: &str, lb: &str) {
        for (i, action) in blocks(&p.values, key).iter().enumerate() {
            let index = i.to_string();
            let mut groups: Vec<String> = self
                .known_or_referenced(p, &[key, &index, "target_group_arn"])
                .into_iter()
                .collect();
            for (f, forward) in blocks(action, "forward").iter().enumerate() {
                for t in 0..blocks(forward, "target_group").len() {
                    let (f, t) = (f.to_string(), t.to_string());
                    let path = [key, &index, "forward", &f, "target_group", &t, "arn"];
                    groups.extend(self.known_or_referenced(p, &path));
                }
            }
            for tg in groups {
                self.routes.entry(tg).or_default().insert(lb.to_owned());
            }
        }
    }

    /// The subnets at `path` (a list argument): their IDs when the plan knows them, else the
    /// plan's subnets the configuration references there (a subnet AWS has not named yet is
    /// known by its address, as `subnet` puts it into the inventory).
    pub(super) fn subnets(&self, p: &Planned, path: &[&str]) -> Vec<String> {
        let known = at(&p.values, path);
        if let Some(one) = known.and_then(Value::as_str) {
            return vec![one.to_owned()];
        }
        if let Some(list) = known.and_then(Value::as_array) {
            return list
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect();
        }
        let mut ids = Vec::new();
        for address in self.config.referenced_all(&p.address, path) {
            let prefix = format!("{address}[");
            ids.extend(
                self.subnet_ids
                    .iter()
                    .filter(|(a, _)| **a == address || a.starts_with(&prefix))
                    .map(|(_, id)| id.clone()),
            );
        }
        ids
    }

    /// The ID of the VPC (or subnet) at `key`: known, or the plan's VPC (subnet) referenced
    /// there, by its ID or, while AWS has not named it, its address.
    fn network_id(&self, p: &Planned, key: &str) -> Option<String> {
        text(&p.values, key).or_else(|| {
            let address = self.config.referenced(&p.address, &[key])?;
            self.vpc_ids
                .get(&address)
                .or_else(|| self.subnet_ids.get(&address))
                .cloned()
        })
    }

    /// A planned subnet as the scan reads one; its VPC unknown (no VPC of the plan, no ID) is
    /// no subnet the rules can judge.
    pub(super) fn subnet(&self, p: &Planned) -> Option<Subnet> {
        let id = self.subnet_ids.get(&p.address)?.clone();
        Some(Subnet {
            availability_zone: self.subnet_zones.get(&id)?.clone(),
            vpc_id: self.network_id(p, "vpc_id")?,
            id,
        })
    }

    /// A planned flow log as the scan reads one: what it records, of which VPC or subnet, as
    /// active once applied.
    pub(super) fn flow_log(&self, p: &Planned) -> Option<FlowLog> {
        let resource_id = ["vpc_id", "subnet_id", "eni"]
            .iter()
            .find_map(|key| self.network_id(p, key))?;
        Some(FlowLog {
            id: text(&p.values, "id").unwrap_or_else(|| p.address.clone()),
            resource_id,
            status: Some("ACTIVE".into()),
            traffic_type: text(&p.values, "traffic_type"),
            deliver_logs_status: None,
        })
    }

    /// The planned resources `path` of the resource's configuration references, each instance
    /// of one referenced whole.
    pub(super) fn referenced_resources(&self, p: &Planned, path: &[&str]) -> Vec<&'a Planned> {
        let mut out = Vec::new();
        for address in self.config.referenced_all(&p.address, path) {
            let instances = format!("{address}[");
            out.extend(
                self.resources
                    .range(address.as_str()..)
                    .take_while(|(a, _)| **a == address || a.starts_with(&instances))
                    .map(|(_, r)| *r),
            );
        }
        out
    }

    /// The strings of a list argument at `path`: the known ones, and for elements known only
    /// after apply the ARNs of the plan's resources its configuration references; `None` in
    /// place of those that cannot be followed.
    pub(super) fn arns_at(&self, p: &Planned, path: &[&str]) -> Vec<Option<String>> {
        let listed = at(&p.values, path).and_then(Value::as_array);
        let mut out: Vec<Option<String>> = listed
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(|s| Some(s.to_owned())))
            .collect();
        let unknown = listed.map_or(0, |l| l.iter().filter(|v| v.is_null()).count());
        if unknown > 0 || listed.is_none() {
            let found: Vec<Option<String>> = self
                .referenced_resources(p, path)
                .iter()
                .filter_map(|r| self.arns.get(&r.address).cloned())
                .filter(|arn| !out.iter().flatten().any(|o| o == arn))
                .map(Some)
                .collect();
            let missing = if listed.is_none() {
                usize::from(found.is_empty())
            } else {
                unknown.saturating_sub(found.len())
            };
            out.extend(found);
            out.extend(std::iter::repeat_n(None, missing));
        }
        out
    }

    /// The plan's resources of a type.
    pub(super) fn planned(&self, kind: &str) -> impl Iterator<Item = &'a Planned> + '_ {
        self.by_kind.get(kind).into_iter().flatten().copied()
    }

    /// The plan's resources of `kinds` by each name `names` gives them (the secret a rotation
    /// names, the group a rule names …), made once under `index` and kept: what would
    /// otherwise be asked of every such resource for each resource it may name.
    pub(super) fn naming(
        &self,
        index: &'static str,
        kinds: &[&str],
        names: impl Fn(&'a Planned) -> Vec<String>,
    ) -> Rc<Index<'a>> {
        if let Some(made) = self.indexes.borrow().get(index) {
            return Rc::clone(made);
        }
        let mut made = Index::new();
        for r in kinds.iter().flat_map(|k| self.planned(k)) {
            for name in names(r) {
                made.entry(name).or_default().push(r);
            }
        }
        let made = Rc::new(made);
        self.indexes.borrow_mut().insert(index, Rc::clone(&made));
        made
    }

    /// The IDs at `path` (one, or a list): known, else those of the plan's resources of
    /// `kinds` the expression references (one AWS has not named yet by its address).
    pub(super) fn ids_at(&self, p: &Planned, path: &[&str], kinds: &[&str]) -> Vec<String> {
        let at_path = at(&p.values, path);
        let mut ids: Vec<String> = match at_path {
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        let unknown = match at_path {
            Some(Value::Array(list)) => list.iter().any(Value::is_null),
            Some(Value::String(_)) => false,
            _ => true,
        };
        if unknown {
            for r in self.referenced_resources(p, path) {
                let id = text(&r.values, "id").unwrap_or_else(|| r.address.clone());
                if kinds.contains(&r.kind.as_str()) && !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }
}
