package deploy_test

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// compose is the part of compose.yaml the tests read.
type compose struct {
	Services map[string]struct {
		Build *struct {
			Context, Dockerfile string
		}
		Image       string
		Environment map[string]string
		Ports       []string
		Volumes     []string
		DependsOn   yaml.Node `yaml:"depends_on"`
	}
	Volumes map[string]any
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestCompose: compose.yaml parses, builds the relay from the repository
// with deploy/Dockerfile, demands MARKET_PUBLIC_URL, mounts only files
// that exist and volumes it declares, and wires Prometheus to the relay
// and Grafana to Prometheus and the dashboard.
func TestCompose(t *testing.T) {
	var c compose
	readYAML(t, "compose.yaml", &c)
	for _, name := range []string{"relay", "prometheus", "grafana"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("compose.yaml has no %s service", name)
		}
	}
	relay := c.Services["relay"]
	if relay.Build == nil || filepath.Join(relay.Build.Context, relay.Build.Dockerfile) != filepath.Join("..", "deploy", "Dockerfile") {
		t.Errorf("relay build %+v, want context .. and deploy/Dockerfile", relay.Build)
	} else if _, err := os.Stat(filepath.Join(relay.Build.Context, "go.mod")); err != nil {
		t.Errorf("relay build context is not the repository root: %v", err)
	}
	if url := relay.Environment["MARKET_PUBLIC_URL"]; !strings.HasPrefix(url, "${MARKET_PUBLIC_URL:?") {
		t.Errorf("MARKET_PUBLIC_URL = %q: compose must refuse to start without it, as the relay does", url)
	}
	mounts := map[string]string{} // container path -> host path
	for name, svc := range c.Services {
		for _, v := range svc.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) < 2 {
				t.Errorf("%s: volume %q is not source:target", name, v)
				continue
			}
			src, dst := parts[0], parts[1]
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(src); err != nil {
					t.Errorf("%s mounts %s, which does not exist: %v", name, src, err)
				}
				mounts[dst] = src
			} else if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s uses volume %q, not declared under volumes", name, src)
			}
		}
		var deps []string
		switch svc.DependsOn.Kind {
		case yaml.SequenceNode:
			_ = svc.DependsOn.Decode(&deps)
		case yaml.MappingNode:
			var m map[string]any
			_ = svc.DependsOn.Decode(&m)
			for d := range m {
				deps = append(deps, d)
			}
		}
		for _, d := range deps {
			if _, ok := c.Services[d]; !ok {
				t.Errorf("%s depends on %q, no such service", name, d)
			}
		}
	}

	// Prometheus: its configuration scrapes the relay service on the port
	// the image listens on, and loads the alert rules mounted beside it.
	promFile, ok := mounts["/etc/prometheus/prometheus.yml"]
	if !ok {
		t.Fatal("prometheus has no /etc/prometheus/prometheus.yml mounted")
	}
	var prom struct {
		ScrapeConfigs []struct {
			MetricsPath   string                       `yaml:"metrics_path"`
			StaticConfigs []struct{ Targets []string } `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
		RuleFiles []string `yaml:"rule_files"`
	}
	readYAML(t, promFile, &prom)
	if len(prom.ScrapeConfigs) != 1 || prom.ScrapeConfigs[0].MetricsPath != "/metrics" || len(prom.ScrapeConfigs[0].StaticConfigs) != 1 ||
		!slices.Equal(prom.ScrapeConfigs[0].StaticConfigs[0].Targets, []string{"relay:8080"}) {
		t.Errorf("%s scrapes %+v, want relay:8080/metrics", promFile, prom.ScrapeConfigs)
	}
	for _, rf := range prom.RuleFiles {
		if src, ok := mounts[path.Join("/etc/prometheus", rf)]; !ok || filepath.Base(src) != "market-alerts.yml" {
			t.Errorf("rule file %s is not mounted beside the configuration (mounts %v)", rf, mounts)
		}
	}
	if env := dockerfileEnv(t); env["MARKET_LISTEN"] != "0.0.0.0:8080" {
		t.Errorf("the image listens on %q; compose and Prometheus expect port 8080", env["MARKET_LISTEN"])
	}

	// Grafana: the datasource is the prometheus service, the dashboard
	// provider reads the directory the dashboards are mounted on.
	prov, ok := mounts["/etc/grafana/provisioning"]
	if !ok {
		t.Fatal("grafana has no /etc/grafana/provisioning mounted")
	}
	var ds struct {
		Datasources []struct{ Name, UID, Type, URL string }
	}
	readYAML(t, filepath.Join(prov, "datasources", "prometheus.yaml"), &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].URL != "http://prometheus:9090" || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].UID != "prometheus" {
		t.Errorf("datasources %+v, want the prometheus service with uid prometheus", ds.Datasources)
	}
	var dp struct {
		Providers []struct {
			Type    string
			Options struct{ Path string }
		}
	}
	readYAML(t, filepath.Join(prov, "dashboards", "market.yaml"), &dp)
	if len(dp.Providers) != 1 || dp.Providers[0].Type != "file" {
		t.Fatalf("dashboard providers %+v", dp.Providers)
	}
	dir, ok := mounts[dp.Providers[0].Options.Path]
	if !ok {
		t.Fatalf("the dashboard provider reads %s, which compose does not mount", dp.Providers[0].Options.Path)
	}
	if _, err := os.Stat(filepath.Join(dir, "market-relay.json")); err != nil {
		t.Errorf("dashboard not in the mounted directory: %v", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "market-relay.json"))
	if !strings.Contains(string(data), `"uid": "`+ds.Datasources[0].UID+`"`) {
		t.Errorf("the dashboard does not use the provisioned datasource uid %q", ds.Datasources[0].UID)
	}
}

// dockerfileEnv returns the ENV settings of deploy/Dockerfile.
func dockerfileEnv(t *testing.T) map[string]string {
	env := map[string]string{}
	for _, line := range dockerfile(t) {
		if rest, ok := strings.CutPrefix(line, "ENV "); ok {
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					env[k] = v
				}
			}
		}
	}
	return env
}

// dockerfile returns the instructions of deploy/Dockerfile, comments
// dropped.
func dockerfile(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestDockerfile: the data volume exists and belongs to the non-root user
// before VOLUME declares it, the image checks its health with the binary
// (no curl in distroless), and says MARKET_PUBLIC_URL must be set.
func TestDockerfile(t *testing.T) {
	lines := dockerfile(t)
	idx := func(prefix string) int {
		return slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
	}
	user, volume := idx("USER "), idx("VOLUME /data")
	if user < 0 || lines[user] != "USER nonroot" {
		t.Fatal("the image must run as the distroless nonroot user (65532)")
	}
	chowned := slices.IndexFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "COPY ") && strings.Contains(l, "--chown=65532:65532") && strings.HasSuffix(l, " /data")
	})
	if volume < 0 || chowned < 0 || chowned > volume {
		t.Error("/data must be copied in owned by 65532 before VOLUME /data, or the relay cannot write its key")
	}
	if mk := idx("RUN mkdir -p /out/data"); mk < 0 || !strings.Contains(lines[mk], "chmod 0700") {
		t.Error("the data directory must be made with mode 0700")
	}
	if hc := idx("HEALTHCHECK "); hc < 0 || !strings.Contains(lines[hc], `CMD ["/usr/local/bin/market", "healthcheck"]`) {
		t.Error("no HEALTHCHECK running market healthcheck")
	}
	if env := dockerfileEnv(t); env["MARKET_DATA_DIR"] != "/data" || env["MARKET_LISTEN"] != "0.0.0.0:8080" {
		t.Errorf("ENV %v", env)
	}
	raw, _ := os.ReadFile("Dockerfile")
	if !strings.Contains(string(raw), "-e MARKET_PUBLIC_URL=") {
		t.Error("the Dockerfile must show how to set MARKET_PUBLIC_URL")
	}
}

// dockerignored reports whether .dockerignore keeps p (a slash path from
// the repository root) out of the build context: a pattern matches the
// path or one of its parent directories; ** matches any number of
// directories; a leading ! re-includes.
func dockerignored(patterns []string, p string) bool {
	ignored := false
	for _, pat := range patterns {
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(strings.TrimPrefix(pat, "!"), "/")
		parts := strings.Split(p, "/")
		for i := 1; i <= len(parts); i++ {
			if globMatch(strings.Split(pat, "/"), parts[:i]) {
				ignored = !neg
				break
			}
		}
	}
	return ignored
}

func globMatch(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if globMatch(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], name[0])
	return ok && globMatch(pat[1:], name[1:])
}

// TestDockerignore: data directories, keys, tokens, stores and .git stay
// out of the build context; the sources the build needs stay in.
func TestDockerignore(t *testing.T) {
	data, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	for _, p := range []string{"data/relay.key", "data/actor.key", "data/admin.token", "data/relay.db", "data/market.db", "data-2/actor.key", "data-hub/index/store",
		".git/config", "relay.key", "bench/out/x.json", "escrow/contracts/node_modules/solc/index.js", "hub.pem", "deploy/x.key", "market"} {
		if !dockerignored(patterns, p) {
			t.Errorf("%s goes into the Docker build context", p)
		}
	}
	for _, p := range []string{"go.mod", "go.sum", "cmd/market/main.go", "relay/server.go", "deploy/Dockerfile", "listing/testdata/x.json",
		"escrow/contracts/Escrow.sol", "escrow/contracts/build/Escrow.abi", "cmd/market/relay.go"} {
		if dockerignored(patterns, p) {
			t.Errorf("%s is left out of the Docker build context, and the build needs it", p)
		}
	}
}
