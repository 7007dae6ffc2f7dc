//! Errors: why a part of the account could not be read, and why a scan could not start.

use prodready_aws::{ApiFailure, FailureKind};
use serde::{Deserialize, Serialize};

/// A failed read, with what an operator needs to fix it: the service, the operation, the
/// region and the IAM action that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectError {
    pub service: String,
    pub operation: String,
    pub region: String,
    /// The IAM action the call needs, e.g. `guardduty:ListDetectors`.
    pub iam_action: String,
    pub kind: FailureKind,
    pub code: Option<String>,
    pub message: String,
}

impl CollectError {
    pub fn new(service: &str, operation: &str, region: &str, failure: ApiFailure) -> Self {
        CollectError {
            service: service.to_owned(),
            operation: operation.to_owned(),
            region: region.to_owned(),
            iam_action: iam_action(service, operation),
            kind: failure.kind,
            code: failure.code,
            message: failure.message,
        }
    }
}

impl CollectError {
    /// The scan's interruption ended this read: it says nothing of the resource, and the
    /// whole part it belonged to stops with it.
    pub fn is_interrupted(&self) -> bool {
        self.kind == FailureKind::Interrupted
    }

    /// An answer the scanner could not use, though no call was refused.
    pub fn unreadable(service: &str, operation: &str, region: &str, message: String) -> Self {
        CollectError {
            service: service.to_owned(),
            operation: operation.to_owned(),
            region: region.to_owned(),
            iam_action: iam_action(service, operation),
            kind: FailureKind::Response,
            code: None,
            message,
        }
    }
}

impl std::fmt::Display for CollectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let code = self.code.as_deref().unwrap_or("error");
        match self.kind {
            FailureKind::AccessDenied => write!(
                f,
                "access denied: {} in {} needs the IAM permission {} ({code}: {})",
                self.operation, self.region, self.iam_action, self.message
            ),
            FailureKind::Throttled => write!(
                f,
                "{} in {} was throttled on every retry ({code}); scan again later or lower --max-concurrency",
                self.operation, self.region
            ),
            FailureKind::Timeout => write!(
                f,
                "{} in {} timed out ({}); raise --operation-timeout or check connectivity",
                self.operation, self.region, self.message
            ),
            FailureKind::Network => write!(
                f,
                "{} in {} could not reach the endpoint: {}",
                self.operation, self.region, self.message
            ),
            FailureKind::Unavailable => write!(
                f,
                "{} is not available in {} ({code}: {})",
                self.service, self.region, self.message
            ),
            FailureKind::Interrupted => write!(
                f,
                "{} in {} was not read: the scan was interrupted",
                self.operation, self.region
            ),
            _ => write!(f, "{} in {} failed ({code}): {}", self.operation, self.region, self.message),
        }
    }
}

/// The IAM action an API operation needs. Most are `<namespace>:<Operation>`; S3 names
/// several of its actions differently from its operations.
pub fn iam_action(service: &str, operation: &str) -> String {
    let s3 = |action: &str| format!("s3:{action}");
    match (service, operation) {
        ("s3", "ListBuckets") => s3("ListAllMyBuckets"),
        ("s3", "GetPublicAccessBlock") => s3("GetBucketPublicAccessBlock"),
        ("s3control", "GetPublicAccessBlock") => s3("GetAccountPublicAccessBlock"),
        ("s3", "GetBucketEncryption") => s3("GetEncryptionConfiguration"),
        ("s3", "GetBucketLifecycleConfiguration") => s3("GetLifecycleConfiguration"),
        ("s3", "ListObjectsV2") => s3("ListBucket"),
        ("s3", "GetBucketReplication") => s3("GetReplicationConfiguration"),
        ("elbv2", op) => format!("elasticloadbalancing:{op}"),
        (service, op) => format!("{service}:{op}"),
    }
}

/// Why a scan could not start. Each maps to exit code 2 and says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile")]
    NoRegion,
    #[error("every region is excluded: --exclude-region leaves nothing to scan")]
    AllRegionsExcluded,
    #[error("invalid region {0:?}: expected a region name such as eu-west-1")]
    InvalidRegion(String),
    #[error("invalid endpoint URL {0:?}: expected an absolute http(s) URL such as http://localhost:5000")]
    InvalidEndpoint(String),
    #[error("invalid role ARN {0:?}: expected arn:aws:iam::<account-id>:role/<name>")]
    InvalidRoleArn(String),
    #[error(
        "no AWS credentials found ({0}).\n\
         Provide them in one of these ways:\n  \
         - `aws sso login --profile NAME`, then pass --profile NAME (or set AWS_PROFILE)\n  \
         - set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)\n  \
         - configure ~/.aws/credentials or a credential_process in ~/.aws/config\n  \
         - run on an AWS compute service with a role (EC2 instance profile, ECS task role, web identity)"
    )]
    NoCredentials(String),
    #[error("could not assume role {role} and identify the caller (sts:AssumeRole, sts:GetCallerIdentity): {detail}")]
    AssumeRole { role: String, detail: String },
    #[error("could not identify the caller with sts:GetCallerIdentity: {0}")]
    Identity(String),
    #[error("config file {path}: {detail}")]
    Config { path: String, detail: String },
}
