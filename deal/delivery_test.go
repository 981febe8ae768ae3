package deal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/listing"
)

func physicalDeal(t *testing.T, role Role) *Deal {
	d := offered(t)
	d.Role = role
	var err error
	if d.Delivery, err = DeliveryFor(listing.TypePhysical); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeliveryFor(t *testing.T) {
	for _, k := range []listing.Type{listing.TypeService, listing.TypePhysical, listing.TypeDigital} {
		if d, err := DeliveryFor(k); err != nil || d.Kind != k {
			t.Errorf("%s: %+v %v", k, d, err)
		}
	}
	if _, err := DeliveryFor(listing.TypeDataProduct); !errors.Is(err, ErrNotYet) || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "later version") {
		t.Errorf("a data product: %v, want ErrNotYet saying a later version delivers it", err)
	}
	if _, err := DeliveryFor("spaceship"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an unknown type: %v", err)
	}
}

// TestShippingAddress: only the buyer gives it, on a physical good,
// until it is delivered; it is plain text within bounds.
func TestShippingAddress(t *testing.T) {
	d := physicalDeal(t, RoleSeller)
	for name, tc := range map[string]struct {
		by, address string
		want        error
	}{
		"the seller":       {seller, "1 Main St", ErrForbidden},
		"empty":            {buyer, "  \n ", ErrInvalid},
		"too long":         {buyer, strings.Repeat("a", MaxAddress+1), ErrInvalid},
		"control":          {buyer, "1 Main St\x1b[31m", ErrInvalid},
		"not UTF-8":        {buyer, "1 Main St \xff", ErrInvalid},
		"good, with lines": {buyer, "Ana B.\r\n1 Main St\nSpringfield", nil},
	} {
		if _, err := d.SetShippingAddress(tc.by, tc.address, "https://buyer.example/s/1", t0); !errors.Is(err, tc.want) && !(err == nil && tc.want == nil) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if d.Delivery.ShippingAddress != "Ana B.\n1 Main St\nSpringfield" {
		t.Errorf("kept %q", d.Delivery.ShippingAddress)
	}
	if changed, _ := d.SetShippingAddress(buyer, "Ana B.\n1 Main St\nSpringfield", "https://buyer.example/s/2", t0); changed {
		t.Error("the same address again changed the copy")
	}
	d.State = "delivered"
	if _, err := d.SetShippingAddress(buyer, "elsewhere", "https://buyer.example/s/3", t0); !errors.Is(err, ErrInvalidState) {
		t.Errorf("once delivered: %v", err)
	}
	svc := offered(t)
	svc.Delivery, _ = DeliveryFor(listing.TypeService)
	if _, err := svc.SetShippingAddress(buyer, "1 Main St", "https://buyer.example/s/4", t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("a service: %v", err)
	}
}

// TestNotesLeaveRoomForTheAgent: however many notes a party's messages
// make, the agent's events still find room in the history.
func TestNotesLeaveRoomForTheAgent(t *testing.T) {
	d := physicalDeal(t, RoleSeller)
	for i := range 500 {
		d.Note("ship-to", buyer, "https://buyer.example/s/"+strings.Repeat("x", i%3), t0)
	}
	if len(d.History) > maxEntries-MaxEvents {
		t.Fatalf("notes took %d of %d entries", len(d.History), maxEntries)
	}
	if err := d.Answer("accept", seller, "https://seller.example/a/1", t0); err != nil {
		t.Fatal(err)
	}
	u := &Update{Agreement: d.ID, Agent: agent, Buyer: d.Buyer, Seller: d.Seller, Amount: d.Amount, Currency: d.Currency, Deal: 1}
	for i, a := range []string{"create", "fund", "deliver", "confirm", "complete"} {
		to := []string{"created", "funded", "delivered", "confirmed", "completed"}[i]
		from := ""
		if i > 0 {
			from = u.Events[i-1].To
		}
		u.Events = append(u.Events, Event{Seq: i + 1, Action: a, From: from, To: to, By: buyer, At: t0})
	}
	if _, err := d.Mirror(u); err != nil || d.State != "completed" || d.LastSeq() != 5 {
		t.Fatalf("mirror after many notes: %v, state %s, last %d", err, d.State, d.LastSeq())
	}
}

// TestNotice: the buyer's copy takes the seller's notice once, only from
// the seller, only of its kind, only once funded.
func TestNotice(t *testing.T) {
	d := offered(t)
	d.Role = RoleBuyer
	d.Delivery, _ = DeliveryFor(listing.TypeDigital)
	n := &Notice{ID: "https://seller.example/n/1", By: seller, Agreement: d.ID, Kind: "digital", URL: "https://seller.example/deliveries/abc",
		Expires: t0.Add(time.Hour), Name: "guide.pdf", MediaType: "application/pdf", Size: 10, SHA256: strings.Repeat("ab", 32)}
	dec, err := DecodeNotice(n.Object())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.TakeNotice(dec, t0); !errors.Is(err, ErrInvalidState) {
		t.Errorf("before funding: %v", err)
	}
	d.State = "funded"
	forged := *dec
	forged.By = "https://mallory.example/u"
	if _, err := d.TakeNotice(&forged, t0); !errors.Is(err, ErrForbidden) {
		t.Errorf("from a stranger: %v", err)
	}
	if changed, err := d.TakeNotice(dec, t0); !changed || err != nil || d.Delivery.Link != n.URL || d.Delivery.File.SHA256 != n.SHA256 {
		t.Fatalf("the notice: %v %v %+v", changed, err, d.Delivery)
	}
	if changed, _ := d.TakeNotice(dec, t0); changed {
		t.Error("the same notice twice changed the copy")
	}
	phys := *dec
	phys.Kind, phys.ID, phys.Tracking = "physical", "https://seller.example/n/2", "DHL 1"
	if _, err := d.TakeNotice(&phys, t0); !errors.Is(err, ErrInvalid) {
		t.Errorf("a physical notice for a digital good: %v", err)
	}
	for name, mut := range map[string]func(*Notice){
		"too large":     func(n *Notice) { n.Size = MaxFileSize + 1 },
		"a path":        func(n *Notice) { n.Name = "../../etc/passwd" },
		"no digest":     func(n *Notice) { n.SHA256 = "" },
		"a bad type":    func(n *Notice) { n.MediaType = "text/html; x" },
		"not a URL":     func(n *Notice) { n.URL = "file:///etc/passwd" },
		"unknown kind":  func(n *Notice) { n.Kind = "data_product" },
		"no expiry":     func(n *Notice) { n.Expires = time.Time{} },
		"tracking long": func(n *Notice) { n.Kind, n.Tracking = "physical", strings.Repeat("x", MaxTracking+1) },
	} {
		bad := *n
		mut(&bad)
		if _, err := DecodeNotice(bad.Object()); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// FuzzDecodeDelivery feeds outside bytes to the delivery decoders: none
// may panic, and what decodes keeps its bounds.
func FuzzDecodeDelivery(f *testing.F) {
	f.Add([]byte(`{"type":"ShippingAddress","id":"https://b.example/s","attributedTo":"https://b.example/u","agreement":"https://b.example/d","shippingAddress":"1 Main St"}`))
	f.Add([]byte(`{"type":"DeliveryNotice","id":"https://s.example/n","attributedTo":"https://s.example/u","agreement":"https://b.example/d","deliveryKind":"digital","url":"https://s.example/deliveries/x","endTime":"2026-01-01T00:00:00Z","name":"a.pdf","mediaType":"application/pdf","size":3,"digestSha256":"` + strings.Repeat("0", 64) + `"}`))
	f.Add([]byte(`{"type":"DeliveryNotice","deliveryKind":"physical","tracking":"DHL"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := DecodeShipping(json.RawMessage(b)); err == nil && (utf8.RuneCountInString(s.Address) > MaxAddress || s.Address == "") {
			t.Fatalf("address out of bounds: %q", s.Address)
		}
		if n, err := DecodeNotice(json.RawMessage(b)); err == nil && (n.Size > MaxFileSize || utf8.RuneCountInString(n.Tracking) > MaxTracking || len(n.Name) > 4*MaxFileName) {
			t.Fatalf("notice out of bounds: %+v", n)
		}
	})
}
