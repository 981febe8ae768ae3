package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
)

// TestHubHelp: market hub, each of its subcommands and each group answer
// --help with a usage.
func TestHubHelp(t *testing.T) {
	all := [][]string{{"hub", "--help"}, {"hub", "help"}, {"hub", "init", "--help"}, {"hub", "token", "--help"}}
	for _, op := range hub.Operations() {
		all = append(all, append([]string{"hub"}, append(strings.SplitN(op.Name, "-", 2), "--help")...))
	}
	for _, args := range all {
		code, out, errOut := runCLI(t, nil, args...)
		if code != exitOK || !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%v: exit %d, %q", args, code, out+errOut)
		}
	}
	_, out, _ := runCLI(t, nil, "hub", "help")
	for _, op := range hub.Operations() {
		if !strings.Contains(out, "  "+hubCommand(op)+" ") {
			t.Errorf("hub help lacks %q", hubCommand(op))
		}
	}
	for args, want := range map[string]string{
		"hub token":              "market hub token: missing subcommand",
		"hub token frob":         `unknown subcommand "token frob"`,
		"hub relays add":         "market hub relays add: missing <relay URL | acct:relay@host>",
		"hub announce":           "market hub announce: missing <listing URL>",
		"hub token list extra":   `market hub token list: takes no arguments, got "extra"`,
		"hub serve":              `unknown subcommand "serve"`,
		"hub --nope":             "flag provided but not defined: --nope",
		"hub --listen 127.0.0.1": "listen: must be host:port",
	} {
		if code, _, errOut := runCLI(t, nil, strings.Fields(args)...); code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, %q, want 2 and %q", args, code, errOut, want)
		}
	}
}

// TestHubInitAndTokens: init creates the key and prints the owner's
// address and one full token (once); the token commands work on the data
// directory without a running hub and never print a stored secret.
func TestHubInitAndTokens(t *testing.T) {
	env := []string{"MARKET_DATA_DIR=" + t.TempDir(), "MARKET_HUB_HANDLE=alice"}
	code, out, errOut := runCLI(t, env, "hub", "init")
	secret := regexp.MustCompile(`mkt_[0-9a-f]{64}`).FindString(out)
	if code != exitOK || !strings.Contains(out, "acct:alice@127.0.0.1:8081") || secret == "" {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ = runCLI(t, env, "hub", "init"); code != exitOK || strings.Contains(out, "mkt_") {
		t.Fatalf("a second init: exit %d\n%s", code, out)
	}
	code, out, errOut = runCLI(t, env, "hub", "token", "create", "read-only", "my", "phone")
	var created struct{ Token, ID, Scope, Name string }
	if json.Unmarshal([]byte(out), &created); code != exitOK || created.Scope != "read-only" || created.Name != "my phone" || !strings.HasPrefix(created.Token, "mkt_") {
		t.Fatalf("token create: exit %d %s %s", code, out, errOut)
	}
	if code, _, errOut = runCLI(t, env, "hub", "token", "create", "admin"); code == exitOK || !strings.Contains(errOut, "scope must be read-only or full") {
		t.Fatalf("token create admin: exit %d %s", code, errOut)
	}
	if code, out, errOut = runCLI(t, env, "hub", "token", "revoke", created.ID); code != exitOK || !strings.Contains(out, `"revoked"`) {
		t.Fatalf("token revoke: exit %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "hub", "token", "list")
	if code != exitOK || strings.Contains(out, "mkt_") || strings.Count(out, `"id"`) != 2 {
		t.Fatalf("token list: exit %d\n%s", code, out)
	}
	if strings.Contains(out, secret) {
		t.Fatal("token list prints a secret")
	}
}

// TestHubCommandsTakeTheAddress: a hub on another port is set up and
// managed with --listen and --data-dir: init names the owner at that
// address and says how to start that hub, and a command run on its data
// directory while it is down acts as that hub, not as the default one.
func TestHubCommandsTakeTheAddress(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, nil, "hub", "init", "--listen", "127.0.0.1:8092", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "acct:owner@127.0.0.1:8092") || !strings.Contains(out, "Start the hub with: market hub --listen 127.0.0.1:8092 --data-dir "+dir) {
		t.Fatalf("init on 8092: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, nil, "hub", "status", "--listen", "127.0.0.1:8092", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "http://127.0.0.1:8092/") || strings.Contains(out, ":8081") {
		t.Fatalf("status on the data directory: exit %d\n%s%s", code, out, errOut)
	}
}

// TestHubAnnounce: market hub announce, on a data directory with no hub
// running, fetches the listing from its origin and queues the Announce
// (to nobody yet); a listing its origin deleted, or something not a URL,
// is an error naming it, with a failing exit.
func TestHubAnnounce(t *testing.T) {
	env := []string{"MARKET_DATA_DIR=" + t.TempDir(), "MARKET_HUB_HANDLE=bob", "MARKET_ALLOW_PRIVATE_NETWORKS=true"}
	if code, out, errOut := runCLI(t, env, "hub", "init"); code != exitOK {
		t.Fatalf("init: exit %d %s %s", code, out, errOut)
	}
	alice, err := testhub.Start(testhub.Options{Name: "alice", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	l := alice.Listing("Sea kayak for two")
	obj, _ := listing.Encode(l)
	alice.Serve(l.FederatedAPID, obj)
	code, out, errOut := runCLI(t, env, "hub", "announce", l.FederatedAPID)
	var res hub.AnnounceResult
	if json.Unmarshal([]byte(out), &res); code != exitOK || res.Object != l.FederatedAPID || res.Owner != alice.ActorID || res.DeliveredTo != 0 {
		t.Fatalf("announce: exit %d %s %s", code, out, errOut)
	}
	alice.SetStatus(l.FederatedAPID, http.StatusGone)
	for arg, want := range map[string]string{l.FederatedAPID: "410", "kayak": "object: must be a listing's http(s) URL"} {
		if code, _, errOut := runCLI(t, env, "hub", "announce", arg); code == exitOK || !strings.Contains(errOut, want) {
			t.Errorf("announce %s: exit %d %q, want a failure naming %q", arg, code, errOut, want)
		}
	}
}
