//! Reading a planned value: the JSON of `planned_values` and of the `configuration`'s
//! expressions, where a value known only after apply is absent.

use serde_json::Value;

/// The string at `key` of a planned value (absent: known only after apply, or unset).
pub(super) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The 32-bit integer at `key` of a planned value.
pub(super) fn int(v: &Value, key: &str) -> Option<i32> {
    v.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

/// The nested blocks (or list) at `key`: empty when absent.
pub(super) fn blocks<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The value at `path` (object keys, and list indexes as numbers: `["load_balancer", "0",
/// "target_group_arn"]`), the shape of both planned values and configuration expressions.
pub(super) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(v, |at, step| match step.parse::<usize>() {
            Ok(i) => at.get(i),
            Err(_) => at.get(*step),
        })
}
