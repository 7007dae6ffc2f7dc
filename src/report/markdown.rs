//! The Markdown report: the assessment's structure (executive summary, strengths, critical
//! issues, the phased checklist with efforts, a recommendation), every statement taken from
//! the evidence. It renders; the verdict was computed in `assessment`.

use std::fmt::Write;

use crate::assess::remediation::short_name;
use crate::assess::{effort_text, ChecklistItem, Grade};
use crate::catalog::catalog;
use crate::checks::Status;
use crate::evidence::Evidence;

pub fn render(e: &Evidence) -> String {
    let mut md = String::new();
    header(&mut md, e);
    executive_summary(&mut md, e);
    breakdown(&mut md, e);
    checklist(&mut md, e);
    if let Some(cost) = &e.assessment.cost {
        cost_section(&mut md, cost);
    }
    if let Some(r) = &e.assessment.recovery {
        md.push_str(&super::recovery::markdown(r));
    }
    remediation(&mut md, e);
    suppressions(&mut md, e);
    could_not_check(&mut md, e);
    recommendation(&mut md, e);
    md
}

/// The title block: account, regions, scan, grade.
fn header(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let provisional = if a.provisional { " (provisional)" } else { "" };
    let _ = writeln!(md, "# Production Readiness Assessment\n");
    let _ = writeln!(md, "**Account:** {}  ", e.scan.account_id);
    let _ = writeln!(md, "**Regions:** {}  ", e.scan.regions.join(", "));
    let _ = writeln!(
        md,
        "**Scanned:** {} by {} (prodready {})  ",
        e.scan.started_at, e.scan.caller_arn, e.tool.version
    );
    let _ = writeln!(
        md,
        "**Grade:** {}{provisional} · **Score:** {}/100\n",
        a.grade.as_str(),
        a.score
    );
}

/// The verdict in a paragraph, the effort left, and what limits it.
fn executive_summary(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let _ = writeln!(md, "## Executive Summary\n");
    let s = &e.summary;
    let verdict = match a.grade {
        Grade::Production => "is **production-ready**: nothing fails in phases 1 to 3",
        Grade::ProductionLite => {
            "is **Production-Lite**: phases 1 and 2 pass, the CI/CD phase does not"
        }
        Grade::EnhancedStaging => {
            "is **not production-ready**: remote state, monitoring and secrets pass, high availability, backups or hardening do not"
        }
        Grade::DevelopmentStaging => {
            "is **not production-ready**: Phase 1 (critical) items fail"
        }
    };
    let _ = writeln!(
        md,
        "The account {verdict}. Of {} checks, {} pass, {} fail, {} could not be judged, {} do not apply and {} need a person's attestation ({} failing resources).\n",
        s.checks, s.passed, s.failed, s.errors, s.not_applicable, s.manual, s.failing_resources
    );
    let _ = writeln!(
        md,
        "**Estimated effort left:** {}, from the catalog's estimate of each failing check.\n",
        effort_text(a.effort_hours_left)
    );
    if a.provisional {
        let _ = writeln!(
            md,
            "**Provisional:** {} read(s) failed, so some checks could not be judged (listed under *Could not check*); they count as not passed.\n",
            e.errors.len()
        );
    }
    if !e.out_of_scope.is_empty() {
        let _ = writeln!(
            md,
            "**Scope:** {} resource(s) outside the configured scope were not judged.\n",
            e.out_of_scope.len()
        );
    }
}

/// Strengths and critical issues.
fn breakdown(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let _ = writeln!(md, "## Assessment Breakdown\n");
    let _ = writeln!(md, "### ✅ Strengths\n");
    if a.strengths.is_empty() {
        let _ = writeln!(md, "No section passes every one of its checks yet.\n");
    } else {
        let _ = writeln!(md, "| Area | Status | Checks |\n|---|---|---|");
        for section in a.phases.iter().flat_map(|p| &p.sections) {
            if a.strengths.contains(&section.title) {
                let ids: Vec<&str> = section
                    .checks
                    .iter()
                    .filter(|c| c.status == Status::Pass)
                    .map(|c| c.check_id.as_str())
                    .collect();
                let _ = writeln!(md, "| {} | ✅ Pass | {} |", section.title, ids.join(", "));
            }
        }
        md.push('\n');
    }
    let _ = writeln!(md, "### ❌ Critical Issues\n");
    if a.critical_issues.is_empty() {
        let _ = writeln!(md, "No critical or high-severity check fails.\n");
    } else {
        let _ = writeln!(
            md,
            "| Issue | Severity | Impact | Effort |\n|---|---|---|---|"
        );
        for i in &a.critical_issues {
            let marker = match i.severity {
                crate::catalog::Severity::Critical => "🔴 Critical",
                _ => "🟡 High",
            };
            let status = if i.status == Status::Error {
                " (could not check)"
            } else {
                ""
            };
            let _ = writeln!(
                md,
                "| **{}** {}{status} | {marker} | {} | {} |",
                i.check_id,
                i.title,
                i.impact.replace('|', "\\|"),
                effort_text(i.effort_hours)
            );
        }
        md.push('\n');
    }
}

/// The phased checklist, with the effort left per phase and section.
fn checklist(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let _ = writeln!(md, "## Production Readiness Checklist\n");
    for phase in &a.phases {
        let _ = writeln!(
            md,
            "### Phase {}: {} — {} left\n",
            phase.phase,
            phase.title,
            effort_text(phase.effort_hours_left)
        );
        for section in &phase.sections {
            let mark = if section.passed { "x" } else { " " };
            let left = if section.passed {
                String::new()
            } else {
                format!(" — {} left", effort_text(section.effort_hours_left))
            };
            let _ = writeln!(md, "- [{mark}] **{}**{left}", section.title);
            for item in &section.checks {
                checklist_item(md, item);
            }
        }
        md.push('\n');
    }
}

/// Per check, a line for each finding when there are few; else one line with the count, a few
/// names and the first finding's own line.
fn by_check(
    md: &mut String,
    findings: &[&crate::checks::Finding],
    line: impl Fn(&crate::checks::Finding) -> String,
) {
    for (id, group) in super::by_check(findings.iter().copied(), |f| f.check_id.as_str()) {
        if group.len() <= NAMED {
            for f in &group {
                let _ = writeln!(md, "- **{id}**: {}", line(f));
            }
            continue;
        }
        let names: Vec<&str> = group
            .iter()
            .filter_map(|f| f.resource_arn.as_deref().map(short_name))
            .take(NAMED)
            .collect();
        if names.is_empty() {
            let _ = writeln!(
                md,
                "- **{id}**: {} findings: {}",
                group.len(),
                line(group[0])
            );
            continue;
        }
        let _ = writeln!(
            md,
            "- **{id}**: {} resources ({} +{} more; every one in the JSON evidence), for example: {}",
            group.len(),
            names.join(", "),
            group.len() - NAMED,
            line(group[0])
        );
    }
}

/// Resources named in the text of a check; the rest are in a block that folds.
const NAMED: usize = 3;

/// The resources a failing check applies to: a few named, every one in a folded block when
/// there are more.
fn applies_to(md: &mut String, e: &Evidence, item: &ChecklistItem, fix: Option<&Fix>) {
    let _ = writeln!(md, "Applies to:\n");
    for r in item.failing_resources.iter().take(NAMED) {
        let _ = writeln!(md, "- `{r}`");
    }
    if item.failing_count <= NAMED {
        return;
    }
    let _ = writeln!(md, "- … and {} more", item.failing_count - NAMED);
    // By name: the ARNs of a large account would make the report too big to open; the
    // evidence keeps them. Where the fix's loop names every one, it is the list.
    let all = super::open_resource_names(e, &item.check_id);
    if fix.is_some_and(|f| f.targets == all.len()) {
        return;
    }
    let _ = writeln!(
        md,
        "\n<details><summary>All {} resources, by name (ARNs in the JSON evidence)</summary>\n",
        all.len()
    );
    let _ = writeln!(md, "{}", all.join(", "));
    let _ = writeln!(md, "\n</details>");
}

/// The catalog's command applied to a check's failing resources, and to how many.
struct Fix {
    script: String,
    targets: usize,
}

fn fix(e: &Evidence, cli: &str, check_id: &str) -> Option<Fix> {
    let targets: Vec<(&str, Option<&str>)> = e
        .findings
        .iter()
        .filter(|f| f.check_id == check_id && matches!(f.status, Status::Fail | Status::Suppressed))
        .filter_map(|f| Some((f.resource_arn.as_deref()?, f.region.as_deref())))
        .collect();
    let script = crate::assess::remediation::script(cli, &targets)?;
    Some(Fix {
        script,
        targets: targets.len(),
    })
}

/// The commands: shown where they are few, folded where they loop over many.
fn fix_commands(md: &mut String, cli: &str, fix: Option<&Fix>) {
    match fix {
        None => {
            let _ = writeln!(md, "```sh\n{cli}\n```\n");
        }
        Some(f) if f.targets <= NAMED => {
            let _ = writeln!(md, "For the resources above:\n\n```sh\n{}\n```\n", f.script);
        }
        Some(f) => {
            let _ = writeln!(
                md,
                "<details><summary>All {} resources, by name, in one loop that fixes them (ARNs in the JSON evidence)</summary>\n\n```sh\n{}\n```\n\n</details>\n",
                f.targets, f.script
            );
        }
    }
}

/// How to fix each failing check, for the resources it names.
fn remediation(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let failing: Vec<&ChecklistItem> = a
        .phases
        .iter()
        .flat_map(|p| &p.sections)
        .flat_map(|s| &s.checks)
        .filter(|c| matches!(c.status, Status::Fail | Status::Suppressed))
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(md, "## Remediation\n");
        for item in failing {
            let Some(spec) = catalog().get(&item.check_id) else {
                continue;
            };
            let cli = spec.remediation.cli.trim();
            let fix = fix(e, cli, &item.check_id);
            let _ = writeln!(md, "### {} {}\n", item.check_id, item.title);
            let _ = writeln!(md, "{}\n", spec.rationale.trim());
            applies_to(md, e, item, fix.as_ref());
            let places = super::terraform_places(e, &item.check_id);
            let snippet = spec.remediation.terraform.trim();
            match places.first() {
                Some(first) => {
                    let shown: Vec<String> = places
                        .iter()
                        .take(NAMED)
                        .map(|t| format!("`{}`", crate::assess::remediation::terraform_place(t)))
                        .collect();
                    let _ = writeln!(
                        md,
                        "\nWhere to fix it: {}{}\n\n```hcl\n{}\n```\n",
                        shown.join(", "),
                        match places.len().saturating_sub(NAMED) {
                            0 => String::new(),
                            more => format!(" +{more} more (every address in the JSON evidence)"),
                        },
                        crate::assess::remediation::terraform_snippet(snippet, first)
                    );
                }
                None => {
                    let names: Vec<&str> = item
                        .failing_resources
                        .iter()
                        .map(|r| crate::assess::remediation::short_name(r))
                        .collect();
                    let names = super::named_few(&names, NAMED, item.failing_count);
                    let _ = writeln!(md, "\n```hcl\n# for: {names}\n{snippet}\n```\n");
                }
            }
            fix_commands(md, cli, fix.as_ref());
        }
    }
}

/// The accepted risks.
fn suppressions(md: &mut String, e: &Evidence) {
    let suppressed: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        let _ = writeln!(md, "## Accepted risks (suppressions)\n");
        let _ = writeln!(
            md,
            "Suppressed findings do not fail the scan's exit code; they still count against the score.\n"
        );
        by_check(md, &suppressed, |f| {
            let note = f
                .suppression
                .as_ref()
                .map(crate::checks::suppress::Applied::note);
            format!(
                "`{}`: {}",
                f.resource_arn.as_deref().unwrap_or("account"),
                note.unwrap_or_default()
            )
        });
        md.push('\n');
    }
}

/// What could not be judged, and why.
fn could_not_check(md: &mut String, e: &Evidence) {
    let errors: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(md, "## Could not check\n");
        by_check(md, &errors, |f| f.message.clone());
        md.push('\n');
    }
}

/// Where to start.
fn recommendation(md: &mut String, e: &Evidence) {
    let a = &e.assessment;
    let _ = writeln!(md, "## Recommendation\n");
    let next = a
        .phases
        .iter()
        .find(|p| p.effort_hours_left > 0.0 && p.phase <= 3);
    match next {
        Some(p) => {
            let _ = writeln!(
                md,
                "Start with Phase {} ({}): {} of work. In all, {} separate this account from the next grade and beyond.",
                p.phase,
                p.title,
                effort_text(p.effort_hours_left),
                effort_text(a.effort_hours_left)
            );
        }
        None => {
            let _ = writeln!(
                md,
                "Phases 1 to 3 are complete. Keep the scan running nightly to catch drift; Phase 4 has {} of enhancements left.",
                effort_text(a.effort_hours_left)
            );
        }
    }
}

fn checklist_item(md: &mut String, item: &ChecklistItem) {
    let mark = if item.done() { "x" } else { " " };
    let note = match item.status {
        Status::NotApplicable => " — not applicable".to_owned(),
        Status::Error => " — **could not check**".to_owned(),
        Status::Manual => " — needs an attestation".to_owned(),
        Status::Fail => format!(" — {} failing", item.failing_count),
        Status::Suppressed => format!(
            " — {} failing, suppressed (accepted risk)",
            item.failing_count
        ),
        Status::Pass => String::new(),
    };
    let _ = writeln!(
        md,
        "  - [{mark}] {} {} ({}){note}",
        item.check_id,
        item.title,
        item.severity.as_str()
    );
    if matches!(item.status, Status::Fail | Status::Suppressed) {
        for r in &item.failing_resources {
            let _ = writeln!(md, "    - `{r}`");
        }
    }
}

fn money(currency: &str, v: f64) -> String {
    let symbol = if currency == "USD" { "$" } else { "" };
    let suffix = if currency == "USD" {
        String::new()
    } else {
        format!(" {currency}")
    };
    format!("{symbol}{v:.2}{suffix}")
}

/// Unit prices keep their precision ($0.04048 a vCPU-hour), without trailing zeros.
fn unit_money(currency: &str, v: f64) -> String {
    let digits = format!("{v:.5}");
    let digits = digits.trim_end_matches('0').trim_end_matches('.');
    let digits = if digits.contains('.') && digits.split('.').nth(1).is_some_and(|d| d.len() == 1) {
        format!("{digits}0")
    } else {
        digits.to_owned()
    };
    if currency == "USD" {
        format!("${digits}")
    } else {
        format!("{digits} {currency}")
    }
}

fn cost_lines(md: &mut String, currency: &str, lines: &[crate::assess::cost::CostLine]) {
    let _ = writeln!(
        md,
        "| Item | Quantity | Unit price | Monthly | Basis |\n|---|---:|---:|---:|---|"
    );
    for l in lines {
        let _ = writeln!(
            md,
            "| {} | {:.2} {} | {} | {} | {} |",
            l.item,
            l.quantity,
            l.unit,
            unit_money(currency, l.unit_price),
            money(currency, l.monthly),
            basis(l)
        );
    }
    md.push('\n');
}

/// Where a line's quantity comes from, and what was assumed.
fn basis(l: &crate::assess::cost::CostLine) -> String {
    use crate::assess::cost::Basis;
    match (l.basis, l.assumption.as_deref()) {
        (Basis::Assumed, Some(what)) => format!("assumed: {what}"),
        (Basis::Assumed, None) => "assumed".into(),
        (Basis::Measured, _) => "measured".into(),
        (Basis::Inventory, _) => "inventory".into(),
    }
}

fn cost_section(md: &mut String, cost: &crate::assess::cost::CostEstimate) {
    let c = cost.currency.as_str();
    let _ = writeln!(md, "## Cost Implications\n");
    let _ = writeln!(
        md,
        "Monthly estimates at list prices of each resource's region (global services at {}'s; price table of {}, {}), from what the scan saw; usage neither the inventory nor CloudWatch shows is assumed, and each assumption is named.{}\n",
        cost.region,
        cost.price_table_date,
        c,
        cost.region_note
            .as_deref()
            .map(|n| format!(" Note: {n}."))
            .unwrap_or_default()
    );
    let _ = writeln!(
        md,
        "### Current estimated monthly cost: {}\n",
        money(c, cost.current_monthly)
    );
    let b = &cost.by_basis;
    let _ = writeln!(
        md,
        "Of which measured by CloudWatch {}, priced from the inventory {}, assumed {}.\n",
        money(c, b.measured),
        money(c, b.inventory),
        money(c, b.assumed)
    );
    cost_lines(md, c, &cost.lines);
    if !cost.not_priced.is_empty() {
        let _ = writeln!(md, "Billed but not priced (the scan cannot size them):\n");
        for n in &cost.not_priced {
            let _ = writeln!(md, "- {n}");
        }
        md.push('\n');
    }
    let _ = writeln!(md, "### After each option\n");
    let _ = writeln!(md, "| Option | Monthly | Change |\n|---|---:|---:|");
    for o in &cost.options {
        let _ = writeln!(
            md,
            "| {} | {} | +{} |",
            o.name,
            money(c, o.monthly),
            money(c, o.monthly - cost.current_monthly)
        );
    }
    md.push('\n');
    for o in cost.options.iter().filter(|o| !o.added_lines.is_empty()) {
        let _ = writeln!(md, "#### What {} adds\n", o.name);
        cost_lines(md, c, &o.added_lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::archive_account;

    #[test]
    fn a_check_failing_on_many_resources_names_three_and_folds_the_rest() {
        let md = render(&archive_account(120));
        let bak01 = md
            .split("### BAK-01 ")
            .nth(1)
            .and_then(|s| s.split("\n### ").next())
            .unwrap();
        assert!(
            bak01.contains(
                "- `arn:aws:dynamodb:eu-west-1:111122223333:table/archive-002`\n- … and 117 more\n"
            ),
            "{bak01}"
        );
        assert!(
            bak01.contains(
                "<details><summary>All 120 resources, by name, in one loop that fixes them (ARNs in the JSON evidence)</summary>"
            ),
            "{bak01}"
        );
        assert!(
            bak01.contains("for TABLE in \\\n  archive-000 \\\n"),
            "{bak01}"
        );
        assert!(bak01.contains("  archive-119\ndo\n"), "{bak01}");
        assert!(
            bak01.contains("# for: archive-000, archive-001, archive-002 +117 more"),
            "{bak01}"
        );
        // The loop is the list: the names are not listed a second time.
        assert_eq!(bak01.matches("archive-118").count(), 1, "{bak01}");
        assert_eq!(
            bak01
                .matches("aws dynamodb update-continuous-backups")
                .count(),
            1,
            "{bak01}"
        );
    }

    #[test]
    fn the_grouped_remediation_of_a_large_account() {
        let md = render(&archive_account(120));
        let remediation = md
            .split("## Remediation\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .unwrap();
        insta::assert_snapshot!(remediation);
    }
}
