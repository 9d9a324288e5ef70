#!/usr/bin/env bash
# `make lint`: gofmt, go vet, staticcheck (when it can be had) and the
# import-direction test. Every step runs; the script fails if any step did.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=()

echo "== gofmt"
# Go files that are tracked, or new and not ignored (so that work not yet
# committed is checked too); outside a git checkout, every Go file.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.go' |
		while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done)
else
	mapfile -t files < <(find . -name '*.go' -not -path './bin/*' -not -path '*/testdata/*')
fi
if [ "${#files[@]}" -gt 0 ]; then
	unformatted=$(gofmt -l "${files[@]}")
	if [ -n "$unformatted" ]; then
		echo "gofmt: these files need 'gofmt -w':"
		echo "$unformatted"
		failed+=(gofmt)
	fi
fi

echo "== go vet"
go vet ./... || failed+=("go vet")

echo "== staticcheck"
scripts/staticcheck.sh || failed+=(staticcheck)

echo "== import direction"
go test -count=1 ./internal/lintcheck/ || failed+=("import direction")

if [ "${#failed[@]}" -gt 0 ]; then
	echo "lint: FAILED: ${failed[*]}" >&2
	exit 1
fi
echo "lint: ok"
