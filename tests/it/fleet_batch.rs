//! docs/examples/fleet-batch, the organisation-wide scan on AWS Batch: every example's
//! Terraform parses (and is formatted, where `terraform` is installed), the job definitions run
//! fleet.sh with what it reads, and fleet.sh's three steps run against the emulator as Batch's
//! containers would: the plan's shards and submissions, a shard's signed evidence in the
//! bucket, the aggregate's organisation report.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::support::*;

fn example(file: &str) -> PathBuf {
    root().join("docs/examples/fleet-batch").join(file)
}

/// Every `*.tf` file under `dir`, at any depth (not in hidden folders such as `.terraform`).
fn tf_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_dir() && !hidden {
            tf_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "tf") {
            found.push(path);
        }
    }
}

#[test]
fn every_example_terraform_file_parses_and_is_formatted() {
    let examples = root().join("docs/examples");
    let mut files = Vec::new();
    tf_files(&examples, &mut files);
    files.sort();
    for expected in [
        "fleet-batch/main.tf",
        "fleet-batch/variables.tf",
        "fleet-batch/outputs.tf",
        "nightly-ecs/main.tf",
    ] {
        assert!(
            files.contains(&examples.join(expected)),
            "docs/examples/{expected} is not among {files:?}"
        );
    }
    let errors: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            hcl_edit::parser::parse_body(&text).err().map(|e| {
                let at = e.location();
                format!(
                    "{}: line {}, column {}: {}",
                    file.display(),
                    at.line(),
                    at.column(),
                    e.message()
                )
            })
        })
        .collect();
    assert!(
        errors.is_empty(),
        "Terraform that does not parse:\n{}",
        errors.join("\n")
    );

    match Command::new("terraform")
        .args(["fmt", "-check", "-recursive", "-diff"])
        .arg(&examples)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "terraform fmt -check -recursive docs/examples: {:?}",
            text(&out)
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "terraform is not on the PATH: `terraform fmt -check` of docs/examples skipped"
            );
        }
        Err(e) => panic!("terraform fmt: {e}"),
    }
}

fn string_attribute(block: &hcl_edit::structure::Block, key: &str) -> String {
    block
        .body
        .get_attribute(key)
        .and_then(|a| a.value.as_str())
        .unwrap_or_else(|| panic!("{} has no string {key}", block.ident.as_str()))
        .to_owned()
}

#[test]
fn the_job_definitions_run_fleet_sh_with_what_it_reads() {
    let main = std::fs::read_to_string(example("main.tf")).unwrap();
    let script = std::fs::read_to_string(example("fleet.sh")).unwrap();
    let body = hcl_edit::parser::parse_body(&main).unwrap();
    let definition = |name: &str| {
        body.get_blocks("resource")
            .find(|b| b.has_exact_labels(&["aws_batch_job_definition", name]))
            .unwrap_or_else(|| panic!("main.tf has no aws_batch_job_definition.{name}"))
    };
    // One job definition per step, each running that step of the script.
    for step in ["plan", "shard", "aggregate"] {
        let container: String = definition(step)
            .body
            .get_attribute("container_properties")
            .unwrap_or_else(|| panic!("aws_batch_job_definition.{step} has no container"))
            .value
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            container.contains(&format!("command=[\"{step}\"]")),
            "aws_batch_job_definition.{step} does not run `fleet.sh {step}`: {container}"
        );
        assert!(
            script.contains(&format!("\n{step}() {{\n")),
            "fleet.sh has no {step} step"
        );
    }
    // Every variable a job definition sets is one the script reads.
    let names: Vec<&str> = main
        .match_indices("{ name = \"")
        .map(|(i, m)| {
            let rest = &main[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        assert!(
            script.contains(&format!("${name}")) || script.contains(&format!("${{{name}")),
            "main.tf sets {name}, which fleet.sh never reads"
        );
    }
    // A partial shard (exit 3) is tried again, anything else is final; the script knows how
    // many attempts there are, so that the last one lets the aggregate run.
    let shard = definition("shard");
    let retry = shard
        .body
        .get_blocks("retry_strategy")
        .next()
        .expect("the shard job definition has a retry_strategy");
    let rules: Vec<(String, String)> = retry
        .body
        .get_blocks("evaluate_on_exit")
        .map(|b| {
            (
                string_attribute(b, "action").to_uppercase(),
                string_attribute(b, "on_exit_code"),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("RETRY".to_owned(), "3".to_owned()),
            ("EXIT".to_owned(), "*".to_owned())
        ]
    );
    assert!(main.contains("attempts = var.shard_attempts"));
    assert!(main.contains("{ name = \"SHARD_ATTEMPTS\", value = tostring(var.shard_attempts) }"));
}

/// The test venv's AWS CLI (v1), as the emulator's default account.
fn aws(endpoint: &str, args: &[&str]) -> String {
    let cli = root().join("mocks/.venv/bin/aws");
    assert!(
        cli.exists(),
        "the AWS CLI is missing from the venv: run scripts/setup-emulator (mocks/requirements.txt has awscli)"
    );
    let out = Command::new(cli)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir().join("prodready-test-home"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "aws {}: {:?}",
        args.join(" "),
        text(&out)
    );
    text(&out).0
}

/// `fleet.sh STEP` as a Batch container runs it: only the environment its job definition
/// gives (and `vars`), the venv's AWS CLI first on the PATH, and a TMPDIR of its own.
fn fleet(step: &str, endpoint: &str, tmp: &Path, vars: &[(&str, &str)]) -> Output {
    let path = format!(
        "{}:{}",
        root().join("mocks/.venv/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    c.arg(example("fleet.sh"))
        .arg(step)
        .env_clear()
        .env("PATH", path)
        .env("HOME", std::env::temp_dir().join("prodready-test-home"))
        .env("TMPDIR", tmp)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_REGION", REGION)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PRODREADY_BIN", env!("CARGO_BIN_EXE_prodready"));
    for (name, value) in vars {
        c.env(name, value);
    }
    c.output().unwrap()
}

fn accounts_file(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("[[account]]\nid = \"{id}\"\nrole = \"prodready-audit\"\n\n"))
        .collect()
}

fn verify(evidence: &Path, public: &Path) -> Output {
    prodready()
        .arg("verify")
        .arg(evidence)
        .arg("--pubkey")
        .arg(public)
        .output()
        .unwrap()
}

#[test]
fn a_shard_stores_signed_evidence_and_the_aggregate_names_every_account() {
    let em = Emulator::shared();
    let first = em.seed(&["staging"]);
    let second = em.seed(&["staging"]);
    // Planned in a shard that never runs.
    let never = fresh_account();
    let dir = temp_dir("fleet-batch");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (private, public) = keygen(&dir, "key");
    let key = std::fs::read_to_string(&private).unwrap();
    let secret_line = key.lines().nth(1).unwrap().to_owned();
    let bucket = format!("fleet-evidence-{}", std::process::id());
    let run = "20260301T020004Z";
    let s3 = format!("s3://{bucket}/runs/{run}");

    aws(&em.endpoint, &["s3", "mb", &format!("s3://{bucket}")]);
    let shards = dir.join("shards");
    std::fs::create_dir_all(&shards).unwrap();
    std::fs::write(
        shards.join("accounts-000.toml"),
        accounts_file(&[first.as_str(), second.as_str()]),
    )
    .unwrap();
    std::fs::write(
        shards.join("accounts-001.toml"),
        accounts_file(&[never.as_str()]),
    )
    .unwrap();
    aws(
        &em.endpoint,
        &[
            "s3",
            "cp",
            shards.to_str().unwrap(),
            &format!("{s3}/shards/"),
            "--recursive",
        ],
    );

    let shard_vars = [
        ("EVIDENCE_BUCKET", bucket.as_str()),
        ("RUN_ID", run),
        ("SCAN_REGIONS", REGION),
        ("PRODREADY_SIGNING_KEY", key.as_str()),
        ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
        ("AWS_BATCH_JOB_ATTEMPT", "1"),
        ("SHARD_ATTEMPTS", "3"),
    ];
    let shard = fleet("shard", &em.endpoint, &tmp, &shard_vars);
    let (stdout, stderr) = text(&shard);
    // Staging fails checks (prodready exits 1): a result, not a failed job.
    assert_eq!(shard.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("Organisation: 2 account(s)"), "{stdout}");
    assert!(
        stderr.contains(&format!(
            "fleet: shard 000, exit 1, evidence in {s3}/shard-000/"
        )),
        "{stderr}"
    );
    // The key was only ever in a file of the script's own, removed with the rest, and
    // nothing printed it.
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "fleet.sh left files in its TMPDIR"
    );
    assert!(!stdout.contains(&secret_line) && !stderr.contains(&secret_line));

    let listing = aws(
        &em.endpoint,
        &["s3", "ls", &format!("{s3}/"), "--recursive"],
    );
    for account in [&first, &second] {
        for file in ["evidence.json", "report.md"] {
            assert!(
                listing.contains(&format!("runs/{run}/shard-000/{account}/{file}")),
                "{listing}"
            );
        }
    }
    // The shard's summary names the accounts it could not scan; its JSON, no evidence, stays
    // out of the aggregate's way.
    assert!(
        listing.contains(&format!("runs/{run}/shard-000/organization.md")),
        "{listing}"
    );
    assert!(
        !listing.contains(&format!("runs/{run}/shard-000/organization.json")),
        "{listing}"
    );

    // Signed with the key from the environment: verify accepts it with its public half, and
    // not with another key's.
    let evidence = dir.join("evidence.json");
    aws(
        &em.endpoint,
        &[
            "s3",
            "cp",
            &format!("{s3}/shard-000/{first}/evidence.json"),
            evidence.to_str().unwrap(),
        ],
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&evidence).unwrap()).unwrap();
    assert_eq!(doc["scan"]["account_id"], first.as_str());
    let ok = verify(&evidence, &public);
    assert_eq!(ok.status.code(), Some(0), "{:?}", text(&ok));
    assert!(
        text(&ok).0.contains("signature verifies"),
        "{:?}",
        text(&ok)
    );
    let (_, other) = keygen(&dir, "other");
    let wrong = verify(&evidence, &other);
    assert_eq!(wrong.status.code(), Some(1), "{:?}", text(&wrong));

    let aggregate = fleet(
        "aggregate",
        &em.endpoint,
        &tmp,
        &[("EVIDENCE_BUCKET", bucket.as_str()), ("RUN_ID", run)],
    );
    let (_, stderr) = text(&aggregate);
    assert_eq!(aggregate.status.code(), Some(0), "{stderr}");
    let report = aws(
        &em.endpoint,
        &["s3", "cp", &format!("{s3}/organization.md"), "-"],
    );
    assert!(report.contains("2 account(s)"), "{report}");
    assert!(
        report.contains(&first) && report.contains(&second),
        "{report}"
    );
    let org: Value = serde_json::from_str(&aws(
        &em.endpoint,
        &["s3", "cp", &format!("{s3}/organization.json"), "-"],
    ))
    .unwrap();
    let mut ids: Vec<&str> = org["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut want = [first.as_str(), second.as_str()];
    want.sort_unstable();
    assert_eq!(ids, want);
    // The account of the shard that never ran has no evidence: named, in the log and the bucket.
    let missing = aws(
        &em.endpoint,
        &["s3", "cp", &format!("{s3}/missing-accounts.txt"), "-"],
    );
    assert_eq!(missing.trim(), never);
    assert!(stderr.contains(&never), "{stderr}");
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);

    // A failure of the script itself is exit 2, naming what failed.
    let without_bucket: Vec<(&str, &str)> = shard_vars
        .iter()
        .filter(|(name, _)| *name != "EVIDENCE_BUCKET")
        .copied()
        .collect();
    let unset = fleet("shard", &em.endpoint, &tmp, &without_bucket);
    assert_eq!(unset.status.code(), Some(2), "{:?}", text(&unset));
    assert!(
        text(&unset).1.contains("EVIDENCE_BUCKET is not set"),
        "{:?}",
        text(&unset)
    );
    let unplanned = shard_vars.map(|(name, value)| match name {
        "AWS_BATCH_JOB_ARRAY_INDEX" => (name, "7"),
        _ => (name, value),
    });
    let absent = fleet("shard", &em.endpoint, &tmp, &unplanned);
    assert_eq!(absent.status.code(), Some(2), "{:?}", text(&absent));
    assert!(
        text(&absent)
            .1
            .contains(&format!("cannot download {s3}/shards/accounts-007.toml")),
        "{:?}",
        text(&absent)
    );
    let nowhere = fleet("rescan", &em.endpoint, &tmp, &shard_vars);
    assert_eq!(nowhere.status.code(), Some(2), "{:?}", text(&nowhere));
    assert!(text(&nowhere)
        .1
        .contains("usage: fleet.sh plan|shard|aggregate"));
}

/// Production is partial under the emulator (its gaps): the shard asks Batch for another
/// attempt (exit 3) while it has some, and on the last one lets its partial evidence stand.
#[test]
fn a_partial_shard_is_retried_until_its_last_attempt() {
    let em = Emulator::shared();
    let production = em.seed(&["production"]);
    let dir = temp_dir("fleet-batch-partial");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (private, _) = keygen(&dir, "key");
    let key = std::fs::read_to_string(&private).unwrap();
    let bucket = format!("fleet-partial-{}", std::process::id());
    let s3 = format!("s3://{bucket}/runs/partial");
    aws(&em.endpoint, &["s3", "mb", &format!("s3://{bucket}")]);
    let shard = dir.join("accounts-000.toml");
    std::fs::write(&shard, accounts_file(&[production.as_str()])).unwrap();
    aws(
        &em.endpoint,
        &[
            "s3",
            "cp",
            shard.to_str().unwrap(),
            &format!("{s3}/shards/accounts-000.toml"),
        ],
    );
    let attempt = |n: &str| {
        fleet(
            "shard",
            &em.endpoint,
            &tmp,
            &[
                ("EVIDENCE_BUCKET", bucket.as_str()),
                ("RUN_ID", "partial"),
                ("SCAN_REGIONS", REGION),
                ("PRODREADY_SIGNING_KEY", key.as_str()),
                ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
                ("AWS_BATCH_JOB_ATTEMPT", n),
                ("SHARD_ATTEMPTS", "3"),
            ],
        )
    };
    let first = attempt("1");
    assert_eq!(first.status.code(), Some(3), "{:?}", text(&first));
    assert!(
        text(&first)
            .1
            .contains("shard 000 is partial (attempt 1 of 3)"),
        "{:?}",
        text(&first)
    );
    // Stored all the same: a shard of one account is a plain scan, its files in the shard's folder.
    let listing = aws(
        &em.endpoint,
        &["s3", "ls", &format!("{s3}/"), "--recursive"],
    );
    assert!(
        listing.contains("runs/partial/shard-000/evidence.json"),
        "{listing}"
    );
    let last = attempt("3");
    assert_eq!(last.status.code(), Some(0), "{:?}", text(&last));
    assert!(
        text(&last)
            .1
            .contains("shard 000 is partial after 3 attempt(s)"),
        "{:?}",
        text(&last)
    );
}

/// The plan in an organisation of five active accounts (one excluded) and a closed one, with
/// an emulator of its own: Organizations answers in moto's default account, which the shared
/// emulator's tests must not see as an organisation; Batch records the jobs instead of running
/// them in Docker.
#[test]
fn the_plan_shards_the_active_accounts_and_submits_the_aggregate_after_the_shards() {
    const MANAGEMENT: &str = "123456789012";
    let em = Emulator::start();
    // (moto answers 201 Created here, which `Emulator::post` does not take for a success.)
    let configured = Command::new(python())
        .args([
            "-c",
            "import sys, urllib.request\n\
             urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/moto-api/config',\n\
                 data=b'{\"batch\": {\"use_docker\": false}}', method='POST'))",
        ])
        .arg(&em.endpoint)
        .output()
        .unwrap();
    assert!(configured.status.success(), "{:?}", text(&configured));
    let e = em.endpoint.as_str();
    let seeded = Command::new(python())
        .arg(root().join("mocks/emulator/seed.py"))
        .args(["--endpoint", e, "--account", MANAGEMENT])
        .args(["--organization", "a,b,c,d,e,closed", "--close", "closed"])
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{:?}", text(&seeded));
    let seeded: Value = serde_json::from_slice(&seeded.stdout).unwrap();
    let id = |name: &str| seeded["organization"][name].as_str().unwrap().to_owned();

    // The queue and the two job definitions the plan submits to.
    let vpc = aws(
        e,
        &[
            "ec2",
            "create-vpc",
            "--cidr-block",
            "10.8.0.0/16",
            "--query",
            "Vpc.VpcId",
            "--output",
            "text",
        ],
    );
    let subnet = aws(
        e,
        &[
            "ec2",
            "create-subnet",
            "--vpc-id",
            vpc.trim(),
            "--cidr-block",
            "10.8.1.0/24",
            "--query",
            "Subnet.SubnetId",
            "--output",
            "text",
        ],
    );
    let group = aws(
        e,
        &[
            "ec2",
            "create-security-group",
            "--vpc-id",
            vpc.trim(),
            "--group-name",
            "fleet",
            "--description",
            "fleet",
            "--query",
            "GroupId",
            "--output",
            "text",
        ],
    );
    let role = aws(
        e,
        &[
            "iam",
            "create-role",
            "--role-name",
            "batch-service",
            "--assume-role-policy-document",
            "{}",
            "--query",
            "Role.Arn",
            "--output",
            "text",
        ],
    );
    aws(
        e,
        &[
            "batch",
            "create-compute-environment",
            "--compute-environment-name",
            "fleet",
            "--type",
            "MANAGED",
            "--service-role",
            role.trim(),
            "--compute-resources",
            &format!(
                "type=FARGATE,maxvCpus=4,subnets={},securityGroupIds={}",
                subnet.trim(),
                group.trim()
            ),
        ],
    );
    aws(
        e,
        &[
            "batch",
            "create-job-queue",
            "--job-queue-name",
            "fleet",
            "--state",
            "ENABLED",
            "--priority",
            "1",
            "--compute-environment-order",
            "order=1,computeEnvironment=fleet",
        ],
    );
    let define = |name: &str| {
        let arn = aws(
            e,
            &[
                "batch",
                "register-job-definition",
                "--job-definition-name",
                name,
                "--type",
                "container",
                "--platform-capabilities",
                "FARGATE",
                "--container-properties",
                &format!(
                    r#"{{"image": "fleet@sha256:{}", "command": ["{name}"], "resourceRequirements": [{{"type": "VCPU", "value": "1"}}, {{"type": "MEMORY", "value": "2048"}}], "executionRoleArn": "{}"}}"#,
                    "0".repeat(64),
                    role.trim()
                ),
                "--query",
                "jobDefinitionArn",
                "--output",
                "text",
            ],
        );
        arn.trim().to_owned()
    };
    let (shard_definition, aggregate_definition) = (define("shard"), define("aggregate"));
    let bucket = "fleet-plan-evidence";
    aws(e, &["s3", "mb", &format!("s3://{bucket}")]);

    let dir = temp_dir("fleet-batch-plan");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let excluded = format!("{MANAGEMENT}, {}", id("e"));
    let plan = |vars: &[(&str, &str)]| {
        let mut all = vec![
            ("EVIDENCE_BUCKET", bucket),
            ("AUDIT_ROLE", "prodready-audit"),
            ("JOB_QUEUE", "fleet"),
            ("SHARD_JOB_DEFINITION", shard_definition.as_str()),
            ("AGGREGATE_JOB_DEFINITION", aggregate_definition.as_str()),
        ];
        all.extend_from_slice(vars);
        fleet("plan", e, &tmp, &all)
    };
    // Four accounts by three: two shards of two, not three and one.
    let out = plan(&[("SHARD_SIZE", "3"), ("EXCLUDE_ACCOUNTS", excluded.as_str())]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "account {} is SUSPENDED: not scanned",
            id("closed")
        )),
        "{stderr}"
    );
    let run = stderr
        .lines()
        .find_map(|l| l.strip_prefix("fleet: run "))
        .and_then(|l| l.split(':').next())
        .unwrap_or_else(|| panic!("no run id in {stderr}"))
        .to_owned();
    assert!(run.len() == 16 && run.ends_with('Z'), "{run}");
    assert!(
        stderr.contains(": 4 accounts in 2 shard(s) of at most 3 (1 not active, 2 excluded)"),
        "{stderr}"
    );
    let s3 = format!("s3://{bucket}/runs/{run}/shards");
    let listing = aws(e, &["s3", "ls", &format!("{s3}/")]);
    assert!(!listing.contains("accounts-002.toml"), "{listing}");
    let mut planned = Vec::new();
    for n in ["000", "001"] {
        let shard = aws(e, &["s3", "cp", &format!("{s3}/accounts-{n}.toml"), "-"]);
        let ids: Vec<String> = shard
            .lines()
            .filter_map(|l| l.strip_prefix("id = \""))
            .map(|l| l.trim_end_matches('"').to_owned())
            .collect();
        assert_eq!(ids.len(), 2, "{shard}");
        assert_eq!(
            shard.matches("role = \"prodready-audit\"").count(),
            2,
            "{shard}"
        );
        planned.extend(ids);
    }
    let mut active = vec![id("a"), id("b"), id("c"), id("d")];
    active.sort();
    assert_eq!(
        planned, active,
        "the shards hold the active accounts, sorted"
    );

    let (shard_job, aggregate_job) = submitted(&stderr);
    let jobs: Value = serde_json::from_str(&aws(
        e,
        &[
            "batch",
            "describe-jobs",
            "--jobs",
            &shard_job,
            &aggregate_job,
        ],
    ))
    .unwrap();
    let job = |id: &str| {
        jobs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["jobId"] == id)
            .unwrap_or_else(|| panic!("no job {id} in {jobs}"))
            .clone()
    };
    let environment = |job: &Value, name: &str| {
        job["container"]["environment"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .map(|v| v["value"].as_str().unwrap().to_owned())
    };
    let (shards, aggregate) = (job(&shard_job), job(&aggregate_job));
    assert_eq!(shards["jobDefinition"], shard_definition.as_str());
    assert_eq!(shards["arrayProperties"]["size"], 2, "{shards}");
    assert_eq!(
        environment(&shards, "RUN_ID").as_deref(),
        Some(run.as_str())
    );
    assert_eq!(aggregate["jobDefinition"], aggregate_definition.as_str());
    assert_eq!(
        aggregate["dependsOn"][0]["jobId"],
        shard_job.as_str(),
        "{aggregate}"
    );
    assert_eq!(
        environment(&aggregate, "RUN_ID").as_deref(),
        Some(run.as_str())
    );

    // One shard is a plain job (an array job has two children at least), told its number.
    let out = plan(&[("RUN_ID", "one-shard")]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("fleet: run one-shard: 6 accounts in 1 shard(s)"),
        "{stderr}"
    );
    let (shard_job, _) = submitted(&stderr);
    let jobs: Value =
        serde_json::from_str(&aws(e, &["batch", "describe-jobs", "--jobs", &shard_job])).unwrap();
    let single = &jobs["jobs"][0];
    assert!(single["arrayProperties"]["size"].is_null(), "{single}");
    assert_eq!(environment(single, "SHARD_INDEX").as_deref(), Some("0"));

    // A queue that is not there: exit 2, naming it.
    let out = plan(&[("RUN_ID", "no-queue"), ("JOB_QUEUE", "no-such-queue")]);
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(
        text(&out)
            .1
            .contains("cannot submit the shard jobs to no-such-queue"),
        "{:?}",
        text(&out)
    );
}

/// The shard job's and the aggregate job's ids, from the plan's log.
fn submitted(stderr: &str) -> (String, String) {
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("fleet: shard jobs "))
        .unwrap_or_else(|| panic!("no submission in {stderr}"));
    let (shards, rest) = line.split_once(", aggregate job ").unwrap();
    let (aggregate, _) = rest.split_once(';').unwrap();
    (shards.to_owned(), aggregate.to_owned())
}
