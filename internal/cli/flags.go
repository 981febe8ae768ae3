// Package cli holds the command-line rules the project's binaries share
// (`market` and `market-privacy`): exit codes, and flag sets whose --help
// prints the usage to stdout and exits 0, and whose bad flag or argument
// is named on stderr, followed by the usage, with exit code 2.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitInternal = 1 // something went wrong inside
	ExitUsage    = 2 // bad flags, bad config or bad input
)

// Flags is one command's flag set with the rules every command follows:
// --help (or -h) prints the usage to stdout and exits 0; a bad flag or
// argument is named on stderr ("market relay: flag provided but not
// defined: --nope"), then the usage follows, and the exit is 2.
type Flags struct {
	*flag.FlagSet
	Name           string // "market relay status", the prefix of errors
	Usage          string // what comes before the flag list
	Footer         string // what comes after it (the environment, say)
	Stdout, Stderr io.Writer
}

// NewFlags starts the flag set of the command name; usage is the text
// printed above its flags, starting with "Usage: name ...".
func NewFlags(name, usage string, stdout, stderr io.Writer) *Flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // ParseArgs reports errors itself, once
	fs.Usage = func() {}
	return &Flags{FlagSet: fs, Name: name, Usage: usage, Stdout: stdout, Stderr: stderr}
}

// ParseArgs parses args, flags before, between or after the other
// arguments ("market relay block spam.example --data-dir /srv/market"),
// up to a "--" after which everything is an argument. When ok is false
// the command returns code at once: ExitOK after --help (the usage is on
// stdout), ExitUsage after a bad flag (the error and the usage are on
// stderr).
func (f *Flags) ParseArgs(args []string) (code int, ok bool) {
	err := f.parseInterspersed(args)
	switch {
	case err == nil:
		return ExitOK, true
	case errors.Is(err, flag.ErrHelp):
		f.PrintUsage(f.Stdout)
		return ExitOK, false
	default:
		// The flag package writes flags with one dash; the help and the
		// README write them with two.
		msg := strings.NewReplacer(": -", ": --", "flag -", "flag --").Replace(err.Error())
		return f.Fail("%s", msg), false
	}
}

// parseInterspersed parses the flags among args and leaves the other
// arguments, in order, as f.Args().
func (f *Flags) parseInterspersed(args []string) error {
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

// Fail reports a usage error: "name: problem" on stderr, then the usage
// lines and where the whole help is. It returns ExitUsage.
func (f *Flags) Fail(format string, args ...any) int {
	fmt.Fprintf(f.Stderr, "%s: %s\n\n", f.Name, fmt.Sprintf(format, args...))
	synopsis, _, _ := strings.Cut(strings.TrimSpace(f.Usage), "\n\n")
	fmt.Fprintf(f.Stderr, "%s\n\nRun '%s --help' for the flags.\n", synopsis, f.Name)
	return ExitUsage
}

// NoArgs fails unless parsing left no arguments.
func (f *Flags) NoArgs() (code int, ok bool) {
	if f.NArg() > 0 {
		return f.Fail("unexpected argument %q", f.Arg(0)), false
	}
	return ExitOK, true
}

// PrintUsage writes the usage, the flags (as --name, the way the help and
// the README write them) and the footer.
func (f *Flags) PrintUsage(w io.Writer) {
	fmt.Fprintln(w, strings.TrimRight(f.Usage, "\n"))
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
	if f.Footer != "" {
		fmt.Fprint(w, "\n"+strings.TrimRight(f.Footer, "\n")+"\n")
	}
}

// IsTerminal reports whether w is a terminal, where progress is drawn.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
