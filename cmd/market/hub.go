package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/web"
)

func init() { registerHub() }

// registerHub adds `market hub` to the commands.
func registerHub() {
	commands["hub"] = command{
		summary: "run one person's hub that publishes their listings to followers and relays, or manage it",
		run:     runHub,
	}
}

// runHub serves a hub, sets one up (init), or runs one of its operator
// commands: one per hub.Operations entry, `market hub token create` for
// the operation token-create.
func runHub(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return hubServe(args, stdout, stderr)
	}
	name, rest := args[0], args[1:]
	switch {
	case name == "help":
		return hubServe([]string{"--help"}, stdout, stderr)
	case name == "init":
		return hubInit(rest, stdout, stderr)
	case name == "passwd":
		return hubPasswd(rest, stdout, stderr)
	case slices.Contains(hub.Groups, name):
		if len(rest) == 0 || isHelp(rest[0]) {
			w, code := stderr, exitUsage
			if len(rest) > 0 {
				w, code = stdout, exitOK
			} else {
				fmt.Fprintf(stderr, "market hub %s: missing subcommand\n\n", name)
			}
			hubUsage(w)
			return code
		}
		name, rest = name+"-"+rest[0], rest[1:]
	}
	for _, op := range hub.Operations() {
		if op.Name == name {
			return hubOperation(op, rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "market hub: unknown subcommand %q (run 'market hub help')\n", strings.ReplaceAll(name, "-", " "))
	return exitUsage
}

// hubCommand is how an operation is typed: token-create is "token create".
func hubCommand(op hub.Operation) string { return strings.Replace(op.Name, "-", " ", 1) }

// hubUsage is the help of `market hub`.
func hubUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: market hub [flags]                      serve the owner's hub
       market hub init [flags]                 create its key and a first owner API token
       market hub <subcommand> [flags] [args]  manage it

Serves one person's hub: their Person actor (acct:<hub.handle>@<host>),
their listings and the owner API (/api/v1/owner/..., bearer tokens),
publishing each listing to followers and to subscribed relays as its
visibility says. With no configuration it listens on 127.0.0.1:8081 and
keeps its data under ./data-hub, beside a relay's defaults.

Subcommands (through the running hub's admin socket, or on the data
directory when no hub runs):
`)
	for _, op := range hub.Operations() {
		fmt.Fprintf(w, "  %-18s %s\n", hubCommand(op), op.Summary)
	}
}

// hubFlags parses a hub command's flags (--config, --data-dir, and
// --listen for serving) in the binary's one flag style and returns the
// hub's configuration and the other arguments; done reports an exit code
// when parsing ended the command (help, a bad flag, a bad configuration).
func hubFlags(name string, args []string, stdout, stderr io.Writer, usage string) (cfg config.Config, rest []string, code int, done bool) {
	cmd := "market hub"
	if name != "" {
		cmd += " " + name
	}
	// Every hub command takes --listen: the hub's address is part of its
	// actor id, which commands run on the data directory (no hub running)
	// sign and address activities with.
	names := []string{"listen", "data-dir"}
	f := newFlags(cmd, usage, stdout, stderr)
	f.Footer = environment()
	load := f.configFrom(config.LoadHub, config.HubDefault(), names...)
	if code, ok := f.parse(args); !ok {
		return cfg, nil, code, true
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return cfg, nil, exitUsage, true
	}
	return cfg, f.Args(), 0, false
}

func hubServe(args []string, stdout, stderr io.Writer) int {
	var usage strings.Builder
	hubUsage(&usage)
	cfg, rest, code, done := hubFlags("", args, stdout, stderr, usage.String())
	if done {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "market hub: unexpected argument %q (run 'market hub help')\n", rest[0])
		return exitUsage
	}
	return serveMode("hub", cfg, stderr, hub.Open, func(srv *hub.Server, log *slog.Logger) {
		log.Info("hub owner", "handle", srv.Handle(), "actor", srv.ActorID())
	})
}

// hubInit creates the hub's data directory and key, prints the owner's
// address and, when the hub has no owner API token yet, creates a full
// one and prints it (once).
func hubInit(args []string, stdout, stderr io.Writer) int {
	cfg, rest, code, done := hubFlags("init", args, stdout, stderr, "Usage: market hub init [flags]\n\nCreates the hub's data directory and key, prints the owner's address and a first owner API token.\n")
	if done {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "market hub init: takes no arguments, got %q\n", rest[0])
		return exitUsage
	}
	srv, err := hub.Open(cfg, newLogger(cfg, io.Discard))
	if err != nil {
		fmt.Fprintf(stderr, "market hub init: %v\n", err)
		return exitInternal
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "Hub ready in %s\nOwner: %s (%s)\n", cfg.DataDir, srv.Handle(), srv.ActorID())
	toks, err := srv.Tokens()
	if err != nil {
		fmt.Fprintf(stderr, "market hub init: %v\n", err)
		return exitInternal
	}
	if len(toks) > 0 {
		fmt.Fprintln(stdout, "\nThe hub has owner API tokens already; make another with: market hub token create full <name>")
	} else {
		secret, _, err := srv.CreateToken(hub.ScopeFull, "init")
		if err != nil {
			fmt.Fprintf(stderr, "market hub init: %v\n", err)
			return exitInternal
		}
		fmt.Fprintf(stdout, "\nOwner API token (scope full, shown this once; the hub keeps only its hash):\n  %s\n", secret)
		fmt.Fprintf(stdout, "\nStart the hub with: %s\nThen log in to the owner API with the token, for example:\n  curl -H 'Authorization: Bearer %s' %s/api/v1/owner/me\n", strings.TrimSpace("market hub "+strings.Join(args, " ")), secret, cfg.PublicURL)
	}
	return exitOK
}

// hubOperation runs one operator command against the hub: through the
// running hub's admin socket, or, when none runs, on its data directory.
// It prints the answer as JSON.
func hubOperation(op hub.Operation, args []string, stdout, stderr io.Writer) int {
	cmd := hubCommand(op)
	argUsage := op.Arg
	if op.Reason {
		argUsage += " [words ...]"
	}
	usageText := fmt.Sprintf("Usage: market hub %s [flags] %s\n\n%s\n", cmd, argUsage, op.Help)
	usage := func() { fmt.Fprint(stderr, usageText) }
	cfg, rest, code, done := hubFlags(cmd, args, stdout, stderr, usageText)
	if done {
		return code
	}
	var problem string
	switch {
	case op.Arg == "" && len(rest) > 0:
		problem = fmt.Sprintf("takes no arguments, got %q", rest[0])
	case op.Arg != "" && len(rest) == 0:
		problem = "missing " + op.Arg
	case len(rest) > 1 && !op.Reason:
		problem = fmt.Sprintf("unexpected argument %q", rest[1])
	}
	if problem != "" {
		fmt.Fprintf(stderr, "market hub %s: %s\n\n", cmd, problem)
		usage()
		return exitUsage
	}
	var req hub.OperationRequest
	if len(rest) > 0 {
		req.Ref, req.Reason = rest[0], strings.Join(rest[1:], " ")
	}
	if slices.Contains(hub.PathArgs, op.Name) && req.Reason != "" {
		// The running hub reads or writes the file: a path relative to
		// here means nothing to it.
		abs, err := filepath.Abs(req.Reason)
		if err != nil {
			fmt.Fprintf(stderr, "market hub %s: %v\n", cmd, err)
			return exitUsage
		}
		req.Reason = abs
	}
	out, err := callHub(cfg, op, req, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "market hub %s: %v\n", cmd, err)
		return exitInternal
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintln(stdout, string(b))
	return exitOK
}

// callHub runs op through the running hub's admin socket, or, when none
// runs, on its data directory.
func callHub(cfg config.Config, op hub.Operation, req hub.OperationRequest, stderr io.Writer) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), op.Timeout)
	defer cancel()
	var out any
	c, err := node.DialAdmin(cfg.DataDir, cfg.Hub.AdminToken)
	switch {
	case err == nil:
		var body any
		if op.Arg != "" {
			body = req
		}
		var v json.RawMessage
		err = c.Call(ctx, op.Method, op.Path(), body, &v)
		out = v
	case errors.Is(err, node.ErrNoServer):
		var srv *hub.Server
		if srv, err = hub.Open(cfg, newLogger(cfg, stderr)); err == nil {
			out, err = op.Run(ctx, srv, req)
			srv.Close()
		}
	}
	return out, err
}

// stdin is where `market hub passwd` reads the password (a variable for
// tests).
var stdin io.Reader = os.Stdin

// hubPasswd is `market hub passwd`: it reads the owner's new password
// from standard input (its first line), hashes it with argon2id here, and
// hands the hub only the hash, which ends every session of the owner
// pages.
func hubPasswd(args []string, stdout, stderr io.Writer) int {
	usage := fmt.Sprintf("Usage: market hub passwd [flags] < password-file\n\nSets the owner's password for the web pages (/owner): reads it from the first line of standard input (at least %d characters), stores only its argon2id hash, and logs out every session. At a terminal, type it and press Enter (it is shown as you type, so make sure no one watches).\n", web.MinPassword)
	cfg, rest, code, done := hubFlags("passwd", args, stdout, stderr, usage)
	if done {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "market hub passwd: takes no arguments, got %q (the password is read from standard input)\n", rest[0])
		return exitUsage
	}
	fmt.Fprintf(stderr, "New owner password (at least %d characters), then Enter:\n", web.MinPassword)
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(stderr, "market hub passwd: read the password: %v\n", err)
		return exitUsage
	}
	hash, err := web.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		fmt.Fprintf(stderr, "market hub passwd: %v\n", err)
		return exitUsage
	}
	for _, op := range hub.Operations() {
		if op.Name == "passwd" {
			if _, err := callHub(cfg, op, hub.OperationRequest{Ref: hash}, stderr); err != nil {
				fmt.Fprintf(stderr, "market hub passwd: %v\n", err)
				return exitInternal
			}
		}
	}
	fmt.Fprintf(stdout, "Owner password set; every session was logged out. Log in at %s/owner/login\n", cfg.PublicURL)
	return exitOK
}
