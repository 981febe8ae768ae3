package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

func followerState(t *testing.T, h *testhub.MarketHub, actor string) string {
	t.Helper()
	fs, err := h.Followers()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Actor == actor {
			return f.State
		}
	}
	return ""
}

func send(t *testing.T, from *testhub.Hub, to string, activity []byte) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, body, err := from.Send(ctx, to, activity)
	if err != nil {
		t.Fatal(err)
	}
	return status, string(body)
}

// TestFollowApproval: with follow_approval manual a Follow waits; approve
// answers Accept and sends the listings the follower may see; reject
// answers Reject; an Undo ends a follow (and only that follow).
func TestFollowApproval(t *testing.T) {
	cfg := testhub.HubConfig(t, t.TempDir(), "alice")
	cfg.Hub.FollowApproval = "manual"
	h := testhub.StartMarketHub(t, cfg, nil)
	token := h.Token(t, hub.ScopeFull)
	l := create(t, h, token, service("Consulting", "followers", "active"))
	inbox := h.ActorID() + "/inbox"

	bob := testhub.StartHub(t, testhub.Options{Name: "bob"})
	follow := bob.Activity("Follow", h.ActorID())
	if status, body := send(t, bob, inbox, follow); status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", status, body)
	}
	if st := followerState(t, h, bob.ActorID); st != federation.FollowPending {
		t.Fatalf("bob's follow is %q, want pending", st)
	}
	if err := h.ApproveFollower(context.Background(), bob.ActorID); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "bob to get the Accept and the followers-only listing", func() bool {
		return len(received(bob, "Create", l.FederatedAPID)) == 1 && len(bob.Received()) >= 2
	})

	carol := testhub.StartHub(t, testhub.Options{Name: "carol", Host: "localhost"})
	send(t, carol, inbox, carol.Activity("Follow", h.ActorID()))
	if err := h.RejectFollower(context.Background(), carol.ActorID); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "carol to get a Reject", func() bool {
		for _, a := range carol.Received() {
			if a.Type == "Reject" {
				return true
			}
		}
		return false
	})
	if st := followerState(t, h, carol.ActorID); st != "" || len(received(carol, "Create", l.FederatedAPID)) != 0 {
		t.Fatalf("rejected carol: state %q, got the listing %v", st, received(carol, "Create", l.FederatedAPID))
	}

	// Alice follows bob too; bob's Undo ends bob's follow of alice only.
	if _, err := h.Follow(context.Background(), bob.ActorID); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "bob to accept alice's follow", func() bool { return following(h, bob.ActorID) == federation.FollowAccepted })
	var followID string
	json.Unmarshal(follow, &struct{ ID *string }{&followID})
	undo := bob.Activity("Undo", map[string]any{"id": followID, "type": "Follow", "actor": bob.ActorID, "object": h.ActorID()})
	if status, body := send(t, bob, inbox, undo); status != http.StatusAccepted {
		t.Fatalf("Undo: %d %s", status, body)
	}
	if st := followerState(t, h, bob.ActorID); st != "" {
		t.Fatalf("after Undo bob is still a follower (%s)", st)
	}
	if following(h, bob.ActorID) != federation.FollowAccepted {
		t.Fatal("bob's Undo ended alice's follow of bob too")
	}
	testhub.Eventually(t, "bob (who left) to get the followers-only listing withdrawn", func() bool {
		return len(received(bob, "Delete", l.FederatedAPID)) == 1
	})
	// Someone else's Undo of bob's follow is refused.
	if status, _ := send(t, carol, inbox, carol.Activity("Undo", map[string]any{"id": followID, "type": "Follow", "actor": bob.ActorID, "object": h.ActorID()})); status == http.StatusAccepted {
		t.Fatal("carol undid bob's follow")
	}
}

// TestMarketplaceTakesOnlyWhatItFollows: listings from a hub the owner
// follows are kept; from one it does not follow, refused; a listing
// attributed to someone else, refused; another actor's Delete removes
// nothing; a block drops the blocked hub's listings and refuses it.
func TestMarketplaceTakesOnlyWhatItFollows(t *testing.T) {
	h := startHub(t, "alice")
	inbox := h.ActorID() + "/inbox"
	bob := testhub.StartHub(t, testhub.Options{Name: "bob"})
	mallory := testhub.StartHub(t, testhub.Options{Name: "mallory", Host: "localhost"})
	if _, err := h.Follow(context.Background(), bob.ActorID); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "bob to accept alice's follow", func() bool {
		for _, a := range bob.Received() {
			if a.Type == "Follow" {
				return true
			}
		}
		return false
	})
	testhub.Eventually(t, "the follow to be accepted", func() bool {
		return following(h, bob.ActorID) == federation.FollowAccepted
	})
	bl := bob.Listing("Bob's bike")
	create, _ := bob.ListingActivity("Create", bl)
	if status, body := send(t, bob, inbox, create); status != http.StatusAccepted {
		t.Fatalf("bob's Create: %d %s", status, body)
	}
	ml := mallory.Listing("Mallory's offer")
	mcreate, _ := mallory.ListingActivity("Create", ml)
	if status, _ := send(t, mallory, inbox, mcreate); status != http.StatusForbidden {
		t.Errorf("a Create from a hub alice does not follow: %d, want 403", status)
	}
	forged := bob.Listing("Forged")
	forged.Owner = mallory.ActorID
	fcreate, _ := bob.ListingActivity("Create", forged)
	if status, _ := send(t, bob, inbox, fcreate); status == http.StatusAccepted {
		t.Errorf("a listing attributed to someone else was accepted")
	}
	del := mallory.Activity("Delete", bl.FederatedAPID)
	send(t, mallory, inbox, del)
	got, _ := h.Marketplace()
	if len(got) != 1 || got[0].Listing.FederatedAPID != bl.FederatedAPID || got[0].From != bob.ActorID {
		t.Fatalf("marketplace: %+v", got)
	}
	if _, err := h.Block("127.0.0.1", "spam"); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.Marketplace(); len(got) != 0 {
		t.Fatalf("marketplace after blocking bob's host: %+v", got)
	}
	update, _ := bob.ListingActivity("Update", bl)
	if status, _ := send(t, bob, inbox, update); status != http.StatusForbidden {
		t.Errorf("an Update from a blocked host: %d, want 403", status)
	}
}

func following(h *testhub.MarketHub, actor string) string {
	var state string
	h.Node().DB.View(func(tx *bbolt.Tx) error {
		if f, err := federation.FollowsIn(tx).Following(actor); err == nil {
			state = f.State
		}
		return nil
	})
	return state
}

// TestBlockedFollowerGetsNothing: blocking a follower's actor ends its
// follow and withdraws it from every listing's audience without sending it
// anything more: neither the next listing nor a Delete of the old ones;
// its activities are refused from then on.
func TestBlockedFollowerGetsNothing(t *testing.T) {
	h := startHub(t, "alice")
	token := h.Token(t, hub.ScopeFull)
	bob := follower(t, h, "bob")
	carol := follower(t, h, "carol")
	first := create(t, h, token, service("First", "followers", "active"))
	testhub.Eventually(t, "bob and carol to get the first listing", func() bool {
		return len(received(bob, "Create", first.FederatedAPID)) == 1 && len(received(carol, "Create", first.FederatedAPID)) == 1
	})
	if _, err := h.Block(bob.ActorID, "harassment"); err != nil {
		t.Fatal(err)
	}
	if st := followerState(t, h, bob.ActorID); st != "" {
		t.Fatalf("a blocked actor is still a follower (%s)", st)
	}
	seen := len(bob.Received())
	second := create(t, h, token, service("Second", "followers", "active"))
	if status, out := h.API(t, token, "DELETE", "/api/v1/owner/listings/"+first.ID, nil); status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", status, out)
	}
	testhub.Eventually(t, "carol to get the second listing and the delete", func() bool {
		return len(received(carol, "Create", second.FederatedAPID)) == 1 && len(received(carol, "Delete", first.FederatedAPID)) == 1
	})
	if err := h.Node().Queue.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := bob.Received(); len(got) != seen {
		t.Fatalf("the blocked follower got %d more activities: %s", len(got)-seen, got[len(got)-1].Raw)
	}
	if status, _ := send(t, bob, h.ActorID()+"/inbox", bob.Activity("Follow", h.ActorID())); status != http.StatusForbidden {
		t.Fatalf("a Follow from a blocked actor: %d, want 403", status)
	}
}
