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

"$bin" import status "$work"/estate/exports/status/*.csv --config "$work/estate/sla.yaml"
for period in 2026-10 2026-Q4; do
  dir=$("$bin" report --config "$work/estate/sla.yaml" --period "$period")
  echo "demo: the $period report is in $dir"
done
