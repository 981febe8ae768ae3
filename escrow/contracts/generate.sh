#!/bin/sh
# Regenerates the escrow contracts' ABI, bytecode (contracts/build/*.json)
# and abigen v2 Go bindings (internal/evmbind, internal/testcontracts) with
# the solc pinned in contracts/package.json. Run by `go generate ./escrow/...`.
set -eu
cd "$(dirname "$0")"
if [ ! -f node_modules/solc/package.json ]; then
	echo "escrow: npm solc is not installed: run scripts/setup.d/escrow-solc.sh (npm ci in escrow/contracts)" >&2
	exit 1
fi
node compile.js build
mkdir -p ../internal/evmbind ../internal/testcontracts
go tool abigen --v2 --combined-json build/escrow.json --pkg evmbind --out ../internal/evmbind/evmbind.go
go tool abigen --v2 --combined-json build/testcontracts.json --pkg testcontracts --out ../internal/testcontracts/testcontracts.go
