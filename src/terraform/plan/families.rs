//! Every family of resource types a plan is read for: a type the checks judge on plans is one
//! reader in `READERS`.

use super::document::Planned;
use super::reader::Reader;
use super::{
    alarms, audit, backup, data, dns, edge, events, firewall, functions, keys, logs, pipelines,
    registry, scaling, secrets, services, tasks, topics,
};

const READERS: &[&Reader] = &[
    &data::TABLES,
    &logs::GROUPS,
    &keys::KEYS,
    &registry::REPOSITORIES,
    &services::SERVICES,
    &services::LOAD_BALANCERS_READ,
    &services::TARGET_GROUPS_READ,
    &services::NETWORK,
    &services::CLUSTERS,
    &services::ROUTES,
    &tasks::TASK_DEFINITIONS,
    &alarms::ALARMS,
    &topics::TOPICS,
    &events::EVENT_RULES,
    &scaling::SCALING,
    &secrets::SECRETS,
    &backup::BACKUP,
    &audit::AUDIT,
    &edge::EDGE,
    &dns::DNS,
    &firewall::FIREWALL,
    &functions::FUNCTIONS,
    &pipelines::PIPELINES,
];

/// The reader of a resource type, if any.
pub(super) fn of(kind: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|r| r.kinds.contains(&kind))
}

/// The ARN a planned resource has or will have, as its reader makes it.
pub(super) fn arn(p: &Planned, account: &str) -> Option<String> {
    of(&p.kind).and_then(|r| (r.arn)(p, account))
}

#[cfg(test)]
mod tests {
    use super::READERS;

    #[test]
    fn every_type_is_read_by_one_reader() {
        let mut kinds: Vec<&str> = READERS
            .iter()
            .flat_map(|r| r.kinds.iter().copied())
            .collect();
        let all = kinds.len();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            all,
            "a type in two readers: the first would hide the second"
        );
        assert!(kinds.iter().all(|k| k.starts_with("aws_")), "{kinds:?}");
        // Buckets and their settings are laid over by `buckets`, on the whole plan at once.
        assert!(!kinds.iter().any(|k| super::super::buckets::reads(k)));
    }
}
