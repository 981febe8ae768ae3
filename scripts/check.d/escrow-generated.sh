#!/usr/bin/env bash
# Checks that the escrow contracts' generated ABI, bytecode and Go bindings
# are what the pinned solc and abigen make from the Solidity sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/generated.sh
check_generated escrow "go generate ./escrow/..." escrow/contracts/build escrow/internal/evmbind escrow/internal/testcontracts
