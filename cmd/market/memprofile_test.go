package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestHeapSamplingOff: the binary starts with heap-profile sampling off,
// unless GODEBUG=memprofilerate=N asks for it, which then wins.
func TestHeapSamplingOff(t *testing.T) {
	if os.Getenv("MARKET_TEST_PRINT_MEMPROFILERATE") == "1" {
		fmt.Printf("rate=%d\n", runtime.MemProfileRate)
		return
	}
	for _, c := range []struct{ godebug, want string }{
		{"", "rate=0"},
		{"memprofilerate=4096", "rate=4096"},
		{"panicnil=1", "rate=0"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHeapSamplingOff$")
		cmd.Env = append(os.Environ(), "MARKET_TEST_PRINT_MEMPROFILERATE=1", "GODEBUG="+c.godebug)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), c.want+"\n") {
			t.Errorf("GODEBUG=%q: %v, output %q, want %q", c.godebug, err, out, c.want)
		}
	}
}
