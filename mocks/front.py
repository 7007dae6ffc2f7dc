"""The emulator front: an HTTP proxy between the scanner and moto that adapts the few answers
where the AWS SDK for Rust and moto disagree on the wire. Real AWS needs none of this, and the
scanner never knows the front exists: it only sees an endpoint URL.

What it adapts (each measured with the real crates; see docs/architecture.md):
- CloudWatch: aws-sdk-cloudwatch speaks only Smithy RPCv2-CBOR
  (`POST /service/GraniteServiceVersion20100801/operation/<Op>`), which moto does not serve.
  The front decodes the CBOR request, calls moto's awsJson1_0 API with the same operation and
  signature headers, and encodes moto's answer back as CBOR, timestamps as CBOR tag 1 (found
  from botocore's model of the operation's output, so no field list is kept by hand).
- S3 GetBucketVersioning: moto 5.2 answers with the root element `GetBucketVersioningResponse`
  instead of `VersioningConfiguration`, which the Rust XML parser rejects.
Everything else, including moto's control API (`/moto-api/...`), passes through untouched.

It can also add a fixed latency to every call (`--latency-ms`), to make the emulator answer
as slowly as real AWS does.
"""

from __future__ import annotations

import base64
import http.client
import json
import sys
import re
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import botocore.session
import cbor2

CBOR_PATH = re.compile(r"^/service/(?P<service>[A-Za-z0-9]+)/operation/(?P<operation>[A-Za-z0-9]+)$")
# Headers that describe the hop, not the request: never forwarded.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-length"}


class Models:
    """botocore's service models, by the RPCv2 service name in the request path."""

    def __init__(self) -> None:
        self._session = botocore.session.get_session()
        self._by_target: dict[str, object] = {}
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


MODELS = Models()


def to_cbor_value(value, shape):
    """Walks a JSON answer along its botocore shape; timestamps become CBOR tag 1."""
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "timestamp":
        if isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream: tuple[str, int] = ("127.0.0.1", 0)
    latency_s: float = 0.0

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
        if self.latency_s and not self.path.startswith("/moto-api"):
            time.sleep(self.latency_s)
        cbor = CBOR_PATH.match(urlsplit(self.path).path) if self.command == "POST" else None
        if cbor and self.headers.get("smithy-protocol", "").lower() == "rpc-v2-cbor":
            self.cloudwatch_cbor(cbor["service"], cbor["operation"], body)
            return
        status, headers, answer = self.upstream_call(self.command, self.path, self.forward_headers(), body)
        if self.command == "GET" and is_versioning_query(self.path):
            answer = fix_versioning(answer)
        self.reply(status, headers, answer)

    def forward_headers(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}

    def upstream_call(self, method: str, path: str, headers: dict, body: bytes):
        conn = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            # Exactly the client's headers: moto verifies SigV4 over the headers it receives
            # when IAM enforcement is on, so not even an Accept-Encoding may be added.
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            if body or method in ("POST", "PUT"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            return resp.status, [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_HEADERS], resp.read()
        finally:
            conn.close()

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
        if status < 300:
            op = MODELS.operation(service, operation)
            data = to_cbor_value(data, op.output_shape if op else None)
        else:
            # RPCv2 errors carry the code in `__type`, as awsJson does; keep only the name.
            code = str(data.get("__type", "InternalFailure")).split("#")[-1]
            data = {"__type": code, "message": data.get("message") or data.get("Message", "")}
        payload = cbor2.dumps(data)
        self.reply(status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")], payload)

    def reply(self, status: int, headers, body: bytes) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def is_versioning_query(path: str) -> bool:
    query = urlsplit(path).query
    return any(part.split("=")[0] == "versioning" for part in query.split("&") if part)


def fix_versioning(body: bytes) -> bytes:
    return body.replace(b"<GetBucketVersioningResponse", b"<VersioningConfiguration").replace(
        b"</GetBucketVersioningResponse>", b"</VersioningConfiguration>"
    )


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client closing its kept-alive connection is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(host: str, port: int, upstream: tuple[str, int], latency_ms: float = 0.0) -> ThreadingHTTPServer:
    handler = type("FrontHandler", (Handler,), {"upstream": upstream, "latency_s": latency_ms / 1000.0})
    server = Server((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
