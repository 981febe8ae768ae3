#!/usr/bin/env bash
# Installs the front-end packages pinned in web/assets/package-lock.json
# (world-atlas, topojson-client, ethers) into web/assets/node_modules. Only
# `go generate ./web` and scripts/check.d/web-bundle.sh use them: the
# bundles they make are committed and embedded, so neither the tests nor
# the binary need npm. Safe to run again; asks nothing (CI=true is fine).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/web/assets"
. "$root/scripts/lib/npm.sh"
ensure_npm web-npm
current=$(node -e '
const lock = require("./package-lock.json");
for (const [path, p] of Object.entries(lock.packages)) {
  if (!path) continue;
  let have = "";
  try { have = require("./" + path + "/package.json").version; } catch (e) {}
  if (have !== p.version) { console.log("no"); process.exit(0); }
}
console.log("yes");')
if [ "$current" = yes ]; then
	echo "web-npm: node_modules match package-lock.json"
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "web-npm: installed the packages of web/assets/package-lock.json"
