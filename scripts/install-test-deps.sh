#!/usr/bin/env bash
# Installs the programs Aspen's tests use that Go modules cannot provide:
# redis-server and redis-cli (side-by-side checks against real Redis).
#
# Idempotent: it installs only what is missing, with apt-get, and runs
# `apt-get update` at most once, only when a plain install fails. When a tool
# cannot be had (offline, no apt-get, not root) it prints a warning and exits
# 0: the tests that need the tool skip with a message. Set
# ASPEN_REQUIRE_TEST_DEPS=1 to make a missing tool an error instead.
set -euo pipefail

# tool -> Debian package that provides it
declare -A pkg_of=(
	[redis-server]=redis-server
	[redis-cli]=redis-tools
)

missing_pkgs=()
for tool in "${!pkg_of[@]}"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		missing_pkgs+=("${pkg_of[$tool]}")
	fi
done

if [ "${#missing_pkgs[@]}" -eq 0 ]; then
	echo "install-test-deps: all present (${!pkg_of[*]})"
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

for tool in "${!pkg_of[@]}"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		give_up "$tool still missing after installing ${missing_pkgs[*]}"
	fi
done
echo "install-test-deps: installed ${missing_pkgs[*]}"
