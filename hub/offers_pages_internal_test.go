package hub

import (
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/deal"
)

// TestDeliveryLines: the deal page says in words how a deal is
// delivered, each side's details on its own line, nothing for what is
// not there.
func TestDeliveryLines(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	got := func(dl *deal.Delivery) string {
		var b strings.Builder
		for _, l := range deliveryLines(dl) {
			b.WriteString(l.Name + ": " + l.Value + "\n")
		}
		return b.String()
	}
	for _, tc := range []struct {
		dl   *deal.Delivery
		want string
	}{
		{nil, ""},
		{&deal.Delivery{Kind: "service"}, "Delivery: Service\n"},
		{&deal.Delivery{Kind: "physical", ShippingAddress: "1 Rue X, Lyon", Tracking: "La Poste 123"},
			"Delivery: Physical\nShipping address: 1 Rue X, Lyon\nTracking: La Poste 123\n"},
		{&deal.Delivery{Kind: "digital", File: &deal.File{Name: "plan.pdf", MediaType: "application/pdf", Size: 1200}, LinkExpires: at, Evidence: "sha256:ab", Received: at},
			"Delivery: Digital\nFile: plan.pdf (application/pdf, 1200 bytes)\nDownload link until: 2026-12-03T10:00:00Z\nEvidence: sha256:ab\nReceived: 2026-12-03T10:00:00Z\n"},
		{&deal.Delivery{Kind: "digital", Problem: "the listing has no file"}, "Delivery: Digital\nDelivery problem: the listing has no file\n"},
	} {
		if g := got(tc.dl); g != tc.want {
			t.Errorf("deliveryLines(%+v) =\n%s\nwant\n%s", tc.dl, g, tc.want)
		}
	}
}
