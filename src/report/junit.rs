//! JUnit XML for CI systems: a test suite per checklist phase, a test case per check and
//! resource. FAIL is a failure, ERROR an error, NOT_APPLICABLE and unattested MANUAL skipped.

use std::fmt::Write;

use crate::checks::Status;
use crate::evidence::Evidence;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// One finding as a test case: a pass, a failure, an error or a skip.
fn testcase(x: &mut String, f: &crate::checks::Finding) {
    let resource = f.resource_arn.as_deref().unwrap_or("account");
    let _ = write!(
        x,
        "    <testcase classname=\"{}\" name=\"{}\"",
        esc(&f.check_id),
        esc(resource)
    );
    let detail = format!("observed: {}\nexpected: {}", f.observed, f.expected);
    match f.status {
        Status::Pass => x.push_str("/>\n"),
        Status::Fail => {
            let _ = write!(
                x,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                esc(&f.message),
                f.severity.as_str(),
                esc(&detail)
            );
        }
        Status::Error => {
            let _ = write!(
                x,
                ">\n      <error message=\"{}\">{}</error>\n    </testcase>\n",
                esc(&f.message),
                esc(&detail)
            );
        }
        Status::Suppressed => {
            let note = f.suppression.as_ref().map_or_else(
                || "suppressed".to_owned(),
                crate::checks::suppress::Applied::note,
            );
            let _ = write!(
                x,
                ">\n      <skipped message=\"{}\">{}</skipped>\n    </testcase>\n",
                esc(&note),
                esc(&f.message)
            );
        }
        Status::NotApplicable | Status::Manual => {
            let _ = write!(
                x,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                esc(&f.message)
            );
        }
    }
}

pub fn render(e: &Evidence) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let count = |s: Status| e.findings.iter().filter(|f| f.status == s).count();
    let _ = writeln!(
        x,
        // No `skipped` here: the JUnit schema CI systems validate against has it per suite only.
        "<testsuites name=\"prodready {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\">",
        esc(&e.scan.account_id),
        e.findings.len(),
        count(Status::Fail),
        count(Status::Error),
        e.scan.duration_ms as f64 / 1000.0
    );
    for phase in &e.assessment.phases {
        let ids: Vec<&str> = phase
            .sections
            .iter()
            .flat_map(|s| &s.checks)
            .map(|c| c.check_id.as_str())
            .collect();
        let cases: Vec<_> = e
            .findings
            .iter()
            .filter(|f| ids.contains(&f.check_id.as_str()))
            .collect();
        let of = |s: Status| cases.iter().filter(|f| f.status == s).count();
        let _ = writeln!(
            x,
            "  <testsuite name=\"Phase {}: {}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"{}\">",
            phase.phase,
            esc(&phase.title),
            cases.len(),
            of(Status::Fail),
            of(Status::Error),
            of(Status::NotApplicable) + of(Status::Manual) + of(Status::Suppressed),
            esc(&e.scan.started_at)
        );
        for f in cases {
            testcase(&mut x, f);
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}
