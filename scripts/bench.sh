#!/usr/bin/env bash
# `make bench`: Aspen's benchmarks, each beside a reference server started by
# this script on the same machine in the same run. Prints results; fails only
# when a benchmark program itself fails, never on a speed threshold.
#
#   BENCH_DURATION=5s   how long each load run lasts
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-5s}
WORK=$(mktemp -d -t aspen-bench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

bash scripts/install-test-deps.sh >/dev/null || true
echo "== build"
go build -o bin/aspen-server ./cmd/aspen-server
go build -o bin/aspen-bench ./cmd/aspen-bench
go build -o bin/aspen-fsyncbench ./cmd/aspen-fsyncbench
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"

# The disk's durable-write rate: the ceiling a log without group commit has.
echo "== disk: fdatasync rate (aspen-fsyncbench, in the benchmark's directory)"
bin/aspen-fsyncbench -dir "$WORK" -duration 3s | tee "$WORK/fsync.txt"
FSYNC=$(awk -F': *' '/^fsync\/s/{print int($2)}' "$WORK/fsync.txt")

wait_http() { # addr
	for _ in $(seq 1 200); do
		curl -sf "http://$1/health" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "node at $1 did not become healthy" >&2
	return 1
}

start_node() { # id n join
	local id=$1 n=$2 join=${3:-}
	local args=(--node-id "$id" --data-dir "$WORK/$id" --log-level warn
		--resp-addr "127.0.0.1:$((26379 + n))" --raft-addr "127.0.0.1:$((27000 + n))"
		--http-addr "127.0.0.1:$((28080 + n))" --pg-addr "127.0.0.1:$((25432 + n))")
	[ -n "$join" ] && args+=(--join "$join")
	bin/aspen-server "${args[@]}" >"$WORK/$id.log" 2>&1 &
	PIDS+=($!)
	wait_http "127.0.0.1:$((28080 + n))"
}

# load LABEL ADDRS OP CLIENTS -> appends "label op clients ops p50 p99" rows
load() {
	bin/aspen-bench -label "$1" -addrs "$2" -op "$3" -clients "$4" -duration "$DURATION" | tee -a "$WORK/results.txt"
}

echo "== reference: redis-server, appendfsync always (the same durability as Aspen)"
if command -v redis-server >/dev/null; then
	mkdir -p "$WORK/redis"
	redis-server --port 26000 --dir "$WORK/redis" --appendonly yes --appendfsync always \
		--save '' --daemonize no >"$WORK/redis.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 1 50); do redis-cli -p 26000 ping >/dev/null 2>&1 && break; sleep 0.1; done
	load redis 127.0.0.1:26000 set 1,16,64
	load redis 127.0.0.1:26000 get 16,64
	redis-cli -p 26000 shutdown nosave >/dev/null 2>&1 || true
else
	echo "redis-server is not installed (scripts/install-test-deps.sh installs it); no reference figures"
fi

echo "== Aspen, one node"
start_node b1 1
load aspen-1 127.0.0.1:26380 set 1,16,64
load aspen-1 127.0.0.1:26380 get 16,64
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

echo "== Aspen, three nodes (clients spread over all nodes; writes go to the leader)"
start_node c1 11
start_node c2 12 127.0.0.1:28091
start_node c3 13 127.0.0.1:28091
ALL=127.0.0.1:26390,127.0.0.1:26391,127.0.0.1:26392
load aspen-3 "$ALL" set 1,16,64
load aspen-3 "$ALL" get 16,64

echo
echo "== summary (ops/s; ratio = Aspen / redis-server with appendfsync always)"
awk -v fsync="$FSYNC" '
	{
		label=$1; op=$2; sub("op=","",op); c=$3; sub("clients=","",c)
		ops=$4; sub("ops/s=","",ops)
		key=op" "c; v[label" "key]=ops; keys[key]=1
		p50[label" "key]=$5; p99[label" "key]=$6
	}
	END {
		printf "%-6s %-7s %12s %12s %8s %12s %8s  %s\n", "op", "clients", "redis", "aspen-1", "ratio", "aspen-3", "ratio", "aspen-1 latency"
		n=split("set 1,set 16,set 64,get 16,get 64", order, ",")
		for (i=1; i<=n; i++) {
			k=order[i]; split(k, parts, " ")
			r=v["redis "k]; a1=v["aspen-1 "k]; a3=v["aspen-3 "k]
			printf "%-6s %-7s %12s %12s %8s %12s %8s  %s %s\n", parts[1], parts[2], r, a1,
				(r>0 ? sprintf("%.2fx", a1/r) : "-"), a3, (r>0 ? sprintf("%.2fx", a3/r) : "-"),
				p50["aspen-1 "k], p99["aspen-1 "k]
		}
		if (fsync > 0) {
			printf "\ngroup commit: aspen-1 set with 64 clients = %.1fx the disk fsync rate (%d/s); 3 nodes: %.1fx\n",
				v["aspen-1 set 64"]/fsync, fsync, v["aspen-3 set 64"]/fsync
		}
	}' "$WORK/results.txt"

echo
echo "== store micro-benchmarks (go test -bench, one node, in process)"
go test -run '^$' -bench 'BenchmarkCommit|BenchmarkPointRead' -benchtime 2s ./raftstore/ | grep -E '^Benchmark'
