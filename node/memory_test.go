package node

import "testing"

// TestIdleMemoryReturnsOncePerQuietSpell checks the decision: a quiet look
// returns the heap once, further quiet looks do not, and a busy look
// arms it again.
func TestIdleMemoryReturnsOncePerQuietSpell(t *testing.T) {
	m := idleMemory{cycles: 10}
	steps := []struct {
		cycles uint64
		want   bool
	}{
		{30, false}, // busy: 20 cycles since the last look
		{31, true},  // quiet: the runtime's forced GC only
		{33, false}, // returned already (settled at 32), one forced GC since
		{33, false},
		{40, false}, // busy again
		{40, true},  // quiet
	}
	for i, s := range steps {
		got := m.look(s.cycles)
		if got != s.want {
			t.Fatalf("look %d at %d cycles: return memory = %v, want %v", i, s.cycles, got, s.want)
		}
		if got {
			m.settle(s.cycles + 1)
		}
	}
}
