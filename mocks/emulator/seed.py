"""Apply an account scenario (a TOML file in mocks/emulator/scenarios/) to the AWS API emulator.

    seed.py --endpoint http://127.0.0.1:PORT --account 111122223333 staging
    seed.py --endpoint ... --account ... --large tables=500,log_groups=500 [--workers 16]
    seed.py --endpoint ... --account 123456789012 --organization staging,prod --close prod

Every resource is created through the emulator's public AWS API with boto3, exactly as
Terraform would create it, into the account named by --account (moto keeps one state per
account; the scanner reaches the same account by assuming a role in it).

Emulator gaps this seeder works around, each with the reason:
- ECS describe_services reports no deploymentConfiguration, no healthCheckGracePeriodSeconds
  and runningCount 0 until the service has been updated once: services are updated once after
  creation unless the scenario says `settle = false` (which leaves them with no running task,
  as a real service whose tasks cannot start looks).
- Secrets Manager rotate_secret invokes the rotation function; the emulator runs Lambda without
  Docker (mocks/emulator/emulator.py), so the function does nothing and answers moto's canned result.
  When rotating immediately (the API's default) moto then labels AWSCURRENT a version the
  function never wrote: GetSecretValue answers ResourceNotFoundException and the planted value
  is no longer current. Rotation is configured with RotateImmediately=False (the first rotation
  waits for the schedule); moto still reports RotationEnabled, the rules, LastRotatedDate and
  NextRotationDate.
- AWS Backup CreateBackupSelection answers 500 (an HTML "Internal Server Error" page): it is
  called, as Terraform would, and that answer is ignored, so plans have no selection in the
  emulator (ListBackupSelections answers 500 as well).

Emulator gaps that no API call can work around (the emulator's answer differs from AWS's):
- DynamoDB restore_table_to_point_in_time ignores SSESpecificationOverride (and the source's
  encryption and billing mode): the restored table describes with no SSEDescription and no
  BillingMode, and update_table ignores SSESpecification, so it cannot be set afterwards. Its
  RestoreSummary (source table ARN, date) is right. moto does not check the source's PITR either.
- DynamoDB update_table accepts ReplicaUpdates (Create) but describe_table never reports
  Replicas (nor GlobalTableVersion): the replica regions are requested and invisible.
- CloudFront reports CloudFrontDefaultCertificate true even with an ACM certificate (the
  ACMCertificateArn, sni-only and the minimum protocol version are kept); ACM's InUseBy stays
  empty for a certificate a distribution uses.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import sys
import time
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


class Account:
    """boto3 clients bound to one emulator account."""

    def __init__(self, endpoint: str, account: str):
        self.endpoint = endpoint
        self.account = account
        self._clients: dict[tuple[str, str], object] = {}
        # Resources shared by several sections (the Lambda role, the rotation function...),
        # created once per account: several scenarios may be applied to one account.
        self.shared: dict[tuple, str] = {}

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
                permission = {
                    "IpProtocol": rule.get("protocol", "tcp"),
                    "FromPort": rule["port"],
                    "ToPort": rule["port"],
                }
                if "cidr" in rule:
                    permission["IpRanges"] = [{"CidrIp": rule["cidr"]}]
                if "source" in rule:
                    permission["UserIdGroupPairs"] = [{"GroupId": ids[rule["source"]]}]
                ec2.authorize_security_group_ingress(GroupId=ids[sg["name"]], IpPermissions=[permission])
        for subnet in vpc.get("nat_gateways", []):
            # A public NAT gateway, with an Elastic IP of its own.
            allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
            ec2.create_nat_gateway(SubnetId=ids[subnet], AllocationId=allocation)
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
        if "access_logs_bucket" in lb:
            # The bucket itself is a scenario bucket (s3.buckets), named as the seeder names them.
            elb.modify_load_balancer_attributes(
                LoadBalancerArn=arns[lb["name"]],
                Attributes=[
                    {"Key": "access_logs.s3.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.bucket", "Value": bucket_name(acct, lb["access_logs_bucket"])},
                ],
            )
    for tg in section.get("target_groups", []):
        elb = acct.client("elbv2", region_of(tg, scenario))
        args = {
            "Name": tg["name"],
            "Protocol": tg.get("protocol", "HTTP"),
            "Port": tg.get("port", 80),
            "VpcId": net[tg["vpc"]],
            "TargetType": tg.get("target_type", "ip"),
            "HealthCheckEnabled": tg.get("health_check_enabled", True),
        }
        if "health_check_path" in tg:
            args["HealthCheckPath"] = tg["health_check_path"]
        tg_arn = elb.create_target_group(**args)["TargetGroups"][0]["TargetGroupArn"]
        arns[tg["name"]] = tg_arn
        if "load_balancer" in tg:
            elb.create_listener(
                LoadBalancerArn=arns[tg["load_balancer"]],
                Protocol=tg.get("listener_protocol", "HTTP"),
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
        args = {
            "family": td["family"],
            "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc",
            "cpu": str(td.get("cpu", "256")),
            "memory": str(td.get("memory", "512")),
            "containerDefinitions": [container_definition(c) for c in td["containers"]],
        }
        if "cpu_architecture" in td:
            args["runtimePlatform"] = {"cpuArchitecture": td["cpu_architecture"], "operatingSystemFamily": "LINUX"}
        task_defs[td["family"]] = ecs.register_task_definition(**args)["taskDefinition"]["taskDefinitionArn"]
    for svc in section.get("services", []):
        ecs = acct.client("ecs", region_of(svc, scenario))
        deployment = {
            "minimumHealthyPercent": svc.get("minimum_healthy_percent", 100),
            "maximumPercent": svc.get("maximum_percent", 200),
        }
        if svc.get("circuit_breaker"):
            deployment["deploymentCircuitBreaker"] = {"enable": True, "rollback": True}
        if svc.get("deployment_alarms"):
            deployment["alarms"] = {"alarmNames": svc["deployment_alarms"], "enable": True, "rollback": True}
        args = {
            "cluster": svc["cluster"],
            "serviceName": svc["name"],
            "taskDefinition": task_defs[svc["task_definition"]],
            "desiredCount": svc["desired_count"],
            "launchType": "FARGATE",
            "networkConfiguration": {
                "awsvpcConfiguration": {
                    "subnets": [net[s] for s in svc["subnets"]],
                    "securityGroups": [net[s] for s in svc.get("security_groups", [])],
                    "assignPublicIp": "ENABLED" if svc.get("public_ip") else "DISABLED",
                }
            },
            "deploymentConfiguration": deployment,
        }
        if "deployment_controller" in svc:
            args["deploymentController"] = {"type": svc["deployment_controller"]}
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
            update = {
                "cluster": svc["cluster"],
                "service": svc["name"],
                "desiredCount": svc["desired_count"],
                "deploymentConfiguration": deployment,
            }
            if grace is not None:
                update["healthCheckGracePeriodSeconds"] = grace
            ecs.update_service(**update)


def seed_dynamodb(acct: Account, scenario: dict, keys: dict) -> None:
    section = scenario.get("dynamodb", {})
    for table in section.get("tables", []):
        ddb = acct.client("dynamodb", region_of(table, scenario))
        create_table(ddb, table, keys)
        for region in table.get("replica_regions", []):
            # Accepted, never reported back (see the module docstring).
            ddb.update_table(TableName=table["name"], ReplicaUpdates=[{"Create": {"RegionName": region}}])
    # Restores after every table: a restore's source must exist with PITR on.
    for restore in section.get("restores", []):
        ddb = acct.client("dynamodb", region_of(restore, scenario))
        args = {
            "SourceTableName": restore["source"],
            "TargetTableName": restore["target"],
            "UseLatestRestorableTime": True,
        }
        if "sse_kms_key" in restore:
            args["SSESpecificationOverride"] = {
                "Enabled": True,
                "SSEType": "KMS",
                "KMSMasterKeyId": keys[restore["sse_kms_key"]],
            }
        ddb.restore_table_to_point_in_time(**args)
        if restore.get("pitr"):
            ddb.update_continuous_backups(
                TableName=restore["target"],
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )


def create_table(ddb, table: dict, keys: dict | None = None) -> None:
    key = table.get("hash_key", "id")
    args = {
        "TableName": table["name"],
        "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": key, "AttributeType": table.get("hash_key_type", "S")}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if "provisioned" in table:
        args["BillingMode"] = "PROVISIONED"
        args["ProvisionedThroughput"] = {
            "ReadCapacityUnits": table["provisioned"]["reads"],
            "WriteCapacityUnits": table["provisioned"]["writes"],
        }
    if "sse_kms_key" in table:
        args["SSESpecification"] = {
            "Enabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": (keys or {})[table["sse_kms_key"]],
        }
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
            Origin=key.get("origin", "AWS_KMS"),
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
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": rule, "BucketKeyEnabled": True}]
        },
    )


def seed_s3(acct: Account, scenario: dict, keys: dict) -> None:
    if scenario.get("s3", {}).get("account_public_access_block"):
        block_account_public_access(acct, region_of({}, scenario))
    for b in scenario.get("s3", {}).get("buckets", []):
        region = region_of(b, scenario)
        name = bucket_name(acct, b["name"])
        s3 = acct.client("s3", region)
        create_bucket(s3, name, region)
        configure_bucket(s3, name, b, keys)
        for key in b.get("objects", []):
            s3.put_object(Bucket=name, Key=key, Body=b'{"version": 4}')
        if "replicate_to" in b:
            replicate_bucket(acct, s3, name, b, keys)


def block_account_public_access(acct: Account, region: str) -> None:
    """The account-level S3 Block Public Access, all four settings on (S3 Control)."""
    s3control = acct.client("s3control", region)
    # S3 Control addresses the account as a host name (ACCOUNT.<endpoint>); the emulator has
    # none, so the request goes to the endpoint as given, the account in x-amz-account-id.
    prefix = f"{acct.account}."
    s3control.meta.events.register(
        "before-send.s3-control",
        lambda request, **_: setattr(request, "url", request.url.replace(prefix, "", 1)),
    )
    s3control.put_public_access_block(
        AccountId=acct.account,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )


def configure_bucket(s3, name: str, b: dict, keys: dict) -> None:
    """Versioning, default encryption, public access block and lifecycle of a bucket entry."""
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


def replicate_bucket(acct: Account, s3, source: str, b: dict, keys: dict) -> None:
    """`replicate_to = { bucket, region }`: a versioned destination bucket configured like the
    source entry, and a replication rule for the whole source bucket (which must be versioned)."""
    target = b["replicate_to"]
    region = target["region"]
    dest = bucket_name(acct, target["bucket"])
    dest_s3 = acct.client("s3", region)
    create_bucket(dest_s3, dest, region)
    configure_bucket(dest_s3, dest, {**b, "versioning": "Enabled"}, keys)
    s3.put_bucket_replication(
        Bucket=source,
        ReplicationConfiguration={
            "Role": f"arn:aws:iam::{acct.account}:role/s3-replication",
            "Rules": [
                {
                    "ID": "replicate-all",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "DeleteMarkerReplication": {"Status": "Disabled"},
                    "Destination": {"Bucket": f"arn:aws:s3:::{dest}"},
                }
            ],
        },
    )


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
        if "data_events_only" in trail:
            # An S3 data-event trail: IncludeManagementEvents false, as teams set up object-level
            # logging apart from the account's audit trail.
            ct.put_event_selectors(
                TrailName=trail["name"],
                EventSelectors=[
                    {
                        "ReadWriteType": "All",
                        "IncludeManagementEvents": False,
                        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
                    }
                ],
            )
        if trail.get("logging", True):
            ct.start_logging(Name=trail["name"])


def service_role(acct: Account, name: str, service: str) -> str:
    """An IAM role that `service` (e.g. lambda.amazonaws.com) may assume, created once per
    account; returns its ARN."""
    key = ("iam-role", name)
    if key not in acct.shared:
        iam = acct.client("iam", "us-east-1")
        try:
            arn = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
                        ],
                    }
                ),
            )["Role"]["Arn"]
        except ClientError as e:
            if e.response["Error"]["Code"] != "EntityAlreadyExists":
                raise
            arn = iam.get_role(RoleName=name)["Role"]["Arn"]
        acct.shared[key] = arn
    return acct.shared[key]


def lambda_role(acct: Account) -> str:
    """The execution role of every function the seeder creates."""
    return service_role(acct, "lambda-execution", "lambda.amazonaws.com")


def lambda_code() -> bytes:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {}\n")
    return code.getvalue()


def create_function(acct: Account, region: str, name: str, runtime: str = "python3.12") -> str:
    """A do-nothing Python function; returns its ARN."""
    return acct.client("lambda", region).create_function(
        FunctionName=name,
        Runtime=runtime,
        Role=lambda_role(acct),
        Handler="index.handler",
        Code={"ZipFile": lambda_code()},
    )["FunctionArn"]


def seed_lambda(acct: Account, scenario: dict) -> None:
    for f in scenario.get("lambda", {}).get("functions", []):
        create_function(acct, region_of(f, scenario), f["name"], f.get("runtime", "python3.12"))


def rotation_function(acct: Account, region: str) -> str:
    """The "secret-rotator" function, created once per account and region; returns its ARN."""
    key = ("lambda", region, "secret-rotator")
    if key not in acct.shared:
        try:
            acct.shared[key] = create_function(acct, region, "secret-rotator")
        except ClientError as e:
            if e.response["Error"]["Code"] != "ResourceConflictException":
                raise
            acct.shared[key] = acct.client("lambda", region).get_function(FunctionName="secret-rotator")[
                "Configuration"
            ]["FunctionArn"]
    return acct.shared[key]


def seed_secretsmanager(acct: Account, scenario: dict) -> None:
    """Secrets, each holding a planted canary value: tests assert it appears in no output."""
    for secret in scenario.get("secretsmanager", {}).get("secrets", []):
        region = region_of(secret, scenario)
        sm = acct.client("secretsmanager", region)
        sm.create_secret(Name=secret["name"], SecretString=f"canary-{secret['name']}-secret-value-do-not-leak")
        if "rotation_days" in secret:
            # Not rotated now (see the module docstring): the first rotation waits for the window.
            sm.rotate_secret(
                SecretId=secret["name"],
                RotationLambdaARN=rotation_function(acct, region),
                RotationRules={"AutomaticallyAfterDays": secret["rotation_days"]},
                RotateImmediately=False,
            )


def resource_arn(acct: Account, region: str, ref: str) -> str:
    """`table:NAME` -> the ARN of a DynamoDB table the scenario creates."""
    kind, _, name = ref.partition(":")
    if kind == "table":
        return f"arn:aws:dynamodb:{region}:{acct.account}:table/{name}"
    raise ValueError(f"unknown resource reference {ref!r} (expected table:NAME)")


def seed_backup(acct: Account, scenario: dict) -> None:
    """Vaults and plans of one rule each. A rule without `schedule` is created without a
    ScheduleExpression, which AWS Backup (and moto) then reads back as its documented default,
    cron(0 5 ? * * *): daily at 05:00 UTC."""
    section = scenario.get("backup", {})
    for vault in section.get("vaults", []):
        acct.client("backup", region_of(vault, scenario)).create_backup_vault(BackupVaultName=vault["name"])
    for plan in section.get("plans", []):
        region = region_of(plan, scenario)
        backup = acct.client("backup", region)
        rule = {
            "RuleName": f"{plan['name']}-rule",
            "TargetBackupVaultName": plan["vault"],
            "Lifecycle": {"DeleteAfterDays": plan["retention_days"]},
        }
        if "schedule" in plan:
            rule["ScheduleExpression"] = plan["schedule"]
        plan_id = backup.create_backup_plan(BackupPlan={"BackupPlanName": plan["name"], "Rules": [rule]})[
            "BackupPlanId"
        ]
        if plan.get("resources"):
            try:
                backup.create_backup_selection(
                    BackupPlanId=plan_id,
                    BackupSelection={
                        "SelectionName": f"{plan['name']}-resources",
                        "IamRoleArn": f"arn:aws:iam::{acct.account}:role/aws-backup",
                        "Resources": [resource_arn(acct, region, r) for r in plan["resources"]],
                    },
                )
            except ClientError as e:
                # Emulator gap: moto 5.2.5 answers 500 (see the module docstring).
                if e.response["ResponseMetadata"].get("HTTPStatusCode") != 500:
                    raise


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
            Dimensions=[
                {"Name": k, "Value": dimension_value(acct, v, elb)} for k, v in alarm.get("dimensions", {}).items()
            ],
            Statistic=alarm.get("statistic", "Average"),
            Period=alarm.get("period", 60),
            EvaluationPeriods=alarm.get("evaluation_periods", 3),
            Threshold=float(alarm.get("threshold", 0)),
            ComparisonOperator=alarm.get("comparison", "GreaterThanThreshold"),
            # `actions`: other actions as ARNs (Incident Manager, another account's topic …),
            # with ACCOUNT standing for the seeded account.
            AlarmActions=[topics[t] for t in alarm.get("topics", [])]
            + [a.replace("ACCOUNT", acct.account) for a in alarm.get("actions", [])],
        )
    for dashboard in section.get("dashboards", []):
        acct.client("cloudwatch", region_of(dashboard, scenario)).put_dashboard(
            DashboardName=dashboard["name"], DashboardBody=json.dumps({"widgets": []})
        )


def seed_events(acct: Account, scenario: dict) -> None:
    """EventBridge rules of the default bus: an event pattern and a state (ENABLED unless
    given)."""
    for rule in scenario.get("events", {}).get("rules", []):
        acct.client("events", region_of(rule, scenario)).put_rule(
            Name=rule["name"],
            EventPattern=json.dumps(rule["pattern"]),
            State=rule.get("state", "ENABLED"),
        )


def seed_guardduty(acct: Account, scenario: dict) -> None:
    for detector in scenario.get("guardduty", {}).get("detectors", []):
        acct.client("guardduty", region_of(detector, scenario)).create_detector(Enable=detector.get("enabled", True))


def visibility(name: str) -> dict:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}


def seed_wafv2(acct: Account, scenario: dict) -> dict:
    """Web ACLs for CloudFront (scope CLOUDFRONT lives in us-east-1); returns name -> ARN."""
    arns = {}
    waf = acct.client("wafv2", "us-east-1")
    for acl in scenario.get("wafv2", {}).get("web_acls", []):
        rules = []
        if "rate_limit" in acl:
            rules.append(
                {
                    "Name": "rate-limit",
                    "Priority": len(rules),
                    "Statement": {"RateBasedStatement": {"Limit": acl["rate_limit"], "AggregateKeyType": "IP"}},
                    "Action": {"Block": {}},
                    "VisibilityConfig": visibility(f"{acl['name']}-rate-limit"),
                }
            )
        if acl.get("managed_rules"):
            rules.append(
                {
                    "Name": "aws-common-rule-set",
                    "Priority": len(rules),
                    "Statement": {
                        "ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
                    },
                    "OverrideAction": {"None": {}},
                    "VisibilityConfig": visibility(f"{acl['name']}-common"),
                }
            )
        arns[acl["name"]] = waf.create_web_acl(
            Name=acl["name"],
            Scope="CLOUDFRONT",
            DefaultAction={"Allow": {}},
            Rules=rules,
            VisibilityConfig=visibility(acl["name"]),
        )["Summary"]["ARN"]
    return arns


def self_signed_certificate(domain: str, days: int) -> tuple[bytes, bytes]:
    """A certificate for `domain` valid from yesterday for `days` days; returns (cert, key) PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        ),
    )


def seed_acm(acct: Account, scenario: dict) -> dict:
    """Certificates in us-east-1 (where CloudFront takes them from); returns domain -> ARN.
    Requested ones are issued at once (the emulator runs with MOTO_ACM_VALIDATION_WAIT=0); one
    with `expires_in_days` is imported, self-signed, to control its expiry date."""
    arns = {}
    acm = acct.client("acm", "us-east-1")
    for cert in scenario.get("acm", {}).get("certificates", []):
        if "expires_in_days" in cert:
            body, key = self_signed_certificate(cert["domain"], cert["expires_in_days"])
            arns[cert["domain"]] = acm.import_certificate(Certificate=body, PrivateKey=key)["CertificateArn"]
        else:
            arns[cert["domain"]] = acm.request_certificate(DomainName=cert["domain"], ValidationMethod="DNS")[
                "CertificateArn"
            ]
    return arns


def seed_cloudfront(acct: Account, scenario: dict, certificates: dict, web_acls: dict) -> dict:
    """Distributions in front of a custom origin; returns name -> (id, domain name)."""
    distributions = {}
    cf = acct.client("cloudfront", "us-east-1")
    for d in scenario.get("cloudfront", {}).get("distributions", []):
        aliases = d.get("aliases", [])
        config = {
            "CallerReference": d["name"],
            "Comment": d["name"],
            "Enabled": True,
            "Aliases": {"Quantity": len(aliases), "Items": aliases},
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "origin",
                        "DomainName": d["origin"],
                        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "origin",
                "ViewerProtocolPolicy": "redirect-to-https",
                "ForwardedValues": {"QueryString": True, "Cookies": {"Forward": "all"}},
                "MinTTL": 0,
            },
        }
        if "certificate" in d:
            config["ViewerCertificate"] = {
                "ACMCertificateArn": certificates[d["certificate"]],
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            }
        else:
            config["ViewerCertificate"] = {"CloudFrontDefaultCertificate": True}
        if "web_acl" in d:
            config["WebACLId"] = web_acls[d["web_acl"]]
        if "geo_whitelist" in d:
            codes = d["geo_whitelist"]
            config["Restrictions"] = {
                "GeoRestriction": {"RestrictionType": "whitelist", "Quantity": len(codes), "Items": codes}
            }
        dist = cf.create_distribution(DistributionConfig=config)["Distribution"]
        distributions[d["name"]] = (dist["Id"], dist["DomainName"])
    return distributions


def seed_route53(acct: Account, scenario: dict, distributions: dict) -> None:
    """Hosted zones, with A alias records to distributions."""
    r53 = acct.client("route53", "us-east-1")
    for zone in scenario.get("route53", {}).get("zones", []):
        zone_id = r53.create_hosted_zone(Name=zone["name"], CallerReference=zone["name"])["HostedZone"]["Id"]
        changes = [
            {
                "Action": "CREATE",
                "ResourceRecordSet": {
                    "Name": record["name"],
                    "Type": "A",
                    "AliasTarget": {
                        # The fixed hosted zone of every CloudFront distribution.
                        "HostedZoneId": "Z2FDTNDATAQYW2",
                        "DNSName": distributions[record["distribution"]][1],
                        "EvaluateTargetHealth": False,
                    },
                },
            }
            for record in zone.get("records", [])
        ]
        if changes:
            r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})


# Target-tracking policies by scenario name: (predefined metric, target value).
SCALING_POLICIES = {"cpu": ("ECSServiceAverageCPUUtilization", 60.0)}


def seed_autoscaling(acct: Account, scenario: dict) -> None:
    """Application Auto Scaling of ECS services' desired count (after the services exist)."""
    for target in scenario.get("autoscaling", {}).get("ecs_targets", []):
        aas = acct.client("application-autoscaling", region_of(target, scenario))
        scalable = {
            "ServiceNamespace": "ecs",
            "ResourceId": f"service/{target['cluster']}/{target['service']}",
            "ScalableDimension": "ecs:service:DesiredCount",
        }
        aas.register_scalable_target(**scalable, MinCapacity=target["min"], MaxCapacity=target["max"])
        for policy in target.get("policies", []):
            metric, value = SCALING_POLICIES[policy]
            aas.put_scaling_policy(
                **scalable,
                PolicyName=f"{target['service']}-{policy}",
                PolicyType="TargetTrackingScaling",
                TargetTrackingScalingPolicyConfiguration={
                    "TargetValue": value,
                    "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                },
            )


def seed_iam(acct: Account, scenario: dict) -> None:
    """OpenID Connect providers for CI (GitHub Actions deploying without stored keys)."""
    iam = acct.client("iam", "us-east-1")
    for url in scenario.get("iam", {}).get("ci_oidc_providers", []):
        iam.create_open_id_connect_provider(
            Url=url,
            ClientIDList=["sts.amazonaws.com"],
            ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
        )


def seed_ecr(acct: Account, scenario: dict) -> None:
    section = scenario.get("ecr", {})
    for repo in section.get("repositories", []):
        acct.client("ecr", region_of(repo, scenario)).create_repository(
            repositoryName=repo["name"],
            imageScanningConfiguration={"scanOnPush": repo.get("scan_on_push", False)},
        )
    registry = section.get("registry_scanning")
    if registry:
        acct.client("ecr", region_of(registry, scenario)).put_registry_scanning_configuration(
            scanType=registry.get("scan_type", "BASIC"),
            rules=[
                {
                    "scanFrequency": r["frequency"],
                    "repositoryFilters": [{"filter": f, "filterType": "WILDCARD"} for f in r["filters"]],
                }
                for r in registry.get("rules", [])
            ],
        )


def seed_codepipeline(acct: Account, scenario: dict) -> None:
    """Two-stage pipelines: an S3 source and an ECS deploy of `cluster`/`service` (default: the
    scenario's first ECS service). The source is read from, and artifacts kept in, a versioned
    bucket the seeder creates, named as the console names artifact stores
    (codepipeline-REGION-...)."""
    pipelines = scenario.get("codepipeline", {}).get("pipelines", [])
    services = scenario.get("ecs", {}).get("services", [])
    for p in pipelines:
        # moto, like CodePipeline, checks that the role exists and trusts codepipeline.amazonaws.com.
        role = service_role(acct, "codepipeline", "codepipeline.amazonaws.com")
        region = region_of(p, scenario)
        bucket = bucket_name(acct, f"codepipeline-{region}-{p['name']}")
        s3 = acct.client("s3", region)
        create_bucket(s3, bucket, region)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        cluster = p.get("cluster", services[0]["cluster"] if services else None)
        service = p.get("service", services[0]["name"] if services else None)
        acct.client("codepipeline", region).create_pipeline(
            pipeline={
                "name": p["name"],
                "roleArn": role,
                "artifactStore": {"type": "S3", "location": bucket},
                "stages": [
                    {
                        "name": "Source",
                        "actions": [
                            {
                                "name": "Source",
                                "actionTypeId": {
                                    "category": "Source",
                                    "owner": "AWS",
                                    "provider": "S3",
                                    "version": "1",
                                },
                                "configuration": {
                                    "S3Bucket": bucket,
                                    "S3ObjectKey": "source.zip",
                                    "PollForSourceChanges": "false",
                                },
                                "outputArtifacts": [{"name": "source"}],
                            }
                        ],
                    },
                    {
                        "name": "Deploy",
                        "actions": [
                            {
                                "name": "Deploy",
                                "actionTypeId": {
                                    "category": "Deploy",
                                    "owner": "AWS",
                                    "provider": "ECS",
                                    "version": "1",
                                },
                                "configuration": {
                                    "ClusterName": cluster,
                                    "ServiceName": service,
                                    "FileName": "imagedefinitions.json",
                                },
                                "inputArtifacts": [{"name": "source"}],
                            }
                        ],
                    },
                ],
            }
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
    seed_secretsmanager(acct, scenario)
    seed_backup(acct, scenario)
    topics = seed_sns(acct, scenario)
    seed_cloudwatch(acct, scenario, elb, topics)
    seed_events(acct, scenario)
    web_acls = seed_wafv2(acct, scenario)
    certificates = seed_acm(acct, scenario)
    distributions = seed_cloudfront(acct, scenario, certificates, web_acls)
    seed_route53(acct, scenario, distributions)
    seed_autoscaling(acct, scenario)
    seed_iam(acct, scenario)
    seed_ecr(acct, scenario)
    seed_codepipeline(acct, scenario)


# The large account's defaults for each kind, when the spec does not name it: none.
LARGE_KINDS = ("tables", "log_groups", "keys", "buckets", "secrets", "ecs_clusters", "ecs_services")


def apply_large(acct: Account, spec: str, region: str, workers: int) -> dict:
    """A large account for the benchmark, generated with `workers` calls in flight:
    `tables=N,log_groups=N,keys=N,buckets=N,secrets=N,ecs_clusters=N,ecs_services=N`
    (kinds not named: none). Mixed settings, so every check has passing and failing
    resources: half the tables with PITR; log groups kept 7 or 30 days; half the keys
    rotating, one in 20 disabled; buckets with versioning, encryption, a public access block
    and lifecycle in turn; one secret in four rotating; ECS services spread round-robin over
    the clusters, each with its own task definition (one in four with an API_KEY plain
    environment variable, the others with a `secrets` reference), settled as `apply` settles
    them. Returns the seconds each phase took."""
    counts = {k: int(v) for k, v in (part.split("=") for part in spec.split(",") if part)}
    unknown = sorted(set(counts) - set(LARGE_KINDS))
    if unknown:
        raise SystemExit(f"--large: unknown kind {unknown[0]!r} (known: {', '.join(LARGE_KINDS)})")
    n = {k: counts.get(k, 0) for k in LARGE_KINDS}
    if n["ecs_services"] and not n["ecs_clusters"]:
        n["ecs_clusters"] = 1
    timings: dict[str, float] = {}
    started = time.monotonic()
    # Every client made up front: Account.client is not safe to call from many threads.
    ddb, logs, kms, s3, sm, ecs, ec2 = (
        acct.client(s, region) for s in ("dynamodb", "logs", "kms", "s3", "secretsmanager", "ecs", "ec2")
    )

    # Phase 1, in order: what the parallel phases name (a network for the services, the
    # rotation function for the secrets).
    net = {}
    if n["ecs_services"]:
        vpc_id = ec2.create_vpc(CidrBlock="10.90.0.0/16")["Vpc"]["VpcId"]
        net["subnet"] = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.90.1.0/24", AvailabilityZone=region + "a")[
            "Subnet"
        ]["SubnetId"]
        net["sg"] = ec2.create_security_group(GroupName="bench-services", Description="bench services", VpcId=vpc_id)[
            "GroupId"
        ]
    rotator = rotation_function(acct, region) if n["secrets"] >= 4 else None
    timings["setup_s"] = time.monotonic() - started

    def table(i: int) -> None:
        create_table(ddb, {"name": f"bench-table-{i:05}", "pitr": i % 2 == 0})

    def log_group(i: int) -> None:
        create_log_group(logs, {"name": f"/bench/group-{i:05}", "retention_days": 7 if i % 3 else 30})

    def key(i: int) -> None:
        key_id = kms.create_key(Description=f"bench key {i}")["KeyMetadata"]["KeyId"]
        if i % 2 == 0:
            kms.enable_key_rotation(KeyId=key_id)
        if i % 20 == 19:
            kms.disable_key(KeyId=key_id)

    def bucket(i: int) -> None:
        name = bucket_name(acct, f"bench-bucket-{i:05}")
        create_bucket(s3, name, region)
        configure_bucket(
            s3,
            name,
            {
                **({"versioning": "Enabled"} if i % 2 == 0 else {}),
                **({"encryption": "AES256"} if i % 3 == 0 else {}),
                "public_access_block": i % 4 != 1,
                **({"lifecycle": {"transition_days": 30}} if i % 5 == 0 else {}),
            },
            {},
        )

    def secret(i: int) -> None:
        name = f"bench/secret-{i:05}"
        sm.create_secret(Name=name, SecretString=f"canary-{name}-secret-value-do-not-leak")
        if i % 4 == 0 and rotator:
            sm.rotate_secret(
                SecretId=name,
                RotationLambdaARN=rotator,
                RotationRules={"AutomaticallyAfterDays": 30},
                RotateImmediately=False,
            )

    def cluster(c: int) -> None:
        ecs.create_cluster(
            clusterName=f"bench-cluster-{c:03}",
            settings=[{"name": "containerInsights", "value": "enabled" if c % 2 == 0 else "disabled"}],
        )

    task_definitions: dict[int, str] = {}

    def task_definition(i: int) -> None:
        environment = {"NODE_ENV": "production", "PORT": "8080"}
        secrets = {}
        if i % 4 == 0:
            environment["API_KEY"] = "bench-plain-value"  # SEC-01 fails for these
        else:
            secrets["API_KEY"] = f"arn:aws:secretsmanager:{region}:{acct.account}:secret:bench/secret-{i:05}"
        task_definitions[i] = ecs.register_task_definition(
            family=f"bench-service-{i:05}",
            requiresCompatibilities=["FARGATE"],
            networkMode="awsvpc",
            cpu="256",
            memory="512",
            containerDefinitions=[
                container_definition({"name": "app", "port": 8080, "environment": environment, "secrets": secrets})
            ],
        )["taskDefinition"]["taskDefinitionArn"]

    def service(i: int) -> None:
        cluster_name = f"bench-cluster-{i % n['ecs_clusters']:03}"
        deployment = {"minimumHealthyPercent": 100, "maximumPercent": 200}
        if i % 2 == 0:
            deployment["deploymentCircuitBreaker"] = {"enable": True, "rollback": True}
        ecs.create_service(
            cluster=cluster_name,
            serviceName=f"bench-service-{i:05}",
            taskDefinition=task_definitions[i],
            desiredCount=2,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {
                    "subnets": [net["subnet"]],
                    "securityGroups": [net["sg"]],
                    "assignPublicIp": "DISABLED",
                }
            },
            deploymentConfiguration=deployment,
        )
        # Settled, as `apply` settles services (see the module docstring).
        ecs.update_service(
            cluster=cluster_name, service=f"bench-service-{i:05}", desiredCount=2, deploymentConfiguration=deployment
        )

    def run(jobs: list) -> None:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(job, i) for job, i in jobs]:
                future.result()

    # Phase 2, in parallel: everything that needs nothing else. Phase 3: the ECS services,
    # which need their clusters and task definitions.
    t = time.monotonic()
    run(
        [(table, i) for i in range(n["tables"])]
        + [(log_group, i) for i in range(n["log_groups"])]
        + [(key, i) for i in range(n["keys"])]
        + [(bucket, i) for i in range(n["buckets"])]
        + [(secret, i) for i in range(n["secrets"])]
        + [(cluster, c) for c in range(n["ecs_clusters"])]
        + [(task_definition, i) for i in range(n["ecs_services"])]
    )
    timings["resources_s"] = time.monotonic() - t
    t = time.monotonic()
    run([(service, i) for i in range(n["ecs_services"])])
    timings["ecs_services_s"] = time.monotonic() - t
    return {"counts": n, **{k: round(v, 2) for k, v in timings.items()}}


def load(name: str) -> dict:
    path = Path(name)
    if not path.exists():
        path = SCENARIOS / f"{name}.toml"
    with path.open("rb") as f:
        return tomllib.load(f)


def seed_organization(acct: Account, names: list[str], close: list[str]) -> dict[str, str]:
    """An AWS Organization whose management account is `acct`, with a member account per name
    (moto gives each a random id), and the accounts in `close` closed (SUSPENDED). Returns
    name -> account id."""
    org = acct.client("organizations", "us-east-1")
    org.create_organization(FeatureSet="ALL")
    ids = {}
    for name in names:
        status = org.create_account(Email=f"{name}@example.invalid", AccountName=name)["CreateAccountStatus"]
        ids[name] = status["AccountId"]
    for name in close:
        org.close_account(AccountId=ids[name])
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--account", default="123456789012")
    parser.add_argument("--region", default="eu-west-1", help="region of --large resources")
    parser.add_argument(
        "--large",
        help="generate a large account as well: tables=N,log_groups=N,keys=N,"
        "buckets=N,secrets=N,ecs_clusters=N,ecs_services=N",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--organization",
        help="make --account an organisation's management account with "
        "these member accounts (comma-separated names); prints their ids",
    )
    parser.add_argument("--close", default="", help="member accounts (names) to close, with --organization")
    parser.add_argument("scenario", nargs="*", help="scenario names (mocks/emulator/scenarios/NAME.toml) or paths")
    args = parser.parse_args()

    acct = Account(args.endpoint, args.account)
    timings = {}
    t = time.monotonic()
    for name in args.scenario:
        apply(acct, load(name))
    timings["scenarios_s"] = round(time.monotonic() - t, 2)
    large = apply_large(acct, args.large, args.region, args.workers) if args.large else None
    organization = None
    if args.organization:
        organization = seed_organization(acct, args.organization.split(","), [c for c in args.close.split(",") if c])
    print(
        json.dumps(
            {
                "account": args.account,
                "scenarios": args.scenario,
                "large": large,
                "organization": organization,
                **timings,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
