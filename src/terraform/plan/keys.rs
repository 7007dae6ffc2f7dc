//! A plan's customer-managed KMS keys: rotation, spec, usage and where the key material lives,
//! with the provider's defaults for what the plan leaves unset. A multi-Region replica key
//! rotates as its primary does (rotation is set on the primary and shared by its replicas):
//! the plan's primary it references, or the scanned key of its `primary_key_arn`.

use serde_json::Value;

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::text;
use crate::inventory::{Inventory, Kms, KmsKey};

pub(super) const KEYS: Reader = Reader {
    alone: true,
    kinds: &[
        "aws_kms_key",
        "aws_kms_external_key",
        REPLICA,
        EXTERNAL_REPLICA,
    ],
    arn: |p, account| Some(kms_key(p, account).arn),
    remove: |inv, p, _| {
        let (planned, key_id) = (Identity::of(p), text(&p.values, "key_id"));
        if let Some(k) = part::<Kms>(&mut inv.kms, &p.region) {
            k.keys
                .retain(|k| !planned.is_arn(&k.arn) && key_id.as_deref() != Some(&k.id));
        }
    },
    add: |inv, p, cx: &Context| {
        let mut key = kms_key(p, cx.account);
        if p.kind == REPLICA {
            match primary(inv, p, &cx.graph, cx.account) {
                Some(primary) => {
                    key.rotation_enabled = primary.rotation_enabled;
                    key.rotation_error = primary.rotation_error;
                    (key.spec, key.usage, key.origin) =
                        (primary.spec, primary.usage, primary.origin);
                }
                None => {
                    key.rotation_enabled = None;
                    key.rotation_error = Some(crate::error::CollectError::unreadable(
                        "terraform",
                        "plan",
                        &p.region,
                        format!(
                            "{}: its primary key is neither in the plan nor scanned",
                            p.address
                        ),
                    ));
                }
            }
        }
        let arn = key.arn.clone();
        part::<Kms>(&mut inv.kms, &p.region)?.keys.push(key);
        Some(arn)
    },
};

const REPLICA: &str = "aws_kms_replica_key";
const EXTERNAL_REPLICA: &str = "aws_kms_replica_external_key";

/// A replica key's primary, whose rotation, spec, usage and origin it shares: the plan's
/// primary it references, or the scanned key its `primary_key_arn` names (in any region).
fn primary(inv: &Inventory, p: &Planned, graph: &Graph, account: &str) -> Option<KmsKey> {
    let planned = graph
        .referenced_resources(p, &["primary_key_arn"])
        .into_iter()
        .find(|r| r.kind == "aws_kms_key");
    if let Some(primary) = planned {
        return Some(kms_key(primary, account));
    }
    let arn = text(&p.values, "primary_key_arn")?;
    inv.kms
        .values()
        .filter_map(|k| k.ok())
        .flat_map(|k| &k.keys)
        .find(|k| k.arn == arn)
        .cloned()
}

/// A planned customer-managed key (`aws_kms_key`, or `aws_kms_external_key` for imported
/// material), with the provider's defaults for what the plan leaves unset; a rotation setting
/// known only after apply is an error of that key, never a FAIL.
pub(super) fn kms_key(p: &Planned, account: &str) -> KmsKey {
    let v = &p.values;
    let id = text(v, "key_id").unwrap_or_else(|| format!("(known after apply: {})", p.address));
    let origin = if p.kind == "aws_kms_external_key" || p.kind == EXTERNAL_REPLICA {
        "EXTERNAL"
    } else if text(v, "xks_key_id").is_some_and(|k| !k.is_empty()) {
        "EXTERNAL_KEY_STORE"
    } else if text(v, "custom_key_store_id").is_some_and(|k| !k.is_empty()) {
        "AWS_CLOUDHSM"
    } else {
        "AWS_KMS"
    };
    let rotation_enabled = match v.get("enable_key_rotation") {
        Some(Value::Null) => Some(false),
        Some(r) => r.as_bool(),
        None if p.kind == "aws_kms_external_key" || p.kind == EXTERNAL_REPLICA => Some(false),
        None => None,
    };
    KmsKey {
        arn: text(v, "arn").unwrap_or_else(|| made_arn(p, "kms", account, &format!("key/{id}"))),
        manager: Some("CUSTOMER".into()),
        state: Some(
            if v.get("is_enabled").and_then(Value::as_bool) == Some(false)
                || v.get("enabled").and_then(Value::as_bool) == Some(false)
            {
                "Disabled"
            } else {
                "Enabled"
            }
            .into(),
        ),
        spec: Some(
            text(v, "customer_master_key_spec").unwrap_or_else(|| "SYMMETRIC_DEFAULT".into()),
        ),
        usage: Some(text(v, "key_usage").unwrap_or_else(|| "ENCRYPT_DECRYPT".into())),
        origin: Some(origin.into()),
        description: text(v, "description").filter(|d| !d.is_empty()),
        rotation_error: rotation_enabled.is_none().then(|| {
            crate::error::CollectError::unreadable(
                "terraform",
                "plan",
                &p.region,
                format!(
                    "{}: enable_key_rotation is known only after apply",
                    p.address
                ),
            )
        }),
        rotation_enabled,
        created: None,
        rotation_period_days: v
            .get("rotation_period_in_days")
            .and_then(Value::as_i64)
            .and_then(|d| i32::try_from(d).ok()),
        id,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::planned;
    use super::*;
    use crate::checks::Status;
    use crate::inventory::{Collected, Inventory};
    use serde_json::json;

    #[test]
    fn a_planned_key_rotates_by_its_setting_or_is_unknown_never_a_fail() {
        let key = |kind: &str, values: Value| {
            let p = planned(kind, &format!("{kind}.k"), values);
            let mut inv = Inventory::default();
            inv.kms.insert(
                "eu-west-1".into(),
                Collected::Ok(Kms {
                    keys: vec![kms_key(&p, "1")],
                }),
            );
            let check = crate::checks::find("HARD-05").unwrap();
            (check.rule)(&inv, &crate::config::Config::default())
                .into_iter()
                .map(|o| o.status)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            key("aws_kms_key", json!({"enable_key_rotation": false})),
            [Status::Fail]
        );
        assert_eq!(
            key("aws_kms_key", json!({"enable_key_rotation": true})),
            [Status::Pass]
        );
        assert_eq!(
            key("aws_kms_key", json!({})),
            [Status::Error],
            "known only after apply"
        );
        assert_eq!(
            key(
                "aws_kms_key",
                json!({"enable_key_rotation": false, "customer_master_key_spec": "RSA_2048"})
            ),
            [Status::NotApplicable],
            "an asymmetric key cannot rotate"
        );
        assert_eq!(
            key("aws_kms_external_key", json!({})),
            [Status::NotApplicable],
            "imported material"
        );
    }

    const SCANNED_PRIMARY: &str = "arn:aws:kms:eu-west-1:1:key/mrk-1";

    /// A scan of eu-central-1 (no key) and eu-west-1 (a rotating multi-Region key).
    fn scanned_primary() -> Inventory {
        use super::super::testing::{account, read_empty};
        let mut base = account("1");
        read_empty(&mut base.kms, "eu-central-1");
        base.kms.insert(
            "eu-west-1".into(),
            Collected::Ok(Kms {
                keys: vec![KmsKey {
                    arn: SCANNED_PRIMARY.into(),
                    rotation_enabled: Some(true),
                    rotation_error: None,
                    ..kms_key(
                        &planned("aws_kms_key", "k", json!({"key_id": "mrk-1"})),
                        "1",
                    )
                }],
            }),
        );
        base
    }

    #[test]
    fn a_replica_key_rotates_as_its_primary_does() {
        use super::super::testing::{expressions, judge, plan, refs, resource};
        let primary = |rotates: bool| {
            resource(
                "aws_kms_key",
                "primary",
                json!({"multi_region": true, "enable_key_rotation": rotates}),
            )
        };
        let replica = |values: Value| resource("aws_kms_replica_key", "replica", values);
        let config = vec![expressions(
            "aws_kms_replica_key.replica",
            json!({"primary_key_arn": refs(&["aws_kms_key.primary.arn", "aws_kms_key.primary"])}),
        )];
        let base = scanned_primary();
        let statuses = |resources: Vec<Value>, config: Vec<Value>| {
            judge(
                &plan("eu-west-1", resources, config, vec![]),
                &base,
                &["HARD-05"],
            )
            .into_iter()
            .map(|f| f.status)
            .collect::<Vec<_>>()
        };
        let in_frankfurt = json!({"region": "eu-central-1"});
        assert_eq!(
            statuses(
                vec![primary(true), replica(in_frankfurt.clone())],
                config.clone()
            ),
            [Status::Pass, Status::Pass, Status::Pass]
        );
        assert_eq!(
            statuses(
                vec![primary(false), replica(in_frankfurt.clone())],
                config.clone()
            ),
            [Status::Fail, Status::Pass, Status::Fail],
            "the replica (eu-central-1), then the scanned key and the plan's primary"
        );
        let asymmetric = resource(
            "aws_kms_key",
            "primary",
            json!({"multi_region": true, "customer_master_key_spec": "RSA_2048"}),
        );
        assert_eq!(
            statuses(
                vec![asymmetric, replica(in_frankfurt.clone())],
                config.clone()
            ),
            [Status::Pass],
            "an asymmetric primary and its replica cannot rotate: only the scanned key is judged"
        );
        let of_scanned = json!({"region": "eu-central-1", "primary_key_arn": SCANNED_PRIMARY});
        assert_eq!(
            statuses(vec![replica(of_scanned)], vec![]),
            [Status::Pass, Status::Pass]
        );
        assert_eq!(
            statuses(vec![replica(in_frankfurt)], vec![]),
            [Status::Error, Status::Pass],
            "a primary neither planned nor scanned"
        );
    }
}
