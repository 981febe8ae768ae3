package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "relay.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestZeroConfig(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" || c.DataDir != "./data" || c.AllowPrivateNetworks {
		t.Fatalf("defaults = %+v", c)
	}
	if c.Federation.InboxMaxBytes != 1<<20 {
		t.Fatalf("inbox limit %d", c.Federation.InboxMaxBytes)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	p := writeFile(t, `
listen: 0.0.0.0:9000
public_url: https://relay.example/
data_dir: /var/lib/market
federation:
  date_window: 2m
relay:
  name: Data relay
  specialization:
    listing_types: [data_product]
    regions: [US, PT-11]
    price_max: {USD: "100"}
`)
	c, err := Load(p, []string{"MARKET_LISTEN=127.0.0.1:7000", "MARKET_ALLOW_PRIVATE_NETWORKS=true", "UNRELATED=x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:7000" {
		t.Errorf("env did not override listen: %s", c.Listen)
	}
	if c.PublicURL != "https://relay.example" {
		t.Errorf("public_url %q (trailing slash must go)", c.PublicURL)
	}
	if !c.AllowPrivateNetworks || c.DataDir != "/var/lib/market" || c.Federation.DateWindow.D() != 2*time.Minute {
		t.Errorf("config = %+v", c)
	}
	if c.Relay.Specialization.PriceMax["USD"] != "100" || len(c.Relay.Specialization.Regions) != 2 {
		t.Errorf("specialization = %+v", c.Relay.Specialization)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	cases := []struct {
		name, yaml string
		env        []string
		want       []string
	}{
		{"unknown key", "listne: x\n", nil, []string{"listne (line 1): unknown key; did you mean listen?", "keys at the top level: allow_private_networks, data_dir, federation,"}},
		{"unknown nested key", "relay:\n  name: x\n  rate_limt:\n    burst: 3\n", nil,
			[]string{"relay.rate_limt (line 3): unknown key; did you mean relay.rate_limit?", "keys under relay: admin_token, allowed_domains, blocked_domains, cors, follow_approval,"}},
		{"unknown key far from any", "relay:\n  specialization:\n    colour: red\n", nil,
			[]string{"relay.specialization.colour (line 3): unknown key (keys under relay.specialization: listing_types, perimeter, price_max, regions, tags)"}},
		{"unknown key in a pointer section", "relay:\n  specialization:\n    perimeter: {lat: 1, lon: 2, radius: 3}\n", nil,
			[]string{"relay.specialization.perimeter.radius (line 3): unknown key; did you mean relay.specialization.perimeter.radius_km?"}},
		{"bad duration", "federation:\n  date_window: soon\n", nil, []string{`federation.date_window (line 2): want a duration such as "30s", "5m" or "48h", got "soon"`}},
		{"wrong type: number", "relay:\n  rate_limit:\n    per_minute: lots\n", nil, []string{`relay.rate_limit.per_minute (line 3): want a whole number, got "lots"`}},
		{"wrong type: bool", "allow_private_networks: yes please\n", nil, []string{`allow_private_networks (line 1): want true or false, got "yes please"`}},
		{"wrong type: list", "relay:\n  blocked_domains: spam.example\n", nil, []string{`relay.blocked_domains (line 2): want a list such as [a, b], got "spam.example"`}},
		{"wrong type: text", "listen: [a, b]\n", nil, []string{"listen (line 1): want a single value (text), got a list"}},
		{"wrong type: section", "relay: fast\n", nil, []string{`relay (line 1): want a mapping of keys (admin_token, allowed_domains,`, `got "fast"`}},
		{"wrong type: whole file", "- listen\n", nil, []string{"the file (line 1): want a mapping of keys (allow_private_networks,", "got a list"}},
		{"several file errors at once", "listne: x\nfederation:\n  workers: 3\n  date_window: 1\n", nil,
			[]string{"listne (line 1)", "federation.workers (line 3): unknown key", "federation.date_window (line 4)"}},
		{"bad listen", "listen: nowhere\n", nil, []string{"listen:"}},
		{"bad public url", "public_url: ftp://x\n", nil, []string{"public_url:"}},
		{"public url with a user", "public_url: https://ops@relay.example\n", nil, []string{"public_url: must be an http(s) base URL"}},
		{"public url on the unspecified address", "public_url: http://0.0.0.0:8080\n", nil, []string{"public_url: must be the address hubs reach"}},
		{"bad env bool", "", []string{"MARKET_ALLOW_PRIVATE_NETWORKS=yes please"}, []string{`MARKET_ALLOW_PRIVATE_NETWORKS: want true or false, got "yes please"`}},
		{"bad env duration and size at once", "", []string{"MARKET_DATE_WINDOW=soon", "MARKET_INBOX_MAX_BYTES=1MB"},
			[]string{`MARKET_DATE_WINDOW: want a duration such as "30s" or "5m", got "soon"`, `MARKET_INBOX_MAX_BYTES: want a whole number of bytes such as 1048576, got "1MB"`}},
		{"several at once", "log_level: loud\nrelay:\n  specialization:\n    listing_types: [cars]\n    regions: [usa]\n    price_max: {USD: ten}\n", nil,
			[]string{"log_level:", "relay.specialization.listing_types[0]", "relay.specialization.regions[0]", "relay.specialization.price_max.USD"}},
		{"specialization values outside listing's vocabulary", "relay:\n  specialization:\n    listing_types: [Service]\n    regions: [us-ca, US-ABCD]\n    tags: [\"open data\", \"#maps\"]\n    price_max: {usd: \"10\", JPY: \"1.5\", \"eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f\": \"5\"}\n", nil,
			[]string{`relay.specialization.listing_types[0]: must be data_product, service, physical or digital, got "Service"`,
				"relay.specialization.regions[0]", "relay.specialization.regions[1]", "relay.specialization.tags[0]", "relay.specialization.tags[1]",
				`relay.specialization.price_max.usd: the currency must be an ISO 4217 code`, `relay.specialization.price_max.JPY: must be a decimal string such as "100" or "99.99" with at most 0 decimals for JPY, got "1.5"`,
				"relay.specialization.price_max.eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f: the decimals of"}},
		{"bad domain lists", "relay:\n  blocked_domains: [spam.example, \"https://x.example\"]\n  allowed_domains: [coop.example, \"alice@hub.example\"]\n", nil,
			[]string{"relay.blocked_domains[1]", "relay.allowed_domains[1]", "alice@hub.example"}},
		{"bad rate limit", "relay:\n  rate_limit:\n    per_minute: 10\n    burst: 0\n    exempt: [10.0.0.0/33]\n    trusted_proxies: [proxy.local]\n", nil,
			[]string{"relay.rate_limit.burst", "relay.rate_limit.exempt[0]", "relay.rate_limit.trusted_proxies[0]", "proxy.local"}},
		{"bad perimeter", "relay:\n  specialization:\n    perimeter: {lat: 95, lon: 13.4, radius_km: 0}\n", nil,
			[]string{"relay.specialization.perimeter.lat", "relay.specialization.perimeter.radius_km"}},
		{"bad signature style", "federation:\n  signatures: fancy\n", nil, []string{"federation.signatures", "fancy"}},
		{"backoff order", "federation:\n  delivery:\n    initial_backoff: 1h\n    max_backoff: 1m\n", nil, []string{"federation.delivery.max_backoff"}},
		{"bad cors origins", "relay:\n  cors:\n    allowed_origins: [\"https://search.example/app\", \"search.example\", \"*\"]\n", nil,
			[]string{`relay.cors.allowed_origins[0]: must be * or an origin such as https://search.example (scheme and host, no path), got "https://search.example/app"`, "relay.cors.allowed_origins[1]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := ""
			if c.yaml != "" {
				path = writeFile(t, c.yaml)
			}
			_, err := Load(path, c.env)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			// Errors speak of keys and values, never of Go.
			for _, go_ := range []string{"config.", "strconv", "!!", "unmarshal", "field ", "int64", "type "} {
				if strings.Contains(err.Error(), go_) {
					t.Errorf("error %q speaks Go (%q)", err, go_)
				}
			}
		})
	}
}

// TestListenEverywhereNeedsPublicURL: bound to every interface, the relay
// cannot guess the address hubs reach; it refuses to start instead of
// publishing http://0.0.0.0:8080/actor.
func TestListenEverywhereNeedsPublicURL(t *testing.T) {
	for _, listen := range []string{"0.0.0.0:8080", ":8080", "[::]:8080"} {
		_, err := Load("", []string{"MARKET_LISTEN=" + listen})
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "public_url: must be set (MARKET_PUBLIC_URL) when listen ("+listen+") binds every interface") {
			t.Errorf("MARKET_LISTEN=%s without a public URL: %v", listen, err)
		}
		c, err := Load("", []string{"MARKET_LISTEN=" + listen, "MARKET_PUBLIC_URL=https://relay.example/"})
		if err != nil || c.PublicURL != "https://relay.example" {
			t.Errorf("MARKET_LISTEN=%s with a public URL: %q, %v", listen, c.PublicURL, err)
		}
	}
	c, err := Load("", []string{"MARKET_LISTEN=192.0.2.7:9000"})
	if err != nil || c.PublicURL != "http://192.0.2.7:9000" {
		t.Errorf("a specific listen address still gives the default public URL: %q, %v", c.PublicURL, err)
	}
}

func TestCORSOrigins(t *testing.T) {
	c, err := Load("", nil)
	if err != nil || len(c.Relay.CORS.AllowedOrigins) != 1 || c.Relay.CORS.AllowedOrigins[0] != "*" {
		t.Fatalf("default CORS origins %v (%v), want [*]", c.Relay.CORS.AllowedOrigins, err)
	}
	c, err = Load("", []string{"MARKET_CORS_ALLOWED_ORIGINS=https://a.example, http://b.example:8080"})
	if err != nil || strings.Join(c.Relay.CORS.AllowedOrigins, " ") != "https://a.example http://b.example:8080" {
		t.Fatalf("origins from the environment %v (%v)", c.Relay.CORS.AllowedOrigins, err)
	}
	c, err = Load("", []string{"MARKET_CORS_ALLOWED_ORIGINS="})
	if err != nil || len(c.Relay.CORS.AllowedOrigins) != 0 {
		t.Fatalf("an empty MARKET_CORS_ALLOWED_ORIGINS must turn CORS off: %v (%v)", c.Relay.CORS.AllowedOrigins, err)
	}
}

func TestEmptyFileMeansDefaults(t *testing.T) {
	c, err := Load(writeFile(t, ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" {
		t.Fatal(c.Listen)
	}
}

// TestExampleConfigLoads keeps deploy/relay.example.yaml true: every key in
// it must be one Load knows, with a valid value.
func TestExampleConfigLoads(t *testing.T) {
	c, err := Load("../deploy/relay.example.yaml", nil)
	if err != nil {
		t.Fatalf("deploy/relay.example.yaml: %v", err)
	}
	if c.PublicURL != "https://relay.example" || len(c.Relay.Specialization.ListingTypes) != 1 ||
		c.Relay.RateLimit.PerMinute != 600 || len(c.Relay.RateLimit.TrustedProxies) != 1 {
		t.Fatalf("example config read as %+v", c)
	}
}

func TestProposalRefresh(t *testing.T) {
	if c, err := Load("", nil); err != nil || c.Relay.ProposalRefresh.D() != 6*time.Hour {
		t.Fatalf("default proposal_refresh = %s, %v; want 6h", c.Relay.ProposalRefresh.D(), err)
	}
	if c, err := Load(writeFile(t, "relay:\n  proposal_refresh: 0s\n"), nil); err != nil || c.Relay.ProposalRefresh != 0 {
		t.Fatalf("proposal_refresh 0s (off) = %s, %v", c.Relay.ProposalRefresh.D(), err)
	}
	_, err := Load(writeFile(t, "relay:\n  proposal_refresh: 30s\n"), nil)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "relay.proposal_refresh: must be 0 (off) or at least 1m, got 30s") {
		t.Fatalf("proposal_refresh 30s: %v", err)
	}
}

// TestFlagThenEnvironmentThenFile: a value from the command line wins over
// the environment, which wins over the file; the public URL follows the
// address that won.
func TestFlagThenEnvironmentThenFile(t *testing.T) {
	p := writeFile(t, "listen: 127.0.0.1:7001\ndata_dir: /from/file\nlog_level: debug\n")
	env := []string{"MARKET_LISTEN=127.0.0.1:7002", "MARKET_DATA_DIR=/from/env"}
	c, err := Load(p, env, Override{Key: "listen", Flag: "--listen", Value: "127.0.0.1:7003"}, Override{Key: "data_dir", Flag: "--data-dir", Value: "/from/flag"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:7003" || c.DataDir != "/from/flag" || c.PublicURL != "http://127.0.0.1:7003" || c.LogLevel != "debug" {
		t.Errorf("with flags: listen %s, data_dir %s, public_url %s, log_level %s", c.Listen, c.DataDir, c.PublicURL, c.LogLevel)
	}
	c, err = Load(p, env, Override{Key: "data_dir", Flag: "--data-dir", Value: "/from/flag"})
	if err != nil || c.Listen != "127.0.0.1:7002" || c.DataDir != "/from/flag" {
		t.Errorf("one flag: listen %s (want the environment's), data_dir %s, %v", c.Listen, c.DataDir, err)
	}
	c, err = Load(p, nil)
	if err != nil || c.Listen != "127.0.0.1:7001" || c.DataDir != "/from/file" {
		t.Errorf("file only: listen %s, data_dir %s, %v", c.Listen, c.DataDir, err)
	}
	_, err = Load("", nil, Override{Key: "listen", Flag: "--listen", Value: "nowhere"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `listen: must be host:port such as 127.0.0.1:8080, got "nowhere"`) {
		t.Errorf("a bad --listen: %v", err)
	}
	_, err = Load("", nil, Override{Key: "relay.name", Flag: "--name", Value: "x"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `--name: no flag sets the key "relay.name"`) {
		t.Errorf("an override of a key no variable sets: %v", err)
	}
}

// TestHubZeroConfig: a hub's defaults sit beside a relay's on one
// machine (another port, another data directory) and name an owner.
func TestHubZeroConfig(t *testing.T) {
	c, err := LoadHub("", nil)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := Load("", nil)
	if c.Listen != "127.0.0.1:8081" || c.PublicURL != "http://127.0.0.1:8081" || c.DataDir != "./data-hub" {
		t.Fatalf("hub defaults = %+v", c)
	}
	if c.Listen == r.Listen || c.DataDir == r.DataDir {
		t.Fatalf("hub and relay defaults collide: %s %s", c.Listen, c.DataDir)
	}
	if c.Hub.Handle != "owner" || c.Hub.FollowApproval != "auto" {
		t.Fatalf("hub section = %+v", c.Hub)
	}
	c, err = LoadHub(writeFile(t, "hub:\n  handle: alice\n  name: Alice\n"), []string{"MARKET_HUB_FOLLOW_APPROVAL=manual", "MARKET_HUB_NAME=Alice A."})
	if err != nil || c.Hub.Handle != "alice" || c.Hub.Name != "Alice A." || c.Hub.FollowApproval != "manual" {
		t.Fatalf("file then env: %+v, %v", c.Hub, err)
	}
}

// TestHubErrorsNameTheKey: each bad hub key is named with what it wants.
func TestHubErrorsNameTheKey(t *testing.T) {
	for body, want := range map[string]string{
		"hub:\n  handle: Alice Smith\n":                    "hub.handle: must be 1 to 30 lower-case letters",
		"hub:\n  handle: ''\n":                             "hub.handle:",
		"hub:\n  follow_approval: sometimes\n":             `hub.follow_approval: must be auto or manual, got "sometimes"`,
		"hub:\n  name: \"a\\u0007b\"\n":                    "hub.name: must be plain text",
		"hub:\n  rate_limit:\n    burst: 0\n":              "hub.rate_limit.burst: must be at least 1",
		"hub:\n  blocked_domains: [a/b]\n":                 "hub.blocked_domains[0]: must be a bare domain",
		"hub:\n  relay_refresh: 1s\n":                      "hub.relay_refresh: must be at least 1m",
		"hub:\n  handel: alice\n":                          "hub.handel (line 2): unknown key; did you mean hub.handle?",
		"hub:\n  name: " + strings.Repeat("x", 101) + "\n": "hub.name: must be at most 100 characters",
	} {
		_, err := LoadHub(writeFile(t, body), nil)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
}

// TestHubExampleConfigLoads keeps deploy/hub.example.yaml true.
func TestHubExampleConfigLoads(t *testing.T) {
	c, err := LoadHub("../deploy/hub.example.yaml", nil)
	if err != nil {
		t.Fatalf("deploy/hub.example.yaml: %v", err)
	}
	if c.PublicURL != "https://ana.example" || c.Hub.Handle != "ana" || len(c.Hub.BlockedDomains) != 1 || c.Hub.RateLimit.Burst != 200 {
		t.Fatalf("example hub config read as %+v", c)
	}
}

func TestIndexCheckpoint(t *testing.T) {
	if c, err := Load("", nil); err != nil || c.Relay.IndexCheckpoint.D() != time.Minute {
		t.Fatalf("default index_checkpoint = %s, %v; want 1m", c.Relay.IndexCheckpoint.D(), err)
	}
	if c, err := Load(writeFile(t, "relay:\n  index_checkpoint: 0s\n"), nil); err != nil || c.Relay.IndexCheckpoint != 0 {
		t.Fatalf("index_checkpoint 0s (off) = %s, %v", c.Relay.IndexCheckpoint.D(), err)
	}
	_, err := Load(writeFile(t, "relay:\n  index_checkpoint: 100ms\n"), nil)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "relay.index_checkpoint: must be 0 (off) or at least 1s, got 100ms") {
		t.Fatalf("index_checkpoint 100ms: %v", err)
	}
}
