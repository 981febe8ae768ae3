#!/usr/bin/env bash
# Checks that the web package's generated files (the JavaScript and CSS
# bundles in web/assets/dist, the copy of docs/openapi.yaml that /api/docs
# shows) are what `go generate ./web` makes from the sources and the
# pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
generated=(web/assets/dist web/apidocs)
go generate ./web
if ! git diff --exit-code --stat -- "${generated[@]}"; then
	echo "web: generated files are stale: run 'go generate ./web' and commit them" >&2
	exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- "${generated[@]}")
if [ -n "$untracked" ]; then
	echo "web: generated files not committed: $untracked" >&2
	exit 1
fi
echo "web: generated files are current"
