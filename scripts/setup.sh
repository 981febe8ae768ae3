#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine: Go modules, and
# whatever each part of the project asks for in scripts/setup.d/ (npm
# packages, Debian packages). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
go mod download
for f in scripts/setup.d/*.sh; do
	[ -e "$f" ] || continue
	echo "setup: $f"
	bash "$f"
done
