//! prodready: scans a live AWS account, read-only, and reports with evidence how far it is
//! from production-ready.
//!
//! The pipeline (see docs/architecture.md):
//! `cli` → [`session::Session`] → [`collect`] → [`inventory::Inventory`] → [`scope::narrow`]
//! → [`checks::evaluate`] → [`evidence::Evidence`] → [`report`].

// A failed read carries what the operator needs (service, operation, region, IAM action,
// code, message): it is large, and it is the cold path. Boxing it everywhere would buy
// nothing measurable and cost clarity.
#![allow(clippy::result_large_err)]

pub mod accounts;
pub mod aggregate;
pub mod assessment;
pub mod calls;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod collect;
pub mod config;
pub mod cost;
pub mod diff;
pub mod error;
pub mod evidence;
pub mod history;
pub mod integrity;
pub mod inventory;
pub mod logging;
pub mod org_accounts;
pub mod partition;
pub mod permissions;
pub mod progress;
pub mod remediation;
pub mod report;
pub mod s3_evidence;
pub mod scan;
pub mod scope;
pub mod session;
pub mod suppress;

#[cfg(test)]
mod fuzz;
