package web

// The bundles in assets/dist and the copy of the API document in apidocs
// are made by this command (esbuild's Go API; the npm packages pinned in
// assets/package-lock.json, installed by scripts/setup.d/web-npm.sh). Both
// are committed; scripts/check.d/web-bundle.sh checks they are current.
//go:generate go run ./internal/bundle
