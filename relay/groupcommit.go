package relay

import (
	"errors"
	"sync"

	"go.etcd.io/bbolt"
)

// groupCommit runs the write transactions of concurrent callers together:
// the calls that arrive while one transaction commits all go into the next
// one, which commits with one disk sync. Unlike bbolt's Batch it never
// waits for company: a call on an idle store commits at once, and under
// load each transaction takes every call that queued meanwhile, so the
// number of disk syncs follows the disk's speed, not a timer.
//
// As with bbolt's Batch, a call's function may run more than once (when
// another call of its transaction fails, the others run again without it),
// so it must only touch the transaction. A function that fails runs again
// alone, in a transaction of its own that is rolled back, so its error is
// its own and it changes nothing.
type groupCommit struct {
	db *bbolt.DB

	mu      sync.Mutex
	pending []*groupCall
	running bool // a goroutine is committing the pending calls
}

type groupCall struct {
	fn   func(*bbolt.Tx) error
	done chan error
}

// maxGroup bounds how many calls one transaction takes.
const maxGroup = 1000

// do runs fn in a write transaction shared with concurrent calls and
// returns once that transaction is committed (or fn failed).
func (g *groupCommit) do(fn func(*bbolt.Tx) error) error {
	c := &groupCall{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, c)
	if !g.running {
		g.running = true
		go g.loop()
	}
	g.mu.Unlock()
	return <-c.done
}

// loop commits the pending calls, a transaction at a time, until none is
// left.
func (g *groupCommit) loop() {
	for {
		g.mu.Lock()
		calls := g.pending
		if len(calls) > maxGroup {
			calls = calls[:maxGroup:maxGroup]
		}
		g.pending = g.pending[len(calls):]
		if len(calls) == 0 {
			g.pending = nil
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		g.commit(calls)
	}
}

// errFailedCall marks the transaction a call's failure rolled back.
var errFailedCall = errors.New("a call of the group failed")

// commit runs calls in one transaction; a failing call is taken out and
// run alone, and the others run again together.
func (g *groupCommit) commit(calls []*groupCall) {
	for len(calls) > 0 {
		failed := -1
		err := g.db.Update(func(tx *bbolt.Tx) error {
			for i, c := range calls {
				if err := c.fn(tx); err != nil {
					failed = i
					return errFailedCall
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		c := calls[failed]
		c.done <- g.db.Update(c.fn)
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}
