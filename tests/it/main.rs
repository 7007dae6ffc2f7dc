//! Integration tests: the scanner against a real AWS API emulator (moto), seeded with the
//! account scenarios in mocks/emulator/scenarios/. One binary, so the SDK is linked once.

// A scenario test reads as one story: its length is the case, not a function to split.
#![allow(clippy::too_many_lines)]

mod cli;
mod faults;
mod fixtures;
mod fleet_batch;
mod install;
mod integrity;
mod large_report;
mod nightly;
mod organization;
mod plan;
mod policies;
mod readonly;
mod scenarios;
mod snapshots;
mod support;
mod terraform;
mod tree;
