"""Apply an account scenario (a TOML file in mocks/scenarios/) to the AWS API emulator.

    seed.py --endpoint http://127.0.0.1:PORT --account 111122223333 staging
    seed.py --endpoint ... --account ... --large tables=500,log_groups=500

Every resource is created through the emulator's public AWS API with boto3, exactly as
Terraform would create it, into the account named by --account (moto keeps one state per
account; the scanner reaches the same account by assuming a role in it).

Emulator gaps this seeder works around, each with the reason:
- ECS describe_services reports no deploymentConfiguration, no healthCheckGracePeriodSeconds
  and runningCount 0 until the service has been updated once: services are updated once after
  creation unless the scenario says `settle = false` (which leaves them with no running task,
  as a real service whose tasks cannot start looks).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from botocore.config import Config

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


class Account:
    """boto3 clients bound to one emulator account."""

    def __init__(self, endpoint: str, account: str):
        self.endpoint = endpoint
        self.account = account
        self._clients: dict[tuple[str, str], object] = {}

    def client(self, service: str, region: str):
        key = (service, region)
        if key not in self._clients:
            client = boto3.client(
                service,
                endpoint_url=self.endpoint,
                region_name=region,
                aws_access_key_id="seeder",
                aws_secret_access_key="seeder",
                config=Config(retries={"max_attempts": 1, "mode": "standard"}),
            )
            account = self.account
            client.meta.events.register(
                "before-sign.*.*",
                lambda request, **_: request.headers.__setitem__("x-moto-account-id", account),
            )
            self._clients[key] = client
        return self._clients[key]


def region_of(item: dict, scenario: dict) -> str:
    return item.get("region", scenario.get("region", "eu-west-1"))


def seed_network(acct: Account, scenario: dict) -> dict:
    """VPCs, subnets and security groups; returns name -> id maps per region."""
    ids: dict[str, str] = {}
    for vpc in scenario.get("network", {}).get("vpcs", []):
        region = region_of(vpc, scenario)
        ec2 = acct.client("ec2", region)
        vpc_id = ec2.create_vpc(CidrBlock=vpc["cidr"])["Vpc"]["VpcId"]
        ids[vpc["name"]] = vpc_id
        for subnet in vpc.get("subnets", []):
            ids[subnet["name"]] = ec2.create_subnet(
                VpcId=vpc_id, CidrBlock=subnet["cidr"], AvailabilityZone=region + subnet["az"]
            )["Subnet"]["SubnetId"]
        for sg in vpc.get("security_groups", []):
            ids[sg["name"]] = ec2.create_security_group(
                GroupName=sg["name"], Description=sg.get("description", sg["name"]), VpcId=vpc_id
            )["GroupId"]
        # Rules after every group exists: a rule may name another group as its source.
        for sg in vpc.get("security_groups", []):
            for rule in sg.get("ingress", []):
                permission = {"IpProtocol": rule.get("protocol", "tcp"), "FromPort": rule["port"], "ToPort": rule["port"]}
                if "cidr" in rule:
                    permission["IpRanges"] = [{"CidrIp": rule["cidr"]}]
                if "source" in rule:
                    permission["UserIdGroupPairs"] = [{"GroupId": ids[rule["source"]]}]
                ec2.authorize_security_group_ingress(GroupId=ids[sg["name"]], IpPermissions=[permission])
        if vpc.get("flow_logs"):
            group = f"/vpc/{vpc['name']}/flow-logs"
            acct.client("logs", region).create_log_group(logGroupName=group)
            acct.client("logs", region).put_retention_policy(logGroupName=group, retentionInDays=90)
            ec2.create_flow_logs(
                ResourceIds=[vpc_id],
                ResourceType="VPC",
                TrafficType="ALL",
                LogDestinationType="cloud-watch-logs",
                LogGroupName=group,
                DeliverLogsPermissionArn=f"arn:aws:iam::{acct.account}:role/vpc-flow-logs",
            )
    return ids


def seed_elbv2(acct: Account, scenario: dict, net: dict) -> dict:
    arns: dict[str, str] = {}
    section = scenario.get("elbv2", {})
    for lb in section.get("load_balancers", []):
        elb = acct.client("elbv2", region_of(lb, scenario))
        arns[lb["name"]] = elb.create_load_balancer(
            Name=lb["name"],
            Type=lb.get("type", "application"),
            Scheme=lb.get("scheme", "internet-facing"),
            Subnets=[net[s] for s in lb["subnets"]],
            SecurityGroups=[net[s] for s in lb.get("security_groups", [])],
        )["LoadBalancers"][0]["LoadBalancerArn"]
    for tg in section.get("target_groups", []):
        elb = acct.client("elbv2", region_of(tg, scenario))
        args = dict(
            Name=tg["name"],
            Protocol=tg.get("protocol", "HTTP"),
            Port=tg.get("port", 80),
            VpcId=net[tg["vpc"]],
            TargetType=tg.get("target_type", "ip"),
            HealthCheckEnabled=tg.get("health_check_enabled", True),
        )
        if "health_check_path" in tg:
            args["HealthCheckPath"] = tg["health_check_path"]
        tg_arn = elb.create_target_group(**args)["TargetGroups"][0]["TargetGroupArn"]
        arns[tg["name"]] = tg_arn
        if "load_balancer" in tg:
            elb.create_listener(
                LoadBalancerArn=arns[tg["load_balancer"]],
                Protocol="HTTP",
                Port=tg.get("listener_port", 80),
                DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
            )
    return arns


def container_definition(c: dict) -> dict:
    definition = {
        "name": c["name"],
        "image": c.get("image", "public.ecr.aws/docker/library/nginx:stable"),
        "essential": c.get("essential", True),
        "environment": [{"name": k, "value": v} for k, v in c.get("environment", {}).items()],
        "secrets": [{"name": k, "valueFrom": v} for k, v in c.get("secrets", {}).items()],
    }
    if "port" in c:
        definition["portMappings"] = [{"containerPort": c["port"], "protocol": "tcp"}]
    return definition


def seed_ecs(acct: Account, scenario: dict, net: dict, elb: dict) -> None:
    section = scenario.get("ecs", {})
    for cluster in section.get("clusters", []):
        settings = []
        if "container_insights" in cluster:
            settings.append({"name": "containerInsights", "value": cluster["container_insights"]})
        acct.client("ecs", region_of(cluster, scenario)).create_cluster(clusterName=cluster["name"], settings=settings)
    task_defs: dict[str, str] = {}
    for td in section.get("task_definitions", []):
        ecs = acct.client("ecs", region_of(td, scenario))
        task_defs[td["family"]] = ecs.register_task_definition(
            family=td["family"],
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu=str(td.get("cpu", "256")),
            memory=str(td.get("memory", "512")),
            containerDefinitions=[container_definition(c) for c in td["containers"]],
        )["taskDefinition"]["taskDefinitionArn"]
    for svc in section.get("services", []):
        ecs = acct.client("ecs", region_of(svc, scenario))
        deployment = {
            "minimumHealthyPercent": svc.get("minimum_healthy_percent", 100),
            "maximumPercent": svc.get("maximum_percent", 200),
        }
        if svc.get("circuit_breaker"):
            deployment["deploymentCircuitBreaker"] = {"enable": True, "rollback": True}
        args = dict(
            cluster=svc["cluster"],
            serviceName=svc["name"],
            taskDefinition=task_defs[svc["task_definition"]],
            desiredCount=svc["desired_count"],
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {
                    "subnets": [net[s] for s in svc["subnets"]],
                    "securityGroups": [net[s] for s in svc.get("security_groups", [])],
                    "assignPublicIp": "ENABLED" if svc.get("public_ip") else "DISABLED",
                }
            },
            deploymentConfiguration=deployment,
        )
        if "target_group" in svc:
            args["loadBalancers"] = [
                {
                    "targetGroupArn": elb[svc["target_group"]],
                    "containerName": svc["container_name"],
                    "containerPort": svc["container_port"],
                }
            ]
        grace = svc.get("health_check_grace_period")
        if grace is not None:
            args["healthCheckGracePeriodSeconds"] = grace
        ecs.create_service(**args)
        if svc.get("settle", True):
            update = dict(
                cluster=svc["cluster"],
                service=svc["name"],
                desiredCount=svc["desired_count"],
                deploymentConfiguration=deployment,
            )
            if grace is not None:
                update["healthCheckGracePeriodSeconds"] = grace
            ecs.update_service(**update)


def seed_dynamodb(acct: Account, scenario: dict, keys: dict) -> None:
    for table in scenario.get("dynamodb", {}).get("tables", []):
        create_table(acct.client("dynamodb", region_of(table, scenario)), table, keys)


def create_table(ddb, table: dict, keys: dict | None = None) -> None:
    key = table.get("hash_key", "id")
    args = dict(
        TableName=table["name"],
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": table.get("hash_key_type", "S")}],
        BillingMode="PAY_PER_REQUEST",
    )
    if "sse_kms_key" in table:
        args["SSESpecification"] = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": (keys or {})[table["sse_kms_key"]]}
    ddb.create_table(**args)
    if table.get("pitr"):
        ddb.update_continuous_backups(
            TableName=table["name"],
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )


def seed_logs(acct: Account, scenario: dict) -> None:
    for group in scenario.get("logs", {}).get("groups", []):
        create_log_group(acct.client("logs", region_of(group, scenario)), group)


def create_log_group(logs, group: dict) -> None:
    logs.create_log_group(logGroupName=group["name"])
    if group.get("retention_days"):
        logs.put_retention_policy(logGroupName=group["name"], retentionInDays=group["retention_days"])


def seed_kms(acct: Account, scenario: dict) -> dict:
    """Keys; returns alias -> key ARN, for the resources encrypted with them."""
    arns = {}
    for key in scenario.get("kms", {}).get("keys", []):
        kms = acct.client("kms", region_of(key, scenario))
        meta = kms.create_key(
            Description=key.get("description", key.get("alias", "")),
            KeySpec=key.get("spec", "SYMMETRIC_DEFAULT"),
            KeyUsage=key.get("usage", "ENCRYPT_DECRYPT"),
        )["KeyMetadata"]
        key_id = meta["KeyId"]
        if "alias" in key:
            arns[key["alias"]] = meta["Arn"]
        if "alias" in key:
            kms.create_alias(AliasName="alias/" + key["alias"], TargetKeyId=key_id)
        if key.get("rotation"):
            kms.enable_key_rotation(KeyId=key_id)
        if key.get("disabled"):
            kms.disable_key(KeyId=key_id)
    return arns


def bucket_name(acct: Account, name: str) -> str:
    """Bucket names are global (in moto across its accounts too): suffix the account id, as
    real naming conventions do, so that one scenario can be seeded into many accounts."""
    return f"{name}-{acct.account}"


def create_bucket(s3, name: str, region: str) -> None:
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def encrypt_bucket(s3, name: str, algorithm: str, key_arn: str | None) -> None:
    rule = {"SSEAlgorithm": algorithm}
    if key_arn:
        rule["KMSMasterKeyID"] = key_arn
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": True}]},
    )


def seed_s3(acct: Account, scenario: dict, keys: dict) -> None:
    for b in scenario.get("s3", {}).get("buckets", []):
        region = region_of(b, scenario)
        name = bucket_name(acct, b["name"])
        s3 = acct.client("s3", region)
        create_bucket(s3, name, region)
        if "versioning" in b:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": b["versioning"]})
        if "encryption" in b:
            encrypt_bucket(s3, name, b["encryption"], keys.get(b.get("kms_key", "")))
        if b.get("public_access_block"):
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        if "lifecycle" in b:
            lc = b["lifecycle"]
            rule = {"ID": "archive-old-data", "Status": "Enabled", "Filter": {"Prefix": ""}}
            if "transition_days" in lc:
                rule["Transitions"] = [{"Days": lc["transition_days"], "StorageClass": lc.get("storage_class", "GLACIER")}]
            if "noncurrent_expiration_days" in lc:
                rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": lc["noncurrent_expiration_days"]}
            if "expiration_days" in lc:
                rule["Expiration"] = {"Days": lc["expiration_days"]}
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [rule]})
        for key in b.get("objects", []):
            s3.put_object(Bucket=name, Key=key, Body=b'{"version": 4}')


def seed_cloudtrail(acct: Account, scenario: dict, keys: dict) -> None:
    for trail in scenario.get("cloudtrail", {}).get("trails", []):
        region = region_of(trail, scenario)
        bucket = bucket_name(acct, trail["bucket"])
        s3 = acct.client("s3", region)
        create_bucket(s3, bucket, region)
        if "bucket_kms_key" in trail:
            encrypt_bucket(s3, bucket, "aws:kms", keys[trail["bucket_kms_key"]])
        ct = acct.client("cloudtrail", region)
        ct.create_trail(
            Name=trail["name"],
            S3BucketName=bucket,
            IsMultiRegionTrail=trail.get("multi_region", False),
            EnableLogFileValidation=trail.get("log_file_validation", False),
            IncludeGlobalServiceEvents=True,
        )
        if trail.get("logging", True):
            ct.start_logging(Name=trail["name"])


def seed_lambda(acct: Account, scenario: dict) -> None:
    functions = scenario.get("lambda", {}).get("functions", [])
    if not functions:
        return
    import io
    import zipfile

    role = acct.client("iam", "us-east-1").create_role(
        RoleName="lambda-execution",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {}\n")
    for f in functions:
        acct.client("lambda", region_of(f, scenario)).create_function(
            FunctionName=f["name"],
            Runtime=f.get("runtime", "python3.12"),
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": code.getvalue()},
        )


def seed_sns(acct: Account, scenario: dict) -> dict:
    """Topics and subscriptions; returns topic name -> ARN."""
    arns = {}
    for topic in scenario.get("sns", {}).get("topics", []):
        sns = acct.client("sns", region_of(topic, scenario))
        arn = sns.create_topic(Name=topic["name"])["TopicArn"]
        arns[topic["name"]] = arn
        for sub in topic.get("subscriptions", []):
            sns.subscribe(TopicArn=arn, Protocol=sub["protocol"], Endpoint=sub["endpoint"])
    return arns


def dimension_value(acct: Account, value: str, elb: dict) -> str:
    """Dimension values that name resources created by the seeder: `@lb:NAME` (the ALB's ARN
    suffix `app/NAME/ID`), `@tg:NAME` (`targetgroup/NAME/ID`), `@bucket:NAME`."""
    kind, _, name = value.partition(":")
    if kind == "@lb":
        return elb[name].split(":loadbalancer/")[1]
    if kind == "@tg":
        return elb[name].rsplit(":", 1)[1]
    if kind == "@bucket":
        return bucket_name(acct, name)
    return value


def seed_cloudwatch(acct: Account, scenario: dict, elb: dict, topics: dict) -> None:
    section = scenario.get("cloudwatch", {})
    for alarm in section.get("alarms", []):
        cw = acct.client("cloudwatch", region_of(alarm, scenario))
        cw.put_metric_alarm(
            AlarmName=alarm["name"],
            Namespace=alarm["namespace"],
            MetricName=alarm["metric"],
            Dimensions=[{"Name": k, "Value": dimension_value(acct, v, elb)} for k, v in alarm.get("dimensions", {}).items()],
            Statistic=alarm.get("statistic", "Average"),
            Period=alarm.get("period", 60),
            EvaluationPeriods=alarm.get("evaluation_periods", 3),
            Threshold=float(alarm.get("threshold", 0)),
            ComparisonOperator=alarm.get("comparison", "GreaterThanThreshold"),
            AlarmActions=[topics[t] for t in alarm.get("topics", [])],
        )
    for dashboard in section.get("dashboards", []):
        acct.client("cloudwatch", region_of(dashboard, scenario)).put_dashboard(
            DashboardName=dashboard["name"], DashboardBody=json.dumps({"widgets": []})
        )


def seed_guardduty(acct: Account, scenario: dict) -> None:
    for detector in scenario.get("guardduty", {}).get("detectors", []):
        acct.client("guardduty", region_of(detector, scenario)).create_detector(
            Enable=detector.get("enabled", True)
        )


def apply(acct: Account, scenario: dict) -> None:
    net = seed_network(acct, scenario)
    elb = seed_elbv2(acct, scenario, net)
    seed_ecs(acct, scenario, net, elb)
    keys = seed_kms(acct, scenario)
    seed_dynamodb(acct, scenario, keys)
    seed_logs(acct, scenario)
    seed_s3(acct, scenario, keys)
    seed_cloudtrail(acct, scenario, keys)
    seed_guardduty(acct, scenario)
    seed_lambda(acct, scenario)
    topics = seed_sns(acct, scenario)
    seed_cloudwatch(acct, scenario, elb, topics)


def apply_large(acct: Account, spec: str, region: str, workers: int) -> None:
    """A large account for the benchmark: `tables=N,log_groups=N,keys=N`."""
    counts = {k: int(v) for k, v in (part.split("=") for part in spec.split(",") if part)}
    jobs = []
    ddb = acct.client("dynamodb", region)
    logs = acct.client("logs", region)
    kms = acct.client("kms", region)
    for i in range(counts.get("tables", 0)):
        jobs.append(lambda i=i: create_table(ddb, {"name": f"bench-table-{i:05}", "pitr": i % 2 == 0}))
    for i in range(counts.get("log_groups", 0)):
        jobs.append(lambda i=i: create_log_group(logs, {"name": f"/bench/group-{i:05}", "retention_days": 7 if i % 3 else 30}))
    for i in range(counts.get("keys", 0)):
        jobs.append(lambda: kms.create_key(Description="bench"))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def load(name: str) -> dict:
    path = Path(name)
    if not path.exists():
        path = SCENARIOS / f"{name}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--account", default="123456789012")
    parser.add_argument("--region", default="eu-west-1", help="region of --large resources")
    parser.add_argument("--large", help="generate a large account instead: tables=N,log_groups=N,keys=N")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("scenario", nargs="*", help="scenario names (mocks/scenarios/NAME.toml) or paths")
    args = parser.parse_args()

    acct = Account(args.endpoint, args.account)
    for name in args.scenario:
        apply(acct, load(name))
    if args.large:
        apply_large(acct, args.large, args.region, args.workers)
    print(json.dumps({"account": args.account, "scenarios": args.scenario, "large": args.large}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
