//! Many accounts: which to scan (`accounts`, `org_accounts`), and one summary of their
//! evidence (`aggregate`), read from files or an S3 prefix (`s3_evidence`).

pub mod accounts;
pub mod aggregate;
pub mod org_accounts;
pub mod s3_evidence;
