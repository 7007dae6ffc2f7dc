"""The scan benchmark: seeds a large account into a fresh emulator, measures the emulator's
own capacity, scans, and reports in one run:

- scan wall time, the scanner's CPU time and peak RSS;
- how fast a scan with no credentials (or no region) gives up;
- API calls made versus the minimum the inventory implies (list pages + per-resource calls);
- calls/s achieved versus the emulator's measured capacity (calls/s under the same
  concurrency, from a load generator that does nothing else).

    bench.py --binary target/debug/prodready [--tables 500 --log-groups 500 --keys 50]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCOUNT = "123412341234"
REGION = "eu-west-1"


def start_emulator() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "emulator.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready, endpoint = proc.stdout.readline().split()
    assert ready == "READY", ready
    return proc, endpoint


def capacity(endpoint: str, seconds: float, threads: int, tables: int) -> float:
    """Calls/s the emulator answers when nothing but DescribeTable keeps it busy (the call
    the scan makes most), with as many callers in flight as the scan has."""
    host = endpoint.removeprefix("http://")
    stop = time.monotonic() + seconds
    counts = [0] * threads

    def worker(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(host, timeout=30)
            body = json.dumps({"TableName": f"bench-table-{i % max(tables, 1):05}"})
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
            conn.close()
            assert resp.status == 200, resp.status
            counts[n] += 1
            i += threads

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def minimum_calls(inv: dict) -> int:
    """The fewest calls that can read this inventory: each list paged at the largest page the
    API allows, plus the per-resource calls no list answers."""
    pages = lambda n, size: max(1, math.ceil(n / size))  # noqa: E731
    total = 1  # sts:GetCallerIdentity (AssumeRole is the session's, not counted by the scan)
    for region in inv["regions"]:
        ecs = inv["ecs"][region]["ok"]
        clusters = ecs["clusters"]
        total += pages(len(clusters), 100) + (math.ceil(len(clusters) / 100))
        for c in clusters:
            n = sum(1 for s in ecs["services"] if s["cluster_arn"] == c["arn"])
            total += pages(n, 100) + math.ceil(n / 10)
        total += len(ecs["task_definitions"])
        elb = inv["elbv2"][region]["ok"]
        total += pages(len(elb["load_balancers"]), 400) + pages(len(elb["target_groups"]), 400)
        total += 3  # ec2: DescribeSubnets, DescribeSecurityGroups, DescribeFlowLogs (one page each here)
        tables = inv["dynamodb"][region]["ok"]["tables"]
        total += pages(len(tables), 100) + 2 * len(tables)
        total += pages(len(inv["logs"][region]["ok"]["groups"]), 50)
        keys = inv["kms"][region]["ok"]["keys"]
        rotatable = [
            k for k in keys
            if k["manager"] == "CUSTOMER" and k["state"] == "Enabled" and k["spec"] == "SYMMETRIC_DEFAULT"
        ]
        total += pages(len(keys), 1000) + len(keys) + len(rotatable)
        total += 1 + len(inv["guardduty"][region]["ok"]["detectors"])
        total += pages(len(inv["cloudwatch"][region]["ok"]["alarms"]), 100) + 1  # DescribeAlarms, ListDashboards
        total += 2  # sns: ListTopics, ListSubscriptions (one page each here)
        total += pages(len(inv["lambda"][region]["ok"]["functions"]), 50)
        total += pages(len(inv["secretsmanager"][region]["ok"]["secrets"]), 100)
        backup = inv["backup"][region]["ok"]
        # ListBackupVaults, ListBackupPlans; ListRestoreJobs where a vault exists; per plan
        # GetBackupPlan and ListBackupSelections, per readable selection GetBackupSelection.
        total += pages(len(backup["vaults"]), 1000) + pages(len(backup["plans"]), 1000)
        total += 1 if backup["vaults"] else 0
        for plan in backup["plans"]:
            total += 2 + len(plan["selections"].get("ok", []))
        scaling = inv["autoscaling"][region]["ok"]
        total += pages(len(scaling["targets"]), 50) + pages(len(scaling["policies"]), 50)
        total += 1  # codepipeline: ListPipelines (one page here)
        total += pages(len(inv["ecr"][region]["ok"]["repositories"]), 1000) + 1
        total += pages(len(inv["acm"][region]["ok"]["certificates"]), 1000)
        total += pages(len(inv["tags"][region]["ok"]["resources"]), 100)
        # Usage metrics: one GetMetricData call per 500 queries (a bucket one, a table two).
        in_region = sum(1 for b in inv["s3"]["ok"]["buckets"] if b["region"] == region)
        queries = in_region + 2 * len(tables)
        total += math.ceil(queries / 500)
    total += len(inv["regions"]) + len(inv["cloudtrail"]["ok"]["trails"])
    buckets = inv["s3"]["ok"]["buckets"]
    # ListBuckets; per bucket GetBucketLocation (moto gives no BucketRegion) and five settings;
    # one listing page per bucket searched for Terraform state.
    total += 1 + 6 * len(buckets) + sum(1 for b in buckets if b["state_files"] is not None)
    # Global: CloudFront (+ one GetWebACL per web ACL named), Route 53 (a page of records per
    # zone here), IAM; ACM and tags in us-east-1 when it is not a scanned region.
    cloudfront = inv["cloudfront"]["ok"]
    total += pages(len(cloudfront["distributions"]), 1000) + len(cloudfront["web_acls"])
    zones = inv["route53"]["ok"]["zones"]
    total += pages(len(zones), 100) + len(zones)
    total += 1
    if "us-east-1" not in inv["regions"]:
        total += pages(len(inv["acm"]["us-east-1"]["ok"]["certificates"]), 1000)
        total += pages(len(inv["tags"]["us-east-1"]["ok"]["resources"]), 100)
    return total


# Runs the scanner as the only child of a fresh interpreter, so that RUSAGE_CHILDREN is the
# scanner's own: CPU time and peak RSS as the kernel accounted them.
MEASURE = """
import json, resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall_s": wall, "cpu_s": r.ru_utime + r.ru_stime, "peak_rss_mb": r.ru_maxrss / 1024}))
"""


def run_scan(binary: str, endpoint: str, concurrency: int, out: Path) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": tempfile.gettempdir(),
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    args = [
        binary, "scan", "--region", REGION, "--endpoint-url", endpoint,
        "--role-arn", f"arn:aws:iam::{ACCOUNT}:role/prodready-audit",
        "--max-concurrency", str(concurrency), "--format", "json", "--output", str(out),
    ]
    measured = subprocess.run([sys.executable, "-c", MEASURE, *args], env=env, capture_output=True, text=True, check=True)
    result = json.loads(measured.stdout)
    if result["rc"] not in (0, 1):
        sys.exit(f"scan failed ({result['rc']})")
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
            rc = subprocess.run([binary, *args], env={"PATH": os.environ.get("PATH", ""), "HOME": home},
                                capture_output=True).returncode
            times.append(time.monotonic() - t)
            assert rc == 2, rc
    return sorted(times)[len(times) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--log-groups", type=int, default=500)
    parser.add_argument("--keys", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--capacity-seconds", type=float, default=8.0)
    args = parser.parse_args()

    proc, endpoint = start_emulator()
    try:
        t = time.monotonic()
        subprocess.run(
            [sys.executable, str(HERE / "seed.py"), "--endpoint", endpoint, "--account", ACCOUNT,
             "--large", f"tables={args.tables},log_groups={args.log_groups},keys={args.keys}", "staging"],
            check=True, stdout=subprocess.DEVNULL,
        )
        seeded = time.monotonic() - t
        cap = capacity(endpoint, args.capacity_seconds, args.concurrency, args.tables)
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "evidence.json"
            scan = run_scan(args.binary, endpoint, args.concurrency, out)
        ev = scan["evidence"]
        calls = ev["summary"]["api_calls"]
        minimum = minimum_calls(ev["inventory"])
        rate = calls / scan["wall_s"]
        report = {
            "account": {"tables": args.tables, "log_groups": args.log_groups, "kms_keys": args.keys,
                        "plus": "the staging scenario", "seeded_in_s": round(seeded, 1)},
            "scan_wall_s": round(scan["wall_s"], 2),
            "scan_cpu_s": round(scan["cpu_s"], 2),
            "peak_rss_mb": round(scan["peak_rss_mb"], 1),
            "api_calls": calls,
            "api_calls_minimum": minimum,
            "calls_per_s": round(rate, 1),
            "emulator_capacity_calls_per_s": round(cap, 1),
            "share_of_capacity": f"{100 * rate / cap:.0f} %",
            "max_concurrency": args.concurrency,
            "no_credentials_exit_s": round(startup_failure_s(args.binary, ["scan", "--region", REGION]), 2),
            "no_region_no_credentials_exit_s": round(startup_failure_s(args.binary, ["scan"]), 2),
        }
        print(json.dumps(report, indent=2))
    finally:
        proc.stdin.close()
        proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
