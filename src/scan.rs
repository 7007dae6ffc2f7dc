//! The pipeline: session → collect → inventory → evaluate → evidence.

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use aws_smithy_types::date_time::{DateTime, Format};

use crate::checks;
use crate::config::Config;
use crate::error::SetupError;
use crate::evidence::{check_results, summarize, Evidence, ScanInfo, Tool, SCHEMA_VERSION};
use crate::session::calls::CallLog;
use crate::session::{Session, SessionOptions};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub session: SessionOptions,
    pub config: Config,
    /// API calls in flight at most, across the whole scan.
    pub max_concurrency: usize,
    /// Prices for the cost estimate (the embedded table unless `--prices` names another).
    pub prices: crate::assess::cost::PriceTable,
    /// The gate shared by the scans of a multi-account run, so that `--max-concurrency`
    /// bounds them all together; unset, the scan makes its own.
    pub gate: Option<Arc<tokio::sync::Semaphore>>,
    /// The Terraform states and configuration given (`--terraform-state`, `--terraform-dir`).
    pub terraform: crate::terraform::Sources,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            session: SessionOptions::default(),
            config: Config::default(),
            max_concurrency: 16,
            prices: crate::assess::cost::PriceTable::embedded(),
            gate: None,
            terraform: crate::terraform::Sources::default(),
        }
    }
}

/// Runs a whole scan. Fails only when the scan cannot start (no region, no credentials,
/// unreachable endpoint): once it has started, every failure is part of the evidence.
pub async fn run(opts: &ScanOptions) -> Result<Evidence, SetupError> {
    let started_at = now();
    let clock = Instant::now();
    let log = Arc::new(CallLog::default());
    let session = Session::connect(&opts.session, &log).await?;
    let state_bucket = opts.config.terraform.state_bucket.clone();
    let gate = opts
        .gate
        .clone()
        .unwrap_or_else(|| Arc::new(tokio::sync::Semaphore::new(opts.max_concurrency.max(1))));
    let inventory =
        crate::collect::collect(&session, log.clone(), gate, state_bucket, &opts.terraform).await;
    let scan = ScanInfo {
        started_at,
        finished_at: now(),
        duration_ms: clock.elapsed().as_millis() as u64,
        account_id: session.account_id.clone(),
        caller_arn: session.caller_arn.clone(),
        // Every region asked for, the unreachable ones too (their parts say why).
        regions: {
            let mut r = session.regions.clone();
            r.extend(session.unreachable.iter().map(|u| u.region.clone()));
            r.sort();
            r
        },
        endpoint: session.endpoint.clone(),
        partial: false,
        interrupted_by: prodready_aws::interrupt::signal(),
    };
    Ok(assemble(
        scan,
        inventory,
        &opts.config,
        &opts.prices,
        log.snapshot(),
    ))
}

/// The evidence of a collected inventory: scope, rules, suppressions, roll-ups, assessment,
/// cost, sealed. Pure: the same inputs give the same document.
pub fn assemble(
    mut scan: ScanInfo,
    inventory: crate::inventory::Inventory,
    config: &Config,
    prices: &crate::assess::cost::PriceTable,
    api_calls: Vec<crate::session::calls::CallStats>,
) -> Evidence {
    let (judged, out_of_scope) = crate::checks::scope::narrow(&inventory, &config.scope);
    let policies = crate::checks::custom::installed();
    let custom = crate::checks::custom::outcomes(
        policies,
        SCHEMA_VERSION,
        &inventory,
        config,
        &out_of_scope,
    );
    let findings = checks::evaluate_all(&judged, config, &custom);
    let checks = check_results(&findings);
    let suppressions =
        crate::checks::suppress::outcomes(&findings, &config.suppressions, &inventory.collected_at);
    let errors = inventory.collection_errors();
    scan.partial = !errors.is_empty() || scan.interrupted_by.is_some();
    let mut evidence = Evidence {
        schema_version: SCHEMA_VERSION.to_owned(),
        tool: Tool {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        scan,
        config: config.clone(),
        summary: summarize(&checks, &findings, &api_calls),
        assessment: crate::assess::Assessment {
            cost: Some(crate::assess::cost::estimate(
                &judged, &checks, config, prices,
            )),
            recovery: Some(crate::checks::recovery::assess(&judged, config)),
            ..crate::assess::assess(&checks, &findings)
        },
        checks,
        findings,
        errors,
        api_calls,
        out_of_scope,
        suppressions,
        policies: policies.iter().map(|p| p.record()).collect(),
        inventory,
        integrity: None,
    };
    crate::evidence::integrity::seal(&mut evidence, None);
    evidence
}

/// The present moment, RFC 3339 (UTC).
pub fn now() -> String {
    DateTime::from(SystemTime::now())
        .fmt(Format::DateTime)
        .unwrap_or_default()
}
