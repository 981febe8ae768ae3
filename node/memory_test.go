package node

import "testing"

// TestIdleMemoryReturnsOncePerQuietSpell checks the decision: a quiet look
// returns the heap once, further quiet looks do not, and a busy look (GC
// cycles, or a burst of allocation without a cycle, as on a large heap)
// arms it again.
func TestIdleMemoryReturnsOncePerQuietSpell(t *testing.T) {
	const mb = 1 << 20
	m := idleMemory{cycles: 10, allocs: 100 * mb}
	steps := []struct {
		cycles, allocs uint64
		want           bool
	}{
		{30, 900 * mb, false}, // busy: 20 cycles since the last look
		{31, 902 * mb, true},  // quiet: the runtime's forced GC only
		{33, 904 * mb, false}, // returned already (settled at 32), one forced GC since
		{33, 905 * mb, false},
		{40, 905 * mb, false},  // busy again
		{40, 906 * mb, true},   // quiet
		{40, 1400 * mb, false}, // busy: 494 MB allocated without a cycle
		{40, 1401 * mb, true},  // quiet
		{40, 1402 * mb, false}, // returned already
	}
	for i, s := range steps {
		got := m.look(s.cycles, s.allocs)
		if got != s.want {
			t.Fatalf("look %d at %d cycles, %d MB allocated: return memory = %v, want %v", i, s.cycles, s.allocs/mb, got, s.want)
		}
		if got {
			m.settle(s.cycles+1, s.allocs)
		}
	}
}
