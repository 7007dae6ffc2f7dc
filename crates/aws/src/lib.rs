//! The part of prodready that touches the AWS SDK's error types and the EC2 client.
//!
//! `aws-sdk-ec2` is the largest crate of the SDK (minutes to compile, gigabytes of memory), so
//! every EC2 call lives here, behind plain data types: the main crate never names an EC2 type
//! and is rebuilt in seconds. The failure classification lives here too because the EC2 reads
//! need it and every other collector shares it.

pub mod ec2;
mod failure;
pub mod http;
pub mod interrupt;

pub use failure::{classify, ApiFailure, FailureKind};

/// One API call as the call log records it: the operation and, if it failed, why.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    pub operation: &'static str,
    /// HTTP requests the call took, retries included.
    pub attempts: u64,
    pub failure: Option<ApiFailure>,
}
