// Command market is the Sovereign Marketplace binary: a relay that indexes
// listings from hubs, a hub for one person, and the tools beside them
// (privacy apply, escrow). This package parses flags, wires packages
// together and handles signals; it holds no business rules.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one top-level subcommand: `market <name> ...`.
type command struct {
	summary string
	// run gets the arguments after the subcommand's name and returns the
	// process exit code.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file in its init function, so
// that subcommands live in files of their own.
var commands = map[string]command{}

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitInternal = 1 // something went wrong inside
	exitUsage    = 2 // bad flags, bad config or bad input
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
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
	fmt.Fprintln(w, "market: the Sovereign Marketplace (relay, hub and tools)")
	fmt.Fprintln(w, "\nUsage: market <command> [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'market <command> --help' for a command's own help.")
}

// subcommands dispatches `market <group> <sub> ...` for groups such as
// relay and escrow. def runs when no known subcommand is given (it may be
// nil). It prints the group's help on --help.
func subcommands(group, summary string, subs map[string]command, def func(args []string, stdout, stderr io.Writer) int) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		if len(args) > 0 {
			if c, ok := subs[args[0]]; ok {
				return c.run(args[1:], stdout, stderr)
			}
			if args[0] == "help" || (def == nil && (args[0] == "-h" || args[0] == "--help")) {
				groupUsage(stdout, group, summary, subs)
				return exitOK
			}
		}
		if def == nil {
			groupUsage(stderr, group, summary, subs)
			return exitUsage
		}
		return def(args, stdout, stderr)
	}
}

func groupUsage(w io.Writer, group, summary string, subs map[string]command) {
	fmt.Fprintf(w, "market %s: %s\n\nSubcommands:\n", group, summary)
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subs[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'market %s <subcommand> --help' for details.\n", group)
}

// envList returns the process environment; a seam for tests.
var envList = os.Environ
