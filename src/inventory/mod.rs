//! What the collectors observed: plain data, no SDK types, no secret values.
//!
//! The inventory is stored whole in the evidence file, so a saved scan can be evaluated
//! again offline and must give the same findings. Every collected part says per region
//! whether it was read (`ok`) or why not (`error`); a rule never mistakes "could not read"
//! for "nothing there".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::CollectError;
pub use parts::{Part, PartVisitor, PartVisitorMut};

mod alarm_routes;
mod parts;
pub mod total;
// EC2's types are defined beside the EC2 calls, in the crate that keeps aws-sdk-ec2 apart.
pub use prodready_aws::ec2::{FlowLog, IngressRule, NatGateway, SecurityGroup, Subnet};

/// A part of the inventory that was either collected or failed to collect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collected<T> {
    Ok(T),
    Error(CollectError),
}

impl<T> Collected<T> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Collected::Ok(v) => Some(v),
            Collected::Error(_) => None,
        }
    }

    pub fn ok_mut(&mut self) -> Option<&mut T> {
        match self {
            Collected::Ok(v) => Some(v),
            Collected::Error(_) => None,
        }
    }

    pub fn error(&self) -> Option<&CollectError> {
        match self {
            Collected::Ok(_) => None,
            Collected::Error(e) => Some(e),
        }
    }

    /// A read's result as the inventory keeps it.
    pub fn from_result(result: Result<T, CollectError>) -> Collected<T> {
        match result {
            Ok(v) => Collected::Ok(v),
            Err(e) => Collected::Error(e),
        }
    }

    pub fn map_ok<U>(self, f: impl FnOnce(T) -> U) -> Collected<U> {
        match self {
            Collected::Ok(v) => Collected::Ok(f(v)),
            Collected::Error(e) => Collected::Error(e),
        }
    }
}

/// A part never collected reads as collected and empty: evidence written before the part
/// existed is judged as it was then.
impl<T: Default> Default for Collected<T> {
    fn default() -> Self {
        Collected::Ok(T::default())
    }
}

/// A regional part, keyed by region name.
pub type Regional<T> = BTreeMap<String, Collected<T>>;

/// Declares the inventory from its list of parts: the struct, and the visitors that walk
/// every part (`parts.rs`). Each part is `regional` (read per scanned region) or `global`
/// (read once for the account).
macro_rules! inventory {
    ($( $(#[$meta:meta])* $name:ident: $kind:ident $part:ty, )*) => {
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct Inventory {
            pub account_id: String,
            pub regions: Vec<String>,
            /// When collection started (RFC 3339): the "now" of every age a rule judges
            /// (rotation, restores, certificate expiry), so a stored inventory is judged the
            /// same later.
            #[serde(default)]
            pub collected_at: String,
            $( $(#[$meta])* pub $name: inventory!(@type $kind $part), )*
        }

        impl Inventory {
            /// The name of every part, as the evidence stores it.
            pub const PARTS: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Shows `visitor` every part, in the order the evidence stores them.
            pub fn visit(&self, visitor: &mut impl PartVisitor) {
                $( visitor.$kind(stringify!($name), &self.$name); )*
            }

            /// Lets `visitor` change every part.
            pub fn visit_mut(&mut self, visitor: &mut impl PartVisitorMut) {
                $( visitor.$kind(stringify!($name), &mut self.$name); )*
            }
        }
    };
    (@type regional $part:ty) => { Regional<$part> };
    (@type global $part:ty) => { Option<Collected<$part>> };
}

inventory! {
    ecs: regional Ecs,
    elbv2: regional Elbv2,
    ec2: regional Ec2,
    security_groups: regional SecurityGroups,
    flow_logs: regional FlowLogs,
    /// NAT gateways, for the cost estimate.
    #[serde(default)]
    nat_gateways: regional NatGateways,
    dynamodb: regional DynamoDb,
    logs: regional Logs,
    kms: regional Kms,
    /// CloudTrail is read account-wide: a multi-region trail shows in every region, and is
    /// listed once here.
    cloudtrail: global CloudTrail,
    guardduty: regional GuardDuty,
    /// S3 is read account-wide (ListBuckets is global); each bucket carries its region.
    s3: global S3,
    cloudwatch: regional CloudWatch,
    /// EventBridge rules that route alarm state changes (MON-07).
    #[serde(default)]
    events: regional Events,
    sns: regional Sns,
    lambda: regional Lambda,
    secretsmanager: regional SecretsManager,
    backup: regional Backup,
    autoscaling: regional AutoScaling,
    codepipeline: regional CodePipeline,
    ecr: regional Ecr,
    /// ACM certificates of the scanned regions and of us-east-1, where CloudFront's live.
    acm: regional Acm,
    /// CloudFront, its WAF web ACLs (read in us-east-1), Route 53 and IAM are global.
    cloudfront: global CloudFront,
    route53: global Route53,
    iam: global Iam,
    /// Resource tags (Resource Groups Tagging API), for the config's scope.
    tags: regional Tags,
    /// What CloudWatch says of the buckets' size and the tables' consumption (cost estimate).
    #[serde(default)]
    usage: regional Usage,
    /// The Terraform state and configuration given to the scan (`--terraform-state`,
    /// `--terraform-dir`): which address manages which resource, and where it is declared.
    #[serde(default)]
    terraform: global TerraformInputs,
}

impl Inventory {
    /// Days from `then` (RFC 3339) to the scan's start (`collected_at`); `None` when either is
    /// not a timestamp.
    pub fn age_days(&self, then: &str) -> Option<f64> {
        use aws_smithy_types::date_time::{DateTime, Format};
        let now = DateTime::from_str(&self.collected_at, Format::DateTime).ok()?;
        let then = DateTime::from_str(then, Format::DateTime).ok()?;
        Some((now.as_secs_f64() - then.as_secs_f64()) / 86_400.0)
    }

    /// The account's partition (`aws`, `aws-cn`, `aws-us-gov` …), from its scanned regions.
    pub fn partition(&self) -> &'static str {
        crate::partition::of_region(self.regions.first().map_or("", String::as_str))
    }

    /// A security group's ARN (EC2 lists groups by id only).
    pub fn security_group_arn(&self, region: &str, id: &str) -> String {
        format!(
            "arn:{}:ec2:{region}:{}:security-group/{id}",
            self.partition(),
            self.account_id
        )
    }

    /// A GuardDuty detector's ARN (GuardDuty lists detectors by id only).
    pub fn detector_arn(&self, region: &str, id: &str) -> String {
        format!(
            "arn:{}:guardduty:{region}:{}:detector/{id}",
            self.partition(),
            self.account_id
        )
    }
}

// ---------------------------------------------------------------- ECS

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ecs {
    pub clusters: Vec<EcsCluster>,
    pub services: Vec<EcsService>,
    pub task_definitions: Vec<TaskDefinition>,
    /// Clusters whose services could not be listed or described (the resource is the
    /// cluster's ARN): the checks of services say ERROR for them, and judge the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_errors: Vec<ResourceError>,
    /// Task definitions that could not be described: the checks of task definitions say
    /// ERROR for them, and judge the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_definition_errors: Vec<ResourceError>,
}

/// A read about one resource that failed, with the resource it was about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceError {
    /// The ARN (or name, where the API takes a name) of the resource the read was about.
    pub resource: String,
    pub error: CollectError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcsCluster {
    pub arn: String,
    pub name: String,
    pub status: Option<String>,
    pub active_services: i32,
    pub running_tasks: i32,
    /// The `containerInsights` setting: `enabled`, `enhanced` or `disabled`; `None` if unset.
    pub container_insights: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EcsService {
    pub arn: String,
    pub name: String,
    pub cluster_arn: String,
    pub status: Option<String>,
    pub launch_type: Option<String>,
    pub scheduling_strategy: Option<String>,
    pub desired_count: i32,
    pub running_count: i32,
    pub task_definition: Option<String>,
    pub load_balancers: Vec<ServiceLoadBalancer>,
    pub health_check_grace_period_seconds: Option<i32>,
    /// `None` when the API did not report it (ECS then applies its defaults).
    pub deployment: Option<DeploymentConfiguration>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: Option<bool>,
    /// `deploymentController.type`: `ECS` (rolling update, also when unreported),
    /// `CODE_DEPLOY` (blue/green) or `EXTERNAL`.
    #[serde(default)]
    pub deployment_controller: Option<String>,
    /// `capacityProviderStrategy`: where the tasks run (`FARGATE`, `FARGATE_SPOT` or an Auto
    /// Scaling group's provider), each provider's base and weight. Empty when the service
    /// names a launch type instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_providers: Vec<CapacityProviderShare>,
}

/// One entry of a capacity provider strategy: `base` tasks run on it first, the rest are
/// shared by `weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityProviderShare {
    pub provider: String,
    pub base: i32,
    pub weight: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceLoadBalancer {
    pub target_group_arn: Option<String>,
    /// Set for Classic Load Balancers, which have no target groups.
    pub load_balancer_name: Option<String>,
    pub container_name: Option<String>,
    pub container_port: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentConfiguration {
    pub minimum_healthy_percent: Option<i32>,
    pub maximum_percent: Option<i32>,
    pub circuit_breaker_enabled: Option<bool>,
    pub circuit_breaker_rollback: Option<bool>,
    /// `deploymentConfiguration.alarms`: CloudWatch alarms that stop a deployment and, with
    /// `rollback`, return the service to the last completed deployment.
    #[serde(default)]
    pub alarms: Option<DeploymentAlarms>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentAlarms {
    pub names: Vec<String>,
    pub enable: bool,
    pub rollback: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDefinition {
    pub arn: String,
    pub family: String,
    pub revision: i32,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub containers: Vec<Container>,
    /// `runtimePlatform.cpuArchitecture`: `X86_64` (also when unset) or `ARM64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    /// Names of plain environment variables. Their values are never read into the inventory.
    pub environment: Vec<String>,
    /// Variables injected from Secrets Manager or SSM: name and where the value comes from.
    pub secrets: Vec<SecretReference>,
    /// The log group the `awslogs` driver writes to (`awslogs-group`), if it is that driver.
    #[serde(default)]
    pub log_group: Option<String>,
    /// `portMappings[].containerPort`: the ports the container listens on. `None` when not
    /// read.
    #[serde(default)]
    pub ports: Option<Vec<i32>>,
    /// The container health check (`healthCheck`), when it has a command and the container
    /// is essential: an unhealthy essential container makes ECS replace the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<ContainerHealthCheck>,
}

/// A container health check's timing: `interval` seconds apart, unhealthy after `retries`
/// failures (ECS's defaults 30 and 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerHealthCheck {
    pub interval_seconds: i32,
    pub retries: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretReference {
    pub name: String,
    pub value_from: String,
}

// ---------------------------------------------------------------- ELBv2

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Elbv2 {
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    /// Why these may not be all the region's load balancers (a plan judged alone holds only
    /// its own): what none of them uses is then unknown, not unused. A scan leaves it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<CollectError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: String,
    /// `application`, `network` or `gateway`.
    pub kind: String,
    pub scheme: Option<String>,
    pub availability_zones: Vec<String>,
    pub security_groups: Vec<String>,
    /// The bucket its access logs go to (`access_logs.s3.bucket` while
    /// `access_logs.s3.enabled`), from DescribeLoadBalancerAttributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_logs_bucket: Option<String>,
    /// Why its attributes could not be read, when they could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_error: Option<CollectError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    pub load_balancer_arns: Vec<String>,
    pub protocol: Option<String>,
    pub port: Option<i32>,
    pub target_type: Option<String>,
    pub health_check_enabled: Option<bool>,
    pub health_check_path: Option<String>,
    /// `HealthCheckIntervalSeconds`, `HealthyThresholdCount`, `UnhealthyThresholdCount`:
    /// how long a failed target takes to be seen and its replacement to serve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_interval_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_threshold: Option<i32>,
}

// ---------------------------------------------------------------- EC2

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ec2 {
    pub subnets: Vec<Subnet>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityGroups {
    pub groups: Vec<SecurityGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NatGateways {
    pub gateways: Vec<NatGateway>,
}

impl NatGateways {
    /// The gateways billed by the hour: from creation until deleted (`pending`, `available`).
    pub fn billed(&self) -> impl Iterator<Item = &NatGateway> {
        self.gateways
            .iter()
            .filter(|g| matches!(g.state.as_deref(), Some("pending" | "available")))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowLogs {
    pub flow_logs: Vec<FlowLog>,
}

// ---------------------------------------------------------------- DynamoDB

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DynamoDb {
    pub tables: Vec<Table>,
    /// Tables listed but whose DescribeTable failed: judged ERROR, the others as usual.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ResourceError>,
    /// Replication groups of version 2017.11.29 (legacy) global tables with a replica in this
    /// region, from ListGlobalTables: they are not in DescribeTable's `Replicas`.
    #[serde(default)]
    pub legacy_global_tables: Collected<Vec<LegacyGlobalTable>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyGlobalTable {
    pub name: String,
    pub replica_regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub arn: String,
    pub name: String,
    pub status: Option<String>,
    pub billing_mode: Option<String>,
    /// Provisioned read and write capacity units of the table and its global secondary
    /// indexes together (`ProvisionedThroughput`; 0 for an on-demand table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_reads: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_writes: Option<i64>,
    /// `TableClassSummary.TableClass`: `STANDARD` (also when unset) or
    /// `STANDARD_INFREQUENT_ACCESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_class: Option<String>,
    /// `CreationDateTime`, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub size_bytes: Option<i64>,
    pub item_count: Option<i64>,
    /// The partition key: name and type (`S`, `N`, `B`).
    pub hash_key: Option<KeyAttribute>,
    /// `KMS` when encrypted with a KMS key; `None` for the AWS-owned default key.
    pub sse_type: Option<String>,
    pub kms_key_arn: Option<String>,
    /// Point-in-time recovery, from DescribeContinuousBackups; `None` when that call failed.
    pub pitr_enabled: Option<bool>,
    /// `RecoveryPeriodInDays` (1–35): how far back PITR can restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitr_recovery_days: Option<i32>,
    /// Why the table's backup settings could not be read, when they could not.
    pub backups_error: Option<CollectError>,
    /// Regions of the table's global-table replicas (version 2019.11.21), other than its own.
    #[serde(default)]
    pub replica_regions: Vec<String>,
    /// Each replica's `ReplicaStatus` (`ACTIVE`, `CREATING`, `CREATION_FAILED`,
    /// `REGION_DISABLED` …), by region, where DescribeTable reports one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replica_statuses: BTreeMap<String, String>,
    /// Set when the table was made by a restore (from a backup or a point in time).
    #[serde(default)]
    pub restored: Option<RestoreSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreSummary {
    pub source_table_arn: Option<String>,
    pub source_backup_arn: Option<String>,
    /// RFC 3339.
    pub restored_at: String,
    pub in_progress: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    pub kind: Option<String>,
}

// ---------------------------------------------------------------- CloudWatch Logs

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Logs {
    pub groups: Vec<LogGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub arn: String,
    pub name: String,
    /// `None`: the group never expires its events.
    pub retention_days: Option<i32>,
    pub stored_bytes: Option<i64>,
    pub kms_key_id: Option<String>,
    /// `logGroupClass`: `STANDARD`, `INFREQUENT_ACCESS` or `DELIVERY` (kept one day, delivered
    /// to S3 or Firehose by the service that writes it).
    #[serde(default)]
    pub class: Option<String>,
    /// `creationTime`, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

// ---------------------------------------------------------------- KMS

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Kms {
    pub keys: Vec<KmsKey>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub arn: String,
    pub id: String,
    /// `CUSTOMER` or `AWS`.
    pub manager: Option<String>,
    pub state: Option<String>,
    pub spec: Option<String>,
    pub usage: Option<String>,
    pub origin: Option<String>,
    pub description: Option<String>,
    /// Read only for enabled customer-managed symmetric keys, the only ones that can rotate.
    pub rotation_enabled: Option<bool>,
    pub rotation_error: Option<CollectError>,
    /// `CreationDate`, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// `RotationPeriodInDays` of an automatically rotated key (365 unless set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_period_days: Option<i32>,
}

// ---------------------------------------------------------------- CloudTrail

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudTrail {
    pub trails: Vec<Trail>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub arn: String,
    pub name: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization_trail: bool,
    pub log_file_validation: bool,
    pub s3_bucket: Option<String>,
    /// From GetTrailStatus; `None` when that call failed.
    pub is_logging: Option<bool>,
    pub status_error: Option<CollectError>,
    /// From GetEventSelectors: which events the trail records. `None` when not read.
    #[serde(default)]
    pub selectors: Option<Collected<EventSelectors>>,
}

/// A trail's event selectors, as GetEventSelectors returns them. Both empty: the trail was
/// never given any, and records every management event, as a new trail does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventSelectors {
    pub basic: Vec<BasicEventSelector>,
    pub advanced: Vec<AdvancedEventSelector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasicEventSelector {
    /// `All`, `ReadOnly` or `WriteOnly`; `None` means `All`.
    pub read_write_type: Option<String>,
    /// `None` means true.
    pub include_management_events: Option<bool>,
    pub exclude_management_event_sources: Vec<String>,
    /// `DataResources[].Type` (`AWS::S3::Object`, `AWS::Lambda::Function` …): the data events
    /// the selector records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_resource_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvancedEventSelector {
    pub fields: Vec<FieldSelector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSelector {
    /// `eventCategory`, `readOnly`, `eventSource` …
    pub field: String,
    pub equals: Vec<String>,
    pub not_equals: Vec<String>,
}

// ---------------------------------------------------------------- S3

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct S3 {
    pub buckets: Vec<Bucket>,
    /// The account-level S3 Block Public Access (S3 Control GetPublicAccessBlock): `ok: null`
    /// when the account has none; `None` when not read.
    #[serde(default)]
    pub account_public_access_block: Option<Collected<Option<PublicAccessBlock>>>,
}

/// A bucket's settings. Each is `ok: null` when not configured, `ok: {...}` when configured,
/// or the error that kept it from being read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub arn: String,
    pub region: Option<String>,
    pub location_error: Option<CollectError>,
    /// `Enabled` or `Suspended`; `null` when versioning was never enabled.
    pub versioning: Collected<Option<String>>,
    /// `null`: no default-encryption configuration was returned. Real S3 has encrypted every
    /// new object with SSE-S3 since January 2023 whatever the answer; the rules judge that.
    pub encryption: Collected<Option<BucketEncryption>>,
    pub public_access_block: Collected<Option<PublicAccessBlock>>,
    pub lifecycle: Collected<Option<Lifecycle>>,
    /// Terraform state files found, for buckets that may hold state (see STATE-01); `None`
    /// when the bucket was not searched.
    pub state_files: Option<Collected<Vec<String>>>,
    pub replication: Collected<Option<Replication>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replication {
    /// Destination bucket ARNs of the enabled rules.
    pub destinations: Vec<String>,
    pub enabled_rules: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketEncryption {
    /// `AES256` (SSE-S3), `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    pub kms_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub fn full(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub enabled_rules: usize,
    /// Some enabled rule moves objects, current or previous versions, to another storage
    /// class.
    pub transitions: bool,
    /// Some enabled rule expires current or noncurrent versions.
    pub expirations: bool,
}

// ---------------------------------------------------------------- CloudWatch, SNS, Lambda

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudWatch {
    pub alarms: Vec<Alarm>,
    pub dashboards: Vec<String>,
    /// Alarms a plan holds whose watched resource is known only after apply: a resource no
    /// alarm is seen to watch is then unknown, not unwatched. A scan leaves it empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarm_errors: Vec<ResourceError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    /// `metric` or `composite`.
    pub kind: String,
    /// The metric a single-metric alarm watches.
    pub metric: Option<MetricRef>,
    /// The metrics a metric-math alarm reads.
    pub math_metrics: Vec<MetricRef>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    pub state: Option<String>,
    /// A composite alarm's `AlarmRule`: the alarms it combines, named by name or ARN.
    #[serde(default)]
    pub rule: Option<String>,
    /// Metric math and Metrics Insights expressions of the alarm's `Metrics`
    /// (`SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/ECS", …) WHERE ServiceName = 'api'`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expressions: Vec<String>,
}

/// EventBridge, as far as alarms go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Events {
    /// Enabled rules of the default bus whose pattern matches `CloudWatch Alarm State Change`.
    pub alarm_routes: Vec<AlarmRoute>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmRoute {
    pub name: String,
    pub arn: String,
    /// The rule's event pattern (JSON), which may name the alarms it matches.
    pub pattern: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRef {
    pub namespace: String,
    pub name: String,
    pub dimensions: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sns {
    pub topics: Vec<String>,
    /// The subscriptions this account owns (ListSubscriptions lists the requester's own).
    pub subscriptions: Vec<Subscription>,
    /// `SubscriptionsConfirmed` of each topic none of whose listed subscriptions is
    /// confirmed (GetTopicAttributes): it counts the subscriptions other accounts made too.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub confirmed_counts: BTreeMap<String, Collected<i64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub topic_arn: String,
    pub protocol: String,
    /// False while the endpoint has not confirmed (`PendingConfirmation`).
    pub confirmed: bool,
    /// A subscription a plan creates that its endpoint's owner must confirm (email, HTTP/S):
    /// pending once applied, until the owner confirms it. A scan leaves it false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confirmed_after_apply: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lambda {
    pub functions: Vec<Function>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub arn: String,
    pub runtime: Option<String>,
}

// ---------------------------------------------------------------- GuardDuty

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GuardDuty {
    pub detectors: Vec<Detector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    pub id: String,
    /// `ENABLED` or `DISABLED`; `None` when GetDetector failed.
    pub status: Option<String>,
    pub error: Option<CollectError>,
    /// What GuardDuty's usage statistics say the enabled detector cost over the last 30 days,
    /// in USD, every feature summed (GetUsageStatistics, `SUM_BY_FEATURES`); for the cost
    /// estimate. `None` when not read (a disabled detector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_usd: Option<Collected<f64>>,
}

// ---------------------------------------------------------------- Secrets Manager

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretsManager {
    pub secrets: Vec<Secret>,
}

/// A secret's metadata. Its value is never read (the scanner has no GetSecretValue call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub rotation_enabled: bool,
    /// `RotationRules.AutomaticallyAfterDays`.
    pub rotation_days: Option<i64>,
    /// `RotationRules.ScheduleExpression`, when the rotation runs on a schedule.
    pub rotation_schedule: Option<String>,
    /// RFC 3339 timestamps.
    pub last_rotated: Option<String>,
    pub created: Option<String>,
    /// `OwningService`: the AWS service that manages the secret (RDS, EventBridge …), which
    /// decides its rotation.
    #[serde(default)]
    pub owning_service: Option<String>,
    /// `PrimaryRegion`, when this secret is a replica of one in another region: rotation runs
    /// on the primary and reaches the replicas.
    #[serde(default)]
    pub primary_region: Option<String>,
}

// ---------------------------------------------------------------- AWS Backup

/// How far back restore jobs are read, and so the window in which BAK-05 looks for a
/// tested restore.
pub const RESTORE_WINDOW_DAYS: u64 = 90;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub vaults: Vec<String>,
    pub plans: Vec<BackupPlan>,
    /// Restore jobs completed in the 90 days before the scan.
    pub restore_jobs: Collected<Vec<RestoreJob>>,
    /// DescribeRegionSettings' `ResourceTypeOptInPreference` (`DynamoDB` → opted in), read
    /// where the region has a backup plan.
    #[serde(default)]
    pub opt_in: Collected<BTreeMap<String, bool>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupPlan {
    pub arn: String,
    pub id: String,
    pub name: String,
    /// From GetBackupPlan; empty when that call failed (see `error`).
    pub rules: Vec<BackupRule>,
    pub error: Option<CollectError>,
    pub selections: Collected<Vec<BackupSelection>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupRule {
    pub name: String,
    pub vault: String,
    pub schedule: Option<String>,
    /// `Lifecycle.DeleteAfterDays`; `None` keeps recovery points forever.
    pub delete_after_days: Option<i64>,
    /// `StartWindowMinutes`; `None` is AWS Backup's default of 8 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_window_minutes: Option<i64>,
    /// The regions of the vaults its `CopyActions` copy recovery points to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy_regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupSelection {
    pub name: String,
    /// ARNs, possibly with `*` wildcards.
    pub resources: Vec<String>,
    pub not_resources: Vec<String>,
    /// `StringEquals` tag conditions (key, value): a resource with any of them is selected.
    pub tags: Vec<(String, String)>,
    /// `Conditions`: tag tests every selected resource must also pass (they narrow).
    #[serde(default)]
    pub conditions: Vec<TagCondition>,
    /// Why the selection's content could not be read, when it could not.
    pub error: Option<CollectError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagCondition {
    /// `StringEquals`, `StringNotEquals`, `StringLike` or `StringNotLike`.
    pub test: String,
    /// The tag key (the condition's `aws:ResourceTag/` prefix removed).
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreJob {
    pub id: String,
    pub status: Option<String>,
    pub resource_type: Option<String>,
    pub created_resource_arn: Option<String>,
    /// RFC 3339.
    pub completed: Option<String>,
}

// ---------------------------------------------------------------- Application Auto Scaling

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AutoScaling {
    /// ECS services' scalable targets (`service/CLUSTER/SERVICE`).
    pub targets: Vec<ScalableTarget>,
    pub policies: Vec<ScalingPolicy>,
    /// Targets and policies a plan holds whose service is known only after apply: a service
    /// no target or policy is seen to scale is then unknown, not unscaled. A scan leaves it
    /// empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<ResourceError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalableTarget {
    pub resource_id: String,
    pub dimension: String,
    pub min_capacity: i32,
    pub max_capacity: i32,
    /// `SuspendedState.DynamicScalingOutSuspended`: policies cannot add tasks.
    #[serde(default)]
    pub scale_out_suspended: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalingPolicy {
    pub name: String,
    pub resource_id: String,
    pub dimension: String,
    /// `TargetTrackingScaling`, `StepScaling` or `PredictiveScaling`.
    pub kind: String,
    /// The CloudWatch alarms that set off a step policy (target tracking makes its own).
    /// `None` when not read.
    #[serde(default)]
    pub alarms: Option<usize>,
    /// A predictive policy's `Mode`: `ForecastOnly` (the default) forecasts and scales nothing.
    #[serde(default)]
    pub predictive_mode: Option<String>,
}

// ---------------------------------------------------------------- CI/CD

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodePipeline {
    pub pipelines: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Iam {
    /// ARNs of the account's OpenID Connect identity providers (the ARN ends in the issuer).
    pub oidc_providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ecr {
    pub repositories: Vec<Repository>,
    /// The registry-wide scanning configuration, which can scan on push for every repository.
    pub registry_scanning: Collected<RegistryScanning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub arn: String,
    pub name: String,
    pub scan_on_push: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistryScanning {
    /// `BASIC` or `ENHANCED`.
    pub scan_type: Option<String>,
    pub rules: Vec<RegistryScanRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryScanRule {
    /// `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`.
    pub frequency: String,
    /// Repository name filters, `*` wildcards allowed.
    pub filters: Vec<String>,
}

// ---------------------------------------------------------------- Edge: CloudFront, WAF, ACM, Route 53

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudFront {
    pub distributions: Vec<Distribution>,
    /// The WAFv2 web ACLs the distributions name, read from us-east-1.
    pub web_acls: Vec<WebAcl>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub enabled: bool,
    pub aliases: Vec<String>,
    /// A WAFv2 web ACL ARN, or a WAF Classic web ACL id; `None` when unprotected.
    pub web_acl_id: Option<String>,
    pub acm_certificate_arn: Option<String>,
    pub iam_certificate_id: Option<String>,
    /// `none`, `whitelist` or `blacklist`.
    pub geo_restriction: String,
    pub geo_locations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub arn: String,
    pub name: String,
    pub rules: Vec<String>,
    /// Rate-based rules that act (block, CAPTCHA, challenge): the web ACL's own, and those of
    /// the rule groups it references, its own or Firewall Manager's, as `GROUP/RULE`. A rule
    /// whose action is (or is overridden to) Count limits nobody and is not listed.
    pub rate_based_rules: Vec<String>,
    pub error: Option<CollectError>,
    /// Referenced rule groups that could not be read (GetRuleGroup).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_group_errors: Vec<CollectError>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Acm {
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub arn: String,
    pub domain: String,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED` …
    pub status: Option<String>,
    /// RFC 3339.
    pub not_after: Option<String>,
    pub in_use: Option<bool>,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Route53 {
    pub zones: Vec<HostedZone>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostedZone {
    pub id: String,
    pub name: String,
    pub private: bool,
    /// The zone's A, AAAA and CNAME records (the only ones a custom domain needs).
    pub records: Collected<Vec<DnsRecord>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// Fully qualified, without the trailing dot.
    pub name: String,
    pub kind: String,
    /// The alias target's DNS name, without the trailing dot.
    pub alias_target: Option<String>,
    pub values: Vec<String>,
}

// ---------------------------------------------------------------- Tags

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    /// Resource ARN → its tags.
    pub resources: BTreeMap<String, BTreeMap<String, String>>,
}

// ---------------------------------------------------------------- Terraform

/// Terraform's view of the account, as given to the scan. Only addresses, resource types,
/// and the identifiers (ARNs, AWS ids) of the types prodready knows: no attribute value of
/// the state, which holds secrets in plain text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TerraformInputs {
    pub states: Vec<StateFile>,
    /// The `resource` blocks of `--terraform-dir`, by address without instance keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declarations: Vec<Declaration>,
}

/// One state: a file or an `s3://` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StateFile {
    /// The path or `s3://BUCKET/KEY` it was read from.
    pub source: String,
    /// Why it could not be read (an `s3://` state only: a bad local file stops the scan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CollectError>,
    /// Its managed resource instances of the types prodready knows.
    pub resources: Vec<StateResource>,
    /// Managed instances of other types, counted by type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_types: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateResource {
    /// `module.data.aws_dynamodb_table.maps["eu"]`.
    pub address: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The instance's ARN or AWS id, by the type's identifying attributes.
    pub ids: Vec<String>,
}

/// Where a `resource` block is declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Declaration {
    /// The address without instance keys: `module.data.aws_dynamodb_table.maps`.
    pub address: String,
    /// The `.tf` file, relative to `--terraform-dir`.
    pub file: String,
    pub line: usize,
}

// ---------------------------------------------------------------- Usage (CloudWatch metrics)

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Bucket name → its latest daily `BucketSizeBytes` (Standard storage).
    pub bucket_bytes: BTreeMap<String, f64>,
    /// Table name → write / read capacity units consumed over the last 30 days.
    pub table_writes: BTreeMap<String, f64>,
    pub table_reads: BTreeMap<String, f64>,
    /// Log group name → bytes ingested over the last 30 days (`AWS/Logs` `IncomingBytes`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub log_incoming_bytes: BTreeMap<String, f64>,
    /// NAT gateway id → bytes it processed over the last 30 days (`AWS/NATGateway`
    /// `BytesInFromSource` plus `BytesInFromDestination`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub nat_processed_bytes: BTreeMap<String, f64>,
}

/// The days CloudWatch usage is read over (`Usage`): a resource created before the window and
/// without a datapoint in it was idle; a younger one cannot be told.
pub const USAGE_WINDOW_DAYS: u64 = 30;

// ---------------------------------------------------------------- what the fields mean

impl EcsService {
    /// A DAEMON service runs one task per container instance and has no count to set.
    pub fn is_daemon(&self) -> bool {
        self.scheduling_strategy.as_deref() == Some("DAEMON")
    }

    /// Where the service's desired tasks run. A DAEMON service runs on container instances
    /// (Fargate does not support the strategy); a launch type of `EC2` or `EXTERNAL` on the
    /// account's own instances; a capacity provider strategy places `base` tasks on its
    /// provider first and shares the rest by `weight`; otherwise (`FARGATE`, or nothing
    /// reported) on Fargate.
    pub fn placement(&self) -> Placement {
        let desired = f64::from(self.desired_count.max(0));
        let mut p = Placement::default();
        if self.is_daemon() || matches!(self.launch_type.as_deref(), Some("EC2" | "EXTERNAL")) {
            p.elsewhere = desired;
            return p;
        }
        if self.capacity_providers.is_empty() {
            p.fargate = desired;
            return p;
        }
        let mut left = desired;
        for c in &self.capacity_providers {
            let base = f64::from(c.base.max(0)).min(left);
            *p.slot(&c.provider) += base;
            left -= base;
        }
        let weights: f64 = self
            .capacity_providers
            .iter()
            .map(|c| f64::from(c.weight.max(0)))
            .sum();
        if weights == 0.0 {
            // No weights: ECS places nothing beyond the base; count the rest where the
            // strategy starts.
            *p.slot(&self.capacity_providers[0].provider) += left;
            return p;
        }
        for c in &self.capacity_providers {
            *p.slot(&c.provider) += left * f64::from(c.weight.max(0)) / weights;
        }
        p
    }
}

/// How many of a service's desired tasks run on Fargate, on Fargate Spot, and on capacity the
/// account runs itself (EC2 container instances, external instances), billed as such.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Placement {
    pub fargate: f64,
    pub fargate_spot: f64,
    pub elsewhere: f64,
}

impl Placement {
    fn slot(&mut self, provider: &str) -> &mut f64 {
        match provider {
            "FARGATE" => &mut self.fargate,
            "FARGATE_SPOT" => &mut self.fargate_spot,
            _ => &mut self.elsewhere,
        }
    }
}

impl TaskDefinition {
    /// `runtimePlatform.cpuArchitecture` `ARM64` (Graviton).
    pub fn is_arm(&self) -> bool {
        self.cpu_architecture.as_deref() == Some("ARM64")
    }
}

impl Table {
    /// Billed per provisioned capacity unit-hour: `BillingMode` `PROVISIONED`, or unreported
    /// (DescribeTable omits `BillingModeSummary` for tables provisioned since before on-demand
    /// existed) with capacity provisioned.
    pub fn is_provisioned(&self) -> bool {
        match self.billing_mode.as_deref() {
            Some(mode) => mode == "PROVISIONED",
            None => self.provisioned_writes.unwrap_or(0) + self.provisioned_reads.unwrap_or(0) > 0,
        }
    }

    /// Table class Standard-Infrequent Access: cheaper storage, dearer requests.
    pub fn is_infrequent_access(&self) -> bool {
        self.table_class.as_deref() == Some("STANDARD_INFREQUENT_ACCESS")
    }
}

impl LoadBalancer {
    /// An Application Load Balancer (ELBv2 type `application`).
    pub fn is_application(&self) -> bool {
        self.kind == "application"
    }

    /// A Gateway Load Balancer (ELBv2 type `gateway`): no listeners of its own, no access logs.
    pub fn is_gateway(&self) -> bool {
        self.kind == "gateway"
    }
}

impl LogGroup {
    /// A log group of the Delivery class (`logGroupClass` `DELIVERY`).
    pub fn is_delivery_class(&self) -> bool {
        self.class.as_deref() == Some("DELIVERY")
    }
}

impl KmsKey {
    /// Managed by the account (`KeyManager` `CUSTOMER`), not by an AWS service.
    pub fn is_customer_managed(&self) -> bool {
        self.manager.as_deref() == Some("CUSTOMER")
    }

    /// `KeyState` `Enabled`: usable, and billed.
    pub fn is_enabled(&self) -> bool {
        self.state.as_deref() == Some("Enabled")
    }

    /// Billed monthly: every key until it is deleted, disabled ones too; a key pending
    /// deletion (or a replica's pending deletion) is not (KMS pricing).
    pub fn is_billed(&self) -> bool {
        self.is_customer_managed()
            && !matches!(
                self.state.as_deref(),
                Some("PendingDeletion" | "PendingReplicaDeletion")
            )
    }

    /// `KeySpec` `SYMMETRIC_DEFAULT`, the only kind with automatic rotation.
    pub fn is_symmetric(&self) -> bool {
        self.spec.as_deref() == Some("SYMMETRIC_DEFAULT")
    }
}

impl Detector {
    /// GuardDuty's detector `Status` `ENABLED`.
    pub fn is_enabled(&self) -> bool {
        self.status.as_deref() == Some("ENABLED")
    }
}

impl Certificate {
    /// Imported into ACM (`Type` `IMPORTED`): ACM does not renew it.
    pub fn is_imported(&self) -> bool {
        self.kind.as_deref() == Some("IMPORTED")
    }
}
