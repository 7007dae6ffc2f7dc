"""Tests of the emulator front, against a real moto behind it.

Run: mocks/.venv/bin/python -m unittest discover -s mocks/emulator/tests
"""

import http.client
import json
import subprocess
import sys
import threading
import time
import unittest
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import boto3
import botocore.config
import botocore.exceptions
import cbor2

# mocks/emulator/: front.py, imported, and emulator.py, run.
EMULATOR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(EMULATOR))
import front

AUTH = "AWS4-HMAC-SHA256 Credential={key}/20260101/eu-west-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# One request per protocol family, as the Rust SDK sends it: method, path, body, headers, signing name.
REQUESTS = {
    "json": (
        "POST",
        "/",
        b"{}",
        {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"},
        "dynamodb",
    ),
    "query": ("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15", FORM, "sts"),
    "ec2": ("POST", "/", b"Action=DescribeVpcs&Version=2016-11-15", FORM, "ec2"),
    "s3": ("GET", "/?x-id=ListBuckets", b"", {}, "s3"),
    "cbor": (
        "POST",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        cbor2.dumps({}),
        {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"},
        "monitoring",
    ),
}
# The operation each of them is, as a rule names it.
OPERATIONS = {
    "json": "ListTables",
    "query": "GetCallerIdentity",
    "ec2": "DescribeVpcs",
    "s3": "ListBuckets",
    "cbor": "DescribeAlarms",
}


def start_emulator(*args):
    proc = subprocess.Popen(
        [sys.executable, str(EMULATOR / "emulator.py"), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready, endpoint = proc.stdout.readline().split()
    assert ready == "READY"
    return proc, endpoint


def stop_emulator(proc):
    proc.stdin.close()
    proc.wait(timeout=10)
    proc.stdout.close()


def setUpModule():
    global PROC, ENDPOINT, HOST
    PROC, ENDPOINT = start_emulator()
    HOST = ENDPOINT.removeprefix("http://")


def tearDownModule():
    stop_emulator(PROC)


def request(method, path, body=b"", headers=None, host=None, timeout=10):
    """One request on a connection of its own; (status, lower-cased headers, body)."""
    conn = http.client.HTTPConnection(host or HOST, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def aws(protocol, key="test", body=None, host=None, timeout=10):
    method, path, default_body, headers, service = REQUESTS[protocol]
    headers = dict(headers, Authorization=AUTH.format(key=key, service=service))
    return request(method, path, default_body if body is None else body, headers, host, timeout)


def control(method, path, data=None, host=None):
    body = data if isinstance(data, (bytes, str)) or data is None else json.dumps(data)
    status, _, answer = request(method, path, body or b"", host=host)
    return status, answer


def set_faults(**config):
    status, answer = control("POST", "/front-api/faults", config)
    assert status == 200 and json.loads(answer) == {}, answer
    return answer


def client(service, key="test", secret="test", token=None):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="eu-west-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )


class FrontTest(unittest.TestCase):
    def cbor_call(self, operation, request_body):
        """A CloudWatch call as aws-sdk-cloudwatch sends it: Smithy RPCv2-CBOR."""
        return request(
            "POST",
            f"/service/GraniteServiceVersion20100801/operation/{operation}",
            cbor2.dumps(request_body),
            {
                "smithy-protocol": "rpc-v2-cbor",
                "Content-Type": "application/cbor",
                "Accept": "application/cbor",
                "Authorization": AUTH.format(key="test", service="monitoring"),
            },
        )

    def test_cloudwatch_cbor_round_trip_with_tagged_timestamps(self):
        client("cloudwatch").put_metric_alarm(
            AlarmName="cpu-high",
            MetricName="CPUUtilization",
            Namespace="AWS/ECS",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=2,
            Threshold=80,
            ComparisonOperator="GreaterThanThreshold",
        )
        status, headers, body = self.cbor_call("DescribeAlarms", {"AlarmNames": ["cpu-high"]})
        self.assertEqual(status, 200)
        self.assertEqual(headers["smithy-protocol"], "rpc-v2-cbor")
        self.assertEqual(headers["content-type"], "application/cbor")
        # Timestamps travel as CBOR tag 1 (epoch seconds), as the Rust SDK expects: the raw
        # encoding holds 0xc1 (major type 6, tag 1) and cbor2 decodes that tag to a datetime.
        self.assertIn(b"\xc1", body)
        answer = cbor2.loads(body)
        alarm = answer["MetricAlarms"][0]
        self.assertEqual(alarm["AlarmName"], "cpu-high")
        self.assertIsInstance(alarm["Threshold"], float)
        self.assertIsInstance(alarm["StateUpdatedTimestamp"], datetime)

    def test_describe_alarms_returns_composite_alarms_only_when_asked_as_aws_does(self):
        answer = {"MetricAlarms": [{"AlarmName": "child"}], "CompositeAlarms": [{"AlarmName": "parent"}]}
        self.assertEqual(front.filter_alarm_types(answer, None), {"MetricAlarms": [{"AlarmName": "child"}]})
        self.assertEqual(
            front.filter_alarm_types(answer, ["CompositeAlarm"]), {"CompositeAlarms": [{"AlarmName": "parent"}]}
        )
        self.assertEqual(front.filter_alarm_types(answer, ["MetricAlarm", "CompositeAlarm"]), answer)
        status, _, body = self.cbor_call("DescribeAlarms", {})
        self.assertEqual(status, 200)
        self.assertNotIn("CompositeAlarms", cbor2.loads(body))

    def test_record_names_come_back_escaped_as_route53_escapes_them(self):
        self.assertEqual(
            front.escape_record_names(b"<Name>*.shop.example.</Name><Name>a_b-c.example.</Name>"),
            b"<Name>\\052.shop.example.</Name><Name>a_b-c.example.</Name>",
        )
        r53 = client("route53")
        zone = r53.create_hosted_zone(Name="escape.example", CallerReference="escape")["HostedZone"]["Id"]
        r53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "CREATE",
                        "ResourceRecordSet": {
                            "Name": "*.escape.example",
                            "Type": "A",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": "192.0.2.1"}],
                        },
                    }
                ]
            },
        )
        names = [r["Name"] for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]]
        self.assertIn("\\052.escape.example.", names)

    def test_list_global_tables_answers_an_account_without_legacy_global_tables(self):
        self.assertEqual(client("dynamodb").list_global_tables(RegionName="eu-west-1")["GlobalTables"], [])

    def test_cloudwatch_cbor_errors_carry_the_code(self):
        status, _, body = self.cbor_call("GetDashboard", {"DashboardName": "missing"})
        self.assertGreaterEqual(status, 400)
        error = cbor2.loads(body)
        self.assertIn("ResourceNotFound", error["__type"])

    def test_s3_versioning_answers_with_the_documented_root_element(self):
        s3 = client("s3")
        s3.create_bucket(Bucket="front-test-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_bucket_versioning(Bucket="front-test-bucket", VersioningConfiguration={"Status": "Enabled"})
        signed = {"Authorization": AUTH.format(key="test", service="s3")}
        _, _, body = request("GET", "/front-test-bucket?versioning", headers=signed)
        self.assertIn(b"<VersioningConfiguration", body)
        self.assertIn(b"<Status>Enabled</Status>", body)
        self.assertNotIn(b"GetBucketVersioningResponse", body)
        self.assertEqual(s3.get_bucket_versioning(Bucket="front-test-bucket")["Status"], "Enabled")

    def test_everything_else_passes_through(self):
        ddb = client("dynamodb")
        ddb.create_table(
            TableName="front-passthrough",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.assertIn("front-passthrough", ddb.list_tables()["TableNames"])
        self.assertEqual(request("GET", "/moto-api/data.json")[0], 200)

    def test_moto_sees_the_request_its_own_server_would_give_it(self):
        # moto's request handler keeps S3 metadata headers with underscores, which werkzeug's
        # drops: the in-process call builds the environ with that handler.
        s3 = client("s3")
        s3.create_bucket(Bucket="front-environ", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_object(Bucket="front-environ", Key="a b/c+d.txt", Body=b"x", Metadata={"my_key": "v"})
        head = s3.head_object(Bucket="front-environ", Key="a b/c+d.txt")
        self.assertEqual(head["Metadata"], {"my_key": "v"})
        self.assertEqual(head["ContentLength"], 1)

    def test_an_action_moto_lacks_answers_as_its_own_server_does(self):
        # An exception moto lets out is werkzeug's HTML 500 page, as moto's server answered it:
        # the scanner's tests read that as a body that is not a service error.
        status, _, body = request(
            "GET",
            "/backup/plans/front-missing/selections/",
            headers={"Authorization": AUTH.format(key="test", service="backup")},
        )
        self.assertEqual(status, 500)
        self.assertTrue(body.lower().startswith(b"<!doctype html>"), body[:80])


def xml_error(body):
    """(root tag, Code, Type) of an XML error document; None where absent."""
    root = ElementTree.fromstring(body)
    return root.tag, root.findtext(".//Code"), root.findtext(".//Type")


class FaultTest(unittest.TestCase):
    def tearDown(self):
        set_faults(rules=[])
        control("POST", "/front-api/latency", {"ms": 0})

    def fault_everything(self, kind, **config):
        set_faults(rules=[{"service": "*", "kind": kind}], **config)

    def test_errors_answer_as_each_protocol_does_on_aws(self):
        # kind -> protocol -> (status, code); code None: the error names no code.
        expected = {
            "throttle": {
                "json": (400, "ThrottlingException"),
                "query": (400, "Throttling"),
                "ec2": (503, "RequestLimitExceeded"),
                "s3": (503, "SlowDown"),
                "cbor": (400, "ThrottlingException"),
            },
            "429": {p: (429, None) for p in REQUESTS},
            "500": {
                "json": (500, "InternalFailure"),
                "query": (500, "InternalFailure"),
                "ec2": (500, "InternalError"),
                "s3": (500, "InternalError"),
                "cbor": (500, "InternalFailure"),
            },
            "503": {
                "json": (503, "ServiceUnavailable"),
                "query": (503, "ServiceUnavailable"),
                "ec2": (503, "Unavailable"),
                "s3": (503, "ServiceUnavailable"),
                "cbor": (503, "ServiceUnavailable"),
            },
        }
        roots = {"query": "ErrorResponse", "ec2": "Response", "s3": "Error"}
        for kind, by_protocol in expected.items():
            self.fault_everything(kind)
            for protocol, (status, code) in by_protocol.items():
                with self.subTest(kind=kind, protocol=protocol):
                    got_status, headers, body = aws(protocol)
                    self.assertEqual(got_status, status)
                    if protocol == "json":
                        self.assertEqual(headers["content-type"], "application/x-amz-json-1.0")
                        error = json.loads(body)
                        self.assertEqual(error, {"__type": code, "message": error["message"]} if code else {})
                        self.assertEqual(headers.get("x-amzn-errortype"), code)
                    elif protocol == "cbor":
                        self.assertEqual(headers["smithy-protocol"], "rpc-v2-cbor")
                        self.assertEqual(headers["content-type"], "application/cbor")
                        self.assertEqual(cbor2.loads(body).get("__type"), code)
                    else:
                        root, got_code, side = xml_error(body)
                        self.assertEqual((root, got_code), (roots[protocol], code))
                        if protocol == "query" and code:
                            self.assertEqual(side, "Sender" if status < 500 else "Receiver")

    def test_real_clients_read_the_faults_as_aws_errors(self):
        set_faults(
            rules=[{"service": s, "kind": "throttle"} for s in ("dynamodb", "sts", "ec2", "s3", "monitoring", "lambda")]
        )
        calls = {
            ("dynamodb", "list_tables"): (400, "ThrottlingException"),
            ("sts", "get_caller_identity"): (400, "Throttling"),
            ("ec2", "describe_vpcs"): (503, "RequestLimitExceeded"),
            ("s3", "list_buckets"): (503, "SlowDown"),
            ("cloudwatch", "describe_alarms"): (400, "ThrottlingException"),
            ("lambda", "list_functions"): (429, "TooManyRequestsException"),
        }
        for (service, operation), (status, code) in calls.items():
            with self.subTest(service=service):
                with self.assertRaises(botocore.exceptions.ClientError) as caught:
                    getattr(client(service), operation)()
                self.assertEqual(caught.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
                self.assertEqual(caught.exception.response["Error"]["Code"], code)

    def test_malformed_is_a_200_whose_body_breaks_off(self):
        self.fault_everything("malformed")
        content_types = {"json": "application/x-amz-json-1.0", "cbor": "application/cbor"}
        for protocol in REQUESTS:
            with self.subTest(protocol=protocol):
                status, headers, body = aws(protocol)
                self.assertEqual(status, 200)
                self.assertIn(content_types.get(protocol, "xml"), headers["content-type"])
                parse = {"json": json.loads, "cbor": cbor2.loads}.get(protocol, ElementTree.fromstring)
                with self.assertRaises((ValueError, cbor2.CBORDecodeError, ElementTree.ParseError)):
                    parse(body)

    def test_drop_closes_the_connection_without_an_answer(self):
        self.fault_everything("drop")
        for protocol in REQUESTS:
            with self.subTest(protocol=protocol), self.assertRaises(http.client.RemoteDisconnected):
                aws(protocol)

    def test_hang_holds_the_call_then_closes_it_and_blocks_no_one_else(self):
        rules = [{"service": REQUESTS[p][4], "operation": OPERATIONS[p], "kind": "hang"} for p in REQUESTS]
        set_faults(rules=rules, hang_seconds=1)
        outcomes = {}

        def hang(protocol):
            began = time.monotonic()
            try:
                aws(protocol)
                outcomes[protocol] = "answered"
            except http.client.RemoteDisconnected:
                outcomes[protocol] = time.monotonic() - began

        threads = [threading.Thread(target=hang, args=(p,)) for p in REQUESTS]
        for t in threads:
            t.start()
        time.sleep(0.2)
        began = time.monotonic()
        client("kms").list_keys()  # no rule for it: answered while the others hang
        self.assertLess(time.monotonic() - began, 0.7)
        for t in threads:
            t.join()
        for protocol in REQUESTS:
            self.assertIsInstance(outcomes[protocol], float, protocol)
            self.assertGreaterEqual(outcomes[protocol], 0.9, protocol)

    def test_the_first_matching_rule_decides(self):
        set_faults(
            rules=[{"service": "kms", "operation": "ListKeys", "kind": "500"}, {"service": "kms", "kind": "throttle"}]
        )
        for operation, code in (("list_keys", "InternalFailure"), ("list_aliases", "ThrottlingException")):
            with self.assertRaises(botocore.exceptions.ClientError) as caught:
                getattr(client("kms"), operation)()
            self.assertEqual(caught.exception.response["Error"]["Code"], code)
        client("dynamodb").list_tables()

    def assumed(self, account, service):
        """A client with keys from an AssumeRole through the front, as the tests scan an account."""
        role = f"arn:aws:iam::{account}:role/prodready-audit"
        credentials = client("sts").assume_role(RoleArn=role, RoleSessionName="faults")["Credentials"]
        return client(service, credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])

    def test_a_call_is_in_the_account_whose_role_handed_out_its_keys(self):
        account = "210000000005"
        assumed = self.assumed(account, "dynamodb")
        set_faults(rules=[{"account": account, "service": "dynamodb", "kind": "throttle"}])
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            assumed.list_tables()
        self.assertEqual(caught.exception.response["Error"]["Code"], "ThrottlingException")
        client("dynamodb", "another-key").list_tables()
        _, answer = control("GET", "/front-api/faults")
        report = json.loads(answer)
        self.assertEqual(
            report["injected"],
            [{"account": account, "service": "dynamodb", "operation": "ListTables", "kind": "throttle", "count": 1}],
        )
        self.assertEqual(report["requests"], {account: 1, "unknown": 1})
        self.assertEqual(
            report["rules"],
            [
                {
                    "account": account,
                    "service": "dynamodb",
                    "operation": "*",
                    "kind": "throttle",
                    "share": 1.0,
                    "region": "*",
                }
            ],
        )
        # A rule for one region leaves the others alone.
        self.assertEqual(
            control(
                "POST", "/front-api/faults", {"rules": [{"account": account, "region": "eu-west-3", "kind": "500"}]}
            ),
            (200, b"{}"),
        )
        creds = assumed._request_signer._credentials
        for region, faulted in (("eu-west-3", True), ("eu-west-1", False)):
            regional = boto3.client(
                "dynamodb",
                endpoint_url=ENDPOINT,
                region_name=region,
                aws_access_key_id=creds.access_key,
                aws_secret_access_key=creds.secret_key,
                aws_session_token=creds.token,
                config=botocore.config.Config(retries={"total_max_attempts": 1}),
            )
            if faulted:
                with self.assertRaises(botocore.exceptions.ClientError):
                    regional.list_tables()
            else:
                regional.list_tables()

    def test_latency_can_be_set_per_account(self):
        account = "210000000006"
        assumed = self.assumed(account, "dynamodb")
        self.assertEqual(control("POST", "/front-api/latency", {"ms": 400, "account": account}), (200, b"{}"))
        began = time.monotonic()
        assumed.describe_limits()
        self.assertGreaterEqual(time.monotonic() - began, 0.4)
        began = time.monotonic()
        client("dynamodb").describe_limits()
        self.assertLess(time.monotonic() - began, 0.4)
        self.assertEqual(json.loads(control("GET", "/front-api/latency")[1]), {"ms": 0.0, "accounts": {account: 400.0}})
        control("POST", "/front-api/latency", {"ms": 0, "account": account})

    def faulted(self, body=b"{}"):
        return aws("json", body=body)[0] != 200

    def test_a_retried_request_is_faulted_at_most_max_consecutive_times_in_a_row(self):
        for max_consecutive in (1, 2, 3):
            set_faults(
                rules=[{"service": "dynamodb", "kind": "throttle", "share": 0.9}],
                seed=3,
                max_consecutive=max_consecutive,
            )
            outcomes = [self.faulted() for _ in range(12)]
            longest = max(len(run) for run in "".join("x" if f else "." for f in outcomes).split("."))
            self.assertEqual(longest, max_consecutive, outcomes)

    def test_share_one_faults_every_time(self):
        set_faults(rules=[{"service": "dynamodb", "kind": "throttle"}], max_consecutive=1)
        self.assertTrue(all(self.faulted() for _ in range(5)))

    def test_a_rate_quota_throttles_what_goes_beyond_it_and_refills(self):
        set_faults(rules=[{"service": "dynamodb", "operation": "ListTables", "kind": "throttle", "rate": 5}])
        burst = [self.faulted() for _ in range(10)]
        # One second's worth (5) goes through at once; the rest of a quick burst is mostly over
        # the quota (the burst's own duration refills a little).
        self.assertFalse(any(burst[:5]), burst)
        self.assertGreaterEqual(burst.count(True), 3, burst)
        time.sleep(1.0)
        self.assertFalse(any(self.faulted() for _ in range(3)))
        status, body = control(
            "POST", "/front-api/faults", {"rules": [{"service": "dynamodb", "kind": "throttle", "rate": 0}]}
        )
        self.assertEqual(status, 400, body)
        self.assertIn(b"rate", body)

    def test_the_same_seed_faults_the_same_requests_whatever_their_order(self):
        bodies = [json.dumps({"Limit": n}).encode() for n in range(1, 21)]

        def run(seed, order):
            set_faults(rules=[{"service": "dynamodb", "kind": "503", "share": 0.5}], seed=seed)
            return {body: self.faulted(body) for body in order}

        first = run(7, bodies)
        self.assertEqual(run(7, list(reversed(bodies))), first)
        self.assertIn(True, first.values())
        self.assertIn(False, first.values())
        self.assertNotEqual(run(8, bodies), first)

    def test_the_control_apis_are_never_faulted(self):
        self.fault_everything("drop")
        self.assertEqual(control("GET", "/front-api/faults")[0], 200)
        self.assertEqual(request("GET", "/moto-api/data.json")[0], 200)

    def test_the_control_api_rejects_what_it_cannot_read(self):
        bad = {
            b"not json": "Expecting value",
            b"[]": "expected a JSON object",
            b"{}": "rules: expected a list",
            b'{"rules": [{"kind": "slow"}]}': "rules[0].kind: expected one of",
            b'{"rules": [{"kind": "500", "share": 1.5}]}': "rules[0].share",
            b'{"rules": [{"kind": "500", "acount": "1"}]}': "rules[0]: unknown field 'acount'",
            b'{"rules": [], "max_consecutive": 0}': "max_consecutive",
            b'{"rules": [], "seed": "7"}': "seed",
        }
        for body, reason in bad.items():
            with self.subTest(body=body):
                status, answer = control("POST", "/front-api/faults", body)
                self.assertEqual(status, 400)
                self.assertIn(reason, answer.decode())
                self.assertNotIn("\n", answer.decode())
        self.assertEqual(control("POST", "/front-api/latency", {"ms": -1})[0], 400)
        self.assertEqual(control("GET", "/front-api/nothing")[0], 404)
        self.assertEqual(control("DELETE", "/front-api/faults")[0], 405)
        # A rejected body leaves the rules in force as they were.
        self.assertEqual(json.loads(control("GET", "/front-api/faults")[1])["rules"], [])


class StartupFaultTest(unittest.TestCase):
    def test_fault_flags_reach_the_front(self):
        flags = [
            "--fault",
            "dynamodb:ListTables=500",
            "--fault",
            "*=hang@0.05",
            "--fault-seed",
            "9",
            "--hang-seconds",
            "2",
        ]
        proc, endpoint = start_emulator(*flags)
        try:
            host = endpoint.removeprefix("http://")
            report = json.loads(control("GET", "/front-api/faults", host=host)[1])
            self.assertEqual(
                report["rules"],
                [
                    {
                        "account": None,
                        "service": "dynamodb",
                        "operation": "ListTables",
                        "kind": "500",
                        "share": 1.0,
                        "region": "*",
                    },
                    {"account": None, "service": "*", "operation": "*", "kind": "hang", "share": 0.05, "region": "*"},
                ],
            )
            self.assertEqual((report["seed"], report["max_consecutive"], report["hang_seconds"]), (9, 2, 2.0))
            self.assertEqual(aws("json", host=host)[0], 500)
        finally:
            stop_emulator(proc)
        # A bad spec stops the emulator before moto starts, with argparse's status.
        bad = subprocess.run(
            [sys.executable, str(EMULATOR / "emulator.py"), "--fault", "dynamodb"],
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(bad.returncode, 2)
        self.assertIn("expected SERVICE[:OPERATION]=KIND[@SHARE]", bad.stderr)


class RequestNamingTest(unittest.TestCase):
    """How the front names a request, without a server."""

    def test_rest_operations_are_found_by_method_and_path(self):
        for service, method, path, operation in [
            ("s3", "GET", "/", "ListBuckets"),
            ("s3", "GET", "/?x-id=ListBuckets", "ListBuckets"),
            ("s3", "GET", "/bucket?versioning", "GetBucketVersioning"),
            ("s3", "GET", "/bucket?list-type=2", "ListObjectsV2"),
            ("s3", "HEAD", "/bucket", "HeadBucket"),
            ("lambda", "GET", "/2015-03-31/functions/", "ListFunctions"),
            ("lambda", "GET", "/2015-03-31/functions/f/configuration", "GetFunctionConfiguration"),
            ("route53", "GET", "/2013-04-01/hostedzone/Z1/rrset", "ListResourceRecordSets"),
            ("cloudfront", "GET", "/2020-05-31/distribution", "ListDistributions"),
            ("guardduty", "GET", "/detector", "ListDetectors"),
            ("backup", "GET", "/backup-vaults/", "ListBackupVaults"),
            ("nothing-such", "GET", "/", ""),
        ]:
            self.assertEqual(front.MODELS.rest_operation(service, method, path), operation, (service, path))

    def test_fault_specs(self):
        self.assertEqual(
            front.parse_fault_spec("dynamodb=throttle@0.3"), front.Rule("throttle", None, "dynamodb", "*", 0.3)
        )
        self.assertEqual(front.parse_fault_spec("kms:ListKeys=500"), front.Rule("500", None, "kms", "ListKeys", 1.0))
        self.assertEqual(front.parse_fault_spec("*=hang@0.05"), front.Rule("hang", None, "*", "*", 0.05))
        for spec in ("dynamodb", "=500", "kms=slow", "kms=500@2", "kms=500@x"):
            with self.assertRaises(ValueError):
                front.parse_fault_spec(spec)


if __name__ == "__main__":
    unittest.main()
