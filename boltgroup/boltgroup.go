// Package boltgroup shares bbolt write transactions between concurrent
// callers by group commit: the steps that arrive while one transaction
// commits go into the next, with one fsync for all of them, however long
// the disk takes. The escrow ledger's steps and the relay's inbox writes
// use it. It imports nothing of the project's.
package boltgroup

import (
	"sync"

	bolt "go.etcd.io/bbolt"
)

// New returns a Committer writing to db.
func New(db *bolt.DB) *Committer { return &Committer{db: db} }

// MaxGroup bounds the steps that share one commit.
const MaxGroup = 256

// Committer runs steps in shared write transactions: a step that arrives
// while a commit is under way waits, and the steps that gathered
// meanwhile commit together next, with one fsync, however long
// the disk takes. (bbolt's Batch waits a fixed time for company instead,
// so when a commit takes longer than that the steps queue for the write
// lock in batches of about one.) A step that fails is answered with its
// error and the others run again without it, as with Batch; the steps
// before it saw the same state the second time, so it failed on a state
// that commits.
type Committer struct {
	db *bolt.DB

	mu      sync.Mutex
	waiting []*groupStep
	leading bool // a caller is committing for the group
}

// groupStep is one step waiting for a commit. done receives true when the
// step's caller must commit the waiting steps, false when its step is
// answered (err).
type groupStep struct {
	fn   func(*bolt.Tx) error
	err  error
	done chan bool
}

// Run commits fn in a write transaction, shared with the steps waiting at
// the same time, and returns fn's error or the commit's. fn may run more
// than once (when another step of its transaction fails), so it must
// only touch the transaction.
func (g *Committer) Run(fn func(*bolt.Tx) error) error {
	s := &groupStep{fn: fn, done: make(chan bool, 1)}
	g.mu.Lock()
	g.waiting = append(g.waiting, s)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		lead = <-s.done
	}
	if lead {
		g.mu.Lock()
		n := min(len(g.waiting), MaxGroup)
		steps := g.waiting[:n:n]
		g.waiting = g.waiting[n:]
		g.mu.Unlock()
		g.commit(steps)
		// Hand the lead to the oldest waiting step, if any.
		g.mu.Lock()
		if len(g.waiting) > 0 {
			g.waiting[0].done <- true
		} else {
			g.leading = false
		}
		g.mu.Unlock()
		if !containsStep(steps, s) {
			<-s.done
		}
	}
	return s.err
}

// commit runs steps in one transaction until none fails, answering each.
func (g *Committer) commit(steps []*groupStep) {
	for len(steps) > 0 {
		failed := -1
		err := g.db.Update(func(tx *bolt.Tx) error {
			for i, s := range steps {
				if err := s.fn(tx); err != nil {
					failed, s.err = i, err
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, s := range steps {
				s.err = err
				s.done <- false
			}
			return
		}
		steps[failed].done <- false
		steps = append(steps[:failed:failed], steps[failed+1:]...)
	}
}

func containsStep(steps []*groupStep, s *groupStep) bool {
	for _, x := range steps {
		if x == s {
			return true
		}
	}
	return false
}
