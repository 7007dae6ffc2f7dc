//! Terraform state, read for its addresses only: the raw state (format version 4, what the S3
//! backend stores and `terraform state pull` prints) and the document of
//! `terraform show -json` (HashiCorp's JSON output format). The state holds secrets in plain
//! text: nothing leaves this module but addresses, resource types and the identifiers of the
//! types prodready knows (ARNs, ids, names), and no error quotes the document.

use serde_json::Value;

use crate::inventory::{StateFile, StateResource};

/// The resource types whose instances the checks judge, and the attributes that identify an
/// instance in the account: ARNs, or ids that are ARNs or AWS ids; `replica[].arn` is each
/// element's `arn` of the `replica` list (a global table's replicas are tables of their own
/// regions). Every other type is counted, never searched for identifiers: its `id` may be
/// anything, a secret included.
const KNOWN: &[(&str, &[&str])] = &[
    ("aws_acm_certificate", &["arn"]),
    ("aws_alb", &["arn"]),
    ("aws_alb_target_group", &["arn"]),
    ("aws_appautoscaling_target", &["arn"]),
    ("aws_backup_plan", &["arn"]),
    ("aws_backup_vault", &["arn"]),
    ("aws_cloudfront_distribution", &["arn"]),
    ("aws_cloudtrail", &["arn"]),
    ("aws_cloudwatch_composite_alarm", &["arn"]),
    ("aws_cloudwatch_dashboard", &["dashboard_arn"]),
    ("aws_cloudwatch_event_rule", &["arn"]),
    ("aws_cloudwatch_log_group", &["arn"]),
    ("aws_cloudwatch_metric_alarm", &["arn"]),
    ("aws_codepipeline", &["arn"]),
    ("aws_dynamodb_table", &["arn", "replica[].arn"]),
    ("aws_dynamodb_table_replica", &["arn"]),
    ("aws_ecr_repository", &["arn"]),
    ("aws_ecs_cluster", &["arn"]),
    ("aws_ecs_service", &["id"]),
    ("aws_ecs_task_definition", &["arn"]),
    ("aws_flow_log", &["arn"]),
    ("aws_guardduty_detector", &["arn", "id"]),
    ("aws_kms_key", &["arn"]),
    ("aws_kms_replica_key", &["arn"]),
    ("aws_lambda_function", &["arn"]),
    ("aws_lb", &["arn"]),
    ("aws_lb_target_group", &["arn"]),
    ("aws_nat_gateway", &["id"]),
    ("aws_route53_zone", &["arn"]),
    ("aws_s3_bucket", &["arn"]),
    ("aws_secretsmanager_secret", &["arn"]),
    ("aws_security_group", &["arn", "id"]),
    ("aws_sns_topic", &["arn"]),
    ("aws_subnet", &["arn", "id"]),
    ("aws_vpc", &["arn", "id"]),
    ("aws_wafv2_web_acl", &["arn"]),
];

/// Reads one state document. `source` names it in errors: the file or the `s3://` URL.
pub fn parse(source: &str, text: &str) -> Result<StateFile, String> {
    let doc = super::json(
        source,
        text,
        "a Terraform state (format version 4) or the output of `terraform show -json`",
    )?;
    let mut file = StateFile {
        source: source.to_owned(),
        ..StateFile::default()
    };
    match (doc.get("version"), doc.get("format_version")) {
        (Some(v), _) if v.as_u64() == Some(4) => raw_v4(&doc, &mut file).map_err(|e| format!("{source}: {e}"))?,
        (Some(v), _) => {
            return Err(format!(
                "{source}: Terraform state version {v} is not one prodready reads (version 4, Terraform 0.12 and later)"
            ))
        }
        (None, Some(Value::String(f))) if f.split('.').next() == Some("1") => {
            show_json(&doc, &mut file).map_err(|e| format!("{source}: {e}"))?
        }
        (None, Some(f)) => {
            return Err(format!(
                "{source}: format_version {f} is not one prodready reads (1.x, from `terraform show -json`)"
            ))
        }
        (None, None) => {
            return Err(format!(
                "{source}: neither a Terraform state (no \"version\") nor the output of `terraform show -json` (no \"format_version\")"
            ))
        }
    }
    Ok(file)
}

/// The raw state: `resources[]` of `{mode, type, name, module?, instances[{index_key?,
/// attributes}]}`.
fn raw_v4(doc: &Value, file: &mut StateFile) -> Result<(), String> {
    let resources = array(doc, "resources", "the state")?;
    for (i, r) in resources.iter().enumerate() {
        let at = format!("resources[{i}]");
        if r.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let kind = string(r, "type", &at)?;
        let name = string(r, "name", &at)?;
        let module = r.get("module").and_then(Value::as_str);
        for (j, instance) in array(r, "instances", &at)?.iter().enumerate() {
            let index = index_key(instance.get("index_key"));
            let address = match module {
                Some(m) => format!("{m}.{kind}.{name}{index}"),
                None => format!("{kind}.{name}{index}"),
            };
            let attributes = instance.get("attributes");
            if attributes.is_none() {
                return Err(format!("{at}.instances[{j}] has no \"attributes\""));
            }
            record(file, address, kind, attributes);
        }
    }
    Ok(())
}

/// `terraform show -json`: `values.root_module`, its `resources[]` of `{address, mode, type,
/// values}` and its `child_modules[]`, each alike.
fn show_json(doc: &Value, file: &mut StateFile) -> Result<(), String> {
    let Some(values) = doc.get("values") else {
        // A state with no resources has no "values".
        return Ok(());
    };
    let root = values
        .get("root_module")
        .ok_or("\"values\" has no \"root_module\"")?;
    let mut modules = vec![(root, "values.root_module".to_owned())];
    while let Some((module, at)) = modules.pop() {
        if let Some(resources) = module.get("resources") {
            let resources = resources
                .as_array()
                .ok_or_else(|| format!("{at}.resources is not a list"))?;
            for (i, r) in resources.iter().enumerate() {
                let at = format!("{at}.resources[{i}]");
                if r.get("mode").and_then(Value::as_str) != Some("managed") {
                    continue;
                }
                let address = string(r, "address", &at)?;
                let kind = string(r, "type", &at)?;
                record(file, address.to_owned(), kind, r.get("values"));
            }
        }
        if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
            modules.extend(
                children
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c, format!("{at}.child_modules[{i}]"))),
            );
        }
    }
    file.resources.sort_by(|a, b| a.address.cmp(&b.address));
    Ok(())
}

/// One managed instance: its identifiers when its type is known, else a count of its type.
fn record(file: &mut StateFile, address: String, kind: &str, attributes: Option<&Value>) {
    let Some((_, keys)) = KNOWN.iter().find(|(t, _)| *t == kind) else {
        *file.unknown_types.entry(kind.to_owned()).or_insert(0) += 1;
        return;
    };
    let ids = keys
        .iter()
        .flat_map(|k| identifiers(attributes, k))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    file.resources.push(StateResource {
        address,
        kind: kind.to_owned(),
        ids,
    });
}

/// The string values of `key` in `attributes`: a top-level attribute, or `list[].field`.
fn identifiers<'a>(attributes: Option<&'a Value>, key: &str) -> Vec<&'a str> {
    let Some(attributes) = attributes else {
        return Vec::new();
    };
    match key.split_once("[].") {
        Some((list, field)) => attributes
            .get(list)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get(field)?.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        None => attributes
            .get(key)
            .and_then(Value::as_str)
            .into_iter()
            .collect(),
    }
}

/// `[0]` for a `count` index, `["key"]` for a `for_each` key, nothing without one.
fn index_key(key: Option<&Value>) -> String {
    match key {
        Some(Value::Number(n)) => format!("[{n}]"),
        Some(Value::String(s)) => format!("[{}]", Value::String(s.clone())),
        _ => String::new(),
    }
}

fn array<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Vec<Value>, String> {
    match v.get(key) {
        Some(Value::Array(a)) => Ok(a),
        Some(Value::Null) | None if key == "resources" => Ok(empty()),
        Some(_) => Err(format!("{at}: \"{key}\" is not a list")),
        None => Err(format!("{at} has no \"{key}\"")),
    }
}

fn empty() -> &'static Vec<Value> {
    static EMPTY: Vec<Value> = Vec::new();
    &EMPTY
}

fn string<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at} has no \"{key}\" string"))
}

/// The types a state holds that prodready does not know, as a sentence's list.
pub fn unknown_types(file: &StateFile) -> String {
    let counts: Vec<String> = file
        .unknown_types
        .iter()
        .map(|(t, n)| format!("{t} ({n})"))
        .collect();
    counts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "canary-4b1d-terraform-state-secret";

    fn raw() -> String {
        format!(
            r#"{{
  "version": 4, "terraform_version": "1.9.8", "serial": 7, "lineage": "x", "outputs": {{}},
  "resources": [
    {{ "mode": "data", "type": "aws_caller_identity", "name": "current", "provider": "p",
       "instances": [{{ "schema_version": 0, "attributes": {{ "account_id": "111122223333" }} }}] }},
    {{ "module": "module.data", "mode": "managed", "type": "aws_dynamodb_table", "name": "maps", "provider": "p",
       "instances": [{{ "index_key": "eu", "schema_version": 1,
         "attributes": {{ "arn": "arn:aws:dynamodb:eu-west-1:111122223333:table/maps", "id": "maps", "name": "maps",
           "replica": [{{ "region_name": "eu-central-1", "arn": "arn:aws:dynamodb:eu-central-1:111122223333:table/maps", "kms_key_arn": "" }}] }} }}] }},
    {{ "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "app", "provider": "p",
       "instances": [{{ "index_key": 0, "attributes": {{ "arn": "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app" }} }}] }},
    {{ "mode": "managed", "type": "random_password", "name": "db", "provider": "p",
       "instances": [{{ "attributes": {{ "id": "none", "result": "{CANARY}" }}, "sensitive_attributes": [] }}] }},
    {{ "mode": "managed", "type": "aws_ssm_parameter", "name": "token", "provider": "p",
       "instances": [{{ "attributes": {{ "arn": "arn:aws:ssm:eu-west-1:111122223333:parameter/t", "value": "{CANARY}" }} }}] }}
  ]
}}"#
        )
    }

    #[test]
    fn a_raw_state_gives_addresses_with_their_keys_and_only_identifiers() {
        let f = parse("prod.tfstate", &raw()).unwrap();
        let got: Vec<(&str, &[String])> = f
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r.ids.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "module.data.aws_dynamodb_table.maps[\"eu\"]",
                    &[
                        "arn:aws:dynamodb:eu-west-1:111122223333:table/maps".to_owned(),
                        "arn:aws:dynamodb:eu-central-1:111122223333:table/maps".to_owned()
                    ][..]
                ),
                (
                    "aws_cloudwatch_log_group.app[0]",
                    &["arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/app".to_owned()][..]
                ),
            ]
        );
        assert_eq!(
            unknown_types(&f),
            "aws_ssm_parameter (1), random_password (1)"
        );
        assert!(!serde_json::to_string(&f).unwrap().contains(CANARY));
    }

    #[test]
    fn show_json_walks_the_child_modules() {
        let doc = format!(
            r#"{{ "format_version": "1.0", "terraform_version": "1.9.8", "values": {{ "root_module": {{
  "resources": [{{ "address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main",
                   "values": {{ "arn": "arn:aws:kms:eu-west-1:111122223333:key/k", "policy": "{CANARY}" }} }}],
  "child_modules": [{{ "address": "module.data", "resources": [
     {{ "address": "module.data.aws_s3_bucket.input[1]", "mode": "managed", "type": "aws_s3_bucket", "name": "input", "index": 1,
        "values": {{ "arn": "arn:aws:s3:::input", "bucket": "input" }} }},
     {{ "address": "module.data.data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p", "values": {{}} }}] }}]
}} }} }}"#
        );
        let f = parse("plan.json", &doc).unwrap();
        let addresses: Vec<&str> = f.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addresses,
            ["aws_kms_key.main", "module.data.aws_s3_bucket.input[1]"]
        );
        assert!(!serde_json::to_string(&f).unwrap().contains(CANARY));
    }

    #[test]
    fn a_bad_state_is_an_error_naming_the_file_and_where_never_its_text() {
        let full = raw();
        let cases = [
            ("{ \"version\": 4, \"resources\": [ {\"mode\": \"managed\", \"type\": \"x\"".to_owned(), "truncated: the JSON ends early (line 1"),
            (full.replace("\"version\": 4", "\"version\": 3"), "Terraform state version 3 is not one prodready reads"),
            ("{\"format_version\": \"2.0\"}".to_owned(), "format_version \"2.0\" is not one prodready reads"),
            (format!("{{\"version\": 4, \"resources\": [{{\"mode\": \"managed\", \"type\": \"aws_kms_key\", \"name\": \"{CANARY}\"}}]}}"), "resources[0] has no \"instances\""),
            (format!("password = {CANARY}"), "not JSON (line 1, column 1)"),
            ("{\"outputs\": {}}".to_owned(), "neither a Terraform state"),
        ];
        for (text, want) in cases {
            let err = parse("s3://b/prod.tfstate", &text).unwrap_err();
            assert!(
                err.starts_with("s3://b/prod.tfstate: ") && err.contains(want),
                "{err}"
            );
            assert!(!err.contains(CANARY), "{err}");
        }
    }
}
