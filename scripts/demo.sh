#!/usr/bin/env bash
# The main job on the bundled fixtures: import the fixture estate's exports, then write the October 2026 report.
# Uses a scratch copy of the estate under demo-out/ so the repository stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/slareport
[[ -x $bin ]] || { echo "demo: $bin is missing; run 'make release' first" >&2; exit 1; }

work=demo-out
rm -rf "$work"
mkdir -p "$work/estate"
cp fixtures/sla.yaml "$work/estate/sla.yaml"
cp -R fixtures/exports "$work/estate/exports"
ln -s ../templates "$work/templates"

# `run` is the cron entry: it imports every export the config's inputs name (status and metrics), then reports.
dir=$("$bin" run --config "$work/estate/sla.yaml" --period 2026-10)
echo "demo: the 2026-10 report is in $dir"
dir=$("$bin" report --config "$work/estate/sla.yaml" --period 2026-Q4)
echo "demo: the 2026-Q4 report is in $dir"
for period in 2026-10 2026-Q4; do
  diff -rq "$work/estate/reports/$period" "fixtures/expected/$period" >/dev/null \
    && echo "demo: $period matches the committed fixtures/expected/$period" || echo "demo: $period differs from fixtures/expected/$period" >&2
done
