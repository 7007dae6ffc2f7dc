"""Custom checks' cost: the time `prodready policy test` takes to judge an inventory of N
resources with P policies (the five examples of docs/examples/policies, copied under other
ids), against the same run with no policy. The difference is what the policies add to a scan:
building their input from the inventory and evaluating them.

    mocks/.venv/bin/python mocks/bench/policies.py --binary target/debug/prodready \\
        --evidence staging.json [--resources 10000] [--policies 20]

The evidence (any scan's, e.g. `SCENARIO=staging scripts/demo --format json -o staging.json`)
gives the shape; its DynamoDB tables and log groups are multiplied to N resources.
"""

import argparse
import copy
import json
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def grow(evidence: dict, resources: int) -> dict:
    grown = copy.deepcopy(evidence)
    inv = grown["inventory"]
    region = inv["regions"][0]
    tables = inv["dynamodb"][region]["ok"]["tables"]
    groups = inv["logs"][region]["ok"]["groups"]
    half = resources // 2
    inv["dynamodb"][region]["ok"]["tables"] = [
        dict(tables[0], name=f"t{i:05}", arn=f"{tables[0]['arn']}-{i:05}") for i in range(half)
    ]
    inv["logs"][region]["ok"]["groups"] = [
        dict(groups[0], name=f"/g/{i:05}", arn=f"{groups[0]['arn']}-{i:05}") for i in range(resources - half)
    ]
    return grown


def policies(into: pathlib.Path, count: int) -> None:
    examples = sorted((ROOT / "docs/examples/policies").glob("*.rego"))
    for n in range(count):
        source = examples[n % len(examples)].read_text()
        source = re.sub(r'"id": "ORG-\d+"', f'"id": "BENCH-{n:02}"', source)
        source = re.sub(r"package prodready\.custom\.(\w+)", rf"package prodready.custom.\1_{n}", source)
        (into / f"p{n:02}.rego").write_text(source)


def timed(binary: str, policy_dir: pathlib.Path, evidence: pathlib.Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [binary, "policy", "test", str(policy_dir), "--evidence", str(evidence)],
            capture_output=True,
            check=False,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--evidence", required=True)
    parser.add_argument("--resources", type=int, default=10000)
    parser.add_argument("--policies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        evidence = work / "evidence.json"
        evidence.write_text(json.dumps(grow(json.loads(pathlib.Path(args.evidence).read_text()), args.resources)))
        none, some = work / "none", work / "some"
        none.mkdir()
        some.mkdir()
        policies(some, args.policies)
        base = timed(args.binary, none, evidence, args.runs)
        full = timed(args.binary, some, evidence, args.runs)
    print(
        f"{args.resources} resources: no policy {base:.2f} s, {args.policies} policies {full:.2f} s "
        f"(median of {args.runs}): the policies add {full - base:.2f} s"
    )


if __name__ == "__main__":
    main()
