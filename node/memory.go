package node

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// idleMemoryEvery is how often returnIdleMemory looks at the runtime.
const idleMemoryEvery = 30 * time.Second

// idleAllocBytes is how much a server may allocate between two looks and
// still count as idle: far more than its background jobs allocate, far
// less than a burst of requests.
const idleAllocBytes = 16 << 20

// idleMemory decides when an idle server gives its freed heap back to the
// operating system. The Go runtime keeps the heap it grew to during a
// burst (creating listings, a federation fan-out, searches) and returns
// it only slowly, down to about its next GC goal, so a server that went
// quiet keeps up to twice its live heap resident. A look is busy when
// more than one GC cycle ran since the previous look (the runtime forces
// one every 2 minutes) or more than idleAllocBytes were allocated: a
// burst on a large heap (a relay's million listings) may grow it by
// hundreds of megabytes without a cycle. The first idle look after a
// busy one returns the memory, once, with debug.FreeOSMemory (a GC and a
// full scavenge, a few milliseconds on a hub's heap). A server that stays
// busy is never interrupted.
type idleMemory struct {
	cycles  uint64 // GC cycles seen at the previous look
	allocs  uint64 // bytes allocated in all, at the previous look
	trimmed bool   // returned since the last busy look
}

// look takes the GC cycle count and the bytes allocated so far, and
// reports whether to return the freed heap to the operating system now.
// Call it after the trim with what the trim's own GC left, through
// settle.
func (m *idleMemory) look(cycles, allocs uint64) bool {
	busy := cycles > m.cycles+1 || allocs > m.allocs+idleAllocBytes
	m.cycles, m.allocs = cycles, allocs
	if busy {
		m.trimmed = false
		return false
	}
	return !m.trimmed
}

// settle records a trim that ended at cycles and allocs.
func (m *idleMemory) settle(cycles, allocs uint64) {
	m.cycles, m.allocs, m.trimmed = cycles, allocs, true
}

// returnIdleMemory is the background job that returns an idle server's
// freed heap to the operating system (see idleMemory). It starts by
// returning what start-up allocated and dropped (package initialisation,
// parsing the pages, opening the index), a few megabytes a server would
// otherwise keep until its first quiet spell.
func returnIdleMemory(ctx context.Context) {
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/gc/heap/allocs:bytes"}}
	read := func() (cycles, allocs uint64) {
		metrics.Read(sample)
		return sample[0].Value.Uint64(), sample[1].Value.Uint64()
	}
	debug.FreeOSMemory()
	var m idleMemory
	m.settle(read())
	t := time.NewTicker(idleMemoryEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if m.look(read()) {
				debug.FreeOSMemory()
				m.settle(read())
			}
		}
	}
}
