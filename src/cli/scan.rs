//! `prodready scan` of one account (several: `org`): its plan carried out, its outputs
//! written, its exit code.

use std::io::IsTerminal;

use super::exit::{exit_code, exit_for_signal, watch_signals, EXIT_USAGE};
use super::plan::ScanPlan;
use super::{print_stdout, usage_error, OutputFormat, ScanArgs};
use crate::evidence::Evidence;
use crate::report;
use crate::scan;

pub fn run_scan(args: ScanArgs) -> u8 {
    let plan = match ScanPlan::new(&args) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("cannot start the async runtime: {e}")),
    };
    if let Some(format) = plan.fleet_format {
        return super::org::run_org_scan(&args, plan, format, &runtime);
    }
    let progress = crate::progress::start();
    let scanned = runtime.block_on(async {
        tokio::spawn(watch_signals());
        scan::run(&plan.opts).await
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut evidence = match scanned {
        Ok(e) => e,
        Err(e) => return usage_error(&e.to_string()),
    };
    if let Some(signal) = evidence.scan.interrupted_by {
        if !args.keep_partial {
            eprintln!(
                "prodready: interrupted: nothing written (--keep-partial writes what was read, marked partial)"
            );
            return exit_for_signal(signal);
        }
    }
    if plan.sign_key.is_some() {
        crate::evidence::integrity::seal(&mut evidence, plan.sign_key.as_ref());
    }
    if let Err(code) = write_outputs(&args, &evidence) {
        return code;
    }
    warn(&evidence);
    let diff = plan
        .baseline
        .as_ref()
        .map(|old| crate::compare::diff::diff(old, &evidence));
    if let Some(d) = &diff {
        eprint!("{}", crate::report::diff::render(d, false));
    }
    exit_code(&evidence, args.fail_on, diff.as_ref())
}

/// The evidence in one output format; `color` and `full` for the table.
pub(super) fn rendered(
    format: OutputFormat,
    evidence: &Evidence,
    color: bool,
    full: bool,
) -> String {
    match format {
        OutputFormat::Json => report::json(evidence),
        OutputFormat::Markdown => report::markdown::render(evidence),
        OutputFormat::Html => report::html::render(evidence),
        OutputFormat::Junit => report::junit::render(evidence),
        OutputFormat::Sarif => report::sarif::render(evidence),
        OutputFormat::Table => report::table::render(evidence, color, full),
    }
}

/// The report in its format to stdout or `--output`, every format into `--output-dir`, and
/// the evidence into `--history`. A file that cannot be written is the usage exit code; the
/// report then goes to stdout, so the scan is not lost.
fn write_outputs(args: &ScanArgs, evidence: &Evidence) -> Result<(), u8> {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color =
        to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = rendered(args.format, evidence, color, args.full);
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!(
                    "error: cannot write {}: {e}; writing to stdout instead",
                    path.display()
                );
                print_stdout(&text);
                return Err(EXIT_USAGE);
            }
        }
        None => print_stdout(&text),
    }
    if let Some(dir) = &args.output_dir {
        if let Err(e) = super::commands::write_all_formats(dir, evidence) {
            eprintln!(
                "error: cannot write the reports into {}: {e}",
                dir.display()
            );
            return Err(EXIT_USAGE);
        }
    }
    if let Some(dir) = &args.history {
        match crate::compare::history::store(dir, evidence, &report::json(evidence)) {
            Ok(path) => eprintln!("history: {}", path.display()),
            Err(e) => {
                eprintln!(
                    "error: cannot write the history into {}: {e}",
                    dir.display()
                );
                return Err(EXIT_USAGE);
            }
        }
    }
    Ok(())
}

/// A partial scan, and suppressions that match nothing or no longer hold, said on stderr.
fn warn(evidence: &Evidence) {
    if evidence.scan.partial {
        eprintln!(
            "warning: the scan is partial: {} read(s) failed; their checks say ERROR",
            evidence.errors.len()
        );
    }
    for s in &evidence.suppressions {
        let what = format!("suppression #{} ({} {})", s.index + 1, s.check, s.resource);
        match s.state {
            crate::checks::suppress::State::Active if s.matched == 0 => {
                eprintln!("warning: {what} matches no failing finding: remove it?")
            }
            crate::checks::suppress::State::Active => {}
            state => eprintln!(
                "warning: {what} does not hold ({}): its {} finding(s) fail",
                state.as_str(),
                s.matched
            ),
        }
    }
}
