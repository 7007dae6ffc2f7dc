//! SARIF 2.1.0, the format code-scanning services read: one rule per check, one result per
//! finding that needs attention (FAIL → kind fail, SUPPRESSED → fail with an accepted SARIF
//! suppression, ERROR → open, MANUAL → review). Passing and not-applicable findings are left
//! out: code-scanning services show every result as an alert; the evidence keeps them.
//! An account has no source files: a result's logical location is the resource's ARN, and
//! its physical location a path-like name, `aws/ACCOUNT/REGION/CHECK`, because GitHub's
//! upload rejects results without one. A suppression that has expired or has no reason is a
//! `rejected` SARIF suppression. The output is validated against the OASIS schema in the tests.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::catalog::{catalog, Severity};
use crate::checks::suppress::State;
use crate::checks::{Finding, Status};
use crate::evidence::Evidence;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// The 0–10 score GitHub code scanning sorts security results by.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn kind(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail | Status::Suppressed => "fail",
        Status::Error => "open",
        Status::Manual => "review",
        Status::NotApplicable => "notApplicable",
    }
}

/// Stable across scans for the same check, resource and region: lets a CI system track a
/// result from one night to the next.
fn fingerprint(f: &Finding) -> String {
    let key = format!(
        "{}|{}|{}",
        f.check_id,
        f.resource_arn.as_deref().unwrap_or(""),
        f.region.as_deref().unwrap_or("")
    );
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A check as a SARIF rule.
fn rule(s: &crate::catalog::CheckSpec) -> Value {
    json!({
        "id": s.id,
        "name": s.title,
        "shortDescription": { "text": s.title },
        "fullDescription": { "text": s.rationale.trim() },
        "help": {
            "text": format!("Expected: {}\n\nTerraform:\n{}\n\nCLI:\n{}", s.expected, s.remediation.terraform.trim(), s.remediation.cli.trim()),
            "markdown": format!("Expected: {}\n\n```hcl\n{}\n```\n\n```sh\n{}\n```", s.expected, s.remediation.terraform.trim(), s.remediation.cli.trim()),
        },
        "defaultConfiguration": { "level": level(s.severity) },
        "properties": {
            "phase": s.phase,
            "section": s.section,
            "severity": s.severity.as_str(),
            "effort_hours": s.effort_hours,
            "catalog_version": s.version,
            "security-severity": security_severity(s.severity),
            "tags": ["security", "production-readiness", format!("phase-{}", s.phase)],
            "references": s.references,
        },
    })
}

/// A finding that is not a pass as a SARIF result.
fn result(e: &Evidence, specs: &[crate::catalog::CheckSpec], f: &crate::checks::Finding) -> Value {
    let index = specs.iter().position(|s| s.id == f.check_id);
    let mut r = json!({
        "ruleId": f.check_id,
        "kind": kind(f.status),
        "level": if kind(f.status) == "fail" { level(f.severity) } else { "none" },
        "message": { "text": f.message },
        "partialFingerprints": { "prodreadyFinding/v1": fingerprint(f) },
        "properties": {
            "status": f.status.as_str(),
            "observed": f.observed,
            "expected": f.expected,
        },
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    let resource = f
        .resource_arn
        .clone()
        .unwrap_or_else(|| format!("arn:aws:iam::{}:root", e.scan.account_id));
    let mut location = json!({ "fullyQualifiedName": resource, "kind": "resource" });
    if let Some(region) = &f.region {
        location["properties"] = json!({ "region": region });
    }
    let path = format!(
        "aws/{}/{}/{}",
        e.scan.account_id,
        f.region.as_deref().unwrap_or("global"),
        f.check_id
    );
    // With --terraform-dir, the result points at the block that declares the resource, so a
    // code-scanning service annotates the Terraform itself.
    let physical = match f
        .terraform
        .as_ref()
        .and_then(|t| Some((t.file.as_ref()?, t.line?)))
    {
        Some((file, line)) => json!({
            "artifactLocation": { "uri": file },
            "region": { "startLine": line },
        }),
        None => json!({ "artifactLocation": { "uri": path } }),
    };
    if let Some(t) = &f.terraform {
        r["properties"]["terraform_address"] = json!(t.address);
    }
    r["locations"] = json!([{
        "physicalLocation": physical,
        "logicalLocations": [location],
    }]);
    if let Some(a) = &f.suppression {
        let mut s = json!({
            "kind": "external",
            "status": if a.state == State::Active { "accepted" } else { "rejected" },
            "justification": a.note(),
        });
        if let Some(who) = &a.approved_by {
            s["properties"] = json!({ "approved_by": who, "expires": a.expires });
        }
        r["suppressions"] = json!([s]);
    }
    r
}

pub fn render(e: &Evidence) -> String {
    let specs = catalog().checks();
    let rules: Vec<Value> = specs.iter().map(rule).collect();
    let results: Vec<Value> = e
        .findings
        .iter()
        .filter(|f| !matches!(f.status, Status::Pass | Status::NotApplicable))
        .map(|f| result(e, specs, f))
        .collect();
    let notifications: Vec<Value> = e
        .errors
        .iter()
        .map(|err| {
            json!({
                "level": "error",
                "message": { "text": err.to_string() },
                "properties": { "iam_action": err.iam_action, "region": err.region },
            })
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": e.tool.name,
                    "version": e.tool.version,
                    "semanticVersion": e.tool.version,
                    "rules": rules,
                }
            },
            "automationDetails": { "id": format!("prodready/{}/", e.scan.account_id) },
            "invocations": [{
                "executionSuccessful": !e.scan.partial,
                "startTimeUtc": e.scan.started_at,
                "endTimeUtc": e.scan.finished_at,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "account_id": e.scan.account_id,
                "regions": e.scan.regions,
                "score": e.assessment.score,
                "grade": e.assessment.grade.as_str(),
                "provisional": e.assessment.provisional,
                "evidence_digest": e.integrity.as_ref().map(|i| i.digest.clone()),
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
