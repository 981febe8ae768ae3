package federation

import (
	"encoding/json"
	"time"

	"go.etcd.io/bbolt"
)

// Block is a domain, or one actor given by its URL, that the operator
// refuses.
type Block struct {
	Domain string    `json:"domain"` // a host name, or an actor URL for an actor block
	Since  time.Time `json:"since"`
	Reason string    `json:"reason,omitempty"`
}

// Blocks reads and writes the blocks inside one bbolt transaction.
type Blocks struct{ tx *bbolt.Tx }

// BlocksIn returns the blocks as seen by tx.
func BlocksIn(tx *bbolt.Tx) Blocks { return Blocks{tx} }

// Has reports whether ref (a domain or an actor URL) is blocked itself.
func (b Blocks) Has(ref string) bool {
	return b.tx.Bucket(bucketBlocks).Get([]byte(ref)) != nil
}

// Covers reports whether host (host or host:port) or a parent domain of it
// is blocked.
func (b Blocks) Covers(host string) bool {
	for _, d := range DomainNames(host) {
		if b.Has(d) {
			return true
		}
	}
	return false
}

// Put blocks bl.Domain.
func (b Blocks) Put(bl *Block) error {
	v, err := json.Marshal(bl)
	if err != nil {
		return err
	}
	return b.tx.Bucket(bucketBlocks).Put([]byte(bl.Domain), v)
}

// Delete lifts a block; it reports whether there was one.
func (b Blocks) Delete(ref string) (bool, error) {
	bk := b.tx.Bucket(bucketBlocks)
	if bk.Get([]byte(ref)) == nil {
		return false, nil
	}
	return true, bk.Delete([]byte(ref))
}

// List returns every block.
func (b Blocks) List() ([]Block, error) {
	out := []Block{}
	err := b.tx.Bucket(bucketBlocks).ForEach(func(_, v []byte) error {
		var bl Block
		if err := json.Unmarshal(v, &bl); err != nil {
			return err
		}
		out = append(out, bl)
		return nil
	})
	return out, err
}
