package federation

import (
	"context"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestUndoOneWay: a hub's follows are independent in each direction, so
// a follower's Undo(Follow) ends that follow only; a relay's (mutual)
// ends both and undoes its own follow too.
func TestUndoOneWay(t *testing.T) {
	const bob = "https://bob.example/users/bob"
	undo := []byte(`{"id":"https://bob.example/activities/1","type":"Undo","actor":"` + bob + `",` +
		`"object":{"id":"https://bob.example/activities/0","type":"Follow","actor":"` + bob + `","object":"https://alice.example/users/alice"}}`)
	for _, oneWay := range []bool{true, false} {
		q, _ := testQueue(t, QueueConfig{})
		if _, err := OpenState(q.db); err != nil {
			t.Fatal(err)
		}
		r := &Relations{DB: q.db, Queue: q, ActorID: "https://alice.example/users/alice", ActivityBase: "https://alice.example", OneWay: oneWay}
		err := q.db.Update(func(tx *bbolt.Tx) error {
			fs := FollowsIn(tx)
			if err := fs.PutFollower(&Follow{Actor: bob, Inbox: bob + "/inbox", State: FollowAccepted, Activity: "https://bob.example/activities/0", Since: time.Now()}); err != nil {
				return err
			}
			return fs.PutFollowing(&Follow{Actor: bob, Inbox: bob + "/inbox", State: FollowAccepted, Activity: "https://alice.example/activities/9", Since: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := ParseActivity(undo)
		if err != nil {
			t.Fatal(err)
		}
		if done, err := r.HandleUndo(context.Background(), a, nil); !done || err != nil {
			t.Fatalf("oneWay %v: HandleUndo = %v, %v", oneWay, done, err)
		}
		var follower, following bool
		q.db.View(func(tx *bbolt.Tx) error {
			_, e1 := FollowsIn(tx).Follower(bob)
			_, e2 := FollowsIn(tx).Following(bob)
			follower, following = e1 == nil, e2 == nil
			return nil
		})
		if follower || following != oneWay || !r.Seen(a.ID) {
			t.Errorf("oneWay %v: after Undo follower %v, following %v, seen %v", oneWay, follower, following, r.Seen(a.ID))
		}
		if want := map[bool]int{true: 0, false: 1}[oneWay]; q.Depth() != want {
			t.Errorf("oneWay %v: %d deliveries queued (an Undo of our follow), want %d", oneWay, q.Depth(), want)
		}
	}
}
