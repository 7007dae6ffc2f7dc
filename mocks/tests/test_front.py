"""Tests of the emulator front, against a real moto behind it.

Run: mocks/.venv/bin/python -m unittest discover -s mocks/tests
"""

import http.client
import subprocess
import sys
import unittest
from datetime import datetime
from pathlib import Path

import boto3
import cbor2

MOCKS = Path(__file__).resolve().parent.parent
AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/{service}/aws4_request, SignedHeaders=host, Signature=0"


class FrontTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc = subprocess.Popen(
            [sys.executable, str(MOCKS / "emulator.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        ready, cls.endpoint = cls.proc.stdout.readline().split()
        assert ready == "READY"
        cls.host = cls.endpoint.removeprefix("http://")

    @classmethod
    def tearDownClass(cls):
        cls.proc.stdin.close()
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()

    def client(self, service):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test"
        )

    def cbor_call(self, operation, request):
        """A CloudWatch call as aws-sdk-cloudwatch sends it: Smithy RPCv2-CBOR."""
        conn = http.client.HTTPConnection(self.host)
        conn.request(
            "POST",
            f"/service/GraniteServiceVersion20100801/operation/{operation}",
            body=cbor2.dumps(request),
            headers={
                "smithy-protocol": "rpc-v2-cbor",
                "Content-Type": "application/cbor",
                "Accept": "application/cbor",
                "Authorization": AUTH.format(service="monitoring"),
            },
        )
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp, body

    def test_cloudwatch_cbor_round_trip_with_tagged_timestamps(self):
        self.client("cloudwatch").put_metric_alarm(
            AlarmName="cpu-high",
            MetricName="CPUUtilization",
            Namespace="AWS/ECS",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=2,
            Threshold=80,
            ComparisonOperator="GreaterThanThreshold",
        )
        resp, body = self.cbor_call("DescribeAlarms", {"AlarmNames": ["cpu-high"]})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("smithy-protocol"), "rpc-v2-cbor")
        self.assertEqual(resp.getheader("Content-Type"), "application/cbor")
        # Timestamps travel as CBOR tag 1 (epoch seconds), as the Rust SDK expects: the raw
        # encoding holds 0xc1 (major type 6, tag 1) and cbor2 decodes that tag to a datetime.
        self.assertIn(b"\xc1", body)
        answer = cbor2.loads(body)
        alarm = answer["MetricAlarms"][0]
        self.assertEqual(alarm["AlarmName"], "cpu-high")
        self.assertIsInstance(alarm["Threshold"], float)
        self.assertIsInstance(alarm["StateUpdatedTimestamp"], datetime)

    def test_cloudwatch_cbor_errors_carry_the_code(self):
        resp, body = self.cbor_call("GetDashboard", {"DashboardName": "missing"})
        self.assertGreaterEqual(resp.status, 400)
        error = cbor2.loads(body)
        self.assertIn("ResourceNotFound", error["__type"])

    def test_s3_versioning_answers_with_the_documented_root_element(self):
        s3 = self.client("s3")
        s3.create_bucket(Bucket="front-test-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_bucket_versioning(Bucket="front-test-bucket", VersioningConfiguration={"Status": "Enabled"})
        conn = http.client.HTTPConnection(self.host)
        conn.request("GET", "/front-test-bucket?versioning", headers={"Authorization": AUTH.format(service="s3")})
        body = conn.getresponse().read()
        conn.close()
        self.assertIn(b"<VersioningConfiguration", body)
        self.assertIn(b"<Status>Enabled</Status>", body)
        self.assertNotIn(b"GetBucketVersioningResponse", body)
        self.assertEqual(s3.get_bucket_versioning(Bucket="front-test-bucket")["Status"], "Enabled")

    def test_everything_else_passes_through(self):
        ddb = self.client("dynamodb")
        ddb.create_table(
            TableName="front-passthrough",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.assertIn("front-passthrough", ddb.list_tables()["TableNames"])
        conn = http.client.HTTPConnection(self.host)
        conn.request("GET", "/moto-api/data.json")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()


if __name__ == "__main__":
    unittest.main()
