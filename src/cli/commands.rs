//! The commands that read what scans wrote: aggregate, history, diff, verify; and keygen.

use std::sync::Arc;

use super::exit::{EXIT_FAILED, EXIT_OK};
use super::{
    print_stdout, usage_error, write_or_print, AggregateFormat, DiffFormat, HistoryFormat,
};
use crate::report;
use crate::session::{Session, SessionOptions};

pub fn run_aggregate(
    source: &str,
    reach: &SessionOptions,
    format: AggregateFormat,
    output: Option<&std::path::Path>,
) -> u8 {
    let loaded = match crate::fleet::s3_evidence::S3Location::parse(source) {
        None => crate::fleet::aggregate::load(std::path::Path::new(source)),
        Some(Err(e)) => Err(e),
        Some(Ok(at)) => match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(async {
                let log = Arc::new(crate::session::calls::CallLog::default());
                let session = Session::connect(reach, &log)
                    .await
                    .map_err(|e| e.to_string())?;
                let config = session.config_for(&session.regions[0]);
                crate::fleet::s3_evidence::load(&config, session.endpoint.is_some(), &at, log).await
            }),
            Err(e) => Err(format!("cannot start the async runtime: {e}")),
        },
    };
    let org = match loaded {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    for u in &org.unreadable {
        eprintln!("warning: skipped {u}");
    }
    let text = match format {
        AggregateFormat::Table => report::aggregate::table(&org),
        AggregateFormat::Json => report::aggregate::json(&org),
        AggregateFormat::Markdown => report::aggregate::markdown(&org),
    };
    write_or_print(output, &text)
}

pub fn run_history(
    dir: &std::path::Path,
    format: HistoryFormat,
    output: Option<&std::path::Path>,
) -> u8 {
    let history = match crate::compare::history::load(dir) {
        Ok(h) => h,
        Err(e) => return usage_error(&e),
    };
    for u in &history.unreadable {
        eprintln!("warning: skipped {u}");
    }
    let text = match format {
        HistoryFormat::Table => report::history::table(&history),
        HistoryFormat::Json => report::history::json(&history),
        HistoryFormat::Html => report::history::html(&history),
    };
    write_or_print(output, &text)
}

pub fn run_diff(
    old: &std::path::Path,
    new: &std::path::Path,
    format: DiffFormat,
    full: bool,
) -> u8 {
    let (old, new) = match (
        crate::evidence::read::load(old),
        crate::evidence::read::load(new),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let d = crate::compare::diff::diff(&old, &new);
    let text = match format {
        DiffFormat::Table => crate::report::diff::render(&d, full),
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    print_stdout(&text);
    if d.regressed() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

pub fn run_keygen(private: &std::path::Path, public: &std::path::Path) -> u8 {
    use std::io::Write as _;
    let key = match crate::evidence::integrity::generate() {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(private).and_then(|mut f| {
        f.write_all(crate::evidence::integrity::private_key_text(&key).as_bytes())
    });
    if let Err(e) = written {
        return usage_error(&format!("cannot create {}: {e}", private.display()));
    }
    if let Err(e) = std::fs::write(
        public,
        crate::evidence::integrity::public_key_text(&key.verifying_key()),
    ) {
        return usage_error(&format!("cannot write {}: {e}", public.display()));
    }
    eprintln!(
        "wrote {} (keep it secret) and {}",
        private.display(),
        public.display()
    );
    EXIT_OK
}

pub fn run_verify(file: &std::path::Path, pubkey: Option<&std::path::Path>) -> u8 {
    let key = match pubkey
        .map(crate::evidence::integrity::load_public)
        .transpose()
    {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("{}: {e}", file.display())),
    };
    let report = match crate::evidence::integrity::verify(&text, key.as_ref()) {
        Ok(r) => r,
        Err(e) => return usage_error(&format!("{}: {e}", file.display())),
    };
    for note in &report.notes {
        println!("ok: {note}");
    }
    for problem in &report.problems {
        println!("FAILED: {problem}");
    }
    if report.problems.is_empty() {
        println!("{}: verified", file.display());
        EXIT_OK
    } else {
        println!(
            "{}: {} problem(s); do not rely on this document",
            file.display(),
            report.problems.len()
        );
        EXIT_FAILED
    }
}

/// Every format side by side, for a scheduled scan that keeps them all.
pub fn write_all_formats(
    dir: &std::path::Path,
    evidence: &crate::evidence::Evidence,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("evidence.json"), report::json(evidence))?;
    std::fs::write(dir.join("report.md"), report::markdown::render(evidence))?;
    std::fs::write(dir.join("report.html"), report::html::render(evidence))?;
    std::fs::write(
        dir.join("report.txt"),
        report::table::render(evidence, false, false),
    )?;
    std::fs::write(
        dir.join("report.junit.xml"),
        report::junit::render(evidence),
    )?;
    std::fs::write(dir.join("report.sarif"), report::sarif::render(evidence))?;
    Ok(())
}

/// Loads the policies of `dirs` and makes them this run's custom checks.
pub fn install_policies(dirs: &[std::path::PathBuf]) -> Result<(), String> {
    if dirs.is_empty() {
        return Ok(());
    }
    let policies = crate::checks::custom::load_dirs(dirs)?;
    crate::checks::custom::install(policies)
}

/// `policy test DIR… --evidence FILE`: the policies judge a stored evidence file's inventory,
/// config and scope; each check's outcomes are printed.
pub fn run_policy_test(dirs: &[std::path::PathBuf], evidence: &std::path::Path) -> u8 {
    let policies = match crate::checks::custom::load_dirs(dirs) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let e = match crate::evidence::read::load(evidence) {
        Ok(e) => e,
        Err(err) => return usage_error(&format!("{}: {err}", evidence.display())),
    };
    let outcomes = crate::checks::custom::outcomes(
        &policies,
        &e.schema_version,
        &e.inventory,
        &e.config,
        &e.out_of_scope,
    );
    let mut out = String::new();
    let mut failed = false;
    for p in &policies {
        let list = outcomes.get(&p.spec.id).map_or(&[][..], Vec::as_slice);
        let count = |s: crate::checks::Status| list.iter().filter(|o| o.status == s).count();
        out.push_str(&format!(
            "{} {} ({}): {} pass, {} fail, {} error, {} not applicable\n",
            p.spec.id,
            p.spec.title,
            p.file,
            count(crate::checks::Status::Pass),
            count(crate::checks::Status::Fail),
            count(crate::checks::Status::Error),
            count(crate::checks::Status::NotApplicable)
        ));
        for o in list.iter().filter(|o| {
            matches!(
                o.status,
                crate::checks::Status::Fail | crate::checks::Status::Error
            )
        }) {
            failed = true;
            out.push_str(&format!(
                "  {} {}: {}\n",
                o.status.as_str(),
                o.resource_arn.as_deref().unwrap_or("-"),
                o.message
            ));
        }
    }
    print_stdout(&out);
    if failed {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
