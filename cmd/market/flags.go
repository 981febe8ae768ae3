package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/internal/cli"
)

// flags is one command's flag set, following the rules of cli.Flags,
// with the configuration flags of this binary (config, configFrom).
type flags struct{ *cli.Flags }

// newFlags starts the flag set of the command name; usage is the text
// printed above its flags, starting with "Usage: name ...".
func newFlags(name, usage string, stdout, stderr io.Writer) *flags {
	return &flags{cli.NewFlags(name, usage, stdout, stderr)}
}

// parse is cli.Flags.ParseArgs: when ok is false the command returns code
// at once.
func (f *flags) parse(args []string) (code int, ok bool) { return f.ParseArgs(args) }

// fail is cli.Flags.Fail: the problem and the usage on stderr, exitUsage.
func (f *flags) fail(format string, args ...any) int { return f.Fail(format, args...) }

// noArgs fails unless parsing left no arguments.
func (f *flags) noArgs() (code int, ok bool) { return f.NoArgs() }

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
