//! A plan's customer-managed KMS keys: rotation, spec, usage and where the key material lives,
//! with the provider's defaults for what the plan leaves unset.

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::text;
use crate::inventory::{Kms, KmsKey};

pub(super) const KEYS: Reader = Reader {
    alone: true,
    kinds: &["aws_kms_key", "aws_kms_external_key"],
    arn: |p, account| Some(kms_key(p, account).arn),
    remove: |inv, p, _| {
        let (planned, key_id) = (Identity::of(p), text(&p.values, "key_id"));
        if let Some(k) = part::<Kms>(&mut inv.kms, &p.region) {
            k.keys
                .retain(|k| !planned.is_arn(&k.arn) && key_id.as_deref() != Some(&k.id));
        }
    },
    add: |inv, p, cx: &Context| {
        let key = kms_key(p, cx.account);
        let arn = key.arn.clone();
        part::<Kms>(&mut inv.kms, &p.region)?.keys.push(key);
        Some(arn)
    },
};

/// A planned customer-managed key (`aws_kms_key`, or `aws_kms_external_key` for imported
/// material), with the provider's defaults for what the plan leaves unset; a rotation setting
/// known only after apply is an error of that key, never a FAIL.
pub(super) fn kms_key(p: &Planned, account: &str) -> KmsKey {
    let v = &p.values;
    let id = text(v, "key_id").unwrap_or_else(|| format!("(known after apply: {})", p.address));
    let origin = if p.kind == "aws_kms_external_key" {
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
        None if p.kind == "aws_kms_external_key" => Some(false),
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
}
