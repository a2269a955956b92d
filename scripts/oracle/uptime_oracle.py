#!/usr/bin/env python3
"""Reference oracle for slareport's status timeline and uptime (SPEC.md section 5.1).

This is an independent, deliberately plain re-implementation used by the test suite: it reads
an `sla.yaml` and the CSV status exports its `inputs.status` globs name, and prints the
`uptime.csv` (or, with --incidents, the `incidents.csv`) that slareport must produce for the
period (SPEC.md section 6).  It was written from the spec alone, without looking at the Swift
code, so that agreement between the two means something.  Correctness over speed.

    python3 scripts/oracle/uptime_oracle.py --config fixtures/sla.yaml --period 2026-10
    python3 scripts/oracle/uptime_oracle.py --config fixtures/sla.yaml --period 2026-Q4 --incidents
    python3 scripts/oracle/uptime_oracle.py --config fixtures/sla.yaml --period 2026-10-01..2026-10-15

Only the CSV status format is read (the only one the bundled estate uses).

Semantics, as implemented here:
  * A sample at t of a (service, region) series holds over [t, min(t_next, t + max_sample_gap));
    the rest of the time that series is unknown.  A sample whose status is `unknown` is unknown.
  * Regions combine over the regions whose state is known and not maintenance (none such:
    maintenance if any region is in maintenance, else unknown).  any = best, all = worst,
    majority = up if > half up, else degraded if > half up-or-degraded, else down.
  * A config maintenance window of the service makes its time maintenance whatever was observed.
  * Per local calendar month (config time zone) the first max_excluded_maintenance of maintenance
    time (earliest first) stays excluded; the rest becomes down.  The cap is always applied over
    whole calendar months, also when the period is a custom range that covers part of a month.
  * eligible = total - excluded maintenance - (unknown if missing_data = exclude)
    good     = up + w * degraded (+ unknown if missing_data = up)
    uptime%  = 100 * good / eligible;  coverage% = 100 * (up + degraded + down) / (total - excluded maintenance)
  * Incidents are maximal runs of down (and, separately, degraded) time after all of the above,
    clipped to the period.  incidents / longest_outage_ms / mttr_ms count down runs only.
"""

import argparse
import bisect
import csv
import glob
import os
import re
import sys
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import yaml

UP, DEGRADED, DOWN, UNKNOWN, MAINTENANCE = "up", "degraded", "down", "unknown", "maintenance"
HEALTH = {UP: 2, DEGRADED: 1, DOWN: 0}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def fail(message):
    print(f"uptime_oracle: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------
# Parsing helpers

def parse_duration_ms(text):
    """'10m', '4h', '90s', '1h30m', '250ms', '2d' -> milliseconds."""
    text = str(text).strip()
    units = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
    parts = re.findall(r"(\d+)(ms|s|m|h|d)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        fail(f"bad duration {text!r}")
    return sum(int(n) * units[u] for n, u in parts)


def datetime_to_ms(dt):
    delta = dt - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$")
EPOCH_SECONDS = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_timestamp_ms(text):
    """RFC 3339 with Z or an offset (fraction kept to the millisecond), or Unix epoch seconds."""
    text = text.strip()
    if EPOCH_SECONDS.match(text):
        return int((Fraction(text) * 1000).__floor__())
    m = RFC3339.match(text)
    if not m:
        fail(f"bad timestamp {text!r}")
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7) or ""
    millis = int((frac + "000")[:3])
    zone = m.group(8)
    if zone in ("Z", "z"):
        offset = timedelta(0)
    else:
        sign = 1 if zone[0] == "+" else -1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    dt = datetime(year, month, day, hour, minute, second, tzinfo=timezone(offset))
    return datetime_to_ms(dt) + millis


def config_time_ms(value):
    """A maintenance start/end from the config: RFC 3339 text (or what YAML made of it)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            fail(f"timestamp without offset in config: {value}")
        return datetime_to_ms(value)
    return parse_timestamp_ms(str(value))


def format_timestamp(ms):
    dt = EPOCH + timedelta(milliseconds=ms)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if ms % 1000:
        text += f".{ms % 1000:03d}"
    return text + "Z"


def format_pct(value):
    """Exact Fraction -> 4 decimals, rounded half-even."""
    if value is None:
        return ""
    scaled = round(value * 10_000)   # round() on a Fraction rounds half to even
    sign = "-" if scaled < 0 else ""
    scaled = abs(scaled)
    return f"{sign}{scaled // 10_000}.{scaled % 10_000:04d}"


def text_cell(value):
    """SPEC section 6 formula-injection guard for text cells."""
    value = str(value)
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def status_of(text):
    s = text.strip().lower()
    if s == "1":
        return UP
    if s == "0":
        return DOWN
    if s in (UP, DEGRADED, DOWN, UNKNOWN, MAINTENANCE):
        return s
    fail(f"unknown status {text!r}")


# ---------------------------------------------------------------------------------------------
# Calendar: local midnights in the config zone

def local_midnight_ms(zone, d):
    return datetime_to_ms(datetime(d.year, d.month, d.day, tzinfo=zone))


def add_months(year, month, n):
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def period_bounds(text, zone, fiscal_start):
    """'2026-10' | '2026-Q4' | '2026-10-01..2026-10-15' -> (start_ms, end_ms)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        ny, nmo = add_months(y, mo, 1)
        return local_midnight_ms(zone, date(y, mo, 1)), local_midnight_ms(zone, date(ny, nmo, 1))
    m = re.fullmatch(r"(\d{4})-Q([1-4])", text)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        sy, smo = add_months(y, fiscal_start, 3 * (q - 1))
        ey, emo = add_months(sy, smo, 3)
        return local_midnight_ms(zone, date(sy, smo, 1)), local_midnight_ms(zone, date(ey, emo, 1))
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text)
    if m:
        a = date.fromisoformat(m.group(1))
        b = date.fromisoformat(m.group(2))
        if b < a:
            fail(f"period {text!r} ends before it starts")
        return local_midnight_ms(zone, a), local_midnight_ms(zone, b + timedelta(days=1))
    fail(f"unsupported period {text!r}")


def months_covering(zone, start_ms, end_ms):
    """The local calendar months [m0, m1) that together cover [start_ms, end_ms)."""
    first = (EPOCH + timedelta(milliseconds=start_ms)).astimezone(zone)
    y, mo = first.year, first.month
    months = []
    while True:
        m0 = local_midnight_ms(zone, date(y, mo, 1))
        ny, nmo = add_months(y, mo, 1)
        m1 = local_midnight_ms(zone, date(ny, nmo, 1))
        if m0 >= end_ms:
            break
        months.append((m0, m1))
        y, mo = ny, nmo
    return months


# ---------------------------------------------------------------------------------------------
# Loading

def load_config(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_samples(config, config_dir):
    """{(series name, region): sorted list of (t_ms, status)} from the config's csv status inputs."""
    series = {}
    for entry in (config.get("inputs") or {}).get("status") or []:
        if entry.get("format", "csv") != "csv":
            fail(f"only csv status inputs are supported, not {entry.get('format')!r}")
        for path in sorted(glob.glob(os.path.join(config_dir, entry["path"]))):
            with open(path, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    key = (row["service"], row.get("region") or "")
                    t = parse_timestamp_ms(row["timestamp"])
                    series.setdefault(key, {})
                    status = status_of(row["status"])
                    previous = series[key].get(t)
                    if previous is not None and previous != status:
                        fail(f"{path}: conflicting samples for {key} at {format_timestamp(t)}")
                    series[key][t] = status
    return {key: sorted(by_time.items()) for key, by_time in series.items()}


# ---------------------------------------------------------------------------------------------
# The timeline

def region_state_at(times, statuses, gap_ms, x):
    """State of one region series at instant x."""
    i = bisect.bisect_right(times, x) - 1
    if i < 0:
        return UNKNOWN
    hold_end = times[i] + gap_ms
    if i + 1 < len(times):
        hold_end = min(hold_end, times[i + 1])
    return statuses[i] if x < hold_end else UNKNOWN


def combine_regions(states, policy):
    known = [s for s in states if s in HEALTH]
    if not known:
        return MAINTENANCE if MAINTENANCE in states else UNKNOWN
    if policy == "any":
        return max(known, key=lambda s: HEALTH[s])
    if policy == "all":
        return min(known, key=lambda s: HEALTH[s])
    if policy == "majority":
        n = len(known)
        ups = sum(1 for s in known if s == UP)
        up_or_degraded = sum(1 for s in known if s in (UP, DEGRADED))
        if 2 * ups > n:
            return UP
        if 2 * up_or_degraded > n:
            return DEGRADED
        return DOWN
    fail(f"unknown regions policy {policy!r}")


def service_timeline(region_series, windows, months, gap_ms, policy, cap_ms):
    """Timeline over the whole months: list of (start, end, state), after maintenance windows and cap."""
    lo, hi = months[0][0], months[-1][1]
    points = {lo, hi}
    for m0, m1 in months:
        points.update((m0, m1))
    for times, _ in region_series:
        for t in times:
            for p in (t, t + gap_ms):
                if lo < p < hi:
                    points.add(p)
    for a, b in windows:
        for p in (a, b):
            if lo < p < hi:
                points.add(p)
    points = sorted(points)

    # 1. observed, combined state per elementary interval; config windows override it
    pieces = []
    for x, y in zip(points, points[1:]):
        states = [region_state_at(times, statuses, gap_ms, x) for times, statuses in region_series]
        state = combine_regions(states, policy) if states else UNKNOWN
        if any(a <= x < b for a, b in windows):
            state = MAINTENANCE
        pieces.append((x, y, state))

    # 2. the monthly maintenance cap, earliest first; the excess becomes down
    capped = []
    used = {m: 0 for m in months}
    for x, y, state in pieces:
        if state != MAINTENANCE:
            capped.append((x, y, state))
            continue
        month = next(m for m in months if m[0] <= x < m[1])
        room = max(0, cap_ms - used[month])
        keep = min(room, y - x)
        used[month] += keep
        if keep > 0:
            capped.append((x, x + keep, MAINTENANCE))
        if x + keep < y:
            capped.append((x + keep, y, DOWN))

    # 3. merge neighbours of the same state into maximal runs
    merged = []
    for x, y, state in capped:
        if merged and merged[-1][2] == state and merged[-1][1] == x:
            merged[-1] = (merged[-1][0], y, state)
        else:
            merged.append((x, y, state))
    return merged


def clip(timeline, start, end):
    out = []
    for x, y, state in timeline:
        a, b = max(x, start), min(y, end)
        if a < b:
            out.append((a, b, state))
    return out


# ---------------------------------------------------------------------------------------------

def compute(config, config_dir, period):
    zone = ZoneInfo(config["timezone"])
    start, end = period_bounds(period, zone, int(config.get("fiscal_year_start_month", 1)))
    months = months_covering(zone, start, end)
    defaults = config.get("status_defaults") or {}
    gap_ms = parse_duration_ms(defaults.get("max_sample_gap", "5m"))
    missing = defaults.get("missing_data", "exclude")
    degraded_rule = str(defaults.get("degraded", "up"))
    policy = defaults.get("regions", "any")
    if degraded_rule == "up":
        weight = Fraction(1)
    elif degraded_rule == "down":
        weight = Fraction(0)
    elif degraded_rule.startswith("partial:"):
        weight = Fraction(degraded_rule[len("partial:"):])
    else:
        fail(f"bad degraded rule {degraded_rule!r}")
    cap_ms = parse_duration_ms(config.get("max_excluded_maintenance", "0s")) \
        if config.get("max_excluded_maintenance") is not None else None
    samples = load_samples(config, config_dir)

    rows, incidents = [], []
    for service in sorted(config["services"], key=lambda s: s["id"]):
        sid = service["id"]
        name = service.get("status_series", sid)
        region_series = []
        for (series_name, region) in sorted(samples):
            if series_name == name:
                pairs = samples[(series_name, region)]
                region_series.append(([t for t, _ in pairs], [s for _, s in pairs]))
        windows = [(config_time_ms(w["start"]), config_time_ms(w["end"]))
                   for w in config.get("maintenance") or [] if w["service"] == sid]
        timeline = service_timeline(region_series, windows, months, gap_ms, policy,
                                    cap_ms if cap_ms is not None else 1 << 62)
        timeline = clip(timeline, start, end)

        ms = {UP: 0, DEGRADED: 0, DOWN: 0, UNKNOWN: 0, MAINTENANCE: 0}
        for x, y, state in timeline:
            ms[state] += y - x
        total = end - start
        assert sum(ms.values()) == total
        eligible = total - ms[MAINTENANCE] - (ms[UNKNOWN] if missing == "exclude" else 0)
        good = ms[UP] + weight * ms[DEGRADED] + (ms[UNKNOWN] if missing == "up" else 0)
        uptime = Fraction(100) * good / eligible if eligible > 0 else None
        base = total - ms[MAINTENANCE]
        coverage = Fraction(100 * (ms[UP] + ms[DEGRADED] + ms[DOWN]), base) if base > 0 else None
        downs = [y - x for x, y, state in timeline if state == DOWN]
        rows.append([
            text_cell(sid), text_cell(service["provider"]), format_timestamp(start), format_timestamp(end),
            total, ms[MAINTENANCE], ms[UNKNOWN], eligible, ms[UP], ms[DEGRADED], ms[DOWN],
            format_pct(uptime), format_pct(coverage), len(downs),
            max(downs) if downs else 0, sum(downs) // len(downs) if downs else "",
        ])
        for x, y, state in timeline:
            if state in (DOWN, DEGRADED):
                incidents.append((sid, x, state, y))
    incidents.sort()
    incident_rows = [[text_cell(sid), state, format_timestamp(x), format_timestamp(y), y - x]
                     for sid, x, state, y in incidents]
    return rows, incident_rows


def main():
    parser = argparse.ArgumentParser(description="Reference uptime.csv / incidents.csv for an sla.yaml")
    parser.add_argument("--config", required=True)
    parser.add_argument("--period", required=True)
    parser.add_argument("--incidents", action="store_true", help="print incidents.csv instead of uptime.csv")
    args = parser.parse_args()
    config = load_config(args.config)
    rows, incident_rows = compute(config, os.path.dirname(os.path.abspath(args.config)), args.period)
    out = csv.writer(sys.stdout, lineterminator="\n")
    if args.incidents:
        out.writerow(["service", "state", "start", "end", "duration_ms"])
        out.writerows(incident_rows)
    else:
        out.writerow(["service", "provider", "period_start", "period_end", "total_ms", "maintenance_ms",
                      "unknown_ms", "eligible_ms", "up_ms", "degraded_ms", "down_ms", "uptime_pct",
                      "coverage_pct", "incidents", "longest_outage_ms", "mttr_ms"])
        out.writerows(rows)


if __name__ == "__main__":
    main()
