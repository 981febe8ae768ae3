package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func init() {
	commands["version"] = command{summary: "print the version and build information", run: runVersion}
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("market version", "Usage: market version\n\nPrints the binary's version, Go version and VCS revision.", stdout, stderr)
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.fail("takes no arguments, got %q", fs.Arg(0))
	}
	rev := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	fmt.Fprintf(stdout, "market %s (%s, %s/%s, revision %s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH, rev)
	return exitOK
}
