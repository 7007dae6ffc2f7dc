//! `prodready history`: an account's scans over time, as a table, JSON, or an HTML page with
//! the score and the monthly cost drawn as inline SVG line charts (no script, nothing fetched).

use std::fmt::Write;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};

use super::html::{esc, STYLE};
use crate::compare::history::{History, Point};

fn cost(p: &Point) -> String {
    match (p.monthly_cost, p.currency.as_deref()) {
        (Some(c), Some("USD")) => format!("${c:.2}"),
        (Some(c), cur) => format!("{c:.2} {}", cur.unwrap_or_default()),
        _ => "—".into(),
    }
}

fn grade(p: &Point) -> String {
    if p.provisional {
        format!("{} (provisional)", p.grade)
    } else {
        p.grade.clone()
    }
}

pub fn table(h: &History) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "Account",
        "Scanned",
        "Grade",
        "Score",
        "Failing",
        "Errors",
        "Suppressed",
        "Effort left",
        "Cost/month",
    ]);
    for p in &h.points {
        t.add_row(vec![
            p.account_id.clone(),
            p.started_at.clone(),
            grade(p),
            p.score.to_string(),
            p.failed_checks.to_string(),
            p.error_checks.to_string(),
            p.suppressed_checks.to_string(),
            format!("{:.0} h", p.effort_hours_left),
            cost(p),
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    for u in &h.unreadable {
        let _ = writeln!(out, "skipped: {u}");
    }
    out
}

pub fn json(h: &History) -> String {
    let mut s = serde_json::to_string_pretty(h).unwrap_or_default();
    s.push('\n');
    s
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD: f64 = 40.0;

/// One line chart: values over the scans, evenly spaced, with the first and last dates.
fn chart(
    title: &str,
    points: &[&Point],
    value: impl Fn(&Point) -> Option<f64>,
    label: impl Fn(f64) -> String,
    max: Option<f64>,
) -> String {
    let values: Vec<Option<f64>> = points.iter().map(|p| value(p)).collect();
    let top = max.unwrap_or_else(|| {
        values
            .iter()
            .flatten()
            .fold(0.0_f64, |a, &b| a.max(b))
            .max(1.0)
            * 1.1
    });
    let step = if points.len() > 1 {
        (W - 2.0 * PAD) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let xy = |i: usize, v: f64| (PAD + i as f64 * step, H - PAD - (v / top) * (H - 2.0 * PAD));
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    let _ = write!(
        s,
        "<line x1=\"{PAD}\" y1=\"{y}\" x2=\"{x}\" y2=\"{y}\" stroke=\"#8a929e\"/><line x1=\"{PAD}\" y1=\"{PAD}\" x2=\"{PAD}\" y2=\"{y}\" stroke=\"#8a929e\"/>",
        y = H - PAD,
        x = W - PAD
    );
    let _ = write!(
        s,
        "<text x=\"4\" y=\"{}\" font-size=\"11\">{}</text><text x=\"4\" y=\"{}\" font-size=\"11\">{}</text>",
        PAD + 4.0,
        esc(&label(top)),
        H - PAD,
        esc(&label(0.0))
    );
    let coords: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| xy(i, v)))
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        s,
        "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"{}\"/>",
        coords.join(" ")
    );
    for (i, (p, v)) in points.iter().zip(&values).enumerate() {
        if let Some(v) = v {
            let (x, y) = xy(i, *v);
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"#1f6feb\"><title>{} · {}</title></circle>",
                esc(&p.started_at),
                esc(&label(*v))
            );
        }
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = write!(
            s,
            "<text x=\"{PAD}\" y=\"{}\" font-size=\"11\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            H - PAD + 16.0,
            esc(first.started_at.get(..10).unwrap_or(&first.started_at)),
            W - PAD,
            H - PAD + 16.0,
            esc(last.started_at.get(..10).unwrap_or(&last.started_at))
        );
    }
    s.push_str("</svg></figure>\n");
    s
}

pub fn html(h: &History) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Production readiness over time</title><style>{STYLE}</style></head><body>\n<h1>Production readiness over time</h1>\n"
    );
    let mut accounts: Vec<&str> = h.points.iter().map(|p| p.account_id.as_str()).collect();
    accounts.dedup();
    for account in accounts {
        let points: Vec<&Point> = h
            .points
            .iter()
            .filter(|p| p.account_id == account)
            .collect();
        let _ = writeln!(
            out,
            "<h2>Account {}</h2><p class=\"meta\">{} scans</p>",
            esc(account),
            points.len()
        );
        out.push_str(&chart(
            "Score (0–100)",
            &points,
            |p| Some(f64::from(p.score)),
            |v| format!("{v:.0}"),
            Some(100.0),
        ));
        let currency = points
            .iter()
            .find_map(|p| p.currency.clone())
            .unwrap_or_default();
        out.push_str(&chart(
            &format!("Monthly cost estimate ({currency})"),
            &points,
            |p| p.monthly_cost,
            |v| format!("{v:.2}"),
            None,
        ));
        out.push_str("<table><tr><th>Scanned</th><th>Grade</th><th>Score</th><th>Failing</th><th>Cost/month</th></tr>\n");
        for p in &points {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&p.started_at),
                esc(&grade(p)),
                p.score,
                p.failed_checks,
                esc(&cost(p))
            );
        }
        out.push_str("</table>\n");
    }
    for u in &h.unreadable {
        let _ = writeln!(out, "<p class=\"meta\">skipped: {}</p>", esc(u));
    }
    out.push_str("</body></html>\n");
    out
}
