#!/usr/bin/env bash
# Installs the Solidity compiler pinned in escrow/contracts/package-lock.json
# (npm solc, a wasm build: no native binary, no download at compile time).
# `go generate ./escrow/...` and the escrow tests use it. Safe to run again;
# asks nothing (CI=true is fine).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/escrow/contracts"
. "$root/scripts/lib/npm.sh"
ensure_npm escrow-solc
want=$(node -p "require('./package-lock.json').packages['node_modules/solc'].version")
have=$(node -p "try { require('./node_modules/solc/package.json').version } catch (e) { '' }")
if [ "$want" = "$have" ]; then
	echo "escrow-solc: solc $have already installed"
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "escrow-solc: installed solc $(node -p "require('./node_modules/solc/package.json').version")"
