"""The plan benchmark: writes a large `terraform show -json` plan and times `prodready plan` on
it, alone and over a baseline scan, reporting wall time, CPU time and peak RSS of each, and the
plan's size. Not part of the test suite.

The plan is what a team with many services plans at once: one module called with `for_each`
(`--services` instances), each instance a cluster, a service behind a new load balancer
(listener, target group, two subnets, a security group and an ingress rule), CPU and memory
alarms on a topic with a subscription, a scalable target and a step policy with its alarm, a
table with its backup selection, a log group, a secret with its rotation, and a task
definition; every value a new resource gets only after apply is left out of the planned values
and found through the configuration's references, as Terraform writes them. So each reader and
each reference walk runs once per instance.

    scripts/bench-plan                    # 500 services (about 10,000 resources)
    scripts/bench-plan --services 2000
    mocks/.venv/bin/python mocks/bench/plan_bench.py --binary target/debug/prodready \\
        --baseline evidence.json --services 500
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

REGION = "eu-west-1"


def refs(*to: str) -> dict:
    return {"references": list(to)}


def res(kind: str, name: str, values: dict) -> dict:
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name, "values": values}


def module_resources(key: str) -> list:
    """The planned resources of one module instance (its own addresses, before the prefix)."""
    alarm = {"namespace": "AWS/ECS", "dimensions": {"ClusterName": None, "ServiceName": None}, "alarm_actions": [None]}
    return [
        res(
            "aws_ecs_cluster",
            "this",
            {"name": f"c-{key}", "setting": [{"name": "containerInsights", "value": "enabled"}]},
        ),
        res("aws_ecs_service", "this", {"name": f"s-{key}", "desired_count": 3, "load_balancer": [{}]}),
        res(
            "aws_ecs_task_definition",
            "this",
            {
                "family": f"t-{key}",
                "container_definitions": json.dumps(
                    [
                        {
                            "name": "app",
                            "image": "app:1",
                            "environment": [{"name": "MODE", "value": "x"}],
                            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/{key}"}},
                        }
                    ]
                ),
            },
        ),
        res(
            "aws_lb",
            "this",
            {
                "name": f"lb-{key}",
                "load_balancer_type": "application",
                "internal": False,
                "subnets": [None, None],
                "security_groups": [None],
            },
        ),
        res(
            "aws_lb_target_group",
            "this",
            {
                "name": f"tg-{key}",
                "port": 80,
                "protocol": "HTTP",
                "health_check": [{"enabled": True, "path": "/health"}],
            },
        ),
        res("aws_lb_listener", "this", {"port": 443, "default_action": [{"type": "forward"}]}),
        res("aws_subnet", "a", {"availability_zone": f"{REGION}a"}),
        res("aws_subnet", "b", {"availability_zone": f"{REGION}b"}),
        res("aws_vpc", "this", {"cidr_block": "10.0.0.0/16"}),
        res("aws_security_group", "lb", {"name": f"lb-{key}"}),
        res(
            "aws_vpc_security_group_ingress_rule",
            "https",
            {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"},
        ),
        res("aws_sns_topic", "alerts", {"name": f"alerts-{key}"}),
        res("aws_sns_topic_subscription", "pager", {"protocol": "sqs"}),
        res(
            "aws_cloudwatch_metric_alarm", "cpu", {**alarm, "alarm_name": f"cpu-{key}", "metric_name": "CPUUtilization"}
        ),
        res(
            "aws_cloudwatch_metric_alarm",
            "memory",
            {**alarm, "alarm_name": f"memory-{key}", "metric_name": "MemoryUtilization"},
        ),
        res(
            "aws_appautoscaling_target",
            "this",
            {
                "service_namespace": "ecs",
                "scalable_dimension": "ecs:service:DesiredCount",
                "min_capacity": 3,
                "max_capacity": 12,
            },
        ),
        res(
            "aws_appautoscaling_policy",
            "up",
            {"name": f"up-{key}", "service_namespace": "ecs", "scalable_dimension": "ecs:service:DesiredCount"},
        ),
        res("aws_dynamodb_table", "this", {"name": f"table-{key}", "point_in_time_recovery": [{"enabled": True}]}),
        res("aws_backup_selection", "this", {"name": f"sel-{key}", "resources": [None]}),
        res("aws_cloudwatch_log_group", "this", {"name": f"/ecs/{key}", "retention_in_days": 30}),
        res("aws_secretsmanager_secret", "this", {"name": f"secret-{key}"}),
        res("aws_secretsmanager_secret_rotation", "this", {"rotation_rules": [{"automatically_after_days": 30}]}),
    ]


def module_expressions() -> list:
    """The module's configuration: which resource each value known only after apply comes from."""

    def exprs(address: str, expressions: dict) -> dict:
        return {"address": address, "expressions": expressions}

    service = refs("aws_ecs_service.this.name", "aws_ecs_service.this")
    cluster = refs("aws_ecs_cluster.this.name", "aws_ecs_cluster.this")
    both = refs(*cluster["references"], *service["references"])
    return [
        exprs(
            "aws_ecs_service.this",
            {
                "cluster": refs("aws_ecs_cluster.this.id", "aws_ecs_cluster.this"),
                "load_balancer": [
                    {"target_group_arn": refs("aws_lb_target_group.this.arn", "aws_lb_target_group.this")}
                ],
            },
        ),
        exprs(
            "aws_lb.this",
            {
                "subnets": refs("aws_subnet.a.id", "aws_subnet.a", "aws_subnet.b.id", "aws_subnet.b"),
                "security_groups": refs("aws_security_group.lb.id", "aws_security_group.lb"),
            },
        ),
        exprs(
            "aws_lb_listener.this",
            {
                "load_balancer_arn": refs("aws_lb.this.arn", "aws_lb.this"),
                "default_action": [
                    {"target_group_arn": refs("aws_lb_target_group.this.arn", "aws_lb_target_group.this")}
                ],
            },
        ),
        exprs("aws_subnet.a", {"vpc_id": refs("aws_vpc.this.id", "aws_vpc.this")}),
        exprs("aws_subnet.b", {"vpc_id": refs("aws_vpc.this.id", "aws_vpc.this")}),
        exprs(
            "aws_vpc_security_group_ingress_rule.https",
            {"security_group_id": refs("aws_security_group.lb.id", "aws_security_group.lb")},
        ),
        exprs(
            "aws_sns_topic_subscription.pager", {"topic_arn": refs("aws_sns_topic.alerts.arn", "aws_sns_topic.alerts")}
        ),
        exprs(
            "aws_cloudwatch_metric_alarm.cpu",
            {
                "dimensions": both,
                "alarm_actions": refs("aws_appautoscaling_policy.up.arn", "aws_appautoscaling_policy.up"),
            },
        ),
        exprs(
            "aws_cloudwatch_metric_alarm.memory",
            {"dimensions": both, "alarm_actions": refs("aws_sns_topic.alerts.arn", "aws_sns_topic.alerts")},
        ),
        exprs("aws_appautoscaling_target.this", {"resource_id": both}),
        exprs("aws_appautoscaling_policy.up", {"resource_id": both}),
        exprs(
            "aws_backup_selection.this",
            {
                "plan_id": refs("var.backup_plan_id"),
                "resources": refs("aws_dynamodb_table.this.arn", "aws_dynamodb_table.this"),
            },
        ),
        exprs(
            "aws_secretsmanager_secret_rotation.this",
            {"secret_id": refs("aws_secretsmanager_secret.this.id", "aws_secretsmanager_secret.this")},
        ),
    ]


def plan(services: int) -> dict:
    instances = []
    for i in range(services):
        key = f"svc{i:05d}"
        prefix = f'module.svc["{key}"]'
        rs = module_resources(key)
        for r in rs:
            r["address"] = f"{prefix}.{r['address']}"
        instances.append({"address": prefix, "resources": rs})
    root = [
        res("aws_backup_vault", "main", {"name": "main"}),
        res(
            "aws_backup_plan",
            "daily",
            {
                "name": "daily",
                "rule": [
                    {
                        "rule_name": "daily",
                        "target_vault_name": "main",
                        "schedule": "cron(0 5 * * ? *)",
                        "lifecycle": [{"delete_after": 35}],
                    }
                ],
            },
        ),
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": root, "child_modules": instances}},
        "resource_changes": [],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": REGION}}}},
            "root_module": {
                "resources": [],
                "module_calls": {
                    "svc": {
                        "expressions": {"backup_plan_id": refs("aws_backup_plan.daily.id", "aws_backup_plan.daily")},
                        "module": {"resources": module_expressions()},
                    }
                },
            },
        },
    }


def timed(command: list) -> dict:
    """Runs `command`; its exit code, wall time, CPU time and the peak RSS of the children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "exit": done.returncode,
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_rss_mb": after.ru_maxrss / 1024,
        "stderr": done.stderr.strip().splitlines()[-1:] if done.returncode > 1 else [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--baseline", help="an evidence file (a scan) to judge the plan over")
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the fastest is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plan.json")
        doc = plan(args.services)
        with open(path, "w") as f:
            json.dump(doc, f)
        resources = sum(len(m["resources"]) for m in doc["planned_values"]["root_module"]["child_modules"]) + 2
        print(f"plan: {args.services} module instances, {resources} resources, {os.path.getsize(path) / 1e6:.1f} MB")
        modes = [("alone", [args.binary, "plan", path])]
        if args.baseline:
            modes.append(("over the baseline", [args.binary, "plan", path, "--baseline", args.baseline]))
        for name, command in modes:
            runs = [timed(command + ["--format", "json"]) for _ in range(args.runs)]
            best = min(runs, key=lambda r: r["wall_s"])
            if best["exit"] > 1:
                print(f"{name}: exit {best['exit']}: {best['stderr']}", file=sys.stderr)
                return 1
            print(
                f"{name}: exit {best['exit']}, wall {best['wall_s']:.2f} s, CPU {best['cpu_s']:.2f} s, "
                f"peak RSS {max(r['peak_rss_mb'] for r in runs):.0f} MB (fastest of {args.runs})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
