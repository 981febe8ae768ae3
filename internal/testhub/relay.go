package testhub

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/relay"
)

// RelayConfig is a relay's configuration for a test: a free loopback port
// (also its public URL), dataDir, private networks allowed (test hubs run
// on loopback) and delivery retries fast enough for a test.
func RelayConfig(t testing.TB, dataDir string) config.Config {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	// The port stays held until the server starts on it: closed here, an
	// outgoing connection of a test running beside could take it as its
	// own source port.
	reserved.Store(addr, ln)
	t.Cleanup(func() { release(addr) })
	cfg := config.Default()
	cfg.Listen = addr
	cfg.PublicURL = "http://" + addr
	cfg.DataDir = dataDir
	cfg.AllowPrivateNetworks = true
	cfg.Federation.Delivery.InitialBackoff = config.Duration(100 * time.Millisecond)
	cfg.Federation.Delivery.MaxBackoff = config.Duration(time.Second)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Relay is a real relay serving on loopback for a test: the relay package's
// Server, on its own data directory, listening on Config.Listen.
type Relay struct {
	*relay.Server
	Config config.Config
	stop   func()
}

// StartRelay opens and serves a relay with cfg (see RelayConfig); it stops
// when the test ends, or earlier with Stop. log nil discards its logs.
func StartRelay(t testing.TB, cfg config.Config, log *slog.Logger) *Relay {
	t.Helper()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv, err := relay.Open(cfg, log)
	if err != nil {
		t.Fatalf("open relay: %v", err)
	}
	return &Relay{Server: srv, Config: cfg, stop: serve(t, cfg.Listen, srv)}
}

// server is what serve runs: a relay or a hub.
type server interface {
	Serve(ctx context.Context, ln net.Listener) error
	Close() error
}

// serve listens on addr and serves srv until the test ends or the
// returned stop is called, which shuts it down and closes its files.
func serve(t testing.TB, addr string, srv server) (stop func()) {
	t.Helper()
	ln, err := listen(addr)
	if err != nil {
		srv.Close()
		t.Fatalf("listen %s: %v", addr, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		// Held again at once for a restart on the same configuration.
		if ln, err := net.Listen("tcp", addr); err == nil {
			reserved.Store(addr, ln)
		}
	}
	t.Cleanup(stop)
	return stop
}

// reserved holds, by address, the listeners of test servers' ports
// between the configuration's making (or a stop) and the server's start.
var reserved sync.Map

// listen returns the listener held for addr, or listens on it, waiting a
// moment for the port to free.
func listen(addr string) (net.Listener, error) {
	if ln, ok := reserved.LoadAndDelete(addr); ok {
		return ln.(net.Listener), nil
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, err
}

// release closes the listener still held for addr, if any.
func release(addr string) {
	if ln, ok := reserved.LoadAndDelete(addr); ok {
		ln.(net.Listener).Close()
	}
}

// Stop shuts the relay down and closes its files; the test may start it
// again on the same configuration.
func (r *Relay) Stop() { r.stop() }

// Inbox is the relay's shared inbox URL.
func (r *Relay) Inbox() string { return r.Config.PublicURL + "/inbox" }

// Follows returns the relay's follow relationships in one direction
// (following, else followers) as actor → state.
func (r *Relay) Follows(following bool) map[string]string {
	out := map[string]string{}
	_ = r.Store().View(func(tx *relay.Txn) error {
		fs, err := tx.Follows().List(following)
		for _, f := range fs {
			out[f.Actor] = f.State
		}
		return err
	})
	return out
}

// Subscribe runs the Follow handshake from the hub's side and waits until
// both directions are accepted.
func (r *Relay) Subscribe(t testing.TB, h *Hub) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, body, err := h.Send(ctx, r.Inbox(), h.Activity("Follow", r.ActorID()))
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("Follow of the relay: %d %s %v", status, body, err)
	}
	Eventually(t, h.ActorID+" to be followed back and accepted", func() bool {
		return r.Follows(true)[h.ActorID] == federation.FollowAccepted && r.Follows(false)[h.ActorID] == federation.FollowAccepted
	})
}

// StartHub runs a test hub that stops when the test ends.
func StartHub(t testing.TB, opts Options) *Hub {
	t.Helper()
	h, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// Eventually polls cond until it holds, or fails the test after 10 s.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
