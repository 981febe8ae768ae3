package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/node"
)

// server is what a mode's Open returns: a node-based server that serves
// until its context ends and then closes its files.
type server interface {
	Serve(ctx context.Context, ln net.Listener) error
	Close() error
}

// serveMode opens a mode with open, listens on cfg.Listen and serves until
// SIGINT or SIGTERM, then shuts down gracefully; started, when set, runs
// once it is listening (to log what the mode wants said). It returns the
// command's exit code.
func serveMode[S server](mode string, cfg config.Config, stderr io.Writer, open func(config.Config, *slog.Logger) (S, error), started func(S, *slog.Logger)) int {
	log := newLogger(cfg, stderr)
	node.Version = version
	// Signals are caught from here until the files are closed: one starts
	// the graceful stop, and a second one, while the search index and
	// bbolt are being written, must not cut their close short (at a
	// million listings a relay's index takes about a second to close).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := open(cfg, log)
	if err != nil {
		log.Error("start "+mode, "error", err)
		return exitInternal
	}
	closed := false
	closeFiles := func() int {
		if closed {
			return exitOK
		}
		closed = true
		if err := srv.Close(); err != nil {
			log.Error("close "+mode, "error", err)
			return exitInternal
		}
		return exitOK
	}
	defer closeFiles()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		log.Error("listen", "addr", cfg.Listen, "error", err)
		return exitInternal
	}
	if started != nil {
		started(srv, log)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		log.Error("serve", "error", err)
		return exitInternal
	}
	if code := closeFiles(); code != exitOK {
		return code
	}
	log.Info(mode + " stopped")
	return exitOK
}
