//! A plan's ECR repositories and the registry's scanning configuration, whose rules can
//! override a repository's own scan-on-push setting; read over a scan only (alone, the
//! registry's rules are not known).

use serde_json::Value;

use super::document::Planned;
use super::reader::{made_arn, Context, Identity, Reader};
use super::values::{at, blocks, text};
use crate::inventory::{Collected, Inventory, RegistryScanRule, RegistryScanning, Repository};

const REGISTRY_SCANNING: &str = "aws_ecr_registry_scanning_configuration";

pub(super) const REPOSITORIES: Reader = Reader {
    alone: false,
    kinds: &["aws_ecr_repository", REGISTRY_SCANNING],
    arn: |p, account| repository(p, account).map(|r| r.arn),
    remove: |inv, p, deleted| {
        let planned = Identity::of(p);
        let Some(Collected::Ok(e)) = inv.ecr.get_mut(&p.region) else {
            return;
        };
        if p.kind != REGISTRY_SCANNING {
            e.repositories.retain(|r| !planned.is(&r.arn, &r.name));
        } else if deleted {
            // The provider's destroy puts basic scanning without rules back.
            e.registry_scanning = Collected::Ok(RegistryScanning {
                scan_type: Some("BASIC".into()),
                rules: Vec::new(),
            });
        }
    },
    add,
};

/// A planned ECR repository: its own scan-on-push setting (the registry's rules, which can
/// override it, are the scan's or the plan's `aws_ecr_registry_scanning_configuration`).
pub(super) fn repository(p: &Planned, account: &str) -> Option<Repository> {
    let v = &p.values;
    let name = text(v, "name")?;
    Some(Repository {
        arn: text(v, "arn")
            .unwrap_or_else(|| made_arn(p, "ecr", account, &format!("repository/{name}"))),
        scan_on_push: at(v, &["image_scanning_configuration", "0", "scan_on_push"])
            .and_then(Value::as_bool)
            .unwrap_or(false),
        name,
    })
}

/// A planned registry scanning configuration: its type and each rule's frequency and filters.
pub(super) fn registry_scanning(p: &Planned) -> RegistryScanning {
    RegistryScanning {
        scan_type: text(&p.values, "scan_type"),
        rules: blocks(&p.values, "rule")
            .iter()
            .filter_map(|r| {
                Some(RegistryScanRule {
                    frequency: text(r, "scan_frequency")?,
                    filters: blocks(r, "repository_filter")
                        .iter()
                        .filter_map(|f| text(f, "filter"))
                        .collect(),
                })
            })
            .collect(),
    }
}

/// A planned repository or registry scanning configuration into its region's ECR part, over a
/// scan only: alone, the registry's rules that can override a repository's own setting are not
/// known.
fn add(inv: &mut Inventory, p: &Planned, cx: &Context) -> Option<String> {
    let Some(Collected::Ok(e)) = inv.ecr.get_mut(&p.region) else {
        return None;
    };
    if p.kind == REGISTRY_SCANNING {
        e.registry_scanning = Collected::Ok(registry_scanning(p));
        return None;
    }
    let r = repository(p, cx.account)?;
    let arn = r.arn.clone();
    e.repositories.push(r);
    Some(arn)
}
