#!/usr/bin/env bash
# `make bench`: Aspen's benchmarks. Prints results; fails only when a
# benchmark program itself fails, never on a speed threshold.
set -euo pipefail
cd "$(dirname "$0")/.."

# The disk's durable-write rate: the ceiling for the Raft log's group commit.
if [ -d cmd/aspen-fsyncbench ]; then
	echo "== disk: fdatasync rate (aspen-fsyncbench)"
	go run ./cmd/aspen-fsyncbench -duration 3s
else
	echo "== disk: cmd/aspen-fsyncbench not present; skipped"
fi

# TODO(lead): cluster benchmark.
# To be added here: build bin/aspen-server, start a node (and a three-node
# cluster on loopback) in temporary data dirs, run cmd/aspen-bench against
# it and against a reference redis-server started by this script on another
# port, print each figure and its ratio to the reference (and the Raft
# commit rate as a fraction of the fsync rate above), then stop every
# process this script started.
echo "== cluster benchmark: not yet written (see TODO in scripts/bench.sh)"
