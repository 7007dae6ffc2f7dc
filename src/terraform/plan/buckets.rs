//! A plan's S3 buckets over a scan's (only over a baseline: alone, the account's trails that
//! say which buckets hold logs are not known). Since AWS provider 4 a bucket's settings are
//! resources of their own (`aws_s3_bucket_versioning`, …) naming the bucket; each one the plan
//! holds sets that setting, one it deletes unsets it as the provider documents (a deleted
//! versioning resource suspends versioning), and a setting no resource of the plan holds keeps
//! what the scan read — or, for a bucket the plan creates, what S3 gives a new bucket
//! (SSE-S3 encryption, every public access block on, no versioning, lifecycle or replication).

use serde_json::Value;

use super::document::{Plan, Planned};
use super::refs::Configuration;
use super::values::{blocks, text};
use crate::inventory::{
    Bucket, BucketEncryption, Collected, Inventory, Lifecycle, PublicAccessBlock, Replication,
};

const BUCKET: &str = "aws_s3_bucket";
const VERSIONING: &str = "aws_s3_bucket_versioning";
const ENCRYPTION: &str = "aws_s3_bucket_server_side_encryption_configuration";
const PUBLIC_ACCESS: &str = "aws_s3_bucket_public_access_block";
const LIFECYCLE: &str = "aws_s3_bucket_lifecycle_configuration";
const REPLICATION: &str = "aws_s3_bucket_replication_configuration";

/// Every type this module reads from a plan.
pub(super) fn reads(kind: &str) -> bool {
    [
        BUCKET,
        VERSIONING,
        ENCRYPTION,
        PUBLIC_ACCESS,
        LIFECYCLE,
        REPLICATION,
    ]
    .contains(&kind)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// What S3 gives a bucket it creates now.
fn new_bucket(name: String, p: &Planned) -> Bucket {
    let partition = crate::partition::of_region(&p.region);
    Bucket {
        arn: text(&p.values, "arn").unwrap_or_else(|| format!("arn:{partition}:s3:::{name}")),
        name,
        region: Some(p.region.clone()),
        location_error: None,
        versioning: Collected::Ok(None),
        encryption: Collected::Ok(Some(BucketEncryption {
            algorithm: "AES256".into(),
            kms_key: None,
        })),
        public_access_block: Collected::Ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        })),
        lifecycle: Collected::Ok(None),
        state_files: None,
        replication: Collected::Ok(None),
    }
}

/// The name of the bucket a setting resource configures: its `bucket`, or the plan's bucket
/// its configuration references.
fn bucket_of(p: &Planned, plan: &Plan, config: &Configuration) -> Option<String> {
    text(&p.values, "bucket").or_else(|| {
        let address = config.referenced(&p.address, &["bucket"])?;
        let bucket = plan.resources.iter().find(|r| r.address == address)?;
        text(&bucket.values, "bucket")
    })
}

/// A setting resource's effect on its bucket; `deleted`: the resource is destroyed.
fn apply(b: &mut Bucket, p: &Planned, deleted: bool) {
    let v = &p.values;
    match p.kind.as_str() {
        VERSIONING => {
            let status = blocks(v, "versioning_configuration")
                .first()
                .and_then(|c| text(c, "status"));
            b.versioning = Collected::Ok(match (deleted, status.as_deref()) {
                // Destroying the resource suspends versioning on a versioned bucket.
                (true, _) => b
                    .versioning
                    .ok()
                    .cloned()
                    .flatten()
                    .map(|_| "Suspended".into()),
                (false, Some("Disabled") | None) => None,
                (false, Some(s)) => Some(s.to_owned()),
            });
        }
        ENCRYPTION => {
            let default = blocks(v, "rule")
                .first()
                .and_then(|r| blocks(r, "apply_server_side_encryption_by_default").first());
            b.encryption = Collected::Ok(Some(match default.filter(|_| !deleted) {
                Some(d) => BucketEncryption {
                    algorithm: text(d, "sse_algorithm").unwrap_or_else(|| "AES256".into()),
                    kms_key: text(d, "kms_master_key_id").filter(|k| !k.is_empty()),
                },
                None => BucketEncryption {
                    algorithm: "AES256".into(),
                    kms_key: None,
                },
            }));
        }
        PUBLIC_ACCESS => {
            b.public_access_block = Collected::Ok((!deleted).then(|| PublicAccessBlock {
                block_public_acls: flag(v, "block_public_acls"),
                ignore_public_acls: flag(v, "ignore_public_acls"),
                block_public_policy: flag(v, "block_public_policy"),
                restrict_public_buckets: flag(v, "restrict_public_buckets"),
            }));
        }
        LIFECYCLE => b.lifecycle = Collected::Ok((!deleted).then(|| lifecycle(v))),
        REPLICATION => b.replication = Collected::Ok((!deleted).then(|| replication(v))),
        _ => {}
    }
}

fn lifecycle(v: &Value) -> Lifecycle {
    let enabled: Vec<&Value> = blocks(v, "rule")
        .iter()
        .filter(|r| text(r, "status").as_deref() == Some("Enabled"))
        .collect();
    let any = |keys: &[&str]| {
        enabled
            .iter()
            .any(|r| keys.iter().any(|k| !blocks(r, k).is_empty()))
    };
    Lifecycle {
        enabled_rules: enabled.len(),
        transitions: any(&["transition", "noncurrent_version_transition"]),
        expirations: any(&["expiration", "noncurrent_version_expiration"]),
    }
}

fn replication(v: &Value) -> Replication {
    let enabled: Vec<&Value> = blocks(v, "rule")
        .iter()
        .filter(|r| text(r, "status").as_deref() == Some("Enabled"))
        .collect();
    Replication {
        destinations: enabled
            .iter()
            .filter_map(|r| {
                blocks(r, "destination")
                    .first()
                    .and_then(|d| text(d, "bucket"))
            })
            .collect(),
        enabled_rules: enabled.len(),
    }
}

/// Lays the plan's buckets and their settings over the scanned buckets; the addresses and
/// ARNs of the plan's buckets. Nothing when the scan did not read S3.
pub(super) fn overlay(inv: &mut Inventory, plan: &Plan) -> Vec<(String, String)> {
    let Some(Collected::Ok(s3)) = &mut inv.s3 else {
        return Vec::new();
    };
    let config = Configuration::read(&plan.configuration);
    for p in plan.deleted.iter().filter(|p| p.kind == BUCKET) {
        let name = text(&p.values, "bucket");
        s3.buckets.retain(|b| Some(&b.name) != name.as_ref());
    }
    let mut arns = Vec::new();
    for p in plan.resources.iter().filter(|p| p.kind == BUCKET) {
        let Some(name) = text(&p.values, "bucket") else {
            continue;
        };
        if !s3.buckets.iter().any(|b| b.name == name) {
            s3.buckets.push(new_bucket(name.clone(), p));
        }
        arns.extend(
            s3.buckets
                .iter()
                .filter(|b| b.name == name)
                .map(|b| (p.address.clone(), b.arn.clone())),
        );
    }
    let settings = plan
        .deleted
        .iter()
        .map(|p| (p, true))
        .chain(plan.resources.iter().map(|p| (p, false)))
        .filter(|(p, _)| reads(&p.kind) && p.kind != BUCKET);
    for (p, deleted) in settings {
        let name = bucket_of(p, plan, &config);
        if let Some(b) = s3
            .buckets
            .iter_mut()
            .find(|b| Some(&b.name) == name.as_ref())
        {
            apply(b, p, deleted);
        }
    }
    arns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::S3;
    use serde_json::json;

    fn scanned(name: &str, versioning: Option<&str>) -> Bucket {
        let p = Planned {
            address: String::new(),
            kind: BUCKET.into(),
            region: "eu-west-1".into(),
            values: Value::Null,
        };
        Bucket {
            versioning: Collected::Ok(versioning.map(str::to_owned)),
            ..new_bucket(name.into(), &p)
        }
    }

    fn bak_04(inv: &Inventory) -> Vec<(String, Status)> {
        let check = crate::checks::find("BAK-04").unwrap();
        let mut out: Vec<(String, Status)> = (check.rule)(inv, &crate::config::Config::default())
            .into_iter()
            .map(|o| (o.resource_arn.unwrap_or_default(), o.status))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn settings_resources_set_their_bucket_new_buckets_get_s3s_defaults_and_deletions_unset() {
        let doc = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_s3_bucket.maps", "mode": "managed", "type": BUCKET, "name": "maps", "values": {"bucket": "maps-data"}},
                {"address": "aws_s3_bucket_versioning.maps", "mode": "managed", "type": VERSIONING, "name": "maps",
                 "values": {"versioning_configuration": [{"status": "Enabled"}]}},
                {"address": "aws_s3_bucket.uploads", "mode": "managed", "type": BUCKET, "name": "uploads", "values": {"bucket": "uploads-data"}}
            ]}},
            "resource_changes": [
                {"address": "aws_s3_bucket_versioning.archive", "mode": "managed", "type": VERSIONING, "name": "archive",
                 "change": {"actions": ["delete"], "before": {"bucket": "archive-data", "versioning_configuration": [{"status": "Enabled"}]}}}
            ],
            "configuration": {"provider_config": {"aws": {"expressions": {"region": {"constant_value": "eu-west-1"}}}},
              "root_module": {"resources": [
                {"address": "aws_s3_bucket_versioning.maps", "expressions": {"bucket": {"references": ["aws_s3_bucket.maps.id", "aws_s3_bucket.maps"]}}}
            ]}}
        });
        let plan = super::super::parse("p.json", &doc.to_string(), None).unwrap();
        let mut inv = Inventory {
            s3: Some(Collected::Ok(S3 {
                buckets: vec![
                    scanned("maps-data", None),
                    scanned("archive-data", Some("Enabled")),
                ],
                account_public_access_block: None,
            })),
            ..Inventory::default()
        };
        let addressed = overlay(&mut inv, &plan);
        assert_eq!(
            addressed,
            [
                (
                    "aws_s3_bucket.maps".to_owned(),
                    "arn:aws:s3:::maps-data".to_owned()
                ),
                (
                    "aws_s3_bucket.uploads".to_owned(),
                    "arn:aws:s3:::uploads-data".to_owned()
                )
            ]
        );
        assert_eq!(
            bak_04(&inv),
            [
                ("arn:aws:s3:::archive-data".to_owned(), Status::Fail),
                ("arn:aws:s3:::maps-data".to_owned(), Status::Pass),
                ("arn:aws:s3:::uploads-data".to_owned(), Status::Fail),
            ],
            "versioning set through the reference; destroying the archive's resource suspends it; a new bucket has none"
        );
        let s3 = inv.s3.as_ref().and_then(Collected::ok).unwrap();
        let archive = s3
            .buckets
            .iter()
            .find(|b| b.name == "archive-data")
            .unwrap();
        assert_eq!(archive.versioning, Collected::Ok(Some("Suspended".into())));
        let uploads = s3
            .buckets
            .iter()
            .find(|b| b.name == "uploads-data")
            .unwrap();
        assert!(matches!(&uploads.public_access_block, Collected::Ok(Some(b)) if b.full()));
        // Alone (no scan of S3), no bucket is judged from the plan.
        let mut alone = Inventory::default();
        assert!(overlay(&mut alone, &plan).is_empty());
    }
}
