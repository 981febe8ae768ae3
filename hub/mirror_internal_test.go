package hub

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
)

// TestEscrowReportBeforeAccept: the agent's first report can reach the
// buyer's hub before the seller's Accept. It must be answered with a
// status the agent's queue retries (503), not a refusal it drops, and
// leave the buyer's copy as it was; once the copy is accepted, the same
// report is mirrored, not deferred.
func TestEscrowReportBeforeAccept(t *testing.T) {
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	d := deal.New("https://bob.example/agreements/1", "https://bob.example/offers/1", deal.RoleBuyer, deal.Terms{}, "https://bob.example/users/owner", at)
	u := &deal.Update{Agreement: d.ID, Deal: 7, Events: []deal.Event{{Seq: 1, Action: "create", To: "created", By: "https://alice.example/users/owner", At: at}}}
	changed, err := mirrorOrWait(d, u)
	var c *federation.Coded
	if changed || !errors.As(err, &c) || c.Status != http.StatusServiceUnavailable {
		t.Fatalf("report before the Accept: changed %v, error %v; want a 503 to retry", changed, err)
	}
	if status, _, _ := federation.StatusOf(err); status != http.StatusServiceUnavailable {
		t.Fatalf("the inbox would answer %d", status)
	}
	if d.State != deal.StateOffered || d.LastSeq() != 0 {
		t.Fatalf("the copy changed: %s, %d events", d.State, d.LastSeq())
	}
	d.State = deal.StateAccepted
	_, err = mirrorOrWait(d, u)
	if errors.As(err, &c) && c.Status == http.StatusServiceUnavailable {
		t.Fatalf("an accepted copy still defers the report: %v", err)
	}
}
