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
		{"unknown key", "listne: x\n", nil, []string{"listne"}},
		{"bad duration", "federation:\n  date_window: soon\n", nil, []string{"soon", "duration"}},
		{"bad listen", "listen: nowhere\n", nil, []string{"listen:"}},
		{"bad public url", "public_url: ftp://x\n", nil, []string{"public_url:"}},
		{"bad env bool", "", []string{"MARKET_ALLOW_PRIVATE_NETWORKS=maybe"}, []string{"MARKET_ALLOW_PRIVATE_NETWORKS"}},
		{"several at once", "log_level: loud\nrelay:\n  specialization:\n    listing_types: [cars]\n    regions: [usa]\n    price_max: {USD: ten}\n", nil,
			[]string{"log_level:", "relay.specialization.listing_types[0]", "relay.specialization.regions[0]", "relay.specialization.price_max.USD"}},
		{"bad domain lists", "relay:\n  blocked_domains: [spam.example, \"https://x.example\"]\n  allowed_domains: [coop.example, \"alice@hub.example\"]\n", nil,
			[]string{"relay.blocked_domains[1]", "relay.allowed_domains[1]", "alice@hub.example"}},
		{"bad rate limit", "relay:\n  rate_limit:\n    per_minute: 10\n    burst: 0\n    exempt: [10.0.0.0/33]\n    trusted_proxies: [proxy.local]\n", nil,
			[]string{"relay.rate_limit.burst", "relay.rate_limit.exempt[0]", "relay.rate_limit.trusted_proxies[0]", "proxy.local"}},
		{"bad perimeter", "relay:\n  specialization:\n    perimeter: {lat: 95, lon: 13.4, radius_km: 0}\n", nil,
			[]string{"relay.specialization.perimeter.lat", "relay.specialization.perimeter.radius_km"}},
		{"bad signature style", "federation:\n  signatures: fancy\n", nil, []string{"federation.signatures", "fancy"}},
		{"backoff order", "federation:\n  delivery:\n    initial_backoff: 1h\n    max_backoff: 1m\n", nil, []string{"federation.delivery.max_backoff"}},
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
		})
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
