//! What each bucket is for: Terraform state, CloudTrail logs, other logs, or application data.
//! Shared by the checks that judge buckets by purpose.

use super::NOWHERE;
use super::{or_not_applicable, Outcome};
use crate::config::Config;
use crate::inventory::{Bucket, Collected, Inventory};

/// The account's buckets, or the outcome that says why they are not known.
pub fn all(inv: &Inventory) -> Result<&[Bucket], Outcome> {
    match &inv.s3 {
        Some(Collected::Ok(s3)) => Ok(&s3.buckets),
        Some(Collected::Error(e)) => Err(Outcome::error(NOWHERE, e)),
        None => Err(Outcome::not_collected("S3")),
    }
}

/// Buckets holding Terraform state: the one the config names, and any where `*.tfstate`
/// objects were found.
pub fn is_state(b: &Bucket, config: &Config) -> bool {
    config.terraform.state_bucket.as_deref() == Some(b.name.as_str())
        || matches!(&b.state_files, Some(Collected::Ok(files)) if !files.is_empty())
}

/// Buckets CloudTrail delivers to.
fn is_trail_bucket(b: &Bucket, inv: &Inventory) -> bool {
    matches!(&inv.cloudtrail, Some(Collected::Ok(ct)) if ct.trails.iter().any(|t| t.s3_bucket.as_deref() == Some(b.name.as_str())))
}

/// Application data: not state, not CloudTrail's, and no name fragment of
/// `s3.non_data_name_patterns` at the start of a word of its name.
pub fn is_data(b: &Bucket, inv: &Inventory, config: &Config) -> bool {
    !is_state(b, config)
        && !is_trail_bucket(b, inv)
        && !config
            .s3
            .non_data_name_patterns
            .iter()
            .any(|p| starts_a_word(&b.name, p))
}

/// Whether `fragment` appears in `name` where a word of it starts (words split on `-`, `.`,
/// `_`), case-insensitively.
fn starts_a_word(name: &str, fragment: &str) -> bool {
    let normalise = |s: &str| s.to_lowercase().replace(['.', '_'], "-");
    format!("-{}", normalise(name)).contains(&format!("-{}", normalise(fragment)))
}

/// The destination of another bucket's replication: a copy, judged with its source.
pub fn is_replication_copy(b: &Bucket, all: &[Bucket]) -> bool {
    all.iter().any(
        |src| matches!(&src.replication, Collected::Ok(Some(r)) if r.destinations.contains(&b.arn)),
    )
}

pub fn region(b: &Bucket) -> &str {
    b.region.as_deref().unwrap_or("")
}

/// Judges each data bucket; NOT_APPLICABLE when there is none.
pub fn judge_data(
    inv: &Inventory,
    config: &Config,
    judge: impl Fn(&Bucket) -> Outcome,
) -> Vec<Outcome> {
    let buckets = match all(inv) {
        Ok(b) => b,
        Err(o) => return vec![o],
    };
    let out: Vec<Outcome> = buckets
        .iter()
        .filter(|b| is_data(b, inv, config))
        .map(judge)
        .collect();
    or_not_applicable(out, "data buckets")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_match_where_a_word_starts() {
        assert!(starts_a_word("acme-access-logs", "log"));
        assert!(starts_a_word("Logs.Example", "log"));
        assert!(starts_a_word(
            "cdk-hnb659fds-assets-1-eu-west-1",
            "cdk-hnb659fds"
        ));
        assert!(!starts_a_word("product-catalog", "log"));
        assert!(!starts_a_word("blog-assets", "log"));
        assert!(starts_a_word("acme_terraform-state", "terraform-state"));
    }
}
