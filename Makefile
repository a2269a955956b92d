# slareport — the two commands the README opens with are `make demo` and `make test`.
SWIFT ?= swift
CONFIG ?= fixtures/sla.yaml

.PHONY: setup build release demo test golden clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

# Imports the bundled fixture estate into a scratch database and writes the October 2026 report.
demo: release
	@scripts/demo.sh

test: setup
	$(SWIFT) build
	$(SWIFT) test

# Re-record the golden reports on purpose (fails while recording, so it is never mistaken for a pass).
golden: setup
	RECORD=1 $(SWIFT) test --filter Golden || true

clean:
	rm -rf .build demo-out
