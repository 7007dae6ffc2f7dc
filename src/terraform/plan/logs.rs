//! A plan's CloudWatch log groups: retention (0 or unset keeps the events forever), key and
//! class.

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::text;
use crate::inventory::{Inventory, LogGroup, Logs};

pub(super) const GROUPS: Reader = Reader {
    alone: true,
    kinds: &["aws_cloudwatch_log_group"],
    arn: |p, account| log_group(p, account).map(|g| g.arn),
    remove: |inv, p, _| {
        let planned = Identity::of(p);
        if let Some(g) = groups(inv, &p.region) {
            g.retain(|g| !planned.is(g.arn.trim_end_matches(":*"), &g.name));
        }
    },
    add: |inv, p, cx: &Context| {
        let g = log_group(p, cx.account)?;
        let arn = g.arn.clone();
        groups(inv, &p.region)?.push(g);
        Some(arn)
    },
};

fn groups<'a>(inv: &'a mut Inventory, region: &str) -> Option<&'a mut Vec<LogGroup>> {
    part(&mut inv.logs, region).map(|l: &mut Logs| &mut l.groups)
}

pub(super) fn log_group(p: &Planned, account: &str) -> Option<LogGroup> {
    let v = &p.values;
    let name = text(v, "name")?;
    Some(LogGroup {
        arn: text(v, "arn")
            .map(|a| a.trim_end_matches(":*").to_owned())
            .unwrap_or_else(|| made_arn(p, "logs", account, &format!("log-group:{name}"))),
        name,
        // 0 (or unset) keeps the events forever.
        retention_days: v
            .get("retention_in_days")
            .and_then(Value::as_i64)
            .filter(|d| *d > 0)
            .and_then(|d| i32::try_from(d).ok()),
        stored_bytes: None,
        kms_key_id: text(v, "kms_key_id").filter(|k| !k.is_empty()),
        class: text(v, "log_group_class"),
        created: None,
    })
}
