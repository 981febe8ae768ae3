package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// PublicCollection is the ActivityStreams "everyone" address; a
// Mastodon-style relay subscription is a Follow of it.
const PublicCollection = "https://www.w3.org/ns/activitystreams#Public"

// Relations runs one local actor's side of the follow handshake in both
// directions (Follow, Accept, Reject, Undo), and its blocks. Its state
// lives in the node's bbolt file (see OpenState); each change and the
// applied activity's de-duplication mark commit in one transaction, and a
// mode's own effect of the same change (a relay dropping a hub's listings)
// can join that transaction through the also functions.
type Relations struct {
	DB      *bbolt.DB
	Client  *Client
	Queue   *Queue
	ActorID string // the local actor's id
	// ActivityBase prefixes the ids of the activities it sends:
	// ActivityBase + "/activities/" + a random id.
	ActivityBase string
	Now          func() time.Time
	Log          *slog.Logger
	// ManualApproval keeps a new follower pending until Approve.
	ManualApproval bool
	// Followable reports whether a Follow's object is something the local
	// actor takes follows for; nil means the actor itself only.
	Followable func(object string) bool
	// MayFollow, when set, refuses actors this node must not follow (an
	// allow list); its error is returned as is.
	MayFollow func(actorID string) error
	// FollowerAccepted, when set, runs after a follower is accepted (a
	// relay follows it back).
	FollowerAccepted func(ctx context.Context, remote *RemoteActor) error
	// FollowingAccepted, when set, runs after an actor accepts this
	// node's Follow.
	FollowingAccepted func(actor string)
	// OneWay keeps the two directions apart (a hub's follows): an Undo of
	// a follower's Follow ends that follow only. Without it (a relay,
	// which follows its followers back) the Undo ends every relationship
	// with the actor.
	OneWay bool
}

func (r *Relations) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now().UTC()
}

func (r *Relations) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// Seen reports whether the activity id was already applied.
func (r *Relations) Seen(id string) bool {
	var seen bool
	_ = r.DB.View(func(tx *bbolt.Tx) error { seen = SeenIn(tx).Has(id); return nil })
	return seen
}

// Mark records an activity the node does not act on as applied, so that
// repeats stay cheap.
func (r *Relations) Mark(id string) error {
	return r.DB.Update(func(tx *bbolt.Tx) error { return SeenIn(tx).Mark(id, r.now()) })
}

// HandleFollow takes a remote actor's Follow of the local actor: it is
// recorded and answered with an Accept, or kept pending with
// ManualApproval.
func (r *Relations) HandleFollow(ctx context.Context, a *Activity) error {
	target := a.ObjectID
	followable := target == r.ActorID
	if r.Followable != nil {
		followable = r.Followable(target)
	}
	if !followable {
		return fmt.Errorf("%w: Follow object must be the actor %s, got %q", ErrInvalid, r.ActorID, target)
	}
	remote, err := r.Client.Actor(ctx, a.Actor)
	if err != nil {
		return fmt.Errorf("fetch follower %s: %w", a.Actor, err)
	}
	inbox := remote.Inbox
	if remote.SharedInbox != "" && target == PublicCollection {
		inbox = remote.SharedInbox
	}
	f := &Follow{Actor: a.Actor, Inbox: inbox, State: FollowAccepted, Activity: a.ID, Raw: json.RawMessage(a.Raw), Since: r.now()}
	if r.ManualApproval {
		f.State = FollowPending
		return r.DB.Update(func(tx *bbolt.Tx) error {
			fs := FollowsIn(tx)
			if old, err := fs.Follower(a.Actor); err == nil && old.State == FollowAccepted {
				return SeenIn(tx).Mark(a.ID, r.now()) // already approved: nothing to wait for
			}
			if err := fs.PutFollower(f); err != nil {
				return err
			}
			return SeenIn(tx).Mark(a.ID, r.now())
		})
	}
	return r.accept(ctx, remote, f, a.ID)
}

// accept answers a Follow with Accept and records the follower;
// activityID, when set, is marked applied with the record.
func (r *Relations) accept(ctx context.Context, remote *RemoteActor, f *Follow, activityID string) error {
	accept, err := r.Activity("Accept", f.Actor, f.Raw)
	if err != nil {
		return err
	}
	if err := r.Queue.Enqueue(ctx, f.Inbox, accept); err != nil {
		return fmt.Errorf("queue Accept to %s: %w", f.Inbox, err)
	}
	f.State = FollowAccepted
	if err := r.DB.Update(func(tx *bbolt.Tx) error {
		if err := FollowsIn(tx).PutFollower(f); err != nil {
			return err
		}
		if activityID != "" {
			return SeenIn(tx).Mark(activityID, r.now())
		}
		return nil
	}); err != nil {
		return err
	}
	if r.FollowerAccepted != nil {
		return r.FollowerAccepted(ctx, remote)
	}
	return nil
}

// Approve accepts a pending follower: it gets its Accept.
func (r *Relations) Approve(ctx context.Context, actor string) error {
	f, err := r.pendingFollower(actor)
	if err != nil {
		return err
	}
	remote, err := r.Client.Actor(ctx, actor)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", actor, err)
	}
	return r.accept(ctx, remote, f, "")
}

// Reject refuses a pending follower: it gets a Reject and the request is
// forgotten.
func (r *Relations) Reject(ctx context.Context, actor string) error {
	f, err := r.pendingFollower(actor)
	if err != nil {
		return err
	}
	reject, err := r.Activity("Reject", f.Actor, f.Raw)
	if err != nil {
		return err
	}
	if err := r.Queue.Enqueue(ctx, f.Inbox, reject); err != nil {
		return fmt.Errorf("queue Reject to %s: %w", f.Inbox, err)
	}
	return r.DB.Update(func(tx *bbolt.Tx) error { return FollowsIn(tx).DeleteFollower(actor) })
}

func (r *Relations) pendingFollower(actor string) (*Follow, error) {
	var f *Follow
	err := r.DB.View(func(tx *bbolt.Tx) error {
		var err error
		f, err = FollowsIn(tx).Follower(actor)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%w: no follow request from %s", ErrNotFound, actor)
	}
	if f.State != FollowPending {
		return nil, fmt.Errorf("%w: the follow of %s is %s, not pending", ErrInvalid, actor, f.State)
	}
	return f, nil
}

// Follow makes the local actor follow a remote actor given as a URL or as
// acct:user@host: the Follow is queued and recorded as pending. It
// returns the actor's id.
func (r *Relations) Follow(ctx context.Context, ref string) (string, error) {
	id, err := r.Client.ResolveActor(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", ref, err)
	}
	if r.MayFollow != nil {
		if err := r.MayFollow(id); err != nil {
			return "", err
		}
	}
	remote, err := r.Client.Actor(ctx, id)
	if err != nil {
		return "", fmt.Errorf("fetch actor %s: %w", id, err)
	}
	return remote.ID, r.follow(ctx, remote)
}

// FollowBack follows remote unless the local actor already does (or asked
// to and was not refused).
func (r *Relations) FollowBack(ctx context.Context, remote *RemoteActor) error {
	var already bool
	_ = r.DB.View(func(tx *bbolt.Tx) error {
		f, err := FollowsIn(tx).Following(remote.ID)
		already = err == nil && f.State != FollowRejected
		return nil
	})
	if already {
		return nil
	}
	return r.follow(ctx, remote)
}

func (r *Relations) follow(ctx context.Context, remote *RemoteActor) error {
	id := r.activityID()
	body, err := r.activityWithID(id, "Follow", remote.ID, remote.ID)
	if err != nil {
		return err
	}
	if err := r.Queue.Enqueue(ctx, remote.Inbox, body); err != nil {
		return fmt.Errorf("queue Follow to %s: %w", remote.Inbox, err)
	}
	return r.DB.Update(func(tx *bbolt.Tx) error {
		return FollowsIn(tx).PutFollowing(&Follow{Actor: remote.ID, Inbox: remote.Inbox, State: FollowPending, Activity: id, Since: r.now()})
	})
}

// HandleAnswer records a remote actor's Accept or Reject of this node's
// Follow. An answer to no Follow of ours is marked and ignored.
func (r *Relations) HandleAnswer(a *Activity) error {
	state := FollowAccepted
	if a.Type == "Reject" {
		state = FollowRejected
	}
	err := r.DB.Update(func(tx *bbolt.Tx) error {
		fs := FollowsIn(tx)
		f, err := fs.FollowingByActivity(a.ObjectID)
		if errors.Is(err, ErrNotFound) {
			return SeenIn(tx).Mark(a.ID, r.now())
		}
		if err != nil {
			return err
		}
		if f.Actor != a.Actor {
			return fmt.Errorf("%w: %s answered a Follow sent to %s", ErrForbidden, a.Actor, f.Actor)
		}
		f.State = state
		if err := fs.PutFollowing(f); err != nil {
			return err
		}
		return SeenIn(tx).Mark(a.ID, r.now())
	})
	if err == nil && state == FollowAccepted && r.FollowingAccepted != nil {
		r.FollowingAccepted(a.Actor)
	}
	return err
}

// HandleUndo takes an Undo: an Undo of the sender's Follow ends every
// relationship with it (see End, which also runs in the same transaction)
// and reports true; any other Undo is left to the caller (false).
func (r *Relations) HandleUndo(ctx context.Context, a *Activity, also func(tx *bbolt.Tx) error) (bool, error) {
	var inner struct {
		Type  string          `json:"type"`
		Actor json.RawMessage `json:"actor"`
	}
	if len(a.ObjectTypes) == 0 {
		// Undo by IRI: it can only be the follow this actor made.
		var f *Follow
		_ = r.DB.View(func(tx *bbolt.Tx) error { f, _ = FollowsIn(tx).Follower(a.Actor); return nil })
		if f == nil || f.Activity != a.ObjectID {
			return false, nil
		}
		inner.Type = "Follow"
	} else if err := json.Unmarshal(a.Object, &inner); err != nil {
		return false, fmt.Errorf("%w: object: %v", ErrInvalid, err)
	}
	if inner.Type != "Follow" {
		return false, nil
	}
	if owner := a.ObjectActor; owner != "" && owner != a.Actor {
		return false, fmt.Errorf("%w: %s may not undo a Follow by %s", ErrForbidden, a.Actor, owner)
	}
	if r.OneWay {
		return true, r.DB.Update(func(tx *bbolt.Tx) error {
			if err := FollowsIn(tx).DeleteFollower(a.Actor); err != nil {
				return err
			}
			if also != nil {
				if err := also(tx); err != nil {
					return err
				}
			}
			return SeenIn(tx).Mark(a.ID, r.now())
		})
	}
	return true, r.End(ctx, a.Actor, a.ID, also)
}

// End ends every relationship with actor and, if the local actor followed
// it, queues an Undo of that Follow. activityID, when set, is marked
// applied, and also, when set, runs in the same transaction.
func (r *Relations) End(ctx context.Context, actor, activityID string, also func(tx *bbolt.Tx) error) error {
	var following *Follow
	err := r.DB.Update(func(tx *bbolt.Tx) error {
		fs := FollowsIn(tx)
		following, _ = fs.Following(actor)
		if err := fs.DeleteFollower(actor); err != nil {
			return err
		}
		if err := fs.DeleteFollowing(actor); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if activityID != "" {
			return SeenIn(tx).Mark(activityID, r.now())
		}
		return nil
	})
	if err != nil {
		return err
	}
	if following != nil {
		r.undoFollow(ctx, following)
	}
	return nil
}

// Unfollow ends the local actor's relationships with a remote actor (URL
// or acct:user@host) like End, and returns its id.
func (r *Relations) Unfollow(ctx context.Context, ref string, also func(tx *bbolt.Tx, actor string) error) (string, error) {
	id := ref
	if !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://") {
		var err error
		if id, err = r.Client.ResolveActor(ctx, ref); err != nil {
			return "", fmt.Errorf("resolve %s: %w", ref, err)
		}
	}
	var fn func(tx *bbolt.Tx) error
	if also != nil {
		fn = func(tx *bbolt.Tx) error { return also(tx, id) }
	}
	return id, r.End(ctx, id, "", fn)
}

// undoFollow queues an Undo of the local actor's Follow f; a failure to
// queue it is logged, since the relationship is already forgotten.
func (r *Relations) undoFollow(ctx context.Context, f *Follow) {
	if f.Inbox == "" {
		return
	}
	undo, err := r.Activity("Undo", f.Actor, map[string]any{"id": f.Activity, "type": "Follow", "actor": r.ActorID, "object": f.Actor})
	if err == nil {
		err = r.Queue.Enqueue(ctx, f.Inbox, undo)
	}
	if err != nil {
		r.log().Warn("queue Undo(Follow)", "actor", f.Actor, "error", err)
	}
}

// BlockResult is what a block changed besides the block itself.
type BlockResult struct {
	Unfollowed       int // actors the local actor stopped following
	FollowersDropped int
}

// Block blocks a domain (a host name, or host:port) or one actor (given by
// its URL): the node stops following the actors it covers (an Undo(Follow)
// goes out through the queue) and forgets their follows. also, when set,
// runs in the same transaction with the block's reference and whether it
// is an actor URL (a relay drops the listings it covers).
func (r *Relations) Block(ref, reason string, also func(tx *bbolt.Tx, ref string, isActor bool) error) (BlockResult, error) {
	ref = strings.TrimSpace(ref)
	isActor := strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")
	if !isActor {
		ref = strings.ToLower(ref)
		if ref == "" || strings.ContainsAny(ref, "/ @") {
			return BlockResult{}, fmt.Errorf("%w: give a bare domain such as spam.example or an actor URL, got %q", ErrInvalid, ref)
		}
	}
	covered := func(actor string) bool {
		if isActor {
			return actor == ref
		}
		return slices.Contains(DomainNames(HostOf(actor)), ref)
	}
	var res BlockResult
	var unfollowed []Follow
	err := r.DB.Update(func(tx *bbolt.Tx) error {
		if err := BlocksIn(tx).Put(&Block{Domain: ref, Since: r.now(), Reason: reason}); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, ref, isActor); err != nil {
				return err
			}
		}
		var err error
		unfollowed, res.FollowersDropped, err = FollowsIn(tx).DeleteWhere(covered)
		return err
	})
	if err != nil {
		return BlockResult{}, err
	}
	for i := range unfollowed {
		r.undoFollow(context.Background(), &unfollowed[i])
	}
	res.Unfollowed = len(unfollowed)
	return res, nil
}

// Unblock lifts a block; it reports whether there was one.
func (r *Relations) Unblock(ref string) (bool, error) {
	ref = strings.TrimSpace(ref)
	if !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://") {
		ref = strings.ToLower(ref)
	}
	var was bool
	err := r.DB.Update(func(tx *bbolt.Tx) error {
		var err error
		was, err = BlocksIn(tx).Delete(ref)
		return err
	})
	return was, err
}

// Blocked reports whether host (host or host:port) or a parent domain of
// it is blocked: the inbox's block check.
func (r *Relations) Blocked(host string) bool {
	var b bool
	_ = r.DB.View(func(tx *bbolt.Tx) error { b = BlocksIn(tx).Covers(host); return nil })
	return b
}

// ActorBlocked reports whether one actor is blocked by its URL.
func (r *Relations) ActorBlocked(actor string) bool {
	var b bool
	_ = r.DB.View(func(tx *bbolt.Tx) error { b = BlocksIn(tx).Has(actor); return nil })
	return b
}

// PruneSeen forgets activity ids older than ActivityMemory once an hour
// until ctx ends.
func (r *Relations) PruneSeen(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		total := 0
		for {
			var n int
			err := r.DB.Update(func(tx *bbolt.Tx) error {
				var err error
				n, err = SeenIn(tx).Prune(r.now().Add(-ActivityMemory), 10000)
				return err
			})
			if err != nil {
				r.log().Warn("prune activity ids", "error", err)
				break
			}
			total += n
			if n < 10000 {
				break
			}
		}
		if total > 0 {
			r.log().Info("forgot old activity ids", "count", total)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Activity builds one of the local actor's activities with a fresh id,
// addressed to one actor.
func (r *Relations) Activity(typ, to string, object any) ([]byte, error) {
	return r.activityWithID(r.activityID(), typ, to, object)
}

func (r *Relations) activityID() string {
	var b [16]byte
	rand.Read(b[:])
	return r.ActivityBase + "/activities/" + hex.EncodeToString(b[:])
}

func (r *Relations) activityWithID(id, typ, to string, object any) ([]byte, error) {
	return Envelope{Type: typ, ID: id, Actor: r.ActorID, Object: object, To: []string{to}, Published: r.now()}.MarshalJSON()
}
