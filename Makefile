# pgvault: PostgreSQL backup and restore, repository-compatible with pgBackRest 2.45.
SWIFT ?= swift
BIN := .build/debug/pgvault
## Reliability records (scenario, runs, passed, data lost, repositories corrupted): the Swift fuzz tests and the
## scenario scripts append to it; tests/reliability/run.sh prints it as a table.
REL_RESULTS := $(CURDIR)/.build/reliability-results.tsv

.PHONY: all deps build release test unit integration reliability demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## Release binary with the Swift runtime and Foundation linked in: archive-push runs once per WAL segment, and
## loading them as shared libraries cost about a tenth of its time.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Every test: Swift unit tests (fuzz targets 20 s each), the integration suites that run the built binary, then the
## short reliability suite (3 kill points per command).
test: build
	@: > $(REL_RESULTS)
	PGVAULT_FUZZ_SECONDS=20 REL_RESULTS=$(REL_RESULTS) $(SWIFT) test
	tests/integration/run.sh $(BIN)
	REL_MODE=ci REL_RESULTS=$(REL_RESULTS) tests/reliability/run.sh $(BIN)

## The whole reliability suite: every fuzz target 10 minutes under libFuzzer (two at a time, about 80 minutes) and
## 20 s under the seeded mutator, 20 kill points per command and every scenario's full mode; prints the table.
reliability: build
	@: > $(REL_RESULTS)
	REL_RESULTS=$(REL_RESULTS) tests/reliability/fuzz.sh 600
	PGVAULT_FUZZ_SECONDS=20 REL_RESULTS=$(REL_RESULTS) $(SWIFT) test --filter Fuzz
	REL_MODE=full REL_RESULTS=$(REL_RESULTS) tests/reliability/run.sh $(BIN)

unit: build
	$(SWIFT) test

integration: build
	tests/integration/run.sh $(BIN)

demo: build
	scripts/demo.sh $(BIN)

bench: release
	bench/run.sh

clean:
	rm -rf .build
