#!/usr/bin/env bash
# The benchmark of SPEC §9: a seeded synthetic estate, slareport's import and reports timed with
# /usr/bin/time -v, and the same October uptime computed by DuckDB and the sqlite3 CLI.
# Usage: scripts/bench/bench.sh [--scale K] [--baseline BIN]
#   K multiplies the number of samples: services and days each grow by √K, so the default 1 is 100 services × 31 days
#   and 10 is 316 × 98; the 10,000-lease estate does not scale.
#   --baseline BIN times another slareport binary (an earlier build) on the same estates in the same run, prints its
#   rows beside ours with the ratio, and checks that both wrote byte-identical reports (diff -r).
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=1
baseline=""
while (($#)); do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --baseline) baseline=$(realpath "$2"); shift 2 ;;
    *) echo "usage: $0 [--scale K] [--baseline BIN]" >&2; exit 64 ;;
  esac
done
services=$(python3 -c "print(round(100 * $scale ** 0.5))"); days=$(python3 -c "print(round(31 * $scale ** 0.5))")

for tool in sqlite3 bc; do command -v $tool >/dev/null || { apt-get update -qq && apt-get install -y -qq $tool >&2; }; done
python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet duckdb >&2 \
  || python3 -m pip install --quiet --user --break-system-packages duckdb >&2   # a Debian python (PEP 668), as setup.sh does
swift build -c release --static-swift-stdlib >&2   # as `make release` builds it
bin=$PWD/.build/release/slareport

work=${BENCH_DIR:-/tmp/slareport-bench}/s$scale
if [[ ! -f $work/sla.yaml ]]; then
  echo "bench: generating $services services x $days days of 1-minute samples in $work" >&2
  python3 scripts/bench/generate.py "$work" --services "$services" --days "$days"
fi
rm -rf "$work/data" "$work/reports" "$work/ref" "$work/base"
mkdir -p "$work/ref"
samples=$(cat "$work"/exports/status/*.csv | wc -l); samples=$((samples - $(ls "$work"/exports/status/*.csv | wc -l)))

# measure LABEL COMMAND...: wall seconds and peak RSS (MB) via /usr/bin/time -v.
measure() {
  local label=$1; shift
  /usr/bin/time -v -o "$work/ref/$label.time" "$@" >"$work/ref/$label.out" 2>"$work/ref/$label.err" \
    || { echo "bench: $label failed:" >&2; tail -5 "$work/ref/$label.err" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$work/ref/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$work/ref/$label.time")
  echo "$wall $rss"
}

read -r import_s import_rss < <(measure import "$bin" import status "$work"/exports/status/*.csv --config "$work/sla.yaml")
read -r month_s month_rss < <(measure month "$bin" report --config "$work/sla.yaml" --period 2026-10)
read -r quarter_s quarter_rss < <(measure quarter "$bin" report --config "$work/sla.yaml" --period 2026-Q4)
duck_s=$(python3 scripts/bench/reference.py duckdb "$work/ref/duckdb.csv" "$work/exports/status/*.csv")
sqlite_s=$(python3 scripts/bench/reference.py sqlite "$work/ref/sqlite.csv" "$work"/exports/status/*.csv)

# SPEC §9 / issue 7: a report for 10,000 leases (100 services, 100 leases each, one week of samples), whatever the scale.
leases_dir=${BENCH_DIR:-/tmp/slareport-bench}/leases
if [[ ! -f $leases_dir/sla.yaml ]]; then
  python3 scripts/bench/generate.py "$leases_dir" --services 100 --days 7 --leases-per-service 100
fi
rm -rf "$leases_dir/data" "$leases_dir/reports"
"$bin" import status "$leases_dir"/exports/status/*.csv --config "$leases_dir/sla.yaml" 2>/dev/null
lease_count=$(grep -c '^  - {id: L-' "$leases_dir/sla.yaml")
read -r leases_s leases_rss < <(measure leases "$bin" report --config "$leases_dir/sla.yaml" --period 2026-10)

# Our October figures in the reference's shape.
awk -F, 'NR==1 {print "service,up_ms,degraded_ms,down_ms,unknown_ms"; next} {print $1","$9","$10","$11","$7}' \
  "$work/reports/2026-10/uptime.csv" > "$work/ref/slareport.csv"
agree=yes
cmp -s "$work/ref/slareport.csv" "$work/ref/duckdb.csv" || agree=no
cmp -s "$work/ref/slareport.csv" "$work/ref/sqlite.csv" || agree=no

ours=$(echo "$import_s + $month_s" | bc -l)
peak=$(( import_rss > month_rss ? import_rss : month_rss )); peak=$(( peak > quarter_rss ? peak : quarter_rss ))
peak=$(( peak > leases_rss ? peak : leases_rss ))
row() { printf '%-28s %10s %9.2f %12s %9s %8s %7s\n' "$@"; }
printf '%-28s %10s %9s %12s %9s %8s %7s\n' tool samples seconds samples/s rss_mb ratio agree
row "slareport import" "$samples" "$import_s" "$(echo "$samples / $import_s" | bc)" "$import_rss" "" ""
row "slareport report 2026-10" "$samples" "$month_s" "" "$month_rss" "" ""
row "slareport report 2026-Q4" "$samples" "$quarter_s" "" "$quarter_rss" "" ""
row "slareport report $lease_count leases" "-" "$leases_s" "" "$leases_rss" "" ""
row "slareport import+month" "$samples" "$ours" "$(echo "$samples / $ours" | bc)" "$peak" "1.00" "-"
row "duckdb read_csv+lead()" "$samples" "$duck_s" "$(echo "$samples / $duck_s" | bc)" "-" "$(printf '%.2f' "$(echo "$duck_s / $ours" | bc -l)")" "$(cmp -s "$work/ref/slareport.csv" "$work/ref/duckdb.csv" && echo yes || echo no)"
row "sqlite3 .import+lead()" "$samples" "$sqlite_s" "$(echo "$samples / $sqlite_s" | bc)" "-" "$(printf '%.2f' "$(echo "$sqlite_s / $ours" | bc -l)")" "$(cmp -s "$work/ref/slareport.csv" "$work/ref/sqlite.csv" && echo yes || echo no)"
echo "numbers_agree=$agree"
printf 'speedup_vs_duckdb=%.2f\n' "$(echo "$duck_s / $ours" | bc -l)"
echo "peak_rss_mb=$peak"

# Issue 13: pulling October from a local Prometheus (fetch, archive, import) beside curl fetching the same requests.
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >&2; }
python3 scripts/bench/pull.py "$work" "$bin"

# The same runs with an earlier binary, on copies of the estates (own database, own reports), then diff -r.
if [[ -n $baseline ]]; then
  base_config() {  # DIR -> a config in DIR/base whose database and reports stay there, exports shared
    local dir=$1; rm -rf "$dir/base"; mkdir -p "$dir/base"
    ln -s "$dir/exports" "$dir/base/exports"; cp "$dir/sla.yaml" "$dir/base/sla.yaml"; echo "$dir/base/sla.yaml"
  }
  bconf=$(base_config "$work")
  read -r b_import_s b_import_rss < <(measure base-import "$baseline" import status "$work"/base/exports/status/*.csv --config "$bconf")
  read -r b_month_s b_month_rss < <(measure base-month "$baseline" report --config "$bconf" --period 2026-10)
  read -r b_quarter_s b_quarter_rss < <(measure base-quarter "$baseline" report --config "$bconf" --period 2026-Q4)
  lconf=$(base_config "$leases_dir")
  "$baseline" import status "$leases_dir"/base/exports/status/*.csv --config "$lconf" 2>/dev/null
  read -r b_leases_s b_leases_rss < <(measure base-leases "$baseline" report --config "$lconf" --period 2026-10)
  same=yes
  for pair in "$work/reports/2026-10 $work/base/reports/2026-10" "$work/reports/2026-Q4 $work/base/reports/2026-Q4" \
              "$leases_dir/reports/2026-10 $leases_dir/base/reports/2026-10"; do
    # The manifests differ only in the recorded input paths (base/exports/… vs exports/…).
    diff -r -x manifest.json $pair >&2 || same=no
  done
  echo
  printf '%-28s %9s %9s %7s %9s %9s\n' "vs baseline" "base_s" "this_s" "ratio" "base_rss" "this_rss"
  cmp_row() { printf '%-28s %9.2f %9.2f %7.2f %9s %9s\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)" "$4" "$5"; }
  cmp_row "import" "$b_import_s" "$import_s" "$b_import_rss" "$import_rss"
  cmp_row "report 2026-10" "$b_month_s" "$month_s" "$b_month_rss" "$month_rss"
  cmp_row "report 2026-Q4" "$b_quarter_s" "$quarter_s" "$b_quarter_rss" "$quarter_rss"
  cmp_row "report $lease_count leases" "$b_leases_s" "$leases_s" "$b_leases_rss" "$leases_rss"
  echo "reports_identical_to_baseline=$same"
  printf 'time_vs_baseline=%.2f\n' "$(echo "($import_s + $month_s + $quarter_s + $leases_s) / ($b_import_s + $b_month_s + $b_quarter_s + $b_leases_s)" | bc -l)"
fi
