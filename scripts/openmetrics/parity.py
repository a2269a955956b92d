#!/usr/bin/env python3
"""OpenMetrics parity: runs the OpenMetrics project's parser test corpus through promtool and slareport and says,
case by case and per class, where the two accept or reject the same text.  Python 3 standard library only; no
network.  A tool for people (docs/DECISIONS.md quotes its figures), not part of `make test`.

    parity.py MIRROR [--slareport PATH] [--promtool PATH] [--only NAME...] [--verbose] [--tsv FILE]

MIRROR is a clone of github.com/OpenObservability/OpenMetrics: a bare git directory (as the `fetch` tool leaves it,
read with `git --git-dir=MIRROR show HEAD:...`) or a checkout holding tests/testdata/parsers/.  Each case there is a
folder with `metrics` (the text) and `test.json` ({"shouldParse": true|false}).  The corpus is not copied into this
repository; it is read from MIRROR each run.

For each case the script
  1. writes the text to a scratch folder, adding a fixed timestamp to every sample line that has none (promtool's
     backfill and slareport both need one; a line whose shape leaves no clear place for it is left alone),
  2. runs `promtool tsdb create-blocks-from openmetrics FILE OUT` (accepted: exit 0),
  3. runs `slareport import metrics --format openmetrics FILE --config sla.yaml` into a fresh database
     (accepted: exit 0; a file with no samples is accepted with a warning, as promtool accepts it); promtool
     still working after 30 s (a timestamp past int64 milliseconds) counts as a rejection,
  4. prints `agree` or `DISAGREE`, both verdicts and the corpus's own expectation, with --verbose the first line
     of each rejection.
Then a summary per class (the corpus's reason groups, merged into a dozen) and overall.  Exit 0 whatever the
figures: disagreements are data to read, some of them deliberate (DECISIONS.md says which).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CORPUS = "tests/testdata/parsers"
# 2026-10-01T00:00:00Z, the fixtures' month: a timestamp both tools take.
FIXED_TIMESTAMP = "1790812800"

CONFIG = """\
version: 1
timezone: UTC
database: sla.db
providers: [{id: p}]
customers: [{id: c}]
services: [{id: api, provider: p}]
leases: []
"""

# The corpus names its cases `<reason>_<n>` (bad_help_3) or by what they show (counter_exemplars); a class gathers
# the reasons a reader of the figures would ask about together.  First matching prefix wins.
CLASSES = [
    ("exemplars", ("bad_exemplar", "counter_exemplars", "exemplars_", "histogram_exemplars",
                   "gaugehistogram_exemplars")),
    ("HELP/TYPE/UNIT lines", ("bad_help", "bad_type", "bad_unit", "bad_metadata", "empty_help", "empty_metadata",
                              "help_escaping", "type_help_switched", "counter_unit", "unit_gauge", "untyped",
                              "null_byte", "no_metadata")),
    ("repeated or clashing metadata", ("bad_repeated_metadata", "bad_clashing_names")),
    ("label set syntax", ("bad_invalid_labels", "bad_missing_equal_or_label_value", "bad_missing_or_extra_commas",
                          "bad_missing_or_wrong_quotes_on_label_value", "empty_brackets", "empty_label",
                          "escaping", "label_escaping", "labels_with_curly_braces", "hash_in_label_value")),
    ("metric names", ("bad_metric_names",)),
    ("histograms", ("bad_histograms", "negative_bucket_", "simple_histogram", "histogram_noncanonical",
                    "simple_gaugehistogram")),
    ("labels a type requires", ("bad_missing_or_invalid_labels_for_a_type",)),
    ("values a type allows", ("bad_counter_values", "bad_info_and_stateset_values", "bad_stateset_info_values")),
    ("sample values", ("bad_value", "bad_missing_value", "nan", "labels_and_infinite", "float_gauge",
                       "leading_zeros_", "uint64_counter")),
    ("timestamps", ("bad_timestamp", "timestamps", "duplicate_timestamps", "info_timestamps")),
    ("grouping and order", ("bad_grouping_or_ordering",)),
    ("lines and # EOF", ("bad_blank_line", "bad_no_eof", "bad_text_after_eof", "no_newline_after_eof")),
    ("whole expositions", ("simple_", "summary_quantiles", "roundtrip")),
]


def class_of(name):
    for label, prefixes in CLASSES:
        if any(name.startswith(p) for p in prefixes):
            return label
    return "other"


class Corpus:
    """The parser cases of MIRROR, a bare git directory or a checkout."""

    def __init__(self, mirror):
        self.mirror = mirror
        self.checkout = os.path.isdir(os.path.join(mirror, CORPUS))
        if not self.checkout:
            try:
                self.git("rev-parse", "--verify", "HEAD")
            except subprocess.CalledProcessError:
                sys.exit(f"parity.py: {mirror} is neither a checkout with {CORPUS}/ nor a git directory")

    def git(self, *args):
        return subprocess.run(["git", "--git-dir", self.mirror, *args], check=True,
                              capture_output=True).stdout

    def names(self):
        if self.checkout:
            return sorted(os.listdir(os.path.join(self.mirror, CORPUS)))
        out = self.git("ls-tree", "--name-only", f"HEAD:{CORPUS}").decode()
        return sorted(n for n in out.split("\n") if n)

    def read(self, name, file):
        if self.checkout:
            with open(os.path.join(self.mirror, CORPUS, name, file), "rb") as f:
                return f.read()
        return self.git("show", f"HEAD:{CORPUS}/{name}/{file}")


SERIES = re.compile(rb'[a-zA-Z_:][a-zA-Z0-9_:]*(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?')


def with_timestamps(text):
    """The text with FIXED_TIMESTAMP after the value of each sample line that has no timestamp.

    A sample line is `series value[ timestamp][ # exemplar]`.  When the value is followed by nothing, or by
    ` # ` (an exemplar), there is no timestamp and one is inserted; anything else after the value (` z`,
    ` ` alone, `# {}`) is left as written, so the case still tests what it was written to test."""
    lines = text.split(b"\n")
    out = []
    for line in lines:
        if line.startswith(b"#") or not line:
            out.append(line)
            continue
        m = SERIES.match(line)
        if not m or m.end() >= len(line) or line[m.end():m.end() + 1] != b" ":
            out.append(line)
            continue
        value_start = m.end() + 1
        value_end = line.find(b" ", value_start)
        if value_end == -1:
            value_end = len(line)
        rest = line[value_end:]
        if value_end == value_start:
            out.append(line)
        elif rest == b"" or rest.startswith(b" # "):
            out.append(line[:value_end] + b" " + FIXED_TIMESTAMP.encode() + rest)
        else:
            out.append(line)
    return b"\n".join(out)


def first_line(text):
    for line in text.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return ""


# promtool cuts the samples' time range into 2-hour blocks; a timestamp beyond int64 milliseconds (the corpus's
# `timestamps` case has 12345678901234567890.1) makes that range endless.  Not finishing is not accepting.
PROMTOOL_TIMEOUT = 30


def run_promtool(promtool, path, scratch):
    out = os.path.join(scratch, "promtool-blocks")
    try:
        p = subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", path, out],
                           capture_output=True, timeout=PROMTOOL_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, f"(no answer in {PROMTOOL_TIMEOUT} s: counted as a rejection)"
    return p.returncode == 0, first_line(p.stderr) or first_line(p.stdout)


def run_slareport(slareport, path, scratch):
    with open(os.path.join(scratch, "sla.yaml"), "w") as f:
        f.write(CONFIG)
    p = subprocess.run([slareport, "import", "metrics", "--format", "openmetrics", os.path.basename(path),
                        "--config", "sla.yaml"], cwd=scratch, capture_output=True, timeout=120)
    if p.returncode not in (0, 65):
        sys.exit(f"parity.py: slareport exited {p.returncode} on {path}: {first_line(p.stderr)}")
    return p.returncode == 0, first_line(p.stderr) or first_line(p.stdout)


def verdict(accepted):
    return "accept" if accepted else "reject"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirror", help="OpenMetrics repository: bare git directory or checkout")
    ap.add_argument("--slareport", default=os.path.join(os.path.dirname(__file__), "../../.build/debug/slareport"))
    ap.add_argument("--promtool", default=shutil.which("promtool") or "promtool")
    ap.add_argument("--only", nargs="*", help="case names to run (default: all)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each tool's first message line")
    ap.add_argument("--tsv", help="also write one row per case to this file")
    args = ap.parse_args()

    for tool in (args.slareport, args.promtool):
        if not shutil.which(tool) and not os.access(tool, os.X_OK):
            sys.exit(f"parity.py: {tool} is not an executable (build with `swift build`; promtool is in Debian's "
                     "prometheus package)")
    slareport = os.path.abspath(args.slareport) if os.path.exists(args.slareport) else args.slareport

    corpus = Corpus(args.mirror)
    names = args.only or corpus.names()
    rows = []
    with tempfile.TemporaryDirectory(prefix="om-parity-") as tmp:
        for name in names:
            should = json.loads(corpus.read(name, "test.json")).get("shouldParse")
            text = with_timestamps(corpus.read(name, "metrics"))
            scratch = os.path.join(tmp, name)
            os.mkdir(scratch)
            path = os.path.join(scratch, "case.om")
            with open(path, "wb") as f:
                f.write(text)
            prom_ok, prom_msg = run_promtool(args.promtool, path, scratch)
            ours_ok, ours_msg = run_slareport(slareport, path, scratch)
            shutil.rmtree(scratch)
            rows.append((name, class_of(name), should, prom_ok, ours_ok, prom_msg, ours_msg))

    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'corpus':<6}  {'promtool':<8}  {'slareport':<9}  parity")
    for name, _, should, prom_ok, ours_ok, prom_msg, ours_msg in rows:
        mark = "agree" if prom_ok == ours_ok else "DISAGREE"
        print(f"{name:<{width}}  {verdict(should):<6}  {verdict(prom_ok):<8}  {verdict(ours_ok):<9}  {mark}")
        if args.verbose and not prom_ok:
            print(f"{'':<{width}}    promtool:  {prom_msg}")
        if args.verbose and not ours_ok:
            print(f"{'':<{width}}    slareport: {ours_msg}")

    print()
    print("class                           cases  agree  disagree  promtool=corpus  slareport=corpus")
    order = [label for label, _ in CLASSES] + ["other"]
    total = [0, 0, 0, 0, 0]
    for label in order:
        group = [r for r in rows if r[1] == label]
        if not group:
            continue
        agree = sum(1 for r in group if r[3] == r[4])
        prom_corpus = sum(1 for r in group if r[3] == r[2])
        ours_corpus = sum(1 for r in group if r[4] == r[2])
        figures = [len(group), agree, len(group) - agree, prom_corpus, ours_corpus]
        total = [a + b for a, b in zip(total, figures)]
        print(f"{label:<30}  {figures[0]:>5}  {figures[1]:>5}  {figures[2]:>8}  {figures[3]:>15}  {figures[4]:>16}")
    print(f"{'all':<30}  {total[0]:>5}  {total[1]:>5}  {total[2]:>8}  {total[3]:>15}  {total[4]:>16}")

    if args.tsv:
        with open(args.tsv, "w") as f:
            f.write("case\tclass\tcorpus\tpromtool\tslareport\tpromtool_message\tslareport_message\n")
            for name, label, should, prom_ok, ours_ok, prom_msg, ours_msg in rows:
                messages = [m.replace("\t", " ") if not ok else "" for m, ok in ((prom_msg, prom_ok), (ours_msg, ours_ok))]
                f.write("\t".join([name, label, verdict(should), verdict(prom_ok), verdict(ours_ok), *messages]) + "\n")


if __name__ == "__main__":
    main()
