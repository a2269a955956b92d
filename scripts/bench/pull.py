#!/usr/bin/env python3
"""`make bench`'s pull row (issue 13): the bench estate's October status samples as a gauge in a real Prometheus
(Debian's, backfilled with promtool, started on a free 127.0.0.1 port), then `slareport pull` of October (fetch,
archive and import) timed beside curl fetching the very same requests (the archive's chunk names give them).
Prints the two rows and `pull_vs_curl=` (slareport's wall time over curl's).

    pull.py WORK_DIR SLAREPORT_BINARY
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
AGREE = os.path.join(HERE, "..", "prometheus", "agree.py")
VALUE = {"up": "1", "degraded": "1", "down": "0"}


def main(work, binary):
    pull_dir = os.path.join(work, "pull")
    shutil.rmtree(pull_dir, ignore_errors=True)
    os.makedirs(pull_dir)
    om = os.path.join(pull_dir, "probe.om")
    samples = 0
    with open(om, "w") as out:
        out.write("# TYPE probe_success gauge\n")
        for name in sorted(os.listdir(os.path.join(work, "exports", "status"))):
            with open(os.path.join(work, "exports", "status", name)) as f:
                next(f)
                for line in f:
                    stamp, service, status = line.rstrip("\n").split(",")[:3]
                    if status not in VALUE:
                        continue
                    t = int(time.mktime(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))) - time.timezone
                    out.write(f'probe_success{{service="{service}"}} {VALUE[status]} {t}\n')
                    samples += 1
        out.write("# EOF\n")
    prepared = subprocess.run([sys.executable, AGREE, "prepare", "--dir", os.path.join(pull_dir, "server"), om],
                              capture_output=True, text=True)
    if prepared.returncode != 0:
        sys.exit(f"pull.py: agree.py prepare failed: {prepared.stderr}")
    plan = json.loads(prepared.stdout)
    if "skip" in plan:
        sys.exit(f"pull.py: Prometheus is not available: {plan['skip']}")
    log = open(plan["log"], "w")
    server = subprocess.Popen([plan["prometheus"]] + plan["arguments"], stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{plan['port']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(base + "/-/ready", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("pull.py: Prometheus did not get ready")
            time.sleep(0.2)
        estate = os.path.join(pull_dir, "estate")
        os.makedirs(estate)
        with open(os.path.join(work, "sla.yaml")) as f:
            config = f.read()
        config = config.replace("database: data/sla.db", "database: sla.db")
        config += (f"\nsources:\n  archive: pulled\n  prometheus:\n    - id: bench\n      url: {base}\n"
                   "      status: [{selector: 'probe_success', service_label: service}]\n")
        with open(os.path.join(estate, "sla.yaml"), "w") as f:
            f.write(config)
        started = time.monotonic()
        run = subprocess.run([binary, "pull", "--config", os.path.join(estate, "sla.yaml"), "--period", "2026-10"],
                             capture_output=True, text=True)
        pull_s = time.monotonic() - started
        if run.returncode != 0:
            sys.exit(f"pull.py: slareport pull failed: {run.stderr[-2000:]}")
        # The same requests, by curl: one per archived chunk, at its end, over its length.
        urls = []
        for root, _, names in os.walk(os.path.join(estate, "pulled")):
            for name in sorted(names):
                start, end = name[:-len(".json")].split("--")
                seconds = lambda s: time.mktime(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
                length_ms = int((seconds(end) - seconds(start)) * 1000)
                query = urllib.parse.quote(f"probe_success[{length_ms}ms]", safe="")
                urls.append(f"{base}/api/v1/query?query={query}&time={end}")
        target = os.path.join(pull_dir, "curl.out")
        started = time.monotonic()
        for url in urls:
            subprocess.run(["curl", "-s", "-f", "-o", target, url], check=True)
        curl_s = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    print(f"{'slareport pull 2026-10':<28} {samples:>10} {pull_s:>9.2f} {int(samples / pull_s):>12} {len(urls):>6} requests")
    print(f"{'curl, the same requests':<28} {samples:>10} {curl_s:>9.2f} {int(samples / curl_s):>12} {len(urls):>6} requests")
    print(f"pull_vs_curl={pull_s / curl_s:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
