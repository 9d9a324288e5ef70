#!/usr/bin/env bash
# `make bench`: Aspen's benchmarks, each beside a reference server started by
# this script on the same machine in the same run. Prints results; fails only
# when a benchmark program itself fails, never on a speed threshold.
#
# Sections: aspen-bench set/get loads (redis-server with appendfsync always,
# Aspen on one and three nodes); redis-benchmark SET GET INCR LPUSH HSET ZADD
# at pipeline 1 and 16 (redis-server with appendfsync always, redis-server
# without persistence, Aspen on one node; a command Aspen rejects gives an
# "n/a (error: ...)" row); the delete-heavy workloads of aspen-bench
# (zset-cap, queue, ttl-churn, big-neighbour; ops/s per slice, to see
# whether throughput stays flat as tombstones pile up); store micro-benchmarks.
#
#   BENCH_DURATION=5s   how long each load run lasts (Ns or Nms)
#   BENCH_REQUESTS=     redis-benchmark requests per run; unset: sized from a
#                       short calibration run so each run lasts about half of
#                       BENCH_DURATION
#   BENCH_SLICE=1s      reporting slice of the delete-heavy workloads
#   BENCH_GEO_POINTS=1000000  positions the GEO workloads load
#   BENCH_SQL_ROWS=1000000  rows of aspen-sqlbench's fact table
#   BENCH_PGBENCH_SCALE=10  pgbench -i scale
#
# The SQL section runs aspen-sqlbench (point lookups, range, GROUP BY, join,
# ORDER BY LIMIT, inserts, COPY load) and pgbench (select-only and TPC-B,
# 8 clients) against Aspen and against PostgreSQL started by this script.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-5s}
SLICE=${BENCH_SLICE:-1s}
REQUESTS=${BENCH_REQUESTS:-}
# Seconds one redis-benchmark run aims at: half of BENCH_DURATION, at least 1.
RB_SECS=$(awk -v d="$DURATION" 'BEGIN {
	if (d ~ /ms$/) { sub("ms$", "", d); s = d / 1000 } else if (d ~ /m$/) { sub("m$", "", d); s = d * 60 } else { sub("s$", "", d); s = d + 0 }
	s = s / 2; print (s < 1 ? 1 : s) }')
WORK=$(mktemp -d -t aspen-bench.XXXXXX)
PIDS=()
PGCTL=
cleanup() {
	[ -n "$PGCTL" ] && $PGCTL stop -m immediate >/dev/null 2>&1 || true
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
go build -o bin/aspen-sqlbench ./cmd/aspen-sqlbench
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

# The redis-benchmark tests: -t names, and zadd, which redis-benchmark 7.0
# has no -t test for and runs as a custom command.
RB_TESTS="set get incr lpush hset zadd"

# rb_probe PORT TEST -> "" when the server runs the test's command, else the
# error it replied (one redis-cli call; redis-cli exits 0 on error replies).
rb_probe() {
	local port=$1 t=$2 k=bench:probe:rb:$2 out
	local -a cmd
	case $t in
	set) cmd=(SET "$k" 1) ;;
	get) cmd=(GET bench:probe:rb:set) ;;
	incr) cmd=(INCR "$k") ;;
	lpush) cmd=(LPUSH "$k" a) ;;
	hset) cmd=(HSET "$k" f v) ;;
	zadd) cmd=(ZADD "$k" 1 m) ;;
	esac
	out=$(redis-cli -p "$port" "${cmd[@]}" 2>&1 | head -1) || true
	case $t in get) [ "$out" = 1 ] && return 0 ;; *) [[ $out =~ ^(OK|-?[0-9]+)$ ]] && return 0 ;; esac
	echo "${out:-no reply}"
}

# rb_once PORT PIPELINE REQUESTS TEST -> the run's requests/s, or "error: ..."
# when the server replied an error (redis-benchmark 7.0 stops at the first
# one) or the run failed.
rb_once() {
	local port=$1 p=$2 n=$3 t=$4 out rps
	local -a args=(-h 127.0.0.1 -p "$port" -c 50 -P "$p" -n "$n" -r 100000 --csv)
	if [ "$t" = zadd ]; then args+=(ZADD zbench __rand_int__ element:__rand_int__); else args+=(-t "$t"); fi
	out=$(timeout 300 redis-benchmark "${args[@]}" 2>"$WORK/rb.err") || true
	rps=$(awk -F'","' 'NR > 1 && NF > 1 { print $2; exit }' <<<"$out")
	if grep -q '^Error' "$WORK/rb.err"; then
		echo "error: $(grep -m1 '^Error' "$WORK/rb.err" | sed 's/^Error from server: //')"
	elif [ -z "$rps" ]; then
		echo "error: $(grep -v WARNING "$WORK/rb.err" | tail -1)"
	else
		echo "$rps"
	fi
}

# rbench LABEL PORT: redis-benchmark, 50 clients, pipeline 1 and 16, every
# test; appends "label<TAB>test<TAB>pipeline<TAB>rps or n/a (error: ...)" rows.
rbench() {
	local label=$1 port=$2 t p err n r
	for t in $RB_TESTS; do
		err=$(rb_probe "$port" "$t")
		for p in 1 16; do
			if [ -n "$err" ]; then
				r="n/a (error: $err)"
			else
				n=$REQUESTS
				if [ -z "$n" ]; then # calibrate: a short run, then size the real one
					r=$(rb_once "$port" "$p" $((1000 * p)) "$t")
					n=$(awk -v r="$r" -v s="$RB_SECS" -v lo=$((1000 * p)) 'BEGIN {
						n = int(r * s); if (n < lo) n = lo; if (n > 20000000) n = 20000000; print n }')
				fi
				r=$(rb_once "$port" "$p" "$n" "$t")
				[[ $r == error:* ]] && r="n/a (${r})"
			fi
			printf '%s\t%s\t%s\t%s\n' "$label" "$t" "$p" "$r" | tee -a "$WORK/rb.txt"
		done
	done
	redis-cli -p "$port" DEL bench:probe:rb:set bench:probe:rb:incr bench:probe:rb:lpush \
		bench:probe:rb:hset bench:probe:rb:zadd >/dev/null 2>&1 || true
}

# geo LABEL ADDR: aspen-bench's GEO workloads, 16 clients: GEOSEARCH
# BYRADIUS 1/10/100 km (COUNT 100) over BENCH_GEO_POINTS positions loaded
# once per server, and GEOADD.
geo() {
	local w
	for w in geo-radius-1km geo-radius-10km geo-radius-100km geo-add; do
		bin/aspen-bench -label "$1" -addrs "$2" -op "$w" -clients 16 -duration "$DURATION" \
			-slice "$DURATION" -geo-points "${BENCH_GEO_POINTS:-1000000}" | grep -v '^  ' | tee -a "$WORK/geo.txt"
	done
}

# streams LABEL ADDR: aspen-bench's stream workloads, 16 clients: XADD,
# and XREADGROUP COUNT 1 + XACK over a prefilled backlog.
streams() {
	local w
	for w in stream-xadd stream-group; do
		bin/aspen-bench -label "$1" -addrs "$2" -op "$w" -clients 16 -duration "$DURATION" \
			-slice "$DURATION" | grep -v '^  ' | tee -a "$WORK/geo.txt"
	done
}

# tomb LABEL ADDR: the delete-heavy workloads of aspen-bench (one summary
# line each, after a line per slice); appended to tomb.txt.
tomb() {
	local w
	for w in zset-cap:8 queue:8 ttl-churn:16 big-neighbour:4; do
		bin/aspen-bench -label "$1" -addrs "$2" -op "${w%%:*}" -clients "${w##*:}" \
			-duration "$DURATION" -slice "$SLICE" | tee -a "$WORK/tomb.txt"
	done
}

# start_redis PORT NAME ARGS...: a reference redis-server in $WORK/NAME.
start_redis() {
	local port=$1 name=$2
	shift 2
	mkdir -p "$WORK/$name"
	redis-server --port "$port" --dir "$WORK/$name" --save '' --daemonize no "$@" >"$WORK/$name.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

HAVE_RB=1
if ! command -v redis-benchmark >/dev/null; then
	HAVE_RB=
	echo "redis-benchmark is not installed (scripts/install-test-deps.sh installs redis-tools); no redis-benchmark figures"
fi

echo "== reference: redis-server, appendfsync always (the same durability as Aspen)"
if command -v redis-server >/dev/null; then
	start_redis 26000 redis --appendonly yes --appendfsync always
	load redis 127.0.0.1:26000 set 1,16,64
	load redis 127.0.0.1:26000 get 16,64
	if [ -n "$HAVE_RB" ]; then
		echo "-- redis-benchmark (50 clients; requests/s)"
		rbench redis-always 26000
	fi
	echo "-- delete-heavy workloads (ops/s per ${SLICE} slice)"
	tomb redis 127.0.0.1:26000
	echo "-- GEO and stream workloads (16 clients)"
	geo redis 127.0.0.1:26000
	streams redis 127.0.0.1:26000
	redis-cli -p 26000 shutdown nosave >/dev/null 2>&1 || true

	if [ -n "$HAVE_RB" ]; then
		echo "== reference: redis-server, persistence off"
		start_redis 26001 redis-nopersist --appendonly no
		echo "-- redis-benchmark (50 clients; requests/s)"
		rbench redis-nopersist 26001
		redis-cli -p 26001 shutdown nosave >/dev/null 2>&1 || true
	fi
else
	echo "redis-server is not installed (scripts/install-test-deps.sh installs it); no reference figures"
fi

echo "== Aspen, one node"
start_node b1 1
load aspen-1 127.0.0.1:26380 set 1,16,64
load aspen-1 127.0.0.1:26380 get 16,64
if [ -n "$HAVE_RB" ]; then
	echo "-- redis-benchmark (50 clients; requests/s)"
	rbench aspen 26380
fi
echo "-- delete-heavy workloads (ops/s per ${SLICE} slice)"
tomb aspen-1 127.0.0.1:26380
echo "-- GEO and stream workloads (16 clients)"
geo aspen-1 127.0.0.1:26380
streams aspen-1 127.0.0.1:26380
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

if [ -s "$WORK/rb.txt" ]; then
	echo
	echo "== redis-benchmark summary (requests/s, 50 clients; ratios = Aspen / redis-server)"
	awk -F'\t' '
		{ v[$1" "$2" "$3] = $4 }
		function num(x) { return x ~ /^[0-9.]+$/ }
		function cell(x) { return num(x) ? sprintf("%.0f", x) : (x == "" ? "-" : "n/a") }
		function ratio(a, r) { return num(a) && num(r) && r > 0 ? sprintf("%.2fx", a / r) : "-" }
		END {
			printf "%-6s %-8s %13s %15s %12s %14s %16s\n", "test", "pipeline", "redis-always", "redis-nopersist", "aspen", "aspen/always", "aspen/nopersist"
			n = split("'"$RB_TESTS"'", tests, " ")
			for (i = 1; i <= n; i++) for (p = 1; p <= 16; p += 15) {
				k = tests[i]" "p; a = v["aspen "k]; ra = v["redis-always "k]; rn = v["redis-nopersist "k]
				printf "%-6s %-8s %13s %15s ", tests[i], "-P "p, cell(ra), cell(rn)
				if (a != "" && !num(a)) printf "%s\n", substr(a, 1, 90)
				else printf "%12s %14s %16s\n", cell(a), ratio(a, ra), ratio(a, rn)
				if (ra != "" && !num(ra)) printf "       (redis-always: %s)\n", substr(ra, 1, 90)
				if (rn != "" && !num(rn)) printf "       (redis-nopersist: %s)\n", substr(rn, 1, 90)
			}
		}' "$WORK/rb.txt"
fi

if [ -s "$WORK/tomb.txt" ]; then
	echo
	echo "== delete-heavy workloads summary (ops/s over the run; ratio = Aspen / redis-server with appendfsync always;"
	echo "   first/last = Aspen's ops/s in the first and last ${SLICE} slice)"
	awk '
		/^[^ ]/ {
			label = $1; w = $2; sub("op=", "", w); seen[w] = 1
			if ($4 == "n/a") { na[label" "w] = substr($0, index($0, " n/a ") + 1); next }
			for (i = 4; i <= NF; i++) { split($i, kv, "="); f[label" "w" "kv[1]] = kv[2] }
		}
		/^  / && / slice=/ && /op=big-neighbour/ {
			label = $1; split($4, sl, "="); n = sl[2] + 0; if (n > ns) ns = n
			t[n] = $5; sub("t=", "", t[n])
			lat[label" "n] = $7" "$8" "$9; gsub(/p50=|p99=|max=/, "", lat[label" "n])
		}
		function val(x) { return x == "" ? "-" : x }
		END {
			printf "%-14s %12s %12s %8s %12s %12s %10s  %s\n", "workload", "redis", "aspen", "ratio", "aspen-first", "aspen-last", "last/first", "errors (redis/aspen)"
			n = split("zset-cap queue ttl-churn big-neighbour", ws, " ")
			for (i = 1; i <= n; i++) {
				w = ws[i]; r = f["redis "w" ops/s"]; a = f["aspen-1 "w" ops/s"]
				printf "%-14s %12s ", w, (("redis "w) in na ? "n/a" : val(r))
				if (("aspen-1 "w) in na) { printf "%s\n", substr(na["aspen-1 "w], 1, 100) }
				else printf "%12s %8s %12s %12s %10s  %s/%s\n", val(a), (r > 0 && a != "" ? sprintf("%.2fx", a / r) : "-"),
					val(f["aspen-1 "w" first"]), val(f["aspen-1 "w" last"]), val(f["aspen-1 "w" last/first"]),
					val(f["redis "w" errors"]), val(f["aspen-1 "w" errors"])
				if (("redis "w) in na) printf "%14s (redis: %s)\n", "", substr(na["redis "w], 1, 100)
			}
			if (ns > 0) {
				print ""
				print "big-neighbour: GET latency of the small key next to the expiring big one, per slice (p50 p99 max, ms)"
				printf "%-10s %-28s %-28s\n", "t (s)", "redis", "aspen-1"
				for (s = 1; s <= ns; s++) printf "%-10s %-28s %-28s\n", t[s], lat["redis "s], lat["aspen-1 "s]
			}
		}' "$WORK/tomb.txt"
fi

# start_postgres PORT: a reference PostgreSQL in $WORK/pg with a database
# and superuser "aspen" (run as user postgres when this script is root).
start_postgres() {
	local port=$1 bin
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -x "$bin/initdb" ] || return 1
	local -a as=()
	mkdir -p "$WORK/pg"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$WORK" "$WORK/pg"
		as=(runuser -u postgres --)
	fi
	"${as[@]}" "$bin/initdb" -D "$WORK/pg/data" -U aspen -A trust -E UTF8 --locale=C >"$WORK/pg/initdb.log" 2>&1 || return 1
	PGCTL="${as[*]} $bin/pg_ctl -D $WORK/pg/data"
	$PGCTL -o "-p $port -k $WORK/pg -c listen_addresses=127.0.0.1" -l "$WORK/pg/log" -w start >/dev/null || return 1
	psql -h 127.0.0.1 -p "$port" -U aspen -d postgres -qc "CREATE DATABASE aspen" >/dev/null
}

# sqlbench LABEL PORT: aspen-sqlbench's workloads.
sqlbench() {
	bin/aspen-sqlbench -label "$1" -url "postgres://aspen@127.0.0.1:$2/aspen?sslmode=disable" \
		-rows "${BENCH_SQL_ROWS:-1000000}" -duration "$DURATION" | tee -a "$WORK/sql.txt"
}

# pgb LABEL PORT: pgbench -i (its tables, data, VACUUM and then ALTER
# TABLE ... ADD PRIMARY KEY, as on PostgreSQL), then select-only and TPC-B
# with 8 clients. TPC-B retries serialization failures (--max-tries):
# Aspen runs every transaction serializable and aborts one of two
# conflicting ones where PostgreSQL's row locks make them wait.
pgb() {
	local label=$1 port=$2 mode out tps
	local -a conn=(-h 127.0.0.1 -p "$port" -U aspen)
	if ! out=$(pgbench "${conn[@]}" -i -q -s "${BENCH_PGBENCH_SCALE:-10}" aspen 2>&1); then
		printf "%s\tpgbench-init\tn/a (%s)\n" "$label" "$(grep -m1 -iE 'error|fatal' <<<"$out" | cut -c1-100)" | tee -a "$WORK/pgbench.txt"
		return 0
	fi
	for mode in select-only tpc-b; do
		local -a extra=()
		[ "$mode" = select-only ] && extra=(-S -M prepared)
		[ "$mode" = tpc-b ] && extra=(--max-tries=100)
		out=$(pgbench "${conn[@]}" "${extra[@]}" -c 8 -j 2 -T "${DURATION%s}" aspen 2>&1) || true
		tps=$(awk '/^tps = /{print $3; exit}' <<<"$out")
		printf "%s\t%s\t%s\n" "$label" "$mode" "${tps:-n/a ($(grep -m1 -iE 'error|fatal' <<<"$out" | cut -c1-100))}" | tee -a "$WORK/pgbench.txt"
	done
}

echo
echo "== SQL: PostgreSQL (reference, started here) and Aspen, one node"
if command -v psql >/dev/null && start_postgres 25499; then
	sqlbench postgres 25499
	command -v pgbench >/dev/null && pgb postgres 25499
	$PGCTL stop -m fast >/dev/null 2>&1 || true
	PGCTL=
	start_node s1 50
	sqlbench aspen 25482
	command -v pgbench >/dev/null && pgb aspen 25482
	echo
	echo "== SQL summary (ops/s; ratio = Aspen / PostgreSQL)"
	printf "%-14s %12s %12s %8s\n" workload postgres aspen ratio
	awk '{
		w = $2; v = ""
		for (i = 3; i <= NF; i++) { if ($i ~ /^(ops|rows)\/s=/) { split($i, kv, "="); v = kv[2] } }
		if ($0 ~ /n\/a/) v = "n/a"
		if (v == "") next
		key[w] = 1; val[$1 " " w] = v
	} END {
		for (w in key) {
			p = val["postgres " w]; a = val["aspen " w]
			r = (p + 0 > 0 && a ~ /^[0-9.]+$/) ? sprintf("%.2fx", a / p) : "-"
			printf "%-14s %12s %12s %8s\n", w, p, a, r
		}
	}' "$WORK/sql.txt" | sort
	if [ -f "$WORK/pgbench.txt" ]; then
		echo "== pgbench summary (tps; ratio = Aspen / PostgreSQL)"
		awk -F'\t' '{ v[$1 " " $2] = $3; k[$2] = 1 } END {
			for (m in k) { p = v["postgres " m]; a = v["aspen " m]
				r = (p + 0 > 0 && a ~ /^[0-9.]+$/) ? sprintf("%.2fx", a / p) : "-"
				printf "%-14s %12s %12s %8s\n", m, p, a, r } }' "$WORK/pgbench.txt"
	fi
else
	echo "PostgreSQL not available (scripts/install-test-deps.sh installs it): SQL section skipped"
fi

if [ -f "$WORK/geo.txt" ]; then
	echo
	echo "== GEO and stream summary (ops/s and p50; ratio = Aspen / redis-server with appendfsync always)"
	printf "%-18s %10s %10s %8s %10s %10s\n" workload redis aspen ratio redis-p50 aspen-p50
	awk '{
		op = ""; ops = ""; p50 = ""
		for (i = 2; i <= NF; i++) {
			if ($i ~ /^op=/) op = substr($i, 4)
			if ($i ~ /^ops\/s=/) ops = substr($i, 7)
			if ($i ~ /^p50=/) p50 = substr($i, 5)
		}
		if (op == "") next
		if ($0 ~ /n\/a/) ops = "n/a"
		key[op] = 1; v[$1 " " op] = ops; l[$1 " " op] = p50
	} END {
		for (o in key) {
			r = v["redis " o]; a = v["aspen-1 " o]
			ratio = (r + 0 > 0 && a ~ /^[0-9.]+$/) ? sprintf("%.2fx", a / r) : "-"
			printf "%-18s %10s %10s %8s %10s %10s\n", o, r, a, ratio, l["redis " o], l["aspen-1 " o]
		}
	}' "$WORK/geo.txt" | sort
fi

echo
echo "== store micro-benchmarks (go test -bench, one node, in process)"
go test -run '^$' -bench 'BenchmarkCommit|BenchmarkPointRead' -benchtime 2s ./raftstore/ | grep -E '^Benchmark'
