package node

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// idleMemoryEvery is how often returnIdleMemory looks at the runtime.
const idleMemoryEvery = 30 * time.Second

// idleMemory decides when an idle server gives its freed heap back to the
// operating system. The Go runtime keeps the heap it grew to during a
// burst (creating listings, a federation fan-out) and returns it only
// slowly, down to about its next GC goal, so a server that went quiet
// keeps twice its live heap resident. A look at which at most one GC cycle
// ran since the previous look (the runtime forces one every 2 minutes) is
// idle; the first idle look after a busy one returns the memory, once,
// with debug.FreeOSMemory (a GC and a full scavenge, a few milliseconds
// on a hub's heap). A server that stays busy is never interrupted.
type idleMemory struct {
	cycles  uint64 // GC cycles seen at the previous look
	trimmed bool   // returned since the last busy look
}

// look takes the GC cycle count now and reports whether to return the
// freed heap to the operating system now. Call it after the trim with the
// count the trim's own GC left, through settle.
func (m *idleMemory) look(cycles uint64) bool {
	busy := cycles > m.cycles+1
	m.cycles = cycles
	if busy {
		m.trimmed = false
		return false
	}
	return !m.trimmed
}

// settle records a trim that ended at cycles.
func (m *idleMemory) settle(cycles uint64) {
	m.cycles, m.trimmed = cycles, true
}

// returnIdleMemory is the background job that returns an idle server's
// freed heap to the operating system (see idleMemory). It starts by
// returning what start-up allocated and dropped (package initialisation,
// parsing the pages, opening the index), a few megabytes a server would
// otherwise keep until its first quiet spell.
func returnIdleMemory(ctx context.Context) {
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	cycles := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	debug.FreeOSMemory()
	var m idleMemory
	m.settle(cycles())
	t := time.NewTicker(idleMemoryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if m.look(cycles()) {
				debug.FreeOSMemory()
				m.settle(cycles())
			}
		}
	}
}
