#!/usr/bin/env python3
"""Helper of the Prometheus agreement test (Tests/ReportTests/PrometheusAgreementTests.swift): puts fixture
OpenMetrics files into a real Prometheus TSDB and asks that Prometheus the questions slareport answers.
Python 3 standard library only.

    agree.py install
        Makes `prometheus` and `promtool` available: Debian's `prometheus` package, installed with apt-get when
        missing (root only).  Exit 0 when both are there; exit 77 with the reason on stderr when they are not
        and cannot be installed (not root, offline, no apt).

    agree.py prepare --dir DIR FILE.om...
        `install`, then backfills every FILE into DIR/tsdb with `promtool tsdb create-blocks-from openmetrics`,
        writes a minimal DIR/prometheus.yml (no scrape jobs) and picks a free loopback port.  Prints one JSON
        object: {"prometheus": PATH, "version": TEXT, "port": N, "arguments": [...], "log": PATH} -- the
        caller starts `PATH arguments...` itself, so that it owns the server's PID and stops it -- or, when
        Prometheus is unavailable, {"skip": REASON}.

    agree.py query --port N --pid PID --log PATH < request.json
        Waits (at most 30 s) until the server started from `prepare`'s arguments is ready, checks that the
        backfilled data answers (request "check": {"expr", "time", "value"}: polls until the instant query
        `expr` at `time` gives `value`), then evaluates every request "queries": [{"id", "expr", "time"}] as an
        instant query (GET /api/v1/query) and prints {"results": {id: value text or null (empty vector)}}.
        Every HTTP request goes to 127.0.0.1 only.  Exit 1 with the reason (and the server log's tail) on stderr
        when the server dies, does not get ready, or answers with an error.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77
READY_TIMEOUT = 30.0


def fail(message, code=1):
    print(f"agree.py: {message}", file=sys.stderr)
    sys.exit(code)


# --- install ------------------------------------------------------------------------------------------

def find_tools():
    return shutil.which("prometheus"), shutil.which("promtool")


def install():
    """(prometheus, promtool) paths, or (None, reason)."""
    prometheus, promtool = find_tools()
    if prometheus and promtool:
        return prometheus, promtool
    if os.geteuid() != 0:
        return None, "prometheus/promtool are not installed and this user is not root (run: apt-get install -y prometheus)"
    if not shutil.which("apt-get"):
        return None, "prometheus/promtool are not installed and there is no apt-get to install them with"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # --no-install-recommends: only the server and promtool, not the node exporter and its friends.
    install_cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"]
    log = ""
    for attempt in (install_cmd, ["apt-get", "update", "-qq"], install_cmd):
        try:
            run = subprocess.run(attempt, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, f"`{' '.join(attempt)}` took over 300 s (offline?)"
        log = (run.stdout + run.stderr).strip()
        if attempt is install_cmd and run.returncode == 0:
            break
    prometheus, promtool = find_tools()
    if prometheus and promtool:
        return prometheus, promtool
    tail = " | ".join(log.splitlines()[-3:])
    return None, f"apt-get could not install prometheus (offline?): {tail}"


def version(prometheus):
    out = subprocess.run([prometheus, "--version"], capture_output=True, text=True, timeout=30)
    first = (out.stdout + out.stderr).splitlines()
    # "prometheus, version 2.42.0+ds (branch: …)"
    return first[0].split("version", 1)[1].split()[0] if first and "version" in first[0] else "unknown"


# --- prepare ------------------------------------------------------------------------------------------

def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(directory, files):
    prometheus, promtool = install()
    if prometheus is None:
        print(json.dumps({"skip": promtool}))
        return 0
    directory = os.path.abspath(directory)
    tsdb = os.path.join(directory, "tsdb")
    os.makedirs(tsdb, exist_ok=True)
    for path in files:
        # promtool cuts blocks of 2 h by default: a month would be ~370 blocks and take ~30 s to write (and
        # Prometheus seconds to open).  The (hidden) --max-block-duration lets one block hold the whole month.
        run = subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                              "--max-block-duration=2000h", path, tsdb],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            fail(f"promtool could not backfill {path}:\n{run.stdout}{run.stderr}")
    config = os.path.join(directory, "prometheus.yml")
    with open(config, "w") as f:
        f.write("# Written by scripts/prometheus/agree.py: no scrape jobs; the data is backfilled.\n"
                "global:\n  evaluation_interval: 1h\nscrape_configs: []\n")
    port = free_loopback_port()
    arguments = [
        f"--config.file={config}",
        f"--storage.tsdb.path={tsdb}",
        # Retention counts back from the newest block, not from the wall clock; 10 years keeps every
        # backfilled 2026 block whatever the clock says.
        "--storage.tsdb.retention.time=10y",
        f"--web.listen-address=127.0.0.1:{port}",   # loopback only
    ]
    print(json.dumps({"prometheus": prometheus, "version": version(prometheus), "port": port,
                      "arguments": arguments, "log": os.path.join(directory, "prometheus.log")}))
    return 0


# --- query --------------------------------------------------------------------------------------------

def alive(pid):
    """The server is running (a zombie -- exited, not yet reaped by its parent -- is not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def log_tail(path):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-15:])
    except OSError:
        return "(no log)"


def get(port, path, params=None):
    url = f"http://127.0.0.1:{port}{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def instant(port, expr, at):
    """The value text of an instant query, or None for an empty vector."""
    try:
        _, body = get(port, "/api/v1/query", {"query": expr, "time": str(at)})
    except urllib.error.HTTPError as e:
        fail(f"Prometheus rejected {expr!r} at {at}: {e.code} {e.read().decode(errors='replace')}")
    answer = json.loads(body)
    if answer.get("status") != "success":
        fail(f"Prometheus answered {answer!r} for {expr!r} at {at}")
    data = answer["data"]
    if data["resultType"] == "scalar":
        return data["result"][1]
    if data["resultType"] != "vector":
        fail(f"unexpected result type {data['resultType']!r} for {expr!r}")
    if len(data["result"]) > 1:
        fail(f"{expr!r} at {at} gave {len(data['result'])} series, expected one")
    return data["result"][0]["value"][1] if data["result"] else None


def query(port, pid, log):
    request = json.load(sys.stdin)
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        if not alive(pid):
            fail(f"prometheus (pid {pid}) exited; its log ends:\n{log_tail(log)}")
        try:
            if get(port, "/-/ready")[0] == 200:
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            fail(f"prometheus (pid {pid}) not ready after {READY_TIMEOUT:.0f} s; its log ends:\n{log_tail(log)}")
        time.sleep(0.2)
    check = request["check"]
    while True:
        got = instant(port, check["expr"], check["time"])
        if got == check["value"]:
            break
        if time.monotonic() > deadline:
            fail(f"the backfilled data does not answer: {check['expr']} at {check['time']} is {got!r}, "
                 f"expected {check['value']!r}; the log ends:\n{log_tail(log)}")
        time.sleep(0.2)
    results = {q["id"]: instant(port, q["expr"], q["time"]) for q in request["queries"]}
    print(json.dumps({"results": results}))
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install")
    p = sub.add_parser("prepare")
    p.add_argument("--dir", required=True)
    p.add_argument("files", nargs="+")
    q = sub.add_parser("query")
    q.add_argument("--port", type=int, required=True)
    q.add_argument("--pid", type=int, required=True)
    q.add_argument("--log", required=True)
    args = parser.parse_args(argv[1:])
    if args.command == "install":
        prometheus, reason = install()
        if prometheus is None:
            fail(reason, SKIP)
        return 0
    if args.command == "prepare":
        return prepare(args.dir, args.files)
    return query(args.port, args.pid, args.log)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
