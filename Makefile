# Aspen's build and test entry points. `make run` and `make test` work on a
# fresh machine with Go installed; see README.md.

GO ?= go
# Pebble and the race detector want cgo.
export CGO_ENABLED := 1

# Extra flags for `make run`, e.g. make run ARGS='--log-level debug'.
ARGS ?=

.PHONY: all build run test lint bench slt clean

all: build

build:
	$(GO) build -o bin/aspen-server ./cmd/aspen-server

run: build
	./bin/aspen-server $(ARGS)

test:
	bash scripts/install-test-deps.sh
	$(GO) build ./...
	$(GO) test -race -count=1 -timeout 15m ./...

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh

# The sqllogictest corpus (../shared/corpus) and sqllogictest/testdata/pg
# against a fresh node; SLT_TARGET=postgres runs them on PostgreSQL instead.
slt:
	bash scripts/slt.sh

# Removes build outputs only; the data directory (./aspen-data) is kept.
clean:
	rm -rf bin
