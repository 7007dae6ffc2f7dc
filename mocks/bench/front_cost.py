"""What the emulator front costs moto: DescribeTable calls/s through the front against moto
served bare (`emulator.py --no-front`), with as many callers as the scan has and with one.
The benchmark's "share of capacity" is measured through the front, so this is how far that
capacity is below moto's own. Not part of the test suite.

Usage: mocks/.venv/bin/python mocks/bench/front_cost.py [--seconds S] [--tables N]
"""

import argparse
import subprocess
import sys

import boto3

import bench


def measure(extra: list[str], seconds: float, tables: int) -> dict[int, tuple[float, float]]:
    proc = subprocess.Popen(
        [sys.executable, str(bench.EMULATOR / "emulator.py"), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, endpoint = proc.stdout.readline().split()
        assert ready == "READY", ready
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name=bench.REGION,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        # The account bench.capacity calls in.
        ddb.meta.events.register(
            "before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", bench.ACCOUNT)
        )
        for i in range(tables):
            ddb.create_table(
                TableName=f"bench-table-{i:05}",
                BillingMode="PAY_PER_REQUEST",
                KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            )
        return {t: bench.capacity(endpoint, seconds, t, tables, proc.pid) for t in (16, 1)}
    finally:
        proc.stdin.close()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=6.0, help="how long each measurement calls")
    parser.add_argument("--tables", type=int, default=20)
    args = parser.parse_args()
    front = measure([], args.seconds, args.tables)
    bare = measure(["--no-front"], args.seconds, args.tables)
    for threads in (16, 1):
        (f, f_cpu), (b, b_cpu) = front[threads], bare[threads]
        print(
            f"{threads:>2} callers: through the front {f:6.1f} calls/s ({f_cpu:.3f} CPU s/s), "
            f"moto bare {b:6.1f} calls/s ({b_cpu:.3f} CPU s/s): the front keeps {100 * f / b:.0f} %"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
