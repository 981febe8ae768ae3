package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

func init() {
	commands["relay"] = command{
		summary: "run a relay that follows hubs and indexes their listings, or manage the running one",
		run:     runRelay,
	}
}

// runRelay serves a relay, or runs one of its operator commands: one per
// relay.Operations entry, the one table that help is made from.
func runRelay(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if op, ok := operation(args[0]); ok {
			return operatorCommand{op}.run(args[1:], stdout, stderr)
		}
		if args[0] == "help" {
			fl, _ := relayFlags(stdout, stderr)
			fl.PrintUsage(stdout)
			return exitOK
		}
	}
	return relayServe(args, stdout, stderr)
}

// operation finds the operator command called name.
func operation(name string) (relay.Operation, bool) {
	for _, op := range relay.Operations() {
		if op.Name == name {
			return op, true
		}
	}
	return relay.Operation{}, false
}

// relayFlags are the flags of `market relay` and its help: serving, the
// operator commands from relay.Operations, the flags and the environment.
func relayFlags(stdout, stderr io.Writer) (*flags, func() (config.Config, error)) {
	var b strings.Builder
	b.WriteString(`Usage: market relay [--config FILE] [--listen HOST:PORT] [--data-dir DIR]      serve a relay
       market relay <subcommand> [--config FILE] [--data-dir DIR] [arguments]  manage it

Serves a marketplace relay: an ActivityPub Service actor that hubs
subscribe to (Follow), that follows them back, verifies every activity
they deliver and stores and indexes their listings. With no configuration
it listens on 127.0.0.1:8080 and keeps its stores under ./data.

Subcommands (through the running relay's admin socket, or on the data
directory when no relay runs):
`)
	for _, op := range relay.Operations() {
		fmt.Fprintf(&b, "  %-9s %s\n", op.Name, op.Summary)
	}
	fl := newFlags("market relay", b.String(), stdout, stderr)
	fl.Footer = environment() + "\nRun 'market relay <subcommand> --help' for a subcommand's own help."
	return fl, fl.config("listen", "data-dir")
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
	fl, load := relayFlags(stdout, stderr)
	if code, ok := fl.parse(args); !ok {
		return code
	}
	if fl.NArg() > 0 {
		if _, ok := operation(fl.Arg(0)); ok {
			return fl.fail("the subcommand comes first: market relay %s [flags]", fl.Arg(0))
		}
		return fl.fail("unknown subcommand %q (run 'market relay help')", fl.Arg(0))
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "market relay: %v\n", err)
		return exitUsage
	}
	return serveMode("relay", cfg, stderr, relay.Open, nil)
}

// operatorCommand is one `market relay <name>` command an operator runs
// against the relay: through the running relay's admin socket, or, when
// none runs, directly on the data directory. It prints JSON.
type operatorCommand struct{ op relay.Operation }

func (oc operatorCommand) run(args []string, stdout, stderr io.Writer) int {
	op := oc.op
	usage := op.Arg
	if op.Reason {
		usage += " [reason ...]"
	}
	fs := newFlags("market relay "+op.Name, fmt.Sprintf("%s\n\n%s", strings.TrimSpace("Usage: market relay "+op.Name+" [--config FILE] [--data-dir DIR] "+usage), op.Help), stdout, stderr)
	load := fs.config("data-dir")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if msg := argProblem(op, fs.Args()); msg != "" {
		return fs.fail("%s", msg)
	}
	n := fs.NArg()
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
	var progress func(relay.Progress)
	if isTerminal(stderr) {
		bar := &progressLine{w: stderr, what: op.Name, start: time.Now()}
		progress = bar.report
		defer bar.end()
	}
	req.Progress = progress
	var out any
	err = withRelay(ctx, cfg, stderr, func(c *node.AdminClient) error {
		var body any
		if op.Arg != "" {
			body = req
		}
		var v json.RawMessage
		err := c.CallWithProgress(ctx, op.Method, op.Path(), body, &v, progress)
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

// progressLine draws a long operation's progress on one terminal line:
// how many listings are done of how many, the rate and the time left.
type progressLine struct {
	w     io.Writer
	what  string
	start time.Time
	last  relay.Progress
	drawn bool
}

func (p *progressLine) report(pr relay.Progress) {
	p.last, p.drawn = pr, true
	fmt.Fprintf(p.w, "\r\033[K%s", formatProgress(p.what, pr, time.Since(p.start)))
}

// end leaves the last report on its line, if there was one.
func (p *progressLine) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// formatProgress says "reindex: 1200 of 3000 listings (40%), 800/s, 2s
// left" (the rate and time left once something is done).
func formatProgress(what string, p relay.Progress, elapsed time.Duration) string {
	line := fmt.Sprintf("%s: %d", what, p.Done)
	if p.Total > 0 {
		line += fmt.Sprintf(" of %d listings (%d%%)", p.Total, p.Done*100/p.Total)
	} else {
		line += " listings"
	}
	if p.Done == 0 || elapsed <= 0 {
		return line
	}
	rate := float64(p.Done) / elapsed.Seconds()
	line += fmt.Sprintf(", %.0f/s", rate)
	if p.Total == 0 {
		return line
	}
	if p.Done >= p.Total {
		return line + fmt.Sprintf(", done in %s", elapsed.Round(100*time.Millisecond))
	}
	left := time.Duration(float64(p.Total-p.Done) / rate * float64(time.Second))
	return line + fmt.Sprintf(", %s left", left.Round(time.Second))
}

// argProblem says what is wrong with an operator command's arguments, or
// returns "".
func argProblem(op relay.Operation, args []string) string {
	switch {
	case op.Arg == "" && len(args) > 0:
		return fmt.Sprintf("takes no arguments, got %q", args[0])
	case op.Arg != "" && len(args) == 0:
		return "missing " + op.Arg
	case len(args) > 1 && !op.Reason:
		return fmt.Sprintf("unexpected argument %q (takes only %s)", args[1], op.Arg)
	}
	return ""
}

// withRelay runs viaSocket against a running relay, or, when none runs on
// the data directory, opens the relay's files and runs direct.
func withRelay(ctx context.Context, cfg config.Config, stderr io.Writer, viaSocket func(*node.AdminClient) error, direct func(*relay.Server) error) error {
	c, err := node.DialAdmin(cfg.DataDir, cfg.Relay.AdminToken)
	if err == nil {
		return viaSocket(c)
	}
	if !errors.Is(err, node.ErrNoServer) {
		return err
	}
	s, err := relay.Open(cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer s.Close()
	return direct(s)
}
