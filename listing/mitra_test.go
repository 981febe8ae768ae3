package listing

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The rules below are those Mitra's Proposal parser applies to a remote
// Proposal before it takes it as a payment option, restated from reading
// its source (mitra_activitypub/src/handlers/proposal.rs and
// apx_core/src/caip19.rs): Mitra takes Monero subscriptions priced per
// second, and checks every quantity's unit and number.

// mitraQuantity is a quantity as Mitra reads it: both members are
// required strings.
type mitraQuantity struct {
	HasUnit           *string `json:"hasUnit"`
	HasNumericalValue *string `json:"hasNumericalValue"`
}

// mitraIntent is an Intent as Mitra reads it: action, resourceConformsTo
// and resourceQuantity are required, minimumQuantity is optional.
type mitraIntent struct {
	Action             *string        `json:"action"`
	ResourceConformsTo *string        `json:"resourceConformsTo"`
	ResourceQuantity   *mitraQuantity `json:"resourceQuantity"`
	MinimumQuantity    *mitraQuantity `json:"minimumQuantity"`
}

type mitraProposal struct {
	ID         *string      `json:"id"`
	Purpose    *string      `json:"purpose"`
	Publishes  *mitraIntent `json:"publishes"`
	Reciprocal *mitraIntent `json:"reciprocal"`
	UnitBased  *bool        `json:"unitBased"`
}

// mitraShape checks what Mitra requires of any Proposal before it looks
// at what it offers: the members it reads are there with the right JSON
// types, and each quantity has a unit and a number that is a whole number
// (its amounts are integers of atomic units, its durations whole seconds).
func mitraShape(b []byte) (*mitraProposal, error) {
	var p mitraProposal
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	if p.ID == nil || p.Purpose == nil || p.Publishes == nil || p.Reciprocal == nil || p.UnitBased == nil {
		return nil, errors.New("missing id, purpose, publishes, reciprocal or unitBased")
	}
	for name, in := range map[string]*mitraIntent{"publishes": p.Publishes, "reciprocal": p.Reciprocal} {
		if in.Action == nil || in.ResourceConformsTo == nil || in.ResourceQuantity == nil {
			return nil, fmt.Errorf("%s: missing action, resourceConformsTo or resourceQuantity", name)
		}
		for _, q := range []*mitraQuantity{in.ResourceQuantity, in.MinimumQuantity} {
			if q != nil && (q.HasUnit == nil || q.HasNumericalValue == nil) {
				return nil, fmt.Errorf("%s: a quantity without hasUnit or hasNumericalValue", name)
			}
		}
	}
	if u := *p.Reciprocal.ResourceQuantity.HasUnit; u != "one" {
		return nil, fmt.Errorf("reciprocal: unexpected unit %q", u)
	}
	return &p, nil
}

var mitraMoneroRE = regexp.MustCompile(`^caip:19:monero:[0-9a-f]{32}/slip44:128$`)

// mitraSubscription applies the whole of Mitra's rules and returns the
// price in piconero per second, as Mitra would store it.
func mitraSubscription(b []byte) (uint64, error) {
	p, err := mitraShape(b)
	if err != nil {
		return 0, err
	}
	pub, rec := p.Publishes, p.Reciprocal
	switch {
	case *p.Purpose != "offer":
		return 0, errors.New("proposal is not an offer")
	case *pub.Action != "deliverService":
		return 0, errors.New("publishes: unexpected action")
	case *pub.ResourceConformsTo != "https://www.wikidata.org/wiki/Q579716":
		return 0, errors.New("publishes: unexpected resource type")
	case *pub.ResourceQuantity.HasUnit != "second" || *pub.ResourceQuantity.HasNumericalValue != "1":
		return 0, errors.New("publishes: unexpected time unit")
	case !*p.UnitBased:
		return 0, errors.New("proposal is not unit based")
	case *rec.Action != "transfer":
		return 0, errors.New("reciprocal: unexpected action")
	case !mitraMoneroRE.MatchString(*rec.ResourceConformsTo) || !strings.HasPrefix(*rec.ResourceConformsTo, "caip:19:monero:418015bb9ae982a1975da7d79277c270/"):
		return 0, errors.New("reciprocal: unexpected asset type (Mitra takes Monero on its main network)")
	}
	price, err := strconv.ParseUint(*rec.ResourceQuantity.HasNumericalValue, 10, 64)
	if err != nil || price == 0 {
		return 0, fmt.Errorf("reciprocal: invalid quantity %q", *rec.ResourceQuantity.HasNumericalValue)
	}
	if m := rec.MinimumQuantity; m != nil {
		if _, err := strconv.ParseUint(*m.HasNumericalValue, 10, 64); err != nil || *m.HasUnit != "one" {
			return 0, errors.New("reciprocal: invalid minimum quantity")
		}
	}
	return price, nil
}

// TestMitraFixtures decodes Proposals shaped as Mitra's serializer shapes
// them (testdata/foreign/mitra-*.json) into the right price, unit and price
// type, and checks that our encoding of each decodes to the same listing
// and keeps to Mitra's parser rules: a Monero subscription comes back as a
// payment option Mitra takes, at the same piconero per second.
func TestMitraFixtures(t *testing.T) {
	const xmr = "monero:418015bb9ae982a1975da7d79277c270/slip44:128"
	cases := []struct {
		file     string
		typ      Type
		price    Price
		unit     string // the unit of time of the rate, "" when not a rate
		resource string
		mitra    uint64 // what Mitra reads from our encoding, 0 when it takes no payment option from it
	}{
		{"mitra-subscription.json", TypeService, Price{Amount: "0.000000035", Currency: xmr, Type: PricePerSecond, Model: PricingSubscription}, "second", "https://www.wikidata.org/wiki/Q579716", 35000},
		{"mitra-style-subscription.json", TypeService, Price{Amount: "0.00000002", Currency: xmr, Type: PricePerSecond, Model: PricingSubscription}, "second", "https://www.wikidata.org/wiki/Q579716", 20000},
		{"mitra-hourly-service.json", TypeService, Price{Amount: "0.15", Currency: xmr, Type: PriceHourly, Model: PricingOneTime}, "hour", "https://www.wikidata.org/wiki/Q7406919", 0},
		{"mitra-fixed-item.json", TypePhysical, Price{Amount: "0.05", Currency: "eip155:1/slip44:60", Type: PriceFixed, Model: PricingOneTime}, "", "https://www.wikidata.org/wiki/Q11442", 0},
		{"mitra-token-price.json", TypePhysical, Price{Amount: "25000000000000000000", Currency: "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f", Type: PriceFixed, Model: PricingOneTime}, "", "https://www.wikidata.org/wiki/Q11442", 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/foreign/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mitraShape(b); err != nil {
				t.Fatalf("the fixture itself breaks Mitra's rules: %v", err)
			}
			l, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if l.Type != c.typ || l.Price != c.price || l.Price.Type.TimeUnit() != c.unit || l.Resource != c.resource {
				t.Errorf("decoded %s %+v (unit %q) resource %q\nwant %s %+v (unit %q) resource %q", l.Type, l.Price, l.Price.Type.TimeUnit(), l.Resource, c.typ, c.price, c.unit, c.resource)
			}
			if !l.Created.IsZero() {
				t.Errorf("Created = %v: Mitra sends no published, Decode must not invent one", l.Created)
			}
			if err := Validate(withCreated(l)); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			enc, err := Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Decode(enc)
			if err != nil || !reflect.DeepEqual(again, l) {
				t.Errorf("Decode(Encode(l)) = %s, %v\nwant %s", dump(again), err, dump(l))
			}
			p, err := mitraShape(enc)
			if err != nil {
				t.Fatalf("our encoding breaks Mitra's rules: %v\n%s", err, enc)
			}
			if c.unit != "" && (*p.Publishes.ResourceQuantity.HasUnit != c.unit || *p.Publishes.ResourceQuantity.HasNumericalValue != "1" || !*p.UnitBased) {
				t.Errorf("our encoding of a rate: publishes.resourceQuantity %s %s, unitBased %v; want 1 %s and unitBased", *p.Publishes.ResourceQuantity.HasNumericalValue, *p.Publishes.ResourceQuantity.HasUnit, *p.UnitBased, c.unit)
			}
			var fixture, ours mitraProposal
			json.Unmarshal(b, &fixture)
			json.Unmarshal(enc, &ours)
			if w, g := *fixture.Reciprocal.ResourceQuantity.HasNumericalValue, *ours.Reciprocal.ResourceQuantity.HasNumericalValue; w != g {
				t.Errorf("our reciprocal amount = %q, Mitra wrote %q", g, w)
			}
			got, err := mitraSubscription(enc)
			if c.mitra != 0 && (err != nil || got != c.mitra) {
				t.Errorf("Mitra reads our encoding as %d piconero per second, %v; want %d", got, err, c.mitra)
			}
			if c.mitra == 0 && err == nil {
				t.Errorf("Mitra would take %s as a subscription", c.file)
			}
		})
	}
}

// TestMitraRefusesTheOldForm keeps the checker honest: an hour on the
// reciprocal, as our encoder once wrote, and a decimal amount of Monero
// are what Mitra's parser refuses.
func TestMitraRefusesTheOldForm(t *testing.T) {
	b, err := os.ReadFile("testdata/foreign/mitra-subscription.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mitraSubscription(b); err != nil {
		t.Fatalf("the fixture: %v", err)
	}
	rq := func(unit, value string) string {
		return `{"type":"Intent","action":"transfer","resourceConformsTo":"caip:19:monero:418015bb9ae982a1975da7d79277c270/slip44:128","resourceQuantity":{"hasUnit":"` + unit + `","hasNumericalValue":"` + value + `"}}`
	}
	for _, rec := range []string{rq("hour", "35000"), rq("one", "0.000000035"), rq("one", "35000.0")} {
		if _, err := mitraSubscription(withMember(t, b, "reciprocal", rec)); err == nil {
			t.Errorf("reciprocal %s passes", rec)
		}
	}
}
