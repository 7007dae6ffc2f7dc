//! A plan's Secrets Manager secrets and their rotations, as `ListSecrets` shows them (never a
//! value: the plan's `secret_string` is not read). Since AWS provider 4 rotation is a resource
//! of its own naming the secret (`aws_secretsmanager_secret_rotation`): a secret the plan
//! creates rotates only if the plan gives it one; a secret that exists keeps what the scan
//! read unless the plan's rotation says otherwise, and a rotation the plan destroys turns it
//! off (`CancelRotateSecret`, which the provider calls on destroy).

use super::document::Planned;
use super::graph::Graph;
use super::reader::{made_arn, part, Context, Identity, Reader};
use super::values::{at, text};
use crate::inventory::{Secret, SecretsManager};

const SECRET: &str = "aws_secretsmanager_secret";
const ROTATION: &str = "aws_secretsmanager_secret_rotation";

pub(super) const SECRETS: Reader = Reader {
    alone: false,
    kinds: &[SECRET, ROTATION],
    arn: |p, account| {
        if p.kind != SECRET {
            return None;
        }
        // Secrets Manager ends a secret's ARN with six random characters once it exists.
        let name = text(&p.values, "name")?;
        text(&p.values, "arn").or_else(|| {
            Some(made_arn(
                p,
                "secretsmanager",
                account,
                &format!("secret:{name}-known-after-apply"),
            ))
        })
    },
    remove: |inv, p, deleted| {
        let Some(sm) = part::<SecretsManager>(&mut inv.secretsmanager, &p.region) else {
            return;
        };
        match (p.kind.as_str(), deleted) {
            (SECRET, true) => {
                let planned = Identity::of(p);
                sm.secrets.retain(|s| !planned.is(&s.arn, &s.name));
            }
            (ROTATION, true) => {
                let secret = text(&p.values, "secret_id");
                for s in sm.secrets.iter_mut().filter(|s| {
                    secret.as_deref() == Some(&s.arn) || secret.as_deref() == Some(&s.name)
                }) {
                    s.rotation_enabled = false;
                    s.rotation_days = None;
                    s.rotation_schedule = None;
                }
            }
            _ => {}
        }
    },
    add,
};

fn add(inv: &mut crate::inventory::Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let sm = part::<SecretsManager>(&mut inv.secretsmanager, &p.region)?;
    if p.kind == ROTATION {
        let secret = cx.graph.known_or_referenced(p, &["secret_id"])?;
        if let Some(s) = sm
            .secrets
            .iter_mut()
            .find(|s| s.arn == secret || s.name == secret)
        {
            rotate(s, p);
        }
        return None;
    }
    let arn = (SECRETS.arn)(p, cx.account)?;
    let name = text(&p.values, "name")?;
    let i = match sm.secrets.iter().position(|s| s.arn == arn) {
        Some(i) => i,
        None => {
            sm.secrets.push(Secret {
                arn: arn.clone(),
                name,
                rotation_enabled: false,
                rotation_days: None,
                rotation_schedule: None,
                last_rotated: None,
                created: None,
                owning_service: None,
                primary_region: None,
            });
            sm.secrets.len() - 1
        }
    };
    for rotation in rotations_of(&cx.graph, &arn) {
        rotate(&mut sm.secrets[i], rotation);
    }
    Some(arn)
}

/// The plan's rotations of the secret of that ARN.
fn rotations_of<'a>(graph: &Graph<'a>, arn: &str) -> Vec<&'a Planned> {
    let by_secret = graph.naming("rotated secrets", &[ROTATION], |r| {
        graph
            .known_or_referenced(r, &["secret_id"])
            .into_iter()
            .collect()
    });
    by_secret.get(arn).cloned().unwrap_or_default()
}

/// A planned rotation's rules on its secret.
fn rotate(s: &mut Secret, rotation: &Planned) {
    let rules = |key: &str| at(&rotation.values, &["rotation_rules", "0", key]);
    s.rotation_enabled = true;
    s.rotation_days = rules("automatically_after_days").and_then(serde_json::Value::as_i64);
    s.rotation_schedule = rules("schedule_expression")
        .and_then(serde_json::Value::as_str)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{deleted, expressions, judge, plan, refs, resource};
    use crate::checks::Status;
    use crate::inventory::{Collected, Inventory, Secret, SecretsManager};
    use serde_json::{json, Value};

    const SCANNED: &str = "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf";

    /// SEC-02 over a scan holding `db`, rotated 11 days ago every 30 days.
    fn judge_secrets(resources: Vec<Value>, deletions: Vec<Value>) -> Vec<(Status, String)> {
        let plan = plan(
            "eu-west-1",
            resources,
            vec![expressions(
                "aws_secretsmanager_secret_rotation.api",
                json!({"secret_id": refs(&["aws_secretsmanager_secret.api.id", "aws_secretsmanager_secret.api"])}),
            )],
            deletions,
        );
        let mut base = Inventory {
            account_id: "1".into(),
            collected_at: "2026-12-01T00:00:00Z".into(),
            ..Inventory::default()
        };
        base.secretsmanager.insert(
            "eu-west-1".into(),
            Collected::Ok(SecretsManager {
                secrets: vec![Secret {
                    arn: SCANNED.into(),
                    name: "db".into(),
                    rotation_enabled: true,
                    rotation_days: Some(30),
                    rotation_schedule: None,
                    last_rotated: Some("2026-11-20T00:00:00Z".into()),
                    created: Some("2026-01-01T00:00:00Z".into()),
                    owning_service: None,
                    primary_region: None,
                }],
            }),
        );
        judge(&plan, &base, &["SEC-02"])
            .into_iter()
            .map(|f| (f.status, f.resource))
            .collect()
    }

    #[test]
    fn a_new_secret_rotates_only_with_the_plans_rotation_and_a_destroyed_rotation_stops() {
        let new = resource(
            "aws_secretsmanager_secret",
            "api",
            json!({"name": "api-key"}),
        );
        let rotation = resource(
            "aws_secretsmanager_secret_rotation",
            "api",
            json!({"rotation_rules": [{"automatically_after_days": 30}]}),
        );
        let made = "arn:aws:secretsmanager:eu-west-1:1:secret:api-key-known-after-apply";
        assert_eq!(
            judge_secrets(vec![new.clone(), rotation], vec![]),
            [(Status::Pass, SCANNED.into()), (Status::Pass, made.into())]
        );
        assert_eq!(
            judge_secrets(vec![new], vec![])[1],
            (Status::Fail, made.into()),
            "no rotation resource: a new secret never rotates"
        );
        // The scanned secret in the plan unchanged keeps its rotation; its rotation destroyed
        // stops it.
        let kept = resource(
            "aws_secretsmanager_secret",
            "db",
            json!({"name": "db", "arn": SCANNED}),
        );
        assert_eq!(judge_secrets(vec![kept], vec![])[0].0, Status::Pass);
        let destroyed = deleted(
            "aws_secretsmanager_secret_rotation",
            "db",
            json!({ "secret_id": SCANNED }),
        );
        assert_eq!(judge_secrets(vec![], vec![destroyed])[0].0, Status::Fail);
    }
}
