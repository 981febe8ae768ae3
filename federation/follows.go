package federation

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Follow is one follow relationship between this node's actor and a remote
// actor, in either direction.
type Follow struct {
	Actor    string          `json:"actor"`
	Inbox    string          `json:"inbox"`
	State    string          `json:"state"`         // FollowPending, FollowAccepted or FollowRejected
	Activity string          `json:"activity"`      // the Follow activity's id
	Raw      json.RawMessage `json:"raw,omitempty"` // a follower's Follow as received, to answer it later
	Since    time.Time       `json:"since"`
}

// Follow states.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
	FollowRejected = "rejected"
)

// Follows reads and writes the follow relationships inside one bbolt
// transaction (OpenState must have run on its database).
type Follows struct{ tx *bbolt.Tx }

// FollowsIn returns the follow relationships as seen by tx.
func FollowsIn(tx *bbolt.Tx) Follows { return Follows{tx} }

// Following returns this node's follow of actor, or ErrNotFound.
func (f Follows) Following(actor string) (*Follow, error) { return f.get(bucketFollowing, actor) }

// Follower returns actor's follow of this node, or ErrNotFound.
func (f Follows) Follower(actor string) (*Follow, error) { return f.get(bucketFollowers, actor) }

// PutFollowing records this node's follow of fl.Actor.
func (f Follows) PutFollowing(fl *Follow) error { return f.put(bucketFollowing, fl) }

// PutFollower records fl.Actor's follow of this node.
func (f Follows) PutFollower(fl *Follow) error { return f.put(bucketFollowers, fl) }

// DeleteFollowing forgets this node's follow of actor.
func (f Follows) DeleteFollowing(actor string) error {
	return f.tx.Bucket(bucketFollowing).Delete([]byte(actor))
}

// DeleteFollower forgets actor's follow of this node.
func (f Follows) DeleteFollower(actor string) error {
	return f.tx.Bucket(bucketFollowers).Delete([]byte(actor))
}

// FollowingByActivity finds this node's follow whose Follow activity has id.
func (f Follows) FollowingByActivity(id string) (*Follow, error) {
	var found *Follow
	err := f.tx.Bucket(bucketFollowing).ForEach(func(_, v []byte) error {
		if found != nil {
			return nil
		}
		var fl Follow
		if err := json.Unmarshal(v, &fl); err != nil {
			return err
		}
		if fl.Activity == id {
			found = &fl
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("follow activity %s: %w", id, ErrNotFound)
	}
	return found, nil
}

// List returns the relationships in one direction: the actors this node
// follows when following is true, else its followers.
func (f Follows) List(following bool) ([]Follow, error) {
	b := bucketFollowers
	if following {
		b = bucketFollowing
	}
	out := []Follow{}
	err := f.tx.Bucket(b).ForEach(func(_, v []byte) error {
		var fl Follow
		if err := json.Unmarshal(v, &fl); err != nil {
			return err
		}
		out = append(out, fl)
		return nil
	})
	return out, err
}

// Count returns how many relationships there are in one direction.
func (f Follows) Count(following bool) int {
	b := bucketFollowers
	if following {
		b = bucketFollowing
	}
	return f.tx.Bucket(b).Stats().KeyN
}

// DeleteWhere forgets every relationship, in both directions, whose actor
// matches, and returns this node's own follows it removed (to undo them)
// and how many followers it dropped.
func (f Follows) DeleteWhere(match func(actor string) bool) (following []Follow, followers int, err error) {
	for _, dir := range []bool{true, false} {
		all, err := f.List(dir)
		if err != nil {
			return nil, 0, err
		}
		for _, fl := range all {
			if !match(fl.Actor) {
				continue
			}
			if dir {
				following = append(following, fl)
				err = f.DeleteFollowing(fl.Actor)
			} else {
				followers++
				err = f.DeleteFollower(fl.Actor)
			}
			if err != nil {
				return nil, 0, err
			}
		}
	}
	return following, followers, nil
}

func (f Follows) get(bucket []byte, actor string) (*Follow, error) {
	v := f.tx.Bucket(bucket).Get([]byte(actor))
	if v == nil {
		return nil, fmt.Errorf("follow of %s: %w", actor, ErrNotFound)
	}
	var fl Follow
	if err := json.Unmarshal(v, &fl); err != nil {
		return nil, fmt.Errorf("decode stored follow of %s: %w", actor, err)
	}
	return &fl, nil
}

func (f Follows) put(bucket []byte, fl *Follow) error {
	v, err := json.Marshal(fl)
	if err != nil {
		return err
	}
	return f.tx.Bucket(bucket).Put([]byte(fl.Actor), v)
}
