//! The test harness: a real AWS API emulator (moto in server mode, from the project's venv),
//! one per test binary, shared by the tests; each test gets an account of its own, so the
//! tests run in parallel without seeing each other's resources. Tests that change the
//! emulator's global behaviour (IAM enforcement, request recording) start their own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use prodready::checks::Status;
use prodready::evidence::Evidence;
use prodready::scan::ScanOptions;
use prodready::session::SessionOptions;

pub const REGION: &str = "eu-west-1";
/// The staging scenario's planted secret value: it must appear in no output.
pub const CANARY: &str = "canary-7f3a9c1e-staging-client-id-do-not-leak";

/// The checkout under test. Read at run time (`cargo test` sets it) before the path compiled
/// in: cargo reuses a test binary built in another clone that shares the target dir, and the
/// compiled-in path then names that clone's mocks/, not this one's.
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    })
}

pub fn python() -> PathBuf {
    let p = root().join("mocks/.venv/bin/python");
    assert!(
        p.exists(),
        "the emulator venv is missing: run scripts/setup-emulator (or scripts/test)"
    );
    p
}

pub struct Emulator {
    pub endpoint: String,
    child: Mutex<Child>,
    // Held open: the emulator exits when its stdin closes, i.e. when this test process ends.
    _stdin: Mutex<ChildStdin>,
}

impl Emulator {
    pub fn start() -> Emulator {
        Self::start_with(&[])
    }

    pub fn start_with(args: &[&str]) -> Emulator {
        let mut child = Command::new(python())
            .arg(root().join("mocks/emulator/emulator.py"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the emulator");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the emulator's READY line");
        let endpoint = line
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("emulator did not start: {line:?}"))
            .trim()
            .to_owned();
        let stdin = child.stdin.take().unwrap();
        Emulator {
            endpoint,
            child: Mutex::new(child),
            _stdin: Mutex::new(stdin),
        }
    }

    /// The emulator every test of this binary shares.
    pub fn shared() -> &'static Emulator {
        static SHARED: OnceLock<Emulator> = OnceLock::new();
        SHARED.get_or_init(|| {
            // The in-process scans read credentials from the standard chain. Every test uses
            // the same dummy keys (moto does not check them unless told to), and this runs
            // once, before any scan, under the OnceLock.
            std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
            Emulator::start()
        })
    }

    /// Applies scenarios (mocks/emulator/scenarios/NAME.toml) to a fresh account; returns its id.
    pub fn seed(&self, scenarios: &[&str]) -> String {
        let account = fresh_account();
        self.seed_into(&account, scenarios, &[]);
        account
    }

    pub fn seed_into(&self, account: &str, scenarios: &[&str], extra: &[&str]) {
        let out = Command::new(python())
            .arg(root().join("mocks/emulator/seed.py"))
            .args(["--endpoint", &self.endpoint, "--account", account])
            .args(extra)
            .args(scenarios)
            .output()
            .expect("run the seeder");
        assert!(
            out.status.success(),
            "seeding {scenarios:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// POSTs to the emulator's control API (`/moto-api/...`); returns the body.
    pub fn post(&self, path: &str, body: &str) -> String {
        http(&self.endpoint, "POST", path, body)
    }

    pub fn get(&self, path: &str) -> String {
        http(&self.endpoint, "GET", path, "")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn http(endpoint: &str, method: &str, path: &str, body: &str) -> String {
    let host = endpoint.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).expect("connect to the emulator");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    assert!(
        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
        "{method} {path}: {head}"
    );
    body.to_owned()
}

/// A 12-digit account id no other test of this process uses.
pub fn fresh_account() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{:012}",
        210_000_000_000 + NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn role_in(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/prodready-audit")
}

/// Scan options that reach `account` in the shared emulator by assuming a role in it.
pub fn options(account: &str, regions: &[&str]) -> ScanOptions {
    let em = Emulator::shared();
    ScanOptions {
        session: SessionOptions {
            regions: regions.iter().map(|r| r.to_string()).collect(),
            role_arn: Some(role_in(account)),
            endpoint_url: Some(em.endpoint.clone()),
            max_attempts: 1,
            ..SessionOptions::default()
        },
        ..ScanOptions::default()
    }
}

/// Runs the pipeline in-process against a scenario seeded into a fresh account.
pub fn scan_scenarios(scenarios: &[&str], regions: &[&str]) -> Evidence {
    let em = Emulator::shared();
    let account = em.seed(scenarios);
    scan_account(&account, regions)
}

pub fn scan_account(account: &str, regions: &[&str]) -> Evidence {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(prodready::scan::run(&options(account, regions)))
        .expect("scan")
}

/// The status of one check in a scan.
pub fn status_of(e: &Evidence, id: &str) -> Status {
    e.checks
        .iter()
        .find(|c| c.check_id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

/// The binary, with a clean environment: no AWS settings but those a test gives.
pub fn prodready() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prodready"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("prodready-test-home"))
        .env("NO_COLOR", "1");
    c
}

/// The binary set up to scan `account` in the shared emulator.
pub fn scan_command(account: &str) -> Command {
    let em = Emulator::shared();
    let mut c = prodready();
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args([
            "scan",
            "--region",
            REGION,
            "--endpoint-url",
            &em.endpoint,
            "--max-attempts",
            "1",
        ])
        .args(["--role-arn", &role_in(account)]);
    c
}

pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("prodready-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A published schema fetched by scripts/setup-schemas.
pub fn schema(name: &str) -> PathBuf {
    let p = root().join("mocks/.schemas").join(name);
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup-schemas (or scripts/test)",
        p.display()
    );
    p
}

/// Validates a JSON document with Python's jsonschema (the reference implementation).
pub fn validate_json(schema: &Path, doc: &Path) {
    let check = Command::new(python())
        .args(["-c", "import json,sys,jsonschema; s=json.load(open(sys.argv[1])); jsonschema.validators.validator_for(s)(s).validate(json.load(open(sys.argv[2]))); print('valid')"])
        .arg(schema)
        .arg(doc)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{} does not validate against {}:\n{}",
        doc.display(),
        schema.display(),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// Headless Chromium, which `scripts/setup-browser` installs.
pub fn chromium() -> &'static str {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok())
        .expect("chromium is not installed: scripts/setup-browser installs it")
}

/// A key pair made by `prodready keygen`: DIR/NAME.pem (private) and DIR/NAME.pub.
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let (private, public) = (
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.pub")),
    );
    let out = prodready()
        .args(["keygen", "--private"])
        .arg(&private)
        .arg("--public")
        .arg(&public)
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", text(&out));
    (private, public)
}
