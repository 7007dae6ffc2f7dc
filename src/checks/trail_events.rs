//! Which management events a CloudTrail trail records, from its event selectors (HARD-07).
//!
//! CloudTrail's user guide: a trail created without selectors records every read and write
//! management event; a basic selector records management events unless
//! `IncludeManagementEvents` is false, those its `ReadWriteType` names, less the sources in
//! `ExcludeManagementEventSources`; an advanced selector records them when its
//! `eventCategory` equals `Management`, narrowed by `readOnly` and `eventSource`. A trail uses
//! basic or advanced selectors, never both.

use crate::inventory::{AdvancedEventSelector, EventSelectors};

/// The management events a trail records.
#[derive(Debug, Default, PartialEq)]
pub struct Coverage {
    pub read: bool,
    pub write: bool,
    /// Event sources left out (`kms.amazonaws.com`, `rdsdata.amazonaws.com` …).
    pub excluded: Vec<String>,
}

impl Coverage {
    fn all() -> Coverage {
        Coverage {
            read: true,
            write: true,
            excluded: Vec::new(),
        }
    }

    fn add(&mut self, read: bool, write: bool, excluded: &[String]) {
        self.read |= read;
        self.write |= write;
        for source in excluded {
            if !self.excluded.contains(source) {
                self.excluded.push(source.clone());
            }
        }
    }
}

pub fn management_events(s: &EventSelectors) -> Coverage {
    if s.basic.is_empty() && s.advanced.is_empty() {
        return Coverage::all();
    }
    let mut c = Coverage::default();
    for b in s
        .basic
        .iter()
        .filter(|b| b.include_management_events != Some(false))
    {
        let (read, write) = match b.read_write_type.as_deref() {
            Some("ReadOnly") => (true, false),
            Some("WriteOnly") => (false, true),
            _ => (true, true),
        };
        c.add(read, write, &b.exclude_management_event_sources);
    }
    for a in s.advanced.iter().filter(|a| is_management(a)) {
        let read_only = field(a, "readOnly").map(|f| f.equals.as_slice());
        let (read, write) = match read_only {
            Some([v]) if v == "true" => (true, false),
            Some([v]) if v == "false" => (false, true),
            _ => (true, true),
        };
        let excluded = field(a, "eventSource")
            .map(|f| f.not_equals.clone())
            .unwrap_or_default();
        c.add(read, write, &excluded);
    }
    c
}

/// Whether a trail records any management event at all.
pub fn records_management_events(s: &EventSelectors) -> bool {
    let c = management_events(s);
    c.read || c.write
}

/// Whether a trail records data events: a basic selector with data resources, or an advanced
/// selector whose `eventCategory` is `Data`.
pub fn records_data_events(s: &EventSelectors) -> bool {
    s.basic.iter().any(|b| !b.data_resource_types.is_empty())
        || s.advanced.iter().any(|a| {
            field(a, "eventCategory").is_some_and(|f| f.equals.iter().any(|v| v == "Data"))
        })
}

fn field<'a>(
    a: &'a AdvancedEventSelector,
    name: &str,
) -> Option<&'a crate::inventory::FieldSelector> {
    a.fields.iter().find(|f| f.field == name)
}

fn is_management(a: &AdvancedEventSelector) -> bool {
    field(a, "eventCategory").is_some_and(|f| f.equals.iter().any(|v| v == "Management"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{BasicEventSelector, FieldSelector};

    fn basic(kind: &str, management: bool, excluded: &[&str]) -> BasicEventSelector {
        BasicEventSelector {
            read_write_type: Some(kind.into()),
            include_management_events: Some(management),
            exclude_management_event_sources: excluded.iter().map(|s| s.to_string()).collect(),
            data_resource_types: Vec::new(),
        }
    }

    fn advanced(fields: &[(&str, &[&str], &[&str])]) -> AdvancedEventSelector {
        AdvancedEventSelector {
            fields: fields
                .iter()
                .map(|(f, eq, ne)| FieldSelector {
                    field: f.to_string(),
                    equals: eq.iter().map(|s| s.to_string()).collect(),
                    not_equals: ne.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn selectors_say_which_management_events_are_recorded() {
        let with = |basic: Vec<BasicEventSelector>, advanced: Vec<AdvancedEventSelector>| {
            management_events(&EventSelectors { basic, advanced })
        };
        // No selector at all: a trail's default, every management event.
        assert_eq!(with(vec![], vec![]), Coverage::all());
        let c = with(vec![basic("All", true, &["kms.amazonaws.com"])], vec![]);
        assert!(c.read && c.write);
        assert_eq!(c.excluded, ["kms.amazonaws.com"]);
        let c = with(vec![basic("WriteOnly", true, &[])], vec![]);
        assert!(!c.read && c.write);
        // Data events only.
        let c = with(vec![basic("All", false, &[])], vec![]);
        assert!(!c.read && !c.write);
        // ReadOnly and WriteOnly selectors together cover both.
        let c = with(
            vec![basic("ReadOnly", true, &[]), basic("WriteOnly", true, &[])],
            vec![],
        );
        assert!(c.read && c.write);
        let c = with(
            vec![],
            vec![advanced(&[("eventCategory", &["Management"], &[])])],
        );
        assert!(c.read && c.write);
        let c = with(
            vec![],
            vec![advanced(&[
                ("eventCategory", &["Management"], &[]),
                ("readOnly", &["false"], &[]),
            ])],
        );
        assert!(!c.read && c.write);
        let c = with(
            vec![],
            vec![advanced(&[
                ("eventCategory", &["Data"], &[]),
                ("resources.type", &["AWS::S3::Object"], &[]),
            ])],
        );
        assert!(!c.read && !c.write);
    }
}
