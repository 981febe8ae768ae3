package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

// TestTopLevelHelp: the help lists the commands that exist, and no other.
func TestTopLevelHelp(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	_, list, _ := strings.Cut(out, "Commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	var listed []string
	for _, line := range strings.Split(list, "\n") {
		listed = append(listed, strings.Fields(line)[0])
	}
	if got, want := strings.Join(listed, " "), "escrow healthcheck hub relay version"; got != want {
		t.Errorf("commands listed: %s, want %s", got, want)
	}
	for _, absent := range []string{"serve"} {
		if strings.Contains(out, absent) {
			t.Errorf("help mentions %q, which is no command:\n%s", absent, out)
		}
	}
}

// TestRelayHelpFromOperations: `market relay --help` and `market relay
// help` print the one help made from relay.Operations: every operator
// command, the --config flag under Flags (not under Subcommands), and
// every environment variable.
func TestRelayHelpFromOperations(t *testing.T) {
	_, help, _ := runCLI(t, nil, "relay", "--help")
	for _, args := range [][]string{{"relay", "help"}, {"relay", "-h"}, {"relay", "--config", "x.yaml", "--help"}} {
		if code, out, _ := runCLI(t, nil, args...); code != exitOK || out != help {
			t.Errorf("%v: exit %d, help differs from relay --help:\n%s", args, code, out)
		}
	}
	_, subs, ok1 := strings.Cut(help, "\nSubcommands")
	subs, flags, ok2 := strings.Cut(subs, "\nFlags:\n")
	if !ok1 || !ok2 {
		t.Fatalf("no Subcommands then Flags section:\n%s", help)
	}
	for _, op := range relay.Operations() {
		if !strings.Contains(subs, fmt.Sprintf("\n  %-9s %s\n", op.Name, op.Summary)) {
			t.Errorf("subcommand %s missing from the help:\n%s", op.Name, help)
		}
	}
	for _, name := range []string{"takedown", "restore", "dismiss"} {
		if !strings.Contains(subs, "  "+name+" ") {
			t.Errorf("%s missing", name)
		}
	}
	if strings.Contains(subs, "-config") || !strings.Contains(flags, "-config") {
		t.Errorf("--config must be listed under Flags only:\n%s", help)
	}
	for _, e := range config.EnvVars() {
		if !strings.Contains(flags, e[0]) {
			t.Errorf("environment variable %s missing from the help", e[0])
		}
	}
}

// TestUsageErrorsSayWhat: an unknown or missing subcommand or argument is
// named before the usage is printed.
func TestUsageErrorsSayWhat(t *testing.T) {
	for _, c := range []struct {
		args        []string
		want, usage string
	}{
		{[]string{"escrow"}, "market escrow: missing subcommand: deploy or show\n", "Subcommands:"},
		{[]string{"escrow", "frob"}, `market escrow: unknown subcommand "frob" (want deploy or show)`, "Subcommands:"},
		{[]string{"escrow", "show"}, "market escrow show: missing DEAL (a deal id, a positive integer)", "Usage: market escrow show"},
		{[]string{"relay", "serve"}, `market relay: unknown subcommand "serve" (run 'market relay help')`, ""},
		{[]string{"relay", "takedown"}, "market relay takedown: missing <listing id>\n", "Usage: market relay takedown"},
		{[]string{"relay", "follow"}, "market relay follow: missing <actor URL | acct:user@host>\n", "Usage: market relay follow"},
		{[]string{"relay", "unblock", "a.example", "b"}, `market relay unblock: unexpected argument "b" (takes only <domain | actor URL>)`, "Usage: market relay unblock"},
		{[]string{"relay", "status", "x"}, `market relay status: takes no arguments, got "x"`, "Usage: market relay status"},
	} {
		code, _, errOut := runCLI(t, nil, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, c.usage) {
			t.Errorf("%v: exit %d, stderr %q, want 2, %q and %q", c.args, code, errOut, c.want, c.usage)
		}
	}
	for _, group := range []string{"escrow"} {
		if code, out, _ := runCLI(t, nil, group, "--help"); code != exitOK || !strings.Contains(out, "Subcommands:") {
			t.Errorf("%s --help: exit %d, %q", group, code, out)
		}
	}
}

// TestEscrowShowUsesDataDir: without --db, escrow show reads escrow.db in
// the configured data directory (MARKET_DATA_DIR, or --data-dir over it),
// not ./data.
func TestEscrowShowUsesDataDir(t *testing.T) {
	dir := t.TempDir()
	l, err := escrow.OpenLedger(filepath.Join(dir, "escrow.db"), escrow.LedgerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Create(context.Background(), escrow.CreateRequest{By: "alice", Buyer: "alice", Seller: "bob", Amount: big.NewInt(700), Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	code, out, errOut := runCLI(t, []string{"MARKET_DATA_DIR=" + dir}, "escrow", "show", "1")
	if code != exitOK || !strings.Contains(out, "amount    700 EUR") {
		t.Fatalf("escrow show with MARKET_DATA_DIR: exit %d, %q, %q", code, out, errOut)
	}
	empty := t.TempDir()
	code, _, errOut = runCLI(t, []string{"MARKET_DATA_DIR=" + empty}, "escrow", "show", "1")
	if code != exitUsage || !strings.Contains(errOut, filepath.Join(empty, "escrow.db")) {
		t.Fatalf("escrow show on an empty data dir: exit %d, %q", code, errOut)
	}
	code, out, errOut = runCLI(t, []string{"MARKET_DATA_DIR=" + empty}, "escrow", "show", "1", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "amount    700 EUR") {
		t.Fatalf("escrow show --data-dir over MARKET_DATA_DIR: exit %d, %q, %q", code, out, errOut)
	}
}

func TestFormatProgress(t *testing.T) {
	for _, c := range []struct {
		p       relay.Progress
		elapsed time.Duration
		want    string
	}{
		{relay.Progress{Done: 0, Total: 3000}, 0, "reindex: 0 of 3000 listings (0%)"},
		{relay.Progress{Done: 1200, Total: 3000}, 1500 * time.Millisecond, "reindex: 1200 of 3000 listings (40%), 800/s, 2s left"},
		{relay.Progress{Done: 3000, Total: 3000}, 3750 * time.Millisecond, "reindex: 3000 of 3000 listings (100%), 800/s, done in 3.8s"},
		{relay.Progress{Done: 5}, time.Second, "reindex: 5 listings, 5/s"},
	} {
		if got := formatProgress("reindex", c.p, c.elapsed); got != c.want {
			t.Errorf("formatProgress(%+v, %s) = %q, want %q", c.p, c.elapsed, got, c.want)
		}
	}
}

// TestReindexProgress: on a terminal, `market relay reindex` shows how far
// it is, run on the data directory or through a running relay's admin
// socket; elsewhere it prints the result alone.
func TestReindexProgress(t *testing.T) {
	const n = 50
	dir := t.TempDir()
	env := []string{"MARKET_DATA_DIR=" + dir}
	cfg, err := config.Load("", env)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := relay.Open(cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	h, err := testhub.Start(testhub.Options{Name: "alice", Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	err = s.Store().Update(func(tx *relay.Txn) error {
		for i := range n {
			if err := tx.PutListing(&relay.Record{Listing: *h.Listing(fmt.Sprintf("Routes %d", i)), Received: time.Now().UTC()}); err != nil {
				return err
			}
		}
		return nil
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	done := fmt.Sprintf("reindex: %d of %d listings (100%%)", n, n)

	code, out, errOut := runCLI(t, env, "relay", "reindex")
	if code != exitOK || !strings.Contains(out, fmt.Sprintf(`"indexed": %d`, n)) || strings.Contains(errOut, "reindex: ") {
		t.Fatalf("reindex, not on a terminal: exit %d, stdout %q, stderr %q (want no progress)", code, out, errOut)
	}
	old := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	defer func() { isTerminal = old }()
	code, _, errOut = runCLI(t, env, "relay", "reindex")
	if code != exitOK || !strings.Contains(errOut, fmt.Sprintf("reindex: 0 of %d listings (0%%)", n)) || !strings.Contains(errOut, done) || !strings.HasSuffix(errOut, "\n") {
		t.Fatalf("reindex on a terminal, no relay running: exit %d, stderr %q", code, errOut)
	}

	// Through the admin socket of a running relay (which holds the bbolt
	// file: opening it directly would fail).
	s, err = relay.Open(cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-served; s.Close() }()
	waitFor(t, "the admin socket", func() bool { _, err := node.DialAdmin(dir, ""); return err == nil })
	code, out, errOut = runCLI(t, env, "relay", "reindex")
	if code != exitOK || !strings.Contains(errOut, done) || !strings.Contains(out, fmt.Sprintf(`"indexed": %d`, n)) {
		t.Fatalf("reindex on a terminal through the admin socket: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestHealthcheck: exit 0 when /healthz answers 200, 1 when it answers
// otherwise or nothing listens; by default it asks the configured listen
// address, on loopback when that binds every interface.
func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	env := []string{"MARKET_LISTEN=0.0.0.0:" + port, "MARKET_PUBLIC_URL=https://relay.example"}
	if code, out, errOut := runCLI(t, env, "healthcheck"); code != exitOK || !strings.Contains(out, "healthy: http://127.0.0.1:"+port+"/healthz answered 200") {
		t.Fatalf("healthy relay: exit %d, %q %q", code, out, errOut)
	}
	status = http.StatusServiceUnavailable
	if code, _, errOut := runCLI(t, env, "healthcheck"); code != 1 || !strings.Contains(errOut, "unhealthy") || !strings.Contains(errOut, "503") {
		t.Fatalf("relay answering 503: exit %d, %q", code, errOut)
	}
	srv.Close()
	if code, _, errOut := runCLI(t, nil, "healthcheck", "--url", "http://"+ln.Addr().String()+"/healthz", "--timeout", "2s"); code != 1 || !strings.Contains(errOut, "unhealthy") {
		t.Fatalf("nothing listening: exit %d, %q", code, errOut)
	}
	for listen, want := range map[string]string{"0.0.0.0:8080": "127.0.0.1:8080", ":8080": "127.0.0.1:8080", "[::]:8080": "[::1]:8080", "192.0.2.1:80": "192.0.2.1:80"} {
		if got := localAddr(listen); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", listen, got, want)
		}
	}
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRelayRefusesUnspecifiedListen: bound to every interface without a
// public URL, `market relay` refuses to start and says what to set.
func TestRelayRefusesUnspecifiedListen(t *testing.T) {
	env := []string{"MARKET_DATA_DIR=" + t.TempDir(), "MARKET_LISTEN=0.0.0.0:8080"}
	code, _, errOut := runCLI(t, env, "relay")
	if code != exitUsage || !strings.Contains(errOut, "public_url: must be set (MARKET_PUBLIC_URL) when listen (0.0.0.0:8080) binds every interface") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}
