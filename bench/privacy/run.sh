#!/usr/bin/env bash
# Benchmarks the privacy engine on the seed's use case against DuckDB
# (npm @duckdb/node-api, which ships its own binary; installed here, in
# this folder, on first use). Prints one line per figure: name value unit.
# Arguments go to the Go program, e.g. -rows 500000 -big-rows 5000000 -runs 3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
	echo "installing @duckdb/node-api into $here/node_modules" >&2
	(cd "$here" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$here/.bin"
(cd "$root" && go build -o "$here/.bin/privacy-bench" ./bench/privacy)
exec "$here/.bin/privacy-bench" -duckdb "$here/duckdb.mjs" "$@"
