//! The check catalog as a table, JSON, or the Markdown check reference in docs/checks.md.

use comfy_table::{presets, ContentArrangement, Table};

use crate::catalog::Catalog;

pub fn table(catalog: &Catalog) -> String {
    let mut t = Table::new();
    t.load_preset(presets::ASCII_FULL_CONDENSED).force_no_tty();
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.set_header(["Check", "Phase", "Severity", "Section", "Title"]);
    for c in catalog.checks() {
        t.add_row(vec![
            c.id.clone(),
            c.phase.to_string(),
            c.severity.as_str().to_owned(),
            c.section.clone(),
            c.title.clone(),
        ]);
    }
    format!("{t}\n")
}

pub fn json(catalog: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(catalog.checks()).unwrap_or_default();
    s.push('\n');
    s
}

/// The check reference. docs/checks.md is this output; a test keeps them equal.
pub fn markdown(catalog: &Catalog) -> String {
    let mut md = String::from(
        "# Check reference\n\n\
         Generated from the catalog in `checks/` by `prodready checks --format markdown`; do not edit by hand.\n\n\
         | Check | Phase | Severity | Section | Title |\n|---|---|---|---|---|\n",
    );
    for c in catalog.checks() {
        md.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            c.id,
            c.id.to_lowercase(),
            c.phase,
            c.severity.as_str(),
            c.section,
            c.title
        ));
    }
    for c in catalog.checks() {
        md.push_str(&format!(
            "\n## {}\n\n**{}** · phase {} · {} · {} · effort {} h · catalog version {}{}\n\n{}\n\n**Passes when:** {}\n\n\
{}**Remediation (Terraform):**\n\n```hcl\n{}\n```\n\n**Remediation (AWS CLI):**\n\n```sh\n{}\n```\n\n**References:** {}\n",
            c.id,
            c.title,
            c.phase,
            c.section,
            c.severity.as_str(),
            c.effort_hours,
            c.version,
            if c.manual { " · manual: attested in the config" } else { "" },
            c.rationale.trim(),
            c.expected,
            basis(&c.basis),
            c.remediation.terraform.trim(),
            c.remediation.cli.trim(),
            c.references.join("; "),
        ));
    }
    md
}

/// The basis of a check as Markdown: what it reads, its cases, what it cannot see, the AWS
/// pages it rests on.
fn basis(b: &crate::catalog::Basis) -> String {
    let list = |title: &str, items: &[String]| {
        if items.is_empty() {
            return String::new();
        }
        let lines: String = items.iter().map(|i| format!("- {i}\n")).collect();
        format!("**{title}:**\n\n{lines}\n")
    };
    [
        list("Reads", &b.reads),
        list("Cases", &b.cases),
        list("Cannot see", &b.blind),
        list("AWS documentation", &b.docs),
    ]
    .concat()
}
