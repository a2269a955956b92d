#!/usr/bin/env python3
"""Reference uptime for the benchmark estate, computed by DuckDB and by the sqlite3 command-line tool.

For October 2026 (UTC) and each service: a sample holds until the next one of its service, at most
max_sample_gap (5 min); the rest is unknown. Prints `tool seconds` lines to stderr and writes
`service,up_ms,degraded_ms,down_ms,unknown_ms` CSV per tool, to compare with slareport's uptime.csv.
"""
import subprocess
import sys
import time

PERIOD_START = 1790812800000   # 2026-10-01T00:00:00Z
PERIOD_END = 1793491200000     # 2026-11-01T00:00:00Z
GAP = 300000

SQL = f"""
WITH l AS (
  SELECT service, t, status, lead(t) OVER (PARTITION BY service ORDER BY t) AS nt FROM samples
), d AS (
  SELECT service, status,
         max(0, min(coalesce(nt, t + {GAP}), t + {GAP}, {PERIOD_END}) - max(t, {PERIOD_START})) AS dur
  FROM l WHERE t < {PERIOD_END} AND t + {GAP} > {PERIOD_START}
)
SELECT service,
       sum(CASE WHEN status = 'up' THEN dur ELSE 0 END) AS up_ms,
       sum(CASE WHEN status = 'degraded' THEN dur ELSE 0 END) AS degraded_ms,
       sum(CASE WHEN status = 'down' THEN dur ELSE 0 END) AS down_ms,
       {PERIOD_END - PERIOD_START} - sum(dur) AS unknown_ms
FROM d GROUP BY service ORDER BY service
"""


def duckdb_run(glob, out):
    import duckdb
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"""CREATE TABLE samples AS SELECT service, epoch_ms(CAST(timestamp AS TIMESTAMPTZ)) AS t, status
                    FROM read_csv('{glob}', header = true, columns = {{'timestamp': 'VARCHAR', 'service': 'VARCHAR', 'status': 'VARCHAR'}})""")
    rows = con.execute(SQL.replace("max(0,", "greatest(0,").replace("min(coalesce", "least(coalesce")
                       .replace("- max(t,", "- greatest(t,")).fetchall()
    elapsed = time.perf_counter() - started
    write(out, rows)
    return elapsed


def sqlite_run(files, out):
    started = time.perf_counter()
    script = [".mode csv", "CREATE TABLE raw(timestamp TEXT, service TEXT, status TEXT);"]
    script += [f".import --skip 1 {f} raw" for f in files]
    script += ["CREATE TABLE samples AS SELECT service, CAST(unixepoch(timestamp) AS INTEGER) * 1000 AS t, status FROM raw;",
               ".headers off", SQL.strip() + ";"]
    result = subprocess.run(["sqlite3", ":memory:"], input="\n".join(script), capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    rows = [line.split(",") for line in result.stdout.strip().splitlines()]
    write(out, rows)
    return elapsed


def write(path, rows):
    with open(path, "w") as f:
        f.write("service,up_ms,degraded_ms,down_ms,unknown_ms\n")
        for r in rows:
            f.write(",".join(str(int(x)) if i else str(x) for i, x in enumerate(r)) + "\n")


if __name__ == "__main__":
    tool, out = sys.argv[1], sys.argv[2]
    files = sys.argv[3:]
    if tool == "duckdb":
        seconds = duckdb_run(files[0], out)
    else:
        seconds = sqlite_run(files, out)
    print(f"{seconds:.3f}")
