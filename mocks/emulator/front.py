"""The emulator front: the HTTP server in front of moto (which it calls in-process, see `Moto`).
It adapts the few answers where the AWS SDK for Rust and moto disagree on the wire, and injects
the faults real AWS produces now and then, so the tests can prove the scanner survives them.
Real AWS needs none of this, and the scanner never knows the front exists: it only sees an
endpoint URL.

What it adapts (each measured with the real crates; see docs/architecture.md):
- CloudWatch: aws-sdk-cloudwatch speaks only Smithy RPCv2-CBOR
  (`POST /service/GraniteServiceVersion20100801/operation/<Op>`), which moto does not serve.
  The front decodes the CBOR request, calls moto's awsJson1_0 API with the same operation and
  signature headers, and encodes moto's answer back as CBOR, timestamps as CBOR tag 1 (found
  from botocore's model of the operation's output, so no field list is kept by hand).
- S3 GetBucketVersioning: moto 5.2 answers with the root element `GetBucketVersioningResponse`
  instead of `VersioningConfiguration`, which the Rust XML parser rejects.
What it reproduces of AWS's documented behaviour where moto 5.2.5 differs (each named here, and
each a case the scanner depends on):
- CloudWatch DescribeAlarms: without `AlarmTypes` AWS returns metric alarms only, even when
  composite alarms exist; moto returns both whatever is asked. The front filters moto's answer
  by `AlarmTypes` as AWS does. (moto 5.2.5 cannot store a composite alarm through the API:
  PutCompositeAlarm is not implemented, so composite alarms are judged on built inventories.)
- Route 53 ListResourceRecordSets: AWS escapes every character of a name but a-z, 0-9, `-`,
  `_` and `.` as `\\NNN` (octal), so a wildcard record reads `\\052.example.com`; moto
  returns `*.example.com`. The front escapes the names as AWS does.
- DynamoDB ListGlobalTables (global tables version 2017.11.29) is not implemented by moto (500).
  moto cannot create such tables either, so the front answers what AWS answers for an account
  without any: an empty list.
Everything else, including moto's control API (`/moto-api/...`), passes through untouched.

Faults: moto always answers at once and always right, so the scanner's retry and
error paths would never run. Rules (set at startup with `--fault`, or at any time through the
front's own control API, `/front-api/faults`) name an account, a service (the SigV4 signing
name), an operation and a kind: `throttle`, `429`, `500`, `503` (each as the service's
protocol answers it on AWS), `hang`, `drop` (no answer at all) or `malformed` (a 200 with a
truncated body). A faulted request never reaches moto. The front learns which account a call
is in by watching STS AssumeRole answers go by (access key id -> account), as the tests scan
each account through an assumed role. Choices are deterministic for a seed, and a request
repeated (a retry) is faulted at most `max_consecutive` times in a row unless its rule's
share is 1, so a client that retries enough always gets through and tests are not flaky.
The control APIs (`/front-api/...`, `/moto-api/...`) are never faulted.
A rule with a `rate` is a quota instead, as AWS's API rate quotas are: requests beyond `rate`
per second (per account, service and operation: a token bucket holding one second's worth)
get the rule's kind, whatever the share, so a client is throttled by how fast it calls.

It can also add latency to every call (`--latency-ms`, or per account through
`/front-api/latency`), to make the emulator answer as slowly as real AWS does.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import math
import random
import re
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
import cbor2
from werkzeug.exceptions import InternalServerError
from werkzeug.test import run_wsgi_app

CBOR_PATH = re.compile(r"^/service/(?P<service>[A-Za-z0-9]+)/operation/(?P<operation>[A-Za-z0-9]+)$")
# Headers that describe the hop, not the request: never forwarded.
HOP_HEADERS = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "content-length",
}
# The SigV4 credential scope: access key id, date, region, signing name.
CREDENTIAL = re.compile(r"Credential=(?P<key>[^/,\s]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")
# Signing names whose botocore model is named otherwise; the rest are named alike.
MODEL_NAMES = {
    "monitoring": "cloudwatch",
    "elasticloadbalancing": "elbv2",
    "tagging": "resourcegroupstaggingapi",
    "es": "opensearch",
    "states": "stepfunctions",
    "execute-api": "apigateway",
    "mobiletargeting": "pinpoint",
}
KINDS = ("throttle", "429", "500", "503", "hang", "drop", "malformed")
# STS answers that hand out credentials: the key id, and the assumed role's account.
ACCESS_KEY_ID = re.compile(rb"<AccessKeyId>\s*([^<\s]+)\s*</AccessKeyId>|\"AccessKeyId\"\s*:\s*\"([^\"]+)\"")
ASSUMED_ROLE = re.compile(rb"arn:aws[a-z-]*:sts::(\d{12}):assumed-role/")


class Models:
    """botocore's service models: by RPCv2 service name for CBOR, by signing name for faults."""

    def __init__(self) -> None:
        self._session = botocore.session.get_session()
        self._by_target: dict[str, object] = {}
        self._by_signing: dict[str, object] = {}
        self._routes: dict[str, list] = {}
        self._lock = threading.Lock()

    def operation(self, target_prefix: str, operation: str):
        with self._lock:
            if target_prefix not in self._by_target:
                for name in ("cloudwatch",):
                    model = self._session.get_service_model(name)
                    if model.metadata.get("targetPrefix") == target_prefix:
                        self._by_target[target_prefix] = model
            model = self._by_target.get(target_prefix)
        return model.operation_model(operation) if model else None

    def service(self, signing_name: str):
        """The model of the service a request was signed for; None if botocore has none."""
        with self._lock:
            if signing_name not in self._by_signing:
                try:
                    model = self._session.get_service_model(MODEL_NAMES.get(signing_name, signing_name))
                except Exception:  # noqa: BLE001 -- an unknown name, or a model botocore cannot load
                    model = None
                self._by_signing[signing_name] = model
            return self._by_signing[signing_name]

    def rest_operation(self, signing_name: str, method: str, path: str) -> str:
        """Best effort: the operation whose `http.method` and `http.requestUri` fit the request.
        A literal query key in the URI (`?versioning`) must be present; among the fits, the one
        with most such keys, then most literal path characters, wins."""
        model = self.service(signing_name)
        if model is None:
            return ""
        with self._lock:
            routes = self._routes.get(signing_name)
            if routes is None:
                routes = [route(model.operation_model(op).http, op) for op in model.operation_names]
                self._routes[signing_name] = routes
        parts = urlsplit(path)
        query = parse_qs(parts.query, keep_blank_values=True)
        request_path = trim_slash(parts.path)
        best, best_score = "", None
        for http_method, pattern, required, literal, name in routes:
            if http_method != method or not pattern.match(request_path):
                continue
            if not all(k in query and (v is None or v in query[k]) for k, v in required):
                continue
            score = (len(required), literal)
            if best_score is None or score > best_score:
                best, best_score = name, score
        return best


def trim_slash(path: str) -> str:
    # `/2015-03-31/functions/` and `/2015-03-31/functions` are the same route to a client.
    return path.rstrip("/") or "/"


def route(http: dict, name: str):
    """An operation's `requestUri` as a pattern: `{Label}` is one path segment, `{Key+}` the rest."""
    uri_path, _, uri_query = http.get("requestUri", "/").partition("?")
    regex = ""
    for piece in re.split(r"(\{[^}]+\})", trim_slash(uri_path)):
        if piece.startswith("{"):
            regex += ".+" if piece.endswith("+}") else "[^/]+"
        else:
            regex += re.escape(piece)
    required = []
    for item in filter(None, uri_query.split("&")):
        key, eq, value = item.partition("=")
        required.append((key, value if eq else None))
    literal = len(re.sub(r"\{[^}]+\}", "", uri_path))
    return http.get("method", "GET"), re.compile(f"^{regex}$"), required, literal, name


MODELS = Models()


def to_cbor_value(value, shape):
    """Walks a JSON answer along its botocore shape; timestamps become CBOR tag 1."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "timestamp":
        if isinstance(value, str):
            value = datetime.fromisoformat(value).timestamp()
        return cbor2.CBORTag(1, value)
    if kind == "structure" and isinstance(value, dict):
        return {k: to_cbor_value(v, shape.members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [to_cbor_value(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: to_cbor_value(v, shape.value) for k, v in value.items()}
    if kind in ("double", "float") and isinstance(value, int):
        return float(value)
    return value


def from_cbor_value(value):
    """A CBOR request as JSON: tag-1 timestamps become epoch seconds, bytes become base64."""
    if isinstance(value, cbor2.CBORTag) and value.tag == 1:
        return value.value
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: from_cbor_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_cbor_value(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


class Accounts:
    """Access key id -> account id, learned from the STS answers that hand out the keys."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._lock = threading.Lock()

    def learn(self, answer: bytes) -> None:
        key, account = ACCESS_KEY_ID.search(answer), ASSUMED_ROLE.search(answer)
        if key and account:
            with self._lock:
                self._by_key[(key[1] or key[2]).decode()] = account[1].decode()

    def of(self, key_id: str) -> str | None:
        with self._lock:
            return self._by_key.get(key_id)


class Call:
    """What a request to AWS is, as far as faults care: signing name, operation, account."""

    def __init__(self, method: str, path: str, headers, body: bytes, accounts: Accounts) -> None:
        self.method, self.path, self.headers, self.body = method, path, headers, body
        scope = CREDENTIAL.search(headers.get("Authorization", "")) or CREDENTIAL.search(unquote(urlsplit(path).query))
        self.key_id = scope["key"] if scope else ""
        self.service = scope["service"] if scope else ""
        self.region = scope["region"] if scope else ""
        self.account = accounts.of(self.key_id)

    @cached_property
    def model(self):
        return MODELS.service(self.service) if self.service else None

    @cached_property
    def model_name(self) -> str:
        return self.model.service_name if self.model is not None else ""

    @cached_property
    def action(self) -> str:
        """The query protocol's `Action=`, from a form body or the query string."""
        form = ""
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = self.body.decode(errors="replace")
        for text in (form, urlsplit(self.path).query):
            action = parse_qs(text).get("Action")
            if action:
                return action[0]
        return ""

    @cached_property
    def operation(self) -> str:
        target = self.headers.get("X-Amz-Target")
        if target:
            return target.rsplit(".", 1)[-1]
        if self.action:
            return self.action
        cbor = CBOR_PATH.match(urlsplit(self.path).path)
        if cbor and self.method == "POST":
            return cbor["operation"]
        try:
            return MODELS.rest_operation(self.service, self.method, self.path) if self.service else ""
        except Exception:  # noqa: BLE001 -- a model botocore cannot route: the call stays unnamed
            return ""

    @cached_property
    def protocol(self) -> str:
        """The protocol the client spoke: the request says so for the RPC ones, the model for REST."""
        if self.headers.get("smithy-protocol", "").lower() == "rpc-v2-cbor":
            return "cbor"
        if self.headers.get("X-Amz-Target"):
            return "json"
        if self.action:
            return "ec2" if self.service == "ec2" else "query"
        protocol = self.model.metadata.get("protocol") if self.model is not None else None
        if protocol in ("rest-json", "rest-xml"):
            return protocol
        return "rest-xml" if "xml" in self.headers.get("Content-Type", "") else "rest-json"

    def key(self) -> str:
        """The same request, retried, has the same key: SigV4 dates and the SDK's invocation id
        live in headers, which the key leaves out."""
        digest = hashlib.sha256(self.body).hexdigest()
        return "|".join((self.account or "", self.service, self.operation, self.method, self.path, digest))


@dataclass(frozen=True)
class Rule:
    kind: str
    account: str | None = None
    service: str = "*"
    operation: str = "*"
    share: float = 1.0
    # The region the call is signed for: faults one region, as an unreachable one fails.
    region: str = "*"
    # Requests per second allowed before the fault applies (a rate quota); None: by share.
    rate: float | None = None

    FIELDS = ("account", "service", "operation", "kind", "share", "region", "rate")

    @classmethod
    def from_json(cls, data, where: str) -> Rule:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object")  # noqa: TRY004 -- bad input: a ValueError, answered 400
        unknown = sorted(set(data) - set(cls.FIELDS))
        if unknown:
            raise ValueError(f"{where}: unknown field {unknown[0]!r}")
        account = data.get("account")
        if account is not None and (not isinstance(account, str) or not account):
            raise ValueError(f"{where}.account: expected an account id string")
        for name in ("service", "operation", "region"):
            if not isinstance(data.get(name, "*"), str) or not data.get(name, "*"):
                raise ValueError(f"{where}.{name}: expected a non-empty string")
        return cls.checked(
            kind=str(data["kind"]) if "kind" in data and not isinstance(data["kind"], bool) else "",
            account=None if account == "*" else account,
            service=data.get("service", "*"),
            operation=data.get("operation", "*"),
            share=data.get("share", 1.0),
            where=f"{where}.",
            region=data.get("region", "*"),
            rate=data.get("rate"),
        )

    @classmethod
    def checked(
        cls, kind: str, account, service: str, operation: str, share, where: str, region: str = "*", rate=None
    ) -> Rule:
        if kind not in KINDS:
            raise ValueError(f"{where}kind: expected one of {', '.join(KINDS)}")
        if not number_in(share, 0, 1):
            raise ValueError(f"{where}share: expected a number from 0 to 1")
        if rate is not None and (not number_in(rate, 0, math.inf) or rate == 0):
            raise ValueError(f"{where}rate: expected a number of requests per second above 0")
        return cls(
            kind=kind,
            account=account,
            service=service,
            operation=operation,
            share=float(share),
            region=region,
            rate=None if rate is None else float(rate),
        )

    def matches(self, call: Call) -> bool:
        return (
            (self.account is None or self.account == call.account)
            and self.service in ("*", call.service, call.model_name)
            and self.operation in ("*", call.operation)
            and self.region in ("*", call.region)
        )

    def as_json(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS if name != "rate" or self.rate is not None}


def number_in(value, low: float, high: float) -> bool:
    """A JSON number from low to high; not a boolean (which Python counts as an int), nor NaN."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and low <= value <= high
    )


def parse_fault_spec(spec: str) -> Rule:
    """`SERVICE[:OPERATION]=KIND[@SHARE]`, e.g. `dynamodb=throttle@0.3`, `kms:ListKeys=500`."""
    target, eq, action = spec.partition("=")
    service, _, operation = target.partition(":")
    kind, at, share = action.partition("@")
    if not eq or not service:
        raise ValueError(f"{spec!r}: expected SERVICE[:OPERATION]=KIND[@SHARE]")
    try:
        share_value = float(share) if at else 1.0
    except ValueError:
        raise ValueError(f"{spec!r}: share: expected a number from 0 to 1") from None
    try:
        return Rule.checked(kind, None, service, operation or "*", share_value, where="")
    except ValueError as e:
        raise ValueError(f"{spec!r}: {e}") from None


class Faults:
    """The rules in force, and what they did since they were set.

    Whether the n-th sight of a request is faulted is drawn from random.Random seeded with
    (seed, request key, n): it depends on nothing else, not on timing nor on which thread
    came first, so a scan with concurrent calls meets the same faults on every run."""

    def __init__(self, rules=(), seed: int = 0, max_consecutive: int = 2, hang_seconds: float = 30.0) -> None:
        self._lock = threading.Lock()
        self.default_hang_seconds = hang_seconds
        self.configure(list(rules), seed, max_consecutive, hang_seconds)

    def configure(self, rules: list[Rule], seed: int, max_consecutive: int, hang_seconds: float) -> None:
        with self._lock:
            self.rules, self.seed, self.max_consecutive, self.hang_seconds = rules, seed, max_consecutive, hang_seconds
            # A new set of rules starts a new experiment: what the old one did is forgotten.
            self._seen: dict[str, int] = {}
            self._streak: dict[str, int] = {}
            self._injected: dict[tuple, int] = {}
            self._requests: dict[str, int] = {}
            # Rate quotas' token buckets: (account, service, operation) -> (tokens, last refill).
            self._buckets: dict[tuple, tuple[float, float]] = {}

    def configure_from_json(self, data) -> None:
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")  # noqa: TRY004 -- bad input: a ValueError, answered 400
        unknown = sorted(set(data) - {"rules", "seed", "max_consecutive", "hang_seconds"})
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}")
        if not isinstance(data.get("rules"), list):
            raise ValueError("rules: expected a list of rules")  # noqa: TRY004 -- bad input: a ValueError, answered 400
        rules = [Rule.from_json(rule, f"rules[{i}]") for i, rule in enumerate(data["rules"])]
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ValueError("seed: expected an integer")  # noqa: TRY004 -- bad input: a ValueError, answered 400
        max_consecutive = data.get("max_consecutive", 2)
        if not isinstance(max_consecutive, int) or not number_in(max_consecutive, 1, math.inf):
            raise ValueError("max_consecutive: expected an integer of at least 1")
        hang_seconds = data.get("hang_seconds", self.default_hang_seconds)
        if not number_in(hang_seconds, 0, math.inf):
            raise ValueError("hang_seconds: expected a number of seconds")
        self.configure(rules, seed, max_consecutive, float(hang_seconds))

    def decide(self, call: Call) -> Rule | None:
        """The rule whose fault this request gets, if any: the first rule that matches decides."""
        if self.rules:
            # Resolved outside the lock: the first look at a service loads its botocore model.
            _ = call.operation, call.model_name
        with self._lock:
            account = call.account or "unknown"
            self._requests[account] = self._requests.get(account, 0) + 1
            rule = next((r for r in self.rules if r.matches(call)), None)
            if rule is None:
                return None
            if rule.rate is not None:
                if not self._over_quota(rule.rate, (call.account, call.service, call.operation)):
                    return None
            elif not self._strikes(rule, call.key()):
                return None
            counted = (call.account, call.service, call.operation, rule.kind)
            self._injected[counted] = self._injected.get(counted, 0) + 1
            return rule

    def _over_quota(self, rate: float, key: tuple) -> bool:
        """A token bucket per key, refilled at `rate` a second up to one second's worth: a
        request that finds no token is over the quota."""
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (rate, now))
        tokens = min(rate, tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return False
        self._buckets[key] = (tokens, now)
        return True

    def _strikes(self, rule: Rule, key: str) -> bool:
        if rule.share >= 1.0:
            return True  # a service that always fails, retries or not
        n = self._seen.get(key, 0)
        self._seen[key] = n + 1
        roll = random.Random(f"{self.seed}|{key}|{n}").random()
        if roll < rule.share and self._streak.get(key, 0) < self.max_consecutive:
            self._streak[key] = self._streak.get(key, 0) + 1
            return True
        self._streak[key] = 0
        return False

    def report(self) -> dict:
        with self._lock:
            return {
                "rules": [r.as_json() for r in self.rules],
                "seed": self.seed,
                "max_consecutive": self.max_consecutive,
                "hang_seconds": self.hang_seconds,
                "injected": [
                    {"account": a, "service": s, "operation": o, "kind": k, "count": n}
                    for (a, s, o, k), n in self._injected.items()
                ],
                "requests": dict(self._requests),
            }


class Latency:
    """Delay added to AWS calls: a default, and per account."""

    def __init__(self, ms: float = 0.0) -> None:
        self._lock = threading.Lock()
        self.default_ms = ms
        self._by_account: dict[str, float] = {}

    def set(self, ms: float, account: str | None) -> None:
        with self._lock:
            if account is None:
                self.default_ms = ms
            else:
                self._by_account[account] = ms

    def seconds(self, account: str | None) -> float:
        with self._lock:
            ms = self._by_account.get(account, self.default_ms) if account else self.default_ms
        return ms / 1000.0

    def report(self) -> dict:
        with self._lock:
            return {"ms": self.default_ms, "accounts": dict(self._by_account)}

    def set_from_json(self, data) -> None:
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")  # noqa: TRY004 -- bad input: a ValueError, answered 400
        unknown = sorted(set(data) - {"ms", "account"})
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}")
        ms, account = data.get("ms"), data.get("account")
        if not number_in(ms, 0, math.inf):
            raise ValueError("ms: expected a number of milliseconds")
        if account is not None and (not isinstance(account, str) or not account):
            raise ValueError("account: expected an account id string")
        self.set(float(ms), account)


# Each fault kind's status, error code and message, by protocol family; `s3` is rest-xml with
# S3's own codes and error document. A None code is a bare status, as a proxy or load balancer
# in front of a service may answer: an error document that names no code (`{}` in JSON and CBOR).
ERRORS = {
    "throttle": {
        "json": (400, "ThrottlingException", "Rate exceeded"),
        "cbor": (400, "ThrottlingException", "Rate exceeded"),
        "rest-json": (429, "TooManyRequestsException", "Rate exceeded"),
        "query": (400, "Throttling", "Rate exceeded"),
        "rest-xml": (400, "Throttling", "Rate exceeded"),
        "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
        "s3": (503, "SlowDown", "Please reduce your request rate."),
    },
    "429": {},
    "500": {
        "ec2": (500, "InternalError", "An internal error has occurred."),
        "s3": (500, "InternalError", "We encountered an internal error. Please try again."),
    },
    "503": {
        "ec2": (503, "Unavailable", "The server is overloaded and can't handle the request."),
        "s3": (503, "ServiceUnavailable", "Service is unable to handle request."),
    },
}
DEFAULT_ERRORS = {
    "429": (429, None, ""),
    "500": (500, "InternalFailure", "An internal error occurred."),
    "503": (503, "ServiceUnavailable", "Service is unavailable."),
}
CBOR_HEADERS = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]


def family(call: Call) -> str:
    return "s3" if call.service == "s3" and call.protocol == "rest-xml" else call.protocol


def json_content_type(call: Call) -> str:
    asked = call.headers.get("Content-Type", "")
    if asked.startswith("application/x-amz-json"):
        return asked
    version = call.model.metadata.get("jsonVersion", "1.0") if call.model is not None else "1.0"
    return f"application/x-amz-json-{version}"


def error_answer(kind: str, call: Call):
    """The status, headers and body AWS answers with for this fault, in the call's protocol."""
    fam = family(call)
    status, code, message = ERRORS[kind].get(fam) or DEFAULT_ERRORS[kind]
    request_id = str(uuid.uuid4())
    if fam in ("json", "rest-json", "cbor"):
        error = {"__type": code, "message": message} if code else {}
        headers = [("x-amzn-RequestId", request_id)] + ([("x-amzn-ErrorType", code)] if code else [])
        if fam == "cbor":
            return status, headers + CBOR_HEADERS, cbor2.dumps(error)
        content_type = json_content_type(call) if fam == "json" else "application/json"
        return status, headers + [("Content-Type", content_type)], json.dumps(error).encode()
    if fam == "ec2":
        inner = f"<Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>" if code else ""
        body = f"<Response>{inner}<RequestID>{request_id}</RequestID></Response>"
        return status, [("Content-Type", "text/xml;charset=UTF-8")], xml(body)
    if fam == "s3":
        inner = f"<Code>{code}</Code><Message>{message}</Message>" if code else ""
        body = f"<Error>{inner}<RequestId>{request_id}</RequestId></Error>"
        return status, [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)], xml(body)
    side = "Sender" if status < 500 else "Receiver"
    inner = f"<Error><Type>{side}</Type><Code>{code}</Code><Message>{message}</Message></Error>" if code else ""
    body = f"<ErrorResponse>{inner}<RequestId>{request_id}</RequestId></ErrorResponse>"
    return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], xml(body)


def xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def malformed_answer(call: Call):
    """A 200 in the protocol's content type whose body breaks off mid-document."""
    fam, op = family(call), call.operation or "Operation"
    if fam == "cbor":
        # `{"Items": [{` as indefinite-length items, then a key announced 4 bytes long that has 2.
        return 200, CBOR_HEADERS, b"\xbf\x65Items\x9f\xbf\x64Na"
    if fam in ("json", "rest-json"):
        content_type = json_content_type(call) if fam == "json" else "application/json"
        return 200, [("Content-Type", content_type)], b'{"Items": [{"Name": "trunc'
    if fam == "ec2":
        namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"
        body = f'<{op}Response xmlns="{namespace}"><requestId>{uuid.uuid4()}</requestId><item'
        return 200, [("Content-Type", "text/xml;charset=UTF-8")], xml(body)
    if fam == "query":
        return 200, [("Content-Type", "text/xml")], xml(f"<{op}Response><{op}Result><Ite")
    return 200, [("Content-Type", "application/xml")], xml(f"<{op}Result><Ite")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: an answer goes out as two writes (headers, then body); with Nagle's
    # algorithm the body waits for the client's ACK of the headers, which a kept-alive client
    # delays (delayed ACK, ~40 ms on Linux): every call on a reused connection took ~40 ms more.
    disable_nagle_algorithm = True
    # Set per server by serve().
    upstream: Moto
    latency: Latency
    faults: Faults
    accounts: Accounts

    def log_message(self, *args) -> None:  # one line per request would drown the tests' output
        pass

    def do_GET(self) -> None:
        self.handle_request()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle_request(self) -> None:
        body = self.read_body()
        path = urlsplit(self.path).path
        if path == "/front-api" or path.startswith("/front-api/"):
            self.control(path, body)
            return
        if path.startswith("/moto-api"):
            self.forward(body)
            return
        call = Call(self.command, self.path, self.headers, body, self.accounts)
        rule = self.faults.decide(call)
        delay = self.latency.seconds(call.account)
        if delay:
            time.sleep(delay)
        if rule:
            self.inject(rule.kind, call)
            return
        self.forward(body, call)

    def forward(self, body: bytes, call: Call | None = None) -> None:
        cbor = CBOR_PATH.match(urlsplit(self.path).path) if self.command == "POST" else None
        if cbor and self.headers.get("smithy-protocol", "").lower() == "rpc-v2-cbor":
            self.cloudwatch_cbor(cbor["service"], cbor["operation"], body)
            return
        if call and call.service == "dynamodb" and call.operation == "ListGlobalTables":
            self.reply(200, [("Content-Type", "application/x-amz-json-1.0")], b'{"GlobalTables": []}')
            return
        status, headers, answer = self.upstream_call(self.command, self.path, self.forward_headers(), body)
        # A HEAD answer has no body but the length of the one a GET would have (S3 HeadObject).
        length = (
            next((v for k, v in headers if k.lower() == "content-length"), None) if self.command == "HEAD" else None
        )
        headers = [(k, v) for k, v in headers if k.lower() not in HOP_HEADERS]
        if self.command == "GET" and is_versioning_query(self.path):
            answer = fix_versioning(answer)
        if self.command == "GET" and is_record_sets_path(self.path):
            answer = escape_record_names(answer)
        if call and call.service == "sts" and status == 200:
            self.accounts.learn(answer)
        self.reply(status, headers, answer, head_length=length)

    def inject(self, kind: str, call: Call) -> None:
        if kind in ("hang", "drop"):
            if kind == "hang":
                time.sleep(self.faults.hang_seconds)
            # Closing with nothing written: the client sees the connection end mid-exchange.
            self.close_connection = True
            return
        status, headers, body = malformed_answer(call) if kind == "malformed" else error_answer(kind, call)
        self.reply(status, headers, body)

    def control(self, path: str, body: bytes) -> None:
        """The front's own API: `/front-api/faults` and `/front-api/latency` (GET reads, POST sets)."""
        targets = {"/front-api/faults": self.faults, "/front-api/latency": self.latency}
        target = targets.get(path.rstrip("/"))
        if target is None:
            self.reply_text(404, f"no such front API: {path}")
            return
        if self.command == "GET":
            self.reply(200, [("Content-Type", "application/json")], json.dumps(target.report()).encode())
            return
        if self.command != "POST":
            self.reply_text(405, f"{self.command} {path}: only GET and POST")
            return
        try:
            data = json.loads(body or b"null")
            if target is self.faults:
                self.faults.configure_from_json(data)
            else:
                self.latency.set_from_json(data)
        except ValueError as e:  # json's decode errors are ValueErrors too
            self.reply_text(400, " ".join(str(e).split()))
            return
        self.reply(200, [("Content-Type", "application/json")], b"{}")

    def reply_text(self, status: int, text: str) -> None:
        self.reply(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())

    def forward_headers(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}

    def upstream_call(self, method: str, path: str, headers: dict, body: bytes):
        return self.upstream.call(method, path, headers, body, self.client_address)

    def cloudwatch_cbor(self, service: str, operation: str, body: bytes) -> None:
        request = from_cbor_value(cbor2.loads(body)) if body else {}
        headers = self.forward_headers()
        for k in list(headers):
            if k.lower() in ("content-type", "smithy-protocol", "accept"):
                del headers[k]
        headers["Content-Type"] = "application/x-amz-json-1.0"
        headers["X-Amz-Target"] = f"{service}.{operation}"
        status, _, answer = self.upstream_call("POST", "/", headers, json.dumps(request).encode())
        try:
            data = json.loads(answer) if answer else {}
        except ValueError:
            data = {"__type": "InternalFailure", "message": answer.decode(errors="replace")[:500]}
            status = 500
        if status < 300 and operation == "DescribeAlarms":
            data = filter_alarm_types(data, request.get("AlarmTypes"))
        if status < 300:
            op = MODELS.operation(service, operation)
            data = to_cbor_value(data, op.output_shape if op else None)
        else:
            # RPCv2 errors carry the code in `__type`, as awsJson does; keep only the name.
            code = str(data.get("__type", "InternalFailure")).split("#")[-1]
            data = {"__type": code, "message": data.get("message") or data.get("Message", "")}
        payload = cbor2.dumps(data)
        self.reply(status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")], payload)

    def reply(self, status: int, headers, body: bytes, head_length: str | None = None) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", head_length if head_length is not None else str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def filter_alarm_types(answer: dict, alarm_types) -> dict:
    """DescribeAlarms as AWS documents it: only the alarm types asked for, and metric alarms
    only when `AlarmTypes` is omitted."""
    wanted = set(alarm_types or ["MetricAlarm"])
    kept = dict(answer)
    if "MetricAlarm" not in wanted:
        kept.pop("MetricAlarms", None)
    if "CompositeAlarm" not in wanted:
        kept.pop("CompositeAlarms", None)
    return kept


def is_record_sets_path(path: str) -> bool:
    return bool(re.fullmatch(r"/2013-04-01/hostedzone/[^/]+/rrset/?", urlsplit(path).path))


def escape_record_names(body: bytes) -> bytes:
    """Route 53 returns every character of a record name but a-z, 0-9, `-`, `_` and `.` as a
    three-digit octal escape (`*.example.com` is `\\052.example.com`); moto returns them raw."""

    def escape(match: re.Match) -> bytes:
        name = match.group(2).decode()
        escaped = "".join(c if re.fullmatch(r"[A-Za-z0-9._-]", c) else f"\\{ord(c):03o}" for c in name)
        return match.group(1) + escaped.encode() + match.group(3)

    return re.sub(rb"(<Name>)([^<]*)(</Name>)", escape, body)


def is_versioning_query(path: str) -> bool:
    query = urlsplit(path).query
    return any(part.split("=")[0] == "versioning" for part in query.split("&") if part)


def fix_versioning(body: bytes) -> bytes:
    return body.replace(b"<GetBucketVersioningResponse", b"<VersioningConfiguration").replace(
        b"</GetBucketVersioningResponse>", b"</VersioningConfiguration>"
    )


class Moto:
    """moto's WSGI application, called in this process: the front hands each request to it as
    moto's own HTTP server would, with the environ built by moto's request handler, but
    without a second HTTP exchange. Over loopback, moto's server closes every connection after
    one answer, so each request cost it a connect, a thread and a second parse: the front took
    about a quarter of the emulator's capacity (mocks/bench/front_cost.py measures it)."""

    class _Server:
        """What werkzeug's `make_environ` asks of the server."""

        ssl_context = None
        multithread = True
        multiprocess = False
        server_address = ("127.0.0.1", 0)

    def __init__(self) -> None:
        # Imported here, not with this module: emulator.py sets moto's environment first.
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

        self.app = DomainDispatcherApplication(create_backend_app)
        self._handler_class = MotoRequestHandler

    def environ(self, method: str, path: str, headers: dict, body: bytes, client_address) -> dict:
        # A request handler with no socket behind it: make_environ reads only these fields.
        # Exactly the client's headers: moto verifies SigV4 over them when IAM enforcement is
        # on, so none may be added.
        handler = self._handler_class.__new__(self._handler_class)
        handler.command, handler.path, handler.request_version = method, path, "HTTP/1.1"
        handler.headers = http.client.HTTPMessage()
        for k, v in headers.items():
            handler.headers[k] = v
        if body or method in ("POST", "PUT"):
            handler.headers["Content-Length"] = str(len(body))
        handler.rfile = io.BytesIO(body)
        handler.client_address = client_address
        handler.connection = None
        handler.server = self._Server()
        return handler.make_environ()

    def call(self, method: str, path: str, headers: dict, body: bytes, client_address) -> tuple[int, list, bytes]:
        environ = self.environ(method, path, headers, body, client_address)
        try:
            app_iter, status, answer_headers = run_wsgi_app(self.app, environ, buffered=True)
            answer = b"".join(app_iter)
        except Exception:  # noqa: BLE001 -- moto's server catches all, and so does the front
            # What moto's server does with an exception its app lets out (an action moto does
            # not implement): log it, and answer werkzeug's HTML 500 page, which a client then
            # meets as a body that is not a service error.
            traceback.print_exc()
            app_iter, status, answer_headers = run_wsgi_app(InternalServerError(), environ, buffered=True)
            answer = b"".join(app_iter)
        return int(status.split(" ", 1)[0]), list(answer_headers.items()), answer


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client closing its kept-alive connection is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(
    host: str,
    port: int,
    upstream: Moto,
    latency_ms: float = 0.0,
    faults=(),
    fault_seed: int = 0,
    hang_seconds: float = 30.0,
) -> ThreadingHTTPServer:
    """Starts the front on a thread; `faults` are Rules (see parse_fault_spec), in force at once."""
    state = {
        "upstream": upstream,
        "latency": Latency(latency_ms),
        "faults": Faults(faults, seed=fault_seed, hang_seconds=hang_seconds),
        "accounts": Accounts(),
    }
    handler = type("FrontHandler", (Handler,), state)
    server = Server((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
