// Command bundle makes the web package's generated files, run by `go
// generate ./web` from the web directory:
//
//   - assets/dist/app.js, map.js, wallet.js, site.css and wallet.css: assets/src bundled and
//     minified by esbuild's Go API, with the npm packages pinned in
//     assets/package-lock.json (installed by scripts/setup.d/web-npm.sh);
//   - apidocs/openapi.yaml: a copy of docs/openapi.yaml, for /api/docs.
//
// It refuses to run when node_modules holds other versions than the lock
// names, so the same sources always make the same bytes. Nothing here is
// needed at run time: the outputs are committed and embedded.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// entries are the bundles, by source under assets/src.
var entries = []string{"app.js", "map.js", "site.css", "wallet.css", "wallet.js"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

func run() error {
	if _, err := os.Stat("assets/src"); err != nil {
		return fmt.Errorf("run me from the web directory (go generate ./web): %w", err)
	}
	if err := checkModules("assets"); err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	var points []string
	for _, e := range entries {
		points = append(points, filepath.Join("assets/src", e))
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       points,
		AbsWorkingDir:     wd,
		Outdir:            "assets/dist",
		Bundle:            true,
		Write:             false,
		Format:            api.FormatIIFE,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		Engines:           []api.Engine{{Name: api.EngineChrome, Version: "100"}, {Name: api.EngineFirefox, Version: "100"}, {Name: api.EngineSafari, Version: "15"}},
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsEndOfFile,
		TreeShaking:       api.TreeShakingTrue,
		Loader:            map[string]api.Loader{".json": api.LoaderJSON},
		LogLevel:          api.LogLevelWarning,
	})
	if len(res.Errors) > 0 {
		var b strings.Builder
		for _, m := range res.Errors {
			loc := ""
			if m.Location != nil {
				loc = fmt.Sprintf("%s:%d: ", m.Location.File, m.Location.Line)
			}
			fmt.Fprintf(&b, "\n  %s%s", loc, m.Text)
		}
		return fmt.Errorf("esbuild:%s", b.String())
	}
	dist := filepath.Join(wd, "assets/dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, f := range res.OutputFiles {
		name := filepath.Base(f.Path)
		want[name] = true
		if err := writeIfChanged(filepath.Join(dist, name), f.Contents); err != nil {
			return err
		}
	}
	old, _ := os.ReadDir(dist)
	for _, e := range old {
		if !want[e.Name()] {
			os.Remove(filepath.Join(dist, e.Name()))
		}
	}
	doc, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		return err
	}
	if err := writeIfChanged("apidocs/openapi.yaml", doc); err != nil {
		return err
	}
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Println("bundle: wrote assets/dist/{" + strings.Join(names, ",") + "} and apidocs/openapi.yaml")
	return nil
}

func writeIfChanged(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(path, b, 0o644)
}

// checkModules compares node_modules with the versions package-lock.json pins.
func checkModules(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return err
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		return fmt.Errorf("package-lock.json: %w", err)
	}
	for path, p := range lock.Packages {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, path, "package.json"))
		if err != nil {
			return fmt.Errorf("%s is not installed: run scripts/setup.d/web-npm.sh (npm ci in web/assets)", path)
		}
		var have struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(b, &have); err != nil || have.Version != p.Version {
			return fmt.Errorf("%s is %s, package-lock.json pins %s: run scripts/setup.d/web-npm.sh", path, have.Version, p.Version)
		}
	}
	return nil
}
