//! Collectors: read the account, concurrently and read-only, into the [`Inventory`].
//!
//! Every (service, region) collector runs as its own task; inside one, per-resource calls
//! run bounded-concurrent. One semaphore (`--max-concurrency`) bounds the calls in flight
//! across the whole scan, so the setting means what it says whatever the account's shape.
//! Collectors never judge: they record what they saw, or why they could not see it.

mod acm;
mod autoscaling;
mod backup;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod codepipeline;
mod dynamodb;
mod ec2;
mod ecr;
mod ecs;
mod elbv2;
mod events;
mod guardduty;
mod iam;
mod kms;
mod lambda;
mod logs;
pub mod permissions;
mod route53;
mod s3;
mod s3control;
mod secretsmanager;
mod sns;
mod tagging;
mod terraform_state;
mod usage;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_config::SdkConfig;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use crate::error::CollectError;
use crate::inventory::{self as inv, Collected, Inventory, Regional};
use crate::session::calls::CallLog;
use crate::session::Session;

/// Per-resource calls one collector keeps in flight at most (the global gate still applies).
const PER_COLLECTOR_FANOUT: usize = 32;

/// What a collector needs to make calls: its service and region, the call log and the gate.
#[derive(Clone)]
pub struct Ctx {
    pub service: &'static str,
    pub region: String,
    log: Arc<CallLog>,
    gate: Arc<Semaphore>,
}

impl Ctx {
    pub fn new(
        service: &'static str,
        region: &str,
        log: Arc<CallLog>,
        gate: Arc<Semaphore>,
    ) -> Ctx {
        Ctx {
            service,
            region: region.to_owned(),
            log,
            gate,
        }
    }

    /// Makes one call through the gate and records it.
    pub async fn call<T, E, F>(&self, operation: &'static str, call: F) -> Result<T, CollectError>
    where
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let (result, attempts) = {
            let _permit = self.gate.acquire().await.ok();
            prodready_aws::http::attempt_unless_interrupted(call).await
        };
        match result {
            Some(result) => self.outcome(operation, result, attempts),
            None => Err(self.interrupted(operation, attempts)),
        }
    }

    /// Reads every page of a paginated list, each page one gated, recorded call.
    pub async fn pages<T, E>(
        &self,
        operation: &'static str,
        mut stream: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<Vec<T>, CollectError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut pages = Vec::new();
        loop {
            let (next, attempts) = {
                let _permit = self.gate.acquire().await.ok();
                prodready_aws::http::attempt_unless_interrupted(stream.next()).await
            };
            let Some(next) = next else {
                return Err(self.interrupted(operation, attempts));
            };
            match next {
                None => return Ok(pages),
                Some(result) => pages.push(self.outcome(operation, result, attempts)?),
            }
        }
    }

    /// A read the scan's interruption ended, recorded as failed.
    pub fn interrupted(&self, operation: &'static str, attempts: u64) -> CollectError {
        let failure = prodready_aws::ApiFailure::interrupted();
        self.log.record(
            self.service,
            operation,
            &self.region,
            attempts,
            Some(&failure),
        );
        CollectError::new(self.service, operation, &self.region, failure)
    }

    fn outcome<T, E>(
        &self,
        operation: &'static str,
        result: Result<T, SdkError<E, HttpResponse>>,
        attempts: u64,
    ) -> Result<T, CollectError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        match result {
            Ok(v) => {
                self.log
                    .record(self.service, operation, &self.region, attempts, None);
                Ok(v)
            }
            Err(e) => {
                let failure = prodready_aws::classify(&e);
                self.log.record(
                    self.service,
                    operation,
                    &self.region,
                    attempts,
                    Some(&failure),
                );
                Err(CollectError::new(
                    self.service,
                    operation,
                    &self.region,
                    failure,
                ))
            }
        }
    }

    fn gate(&self) -> &Semaphore {
        &self.gate
    }

    fn log(&self) -> &CallLog {
        &self.log
    }
}

/// A timestamp as the inventory stores it: RFC 3339, UTC.
fn rfc3339(t: &aws_smithy_types::DateTime) -> String {
    t.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default()
}

/// The error code of a failed call, for the few cases a collector handles in place
/// (a resource deleted between the list and the describe).
fn is_not_found(e: &CollectError) -> bool {
    e.code.as_deref().is_some_and(|c| c.contains("NotFound"))
}

/// Reads the whole account: every regional collector in every region, and the account-wide
/// ones, all at once.
/// `state_bucket`: the Terraform state bucket named in the config, if any (see STATE-01);
/// `terraform`: the states and configuration given to the scan.
pub async fn collect(
    session: &Session,
    log: Arc<CallLog>,
    gate: Arc<Semaphore>,
    state_bucket: Option<String>,
    terraform: &crate::terraform::Sources,
) -> Inventory {
    let mut inventory = Inventory {
        account_id: session.account_id.clone(),
        regions: session.regions.clone(),
        collected_at: rfc3339(&std::time::SystemTime::now().into()),
        ..Inventory::default()
    };
    let start = Starter { session, log, gate };
    let mut filings = Vec::new();
    for region in &session.regions {
        filings.extend(start.regional(region));
    }
    filings.extend(start.global());
    filings.extend(start.account_wide(state_bucket));
    for filing in filings {
        filing.await(&mut inventory);
    }
    // Usage metrics need the buckets and tables, S3 states their bucket's region: a second,
    // short round.
    let states = start.terraform_states(terraform, &inventory);
    for filing in start.usage(&inventory) {
        filing.await(&mut inventory);
    }
    inventory.terraform = Some(Collected::Ok(inv::TerraformInputs {
        states: terraform
            .local
            .iter()
            .cloned()
            .chain(
                futures::future::join_all(states)
                    .await
                    .into_iter()
                    // A read that panicked is a bug; the state is then simply not there.
                    .filter_map(Result::ok),
            )
            .collect(),
        declarations: terraform.declarations.clone(),
    }));
    for failure in &session.unreachable {
        inventory.unreachable_region(failure);
    }
    inventory
}

/// Starts the collectors of a session, each with its call context.
struct Starter<'a> {
    session: &'a Session,
    log: Arc<CallLog>,
    gate: Arc<Semaphore>,
}

impl Starter<'_> {
    fn ctx(&self, service: &'static str, region: &str) -> Ctx {
        Ctx::new(service, region, self.log.clone(), self.gate.clone())
    }

    /// Every regional part's collector, in `r`.
    fn regional(&self, r: &str) -> Vec<Filing> {
        let config = self.session.config_for(r);
        let c = || config.clone();
        let ctx = |service| self.ctx(service, r);
        vec![
            file(r, |i| &mut i.ecs, ecs::collect(ctx("ecs"), c())),
            file(r, |i| &mut i.elbv2, elbv2::collect(ctx("elbv2"), c())),
            file(r, |i| &mut i.ec2, ec2::subnets(ctx("ec2"), c())),
            file(
                r,
                |i| &mut i.security_groups,
                ec2::security_groups(ctx("ec2"), c()),
            ),
            file(r, |i| &mut i.flow_logs, ec2::flow_logs(ctx("ec2"), c())),
            file(
                r,
                |i| &mut i.nat_gateways,
                ec2::nat_gateways(ctx("ec2"), c()),
            ),
            file(
                r,
                |i| &mut i.dynamodb,
                dynamodb::collect(ctx("dynamodb"), c()),
            ),
            file(r, |i| &mut i.logs, logs::collect(ctx("logs"), c())),
            file(r, |i| &mut i.kms, kms::collect(ctx("kms"), c())),
            file(
                r,
                |i| &mut i.guardduty,
                guardduty::collect(ctx("guardduty"), c()),
            ),
            file(
                r,
                |i| &mut i.cloudwatch,
                cloudwatch::collect(ctx("cloudwatch"), c()),
            ),
            file(r, |i| &mut i.events, events::collect(ctx("events"), c())),
            file(r, |i| &mut i.sns, sns::collect(ctx("sns"), c())),
            file(r, |i| &mut i.lambda, lambda::collect(ctx("lambda"), c())),
            file(
                r,
                |i| &mut i.secretsmanager,
                secretsmanager::collect(ctx("secretsmanager"), c()),
            ),
            file(r, |i| &mut i.backup, backup::collect(ctx("backup"), c())),
            file(
                r,
                |i| &mut i.autoscaling,
                autoscaling::collect(ctx("application-autoscaling"), c()),
            ),
            file(
                r,
                |i| &mut i.codepipeline,
                codepipeline::collect(ctx("codepipeline"), c()),
            ),
            file(r, |i| &mut i.ecr, ecr::collect(ctx("ecr"), c())),
            file(r, |i| &mut i.acm, acm::collect(ctx("acm"), c())),
            file(r, |i| &mut i.tags, tagging::collect(ctx("tag"), c())),
        ]
    }

    /// Global services (CloudFront, CLOUDFRONT-scope WAF, Route 53, IAM) answer in the
    /// partition's global region, where CloudFront's certificates and tags live too.
    fn global(&self) -> Vec<Filing> {
        let partition = crate::partition::of_region(&self.session.regions[0]);
        let g = crate::partition::global_region(partition);
        let global = self.session.config_for(g);
        let mut filings = Vec::new();
        // The scope's tag filters judge distributions by their tags.
        if !self.session.regions.iter().any(|r| r == g) {
            filings.push(file(
                g,
                |i| &mut i.acm,
                acm::collect(self.ctx("acm", g), global.clone()),
            ));
            filings.push(file(
                g,
                |i| &mut i.tags,
                tagging::collect(self.ctx("tag", g), global.clone()),
            ));
        }
        // CloudFront does not exist in every partition (not in GovCloud): there, the account
        // has no distribution to judge, and no call is made that could only fail.
        if crate::partition::has_cloudfront(partition) {
            let distributions = cloudfront::collect(
                self.ctx("cloudfront", g),
                self.ctx("wafv2", g),
                global.clone(),
            );
            filings.push(file_global(|i| &mut i.cloudfront, distributions));
        } else {
            filings.push(file_global(|i| &mut i.cloudfront, async {
                Ok(inv::CloudFront::default())
            }));
        }
        filings.push(file_global(
            |i| &mut i.route53,
            route53::collect(self.ctx("route53", g), global.clone()),
        ));
        filings.push(file_global(
            |i| &mut i.iam,
            iam::collect(self.ctx("iam", g), global),
        ));
        filings
    }

    /// CloudTrail and S3, read once for the account from the primary region with every
    /// scanned region's config.
    fn account_wide(&self, state_bucket: Option<String>) -> Vec<Filing> {
        let session = self.session;
        let region_configs: Vec<(String, SdkConfig)> = session
            .regions
            .iter()
            .map(|r| (r.clone(), session.config_for(r)))
            .collect();
        let primary = &session.regions[0];
        let trails = cloudtrail::collect(self.ctx("cloudtrail", primary), region_configs.clone());
        // An endpoint override (an emulator, a proxy, an S3-compatible store) cannot resolve
        // virtual-hosted bucket names: buckets are addressed by path there.
        let by_path = session.endpoint.is_some();
        let account_block = spawn(s3control::collect(
            self.ctx("s3control", primary),
            region_configs[0].1.clone(),
            session.account_id.clone(),
            by_path,
        ));
        let buckets = spawn(s3::collect(
            self.ctx("s3", primary),
            region_configs,
            by_path,
            state_bucket,
        ));
        let s3: Filing = Box::pin(async move {
            let account_block = collected(account_block.await);
            let s3 = collected(buckets.await).map_ok(|mut s3| {
                s3.account_public_access_block = Some(account_block);
                s3
            });
            Box::new(move |i: &mut Inventory| i.s3 = Some(s3)) as Fill
        });
        vec![file_global(|i| &mut i.cloudtrail, trails), s3]
    }

    /// The `s3://` states, each read from its bucket's region (the first scanned region when
    /// the bucket is not the account's).
    fn terraform_states(
        &self,
        terraform: &crate::terraform::Sources,
        inventory: &Inventory,
    ) -> Vec<tokio::task::JoinHandle<inv::StateFile>> {
        let by_path = self.session.endpoint.is_some();
        terraform
            .s3
            .iter()
            .map(|source| {
                let bucket = crate::terraform::s3_url(source).map(|(b, _)| b);
                let region = match &inventory.s3 {
                    Some(Collected::Ok(s3)) => s3
                        .buckets
                        .iter()
                        .find(|b| Some(b.name.as_str()) == bucket)
                        .and_then(|b| b.region.clone()),
                    _ => None,
                }
                .unwrap_or_else(|| self.session.regions[0].clone());
                let read = terraform_state::read(
                    self.ctx("s3", &region),
                    self.session.config_for(&region),
                    by_path,
                    source.clone(),
                );
                tokio::spawn(read)
            })
            .collect()
    }

    /// CloudWatch's measurements of the buckets, tables and log groups just read, per region.
    fn usage(&self, inventory: &Inventory) -> Vec<Filing> {
        let mut filings = Vec::new();
        for region in &self.session.regions {
            let buckets: Vec<String> = match &inventory.s3 {
                Some(Collected::Ok(s3)) => s3
                    .buckets
                    .iter()
                    .filter(|b| b.region.as_deref() == Some(region.as_str()))
                    .map(|b| b.name.clone())
                    .collect(),
                _ => Vec::new(),
            };
            let tables: Vec<String> = match inventory.dynamodb.get(region) {
                Some(Collected::Ok(d)) => d.tables.iter().map(|t| t.name.clone()).collect(),
                _ => Vec::new(),
            };
            let log_groups: Vec<String> = match inventory.logs.get(region) {
                Some(Collected::Ok(l)) => l.groups.iter().map(|g| g.name.clone()).collect(),
                _ => Vec::new(),
            };
            let nat_gateways: Vec<String> = match inventory.nat_gateways.get(region) {
                Some(Collected::Ok(n)) => n.billed().map(|g| g.id.clone()).collect(),
                _ => Vec::new(),
            };
            let config = self.session.config_for(region);
            let ctx = self.ctx("cloudwatch", region);
            let measured = usage::collect(ctx, config, buckets, tables, log_groups, nat_gateways);
            filings.push(file(region, |i| &mut i.usage, measured));
        }
        filings
    }
}

type Joined<T> = Result<Result<T, CollectError>, tokio::task::JoinError>;

/// A collector's result on its way to its part of the inventory.
type Filing = Pin<Box<dyn Future<Output = Fill> + Send>>;

/// Puts one collector's result into the inventory.
type Fill = Box<dyn FnOnce(&mut Inventory) + Send>;

/// Starts `collector` for `region`; its result, once awaited, goes to `part` of the inventory.
fn file<T: Send + 'static>(
    region: &str,
    part: fn(&mut Inventory) -> &mut Regional<T>,
    collector: impl Future<Output = Result<T, CollectError>> + Send + 'static,
) -> Filing {
    let region = region.to_owned();
    let task = spawn(collector);
    Box::pin(async move {
        let result = collected(task.await);
        Box::new(move |inv: &mut Inventory| {
            part(inv).insert(region, result);
        }) as Fill
    })
}

/// As [`file`], for a part read once for the account.
fn file_global<T: Send + 'static>(
    part: fn(&mut Inventory) -> &mut Option<Collected<T>>,
    collector: impl Future<Output = Result<T, CollectError>> + Send + 'static,
) -> Filing {
    let task = spawn(collector);
    Box::pin(async move {
        let result = collected(task.await);
        Box::new(move |inv: &mut Inventory| {
            *part(inv) = Some(result);
        }) as Fill
    })
}

fn spawn<T: Send + 'static>(
    f: impl Future<Output = Result<T, CollectError>> + Send + 'static,
) -> tokio::task::JoinHandle<Result<T, CollectError>> {
    use crate::progress::{add, PARTS_DONE, PARTS_STARTED};
    add(&PARTS_STARTED, 1);
    tokio::spawn(async move {
        let part = f.await;
        add(&PARTS_DONE, 1);
        part
    })
}

fn collected<T>(joined: Joined<T>) -> Collected<T> {
    match joined {
        Ok(Ok(v)) => Collected::Ok(v),
        Ok(Err(e)) => Collected::Error(e),
        // A collector that panicked is a bug; the scan still reports it as that part's error.
        Err(join) => Collected::Error(CollectError {
            service: "prodready".into(),
            operation: "collect".into(),
            region: String::new(),
            iam_action: String::new(),
            kind: prodready_aws::FailureKind::Response,
            code: Some("CollectorPanicked".into()),
            message: join.to_string(),
        }),
    }
}
