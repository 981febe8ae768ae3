package relay

import (
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/federation"
)

// TestEvidenceWithheldWhileReplayable: the signature value is withheld
// until twice the date window after receipt (a signature dated a window
// ahead of the relay's clock stays valid a window beyond that), and served
// from then on; the signed headers are served throughout.
func TestEvidenceWithheldWhileReplayable(t *testing.T) {
	received := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sig := &Signature{KeyID: "https://hub.example/users/a#main-key", Header: `keyId="k",signature="c2ln"`, Date: "Fri, 02 Jan 2026 03:04:05 GMT", Digest: "SHA-256=x"}
	for _, c := range []struct {
		window   time.Duration
		at       time.Duration // after receipt
		withheld bool
	}{
		{5 * time.Minute, 0, true},
		{5 * time.Minute, 9*time.Minute + 59*time.Second, true},
		{5 * time.Minute, 10 * time.Minute, false},
		{time.Minute, 2 * time.Minute, false},
		{0, 9 * time.Minute, true}, // 0: the inbox default
		{0, 2 * federation.DefaultDateWindow, false},
	} {
		got := evidenceAt(sig, received, received.Add(c.at), c.window)
		if got.Digest != sig.Digest || got.Date != sig.Date || got.KeyID != sig.KeyID {
			t.Errorf("window %s at +%s: signed headers not served: %+v", c.window, c.at, got.Signature)
		}
		if c.withheld != (got.Header == "") || c.withheld != (got.WithheldUntil != nil) {
			t.Errorf("window %s at +%s: signature %q, withheld until %v; want withheld=%v", c.window, c.at, got.Header, got.WithheldUntil, c.withheld)
		}
	}
	if sig.Header == "" {
		t.Fatal("withholding changed the stored evidence")
	}
	if evidenceAt(nil, received, received, time.Minute) != nil {
		t.Error("a listing fetched from its origin has no signature evidence")
	}
}
