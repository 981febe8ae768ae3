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
	"syscall"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/relay"
)

func init() {
	subs := map[string]command{}
	for _, oc := range operatorCommands {
		subs[oc.name] = command{summary: oc.summary, run: oc.run}
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
type operatorCommand struct {
	name, help   string
	summary      string // one line for `market relay help`
	arg          string // usage placeholder of the one argument, or "" for none
	method, path string // the admin API call
	timeout      time.Duration
	direct       func(ctx context.Context, s *relay.Server, arg string) (any, error)
}

func (oc operatorCommand) run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("market relay "+oc.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	load := configFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: market relay %s [--config FILE] %s\n\n%s\n", oc.name, oc.arg, oc.help)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	want := 0
	if oc.arg != "" {
		want = 1
	}
	if fs.NArg() != want {
		fs.Usage()
		return exitUsage
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", oc.name, err)
		return exitUsage
	}
	arg := fs.Arg(0)
	ctx, cancel := context.WithTimeout(context.Background(), oc.timeout)
	defer cancel()
	var out any
	err = withRelay(ctx, cfg, stderr, func(c *relay.AdminClient) error {
		var body any
		if oc.arg != "" {
			body = map[string]string{"ref": arg}
		}
		var v json.RawMessage
		err := c.Call(ctx, oc.method, oc.path, body, &v)
		out = v
		return err
	}, func(s *relay.Server) error {
		var err error
		out, err = oc.direct(ctx, s, arg)
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", oc.name, err)
		return exitInternal
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return exitOK
}

// operatorCommands are the relay's operator commands, by name.
var operatorCommands = []operatorCommand{
	{name: "follow", summary: "follow a hub: market relay follow <actor URL | acct:user@host>",
		arg: "<actor URL | acct:user@host>", method: "POST", path: "/admin/follow", timeout: time.Minute,
		help: "Sends a Follow from the relay to the hub's actor; the hub's listings are stored once it accepts.",
		direct: func(ctx context.Context, s *relay.Server, ref string) (any, error) {
			id, err := s.Follow(ctx, ref)
			return map[string]string{"actor": id, "state": relay.StatePending}, err
		}},
	{name: "unfollow", summary: "stop following a hub and drop its listings",
		arg: "<actor URL | acct:user@host>", method: "POST", path: "/admin/unfollow", timeout: time.Minute,
		help: "Ends the relay's follow of the hub (Undo Follow), forgets its subscription and drops its listings.",
		direct: func(ctx context.Context, s *relay.Server, ref string) (any, error) {
			id, err := s.Unfollow(ctx, ref)
			return map[string]string{"actor": id}, err
		}},
	{name: "approve", summary: "accept a hub's pending follow (relay.follow_approval: manual)",
		arg: "<actor URL>", method: "POST", path: "/admin/approve", timeout: time.Minute,
		help: "Accepts a hub's pending follow request (with relay.follow_approval: manual): the hub gets an Accept and the relay follows it back.",
		direct: func(ctx context.Context, s *relay.Server, actor string) (any, error) {
			return map[string]string{"actor": actor, "state": relay.StateAccepted}, s.Approve(ctx, actor)
		}},
	{name: "reject", summary: "refuse a hub's pending follow",
		arg: "<actor URL>", method: "POST", path: "/admin/reject", timeout: time.Minute,
		help: "Refuses a hub's pending follow request: the hub gets a Reject.",
		direct: func(ctx context.Context, s *relay.Server, actor string) (any, error) {
			return map[string]string{"actor": actor, "state": relay.StateRejected}, s.Reject(ctx, actor)
		}},
	{name: "block", summary: "block a domain or an actor URL: refuse its activities and drop its listings",
		arg: "<domain | actor URL>", method: "POST", path: "/admin/block", timeout: time.Minute,
		help: "Refuses every activity from the domain (and its subdomains), or from one actor given by URL, and drops their listings from the store and the search index at once.",
		direct: func(ctx context.Context, s *relay.Server, ref string) (any, error) {
			n, err := s.Block(ref, "operator")
			return map[string]any{"domain": ref, "listings_dropped": n}, err
		}},
	{name: "unblock", summary: "lift a block",
		arg: "<domain | actor URL>", method: "POST", path: "/admin/unblock", timeout: time.Minute,
		help: "Lifts a block; the hubs must publish again to be indexed.",
		direct: func(ctx context.Context, s *relay.Server, ref string) (any, error) {
			was, err := s.Unblock(ref)
			if err == nil && !was {
				err = fmt.Errorf("%s is not blocked", ref)
			}
			return map[string]any{"domain": ref}, err
		}},
	{name: "status", summary: "show follows, blocks, stored listings and the delivery queue",
		method: "GET", path: "/admin/status", timeout: 30 * time.Second,
		help:   "Prints the relay's follows, followers, blocks, stored listings and delivery queue depth as JSON.",
		direct: func(ctx context.Context, s *relay.Server, _ string) (any, error) { return s.Status() }},
	{name: "reports", summary: "list the reports people sent about listings",
		method: "GET", path: "/admin/reports", timeout: 30 * time.Second,
		help: "Prints the reports sent through POST /api/v1/reports (listing, reason, seller, time) as JSON, oldest first.",
		direct: func(ctx context.Context, s *relay.Server, _ string) (any, error) {
			reps, err := s.Reports()
			return map[string]any{"reports": reps}, err
		}},
	{name: "reindex", summary: "rebuild the search index from the stored listings",
		method: "POST", path: "/admin/reindex", timeout: 30 * time.Minute,
		help: "Rebuilds the search index from the listings stored in bbolt (the source of truth). The relay also does this by itself at start when the index is missing or was built by an older mapping.",
		direct: func(ctx context.Context, s *relay.Server, _ string) (any, error) {
			if err := s.Reindex(ctx); err != nil {
				return nil, err
			}
			st, err := s.Stats(ctx)
			if err != nil {
				return nil, err
			}
			return map[string]any{"indexed": st.Listings}, nil
		}},
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
