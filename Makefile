# pgvault: PostgreSQL backup and restore, repository-compatible with pgBackRest 2.45.
SWIFT ?= swift
BIN := .build/debug/pgvault

.PHONY: all deps build release test unit integration demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## Release binary with the Swift runtime and Foundation linked in: archive-push runs once per WAL segment, and
## loading them as shared libraries cost about a tenth of its time.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Every test: Swift unit tests, then the integration suites that run the built binary.
test: build
	$(SWIFT) test
	tests/integration/run.sh $(BIN)

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
