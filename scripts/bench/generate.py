#!/usr/bin/env python3
"""Seeded synthetic estate for the benchmark: N services x D days of 1-minute status samples.

Writes DIR/sla.yaml and DIR/exports/status/svc-NNN.csv (RFC 3339 UTC timestamps, one sample a minute
from 2026-10-01T00:00:00Z). Each service has a few outages and degraded stretches and one data gap, so
the uptime figures are not trivial. Same arguments, same bytes.
"""
import argparse
import datetime as dt
import os
import random

START = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--days", type=int, default=31)
    ap.add_argument("--leases-per-service", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    out = os.path.join(a.dir, "exports", "status")
    os.makedirs(out, exist_ok=True)
    minutes = a.days * 1440
    # Timestamps are the same for every service: format them once.
    stamps = [(START + dt.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%M:%SZ") for m in range(minutes)]
    rng = random.Random(a.seed)
    for s in range(a.services):
        name = f"svc-{s:03d}"
        status = ["up"] * minutes
        for _ in range(rng.randint(2, 8)):                     # outages of 1 to 90 minutes
            start, length = rng.randrange(minutes), rng.randint(1, 90)
            status[start:start + length] = ["down"] * len(status[start:start + length])
        for _ in range(rng.randint(0, 4)):                     # degraded stretches
            start, length = rng.randrange(minutes), rng.randint(5, 240)
            status[start:start + length] = ["degraded"] * len(status[start:start + length])
        gap_start, gap_len = rng.randrange(minutes), rng.randint(10, 120)   # a data gap
        keep = [not (gap_start <= m < gap_start + gap_len) for m in range(minutes)]
        with open(os.path.join(out, f"{name}.csv"), "w", newline="\n") as f:
            f.write("timestamp,service,status\n")
            f.write("".join(f"{stamps[m]},{name},{status[m]}\n" for m in range(minutes) if keep[m]))

    with open(os.path.join(a.dir, "sla.yaml"), "w") as f:
        f.write("version: 1\ntimezone: UTC\ndatabase: data/sla.db\ncurrency: USD\n")
        f.write("output: {directory: \"reports/{period}\", formats: [md, csv, json, xlsx]}\n")
        f.write("inputs:\n  status: [{path: \"exports/status/*.csv\", format: csv}]\n")
        f.write("status_defaults: {max_sample_gap: 5m, missing_data: exclude, degraded: up}\n")
        f.write("providers: [{id: prov, name: \"Bench Provider\", escrow_balance: \"1000000.00\"}]\n")
        f.write("customers: [{id: cust, name: \"Bench Customer\"}]\nservices:\n")
        for s in range(a.services):
            f.write(f"  - {{id: svc-{s:03d}, provider: prov}}\n")
        f.write("leases:\n")
        tiers = ["bronze", "silver", "gold", "platinum"]
        for s in range(a.services):
            for l in range(a.leases_per_service):
                f.write(f"  - {{id: L-{s:03d}-{l}, customer: cust, service: svc-{s:03d}, tier: {tiers[(s + l) % 4]}, "
                        f"monthly_fee: \"{100 + (s * 7 + l) % 900}.00\", start: \"2026-01-01\"}}\n")


if __name__ == "__main__":
    main()
