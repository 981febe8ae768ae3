package index

import (
	"runtime"
	"testing"
)

// TestPartsLeaveBusyCoresAlone: a walk alone takes Options.SearchParts
// parts; beside other walks it takes no more than the processors they
// leave, and always at least one.
func TestPartsLeaveBusyCoresAlone(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	ix := &Index{opts: Options{SearchParts: 4}}
	for i, want := range []int{4, 3, 2, 1, 1} { // each call is one more walk running
		if got := ix.partsForWalk(); got != want {
			t.Fatalf("with %d other walks running: %d parts, want %d", i, got, want)
		}
	}
	ix.walking.Add(-5)
	if got := ix.partsForWalk(); got != 4 {
		t.Fatalf("alone again: %d parts, want 4", got)
	}
}
