# slareport — the two commands the README opens with are `make demo` and `make test`.
SWIFT ?= swift
CONFIG ?= fixtures/sla.yaml
# A target that imports a module it does not declare as a dependency fails the build (the arrows of README's layout).
CHECKED := --explicit-target-dependency-import-check error

.PHONY: setup build release demo test golden bench openmetrics-parity install clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build $(CHECKED)

# The release binary links the Swift runtime and Foundation statically: it runs on a machine without a Swift
# toolchain (cron hosts need only the Debian libraries: libsqlite3, libxlsxwriter, libcrypto), and it starts faster.
release: setup
	$(SWIFT) build -c release --static-swift-stdlib

# Imports the bundled fixture estate into a scratch database and writes the October 2026 report.
demo: release
	@scripts/demo.sh

# The build's and the tests' temporary files go to a folder of their own, emptied before and after the run, so no
# run leaves thousands of folders behind in /tmp.
TEST_TMP := $(CURDIR)/.build/test-tmp
test: setup
	rm -rf $(TEST_TMP) && mkdir -p $(TEST_TMP)
	TMPDIR=$(TEST_TMP) $(SWIFT) build $(CHECKED)
	TMPDIR=$(TEST_TMP) $(SWIFT) test $(CHECKED)
	rm -rf $(TEST_TMP)

# Re-record the golden reports on purpose (fails while recording, so it is never mistaken for a pass).
golden: setup
	RECORD=1 $(SWIFT) test --filter Golden || true

# SPEC §9: seeded synthetic estate, import and report timings, DuckDB and sqlite3 references.
# `make bench SCALE=10` grows the estate tenfold; `make bench BASELINE=old/slareport` times an earlier binary in the
# same run and checks that it writes the same reports.
SCALE ?= 1
BASELINE ?=
bench: setup
	scripts/bench/bench.sh --scale $(SCALE) $(if $(BASELINE),--baseline $(BASELINE))

# The OpenMetrics project's parser corpus through promtool and slareport, case by case (docs/DECISIONS.md quotes the
# figures). MIRROR is a clone of github.com/OpenObservability/OpenMetrics (bare or checked out); nothing is downloaded,
# and `make test` does not run it.
MIRROR ?=
openmetrics-parity:
	@test -n "$(MIRROR)" || { echo "usage: make openmetrics-parity MIRROR=path/to/OpenMetrics (a clone of github.com/OpenObservability/OpenMetrics)" >&2; exit 64; }
	$(MAKE) build
	scripts/openmetrics/parity.py "$(MIRROR)" --slareport .build/debug/slareport $(if $(VERBOSE),--verbose)

# Installs the release binary, its Markdown template, the man page swift-argument-parser generates (dated by the last
# commit, so the same checkout gives the same page) and the bash, zsh and fish completions under PREFIX.
PREFIX ?= /usr/local
install: release
	mkdir -p $(PREFIX)/bin $(PREFIX)/share/slareport/templates $(PREFIX)/share/man/man1 \
	  $(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 .build/release/slareport $(PREFIX)/bin/slareport
	install -m 644 templates/*.mustache $(PREFIX)/share/slareport/templates/
	$(SWIFT) package generate-manual --output-directory $(PREFIX)/share/man/man1 --date $$(git log -1 --format=%cs 2>/dev/null || echo 2026-12-01)
	.build/release/slareport --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/slareport
	.build/release/slareport --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_slareport
	.build/release/slareport --generate-completion-script fish > $(PREFIX)/share/fish/vendor_completions.d/slareport.fish

clean:
	rm -rf .build demo-out
