#!/usr/bin/env bash
# Checks that the web package's generated files (the JavaScript and CSS
# bundles in web/assets/dist, the copy of docs/openapi.yaml that /api/docs
# shows) are what `go generate ./web` makes from the sources and the
# pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/generated.sh
check_generated web "go generate ./web" web/assets/dist web/apidocs
