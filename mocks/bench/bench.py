"""The scan benchmark: seeds a large generated account into a fresh emulator, measures the
emulator's own capacity, then scans the same account under several configurations, and
reports in one run:

- the account and how long seeding it took (separately from everything else);
- per configuration (each on its own line): wall time, the scanner's CPU time and peak RSS,
  API calls made (each page one call) against the minimum the inventory implies, retries
  (HTTP attempts beyond the calls), calls/s, the HTTP requests the emulator front saw and the
  emulator's own CPU time. The configurations: each `--concurrency` value (default 16) and
  sequential (`--max-concurrency 1`), first with no added latency, then with `--latency-ms`
  (default 50) added to every call by the emulator front, as a real region's round trip
  would (set at run time through the front's `/front-api/latency`, reset to 0 after);
- the ratios sequential / concurrent wall time, with and without the added latency;
- calls/s achieved against the emulator's capacity: calls/s its front answers at the same
  concurrency from a load generator that does nothing else (DescribeTable, the call a scan
  makes most), measured in the same run;
- the calls above the minimum, operation by operation, if any;
- how fast a scan with no credentials (or no region) gives up;
- with `--quota SERVICE:OPERATION=RATE`: two more scans under that rate quota (the front
  throttles calls beyond RATE a second, as AWS does), one per `--retry-mode` (standard,
  adaptive): wall time, retries, throttled answers, and the quota'd operation's calls, failures
  and rate;
- with `--prowler` and an added latency: Prowler once more behind that latency, against the
  concurrent scan behind it;
- with `--prowler`: Prowler (pinned, installed once into mocks/.venv-prowler) run against the
  same emulator with the checks that match prodready's, its wall time and peak RSS next to
  prodready's, and the ratio. Fails soft: what failed is reported in one line.

Run it through scripts/bench (which sets up the emulator venv and builds the scanner):

    scripts/bench                      # quick: 500 tables, 500 log groups, 50 keys, ...
    scripts/bench --large              # 2,000 tables, 5,000 log groups, 200 ECS services ...
    scripts/bench --large --prowler    # and Prowler against the same account
    scripts/bench --large --concurrency 16,64 --json bench.json

or directly, with a scanner already built:

    mocks/.venv/bin/python mocks/bench/bench.py --binary target/debug/prodready --large [--prowler]

Every count has an option (--tables, --log-groups, --keys, --buckets, --secrets,
--ecs-clusters, --ecs-services) that overrides the --large (or quick) default. `--json FILE`
writes every figure as JSON as well. All figures are on this machine with a debug or release
build as given: compare runs only with each other.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MOCKS = Path(__file__).resolve().parent.parent
# The emulator and its seeder (mocks/emulator/), run as programs.
EMULATOR = MOCKS / "emulator"
ACCOUNT = "123412341234"
REGION = "eu-west-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/prodready-audit"

# The generated account, on top of the staging scenario. The quick run keeps the older
# defaults for tables, log groups and keys, and adds a few of each newer kind.
QUICK = {
    "tables": 500,
    "log_groups": 500,
    "keys": 50,
    "buckets": 50,
    "secrets": 20,
    "ecs_clusters": 4,
    "ecs_services": 20,
}
LARGE = {
    "tables": 2000,
    "log_groups": 5000,
    "keys": 200,
    "buckets": 500,
    "secrets": 100,
    "ecs_clusters": 20,
    "ecs_services": 200,
}

# Prowler: pinned (installs on Python 3.11), in its own venv, installed only with --prowler.
PROWLER_VERSION = "5.46.0"
PROWLER_VENV = MOCKS / ".venv-prowler"
# Prowler's checks that judge what prodready's checks judge (`prowler aws --list-checks`).
PROWLER_CHECKS = [
    "dynamodb_tables_pitr_enabled",
    "dynamodb_tables_kms_cmk_encryption_enabled",
    "kms_cmk_rotation_enabled",
    "cloudwatch_log_group_retention_policy_specific_days_enabled",
    "s3_bucket_object_versioning",
    "s3_bucket_default_encryption",
    "s3_bucket_level_public_access_block",
    "s3_bucket_lifecycle_enabled",
    "cloudtrail_multi_region_enabled",
    "guardduty_is_enabled",
    "ecs_task_definitions_no_environment_secrets",
    "secretsmanager_automatic_rotation_enabled",
    "ec2_securitygroup_allow_ingress_from_internet_to_any_port",
]


def start_emulator(log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """The emulator; its stderr (moto's tracebacks for what it does not implement, which
    Prowler calls) goes to `log` when given."""
    proc = subprocess.Popen(
        [sys.executable, str(EMULATOR / "emulator.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        stderr=log.open("w") if log else None,
    )
    ready, endpoint = proc.stdout.readline().split()
    assert ready == "READY", ready
    return proc, endpoint


def front(endpoint: str, method: str, path: str, body: dict | None = None) -> dict:
    """The emulator front's control API (mocks/emulator/front.py): /front-api/latency, /front-api/faults."""
    conn = http.client.HTTPConnection(endpoint.removeprefix("http://"), timeout=30)
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, {"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{method} {path}: {resp.status} {data[:200]!r}")
        return json.loads(data or b"{}")
    finally:
        conn.close()


def set_latency(endpoint: str, ms: float) -> None:
    front(endpoint, "POST", "/front-api/latency", {"ms": ms})


def reset_request_counts(endpoint: str) -> None:
    # A new (empty) set of fault rules starts the front's counters afresh.
    front(endpoint, "POST", "/front-api/faults", {"rules": []})


def front_requests(endpoint: str) -> int:
    """HTTP requests the front received since the last reset, every account together (the
    control APIs are not counted)."""
    return sum(front(endpoint, "GET", "/front-api/faults")["requests"].values())


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (the emulator), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def capacity(endpoint: str, seconds: float, threads: int, tables: int, emulator_pid: int) -> tuple[float, float]:
    """Calls/s the emulator answers when nothing but DescribeTable keeps it busy (the call
    the scan makes most), with as many callers in flight as the scan has, each on a kept-alive
    connection (as the scanner's HTTP client keeps them); and the emulator's CPU seconds per
    second meanwhile: how busy a saturated emulator is, whatever the calls."""
    host = endpoint.removeprefix("http://")
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def worker(n: int) -> None:
        i = n
        conn = None
        while time.monotonic() < stop:
            body = json.dumps({"TableName": f"bench-table-{i % max(tables, 1):05}"})
            try:
                conn = conn or http.client.HTTPConnection(host, timeout=30)
                conn.request(
                    "POST",
                    "/",
                    body,
                    {
                        "X-Amz-Target": "DynamoDB_20120810.DescribeTable",
                        "Content-Type": "application/x-amz-json-1.0",
                        "Authorization": f"AWS4-HMAC-SHA256 Credential=bench/20260101/{REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
                        "x-moto-account-id": ACCOUNT,
                    },
                )
                resp = conn.getresponse()
                resp.read()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                conn = None  # a connection the server dropped: open another, count nothing
                continue
            assert resp.status == 200, resp.status
            counts[n] += 1
            i += threads
        if conn:
            conn.close()

    started = time.monotonic()
    cpu_before = process_cpu_s(emulator_pid)
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, (process_cpu_s(emulator_pid) - cpu_before) / elapsed


def _pages(n: int, size: int) -> int:
    return max(1, math.ceil(n / size))


def _ok(part: dict, region: str | None = None) -> dict:
    return (part.get(region) or {} if region else part or {}).get("ok") or {}


def _ecs(inv, region, add):
    # ListClusters (100/page), DescribeClusters (100 names a call); per cluster ListServices
    # (100/page) and DescribeServices (10 names a call); each task definition revision the
    # services run, once.
    ecs = _ok(inv["ecs"], region)
    clusters = ecs.get("clusters", [])
    add("ecs:ListClusters", _pages(len(clusters), 100))
    if clusters:
        add("ecs:DescribeClusters", math.ceil(len(clusters) / 100))
    for c in clusters:
        n = sum(1 for s in ecs.get("services", []) if s["cluster_arn"] == c["arn"])
        add("ecs:ListServices", _pages(n, 100))
        if n:
            add("ecs:DescribeServices", math.ceil(n / 10))
    if ecs.get("task_definitions"):
        add("ecs:DescribeTaskDefinition", len(ecs["task_definitions"]))


def _elbv2(inv, region, add):
    elb = _ok(inv["elbv2"], region)
    add("elbv2:DescribeLoadBalancers", _pages(len(elb.get("load_balancers", [])), 400))
    add("elbv2:DescribeTargetGroups", _pages(len(elb.get("target_groups", [])), 400))
    # One DescribeLoadBalancerAttributes per load balancer (gateway ones have no access logs).
    lbs = [lb for lb in elb.get("load_balancers", []) if lb.get("kind") != "gateway"]
    if lbs:
        add("elbv2:DescribeLoadBalancerAttributes", len(lbs))


def _dynamodb(inv, region, add):
    # ListTables (100/page); per table DescribeTable and DescribeContinuousBackups; version
    # 2017.11.29 global tables: one ListGlobalTables a region (100 a page).
    ddb = _ok(inv["dynamodb"], region)
    tables = ddb.get("tables", [])
    add("dynamodb:ListTables", _pages(len(tables), 100))
    add("dynamodb:ListGlobalTables", _pages(len(ddb.get("legacy_global_tables", {}).get("ok", [])), 100))
    if tables:
        add("dynamodb:DescribeTable", len(tables))
        add("dynamodb:DescribeContinuousBackups", len(tables))


def _kms(inv, region, add):
    # ListKeys (1000/page); per key DescribeKey; per enabled customer-managed symmetric key
    # GetKeyRotationStatus.
    keys = _ok(inv["kms"], region).get("keys", [])
    rotatable = [
        k for k in keys if k["manager"] == "CUSTOMER" and k["state"] == "Enabled" and k["spec"] == "SYMMETRIC_DEFAULT"
    ]
    add("kms:ListKeys", _pages(len(keys), 1000))
    if keys:
        add("kms:DescribeKey", len(keys))
    if rotatable:
        add("kms:GetKeyRotationStatus", len(rotatable))


def _guardduty(inv, region, add):
    detectors = _ok(inv["guardduty"], region).get("detectors", [])
    add("guardduty:ListDetectors", _pages(len(detectors), 50))
    if detectors:
        add("guardduty:GetDetector", len(detectors))
    # GetUsageStatistics for each enabled detector (one page: a sum per feature).
    enabled = sum(1 for d in detectors if d.get("status") == "ENABLED")
    if enabled:
        add("guardduty:GetUsageStatistics", enabled)


def _cloudwatch(inv, region, add):
    add("cloudwatch:DescribeAlarms", _pages(len(_ok(inv["cloudwatch"], region).get("alarms", [])), 100))
    add("cloudwatch:ListDashboards", 1)


def _sns(inv, region, add):
    # GetTopicAttributes for each topic none of whose listed subscriptions is confirmed.
    sns = _ok(inv["sns"], region)
    add("sns:ListTopics", _pages(len(sns.get("topics", [])), 100))
    add("sns:ListSubscriptions", _pages(len(sns.get("subscriptions", [])), 100))
    if sns.get("confirmed_counts"):
        add("sns:GetTopicAttributes", len(sns["confirmed_counts"]))


def _backup(inv, region, add):
    # ListBackupVaults, ListBackupPlans; ListRestoreJobs where a vault exists; per plan
    # GetBackupPlan and ListBackupSelections, per readable selection GetBackupSelection.
    backup = _ok(inv["backup"], region)
    add("backup:ListBackupVaults", _pages(len(backup.get("vaults", [])), 1000))
    add("backup:ListBackupPlans", _pages(len(backup.get("plans", [])), 1000))
    if backup.get("vaults"):
        add("backup:ListRestoreJobs", 1)
    for plan in backup.get("plans", []):
        add("backup:GetBackupPlan", 1)
        add("backup:ListBackupSelections", 1)
        selections = len(plan["selections"].get("ok", []))
        if selections:
            add("backup:GetBackupSelection", selections)


def _autoscaling(inv, region, add):
    scaling = _ok(inv["autoscaling"], region)
    add("application-autoscaling:DescribeScalableTargets", _pages(len(scaling.get("targets", [])), 50))
    add("application-autoscaling:DescribeScalingPolicies", _pages(len(scaling.get("policies", [])), 50))


def _ecr(inv, region, add):
    add("ecr:DescribeRepositories", _pages(len(_ok(inv["ecr"], region).get("repositories", [])), 1000))
    add("ecr:GetRegistryScanningConfiguration", 1)


def _usage(inv, region, add):
    # One GetMetricData call per 500 queries (a bucket one, a table two, a log group one, a
    # NAT gateway that is billed two).
    in_region = sum(1 for b in _ok(inv["s3"]).get("buckets", []) if b["region"] == region)
    gateways = _ok(inv.get("nat_gateways", {}), region).get("gateways", [])
    queries = (
        in_region
        + 2 * len(_ok(inv["dynamodb"], region).get("tables", []))
        + len(_ok(inv["logs"], region).get("groups", []))
        + 2 * sum(1 for g in gateways if g.get("state") in ("pending", "available"))
    )
    if queries:
        add("cloudwatch:GetMetricData", math.ceil(queries / 500))


def _listed(operation: str, part: str, key: str, page: int):
    """A part read by one paged list: `operation` pages through `key` of the part."""

    def calls(inv, region, add):
        add(operation, _pages(len(_ok(inv[part], region).get(key, [])), page))

    return calls


def _edge(part: str, operation: str, key: str, page: int):
    """A regional part read in the scanned regions and, for CloudFront, in us-east-1."""
    listed = _listed(operation, part, key, page)

    def calls(inv, region, add):
        listed(inv, region, add)
        if region == inv["regions"][0] and "us-east-1" not in inv["regions"]:
            listed(inv, "us-east-1", add)

    return calls


# Per regional part, the calls that read it in one region.
REGIONAL_CALLS = {
    "ecs": _ecs,
    "elbv2": _elbv2,
    "ec2": _listed("ec2:DescribeSubnets", "ec2", "subnets", 1000),
    "security_groups": _listed("ec2:DescribeSecurityGroups", "security_groups", "groups", 1000),
    "flow_logs": _listed("ec2:DescribeFlowLogs", "flow_logs", "flow_logs", 1000),
    "nat_gateways": _listed("ec2:DescribeNatGateways", "nat_gateways", "gateways", 1000),
    "dynamodb": _dynamodb,
    # DescribeLogGroups (50/page) carries retention: no per-group call.
    "logs": _listed("logs:DescribeLogGroups", "logs", "groups", 50),
    "kms": _kms,
    "guardduty": _guardduty,
    "cloudwatch": _cloudwatch,
    # EventBridge: ListRules of the default bus (100 a page), for rules routing alarm states.
    "events": lambda inv, region, add: add("events:ListRules", 1),
    "sns": _sns,
    "lambda": _listed("lambda:ListFunctions", "lambda", "functions", 50),
    # ListSecrets (100/page) carries the rotation settings.
    "secretsmanager": _listed("secretsmanager:ListSecrets", "secretsmanager", "secrets", 100),
    "backup": _backup,
    "autoscaling": _autoscaling,
    "codepipeline": _listed("codepipeline:ListPipelines", "codepipeline", "pipelines", 1000),
    "ecr": _ecr,
    "acm": _edge("acm", "acm:ListCertificates", "certificates", 1000),
    "tags": _edge("tags", "tag:GetResources", "resources", 100),
    "usage": _usage,
}


def _cloudtrail(inv, add):
    # DescribeTrails in every region, GetTrailStatus and GetEventSelectors per trail.
    add("cloudtrail:DescribeTrails", len(inv["regions"]))
    trails = _ok(inv["cloudtrail"]).get("trails", [])
    if trails:
        add("cloudtrail:GetTrailStatus", len(trails))
        add("cloudtrail:GetEventSelectors", len(trails))


def _s3(inv, add):
    # ListBuckets (1000/page); per bucket GetBucketLocation (moto gives no BucketRegion) and
    # five settings; one listing page per bucket searched for Terraform state; the account's
    # Block Public Access (S3 Control) once.
    buckets = _ok(inv["s3"]).get("buckets", [])
    add("s3:ListBuckets", _pages(len(buckets), 1000))
    add("s3control:GetPublicAccessBlock", 1)
    if buckets:
        for op in (
            "GetBucketLocation",
            "GetBucketVersioning",
            "GetBucketEncryption",
            "GetPublicAccessBlock",
            "GetBucketLifecycleConfiguration",
            "GetBucketReplication",
        ):
            add(f"s3:{op}", len(buckets))
    searched = sum(1 for b in buckets if b.get("state_files") is not None)
    if searched:
        add("s3:ListObjectsV2", searched)


def _cloudfront(inv, add):
    # One GetWebACL per web ACL named, and one GetRuleGroup per rule group a web ACL
    # references (the generated accounts reference none).
    cloudfront = _ok(inv["cloudfront"])
    add("cloudfront:ListDistributions", _pages(len(cloudfront.get("distributions", [])), 1000))
    if cloudfront.get("web_acls"):
        add("wafv2:GetWebACL", len(cloudfront["web_acls"]))


def _route53(inv, add):
    # A page of records per zone here.
    zones = _ok(inv["route53"]).get("zones", [])
    add("route53:ListHostedZones", _pages(len(zones), 100))
    if zones:
        add("route53:ListResourceRecordSets", len(zones))


def _terraform(inv, add):
    # One GetObject per s3:// state given (--terraform-state); files and --terraform-dir cost no call.
    in_s3 = sum(1 for s in _ok(inv["terraform"]).get("states", []) if s["source"].startswith("s3://"))
    if in_s3:
        add("s3:GetObject", in_s3)


# Per account-wide part, the calls that read it.
GLOBAL_CALLS = {
    "terraform": _terraform,
    "cloudtrail": _cloudtrail,
    "s3": _s3,
    "cloudfront": _cloudfront,
    "route53": _route53,
    "iam": lambda inv, add: add("iam:ListOpenIDConnectProviders", 1),
}

# What an inventory holds besides its parts.
INVENTORY_META = {"account_id", "regions", "collected_at"}


def minimum_calls(inv: dict) -> dict[str, int]:
    """The fewest calls that can read this inventory, by `service:Operation`: each list paged
    at the largest page the scanner asks for (the API's maximum, see src/collect/*.rs), plus
    the per-resource calls no list answers. Service names are the call log's. Every part of
    the inventory (the scanner's `inventory!` list) must have its entry here."""
    unmodelled = set(inv) - INVENTORY_META - set(REGIONAL_CALLS) - set(GLOBAL_CALLS)
    if unmodelled:
        raise SystemExit(f"bench: no call model for the inventory parts {sorted(unmodelled)}")
    need: dict[str, int] = {}

    def add(op: str, n: int) -> None:
        need[op] = need.get(op, 0) + n

    add("sts:GetCallerIdentity", 1)  # AssumeRole is the session's, not in the call log
    for region in inv["regions"]:
        for calls in REGIONAL_CALLS.values():
            calls(inv, region, add)
    for calls in GLOBAL_CALLS.values():
        calls(inv, add)
    return need


def dependent_chain(need: dict[str, int]) -> int:
    """Roughly the longest chain of calls that must follow one another (pages of one list,
    then what the list names, then the usage round), whatever the concurrency: with L added
    to every call, no scan can finish in less than this many times L."""
    get = need.get
    dynamodb = get("dynamodb:ListTables", 1) + 1  # pages, then the tables at once
    s3 = get("s3:ListBuckets", 1) + 2 + (1 if get("s3:ListObjectsV2") else 0)  # location, settings, listing
    ecs = get("ecs:ListClusters", 1) + 3  # ListServices, DescribeServices, DescribeTaskDefinition
    first_round = max(
        dynamodb,
        s3,
        ecs,
        get("logs:DescribeLogGroups", 1),
        get("tag:GetResources", 1),
        get("kms:ListKeys", 1) + 2,
        1 + get("sts:GetCallerIdentity", 1),
    )
    return 1 + first_round + get("cloudwatch:GetMetricData", 0)  # AssumeRole first


# Runs the measured command as the only child of a fresh interpreter, so that
# RUSAGE_CHILDREN is the command's own: CPU time and peak RSS as the kernel accounted them
# (for a command with children of its own, the peak is the largest of them, not a sum).
MEASURE = """
import json, resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=float(sys.argv[1]) or None)
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall_s": wall, "cpu_s": r.ru_utime + r.ru_stime,
                  "peak_rss_mb": r.ru_maxrss / 1024, "stderr": p.stderr.decode(errors="replace")}))
"""


def measured(args: list[str], env: dict, timeout_s: float = 0) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(timeout_s), *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def run_scan(
    binary: str,
    endpoint: str,
    concurrency: int,
    out: Path,
    role_arn: str = ROLE_ARN,
    extra: list[str] = (),
    allowed: tuple[int, ...] = (0, 1),
) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": tempfile.gettempdir(),
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    args = [
        binary,
        "scan",
        "--region",
        REGION,
        "--endpoint-url",
        endpoint,
        "--role-arn",
        role_arn,
        "--max-concurrency",
        str(concurrency),
        "--format",
        "json",
        "--output",
        str(out),
        *extra,
    ]
    result = measured(args, env)
    if result["rc"] not in allowed:
        sys.exit(f"scan failed ({result['rc']}): {' | '.join(result['stderr'].strip().splitlines()[-5:])}")
    result["evidence"] = json.loads(out.read_text())
    return result


def startup_failure_s(binary: str, args: list[str], runs: int = 5) -> float:
    """Median time for the scanner to give up when there are no credentials (or no region) at
    all: an empty environment and no ~/.aws. The instance metadata service is asked, not
    disabled, as on any machine."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            t = time.monotonic()
            rc = subprocess.run(
                [binary, *args],
                env={"PATH": os.environ.get("PATH", ""), "HOME": home},
                capture_output=True,
                check=False,
            ).returncode
            times.append(time.monotonic() - t)
            assert rc == 2, rc
    return sorted(times)[len(times) // 2]


def report_sizes(binary: str, endpoint: str, concurrency: int) -> dict:
    """What a reader opens: the size of each report of one scan (--output-dir), the table's
    lines, and how long headless Chromium takes to load the HTML report (scripts run)."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        run_scan(binary, endpoint, concurrency, out / "scan.json", extra=["--output-dir", str(out / "reports")])
        reports = out / "reports"
        sizes = {f.name: f.stat().st_size for f in sorted(reports.iterdir())}
        result = {
            "bytes": sizes,
            "table_lines": len((reports / "report.txt").read_text().splitlines()),
            "markdown_lines": len((reports / "report.md").read_text().splitlines()),
        }
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser:
            page = f"file://{reports / 'report.html'}"
            started = time.monotonic()
            shown = subprocess.run(
                [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page],
                capture_output=True,
                check=False,
                timeout=120,
            )
            result["chromium_load_s"] = round(time.monotonic() - started, 2)
            result["chromium_rc"] = shown.returncode
        return result


def scan_config(
    binary: str, endpoint: str, emulator_pid: int, concurrency: int, latency_ms: float
) -> tuple[dict, dict[str, int]]:
    """One scan under one configuration, with everything measured about it; and the minimum
    calls, by operation, of the inventory it read."""
    set_latency(endpoint, latency_ms)
    reset_request_counts(endpoint)
    load_before = loadavg()
    cpu_before = process_cpu_s(emulator_pid)
    try:
        with tempfile.TemporaryDirectory() as d:
            scan = run_scan(binary, endpoint, concurrency, Path(d) / "evidence.json")
    finally:
        set_latency(endpoint, 0)
    emulator_cpu = process_cpu_s(emulator_pid) - cpu_before
    requests = front_requests(endpoint)
    ev = scan.pop("evidence")
    by_op: dict[str, dict] = {}
    for c in ev["api_calls"]:
        op = by_op.setdefault(f"{c['service']}:{c['operation']}", {"count": 0, "attempts": 0, "errors": 0})
        op["count"] += c["count"]
        op["attempts"] += c["attempts"]
        op["errors"] += c["errors"]
    calls = sum(op["count"] for op in by_op.values())
    attempts = sum(op["attempts"] for op in by_op.values())
    minimum = minimum_calls(ev["inventory"])
    return {
        "name": f"{'sequential' if concurrency == 1 else 'concurrent'} --max-concurrency {concurrency}, "
        f"+{latency_ms:g} ms a call",
        "max_concurrency": concurrency,
        "added_latency_ms": latency_ms,
        "wall_s": round(scan["wall_s"], 2),
        # The scan's own clock from its start to the end of the reads (scan.duration_ms): the
        # time the emulator had work; after it the scanner judges and writes, alone.
        "reading_s": round(ev["scan"]["duration_ms"] / 1000, 2),
        "cpu_s": round(scan["cpu_s"], 2),
        "peak_rss_mb": round(scan["peak_rss_mb"], 1),
        "exit_code": scan["rc"],
        "api_calls": calls,
        "api_calls_minimum": sum(minimum.values()),
        "api_calls_over_minimum": {
            op: {"made": v["count"], "minimum": minimum.get(op, 0)}
            for op, v in sorted(by_op.items())
            if v["count"] > minimum.get(op, 0)
        },
        "api_calls_under_minimum": {
            op: {"made": by_op.get(op, {}).get("count", 0), "minimum": n}
            for op, n in sorted(minimum.items())
            if by_op.get(op, {}).get("count", 0) < n
        },
        "http_attempts": attempts,
        "retries": attempts - calls,
        # Calls answered with an error, by operation: most are S3's "no such configuration"
        # answers, which the collector reads as "not set".
        "error_answers": {op: v["errors"] for op, v in sorted(by_op.items()) if v["errors"]},
        # What the scan reports it could not read.
        "collect_errors": [
            f"{e.get('service')}:{e.get('operation')} {e.get('code') or e.get('kind')}" for e in ev["errors"]
        ],
        # The scanner's requests plus its STS AssumeRole (made by the session, not logged).
        "front_http_requests": requests,
        "calls_per_s": round(calls / scan["wall_s"], 1),
        "emulator_cpu_s": round(emulator_cpu, 2),
        "load_average_before": load_before,
        "by_operation": by_op,
        "inventory": inventory_counts(ev["inventory"]),
    }, minimum


def quota_config(binary: str, endpoint: str, concurrency: int, operation: str, rate: float, mode: str) -> dict:
    """One scan with a rate quota on `operation` (the front throttles what goes beyond `rate`
    calls/s, as AWS's API rate quotas do) and `--retry-mode mode`."""
    service, _, op = operation.partition(":")
    front(
        endpoint,
        "POST",
        "/front-api/faults",
        {"rules": [{"service": service, "operation": op, "kind": "throttle", "rate": rate}]},
    )
    try:
        with tempfile.TemporaryDirectory() as d:
            scan = run_scan(
                binary,
                endpoint,
                concurrency,
                Path(d) / "evidence.json",
                extra=["--retry-mode", mode],
                allowed=(0, 1, 3),
            )
        injected = sum(i["count"] for i in front(endpoint, "GET", "/front-api/faults")["injected"])
    finally:
        reset_request_counts(endpoint)
    ev = scan.pop("evidence")
    calls = sum(c["count"] for c in ev["api_calls"])
    attempts = sum(c["attempts"] for c in ev["api_calls"])
    quota_op = [c for c in ev["api_calls"] if c["operation"] == op]
    return {
        "name": f"--retry-mode {mode}, {operation} limited to {rate:g}/s, --max-concurrency {concurrency}",
        "wall_s": round(scan["wall_s"], 2),
        "exit_code": scan["rc"],
        "api_calls": calls,
        "retries": attempts - calls,
        "throttled_answers": injected,
        f"{op}_calls": sum(c["count"] for c in quota_op),
        f"{op}_failed_after_retries": sum(c["errors"] for c in quota_op),
        f"{op}_calls_per_s": round(sum(c["count"] for c in quota_op) / scan["wall_s"], 1),
        "collect_errors": len(ev["errors"]),
    }


def inventory_counts(inv: dict) -> dict:
    ok = lambda part: part.get("ok") or {}
    r = REGION
    ecs = ok(inv["ecs"][r])
    return {
        "dynamodb_tables": len(ok(inv["dynamodb"][r]).get("tables", [])),
        "log_groups": len(ok(inv["logs"][r]).get("groups", [])),
        "kms_keys": len(ok(inv["kms"][r]).get("keys", [])),
        "s3_buckets": len(ok(inv["s3"]).get("buckets", [])),
        "secrets": len(ok(inv["secretsmanager"][r]).get("secrets", [])),
        "ecs_clusters": len(ecs.get("clusters", [])),
        "ecs_services": len(ecs.get("services", [])),
        "ecs_task_definitions": len(ecs.get("task_definitions", [])),
        "tagged_resources": len(ok(inv["tags"][r]).get("resources", [])),
    }


def ensure_prowler(version: str) -> Path:
    """Prowler in its own venv (mocks/.venv-prowler), installed once per pinned version."""
    prowler = PROWLER_VENV / "bin" / "prowler"
    stamp = PROWLER_VENV / ".prowler-version"
    if prowler.exists() and stamp.exists() and stamp.read_text().strip() == version:
        return prowler
    print(f"bench: installing Prowler {version} into {PROWLER_VENV} (once)", file=sys.stderr, flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--clear", str(PROWLER_VENV)], check=True)
    # --prefer-binary: a few of its (pure Python) pins exist only as source archives.
    subprocess.run(
        [
            str(PROWLER_VENV / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--prefer-binary",
            f"prowler=={version}",
        ],
        check=True,
    )
    stamp.write_text(version + "\n")
    return prowler


def run_prowler(version: str, endpoint: str, timeout_s: float) -> dict:
    """Prowler against the emulator, through the same front and the same assumed role as the
    scanner; fails soft: any failure is returned as `error`, in one line."""
    result: dict = {"version": version, "checks": PROWLER_CHECKS}
    try:
        prowler = ensure_prowler(version)
    except (subprocess.CalledProcessError, OSError) as e:
        result["error"] = f"install failed: {e}"
        return result
    with tempfile.TemporaryDirectory() as d:
        env = {
            "PATH": f"{prowler.parent}:{os.environ.get('PATH', '')}",
            "HOME": d,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint,
        }
        args = [
            str(prowler),
            "aws",
            "--role",
            ROLE_ARN,
            "--region",
            REGION,
            "--checks",
            *PROWLER_CHECKS,
            "--output-formats",
            "json-ocsf",
            "--output-directory",
            d,
            "--output-filename",
            "prowler",
            "--no-banner",
            "--ignore-exit-code-3",
            "--log-level",
            "ERROR",
        ]
        reset_request_counts(endpoint)
        try:
            run = measured(args, env, timeout_s)
        except subprocess.CalledProcessError as e:
            timed_out = "TimeoutExpired" in (e.stderr or "")
            result["error"] = (
                f"timed out after {timeout_s:.0f} s"
                if timed_out
                else f"could not run: {e.stderr.strip().splitlines()[-1:]}"
            )
            return result
        # Prowler logs what it could not read (--log-level ERROR) and goes on: count those
        # lines, and name each distinct (module, error) once.
        errors = [line for line in run["stderr"].splitlines() if "ERROR:" in line]
        kinds = {}
        for line in errors:
            module = line.split("[Module: ")[-1].split("]")[0] if "[Module: " in line else "?"
            # "ResponseParserError[558]: ...": the number is Prowler's source line; drop it.
            what = re.sub(r"\[\d+\]", "", line.split("ERROR:", 1)[1].split("--")[-1].strip())[:110]
            kinds.setdefault(f"{module}: {what}", 0)
            kinds[f"{module}: {what}"] += 1
        result.update(
            {
                "logged_errors": len(errors),
                "logged_errors_by_kind": kinds,
                "wall_s": round(run["wall_s"], 2),
                "cpu_s": round(run["cpu_s"], 2),
                "peak_rss_mb": round(run["peak_rss_mb"], 1),
                "exit_code": run["rc"],
                "front_http_requests": front_requests(endpoint),
            }
        )
        findings = []
        out = Path(d) / "prowler.ocsf.json"
        if out.exists():
            try:
                findings = json.loads(out.read_text() or "[]")
            except ValueError:
                findings = []
        statuses: dict[str, dict[str, int]] = {}
        for f in findings:
            check = f.get("metadata", {}).get("event_code") or f.get("finding_info", {}).get("uid", "?")
            per = statuses.setdefault(check, {})
            per[f.get("status_code", "?")] = per.get(f.get("status_code", "?"), 0) + 1
        result["findings"] = len(findings)
        result["findings_by_check"] = statuses
        if run["rc"] != 0 or not findings:
            tail = " | ".join(line.strip() for line in run["stderr"].strip().splitlines()[-5:] if line.strip())
            result["error"] = f"exit {run['rc']}, {len(findings)} findings: {tail[-400:]}"
    return result


def fmt_config(c: dict) -> str:
    over = c["api_calls"] - c["api_calls_minimum"]
    return (
        f"  {c['name']:<44} wall {c['wall_s']:7.2f} s (reading {c['reading_s']:.2f} s)  cpu {c['cpu_s']:6.2f} s  rss {c['peak_rss_mb']:6.1f} MB  "
        f"calls {c['api_calls']} (min {c['api_calls_minimum']}, {over:+d})  retries {c['retries']}  "
        f"{c['calls_per_s']:6.1f} calls/s  front saw {c['front_http_requests']} req  "
        f"emulator cpu {c['emulator_cpu_s']:.1f} s  load {c['load_average_before']:.2f}"
    )


def startup_s(binary: str, runs: int = 21) -> float:
    """Median wall time of `prodready --version`: process start, the runtime and argument
    parsing, nothing else."""
    times = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run([binary, "--version"], capture_output=True, check=True)
        times.append(time.monotonic() - t)
    return sorted(times)[len(times) // 2]


def build_comparison(builds: dict[str, str], endpoint: str, emulator_pid: int, concurrency: int, rounds: int) -> dict:
    """Two builds of the scanner on the same account, their scans alternated `rounds` times so
    that both see the same emulator: file size, start-up, and CPU seconds per API call (the
    scanner's own CPU over the whole scan, start to output, divided by its calls)."""
    runs: dict[str, list[dict]] = {label: [] for label in builds}
    for _ in range(rounds):
        for label, binary in builds.items():
            result, _ = scan_config(binary, endpoint, emulator_pid, concurrency, 0.0)
            runs[label].append(result)
    compared = {}
    for label, binary in builds.items():
        scans = sorted(runs[label], key=lambda x: x["cpu_s"])
        median = scans[len(scans) // 2]
        compared[label] = {
            "binary_bytes": Path(binary).stat().st_size,
            "startup_s": round(startup_s(binary), 4),
            "scan_wall_s": median["wall_s"],
            "scan_cpu_s": median["cpu_s"],
            "api_calls": median["api_calls"],
            "cpu_ms_per_call": round(1000 * median["cpu_s"] / median["api_calls"], 3),
            "peak_rss_mb": median["peak_rss_mb"],
            "rounds": rounds,
        }
    return compared


def text_report(r: dict) -> str:
    a = r["account"]
    lines = [
        (
            f"prodready scan benchmark: {r['binary']} (built {r['binary_modified']}, "
            f"sha256 {r['binary_sha256_prefix']}), run {r['started_at']}, {r['cpus']} CPUs, took {r['total_s']:.0f} s"
        ),
        "account: "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in a["generated"].items())
        + " + the staging scenario",
        (
            f"  seeded in {a['seeded_in_s']:.1f} s: staging {a['seed']['scenarios_s']:.1f} s, "
            f"generated {a['seed']['large']['resources_s']:.1f} s "
            f"+ ECS services {a['seed']['large']['ecs_services_s']:.1f} s "
            f"({a['seed_http_requests']} requests, {a['seed_http_requests'] / a['seeded_in_s']:.0f} req/s, "
            f"{r['seed_workers']} threads)"
        ),
        "  scanned: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in r["configs"][0]["inventory"].items()),
        "emulator capacity (DescribeTable only, same concurrency): "
        + ", ".join(f"{v} calls/s at {k}" for k, v in r["emulator_capacity_calls_per_s"].items()),
        "configurations:",
    ]
    lines += [fmt_config(c) for c in r["configs"]]
    lines.append("ratios:")
    for k, v in r["ratios"].items():
        lines.append(f"  {k}: {v}")
    for k, v in r["share_of_capacity"].items():
        lines.append(f"  share of emulator capacity, {k}: {v}")
    for k, v in r["latency_floor"].items():
        lines.append(f"  {k}: {v}")
    first = r["configs"][0]
    if first["api_calls_over_minimum"] or first["api_calls_under_minimum"]:
        lines.append("calls against the minimum, by operation (first configuration):")
        for op, v in first["api_calls_over_minimum"].items():
            lines.append(f"  {op}: {v['made']} made, minimum {v['minimum']} (+{v['made'] - v['minimum']})")
        for op, v in first["api_calls_under_minimum"].items():
            lines.append(f"  {op}: {v['made']} made, minimum {v['minimum']} ({v['made'] - v['minimum']})")
    else:
        lines.append("calls against the minimum: every operation at its minimum")
    if first["error_answers"]:
        lines.append(
            "error answers (first configuration; S3's are its 'no such configuration', read as not set): "
            + ", ".join(f"{op} {n}" for op, n in first["error_answers"].items())
        )
    lines.append("what the scan could not read: " + ("; ".join(first["collect_errors"]) or "nothing"))
    busiest = sorted(first["by_operation"].items(), key=lambda kv: -kv[1]["count"])[:6]
    lines.append("most calls: " + ", ".join(f"{op} {v['count']}" for op, v in busiest))
    lines.append(
        f"no credentials: exits in {r['no_credentials_exit_s']} s; no region, no credentials: "
        f"{r['no_region_no_credentials_exit_s']} s"
    )
    rep = r["reports"]
    kb = ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in rep["bytes"].items())
    load = f"; Chromium loads report.html in {rep['chromium_load_s']} s" if "chromium_load_s" in rep else ""
    lines.append(
        f"reports: {kb}; the table {rep['table_lines']} lines, the Markdown {rep['markdown_lines']} lines{load}"
    )
    for label, b in r.get("builds", {}).items():
        lines.append(
            f"build {label}: {b['binary_bytes'] / 1e6:.1f} MB, start-up {1000 * b['startup_s']:.1f} ms, "
            f"scan cpu {b['scan_cpu_s']:.2f} s for {b['api_calls']} calls = {b['cpu_ms_per_call']:.3f} ms a call, "
            f"wall {b['scan_wall_s']:.2f} s, rss {b['peak_rss_mb']:.1f} MB (median of {b['rounds']})"
        )
    for q in r.get("quota", []):
        lines.append(f"under a quota: {q['name']}: " + ", ".join(f"{k} {v}" for k, v in q.items() if k != "name"))
    p = r.get("prowler")
    if p:
        lines += prowler_lines(p, f"({len(p['checks'])} checks, no added latency)")
        if "wall_s" in p:
            lines.append(
                "  findings by check: "
                + ", ".join(
                    f"{check} " + "/".join(f"{n} {status}" for status, n in sorted(v.items()))
                    for check, v in sorted(p["findings_by_check"].items())
                )
            )
            if p["logged_errors"]:
                lines.append(
                    f"  prowler logged {p['logged_errors']} errors (reads it could not make here; "
                    f"emulator tracebacks in {p['emulator_log']}):"
                )
                for kind, n in sorted(p["logged_errors_by_kind"].items(), key=lambda kv: -kv[1]):
                    lines.append(f"    {n} x {kind}")
    if r.get("prowler_with_latency"):
        lines += prowler_lines(r["prowler_with_latency"], "behind the added latency")
    return "\n".join(lines)


def prowler_lines(p: dict, label: str) -> list[str]:
    """A Prowler run's figures and its ratios to prodready, or why it failed."""
    lines = []
    if "wall_s" in p:
        lines.append(
            f"prowler {p['version']} {label}: wall {p['wall_s']:.2f} s  "
            f"cpu {p['cpu_s']:.2f} s  rss {p['peak_rss_mb']:.1f} MB  front saw {p['front_http_requests']} req  "
            f"{p['findings']} findings  exit {p['exit_code']}"
        )
        lines += [f"  {k}: {v}" for k, v in p.get("vs_prodready", {}).items()]
    if "error" in p:
        lines.append(f"prowler {label}: FAILED: {p['error']}")
    return lines


def ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument(
        "--large", action="store_true", help="large defaults: " + ", ".join(f"{k}={v}" for k, v in LARGE.items())
    )
    for kind, quick in QUICK.items():
        parser.add_argument(
            f"--{kind.replace('_', '-')}",
            type=int,
            dest=kind,
            help=f"default {quick}, {LARGE[kind]} with --large",
        )
    parser.add_argument(
        "--concurrency",
        type=ints,
        default=[16],
        help="--max-concurrency values to scan with, comma-separated (default 16); "
        "sequential (1) is always scanned too",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=50.0,
        help="added to every call in the latency configurations (default 50; 0: none)",
    )
    parser.add_argument("--capacity-seconds", type=float, default=8.0)
    parser.add_argument("--seed-workers", type=int, default=16, help="threads seeding the account")
    parser.add_argument("--prowler", action="store_true", help="run Prowler against the same account too")
    parser.add_argument("--prowler-version", default=PROWLER_VERSION)
    parser.add_argument("--prowler-timeout", type=float, default=3600.0)
    parser.add_argument(
        "--quota",
        metavar="SERVICE:OPERATION=RATE",
        help="also scan under a rate quota on one operation (e.g. dynamodb:DescribeTable=20: "
        "the front throttles calls beyond 20/s), once per --retry-mode",
    )
    parser.add_argument(
        "--compare-binary",
        metavar="PATH",
        help="another build of the scanner (e.g. target/debug/prodready beside a release --binary): "
        "both scan the same account alternately, and the report gives each one's size, start-up "
        "time and CPU per API call",
    )
    parser.add_argument("--compare-rounds", type=int, default=3, help="scans per build with --compare-binary")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to FILE as JSON")
    args = parser.parse_args()
    defaults = LARGE if args.large else QUICK
    counts = {k: getattr(args, k) if getattr(args, k) is not None else v for k, v in defaults.items()}
    concurrencies = list(dict.fromkeys([c for c in args.concurrency if c > 1] + [1]))
    latencies = [0.0] + ([args.latency_ms] if args.latency_ms > 0 else [])
    started_at = time.strftime("%Y-%m-%d %H:%M:%S")
    run_started = time.monotonic()

    # A private copy of the scanner: a build that replaces --binary during the run (cargo in
    # another terminal) must not change the binary between two configurations.
    private = Path(tempfile.mkdtemp(prefix="prodready-bench-"))
    binary = str(private / "prodready")
    shutil.copy2(args.binary, binary)
    digest = hashlib.sha256(Path(binary).read_bytes()).hexdigest()[:16]
    emulator_log = private / "emulator.log"
    proc, endpoint = start_emulator(emulator_log)
    try:
        reset_request_counts(endpoint)
        t = time.monotonic()
        spec = ",".join(f"{k}={v}" for k, v in counts.items())
        seeded = subprocess.run(
            [
                sys.executable,
                str(EMULATOR / "seed.py"),
                "--endpoint",
                endpoint,
                "--account",
                ACCOUNT,
                "--workers",
                str(args.seed_workers),
                "--large",
                spec,
                "staging",
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        seeded_in = time.monotonic() - t
        seed_requests = front_requests(endpoint)
        print(f"bench: seeded in {seeded_in:.1f} s ({seed_requests} requests)", file=sys.stderr, flush=True)
        cap, saturated = {}, {}
        for c in concurrencies:
            rate, busy = capacity(endpoint, args.capacity_seconds, c, counts["tables"], proc.pid)
            cap[f"concurrency {c}"] = round(rate, 1)
            saturated[f"concurrency {c}"] = round(busy, 3)
        print(f"bench: capacity {cap}, emulator CPU s/s when saturated {saturated}", file=sys.stderr, flush=True)

        # A first scan, not reported, of another (empty) account: the emulator imports each
        # service's code (and the front botocore's models) on its first call, which would
        # count against whichever configuration ran first.
        t = time.monotonic()
        cpu_before = process_cpu_s(proc.pid)
        with tempfile.TemporaryDirectory() as d:
            run_scan(
                binary,
                endpoint,
                concurrencies[0],
                Path(d) / "evidence.json",
                role_arn="arn:aws:iam::000000000001:role/prodready-audit",
            )
        warmup = {
            "wall_s": round(time.monotonic() - t, 2),
            "emulator_cpu_s": round(process_cpu_s(proc.pid) - cpu_before, 2),
        }
        print(f"bench: warm-up scan {warmup}", file=sys.stderr, flush=True)
        configs = []
        minimum = None
        for latency in latencies:
            for c in concurrencies:
                result, minimum_here = scan_config(binary, endpoint, proc.pid, c, latency)
                minimum = minimum or minimum_here
                configs.append(result)
                print("bench:" + fmt_config(result), file=sys.stderr, flush=True)

        def config(c: int, latency: float) -> dict:
            return next(x for x in configs if x["max_concurrency"] == c and x["added_latency_ms"] == latency)

        def wall(c: int, latency: float) -> float:
            return config(c, latency)["wall_s"]

        ratios = {}
        for latency in latencies:
            for c in concurrencies[:-1]:
                ratios[f"sequential / concurrency {c} wall time, +{latency:g} ms"] = round(
                    wall(1, latency) / wall(c, latency), 2
                )
        share = {}
        for x in configs:
            if x["added_latency_ms"] == 0:
                at = f"concurrency {x['max_concurrency']}"
                capacity_at = cap[at]
                share[x["name"]] = f"{100 * x['calls_per_s'] / capacity_at:.0f} % of {capacity_at} calls/s"
                # The scan's calls are not all DescribeTables (pages of 50 log groups, tags,
                # task definitions cost the emulator more each): how busy the scan kept the
                # emulator, against how busy DescribeTables at full tilt kept it, compares like
                # with like.
                busy = x["emulator_cpu_s"] / x["wall_s"]
                share[x["name"] + ", emulator busy"] = (
                    f"{100 * busy / saturated[at]:.0f} % ({busy:.3f} CPU s/s over the scan's wall time, "
                    f"{saturated[at]:.3f} when saturated)"
                )
                busy = x["emulator_cpu_s"] / x["reading_s"]
                share[x["name"] + ", emulator busy while the scan reads"] = (
                    f"{100 * busy / saturated[at]:.0f} % ({busy:.3f} CPU s/s over {x['reading_s']} s of "
                    f"reading; the rest of {x['wall_s']} s is start-up, rules and output)"
                )
        chain = dependent_chain(minimum)
        floor = {}
        if args.latency_ms > 0:
            for c in concurrencies:
                lower = max(sum(minimum.values()) / c, chain) * args.latency_ms / 1000
                floor[
                    f"floor at +{args.latency_ms:g} ms, concurrency {c} (max(calls/concurrency, chain of {chain} dependent calls) x latency)"
                ] = f"{lower:.1f} s; measured {wall(c, args.latency_ms):.1f} s"

        report = {
            "binary": args.binary,
            "binary_sha256_prefix": digest,
            "binary_modified": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(Path(args.binary).stat().st_mtime)),
            "started_at": started_at,
            "cpus": os.cpu_count(),
            "account": {
                "generated": counts,
                "plus": "the staging scenario",
                "seeded_in_s": round(seeded_in, 1),
                "seed": json.loads(seeded.stdout.strip().splitlines()[-1]),
                "seed_http_requests": seed_requests,
            },
            "seed_workers": args.seed_workers,
            "warmup_scan_of_an_empty_account": warmup,
            "emulator_capacity_calls_per_s": cap,
            "emulator_cpu_s_per_s_when_saturated": saturated,
            "configs": configs,
            "ratios": ratios,
            "share_of_capacity": share,
            "dependent_chain_calls": chain,
            "latency_floor": floor,
            "api_calls_minimum_by_operation": minimum,
            "no_credentials_exit_s": round(startup_failure_s(binary, ["scan", "--region", REGION]), 2),
            "no_region_no_credentials_exit_s": round(startup_failure_s(binary, ["scan"]), 2),
            "reports": report_sizes(binary, endpoint, concurrencies[0]),
        }
        if args.compare_binary:
            other = str(private / "prodready-compared")
            shutil.copy2(args.compare_binary, other)
            builds = {args.binary: binary, args.compare_binary: other}
            if len(builds) < 2:
                builds = {"binary": binary, "compared": other}
            report["builds"] = build_comparison(builds, endpoint, proc.pid, concurrencies[0], args.compare_rounds)
            print("bench: builds " + json.dumps(report["builds"]), file=sys.stderr, flush=True)
        if args.quota:
            operation, _, rate = args.quota.partition("=")
            report["quota"] = [
                quota_config(binary, endpoint, concurrencies[0], operation, float(rate), mode)
                for mode in ("standard", "adaptive")
            ]
            for q in report["quota"]:
                print("bench: " + json.dumps(q), file=sys.stderr, flush=True)
        if args.prowler:
            p = run_prowler(args.prowler_version, endpoint, args.prowler_timeout)
            ours = configs[0]
            p["emulator_log"] = str(emulator_log)
            if "wall_s" in p:
                p["vs_prodready"] = {
                    f"prowler / prodready ({ours['name']}) wall time": round(p["wall_s"] / ours["wall_s"], 2),
                    "prowler / prodready peak RSS": round(p["peak_rss_mb"] / ours["peak_rss_mb"], 2),
                    "prowler / prodready CPU time": round(p["cpu_s"] / ours["cpu_s"], 2),
                }
            report["prowler"] = p
            if args.latency_ms > 0 and "wall_s" in p:
                # Prowler again behind the same added latency: where, as on AWS, how many calls
                # are in flight decides rather than the emulator's CPU.
                set_latency(endpoint, args.latency_ms)
                try:
                    pl = run_prowler(args.prowler_version, endpoint, args.prowler_timeout)
                finally:
                    set_latency(endpoint, 0)
                ours = config(concurrencies[0], args.latency_ms)
                if "wall_s" in pl:
                    pl["vs_prodready"] = {
                        f"prowler / prodready ({ours['name']}) wall time": round(pl["wall_s"] / ours["wall_s"], 2),
                    }
                report["prowler_with_latency"] = pl
        report["total_s"] = round(time.monotonic() - run_started, 1)
        print(text_report(report), flush=True)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        proc.stdin.close()
        proc.wait()
        Path(binary).unlink()
        (private / "prodready-compared").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
