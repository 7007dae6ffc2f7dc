"""Start the AWS API emulator (moto in server mode) on a loopback port and keep it up
until standard input closes.

Prints `READY http://127.0.0.1:PORT` on stdout once the server answers. Tying the
server's life to stdin means a test binary that dies (or is killed) takes its
emulator with it: nothing is left listening.

Usage: emulator.py [--port N] [--recording FILE]
  --port 0 (the default) picks a free port; --recording is where moto's request recorder
  writes (POST /moto-api/recorder/start-recording turns it on).
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
    return parser.parse_args()


ARGS = parse_args()
# Settings moto reads at import time: certificates validate at once (the real ACM does
# within minutes of DNS validation), and the recorder writes where we say, not into the
# current directory.
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")
if ARGS.recording:
    os.environ["MOTO_RECORDER_FILEPATH"] = ARGS.recording

# One line per request on stderr would drown the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

from moto.moto_server.threaded_moto_server import ThreadedMotoServer  # noqa: E402


def main() -> int:
    args = ARGS
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"READY http://{host}:{port}", flush=True)
    try:
        # Block until the parent closes our stdin (or exits).
        while sys.stdin.buffer.read(65536):
            pass
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
