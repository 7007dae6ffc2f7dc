//! A plan's ECS task definitions: `container_definitions` is the JSON of the containers as
//! `RegisterTaskDefinition` takes them (ECS API reference, ContainerDefinition), kept in the
//! plan as one string. Read as the collector reads `DescribeTaskDefinition`: names, images,
//! the names of plain environment variables (never their values), secrets' sources, the
//! `awslogs` group, ports and essential containers' health checks.

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, part, unknown, Context, Reader};
use super::values::{blocks, text};
use crate::inventory::{
    Container, ContainerHealthCheck, Ecs, Inventory, SecretReference, TaskDefinition,
};

pub(super) const TASK_DEFINITION: &str = "aws_ecs_task_definition";

pub(super) const TASK_DEFINITIONS: Reader = Reader {
    alone: true,
    kinds: &[TASK_DEFINITION],
    arn,
    // The plan's revision replaces the family's revisions the services ran.
    remove: |inv, p, _| {
        let family = text(&p.values, "family");
        if let Some(e) = part::<Ecs>(&mut inv.ecs, &p.region) {
            e.task_definitions
                .retain(|t| family.as_deref() != Some(&t.family));
        }
    },
    add,
};

/// A planned task definition into its region's ECS part; one whose containers are known
/// only after apply is an error of that task definition, saying so.
fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let e = part::<Ecs>(&mut inv.ecs, &p.region)?;
    match task_definition(p, cx.account) {
        Ok(td) => {
            let arn = td.arn.clone();
            e.task_definitions.push(td);
            Some(arn)
        }
        Err(why) => {
            let resource = arn(p, cx.account).unwrap_or_else(|| p.address.clone());
            e.task_definition_errors.push(unknown(p, resource, &why));
            None
        }
    }
}

/// The ARN a planned task definition has, or will have: a new revision's number is known only
/// after apply.
pub(super) fn arn(p: &Planned, account: &str) -> Option<String> {
    text(&p.values, "arn").or_else(|| {
        let family = text(&p.values, "family")?;
        let revision = format!("task-definition/{family}:known-after-apply");
        Some(made_arn(p, "ecs", account, &revision))
    })
}

/// ECS's defaults for a health check's timing (HealthCheck, ECS API reference).
const HEALTH_CHECK_INTERVAL: i32 = 30;
const HEALTH_CHECK_RETRIES: i32 = 3;

fn container(c: &Value) -> Option<Container> {
    let int = |v: Option<&Value>, default: i32| {
        v.and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(default)
    };
    let essential = c.get("essential").and_then(Value::as_bool) != Some(false);
    let check = c
        .get("healthCheck")
        .filter(|h| !blocks(h, "command").is_empty());
    let logs = c.get("logConfiguration");
    Some(Container {
        name: text(c, "name")?,
        image: text(c, "image"),
        environment: blocks(c, "environment")
            .iter()
            .filter_map(|e| text(e, "name"))
            .collect(),
        secrets: blocks(c, "secrets")
            .iter()
            .filter_map(|s| {
                Some(SecretReference {
                    name: text(s, "name")?,
                    value_from: text(s, "valueFrom")?,
                })
            })
            .collect(),
        log_group: logs
            .filter(|l| l.get("logDriver").and_then(Value::as_str) == Some("awslogs"))
            .and_then(|l| l.pointer("/options/awslogs-group"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        ports: Some(
            blocks(c, "portMappings")
                .iter()
                .filter_map(|m| m.get("containerPort").and_then(Value::as_i64))
                .filter_map(|p| i32::try_from(p).ok())
                .collect(),
        ),
        health_check: check.filter(|_| essential).map(|h| ContainerHealthCheck {
            interval_seconds: int(h.get("interval"), HEALTH_CHECK_INTERVAL),
            retries: int(h.get("retries"), HEALTH_CHECK_RETRIES),
        }),
    })
}

/// A planned task definition as the scan reads one, or why the rules cannot judge it: its
/// containers known only after apply (a value in them comes from a resource not yet made).
pub(super) fn task_definition(p: &Planned, account: &str) -> Result<TaskDefinition, String> {
    let v = &p.values;
    let family = text(v, "family").ok_or("its family is known only after apply")?;
    let definitions = text(v, "container_definitions")
        .ok_or("its container_definitions are known only after apply")?;
    // The error names no position in the text: the definitions hold environment values.
    let parsed: Value = serde_json::from_str(&definitions)
        .map_err(|_| "its container_definitions are not a JSON list of containers")?;
    let containers = parsed
        .as_array()
        .ok_or("its container_definitions are not a JSON list of containers")?
        .iter()
        .map(|c| container(c).ok_or("a container has no name"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TaskDefinition {
        arn: arn(p, account).unwrap_or_default(),
        revision: v
            .get("revision")
            .and_then(Value::as_i64)
            .and_then(|r| i32::try_from(r).ok())
            .unwrap_or(0),
        family,
        cpu: text(v, "cpu"),
        memory: text(v, "memory"),
        containers,
        cpu_architecture: blocks(v, "runtime_platform")
            .first()
            .and_then(|r| text(r, "cpu_architecture"))
            .filter(|a| !a.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const VALUE: &str = "canary-9d2e-task-env-value-do-not-keep";

    #[test]
    fn containers_keep_names_not_values_and_unknown_definitions_say_so() {
        let containers = json!([{
            "name": "web", "image": "nginx:1.27", "essential": true,
            "environment": [{"name": "COGNITO_CLIENT_SECRET", "value": VALUE}, {"name": "NODE_ENV", "value": "production"}],
            "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:1:secret:db"}],
            "portMappings": [{"containerPort": 3000}],
            "healthCheck": {"command": ["CMD-SHELL", "curl -f localhost:3000"], "interval": 10},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}
        }]);
        let p = Planned {
            address: "aws_ecs_task_definition.web".into(),
            kind: TASK_DEFINITION.into(),
            region: "eu-west-1".into(),
            values: json!({"family": "web", "container_definitions": containers.to_string()}),
        };
        let td = task_definition(&p, "1").unwrap();
        assert_eq!(
            td.arn,
            "arn:aws:ecs:eu-west-1:1:task-definition/web:known-after-apply"
        );
        let c = &td.containers[0];
        assert_eq!(c.environment, ["COGNITO_CLIENT_SECRET", "NODE_ENV"]);
        assert_eq!(c.secrets[0].name, "DB_PASSWORD");
        assert_eq!(c.ports, Some(vec![3000]));
        assert_eq!(c.log_group.as_deref(), Some("/ecs/web"));
        assert_eq!(
            c.health_check,
            Some(ContainerHealthCheck {
                interval_seconds: 10,
                retries: 3
            })
        );
        assert!(
            !format!("{td:?}").contains(VALUE),
            "an environment value was kept"
        );

        let unknown = Planned {
            values: json!({"family": "web"}),
            ..p.clone()
        };
        assert!(task_definition(&unknown, "1")
            .unwrap_err()
            .contains("known only after apply"));
        let broken = Planned {
            values: json!({"family": "web", "container_definitions": format!("[{{\"environment\": \"{VALUE}\"")}),
            ..p
        };
        let err = task_definition(&broken, "1").unwrap_err();
        assert!(!err.contains(VALUE), "{err}");
    }
}
