package deploy_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/relay"
)

// series is what a /metrics scrape shows: metric name → label name → the
// values seen.
type series map[string]map[string]map[string]bool

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// parseScrape reads the Prometheus text format.
func parseScrape(text string) series {
	out := series{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		m := sampleLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		labels := out[m[1]]
		if labels == nil {
			labels = map[string]map[string]bool{}
			out[m[1]] = labels
		}
		for _, lp := range labelPair.FindAllStringSubmatch(m[2], -1) {
			if labels[lp[1]] == nil {
				labels[lp[1]] = map[string]bool{}
			}
			labels[lp[1]][lp[2]] = true
		}
	}
	return out
}

// quiet is the logger of the test relay and hubs.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// scrapeAfterTraffic starts a relay, sends it the traffic a relay sees
// (a hub subscribing and publishing, a key rotation, unsigned and forged
// requests, the Delete of an actor whose document is gone, API requests
// past the rate limit) and returns its /metrics.
func scrapeAfterTraffic(t *testing.T) series {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Listen, cfg.PublicURL, cfg.DataDir = ln.Addr().String(), "http://"+ln.Addr().String(), t.TempDir()
	cfg.AllowPrivateNetworks = true
	cfg.Relay.RateLimit = config.RateLimit{PerMinute: 60, Burst: 30}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := relay.Open(cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served; srv.Close() })
	inbox := cfg.PublicURL + "/inbox"

	h, err := testhub.Start(testhub.Options{Name: "alice", Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	send := func(what string, activity []byte, tamper func(*http.Request), want int) {
		t.Helper()
		status, body, err := h.SendWith(ctx, inbox, activity, tamper)
		if err != nil || status != want {
			t.Fatalf("%s: status %d (%v), want %d: %s", what, status, err, want, body)
		}
	}
	send("Follow", h.Activity("Follow", srv.ActorID()), nil, http.StatusAccepted) // signature valid
	if _, err := h.WaitFor(ctx, "Accept"); err != nil {                           // a delivery that succeeded
		t.Fatal(err)
	}
	create, err := h.ListingActivity("Create", h.Listing("Running routes"))
	if err != nil {
		t.Fatal(err)
	}
	send("Create", create, nil, http.StatusAccepted)
	send("unsigned", h.Activity("Like", h.ActorID), func(r *http.Request) { r.Header.Del("Signature") }, http.StatusUnauthorized)
	send("forged", h.Activity("Like", h.ActorID), func(r *http.Request) {
		r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `signature="`, `signature="AAAA`, 1))
	}, http.StatusUnauthorized)
	deleteGoneActor(t, ctx, inbox)
	limited := false
	for i := 0; i < 200 && !limited; i++ {
		resp, err := http.Get(cfg.PublicURL + "/api/v1/stats")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("the public API never answered 429")
	}
	// A rotated key: the relay fetches the actor again once its copy is
	// Client.MinRefresh (10 s) old, and until then refuses the new key.
	// The relay also reads the hub's actor document once after the
	// subscription (for linked proposals); when that read lands after the
	// rotation the new key is simply valid, so rotate again until a
	// refetch is what took it.
	for rotation := 0; !refetched(t, cfg.PublicURL); rotation++ {
		if rotation == 3 {
			t.Fatal("three key rotations, and the relay never refetched the actor for one")
		}
		if err := h.RotateKey(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; {
			update, _ := h.ListingActivity("Update", h.Listing("Cycling routes"))
			status, _, err := h.Send(ctx, inbox, update)
			if err == nil && status == http.StatusAccepted {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the relay never took the rotated key: %d, %v", status, err)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	resp, err := http.Get(cfg.PublicURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return parseScrape(string(text))
}

// deleteGoneActor sends the Delete of an actor whose document answers
// 410 Gone, signed with its (now unpublished) key: the one request a relay
// lets through unverified.
func deleteGoneActor(t *testing.T, ctx context.Context, inbox string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })}
	go gone.Serve(ln)
	t.Cleanup(func() { gone.Close() })
	actor := "http://" + ln.Addr().String() + "/users/gone"
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Delete","actor":%q,"object":%q}`, actor+"#delete", actor, actor))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", federation.ContentType)
	if err := (&federation.Signer{KeyID: actor + "#main-key", Key: key}).Sign(req, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("Delete of a gone actor: status %d", resp.StatusCode)
	}
}

// selector is one metric selector of a PromQL expression.
type selector struct {
	metric   string
	matchers [][3]string // label, operator, value
}

var (
	matcherRE = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?`)
	// words of PromQL that are neither metrics nor functions
	promKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true,
		// aggregations, which may come before their parenthesis: sum by (x) (...)
		"sum": true, "min": true, "max": true, "avg": true, "count": true, "group": true, "stddev": true, "stdvar": true,
		"topk": true, "bottomk": true, "quantile": true, "count_values": true, "limitk": true, "limit_ratio": true}
	// words followed by a list of label names
	promGrouping = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true}
)

// parsePromQL finds the metric selectors of expr and the label names its
// aggregations and vector matchings group by. It knows enough PromQL for
// alert rules and dashboards: functions, aggregations, binary operators,
// range selectors and label matchers.
func parsePromQL(expr string) ([]selector, []string, error) {
	var sels []selector
	var groups []string
	isWord := func(c byte) bool {
		return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	i := 0
	skipSpace := func() {
		for i < len(expr) && (expr[i] == ' ' || expr[i] == '\t' || expr[i] == '\n') {
			i++
		}
	}
	for i < len(expr) {
		c := expr[i]
		switch {
		case c == '[': // a range or subquery duration
			end := strings.IndexByte(expr[i:], ']')
			if end < 0 {
				return nil, nil, fmt.Errorf("unclosed [ at %d", i)
			}
			i += end + 1
		case c >= '0' && c <= '9' || c == '.':
			for i < len(expr) && (isWord(expr[i]) || expr[i] == '.') {
				i++
			}
		case isWord(c):
			start := i
			for i < len(expr) && isWord(expr[i]) {
				i++
			}
			word := expr[start:i]
			skipSpace()
			switch {
			case promGrouping[word]:
				if i < len(expr) && expr[i] == '(' {
					end := strings.IndexByte(expr[i:], ')')
					if end < 0 {
						return nil, nil, fmt.Errorf("unclosed %s( at %d", word, i)
					}
					for _, l := range strings.Split(expr[i+1:i+end], ",") {
						if l = strings.TrimSpace(l); l != "" {
							groups = append(groups, l)
						}
					}
					i += end + 1
				}
			case promKeywords[word], i < len(expr) && expr[i] == '(': // a function or aggregation
			default:
				sel := selector{metric: word}
				if i < len(expr) && expr[i] == '{' {
					i++
					for {
						skipSpace()
						if i < len(expr) && expr[i] == '}' {
							i++
							break
						}
						m := matcherRE.FindStringSubmatch(expr[i:])
						if m == nil {
							return nil, nil, fmt.Errorf("bad label matcher at %q", expr[i:])
						}
						sel.matchers = append(sel.matchers, [3]string{m[1], m[2], m[3]})
						i += len(m[0])
					}
				}
				sels = append(sels, sel)
			}
		default:
			i++
		}
	}
	return sels, groups, nil
}

// checkQuery reports what in expr the relay does not emit: a metric, a
// label, a label value a matcher names (each alternative of a regular
// expression), or a grouping label.
func checkQuery(expr string, emitted series) []string {
	sels, groups, err := parsePromQL(expr)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	if len(sels) == 0 {
		problems = append(problems, "queries no metric")
	}
	labelsUsed := map[string]bool{}
	for _, s := range sels {
		fam, ok := emitted[s.metric]
		if !ok {
			problems = append(problems, fmt.Sprintf("metric %s is not one the relay emits", s.metric))
			continue
		}
		for l := range fam {
			labelsUsed[l] = true
		}
		for _, m := range s.matchers {
			label, op, value := m[0], m[1], m[2]
			values, ok := fam[label]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s has no label %q (it has %s)", s.metric, label, strings.Join(slices.Sorted(maps.Keys(fam)), ", ")))
				continue
			}
			alts := []string{value}
			if op == "=~" || op == "!~" {
				alts = strings.Split(value, "|")
			}
			for _, alt := range alts {
				if values[alt] {
					continue
				}
				re, err := regexp.Compile("^(?:" + alt + ")$")
				matched := false
				for v := range values {
					matched = matched || err == nil && alt != regexp.QuoteMeta(alt) && re.MatchString(v)
				}
				if !matched {
					problems = append(problems, fmt.Sprintf("%s{%s%s%q}: the relay never emits %s=%q (it emits %s)", s.metric, label, op, value, label, alt, strings.Join(slices.Sorted(maps.Keys(values)), ", ")))
				}
			}
		}
	}
	for _, g := range groups {
		if !labelsUsed[g] {
			problems = append(problems, fmt.Sprintf("groups by %q, a label none of its metrics has", g))
		}
	}
	return problems
}

// refetched reports whether the relay at base has counted a signature
// that verified only after refetching its actor.
func refetched(t *testing.T, base string) bool {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(body), `market_signature_checks_total{result="valid_after_refetch"}`)
}

// grafanaVars are the dashboard variables Grafana fills in before a query
// reaches Prometheus.
var grafanaVars = strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h")

// TestQueriesMatchEmittedMetrics checks the alert rules
// (deploy/market-alerts.yml) and the Grafana dashboard
// (deploy/grafana/dashboards/*.json) against the /metrics of a relay that
// handled traffic: every metric, label, label value and grouping label
// they use must be one the relay really emits.
func TestQueriesMatchEmittedMetrics(t *testing.T) {
	emitted := scrapeAfterTraffic(t)
	// The traffic must have reached the series the queries are about.
	for _, want := range []string{"valid", "valid_after_refetch", "actor_gone", "missing", "invalid"} {
		if !emitted["market_signature_checks_total"]["result"][want] {
			t.Errorf("the test traffic gave no signature check with result %q: %v", want, emitted["market_signature_checks_total"])
		}
	}

	t.Run("alert rules", func(t *testing.T) {
		var rules struct {
			Groups []struct {
				Name  string
				Rules []struct {
					Alert, Expr, For string
					Annotations      map[string]string
				}
			}
		}
		data, err := os.ReadFile("market-alerts.yml")
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &rules); err != nil {
			t.Fatalf("market-alerts.yml: %v", err)
		}
		n := 0
		for _, g := range rules.Groups {
			for _, r := range g.Rules {
				n++
				if r.Alert == "" || r.Expr == "" || r.Annotations["summary"] == "" {
					t.Errorf("rule %+v: needs alert, expr and a summary", r)
				}
				if _, err := time.ParseDuration(r.For); r.For != "" && err != nil {
					t.Errorf("%s: for %q is not a duration", r.Alert, r.For)
				}
				for _, p := range checkQuery(r.Expr, emitted) {
					t.Errorf("alert %s (%s): %s", r.Alert, r.Expr, p)
				}
			}
		}
		if n == 0 {
			t.Fatal("no alert rules")
		}
	})

	t.Run("dashboard", func(t *testing.T) {
		var dash struct {
			UID, Title string
			Panels     []struct {
				Title   string
				Targets []struct{ Expr string }
			}
		}
		data, err := os.ReadFile("grafana/dashboards/market-relay.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &dash); err != nil {
			t.Fatalf("market-relay.json: %v", err)
		}
		if dash.UID == "" || dash.Title == "" || len(dash.Panels) == 0 {
			t.Fatalf("dashboard without uid, title or panels: %+v", dash)
		}
		used := map[string]bool{}
		for _, p := range dash.Panels {
			if len(p.Targets) == 0 {
				t.Errorf("panel %q has no query", p.Title)
			}
			for _, q := range p.Targets {
				expr := grafanaVars.Replace(q.Expr)
				for _, problem := range checkQuery(expr, emitted) {
					t.Errorf("panel %q (%s): %s", p.Title, q.Expr, problem)
				}
				sels, _, _ := parsePromQL(expr)
				for _, s := range sels {
					used[s.metric] = true
				}
			}
		}
		// Every series the relay emits has a panel.
		for name := range emitted {
			if strings.HasPrefix(name, "market_") && !used[name] {
				t.Errorf("metric %s has no panel on the dashboard", name)
			}
		}
	})
}

// TestPromQLParsing keeps the checker honest: it finds metrics, matchers
// and grouping labels, and flags what a relay does not emit.
func TestPromQLParsing(t *testing.T) {
	emitted := series{"m_total": {"result": {"valid": true, "missing": true}}, "g": {}}
	for _, c := range []struct {
		expr     string
		problems []string
	}{
		{`sum by (result) (rate(m_total{result!~"valid|missing"}[5m])) > 1`, nil},
		{`g > 0 and time() - g > 86400`, nil},
		{`sum(rate(m_total{result!="ok"}[5m])) > 1`, []string{`never emits result="ok"`}},
		{`m_total{outcome="x"}`, []string{`has no label "outcome"`}},
		{`rate(other_total[5m])`, []string{"metric other_total is not one the relay emits"}},
		{`sum by (endpoint) (g)`, []string{`groups by "endpoint"`}},
		{`m_total{result=~"val.*"}`, nil},
	} {
		got := strings.Join(checkQuery(c.expr, emitted), "; ")
		if len(c.problems) == 0 && got != "" {
			t.Errorf("%s: unexpected problems: %s", c.expr, got)
		}
		for _, p := range c.problems {
			if !strings.Contains(got, p) {
				t.Errorf("%s: problems %q lack %q", c.expr, got, p)
			}
		}
	}
}
