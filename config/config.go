package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sovereign-marketplace/market/listing"
)

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid configuration")

// Duration is a time.Duration written as "90s", "5m" or "48h" in YAML.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration such as \"30s\" or \"5m\"", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a Go duration string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Config is everything the market binary runs with.
type Config struct {
	// Listen is the address the HTTP server binds (MARKET_LISTEN).
	Listen string `yaml:"listen"`
	// PublicURL is the base URL in actor ids (MARKET_PUBLIC_URL); by default
	// "http://" + Listen.
	PublicURL string `yaml:"public_url"`
	// DataDir holds the bbolt file, the Bleve index and the keys
	// (MARKET_DATA_DIR).
	DataDir string `yaml:"data_dir"`
	// AllowPrivateNetworks lets outbound fetches and deliveries reach
	// loopback, private and link-local addresses
	// (MARKET_ALLOW_PRIVATE_NETWORKS). Off in production; tests turn it on.
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// LogLevel is debug, info, warn or error (MARKET_LOG_LEVEL).
	LogLevel string `yaml:"log_level"`
	// LogFormat is text or json (MARKET_LOG_FORMAT).
	LogFormat string `yaml:"log_format"`
	// ShutdownTimeout bounds how long a graceful shutdown waits for
	// in-flight requests.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`

	Federation Federation `yaml:"federation"`
	Relay      Relay      `yaml:"relay"`
	Hub        Hub        `yaml:"hub"`
}

// Federation tunes the ActivityPub side: inbox limits, signatures, fetches
// and outbound delivery.
type Federation struct {
	// InboxMaxBytes is the largest request body an inbox accepts.
	InboxMaxBytes int64 `yaml:"inbox_max_bytes"`
	// DateWindow is how far a signed request's Date may be from now.
	DateWindow Duration `yaml:"date_window"`
	// FetchTimeout bounds one outbound GET (actor, object).
	FetchTimeout Duration `yaml:"fetch_timeout"`
	// KeyCacheTTL is how long a fetched actor key is trusted before refetch.
	KeyCacheTTL Duration `yaml:"key_cache_ttl"`
	// Signatures is how outgoing POSTs are signed: "cavage" (draft-cavage,
	// which every server accepts), "rfc9421", or "dual" (RFC 9421 first,
	// draft-cavage again where an inbox refuses it).
	Signatures string `yaml:"signatures"`
	// Delivery tunes the outbound delivery queue.
	Delivery Delivery `yaml:"delivery"`
}

// Delivery tunes retries of outbound activities.
type Delivery struct {
	// InitialBackoff is the wait after the first failure; it doubles each time.
	InitialBackoff Duration `yaml:"initial_backoff"`
	// MaxBackoff caps the wait between two attempts.
	MaxBackoff Duration `yaml:"max_backoff"`
	// GiveUpAfter is how long a host may keep failing before its deliveries
	// are dropped and the host is marked unreachable.
	GiveUpAfter Duration `yaml:"give_up_after"`
	// Workers is how many deliveries run at once (a quarter of them at
	// most to one host).
	Workers int `yaml:"workers"`
}

// Relay configures relay mode.
type Relay struct {
	// Name and Summary appear in the relay's actor document.
	Name    string `yaml:"name"`
	Summary string `yaml:"summary"`
	// AdminToken guards the admin API that operator commands use. When
	// empty, a token is generated on first start and kept in the data dir
	// (MARKET_ADMIN_TOKEN).
	AdminToken string `yaml:"admin_token"`
	// FollowApproval is "auto" (every hub that follows the relay is
	// accepted and followed back) or "manual" (follows wait for
	// `market relay approve`).
	FollowApproval string `yaml:"follow_approval"`
	// BlockedDomains are refused at the inbox from the start.
	BlockedDomains []string `yaml:"blocked_domains"`
	// AllowedDomains, when not empty, turns the relay into an allow-list
	// relay: only actors on these domains (or their subdomains) may follow
	// it or publish to it, and the operator can follow only them. Empty
	// allows every domain that is not blocked.
	AllowedDomains []string `yaml:"allowed_domains"`
	// Specialization limits which listings the relay stores and indexes.
	Specialization Specialization `yaml:"specialization"`
	// RateLimit limits requests per client address to the inbox and the
	// public API.
	RateLimit RateLimit `yaml:"rate_limit"`
	// CORS lets web pages on other sites read the public search API.
	CORS CORS `yaml:"cors"`
	// ProposalRefresh is how often the relay re-reads the actor documents
	// of the hubs it is subscribed with for linked proposals (Mitra-style
	// listings), dropping those whose link or URL went away; 0 turns the
	// refresh off (links are still read on follow and on the actor's Update).
	ProposalRefresh Duration `yaml:"proposal_refresh"`
	// IndexCheckpoint is how often the relay checkpoints its search index,
	// once 1,000 listings changed since the last: after an unclean stop it
	// starts from the last checkpoint and re-indexes only the listings
	// changed since, instead of every listing. 0 turns checkpoints off (a
	// clean stop still writes one).
	IndexCheckpoint Duration `yaml:"index_checkpoint"`
}

// Hub configures hub mode: one person's server (`market hub`).
type Hub struct {
	// Handle is the owner's user name: the user part of their address
	// acct:<handle>@<host> and of their actor URL /users/<handle>
	// (MARKET_HUB_HANDLE).
	Handle string `yaml:"handle"`
	// Name and Summary are the owner's display name and profile text
	// (MARKET_HUB_NAME).
	Name    string `yaml:"name"`
	Summary string `yaml:"summary"`
	// FollowApproval is "auto" (anyone who follows the owner is accepted)
	// or "manual" (follows wait for `market hub followers approve`)
	// (MARKET_HUB_FOLLOW_APPROVAL).
	FollowApproval string `yaml:"follow_approval"`
	// AdminToken guards the admin socket that operator commands use; when
	// empty, a token is generated on first start and kept in the data
	// dir (MARKET_HUB_ADMIN_TOKEN).
	AdminToken string `yaml:"admin_token"`
	// BlockedDomains are refused at the inbox from the start.
	BlockedDomains []string `yaml:"blocked_domains"`
	// RateLimit limits requests per client address to the inbox, the
	// public pages and the owner API.
	RateLimit RateLimit `yaml:"rate_limit"`
	// RelayRefresh is how often the hub re-reads the actor documents of
	// the relays it is subscribed to, for the specialization they
	// advertise (which decides what is sent to each).
	RelayRefresh Duration `yaml:"relay_refresh"`
	// Agent is the escrow agent role: a hub that holds a community's
	// ledger escrow for deals between other hubs.
	Agent Agent `yaml:"agent"`
	// EVM is the hub's EVM escrow: chain, contract and key (see EVM).
	EVM EVM `yaml:"evm"`
}

// Agent configures the escrow agent role of a hub (hub.agent): with
// Enabled, the hub keeps an escrow ledger with an account per actor
// (operator deposits and withdrawals with `market hub agent ...`), takes
// signed EscrowRequests from deals' parties and tells both parties of
// every transition (MARKET_HUB_AGENT_ENABLED).
type Agent struct {
	Enabled bool `yaml:"enabled"`
	// Timeouts are how long a deal at the agent waits in each status
	// before the agent applies its deadline: unfunded deals expire,
	// undelivered ones are refunded, and delivered ones the buyer did
	// not confirm are released to the seller. Zero takes the escrow
	// package's defaults (a week to fund, two to deliver, one to
	// confirm).
	Timeouts AgentTimeouts `yaml:"timeouts"`
}

// AgentTimeouts are the escrow agent's deadlines (hub.agent.timeouts);
// each is 0 (the default) or at least a second.
type AgentTimeouts struct {
	Fund    Duration `yaml:"fund"`
	Deliver Duration `yaml:"deliver"`
	Confirm Duration `yaml:"confirm"`
}

// CORS is which web origins may read the public search API (GET of
// /api/v1/search, /api/v1/listings/{id} and /api/v1/stats) from a browser.
// The inbox, the admin socket and POST /api/v1/reports are never opened to
// other origins.
type CORS struct {
	// AllowedOrigins lists origins such as https://search.example, or "*"
	// for every site (the default); empty turns cross-origin reads off
	// (MARKET_CORS_ALLOWED_ORIGINS, comma-separated).
	AllowedOrigins []string `yaml:"allowed_origins"`
}

// RateLimit is a token bucket per client address: PerMinute requests a
// minute on average, up to Burst at once. A client over it gets 429 with
// Retry-After.
type RateLimit struct {
	// PerMinute is the sustained rate; 0 turns the limit off.
	PerMinute int `yaml:"per_minute"`
	// Burst is how many requests a client may send at once.
	Burst int `yaml:"burst"`
	// Exempt lists addresses or CIDR prefixes never limited (by default
	// loopback: local tools and benchmarks).
	Exempt []string `yaml:"exempt"`
	// TrustedProxies lists addresses or CIDR prefixes whose
	// X-Forwarded-For is believed: behind a reverse proxy, list it here
	// so the limit applies to the client the proxy forwards.
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Specialization is the niche a relay indexes. Empty lists accept all.
type Specialization struct {
	// ListingTypes accepted (data_product, service, physical, digital).
	ListingTypes []string `yaml:"listing_types"`
	// Regions accepted: countries ("US") or subdivisions ("US-CA").
	Regions []string `yaml:"regions"`
	// Tags: a listing needs at least one of them.
	Tags []string `yaml:"tags"`
	// PriceMax per currency, as decimal strings: {"USD": "100"}.
	PriceMax map[string]string `yaml:"price_max"`
	// Perimeter, when set, keeps only listings whose location lies within
	// RadiusKm of the point (a city's or a region's relay); listings
	// without a location fall outside it.
	Perimeter *Perimeter `yaml:"perimeter"`
}

// Perimeter is a circle on the map: a centre in WGS 84 degrees and a
// radius in kilometres.
type Perimeter struct {
	Lat      float64 `yaml:"lat"`
	Lon      float64 `yaml:"lon"`
	RadiusKm float64 `yaml:"radius_km"`
}

// Default returns the zero-config settings: a relay on 127.0.0.1:8080 with
// its stores under ./data (see HubDefault for a hub).
func Default() Config {
	return Config{
		Listen:          "127.0.0.1:8080",
		DataDir:         "./data",
		LogLevel:        "info",
		LogFormat:       "text",
		ShutdownTimeout: Duration(15 * time.Second),
		Federation: Federation{
			InboxMaxBytes: 1 << 20,
			DateWindow:    Duration(5 * time.Minute),
			FetchTimeout:  Duration(10 * time.Second),
			KeyCacheTTL:   Duration(24 * time.Hour),
			Signatures:    "cavage",
			Delivery: Delivery{
				InitialBackoff: Duration(30 * time.Second),
				MaxBackoff:     Duration(6 * time.Hour),
				GiveUpAfter:    Duration(72 * time.Hour),
				Workers:        64,
			},
		},
		Relay: Relay{
			FollowApproval:  "auto",
			ProposalRefresh: Duration(6 * time.Hour),
			IndexCheckpoint: Duration(time.Minute),
			RateLimit: RateLimit{
				PerMinute: 600,
				Burst:     200,
				Exempt:    []string{"127.0.0.0/8", "::1/128"},
			},
			CORS:    CORS{AllowedOrigins: []string{"*"}},
			Name:    "Marketplace relay",
			Summary: "Indexes marketplace listings from the hubs it follows and serves public search over them.",
		},
		Hub: Hub{
			Handle:         "owner",
			Name:           "Owner",
			FollowApproval: "auto",
			RelayRefresh:   Duration(6 * time.Hour),
			EVM:            EVM{PollInterval: Duration(defaultEVMPoll)},
			RateLimit: RateLimit{
				PerMinute: 600,
				Burst:     200,
				Exempt:    []string{"127.0.0.0/8", "::1/128"},
			},
		},
	}
}

// Override is a value given on the command line for a key that an
// environment variable also sets (see EnvVars): market relay --listen
// sets "listen" as MARKET_LISTEN does.
type Override struct {
	Key   string // the key as the file writes it: "listen", "data_dir"
	Flag  string // how the user gave it, for errors: "--listen"
	Value string
}

// HubDefault returns the zero-config settings of a hub: 127.0.0.1:8081
// with its stores under ./data-hub, so that a relay and a hub run side by
// side on one machine with no configuration.
func HubDefault() Config {
	c := Default()
	c.Listen = "127.0.0.1:8081"
	c.DataDir = "./data-hub"
	return c
}

// Load builds the configuration: defaults, then the YAML file at path (if
// path is not empty), then environment variables from env (os.Environ form),
// then the overrides from the command line, each winning over the ones
// before, then validation of the whole. Errors name the bad key
// (relay.rate_limit.burst), variable (MARKET_DATE_WINDOW) or flag and what
// it wants.
func Load(path string, env []string, overrides ...Override) (Config, error) {
	return load(Default(), path, env, overrides)
}

// LoadHub is Load for a hub: the same file, variables and flags over
// HubDefault.
func LoadHub(path string, env []string, overrides ...Override) (Config, error) {
	return load(HubDefault(), path, env, overrides)
}

func load(c Config, path string, env []string, overrides []Override) (Config, error) {
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("read config: %w", err)
		}
		if errs := decodeYAML(data, &c); len(errs) > 0 {
			return c, fmt.Errorf("%w: %s: %s", ErrInvalid, path, strings.Join(errs, "; "))
		}
	}
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	if err := c.applyOverrides(overrides); err != nil {
		return c, err
	}
	// A relay bound to every interface cannot know the address hubs reach
	// it by: Validate refuses an empty public_url then, instead of
	// publishing http://0.0.0.0:8080/actor.
	if c.PublicURL == "" && !listensEverywhere(c.Listen) {
		c.PublicURL = "http://" + c.Listen
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return c, c.Validate()
}

// listensEverywhere reports whether the listen address has an unspecified
// host (0.0.0.0, ::, or none, as in ":8080").
func listensEverywhere(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsUnspecified()
}

// envVar is one supported environment variable: the key it overrides and
// how to set it. set's error says what the variable wants, in the user's
// terms.
type envVar struct {
	name, key string
	set       func(c *Config, v string) error
}

// envVars are the environment variables Load reads, in the order shown in
// help text.
var envVars = append([]envVar{
	{"MARKET_LISTEN", "listen", func(c *Config, v string) error { c.Listen = v; return nil }},
	{"MARKET_PUBLIC_URL", "public_url", func(c *Config, v string) error { c.PublicURL = v; return nil }},
	{"MARKET_DATA_DIR", "data_dir", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"MARKET_ALLOW_PRIVATE_NETWORKS", "allow_private_networks", func(c *Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1":
			c.AllowPrivateNetworks = true
		case "false", "0":
			c.AllowPrivateNetworks = false
		default:
			return fmt.Errorf("want true or false, got %q", v)
		}
		return nil
	}},
	{"MARKET_LOG_LEVEL", "log_level", func(c *Config, v string) error { c.LogLevel = v; return nil }},
	{"MARKET_LOG_FORMAT", "log_format", func(c *Config, v string) error { c.LogFormat = v; return nil }},
	{"MARKET_ADMIN_TOKEN", "relay.admin_token", func(c *Config, v string) error { c.Relay.AdminToken = v; return nil }},
	{"MARKET_HUB_HANDLE", "hub.handle", func(c *Config, v string) error { c.Hub.Handle = v; return nil }},
	{"MARKET_HUB_NAME", "hub.name", func(c *Config, v string) error { c.Hub.Name = v; return nil }},
	{"MARKET_HUB_FOLLOW_APPROVAL", "hub.follow_approval", func(c *Config, v string) error { c.Hub.FollowApproval = v; return nil }},
	{"MARKET_HUB_ADMIN_TOKEN", "hub.admin_token", func(c *Config, v string) error { c.Hub.AdminToken = v; return nil }},
	{"MARKET_HUB_AGENT_ENABLED", "hub.agent.enabled", func(c *Config, v string) error {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1":
			c.Hub.Agent.Enabled = true
		case "false", "0":
			c.Hub.Agent.Enabled = false
		default:
			return fmt.Errorf("want true or false, got %q", v)
		}
		return nil
	}},
	{"MARKET_DATE_WINDOW", "federation.date_window", func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf(`want a duration such as "30s" or "5m", got %q`, v)
		}
		c.Federation.DateWindow = Duration(d)
		return nil
	}},
	{"MARKET_INBOX_MAX_BYTES", "federation.inbox_max_bytes", func(c *Config, v string) error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number of bytes such as 1048576, got %q", v)
		}
		c.Federation.InboxMaxBytes = n
		return nil
	}},
	{"MARKET_CORS_ALLOWED_ORIGINS", "relay.cors.allowed_origins", func(c *Config, v string) error {
		c.Relay.CORS.AllowedOrigins = []string{}
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.Relay.CORS.AllowedOrigins = append(c.Relay.CORS.AllowedOrigins, o)
			}
		}
		return nil
	}},
}, evmEnvVars...)

// EnvVars returns the names of the environment variables Load reads, each
// with the key it overrides, in the order help text shows them.
func EnvVars() [][2]string {
	out := make([][2]string, len(envVars))
	for i, e := range envVars {
		out[i] = [2]string{e.name, e.key}
	}
	return out
}

func (c *Config) applyEnv(env []string) error {
	values := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			values[k] = v
		}
	}
	var errs []string
	for _, e := range envVars {
		v, ok := values[e.name]
		if !ok {
			continue
		}
		if err := e.set(c, v); err != nil {
			errs = append(errs, e.name+": "+err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

func (c *Config) applyOverrides(overrides []Override) error {
	var errs []string
	for _, o := range overrides {
		i := slices.IndexFunc(envVars, func(e envVar) bool { return e.key == o.Key })
		if i < 0 {
			errs = append(errs, fmt.Sprintf("%s: no flag sets the key %q", o.Flag, o.Key))
			continue
		}
		if err := envVars[i].set(c, o.Value); err != nil {
			errs = append(errs, o.Flag+": "+err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// Validate checks the whole configuration and reports every bad key at once.
func (c *Config) Validate() error {
	var errs []string
	bad := func(key, format string, args ...any) {
		errs = append(errs, key+": "+fmt.Sprintf(format, args...))
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		bad("listen", "must be host:port such as 127.0.0.1:8080, got %q", c.Listen)
	}
	if c.PublicURL == "" && listensEverywhere(c.Listen) {
		bad("public_url", "must be set (MARKET_PUBLIC_URL) when listen (%s) binds every interface: it is the base of the relay's actor id, the address hubs reach, such as https://relay.example", c.Listen)
	} else if u, err := url.Parse(c.PublicURL); err != nil || !listing.IsHTTPURL(c.PublicURL) || u.RawQuery != "" || u.Fragment != "" {
		bad("public_url", "must be an http(s) base URL such as https://relay.example, got %q", c.PublicURL)
	} else if listensEverywhere(u.Host) || listensEverywhere(u.Host+":0") {
		bad("public_url", "must be the address hubs reach, such as https://relay.example, not the unspecified address in %q", c.PublicURL)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "must not be empty")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", "must be debug, info, warn or error, got %q", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", "must be text or json, got %q", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown_timeout", "must be positive")
	}
	f := c.Federation
	if f.InboxMaxBytes < 1024 {
		bad("federation.inbox_max_bytes", "must be at least 1024, got %d", f.InboxMaxBytes)
	}
	if f.DateWindow <= 0 {
		bad("federation.date_window", "must be positive")
	}
	if f.FetchTimeout <= 0 {
		bad("federation.fetch_timeout", "must be positive")
	}
	if f.KeyCacheTTL <= 0 {
		bad("federation.key_cache_ttl", "must be positive")
	}
	d := f.Delivery
	if d.InitialBackoff <= 0 {
		bad("federation.delivery.initial_backoff", "must be positive")
	}
	if d.MaxBackoff < d.InitialBackoff {
		bad("federation.delivery.max_backoff", "must be at least initial_backoff (%s)", d.InitialBackoff.D())
	}
	if d.GiveUpAfter <= 0 {
		bad("federation.delivery.give_up_after", "must be positive")
	}
	if d.Workers < 1 || d.Workers > 256 {
		bad("federation.delivery.workers", "must be between 1 and 256, got %d", d.Workers)
	}
	switch c.Federation.Signatures {
	case "cavage", "rfc9421", "dual":
	default:
		bad("federation.signatures", "must be cavage, rfc9421 or dual, got %q", c.Federation.Signatures)
	}
	if c.Relay.FollowApproval != "auto" && c.Relay.FollowApproval != "manual" {
		bad("relay.follow_approval", "must be auto or manual, got %q", c.Relay.FollowApproval)
	}
	for _, list := range []struct {
		key  string
		doms []string
	}{{"relay.blocked_domains", c.Relay.BlockedDomains}, {"relay.allowed_domains", c.Relay.AllowedDomains}, {"hub.blocked_domains", c.Hub.BlockedDomains}} {
		for i, dom := range list.doms {
			if dom == "" || strings.ContainsAny(dom, "/:@ ") {
				bad(fmt.Sprintf("%s[%d]", list.key, i), "must be a bare domain such as hub.example, got %q", dom)
			}
		}
	}
	if r := c.Relay.ProposalRefresh; r != 0 && r < Duration(time.Minute) {
		bad("relay.proposal_refresh", "must be 0 (off) or at least 1m, got %s", r.D())
	}
	if r := c.Relay.IndexCheckpoint; r != 0 && r < Duration(time.Second) {
		bad("relay.index_checkpoint", "must be 0 (off) or at least 1s, got %s", r.D())
	}
	c.Relay.Specialization.validate(bad)
	c.Relay.RateLimit.validate("relay.rate_limit", bad)
	c.Hub.validate(bad)
	for i, o := range c.Relay.CORS.AllowedOrigins {
		if u, err := url.Parse(o); o != "*" && (err != nil || !listing.IsHTTPURL(o) ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(o, "/")) {
			bad(fmt.Sprintf("relay.cors.allowed_origins[%d]", i), "must be * or an origin such as https://search.example (scheme and host, no path), got %q", o)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

// handleRE is the form of a hub owner's handle: what Mastodon and most
// servers accept as a user name.
var handleRE = regexp.MustCompile(`^[a-z0-9_]{1,30}$`)

func (h Hub) validate(bad func(string, string, ...any)) {
	if !handleRE.MatchString(h.Handle) {
		bad("hub.handle", "must be 1 to 30 lower-case letters, digits or underscores, such as alice, got %q", h.Handle)
	}
	for _, f := range []struct {
		key, v string
		max    int
	}{{"hub.name", h.Name, 100}, {"hub.summary", h.Summary, 1000}} {
		if n := utf8.RuneCountInString(f.v); n > f.max {
			bad(f.key, "must be at most %d characters, got %d", f.max, n)
		}
		if strings.ContainsFunc(f.v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
			bad(f.key, "must be plain text without control characters")
		}
	}
	if h.FollowApproval != "auto" && h.FollowApproval != "manual" {
		bad("hub.follow_approval", "must be auto or manual, got %q", h.FollowApproval)
	}
	if h.RelayRefresh < Duration(time.Minute) {
		bad("hub.relay_refresh", "must be at least 1m, got %s", h.RelayRefresh.D())
	}
	for key, d := range map[string]Duration{"fund": h.Agent.Timeouts.Fund, "deliver": h.Agent.Timeouts.Deliver, "confirm": h.Agent.Timeouts.Confirm} {
		if d != 0 && (d < Duration(time.Second) || d > Duration(10*365*24*time.Hour)) {
			bad("hub.agent.timeouts."+key, "must be 0 (the default) or from 1s to 87600h, got %s", d.D())
		}
	}
	h.RateLimit.validate("hub.rate_limit", bad)
	h.EVM.validate(bad)
}

func (r RateLimit) validate(key string, bad func(string, string, ...any)) {
	if r.PerMinute < 0 {
		bad(key+".per_minute", "must be 0 (off) or more, got %d", r.PerMinute)
	}
	if r.PerMinute > 0 && r.Burst < 1 {
		bad(key+".burst", "must be at least 1 when per_minute is set, got %d", r.Burst)
	}
	for _, list := range []struct {
		key   string
		addrs []string
	}{{key + ".exempt", r.Exempt}, {key + ".trusted_proxies", r.TrustedProxies}} {
		for i, a := range list.addrs {
			if _, err := ParsePrefix(a); err != nil {
				bad(fmt.Sprintf("%s[%d]", list.key, i), "%v", err)
			}
		}
	}
}

// ParsePrefix reads an address ("203.0.113.7") or a CIDR prefix
// ("10.0.0.0/8") as a prefix.
func ParsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("must be an IP address or a CIDR prefix such as 10.0.0.0/8, got %q", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("must be an IP address or a CIDR prefix such as 10.0.0.0/8, got %q", s)
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

func (s Specialization) validate(bad func(string, string, ...any)) {
	for i, t := range s.ListingTypes {
		if !listing.Type(t).Valid() {
			bad(fmt.Sprintf("relay.specialization.listing_types[%d]", i), "must be %s, got %q", orList(listing.Types), t)
		}
	}
	for i, r := range s.Regions {
		if !listing.ValidRegion(r) {
			bad(fmt.Sprintf("relay.specialization.regions[%d]", i), "must be a country code (\"US\") or an ISO 3166-2 code (\"US-CA\"), got %q", r)
		}
	}
	for i, t := range s.Tags {
		if !listing.ValidTag(t) {
			bad(fmt.Sprintf("relay.specialization.tags[%d]", i), "must be a tag of 1-%d characters without spaces, commas or '#', got %q", listing.MaxTagLen, t)
		}
	}
	for cur, amount := range s.PriceMax {
		key := "relay.specialization.price_max." + cur
		switch _, err := listing.MinorUnits(amount, cur); {
		case !listing.ValidCurrency(cur):
			bad(key, "the currency must be an ISO 4217 code such as USD or a CAIP-19 asset id, got %q", cur)
		case errors.Is(err, listing.ErrUnknownAsset):
			bad(key, "the decimals of %s are not known, so its prices cannot be compared: leave it out", cur)
		case amount == "" || err != nil:
			bad(key, "must be a decimal string such as \"100\" or \"99.99\" with at most %d decimals for %s, got %q", listing.Decimals(cur), cur, amount)
		}
	}
	if p := s.Perimeter; p != nil {
		if p.Lat < -90 || p.Lat > 90 {
			bad("relay.specialization.perimeter.lat", "must be between -90 and 90 degrees, got %v", p.Lat)
		}
		if p.Lon < -180 || p.Lon > 180 {
			bad("relay.specialization.perimeter.lon", "must be between -180 and 180 degrees, got %v", p.Lon)
		}
		if p.RadiusKm <= 0 || p.RadiusKm > 20_000 {
			bad("relay.specialization.perimeter.radius_km", "must be more than 0 and at most 20000 km, got %v", p.RadiusKm)
		}
	}
}

// orList writes values as "a, b or c".
func orList[T ~string](values []T) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}
