//! The HTML report: one self-contained file (inline CSS, SVG and script, nothing fetched)
//! for people who would rather look than read: grade and score up front, the phased checklist
//! with failing resources, and the monthly cost now and after each option as a bar chart. The
//! checklist filters by status, severity and phase and searches resource names; without
//! scripts the filters stay hidden and the checklist reads as plain HTML.

use std::fmt::Write;

use crate::assess::cost::CostEstimate;
use crate::assess::{effort_text, Grade};
use crate::checks::Status;
use crate::evidence::Evidence;

/// The checklist's filters: hidden until the script shows them, so a page without scripts has
/// no control that does nothing.
const FILTERS: &str = "<form id=\"filters\" hidden>\
<select name=\"status\"><option value=\"\">every status</option><option>FAIL</option><option>ERROR</option>\
<option>SUPPRESSED</option><option>MANUAL</option><option>PASS</option><option>NOT_APPLICABLE</option></select> \
<select name=\"severity\"><option value=\"\">every severity</option><option>critical</option><option>high</option>\
<option>medium</option><option>low</option></select> \
<select name=\"phase\"><option value=\"\">every phase</option><option>1</option><option>2</option><option>3</option>\
<option>4</option></select> \
<input name=\"q\" type=\"search\" placeholder=\"resource or check\"></form>\n";

/// Shows the filters and applies them, from the page's address too (`#status=FAIL&q=maps`),
/// so a link can carry a view.
const FILTER_SCRIPT: &str = "<script>(function(){\
var f=document.getElementById('filters');f.hidden=false;\
var v=function(n){return f.elements[n].value;};\
function apply(){var s=v('status'),sev=v('severity'),p=v('phase'),q=v('q').toLowerCase();\
document.querySelectorAll('li[data-status]').forEach(function(li){\
li.hidden=!((!s||li.dataset.status===s)&&(!sev||li.dataset.severity===sev)&&(!p||li.dataset.phase===p)\
&&(!q||li.textContent.toLowerCase().indexOf(q)>=0));});}\
new URLSearchParams(location.hash.slice(1)).forEach(function(val,key){if(f.elements[key]){f.elements[key].value=val;}});\
f.addEventListener('input',apply);f.addEventListener('change',apply);apply();})();</script>\n";

/// Text made safe for HTML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:960px;color:#1d2430;padding:0 1rem}
h1{margin-bottom:.2rem}.meta{color:#5b6472;font-size:.9rem}
.verdict{display:flex;gap:1rem;margin:1.5rem 0}.card{border-radius:10px;padding:1rem 1.4rem;background:#f3f5f8}
.card b{display:block;font-size:1.8rem}.grade-production{background:#dff3e4}.grade-lite{background:#e8f3df}
.grade-enhanced{background:#fff4d6}.grade-dev{background:#fde2e1}
.phase{margin-top:1.6rem}.section{margin:.6rem 0 .2rem;font-weight:600}
ul.items{list-style:none;padding-left:1rem;margin:.2rem 0}ul.items li{margin:.15rem 0}
.PASS{color:#1a7f37}.FAIL{color:#c62828}.ERROR{color:#b26a00}.NOT_APPLICABLE{color:#8a929e}.MANUAL{color:#0b6e99}.SUPPRESSED{color:#8e24aa}
details{margin-left:1.6rem;font-size:.85rem;color:#5b6472}code{font-size:.85rem}
table{border-collapse:collapse;margin:.6rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #e3e7ed;text-align:left}
td.num{text-align:right}
table.recovery td.meets{background:#e6f4ea}table.recovery td.misses{background:#fdecea}table.recovery td.unknown{background:#fff4e0}";

pub fn render(e: &Evidence) -> String {
    let a = &e.assessment;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Production readiness: account {}</title><style>{STYLE}</style></head><body>\n",
        esc(&e.scan.account_id)
    );
    let _ = writeln!(h, "<h1>Production readiness</h1>");
    let _ = writeln!(
        h,
        "<p class=\"meta\">Account {} · {} · scanned {} by {} · prodready {}</p>",
        esc(&e.scan.account_id),
        esc(&e.scan.regions.join(", ")),
        esc(&e.scan.started_at),
        esc(&e.scan.caller_arn),
        esc(&e.tool.version)
    );
    let class = match a.grade {
        Grade::Production => "grade-production",
        Grade::ProductionLite => "grade-lite",
        Grade::EnhancedStaging => "grade-enhanced",
        Grade::DevelopmentStaging => "grade-dev",
    };
    let _ = writeln!(
        h,
        "<div class=\"verdict\"><div class=\"card {class}\" id=\"grade\">Grade<b>{}{}</b></div>\
         <div class=\"card\" id=\"score\">Score<b>{}/100</b></div>\
         <div class=\"card\">Effort left<b>{}</b></div></div>",
        esc(a.grade.as_str()),
        if a.provisional { " (provisional)" } else { "" },
        a.score,
        esc(&effort_text(a.effort_hours_left))
    );
    let s = &e.summary;
    let _ = writeln!(
        h,
        "<p>{} checks: {} pass, {} fail, {} could not be judged, {} do not apply, {} need an attestation.</p>",
        s.checks, s.passed, s.failed, s.errors, s.not_applicable, s.manual
    );

    if let Some(cost) = &a.cost {
        cost_section(&mut h, cost);
    }
    if let Some(r) = &a.recovery {
        h.push_str(&recovery_section(r));
    }

    let _ = writeln!(h, "<h2>Checklist</h2>");
    h.push_str(FILTERS);
    for phase in &a.phases {
        let _ = writeln!(
            h,
            "<div class=\"phase\"><h3>Phase {}: {} <span class=\"meta\">{} left</span></h3>",
            phase.phase,
            esc(&phase.title),
            esc(&effort_text(phase.effort_hours_left))
        );
        for section in &phase.sections {
            let _ = writeln!(
                h,
                "<div class=\"section\">{} {}</div><ul class=\"items\">",
                if section.passed { "☑" } else { "☐" },
                esc(&section.title)
            );
            for item in &section.checks {
                checklist_item(&mut h, item, phase.phase, e);
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</div>\n");
    }
    h.push_str(FILTER_SCRIPT);
    h.push_str("</body></html>\n");
    h
}

/// Resources named in a check's summary line; the fold holds every one.
const NAMED: usize = 3;

/// A check's failing resources: the count and a few names, every one of them folded under.
fn failing_resources(h: &mut String, item: &crate::assess::ChecklistItem, e: &Evidence) {
    // By name: the ARNs of a large account would make the page too big to open; the evidence
    // keeps them.
    let all = super::open_resource_names(e, &item.check_id);
    let places: Vec<String> = super::terraform_places(e, &item.check_id)
        .iter()
        .map(|t| crate::assess::remediation::terraform_place(t))
        .collect();
    let terraform = if places.is_empty() {
        String::new()
    } else {
        format!(
            "<div class=\"meta\">Where to fix it: <code>{}</code></div>",
            esc(&places.join(", "))
        )
    };
    let _ = write!(
        h,
        "<details><summary>{} failing: {}</summary><div><code>{}</code></div>{terraform}</details>",
        all.len(),
        esc(&super::named_few(&all, NAMED, all.len())),
        esc(&all.join(", "))
    );
}

/// One check of the checklist, with its failing resources folded under it.
fn checklist_item(h: &mut String, item: &crate::assess::ChecklistItem, phase: u8, e: &Evidence) {
    let status = item.status.as_str();
    let _ = write!(
        h,
        "<li data-status=\"{status}\" data-severity=\"{}\" data-phase=\"{phase}\"><span class=\"{status}\">{}</span> <b>{}</b> {} <span class=\"meta\">{} · {}</span>",
        item.severity.as_str(),
        if item.done() { "☑" } else { "☐" },
        esc(&item.check_id),
        esc(&item.title),
        esc(item.severity.as_str()),
        status
    );
    if matches!(item.status, Status::Fail | Status::Suppressed)
        && !item.failing_resources.is_empty()
    {
        failing_resources(h, item, e);
    }
    h.push_str("</li>\n");
}

/// The monthly cost now and after each option, and where its figures come from.
fn cost_section(h: &mut String, cost: &CostEstimate) {
    let _ = writeln!(h, "<h2>Monthly cost</h2>");
    h.push_str(&cost_chart(cost));
    let _ = writeln!(
        h,
        "<p class=\"meta\">List prices of {} at each resource's region, global services at {}'s ({}). Now {:.0}: measured by CloudWatch {:.0}, priced from the inventory {:.0}, assumed {:.0}; assumptions named in the Markdown report and the evidence.</p>",
        esc(&cost.price_table_date),
        esc(&cost.region),
        esc(&cost.currency),
        cost.current_monthly,
        cost.by_basis.measured,
        cost.by_basis.inventory,
        cost.by_basis.assumed
    );
}

/// Horizontal bars: the cost now, then each option.
fn cost_chart(cost: &CostEstimate) -> String {
    let rows: Vec<(String, f64)> = std::iter::once(("Now".to_owned(), cost.current_monthly))
        .chain(cost.options.iter().map(|o| (o.name.clone(), o.monthly)))
        .collect();
    let max = rows.iter().map(|r| r.1).fold(1.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (150.0, 520.0, 34.0);
    let height = row_h * rows.len() as f64 + 10.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"cost-chart\" role=\"img\" aria-label=\"Monthly cost now and after each option\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\">",
        w = label_w + bar_w + 110.0
    );
    for (i, (name, monthly)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 5.0;
        let width = (monthly / max * bar_w).max(2.0);
        let fill = if i == 0 { "#5b6472" } else { "#2f6fde" };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" font-size=\"14\" fill=\"#1d2430\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{width:.1}\" height=\"24\" rx=\"4\" fill=\"{fill}\"/>\
             <text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"14\" fill=\"#1d2430\">{:.0} {}</text>",
            esc(name),
            monthly,
            esc(&cost.currency),
            ty = y + 17.0,
            tx = label_w + width + 8.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// What a failure would cost: the matrix with each cell coloured against its target.
fn recovery_section(r: &crate::checks::recovery::Recovery) -> String {
    use super::recovery::{cell_of, cell_text, row_name, targets_line};
    use crate::checks::recovery::Disruption;
    let mut h = String::from("<h2 id=\"recovery\">What a failure would cost</h2>\n<table class=\"recovery\"><tr><th>Component</th>");
    for d in Disruption::ALL {
        let _ = write!(h, "<th>{}</th>", esc(d.title()));
    }
    h.push_str("</tr>\n");
    for g in &r.groups {
        let _ = write!(h, "<tr><td>{}</td>", esc(&row_name(g)));
        for d in Disruption::ALL {
            match cell_of(g, d) {
                Some(c) => {
                    let _ = write!(
                        h,
                        "<td class=\"{}\" title=\"{}\">RTO {}<br>RPO {}</td>",
                        match c.meets {
                            Some(true) => "meets",
                            Some(false) => "misses",
                            None => "unknown",
                        },
                        esc(&cell_text(c)),
                        esc(&c.rto),
                        esc(&c.rpo)
                    );
                }
                None => h.push_str("<td>—</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    let _ = writeln!(
        h,
        "</table>\n<p class=\"meta\">{}. Estimates follow the rules of docs/recovery.md; the cell's tooltip names its rule and whether it rests on an assumption.</p>",
        esc(&targets_line(r))
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn a_check_failing_on_many_resources_names_three_and_folds_every_one() {
        let html = render(&crate::report::testing::archive_account(120));
        assert!(
            html.contains(
                "<summary>120 failing: archive-000, archive-001, archive-002 +117 more</summary>"
            ),
            "{html}"
        );
        // BAK-01, BAK-06 and HARD-03 each fold all 120 tables, by name.
        let folded = html
            .matches("<div><code>archive-000, archive-001, ")
            .count();
        assert_eq!(folded, 3);
        assert_eq!(html.matches("archive-119").count(), 3);
    }
}
