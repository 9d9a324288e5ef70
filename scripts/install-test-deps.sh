#!/usr/bin/env bash
# Installs the programs Aspen's tests use that Go modules cannot provide:
#   - redis-server and redis-cli (side-by-side checks against real Redis);
#   - the PostgreSQL server (internal/pgtest starts throwaway PostgreSQL 15
#     servers from /usr/lib/postgresql/15/bin for side-by-side SQL tests),
#     psql and pgbench (client checks), python3's psycopg2 and the JDBC
#     driver, SQLAlchemy and Django (Debian packages), and node-postgres (npm, into
#     pgwire/testdata/clients/node) for the client smoke tests;
#   - redis-py (python3-redis) and ioredis (npm, into
#     resp/testdata/clients/node) for the Redis client smoke tests.
#
# Idempotent: it installs only what is missing, with apt-get, and runs
# `apt-get update` at most once, only when a plain install fails. When a tool
# cannot be had (offline, no apt-get, not root) it prints a warning and exits
# 0: the tests that need the tool skip with a message. Set
# ASPEN_REQUIRE_TEST_DEPS=1 to make a missing tool an error instead.
#
# Installing the postgresql package may create and start Debian's default
# cluster; this script leaves that service as the package sets it up (the
# tests never use it: they start servers of their own on free ports).
set -euo pipefail

# have_postgres_server: a server binary in Debian's versioned layout (the
# server is not on PATH).
have_postgres_server() {
	compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}
have_psql() { command -v psql >/dev/null 2>&1; }
# /usr/bin/pgbench is postgresql-client-common's wrapper; it works only when
# a versioned pgbench exists (shipped with the server package, postgresql-NN).
have_pgbench() { command -v pgbench >/dev/null 2>&1 && pgbench --version >/dev/null 2>&1; }
# python3-psycopg2 serves the system's /usr/bin/python3, which may not be the
# python3 first on PATH (pyenv, a virtualenv): either one will do.
have_psycopg2() {
	local py
	for py in python3 /usr/bin/python3; do
		if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import psycopg2' >/dev/null 2>&1; then
			return 0
		fi
	done
	return 1
}
have_jdbc() { [ -f /usr/share/java/postgresql.jar ]; }
have_redispy() { /usr/bin/python3 -c 'import redis' >/dev/null 2>&1; }
have_sqlalchemy() { /usr/bin/python3 -c 'import sqlalchemy' >/dev/null 2>&1; }
have_django() { /usr/bin/python3 -c 'import django' >/dev/null 2>&1; }
have_redis_server() { command -v redis-server >/dev/null 2>&1; }
have_redis_cli() { command -v redis-cli >/dev/null 2>&1; }

# what -> check function and the Debian package that provides it
checks=(redis-server redis-cli postgres psql pgbench psycopg2 jdbc redis-py sqlalchemy django)
declare -A check_of=(
	[redis-server]=have_redis_server
	[redis-cli]=have_redis_cli
	[postgres]=have_postgres_server
	[psql]=have_psql
	[pgbench]=have_pgbench
	[psycopg2]=have_psycopg2
	[jdbc]=have_jdbc
	[redis-py]=have_redispy
	[sqlalchemy]=have_sqlalchemy
	[django]=have_django
)
declare -A pkg_of=(
	[redis-server]=redis-server
	[redis-cli]=redis-tools
	[postgres]=postgresql
	[psql]=postgresql-client
	[pgbench]=postgresql
	[psycopg2]=python3-psycopg2
	[jdbc]=libpostgresql-jdbc-java
	[redis-py]=python3-redis
	[sqlalchemy]=python3-sqlalchemy
	[django]=python3-django
)

# note_postgres_version warns when no PostgreSQL 15 server is there: the
# side-by-side tests want 15 (PGTEST_BINDIR points them elsewhere).
note_postgres_version() {
	if have_postgres_server && [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
		echo "install-test-deps: note: no PostgreSQL 15 server (found $(echo /usr/lib/postgresql/*/bin/postgres)); internal/pgtest skips unless PGTEST_BINDIR names a bin directory" >&2
	fi
}

# The npm client libraries of the smoke tests (node-postgres for pgwire,
# ioredis for resp), from the npm registry with the machine's Node.js (the
# Debian packages conflict with newer Node.js builds). Skipped quietly
# without node and npm: those tests skip too.
root="$(cd "$(dirname "$0")/.." && pwd)"
for node_dir in "$root/pgwire/testdata/clients/node" "$root/resp/testdata/clients/node"; do
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || break
	[ -d "$node_dir/node_modules" ] && continue
	echo "install-test-deps: npm ci in $node_dir"
	if ! (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error); then
		echo "install-test-deps: WARNING: npm ci failed in $node_dir; its smoke test will skip" >&2
		[ "${ASPEN_REQUIRE_TEST_DEPS:-0}" = 1 ] && exit 1
	fi
done

missing_pkgs=()
for what in "${checks[@]}"; do
	if ! "${check_of[$what]}"; then
		missing_pkgs+=("${pkg_of[$what]}")
	fi
done

if [ "${#missing_pkgs[@]}" -eq 0 ]; then
	echo "install-test-deps: all present (${checks[*]})"
	note_postgres_version
	exit 0
fi

# Deduplicate and sort for a stable message.
mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)

give_up() {
	if [ "${ASPEN_REQUIRE_TEST_DEPS:-0}" = 1 ]; then
		echo "install-test-deps: ERROR: $1" >&2
		exit 1
	fi
	echo "install-test-deps: WARNING: $1; tests that need these tools will skip" >&2
	exit 0
}

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo=(sudo -n)
	else
		give_up "not root and no password-less sudo; cannot install ${missing_pkgs[*]}"
	fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
	give_up "apt-get not found; install ${missing_pkgs[*]} by hand"
fi

apt_install() {
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}"
}

echo "install-test-deps: installing ${missing_pkgs[*]}"
if ! apt_install; then
	echo "install-test-deps: install failed; running apt-get update once and retrying"
	if ! "${sudo[@]}" apt-get update -q; then
		give_up "apt-get update failed (offline?); ${missing_pkgs[*]} not installed"
	fi
	if ! apt_install; then
		give_up "apt-get install ${missing_pkgs[*]} failed"
	fi
fi

for what in "${checks[@]}"; do
	if ! "${check_of[$what]}"; then
		give_up "$what still missing after installing ${missing_pkgs[*]}"
	fi
done
note_postgres_version
echo "install-test-deps: installed ${missing_pkgs[*]}"
