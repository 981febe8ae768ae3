package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/relay"
)

func init() {
	subs := map[string]command{}
	for _, op := range relay.Operations() {
		subs[op.Name] = command{summary: op.Summary, run: operatorCommand{op}.run}
	}
	commands["relay"] = command{
		summary: "run a relay that follows hubs and indexes their listings (serve, follow, block, ...)",
		run:     subcommands("relay", "serve a relay, or manage the running one", subs, relayServe),
	}
}

// configFlags adds --config to fs and returns a loader for the result.
func configFlags(fs *flag.FlagSet) func() (config.Config, error) {
	path := fs.String("config", "", "YAML configuration file (MARKET_* environment variables override it)")
	return func() (config.Config, error) { return config.Load(*path, envList()) }
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func relayServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("market relay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	load := configFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: market relay [--config FILE]
       market relay <follow|unfollow|approve|reject|block|unblock|status|reports|reindex> ...

Serves a marketplace relay: an ActivityPub Service actor that hubs
subscribe to (Follow), that follows them back, verifies every activity
they deliver and stores their listings. With no configuration it listens
on 127.0.0.1:8080 and keeps its stores under ./data.

Environment: MARKET_LISTEN, MARKET_PUBLIC_URL, MARKET_DATA_DIR,
MARKET_ALLOW_PRIVATE_NETWORKS, MARKET_LOG_LEVEL, MARKET_LOG_FORMAT,
MARKET_ADMIN_TOKEN, MARKET_DATE_WINDOW, MARKET_INBOX_MAX_BYTES.

Subcommands (run 'market relay help' for the list):
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "market relay: unknown subcommand %q (run 'market relay help')\n", fs.Arg(0))
		return exitUsage
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "market relay: %v\n", err)
		return exitUsage
	}
	log := newLogger(cfg, stderr)
	relay.Version = version
	srv, err := relay.Open(cfg, log)
	if err != nil {
		log.Error("start relay", "error", err)
		return exitInternal
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		log.Error("listen", "addr", cfg.Listen, "error", err)
		return exitInternal
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, ln); err != nil {
		log.Error("serve", "error", err)
		return exitInternal
	}
	log.Info("relay stopped")
	return exitOK
}

// operatorCommand is one `market relay <name>` command an operator runs
// against the relay: through the running relay's admin socket, or, when
// none runs, directly on the data directory. It prints JSON.
type operatorCommand struct{ op relay.Operation }

func (oc operatorCommand) run(args []string, stdout, stderr io.Writer) int {
	op := oc.op
	fs := flag.NewFlagSet("market relay "+op.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	load := configFlags(fs)
	usage := op.Arg
	if op.Reason {
		usage += " [reason ...]"
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: market relay %s [--config FILE] %s\n\n%s\n", op.Name, usage, op.Help)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	n := fs.NArg()
	if (op.Arg == "" && n != 0) || (op.Arg != "" && (n == 0 || n > 1 && !op.Reason)) {
		fs.Usage()
		return exitUsage
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", op.Name, err)
		return exitUsage
	}
	var req relay.OperationRequest
	if n > 0 {
		req.Ref, req.Reason = fs.Arg(0), strings.Join(fs.Args()[1:], " ")
	}
	ctx, cancel := context.WithTimeout(context.Background(), op.Timeout)
	defer cancel()
	var out any
	err = withRelay(ctx, cfg, stderr, func(c *relay.AdminClient) error {
		var body any
		if op.Arg != "" {
			body = req
		}
		var v json.RawMessage
		err := c.Call(ctx, op.Method, op.Path(), body, &v)
		out = v
		return err
	}, func(s *relay.Server) error {
		var err error
		out, err = op.Run(ctx, s, req)
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", op.Name, err)
		return exitInternal
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return exitOK
}

// withRelay runs viaSocket against a running relay, or, when none runs on
// the data directory, opens the relay's files and runs direct.
func withRelay(ctx context.Context, cfg config.Config, stderr io.Writer, viaSocket func(*relay.AdminClient) error, direct func(*relay.Server) error) error {
	c, err := relay.DialAdmin(cfg.DataDir, cfg.Relay.AdminToken)
	if err == nil {
		return viaSocket(c)
	}
	if !errors.Is(err, relay.ErrNoServer) {
		return err
	}
	s, err := relay.Open(cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	return direct(s)
}

// flagExit maps a flag parsing error to an exit code: --help is success.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}
