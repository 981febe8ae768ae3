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
	subs := map[string]command{
		"follow":   {summary: "follow a hub: market relay follow <actor URL | acct:user@host>", run: relayAdmin("follow", "/admin/follow")},
		"unfollow": {summary: "stop following a hub and drop its listings", run: relayAdmin("unfollow", "/admin/unfollow")},
		"approve":  {summary: "accept a hub's pending follow (relay.follow_approval: manual)", run: relayAdmin("approve", "/admin/approve")},
		"reject":   {summary: "refuse a hub's pending follow", run: relayAdmin("reject", "/admin/reject")},
		"block":    {summary: "block a domain or an actor URL: refuse its activities and drop its listings", run: relayAdmin("block", "/admin/block")},
		"unblock":  {summary: "lift a block", run: relayAdmin("unblock", "/admin/unblock")},
		"status":   {summary: "show follows, blocks, stored listings and the delivery queue", run: relayStatus},
		"reports":  {summary: "list the reports people sent about listings", run: relayReports},
		"reindex":  {summary: "rebuild the search index from the stored listings", run: relayReindex},
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

// relayAdmin runs an operator command through the running relay's admin
// socket, or, when no relay runs, directly on the data directory.
func relayAdmin(name, path string) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		fs := flag.NewFlagSet("market relay "+name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		load := configFlags(fs)
		what := "<actor URL | acct:user@host>"
		if name == "block" || name == "unblock" {
			what = "<domain | actor URL>"
		}
		fs.Usage = func() {
			fmt.Fprintf(stderr, "Usage: market relay %s [--config FILE] %s\n\n%s\n", name, what, commands["relay"].summary)
			fmt.Fprintln(stderr, relayAdminHelp[name])
			fs.PrintDefaults()
		}
		if err := fs.Parse(args); err != nil {
			return flagExit(err)
		}
		if fs.NArg() != 1 {
			fs.Usage()
			return exitUsage
		}
		cfg, err := load()
		if err != nil {
			fmt.Fprintf(stderr, "market relay %s: %v\n", name, err)
			return exitUsage
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var out map[string]any
		err = withRelay(ctx, cfg, stderr, func(c *relay.AdminClient) error {
			return c.Call(ctx, "POST", path, map[string]string{"ref": fs.Arg(0)}, &out)
		}, func(s *relay.Server) error {
			out = map[string]any{}
			switch name {
			case "follow":
				id, err := s.Follow(ctx, fs.Arg(0))
				out["actor"], out["state"] = id, relay.StatePending
				return err
			case "unfollow":
				id, err := s.Unfollow(ctx, fs.Arg(0))
				out["actor"] = id
				return err
			case "approve":
				out["actor"], out["state"] = fs.Arg(0), relay.StateAccepted
				return s.Approve(ctx, fs.Arg(0))
			case "reject":
				out["actor"], out["state"] = fs.Arg(0), relay.StateRejected
				return s.Reject(ctx, fs.Arg(0))
			case "block":
				n, err := s.Block(fs.Arg(0), "operator")
				out["domain"], out["listings_dropped"] = fs.Arg(0), n
				return err
			default:
				was, err := s.Unblock(fs.Arg(0))
				if err == nil && !was {
					err = fmt.Errorf("%s is not blocked", fs.Arg(0))
				}
				out["domain"] = fs.Arg(0)
				return err
			}
		})
		if err != nil {
			fmt.Fprintf(stderr, "market relay %s: %v\n", name, err)
			return exitInternal
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(b))
		return exitOK
	}
}

var relayAdminHelp = map[string]string{
	"follow":   "Sends a Follow from the relay to the hub's actor; the hub's listings are stored once it accepts.",
	"approve":  "Accepts a hub's pending follow request (with relay.follow_approval: manual): the hub gets an Accept and the relay follows it back.",
	"reject":   "Refuses a hub's pending follow request: the hub gets a Reject.",
	"unfollow": "Ends the relay's follow of the hub (Undo Follow), forgets its subscription and drops its listings.",
	"block":    "Refuses every activity from the domain (and its subdomains), or from one actor given by URL, and drops their listings from the store and the search index at once.",
	"unblock":  "Lifts a block; the hubs must publish again to be indexed.",
}

func relayStatus(args []string, stdout, stderr io.Writer) int {
	return relayQuery("status", "Prints the relay's follows, followers, blocks, stored listings and delivery queue depth as JSON.",
		args, stdout, stderr, "GET", "/admin/status", func(ctx context.Context, s *relay.Server) (any, error) { return s.Status() })
}

func relayReports(args []string, stdout, stderr io.Writer) int {
	return relayQuery("reports", "Prints the reports sent through POST /api/v1/reports (listing, reason, seller, time) as JSON, oldest first.",
		args, stdout, stderr, "GET", "/admin/reports", func(ctx context.Context, s *relay.Server) (any, error) {
			reps, err := s.Reports()
			return map[string]any{"reports": reps}, err
		})
}

func relayReindex(args []string, stdout, stderr io.Writer) int {
	return relayQuery("reindex", "Rebuilds the search index from the listings stored in bbolt (the source of truth). The relay also does this by itself at start when the index is missing or was built by an older mapping.",
		args, stdout, stderr, "POST", "/admin/reindex", func(ctx context.Context, s *relay.Server) (any, error) {
			if err := s.Reindex(ctx); err != nil {
				return nil, err
			}
			st, err := s.Stats(ctx)
			if err != nil {
				return nil, err
			}
			return map[string]any{"indexed": st.Listings}, nil
		})
}

// relayQuery runs an operator command that takes no argument and prints
// JSON, through the admin socket or directly on the data directory.
func relayQuery(name, help string, args []string, stdout, stderr io.Writer, method, path string, direct func(context.Context, *relay.Server) (any, error)) int {
	fs := flag.NewFlagSet("market relay "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	load := configFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: market relay %s [--config FILE]\n\n%s\n", name, help)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", name, err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var out any
	err = withRelay(ctx, cfg, stderr, func(c *relay.AdminClient) error {
		var v json.RawMessage
		err := c.Call(ctx, method, path, nil, &v)
		out = v
		return err
	}, func(s *relay.Server) error {
		var err error
		out, err = direct(ctx, s)
		return err
	})
	if err != nil {
		fmt.Fprintf(stderr, "market relay %s: %v\n", name, err)
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
