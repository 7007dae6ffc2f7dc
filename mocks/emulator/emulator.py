"""Start the AWS API emulator on a loopback port and keep it up until standard input closes:
moto's server application behind the emulator front (front.py), which calls it in-process and
adapts the few answers where the AWS SDK for Rust and moto disagree.

Prints `READY http://127.0.0.1:PORT` (the front) on stdout once both answer. Tying the
server's life to stdin means a test binary that dies (or is killed) takes its emulator with
it: nothing is left listening.

Usage: emulator.py [--port N] [--recording FILE] [--latency-ms MS] [--no-front]
                   [--fault SPEC]... [--fault-seed N] [--hang-seconds S]
  --port 0 (the default) picks a free port; --recording is where moto's request recorder
  writes (POST /moto-api/recorder/start-recording turns it on); --latency-ms adds a delay to
  every AWS call, as a real region's round trip would; --no-front exposes moto itself.
  --fault SERVICE[:OPERATION]=KIND[@SHARE] (repeatable; e.g. `dynamodb=throttle@0.3`,
  `kms:ListKeys=500`, `*=hang@0.05`) has the front inject a fault into that share of the
  calls, in any account, from the start; --fault-seed seeds the choice; --hang-seconds is how
  long a `hang` holds a call before closing it. The front's control API (/front-api/faults,
  /front-api/latency) changes all of these at run time: see front.py.
"""

import argparse
import logging
import os
import sys


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--recording", help="file for moto's request recorder")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every AWS call")
    parser.add_argument("--no-front", action="store_true", help="serve moto directly")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        type=fault_spec,
        metavar="SPEC",
        help="SERVICE[:OPERATION]=KIND[@SHARE], repeatable",
    )
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the faults' choice")
    parser.add_argument("--hang-seconds", type=float, default=30.0, help="how long a `hang` fault holds a call")
    args = parser.parse_args()
    if args.no_front and args.fault:
        parser.error("--fault needs the front: drop --no-front")
    return args


def fault_spec(spec: str):
    # A bad spec fails here, before moto starts, with argparse's message and exit status 2.
    from front import parse_fault_spec

    try:
        return parse_fault_spec(spec)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


ARGS = parse_args()
# Settings moto reads at import time: certificates validate at once (the real ACM does
# within minutes of DNS validation), and the recorder writes where we say, not into the
# current directory.
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")
if ARGS.recording:
    os.environ["MOTO_RECORDER_FILEPATH"] = ARGS.recording

# One line per request on stderr would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

from moto.core.config import default_user_config
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

# Lambda functions are never run in Docker: invoking one (Secrets Manager does, to rotate a
# secret) answers moto's canned "happy path" at once instead of pulling an image, which on a
# machine with Docker but no internet hangs each call for a minute.
default_user_config["lambda"]["use_docker"] = False


def main() -> int:
    args = ARGS
    server = front = None
    if args.no_front:
        server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
    else:
        import front as front_module

        # moto is called in this process by the front, not over a second HTTP hop.
        front = front_module.serve(
            args.host,
            args.port,
            front_module.Moto(),
            args.latency_ms,
            faults=args.fault,
            fault_seed=args.fault_seed,
            hang_seconds=args.hang_seconds,
        )
        host, port = front.server_address[:2]
    print(f"READY http://{host}:{port}", flush=True)
    try:
        # Block until the parent closes our stdin (or exits).
        while sys.stdin.buffer.read(65536):
            pass
    except KeyboardInterrupt:
        pass
    if front:
        front.shutdown()
    if server:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
