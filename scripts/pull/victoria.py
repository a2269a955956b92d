#!/usr/bin/env python3
"""Helper of the pull agreement test (Tests/ReportTests/PullAgreementTests.swift) for VictoriaMetrics (Debian's
`victoria-metrics`). Python 3 standard library only; every request goes to 127.0.0.1.

    victoria.py prepare --dir DIR
        Makes /usr/bin/victoria-metrics available (apt-get, root only), picks a free loopback port and prints
        {"binary": PATH, "port": N, "arguments": [...], "log": PATH}, or {"skip": REASON} when it cannot be had.
        The caller starts the server itself, so it owns the PID and stops it.

    victoria.py load --port N --pid PID FILE.om...
        Waits (at most 30 s) for /health, imports every OpenMetrics FILE through /api/v1/import/prometheus
        (timestamps from seconds to milliseconds, metadata lines dropped), flushes, and waits until the series
        count answers. Exit 1 with the reason on stderr otherwise.

    victoria.py ready --url URL --pid PID
        Waits (at most 30 s) until GET URL answers 200 (Prometheus: /-/ready).
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

TIMEOUT = 30.0


def fail(message):
    print(f"victoria.py: {message}", file=sys.stderr)
    sys.exit(1)


def install():
    binary = shutil.which("victoria-metrics")
    if binary:
        return binary, None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "victoria-metrics is not installed and cannot be (run: apt-get install -y victoria-metrics)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "victoria-metrics"]
    for attempt in (command, ["apt-get", "update", "-qq"], command):
        run = subprocess.run(attempt, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        if attempt is command and run.returncode == 0:
            break
    binary = shutil.which("victoria-metrics")
    return (binary, None) if binary else (None, "apt-get could not install victoria-metrics (offline?)")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(directory):
    binary, reason = install()
    if binary is None:
        print(json.dumps({"skip": reason}))
        return 0
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    port = free_port()
    arguments = [f"-storageDataPath={os.path.join(directory, 'data')}",
                 "-retentionPeriod=100y",              # the fixtures are from 2026, whatever the clock says
                 f"-httpListenAddr=127.0.0.1:{port}"]  # loopback only
    print(json.dumps({"binary": binary, "port": port, "arguments": arguments,
                      "log": os.path.join(directory, "victoria.log")}))
    return 0


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait(url, pid):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not alive(pid):
            fail(f"the server (pid {pid}) exited before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    fail(f"{url} was not ready within {TIMEOUT:.0f} s")


SAMPLE = re.compile(r"^(.*) (\d+)$")


def load(port, pid, files):
    base = f"http://127.0.0.1:{port}"
    wait(base + "/health", pid)
    expected = set()
    for path in files:
        lines = []
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                match = SAMPLE.match(line)
                if not match:
                    fail(f"{path}: a sample without a whole-second timestamp: {line!r}")
                lines.append(f"{match.group(1)} {match.group(2)}000")
                expected.add(match.group(1).rsplit(" ", 1)[0])
        request = urllib.request.Request(base + "/api/v1/import/prometheus", data=("\n".join(lines) + "\n").encode(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status not in (200, 204):
                fail(f"import of {path} answered {response.status}")
    urllib.request.urlopen(base + "/internal/force_flush", timeout=30).read()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        with urllib.request.urlopen(base + "/api/v1/series/count", timeout=10) as response:
            if json.load(response).get("data", [0])[0] >= len(expected):
                return 0
        time.sleep(0.2)
    fail(f"VictoriaMetrics did not show the {len(expected)} imported series within {TIMEOUT:.0f} s")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--dir", required=True)
    l = sub.add_parser("load")
    l.add_argument("--port", type=int, required=True)
    l.add_argument("--pid", type=int, required=True)
    l.add_argument("files", nargs="+")
    r = sub.add_parser("ready")
    r.add_argument("--url", required=True)
    r.add_argument("--pid", type=int, required=True)
    args = parser.parse_args(argv)
    if args.command == "prepare":
        return prepare(args.dir)
    if args.command == "load":
        return load(args.port, args.pid, args.files)
    wait(args.url, args.pid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
