#!/usr/bin/env bash
# `make slt`: runs the sqllogictest corpus (../shared/corpus/sqllogictest,
# beside the repository) and the project's own Postgres-dialect scripts
# (sqllogictest/testdata/pg) through the sqllogictest runner, against a fresh
# single Aspen node started here in a temporary directory, and prints one
# line per script and the totals. Exits with the runner's status (1 if any
# record failed).
#
#   SLT_TARGET=aspen     (default) build bin/aspen-server and start a node
#   SLT_TARGET=postgres  a throwaway PostgreSQL 15 instead (reference results;
#                        internal/pgtest, installed by install-test-deps.sh)
#   SLT_URL=postgres://aspen@127.0.0.1:5432/aspen
#                        test a server that is already running; nothing is
#                        started
#   SLT_FILES="a.test b.slt dir ..."  scripts or directories to run instead
#   SLT_ARGS="-failures 10 -extended"  extra runner flags
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${SLT_TARGET:-aspen}
URL=${SLT_URL:-}
read -r -a EXTRA <<<"${SLT_ARGS:-}"
if [ -n "${SLT_FILES:-}" ]; then
	read -r -a FILES <<<"$SLT_FILES"
else
	FILES=()
	if [ -d ../shared/corpus/sqllogictest ]; then
		FILES+=(../shared/corpus/sqllogictest)
	else
		echo "slt: corpus ../shared/corpus/sqllogictest not found beside the repository; running the project's own scripts only" >&2
	fi
	FILES+=(sqllogictest/testdata/pg)
fi

WORK=$(mktemp -d -t aspen-slt.XXXXXX)
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build"
go build -o bin/sqllogictest ./sqllogictest

# free_port VAR sets VAR to a TCP port on 127.0.0.1 that nothing listens on
# now and that no earlier call picked. Ports come from below Linux's ephemeral range
# (32768 up), where outgoing connections could hold them.
PICKED=" "
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 12000))
		case "$PICKED" in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			PICKED+="$p "
			printf -v "$1" '%s' "$p"
			return 0
		fi
	done
	echo "slt: no free port found" >&2
	return 1
}

# wait_port PORT PID: wait until PORT accepts connections while PID lives.
wait_port() {
	for _ in $(seq 1 600); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

if [ -z "$URL" ]; then
	case "$TARGET" in
	aspen)
		go build -o bin/aspen-server ./cmd/aspen-server
		free_port PG
		free_port RESP
		free_port RAFT
		free_port HTTP
		bin/aspen-server --node-id slt --data-dir "$WORK/data" --log-level warn \
			--pg-addr "127.0.0.1:$PG" --resp-addr "127.0.0.1:$RESP" \
			--raft-addr "127.0.0.1:$RAFT" --http-addr "127.0.0.1:$HTTP" \
			>"$WORK/aspen.log" 2>&1 &
		SERVER_PID=$!
		if ! wait_port "$PG" "$SERVER_PID"; then
			echo "slt: aspen-server is not accepting connections on --pg-addr 127.0.0.1:$PG" >&2
			echo "slt: (is the PostgreSQL listener wired into cmd/aspen-server yet?) log:" >&2
			tail -n 30 "$WORK/aspen.log" >&2 || true
			exit 1
		fi
		URL="postgres://aspen@127.0.0.1:$PG/aspen?sslmode=disable"
		echo "== aspen-server (pid $SERVER_PID) at $URL"
		;;
	postgres)
		bash scripts/install-test-deps.sh >/dev/null || true
		EXTRA=(-start-postgres "${EXTRA[@]}")
		echo "== PostgreSQL 15 (throwaway, internal/pgtest)"
		;;
	*)
		echo "slt: SLT_TARGET must be aspen or postgres, not $TARGET" >&2
		exit 2
		;;
	esac
fi

echo "== sqllogictest ${FILES[*]}"
args=("${EXTRA[@]}")
if [ -n "$URL" ]; then
	args=(-url "$URL" "${args[@]}")
fi
set +e
bin/sqllogictest "${args[@]}" "${FILES[@]}"
rc=$?
set -e
exit "$rc"
