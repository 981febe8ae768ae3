// Command market is the Sovereign Marketplace binary: a hub that publishes
// one person's listings, a relay that indexes listings from hubs, and the
// tools beside them (escrow, healthcheck). The privacy engine is its own
// binary, cmd/market-privacy, so that a hub does not carry it. This
// package parses flags, wires packages together and handles signals; it
// holds no business rules.
package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/sovereign-marketplace/market/internal/cli"
)

// command is one top-level subcommand, `market <name> ...`, or one
// subcommand of a group such as `market escrow <name> ...`.
type command struct {
	summary string
	// run gets the arguments after the subcommand's name and returns the
	// process exit code.
	run func(args []string, stdout, stderr io.Writer) int
	// subs are a group's subcommands, which run dispatches to.
	subs map[string]command
}

// commands is filled by each subcommand's file in its init function, so
// that subcommands live in files of their own.
var commands = map[string]command{}

// Exit codes shared by every subcommand (cli's).
const (
	exitOK       = cli.ExitOK
	exitInternal = cli.ExitInternal
	exitUsage    = cli.ExitUsage
)

// isTerminal reports whether w is a terminal, where progress is drawn;
// a variable so that tests can pretend.
var isTerminal = cli.IsTerminal

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "market: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "market: the Sovereign Marketplace: a person's hub that publishes their listings, a relay that indexes them, and tools")
	fmt.Fprintln(w, "\nUsage: market <command> [arguments]\n\nCommands:")
	for _, n := range sortedKeys(commands) {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'market <command> --help' for a command's own help.")
}

// subcommands is a group of commands such as escrow and privacy: it
// dispatches `market <group> <sub> ...`, prints the group's help on help,
// -h or --help, and says what is missing or unknown otherwise. about is
// the line its help starts with; summary the line in the top-level help.
func subcommands(group, summary, about string, subs map[string]command) command {
	return command{summary: summary, subs: subs, run: func(args []string, stdout, stderr io.Writer) int {
		if len(args) == 0 {
			fmt.Fprintf(stderr, "market %s: missing subcommand: %s\n\n", group, orList(sortedKeys(subs)))
			groupUsage(stderr, group, about, subs)
			return exitUsage
		}
		if c, ok := subs[args[0]]; ok {
			return c.run(args[1:], stdout, stderr)
		}
		if isHelp(args[0]) {
			groupUsage(stdout, group, about, subs)
			return exitOK
		}
		fmt.Fprintf(stderr, "market %s: unknown subcommand %q (want %s)\n\n", group, args[0], orList(sortedKeys(subs)))
		groupUsage(stderr, group, about, subs)
		return exitUsage
	}}
}

func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

func groupUsage(w io.Writer, group, about string, subs map[string]command) {
	fmt.Fprintf(w, "market %s: %s\n\nUsage: market %s <subcommand> [arguments]\n\nSubcommands:\n", group, about, group)
	for _, n := range sortedKeys(subs) {
		fmt.Fprintf(w, "  %-10s %s\n", n, subs[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'market %s <subcommand> --help' for details.\n", group)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// orList writes names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// envList returns the process environment; a seam for tests.
var envList = os.Environ
