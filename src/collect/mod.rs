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
mod route53;
mod s3;
mod s3control;
mod secretsmanager;
mod sns;
mod tagging;
mod usage;

pub use backup::RESTORE_WINDOW_DAYS;

use std::future::Future;
use std::sync::Arc;

use aws_config::SdkConfig;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use crate::calls::CallLog;
use crate::error::CollectError;
use crate::inventory::{self as inv, Collected, Inventory, Regional};
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
/// `state_bucket`: the Terraform state bucket named in the config, if any (see STATE-01).
pub async fn collect(
    session: &Session,
    log: Arc<CallLog>,
    gate: Arc<Semaphore>,
    state_bucket: Option<String>,
) -> Inventory {
    let mut inventory = Inventory {
        account_id: session.account_id.clone(),
        regions: session.regions.clone(),
        collected_at: rfc3339(&std::time::SystemTime::now().into()),
        ..Inventory::default()
    };

    let ctx = |service, region: &str| Ctx::new(service, region, log.clone(), gate.clone());
    let mut regional = Vec::new();
    for region in &session.regions {
        let config = session.config_for(region);
        let c = || config.clone();
        regional.push(RegionTasks {
            region: region.clone(),
            ecs: spawn(ecs::collect(ctx("ecs", region), c())),
            elbv2: spawn(elbv2::collect(ctx("elbv2", region), c())),
            ec2: spawn(ec2::subnets(ctx("ec2", region), c())),
            security_groups: spawn(ec2::security_groups(ctx("ec2", region), c())),
            flow_logs: spawn(ec2::flow_logs(ctx("ec2", region), c())),
            dynamodb: spawn(dynamodb::collect(ctx("dynamodb", region), c())),
            logs: spawn(logs::collect(ctx("logs", region), c())),
            kms: spawn(kms::collect(ctx("kms", region), c())),
            guardduty: spawn(guardduty::collect(ctx("guardduty", region), c())),
            cloudwatch: spawn(cloudwatch::collect(ctx("cloudwatch", region), c())),
            events: spawn(events::collect(ctx("events", region), c())),
            sns: spawn(sns::collect(ctx("sns", region), c())),
            lambda: spawn(lambda::collect(ctx("lambda", region), c())),
            secretsmanager: spawn(secretsmanager::collect(ctx("secretsmanager", region), c())),
            backup: spawn(backup::collect(ctx("backup", region), c())),
            autoscaling: spawn(autoscaling::collect(
                ctx("application-autoscaling", region),
                c(),
            )),
            codepipeline: spawn(codepipeline::collect(ctx("codepipeline", region), c())),
            ecr: spawn(ecr::collect(ctx("ecr", region), c())),
            acm: spawn(acm::collect(ctx("acm", region), c())),
            tags: spawn(tagging::collect(ctx("tag", region), c())),
        });
    }
    // Global services (CloudFront, CLOUDFRONT-scope WAF, Route 53, IAM) answer in the
    // partition's global region, where CloudFront's ACM certificates live too.
    let partition = crate::partition::of_region(&session.regions[0]);
    let global_region = crate::partition::global_region(partition);
    let global = session.config_for(global_region);
    // CloudFront's certificates are in us-east-1 whatever regions are scanned.
    // ... and so are its tags (the scope's tag filters judge distributions by them).
    let global_scanned = session.regions.iter().any(|r| r == global_region);
    let edge_certificates =
        (!global_scanned).then(|| spawn(acm::collect(ctx("acm", global_region), global.clone())));
    let edge_tags = (!global_scanned)
        .then(|| spawn(tagging::collect(ctx("tag", global_region), global.clone())));
    // CloudFront does not exist in every partition (not in GovCloud): there, the account has
    // no distribution to judge, and no call is made that could only fail.
    let cloudfront = crate::partition::has_cloudfront(partition).then(|| {
        spawn(cloudfront::collect(
            ctx("cloudfront", global_region),
            ctx("wafv2", global_region),
            global.clone(),
        ))
    });
    let route53 = spawn(route53::collect(
        ctx("route53", global_region),
        global.clone(),
    ));
    let iam = spawn(iam::collect(ctx("iam", global_region), global));
    // Account-wide collectors get every scanned region's config; the first is the primary.
    let region_configs: Vec<(String, SdkConfig)> = session
        .regions
        .iter()
        .map(|r| (r.clone(), session.config_for(r)))
        .collect();
    let primary = &session.regions[0];
    let trails = spawn(cloudtrail::collect(
        ctx("cloudtrail", primary),
        region_configs.clone(),
    ));
    // An endpoint override (an emulator, a proxy, an S3-compatible store) cannot resolve
    // virtual-hosted bucket names: buckets are addressed by path there.
    let account_block = spawn(s3control::collect(
        ctx("s3control", primary),
        region_configs[0].1.clone(),
        session.account_id.clone(),
        session.endpoint.is_some(),
    ));
    let buckets = spawn(s3::collect(
        ctx("s3", primary),
        region_configs,
        session.endpoint.is_some(),
        state_bucket,
    ));

    for t in regional {
        let r = t.region.as_str();
        insert(&mut inventory.ecs, r, t.ecs.await);
        insert(&mut inventory.elbv2, r, t.elbv2.await);
        insert(&mut inventory.ec2, r, t.ec2.await);
        insert(&mut inventory.security_groups, r, t.security_groups.await);
        insert(&mut inventory.flow_logs, r, t.flow_logs.await);
        insert(&mut inventory.dynamodb, r, t.dynamodb.await);
        insert(&mut inventory.logs, r, t.logs.await);
        insert(&mut inventory.kms, r, t.kms.await);
        insert(&mut inventory.guardduty, r, t.guardduty.await);
        insert(&mut inventory.cloudwatch, r, t.cloudwatch.await);
        insert(&mut inventory.events, r, t.events.await);
        insert(&mut inventory.sns, r, t.sns.await);
        insert(&mut inventory.lambda, r, t.lambda.await);
        insert(&mut inventory.secretsmanager, r, t.secretsmanager.await);
        insert(&mut inventory.backup, r, t.backup.await);
        insert(&mut inventory.autoscaling, r, t.autoscaling.await);
        insert(&mut inventory.codepipeline, r, t.codepipeline.await);
        insert(&mut inventory.ecr, r, t.ecr.await);
        insert(&mut inventory.acm, r, t.acm.await);
        insert(&mut inventory.tags, r, t.tags.await);
    }
    if let Some(task) = edge_certificates {
        insert(&mut inventory.acm, global_region, task.await);
    }
    if let Some(task) = edge_tags {
        insert(&mut inventory.tags, global_region, task.await);
    }
    inventory.cloudtrail = Some(collected(trails.await));
    let account_block = collected(account_block.await);
    inventory.s3 = Some(collected(buckets.await).map_ok(|mut s3| {
        s3.account_public_access_block = Some(account_block);
        s3
    }));

    // Usage metrics need the buckets and tables: a second, short round.
    let mut usage_tasks = Vec::new();
    for region in &session.regions {
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
        usage_tasks.push((
            region.clone(),
            spawn(usage::collect(
                ctx("cloudwatch", region),
                session.config_for(region),
                buckets,
                tables,
            )),
        ));
    }
    for (region, task) in usage_tasks {
        insert(&mut inventory.usage, &region, task.await);
    }
    inventory.cloudfront = Some(match cloudfront {
        Some(task) => collected(task.await),
        None => Collected::Ok(inv::CloudFront::default()),
    });
    inventory.route53 = Some(collected(route53.await));
    inventory.iam = Some(collected(iam.await));
    for failure in &session.unreachable {
        unreachable_region(&mut inventory, failure);
    }
    inventory
}

/// A region the session's probe could not reach: every part of it is that one failure, so
/// each of its checks says ERROR with the cause, and nothing there was called again.
fn unreachable_region(inv: &mut Inventory, failure: &CollectError) {
    fn fail<T>(part: &mut Regional<T>, failure: &CollectError) {
        part.insert(failure.region.clone(), Collected::Error(failure.clone()));
    }
    inv.regions.push(failure.region.clone());
    fail(&mut inv.ecs, failure);
    fail(&mut inv.elbv2, failure);
    fail(&mut inv.ec2, failure);
    fail(&mut inv.security_groups, failure);
    fail(&mut inv.flow_logs, failure);
    fail(&mut inv.dynamodb, failure);
    fail(&mut inv.logs, failure);
    fail(&mut inv.kms, failure);
    fail(&mut inv.guardduty, failure);
    fail(&mut inv.cloudwatch, failure);
    fail(&mut inv.sns, failure);
    fail(&mut inv.lambda, failure);
    fail(&mut inv.secretsmanager, failure);
    fail(&mut inv.backup, failure);
    fail(&mut inv.autoscaling, failure);
    fail(&mut inv.codepipeline, failure);
    fail(&mut inv.ecr, failure);
    fail(&mut inv.acm, failure);
    fail(&mut inv.tags, failure);
    fail(&mut inv.usage, failure);
}

type Joined<T> = Result<Result<T, CollectError>, tokio::task::JoinError>;
type Task<T> = tokio::task::JoinHandle<Result<T, CollectError>>;

/// One region's collectors, running.
struct RegionTasks {
    region: String,
    ecs: Task<inv::Ecs>,
    elbv2: Task<inv::Elbv2>,
    ec2: Task<inv::Ec2>,
    security_groups: Task<inv::SecurityGroups>,
    flow_logs: Task<inv::FlowLogs>,
    dynamodb: Task<inv::DynamoDb>,
    logs: Task<inv::Logs>,
    kms: Task<inv::Kms>,
    guardduty: Task<inv::GuardDuty>,
    cloudwatch: Task<inv::CloudWatch>,
    events: Task<inv::Events>,
    sns: Task<inv::Sns>,
    lambda: Task<inv::Lambda>,
    secretsmanager: Task<inv::SecretsManager>,
    backup: Task<inv::Backup>,
    autoscaling: Task<inv::AutoScaling>,
    codepipeline: Task<inv::CodePipeline>,
    ecr: Task<inv::Ecr>,
    acm: Task<inv::Acm>,
    tags: Task<inv::Tags>,
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

fn insert<T>(part: &mut Regional<T>, region: &str, joined: Joined<T>) {
    part.insert(region.to_owned(), collected(joined));
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
