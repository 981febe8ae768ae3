#!/usr/bin/env bash
# Checks that the escrow contracts' generated ABI, bytecode and Go bindings
# are what the pinned solc and abigen make from the Solidity sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
generated=(escrow/contracts/build escrow/internal/evmbind escrow/internal/testcontracts)
go generate ./escrow/...
if ! git diff --exit-code --stat -- "${generated[@]}"; then
	echo "escrow: generated files are stale: run 'go generate ./escrow/...' and commit them" >&2
	exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- "${generated[@]}")
if [ -n "$untracked" ]; then
	echo "escrow: generated files not committed: $untracked" >&2
	exit 1
fi
echo "escrow: generated files are current"
