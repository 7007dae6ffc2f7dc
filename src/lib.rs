//! prodready: scans a live AWS account, read-only, and reports with evidence how far it is
//! from production-ready.
//!
//! The pipeline (see docs/architecture.md):
//! `cli` → [`session::Session`] → [`collect`] → [`inventory::Inventory`] →
//! [`checks::scope::narrow`] → [`checks::evaluate`] → [`assess`] → [`evidence::Evidence`] →
//! [`report`].

// A failed read carries what the operator needs (service, operation, region, IAM action,
// code, message): it is large, and it is the cold path. Boxing it everywhere would buy
// nothing measurable and cost clarity.
#![allow(clippy::result_large_err)]

pub mod assess;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod collect;
pub mod compare;
pub mod config;
pub mod error;
pub mod evidence;
pub mod fleet;
pub mod inventory;
pub mod logging;
pub mod partition;
pub mod progress;
pub mod report;
pub mod scan;
pub mod session;
pub mod terraform;

#[cfg(test)]
mod fuzz;
