package escrow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	bolt "go.etcd.io/bbolt"
)

// sentJournal keeps, per idempotency key, the transaction first signed for
// it, so that a retry sends that very transaction again (same hash and
// nonce: the chain runs it at most once). Entries live in memory and, when
// the EVM backend has a journal file, in bbolt, written and synced before
// the transaction is broadcast: a retry after a crash or a restart still
// finds them. Callers hold EVM.mu.
type sentJournal struct {
	mem map[string]sentTx
	db  *bolt.DB // nil: memory only
}

// sentTx is the transaction first signed for an idempotency key, with the
// fingerprint of the call it makes.
type sentTx struct {
	fingerprint string
	tx          *types.Transaction
}

// journalEntry is a sentTx as stored.
type journalEntry struct {
	Fingerprint string `json:"fingerprint"`
	Tx          []byte `json:"tx"` // the signed transaction, in its binary encoding
}

var bucketSent = []byte("sent")

// openJournal opens the journal file at path, creating it when needed; an
// empty path keeps the journal in memory.
func openJournal(path string) (*sentJournal, error) {
	j := &sentJournal{mem: map[string]sentTx{}}
	if path == "" {
		return j, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open transaction journal %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSent)
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("open transaction journal %s: %w", path, err)
	}
	j.db = db
	return j, nil
}

// get returns the transaction kept for key.
func (j *sentJournal) get(key string) (sentTx, bool, error) {
	if s, ok := j.mem[key]; ok {
		return s, true, nil
	}
	if j.db == nil {
		return sentTx{}, false, nil
	}
	var raw []byte
	if err := j.db.View(func(tx *bolt.Tx) error {
		raw = bytes.Clone(tx.Bucket(bucketSent).Get([]byte(key)))
		return nil
	}); err != nil {
		return sentTx{}, false, fmt.Errorf("read transaction journal: %w", err)
	}
	if raw == nil {
		return sentTx{}, false, nil
	}
	var e journalEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return sentTx{}, false, fmt.Errorf("transaction journal entry for key %q: %w", key, err)
	}
	t := new(types.Transaction)
	if err := t.UnmarshalBinary(e.Tx); err != nil {
		return sentTx{}, false, fmt.Errorf("transaction journal entry for key %q: %w", key, err)
	}
	s := sentTx{e.Fingerprint, t}
	j.mem[key] = s
	return s, true, nil
}

// put keeps s for key, on disk first when there is a journal file.
func (j *sentJournal) put(key string, s sentTx) error {
	if j.db != nil {
		b, err := s.tx.MarshalBinary()
		if err != nil {
			return fmt.Errorf("encode transaction for the journal: %w", err)
		}
		v, err := json.Marshal(journalEntry{s.fingerprint, b})
		if err != nil {
			return fmt.Errorf("encode transaction for the journal: %w", err)
		}
		if err := j.db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketSent).Put([]byte(key), v)
		}); err != nil {
			return fmt.Errorf("write transaction journal: %w", err)
		}
	}
	j.mem[key] = s
	return nil
}

// close closes the journal file, if any.
func (j *sentJournal) close() error {
	if j.db == nil {
		return nil
	}
	return j.db.Close()
}
