package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sovereign-marketplace/market/config"
)

// flags is one command's flag set with the rules every command of the
// binary follows: --help (or -h) prints the usage to stdout and exits 0;
// a bad flag or argument is named on stderr ("market relay: flag provided
// but not defined: -nope"), then the usage follows, and the exit is 2.
type flags struct {
	*flag.FlagSet
	name           string // "market relay status", the prefix of errors
	usage          string // what comes before the flag list
	footer         string // what comes after it (the environment, say)
	stdout, stderr io.Writer
}

// newFlags starts the flag set of the command name; usage is the text
// printed above its flags, starting with "Usage: name ...".
func newFlags(name, usage string, stdout, stderr io.Writer) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself, once
	fs.Usage = func() {}
	return &flags{FlagSet: fs, name: name, usage: usage, stdout: stdout, stderr: stderr}
}

// parse parses args, flags before, between or after the other arguments
// ("market relay block spam.example --data-dir /srv/market"), up to a
// "--" after which everything is an argument. When ok is false the
// command returns code at once: exitOK after --help (the usage is on
// stdout), exitUsage after a bad flag (the error and the usage are on
// stderr).
func (f *flags) parse(args []string) (code int, ok bool) {
	err := f.parseInterspersed(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		f.printUsage(f.stdout)
		return exitOK, false
	default:
		// The flag package writes flags with one dash; the help and the
		// README write them with two.
		msg := strings.NewReplacer(": -", ": --", "flag -", "flag --").Replace(err.Error())
		return f.fail("%s", msg), false
	}
}

// parseInterspersed parses the flags among args and leaves the other
// arguments, in order, as f.Args().
func (f *flags) parseInterspersed(args []string) error {
	var rest []string
	for {
		if err := f.Parse(args); err != nil {
			return err
		}
		left := f.Args()
		if len(left) == 0 {
			break
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			rest = append(rest, left...) // the flag package stopped at "--"
			break
		}
		rest, args = append(rest, left[0]), left[1:]
	}
	return f.Parse(append([]string{"--"}, rest...))
}

// fail reports a usage error: "name: problem" on stderr, then the usage
// lines and where the whole help is. It returns exitUsage.
func (f *flags) fail(format string, args ...any) int {
	fmt.Fprintf(f.stderr, "%s: %s\n\n", f.name, fmt.Sprintf(format, args...))
	synopsis, _, _ := strings.Cut(strings.TrimSpace(f.usage), "\n\n")
	fmt.Fprintf(f.stderr, "%s\n\nRun '%s --help' for the flags.\n", synopsis, f.name)
	return exitUsage
}

// noArgs fails unless parsing left no arguments.
func (f *flags) noArgs() (code int, ok bool) {
	if f.NArg() > 0 {
		return f.fail("unexpected argument %q", f.Arg(0)), false
	}
	return exitOK, true
}

// printUsage writes the usage, the flags (as --name, the way the help and
// the README write them) and the footer.
func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintln(w, strings.TrimRight(f.usage, "\n"))
	first := true
	f.VisitAll(func(fl *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\nFlags:")
			first = false
		}
		arg, help := flag.UnquoteUsage(fl)
		line := "  --" + fl.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(help, "\n", "\n    \t"))
		if d := fl.DefValue; d != "" && d != "0" && d != "false" && d != "0s" {
			if g, ok := fl.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					d = fmt.Sprintf("%q", d)
				}
			}
			fmt.Fprintf(w, " (default %s)", d)
		}
		fmt.Fprintln(w)
	})
	if f.footer != "" {
		fmt.Fprint(w, "\n"+strings.TrimRight(f.footer, "\n")+"\n")
	}
}

// configFlag is a flag that overrides one configuration key, beside its
// environment variable.
type configFlag struct {
	key  string                     // the configuration key it sets
	help string                     // with the argument's name in backquotes
	def  func(config.Config) string // the default, for the help
}

// configFlags are the keys a command line may set, by flag name: commands
// that serve take --listen, commands that open or reach a data directory
// --data-dir.
var configFlags = map[string]configFlag{
	"listen":   {"listen", "the `HOST:PORT` to serve HTTP on", func(c config.Config) string { return c.Listen }},
	"data-dir": {"data_dir", "the data directory `DIR`: the bbolt file, the index, the keys and the admin socket", func(c config.Config) string { return c.DataDir }},
}

// config adds --config to f, and each of the named flags of configFlags
// ("listen", "data-dir"), and returns the loader of the configuration:
// the defaults, then the file, then the MARKET_* variables, then the
// flags given, each winning over the ones before.
func (f *flags) config(names ...string) func() (config.Config, error) {
	return f.configFrom(config.Load, config.Default(), names...)
}

// configFrom is config for a mode with its own loader and defaults
// (config.LoadHub and config.HubDefault for a hub).
func (f *flags) configFrom(loadFn func(string, []string, ...config.Override) (config.Config, error), def config.Config, names ...string) func() (config.Config, error) {
	path := f.String("config", "", "YAML configuration `FILE` (MARKET_* variables and flags override it)")
	env := map[string]string{}
	for _, e := range config.EnvVars() {
		env[e[1]] = e[0]
	}
	for _, n := range names {
		cf, ok := configFlags[n]
		if !ok {
			panic("no configuration flag --" + n)
		}
		f.String(n, "", fmt.Sprintf("%s (overrides %s and the file's %s; default %s)", cf.help, env[cf.key], cf.key, cf.def(def)))
	}
	return func() (config.Config, error) {
		var overrides []config.Override
		f.Visit(func(fl *flag.Flag) { // only the flags given, even when empty
			if cf, ok := configFlags[fl.Name]; ok {
				overrides = append(overrides, config.Override{Key: cf.key, Flag: "--" + fl.Name, Value: fl.Value.String()})
			}
		})
		return loadFn(*path, envList(), overrides...)
	}
}

// environment is the help's list of the MARKET_* variables, each with the
// key it overrides.
func environment() string {
	var b strings.Builder
	b.WriteString("Environment (overrides the file's key; a flag overrides both):\n")
	for _, e := range config.EnvVars() {
		fmt.Fprintf(&b, "  %-30s %s\n", e[0], e[1])
	}
	return b.String()
}
