//! A Terraform plan judged before it is applied (`prodready plan`): the document read
//! (`document`), each family of resource types read from it into the inventory's shape
//! (`families` lists them), values known only after apply followed to the resources they come
//! from (`refs`), and the inventory the plan would leave, alone or over a scan (`overlay`).

mod alarms;
mod audit;
mod backup;
mod buckets;
mod data;
mod dns;
mod document;
mod edge;
mod events;
mod families;
mod firewall;
mod functions;
mod graph;
mod keys;
mod logs;
mod overlay;
mod pipelines;
mod reader;
mod refs;
mod registry;
mod scaling;
mod secrets;
mod services;
mod tasks;
#[cfg(test)]
mod testing;
mod topics;
mod values;

pub use document::{parse, Plan, Planned};
pub use overlay::{overlay, Overlay};
