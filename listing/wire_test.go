package listing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// base returns a valid listing that the wire tests vary.
func base() *Listing {
	return &Listing{
		ID:            "https://hub.example/listings/9f1c",
		Owner:         "https://hub.example/users/ana",
		Type:          TypePhysical,
		Title:         "Used road bike",
		Description:   "Blue steel frame, 56 cm.\nNew tyres.\n\nPick-up in Oakland.",
		Price:         Price{Amount: "350", Currency: "USD", Type: PriceFixed, Model: PricingOneTime},
		Status:        StatusActive,
		Tags:          []string{"bike", "cycling"},
		LocationPref:  LocationLocal,
		Visibility:    VisibilityPublic,
		Region:        "US-CA",
		Location:      &GeoPoint{Lat: 37.8044, Lon: -122.2712},
		FederatedAPID: "https://hub.example/listings/9f1c",
		Created:       time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		Updated:       time.Date(2026, 3, 2, 10, 0, 0, 123456789, time.UTC),
	}
}

// variants returns listings that together use every type, price type,
// pricing model, visibility and optional member.
func variants() map[string]*Listing {
	out := map[string]*Listing{"base": base()}
	add := func(name string, change func(l *Listing)) {
		l := base()
		change(l)
		out[name] = l
	}
	add("service hourly subscription", func(l *Listing) {
		l.Type = TypeService
		l.Price = Price{Amount: "45.50", Currency: "EUR", Type: PriceHourly, Model: PricingSubscription}
		l.Language = "de"
		l.Tags = nil
		l.Location = nil
		l.Region = "DE"
		l.Updated = time.Time{}
	})
	add("service per second monero subscription", func(l *Listing) {
		l.Type = TypeService
		l.Title = "Subscription to my posts"
		l.Price = Price{Amount: "0.00000002", Currency: "monero:418015bb9ae982a1975da7d79277c270/slip44:128", Type: PricePerSecond, Model: PricingSubscription}
		l.Resource = "https://www.wikidata.org/wiki/Q579716"
		l.Tags = nil
		l.Location = nil
		l.Region = ""
		l.LocationPref = LocationGlobal
	})
	add("digital negotiable followers", func(l *Listing) {
		l.Type = TypeDigital
		l.Price = Price{Amount: "1200", Currency: "JPY", Type: PriceNegotiable, Model: PricingOneTime}
		l.Visibility = VisibilityFollowers
		l.LocationPref = LocationGlobal
		l.Language = "ja"
		l.Title = "ステッカーセット"
		l.Description = "<b>not bold</b> & \"quoted\""
	})
	add("data product pay per query private", func(l *Listing) {
		l.ID = "7c0e2b5e-hub-local-id"
		l.Type = TypeDataProduct
		l.Price = Price{Amount: "0.002", Currency: "eip155:1/slip44:60", Type: PriceFixed, Model: PricingPayPerQuery}
		l.Visibility = VisibilityPrivate
		l.Status = StatusDraft
		l.DataProductID = "dp-42"
		l.DataProduct = &DataProduct{Format: "csv", Schema: `{"type":"object","properties":{"age":{"type":"integer"}}}`, SampleRows: 3, Sample: "age\n31\n44\n27\n"}
		l.Location = nil
		l.Region = ""
	})
	add("data product empty details", func(l *Listing) {
		l.Type = TypeDataProduct
		l.DataProduct = &DataProduct{}
	})
	add("free without amount", func(l *Listing) {
		l.Price = Price{Type: PriceFree, Model: PricingOneTime}
		l.Description = ""
		l.Status = StatusSold
	})
	add("free with zero and currency", func(l *Listing) {
		l.Price = Price{Amount: "0", Currency: "GBP", Type: PriceFree, Model: PricingOneTime}
		l.Status = StatusPaused
	})
	add("time credit without currency", func(l *Listing) {
		l.Type = TypeService
		l.Price = Price{Amount: "2", Type: PriceTimeCredit, Model: PricingOneTime}
		l.LocationPref = LocationRegional
	})
	add("time credit with currency", func(l *Listing) {
		l.Type = TypeService
		l.Price = Price{Amount: "1.5", Currency: CurrencyTimeCredit, Type: PriceTimeCredit, Model: PricingSubscription}
		l.Status = StatusExpired
	})
	add("location at zero and three-decimal currency", func(l *Listing) {
		l.Location = &GeoPoint{Lat: 0, Lon: 0}
		l.Price = Price{Amount: "12.125", Currency: "KWD", Type: PriceFixed, Model: PricingOneTime}
		l.Language = "pt-BR"
		l.Tags = []string{"x"}
	})
	add("with escrow agents", func(l *Listing) {
		l.Escrows = []Escrow{{Kind: EscrowLedger, Agent: "https://coop.example/users/escrow"}, {Kind: EscrowLedger, Agent: "https://timebank.example/agent"}}
	})
	add("with a web page", func(l *Listing) {
		l.URL = "https://hub.example/listings/9f1c?view=page&x=<y>"
		l.Title = "Bike & <helmet>"
	})
	add("owner with trailing slash and odd text", func(l *Listing) {
		l.Owner = "https://hub.example/users/ana/"
		l.Visibility = VisibilityFollowers
		l.Description = "  leading spaces\r\nCRLF line\n\n\n\nmany blank lines\n"
		l.Title = "Title with <tags> & ampersands"
	})
	return out
}

func TestRoundTrip(t *testing.T) {
	for name, l := range variants() {
		t.Run(name, func(t *testing.T) {
			if err := Validate(l); err != nil {
				t.Fatalf("test listing is invalid: %v", err)
			}
			b, err := Encode(l)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			again, err := Encode(l)
			if err != nil || !bytes.Equal(b, again) {
				t.Fatalf("Encode is not deterministic:\n%s\n%s", b, again)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, b)
			}
			if !reflect.DeepEqual(got, l) {
				t.Errorf("Decode(Encode(l)) differs\n got: %s\nwant: %s\nwire: %s", dump(got), dump(l), b)
			}
		})
	}
}

func dump(l *Listing) string {
	b, _ := json.Marshal(l)
	return string(b)
}

// TestEncodeWire checks the members other implementations read, beyond
// what the round trip proves.
func TestEncodeWire(t *testing.T) {
	for name, l := range variants() {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			var o map[string]any
			if err := json.Unmarshal(b, &o); err != nil {
				t.Fatal(err)
			}
			ctx := o["@context"].([]any)
			if len(ctx) != 3 || ctx[0] != ActivityStreams || ctx[2] != ContextIRI {
				t.Errorf("@context = %v", ctx)
			}
			if !reflect.DeepEqual(o["type"], []any{"Note", "Proposal"}) {
				t.Errorf("type = %v", o["type"])
			}
			if o["id"] != l.FederatedAPID || o["attributedTo"] != l.Owner || o["purpose"] != "offer" {
				t.Errorf("id/attributedTo/purpose = %v %v %v", o["id"], o["attributedTo"], o["purpose"])
			}
			if o["name"] != l.Title || o["summary"] == "" || !strings.HasPrefix(o["summary"].(string), l.Title) {
				t.Errorf("name = %v, summary = %v", o["name"], o["summary"])
			}
			content := o["content"].(string)
			if !strings.Contains(content, "<p>Price: ") {
				t.Errorf("content has no price line: %s", content)
			}
			if strings.Contains(l.Description, "<b>") && strings.Contains(content, "<b>") {
				t.Errorf("content does not escape the description's HTML: %s", content)
			}
			pub := o["publishes"].(map[string]any)
			wantAction := "transfer"
			if l.Type == TypeService {
				wantAction = "deliverService"
			}
			if pub["action"] != wantAction || pub["id"] != l.FederatedAPID+"#primary" {
				t.Errorf("publishes = %v", pub)
			}
			wantUnit := "one"
			if u := l.Price.Type.TimeUnit(); u != "" {
				wantUnit = u // the unit of time of a rate is on the primary Intent, as Mitra puts it
			}
			if !reflect.DeepEqual(pub["resourceQuantity"], map[string]any{"hasUnit": wantUnit, "hasNumericalValue": "1"}) {
				t.Errorf("publishes.resourceQuantity = %v", pub["resourceQuantity"])
			}
			if o["unitBased"] != (wantUnit != "one") {
				t.Errorf("unitBased = %v for price type %s", o["unitBased"], l.Price.Type)
			}
			rec, _ := o["reciprocal"].(map[string]any)
			if (rec == nil) != (l.Price.Amount == "") {
				t.Fatalf("reciprocal = %v for amount %q", rec, l.Price.Amount)
			}
			if rec != nil {
				q := rec["resourceQuantity"].(map[string]any)
				wantValue := l.Price.Amount
				if d, ok := atomicDecimals(l.Price.Currency); ok {
					wantValue = FormatMinor(mustMinor(t, l.Price)*pow10(d-Decimals(l.Price.Currency)), "JPY")
				}
				if q["hasNumericalValue"] != wantValue || q["hasUnit"] != "one" {
					t.Errorf("reciprocal.resourceQuantity = %v, want one and %q", q, wantValue)
				}
				if rec["id"] != l.FederatedAPID+"#reciprocal" {
					t.Errorf("reciprocal.id = %v", rec["id"])
				}
				if c := l.Price.Currency; c != "" && rec["resourceConformsTo"] != CurrencyIRI(c) {
					t.Errorf("reciprocal.resourceConformsTo = %v", rec["resourceConformsTo"])
				}
			}
			if _, err := time.Parse(time.RFC3339, o["published"].(string)); err != nil || !strings.HasSuffix(o["published"].(string), "Z") {
				t.Errorf("published = %v", o["published"])
			}
			to, _ := o["to"].([]any)
			switch l.Visibility {
			case VisibilityPublic:
				if len(to) != 1 || to[0] != Public {
					t.Errorf("public listing addressed to %v", to)
				}
			case VisibilityFollowers:
				if len(to) != 1 || to[0] != "https://hub.example/users/ana/followers" {
					t.Errorf("followers listing addressed to %v", to)
				}
			case VisibilityPrivate:
				if to != nil || o["cc"] != nil || o["visibility"] != "private" {
					t.Errorf("private listing addressed to %v cc %v, visibility %v", to, o["cc"], o["visibility"])
				}
			}
			for i, tag := range l.Tags {
				h := o["tag"].([]any)[i].(map[string]any)
				if h["type"] != "Hashtag" || h["name"] != "#"+tag {
					t.Errorf("tag[%d] = %v", i, h)
				}
			}
			if l.Location != nil {
				p := o["location"].(map[string]any)
				if p["type"] != "Place" || p["latitude"] != l.Location.Lat || p["longitude"] != l.Location.Lon {
					t.Errorf("location = %v", p)
				}
			}
			if (o["listingId"] != nil) != (l.ID != l.FederatedAPID) {
				t.Errorf("listingId = %v for id %q", o["listingId"], l.ID)
			}
		})
	}
}

// TestContextDefinesEveryTerm checks that every member name Encode writes
// is an ActivityStreams term, an FEP-0837 term from the inline context, or
// defined by Context.
func TestContextDefinesEveryTerm(t *testing.T) {
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(Context, &doc); err != nil {
		t.Fatalf("context.jsonld: %v", err)
	}
	defined := map[string]bool{}
	for k, v := range doc.Context {
		defined[k] = true
		var scoped struct {
			Context map[string]json.RawMessage `json:"@context"`
		}
		if json.Unmarshal(v, &scoped) == nil {
			for k := range scoped.Context {
				defined[k] = true
			}
		}
	}
	var fep map[string]string
	if err := json.Unmarshal(proposalContext, &fep); err != nil {
		t.Fatal(err)
	}
	for k := range fep {
		defined[k] = true
	}
	for _, k := range []string{"@context", "id", "type", "attributedTo", "to", "cc", "name", "summary", "content", "contentMap", "source", "mediaType", "published", "updated", "url", "tag", "location", "latitude", "longitude"} {
		defined[k] = true // ActivityStreams 2.0
	}
	for name, l := range variants() {
		b, err := Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		var o any
		json.Unmarshal(b, &o)
		var walk func(v any, path string)
		walk = func(v any, path string) {
			switch v := v.(type) {
			case map[string]any:
				for k, child := range v {
					if path == ".contentMap" {
						continue // keys are language tags
					}
					if !defined[k] {
						t.Errorf("%s: member %s%s is not defined by any context", name, path, "."+k)
					}
					if k != "@context" {
						walk(child, path+"."+k)
					}
				}
			case []any:
				for _, child := range v {
					walk(child, path)
				}
			}
		}
		walk(o, "")
	}
}

func TestEncodeRefuses(t *testing.T) {
	l := base()
	l.FederatedAPID = ""
	if _, err := Encode(l); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "federated_ap_id") {
		t.Errorf("Encode without FederatedAPID: %v", err)
	}
	l = base()
	l.Price.Currency = "dollars"
	if _, err := Encode(l); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "price.currency") {
		t.Errorf("Encode of an invalid listing: %v", err)
	}
}

func TestDecodeAcceptsTypes(t *testing.T) {
	b, err := Encode(base())
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{`"Proposal"`, `["Proposal","Note"]`, `["Note","Proposal"]`, `"Note"`, `["Note"]`, `"vf:Proposal"`} {
		t.Run(typ, func(t *testing.T) {
			got, err := Decode(withMember(t, b, "type", typ))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, base()) {
				t.Errorf("got %s", dump(got))
			}
		})
	}
}

func TestDecodeNotListing(t *testing.T) {
	for name, obj := range map[string]string{
		"create":            `{"type":"Create","id":"https://a.example/1","actor":"https://a.example/u"}`,
		"plain note":        `{"type":"Note","id":"https://a.example/1","attributedTo":"https://a.example/u","content":"hi"}`,
		"no type":           `{"id":"https://a.example/1","publishes":{}}`,
		"agreement":         `{"type":"Agreement","id":"https://a.example/1"}`,
		"request proposal":  `{"type":"Proposal","purpose":"request","id":"https://a.example/1","attributedTo":"https://a.example/u","publishes":{"type":"Intent","action":"transfer","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}}`,
		"bonfire namespace": `{"type":"ValueFlows:Proposal","id":"https://a.example/1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(obj))
			if !errors.Is(err, ErrNotListing) {
				t.Errorf("Decode = %v, want ErrNotListing", err)
			}
			if errors.Is(err, ErrInvalid) {
				t.Errorf("ErrNotListing must not also be ErrInvalid: %v", err)
			}
		})
	}
}

func TestDecodeInvalid(t *testing.T) {
	b, err := Encode(base())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		member, value, field string
	}{
		{"id", `42`, "id"},
		{"id", `"urn:uuid:1"`, "id"},
		{"attributedTo", `null`, "attributedTo"},
		{"attributedTo", `17`, "attributedTo"},
		{"name", `{"en":"x"}`, "name"},
		{"published", `"yesterday"`, "published"},
		{"updated", `"2026-13-01T00:00:00Z"`, "updated"},
		{"published", `"0000-01-01T00:30:00+01:00"`, "published"},
		{"published", `"9999-12-31T23:30:00-01:00"`, "published"},
		{"reciprocal", `{"type":"Intent","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"-3"}}`, "reciprocal.resourceQuantity.hasNumericalValue"},
		{"reciprocal", `{"type":"Intent","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"thirty"}}`, "reciprocal.resourceQuantity.hasNumericalValue"},
		{"reciprocal", `{"type":"Intent","resourceQuantity":{"hasUnit":"one"}}`, "reciprocal.resourceQuantity.hasNumericalValue"},
		{"reciprocal", `{"type":"Intent"}`, "reciprocal.resourceQuantity"},
		{"reciprocal", `"https://a.example/intent"`, "reciprocal"},
		{"publishes", `{"type":"Intent","action":5,"resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}`, "publishes.action"},
		{"location", `{"type":"Place","latitude":"north","longitude":3}`, "location.latitude"},
		{"dataProduct", `{"sampleRows":"many"}`, "dataProduct.sampleRows"},
		{"dataProduct", `{"sampleRows":2.5}`, "dataProduct.sampleRows"},
		{"dataProduct", `[1]`, "dataProduct[0]"},
		{"tag", `[{"type":"Hashtag","name":7}]`, "tag[0].name"},
		{"contentMap", `{"en":1}`, "contentMap"},
		{"priceType", `["fixed"]`, "priceType"},
	}
	for _, c := range cases {
		t.Run(c.member+"="+c.value, func(t *testing.T) {
			_, err := Decode(withMember(t, b, c.member, c.value))
			var v ValidationError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &v) {
				t.Fatalf("Decode = %v, want a ValidationError", err)
			}
			for _, fe := range v {
				if fe.Field == c.field {
					return
				}
			}
			t.Errorf("error %q does not name %s", err, c.field)
		})
	}
	if _, err := Decode([]byte(`[1,2]`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decode of an array = %v", err)
	}
	if _, err := Decode([]byte(`{"type":"Proposal","id":"https://a.example/1","attributedTo":"https://a.example/u"}`)); err == nil || !strings.Contains(err.Error(), "publishes") {
		t.Errorf("Proposal without publishes: %v", err)
	}
}

// withMember returns the JSON object b with one member replaced (or added).
func withMember(t *testing.T, b []byte, member, value string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m[member] = json.RawMessage(value)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(fmt.Errorf("%s=%s: %w", member, value, err))
	}
	return out
}

func TestCurrencyIRI(t *testing.T) {
	for _, c := range []struct{ currency, iri string }{
		{"USD", "urn:iso:std:iso:4217:USD"},
		{"HOUR", TimeCreditIRI},
		{"eip155:1/slip44:60", "caip:19:eip155:1/slip44:60"},
		{"", ""},
		{"dollars", ""},
	} {
		if got := CurrencyIRI(c.currency); got != c.iri {
			t.Errorf("CurrencyIRI(%q) = %q, want %q", c.currency, got, c.iri)
		}
		if c.iri != "" {
			if got := CurrencyOf(c.iri); got != c.currency {
				t.Errorf("CurrencyOf(%q) = %q, want %q", c.iri, got, c.currency)
			}
		}
	}
	for iri, want := range map[string]string{
		"https://www.wikidata.org/wiki/Q4917":                        "USD",
		"http://www.wikidata.org/entity/Q4916":                       "EUR",
		"https://wikidata.org/wiki/Q25224":                           "GBP",
		"https://www.wikidata.org/wiki/Q8146":                        "JPY",
		"https://www.wikidata.org/wiki/Q11442":                       "", // bicycle
		"urn:iso:std:iso:4217:chf":                                   "CHF",
		"urn:iso:std:iso:4217:":                                      "",
		"caip:19:monero:418015bb9ae982a1975da7d79277c270/slip44:128": "monero:418015bb9ae982a1975da7d79277c270/slip44:128",
		"caip:19:not an asset":                                       "",
		"https://example.com/":                                       "",
	} {
		if got := CurrencyOf(iri); got != want {
			t.Errorf("CurrencyOf(%q) = %q, want %q", iri, got, want)
		}
	}
}

// TestRoundTripEveryCombination encodes and decodes a listing for every
// type, price type, pricing model and visibility together.
func TestRoundTripEveryCombination(t *testing.T) {
	n := 0
	for _, typ := range Types {
		for _, pt := range PriceTypes {
			for _, model := range PricingModels {
				for _, vis := range Visibilities {
					l := base()
					l.Type, l.Visibility = typ, vis
					l.Price = Price{Amount: "19.99", Currency: "CHF", Type: pt, Model: model}
					switch pt {
					case PriceFree:
						l.Price.Amount, l.Price.Currency = "", ""
					case PriceTimeCredit:
						l.Price.Amount, l.Price.Currency = "3", ""
					}
					if typ == TypeDataProduct {
						l.DataProductID = "dp-7"
						l.DataProduct = &DataProduct{Format: "jsonl", SampleRows: 1, Sample: `{"a":1}` + "\n"}
					}
					b, err := Encode(l)
					if err != nil {
						t.Fatalf("%s/%s/%s/%s: Encode: %v", typ, pt, model, vis, err)
					}
					got, err := Decode(b)
					if err != nil || !reflect.DeepEqual(got, l) {
						t.Errorf("%s/%s/%s/%s: Decode = %s, %v\nwant %s", typ, pt, model, vis, dump(got), err, dump(l))
					}
					n++
				}
			}
		}
	}
	if n != len(Types)*len(PriceTypes)*len(PricingModels)*len(Visibilities) {
		t.Fatalf("checked %d combinations", n)
	}
}

// TestDecodeDerives checks what Decode derives from a Proposal written by
// another implementation, member by member.
func TestDecodeDerives(t *testing.T) {
	const minimal = `{"type":"Proposal","id":"https://o.example/p/1","attributedTo":"https://o.example/u/1","purpose":"offer",` +
		`"publishes":{"type":"Intent","action":"transfer","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}}`
	reciprocal := func(conformsTo, unit, value string) string {
		return `{"type":"Intent","action":"transfer","resourceConformsTo":"` + conformsTo + `","resourceQuantity":{"hasUnit":"` + unit + `","hasNumericalValue":` + value + `}}`
	}
	cases := []struct {
		name  string
		edits map[string]string
		check func(l *Listing) bool
	}{
		{"defaults", nil, func(l *Listing) bool {
			return l.Type == TypePhysical && l.Status == StatusActive && l.LocationPref == LocationGlobal &&
				l.Price == Price{Type: PriceFree, Model: PricingOneTime} && l.Visibility == VisibilityPrivate &&
				l.ID == "https://o.example/p/1" && l.FederatedAPID == l.ID && l.Owner == "https://o.example/u/1" && l.Created.IsZero()
		}},
		{"deliverService is a service", map[string]string{"publishes": `{"action":"deliverService","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}`},
			func(l *Listing) bool { return l.Type == TypeService }},
		{"wikidata yen", map[string]string{"reciprocal": reciprocal("https://www.wikidata.org/wiki/Q8146", "one", `"500"`)},
			func(l *Listing) bool {
				return l.Price == Price{Amount: "500", Currency: "JPY", Type: PriceFixed, Model: PricingOneTime}
			}},
		{"hour unit is hourly", map[string]string{"reciprocal": reciprocal("urn:iso:std:iso:4217:GBP", "hour", `"40"`)},
			func(l *Listing) bool { return l.Price.Type == PriceHourly && l.Price.Currency == "GBP" }},
		{"time credits", map[string]string{"reciprocal": reciprocal(TimeCreditIRI, "hour", `"2"`)},
			func(l *Listing) bool {
				return l.Price.Type == PriceTimeCredit && l.Price.Currency == CurrencyTimeCredit
			}},
		{"caip-19 asset in wei", map[string]string{"reciprocal": reciprocal("caip:19:eip155:1/slip44:60", "one", `"250000000000000000"`)},
			func(l *Listing) bool { return l.Price.Currency == "eip155:1/slip44:60" && l.Price.Amount == "0.25" }},
		{"caip-19 asset in piconero", map[string]string{"reciprocal": reciprocal("caip:19:monero:418015bb9ae982a1975da7d79277c270/slip44:128", "one", `"1500000000000"`)},
			func(l *Listing) bool { return l.Price.Amount == "1.5" && l.Price.Type == PriceFixed }},
		{"caip-19 asset in satoshi", map[string]string{"reciprocal": reciprocal("caip:19:bip122:000000000019d6689c085ae165831e93/slip44:0", "one", `"5"`)},
			func(l *Listing) bool { return l.Price.Amount == "0.00000005" }},
		{"caip-19 asset of unknown decimals", map[string]string{"name": `"DAI for sale"`, "reciprocal": reciprocal("caip:19:eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f", "one", `"25000000000000000000"`)},
			func(l *Listing) bool {
				return l.Price.Amount == "25000000000000000000" && l.Price.Currency == "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f" && Validate(withCreated(l)) == nil
			}},
		{"second on the primary Intent is per second", map[string]string{
			"publishes":  `{"action":"deliverService","resourceQuantity":{"hasUnit":"second","hasNumericalValue":"1"}}`,
			"unitBased":  `true`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"0.01"`)},
			func(l *Listing) bool {
				return l.Price == Price{Amount: "0.01", Currency: "EUR", Type: PricePerSecond, Model: PricingOneTime}
			}},
		{"OM 2 unit IRIs", map[string]string{
			"publishes":  `{"action":"transfer","resourceQuantity":{"hasUnit":"http://www.ontology-of-units-of-measure.org/resource/om-2/day","hasNumericalValue":"1"}}`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"30"`)},
			func(l *Listing) bool { return l.Price.Type == PriceDaily }},
		{"om2:minute-Time", map[string]string{
			"publishes":  `{"action":"transfer","resourceQuantity":{"hasUnit":"om2:minute-Time","hasNumericalValue":"1"}}`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"1"`)},
			func(l *Listing) bool { return l.Price.Type == PricePerMinute }},
		{"hour on the primary Intent is hourly", map[string]string{
			"publishes":  `{"action":"deliverService","resourceQuantity":{"hasUnit":"hour","hasNumericalValue":"1"}}`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"40"`)},
			func(l *Listing) bool { return l.Price.Type == PriceHourly && l.Price.Model == PricingOneTime }},
		{"a quantity of time that is not one unit is a fixed price", map[string]string{
			"publishes":  `{"action":"deliverService","resourceQuantity":{"hasUnit":"hour","hasNumericalValue":"3"}}`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"100"`)},
			func(l *Listing) bool { return l.Price.Type == PriceFixed }},
		{"a rate of user-generated content is a subscription", map[string]string{
			"publishes":  `{"action":"deliverService","resourceConformsTo":"https://www.wikidata.org/wiki/Q579716","resourceQuantity":{"hasUnit":"second","hasNumericalValue":"1"}}`,
			"reciprocal": reciprocal("urn:iso:std:iso:4217:EUR", "one", `"0.01"`)},
			func(l *Listing) bool {
				return l.Price.Model == PricingSubscription && l.Resource == "https://www.wikidata.org/wiki/Q579716"
			}},
		{"a resource that is not a URI is dropped", map[string]string{
			"publishes": `{"action":"transfer","resourceConformsTo":"bike","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}`},
			func(l *Listing) bool { return l.Resource == "" }},
		{"unknown money", map[string]string{"reciprocal": reciprocal("https://www.wikidata.org/wiki/Q11442", "one", `"1"`)},
			func(l *Listing) bool { return l.Price.Currency == "" && l.Price.Type == PriceFixed }},
		{"number amount", map[string]string{"reciprocal": reciprocal("urn:iso:std:iso:4217:USD", "one", `12.5`)},
			func(l *Listing) bool { return l.Price.Amount == "12.5" }},
		{"public in to", map[string]string{"to": `"https://www.w3.org/ns/activitystreams#Public"`},
			func(l *Listing) bool { return l.Visibility == VisibilityPublic }},
		{"public in cc", map[string]string{"to": `["https://o.example/u/1/followers"]`, "cc": `["as:Public"]`},
			func(l *Listing) bool { return l.Visibility == VisibilityPublic }},
		{"followers", map[string]string{"to": `[{"id":"https://o.example/u/1/followers"}]`},
			func(l *Listing) bool { return l.Visibility == VisibilityFollowers }},
		{"title from summary", map[string]string{"summary": `"Lamp"`, "content": `"<p>Old lamp</p>"`},
			func(l *Listing) bool { return l.Title == "Lamp" && l.Description == "Old lamp" }},
		{"title from content", map[string]string{"content": `"<p>Oak table, seats six &amp; folds.</p><p>Collect only.</p>"`},
			func(l *Listing) bool {
				return l.Title == "Oak table, seats six & folds." && l.Description == "Oak table, seats six & folds.\n\nCollect only."
			}},
		{"long content title is cut", map[string]string{"content": `"` + strings.Repeat("ünïcödé ", 40) + `"`},
			func(l *Listing) bool {
				return strings.HasSuffix(l.Title, "…") && len(l.Title) <= MaxTitle && len([]rune(l.Title)) <= titleCut
			}},
		{"description from plain source", map[string]string{"content": `"<p>x</p>"`, "name": `"X"`, "source": `{"content":"line one\n\nline two","mediaType":"text/plain"}`},
			func(l *Listing) bool { return l.Description == "line one\n\nline two" }},
		{"language from contentMap", map[string]string{"name": `"X"`, "contentMap": `{"pt-BR":"<p>olá</p>","es":"<p>hola</p>"}`},
			func(l *Listing) bool { return l.Language == "es" && l.Description == "hola" }},
		{"attributedTo array", map[string]string{"attributedTo": `[{"type":"Person","id":"https://o.example/u/2"},"https://o.example/u/3"]`},
			func(l *Listing) bool { return l.Owner == "https://o.example/u/2" }},
		{"our terms win", map[string]string{"priceType": `"negotiable"`, "status": `"paused"`, "currency": `"EUR"`, "reciprocal": reciprocal("urn:iso:std:iso:4217:USD", "one", `"5"`)},
			func(l *Listing) bool {
				return l.Price == Price{Amount: "5", Currency: "EUR", Type: PriceNegotiable, Model: PricingOneTime} && l.Status == StatusPaused
			}},
		{"times in UTC", map[string]string{"published": `"2025-01-01T10:00:00+09:00"`},
			func(l *Listing) bool { return l.Created == time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if l := decodeEdited(t, minimal, c.edits); !c.check(l) {
				t.Errorf("got %s", dump(l))
			}
		})
	}
}

// decodeEdited decodes the JSON object with some members replaced.
func decodeEdited(t *testing.T, object string, edits map[string]string) *Listing {
	t.Helper()
	b := []byte(object)
	for k, v := range edits {
		b = withMember(t, b, k, v)
	}
	l, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return l
}

// withCreated sets the time a relay gives a listing without "published".
func withCreated(l *Listing) *Listing {
	l.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return l
}

func mustMinor(t *testing.T, p Price) int64 {
	t.Helper()
	m, err := MinorUnits(p.Amount, p.Currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// TestDecodeNoteWithOurTerms accepts a Note that carries the marketplace's
// terms without any Proposal members.
func TestDecodeNoteWithOurTerms(t *testing.T) {
	b, err := Encode(base())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	json.Unmarshal(b, &m)
	delete(m, "publishes")
	delete(m, "purpose")
	m["type"] = json.RawMessage(`"Note"`)
	b, _ = json.Marshal(m)
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, base()) {
		t.Errorf("got %s", dump(got))
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>a</p><p>b</p>":                             "a\n\nb",
		"<p>a<br>b<br/>c</p>":                          "a\nb\nc",
		"x &lt;y&gt; &amp; &quot;z&quot;":              "x <y> & \"z\"",
		`<p>see <a href="https://x.example">x</a></p>`: "see x",
		"<P>A</P>\n\n\n<DIV>B</DIV>":                   "A\n\nB",
		"a < b":                                        "a < b",
		"1<2 and 3>2":                                  "1<2 and 3>2",
		"<p>unterminated <b":                           "unterminated <b",
		"  <p> spaced </p> ":                           "spaced",
	} {
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDecodeCleansRemoteText: display text from a remote object is cut to
// the limits, in characters at a character boundary, and loses control and
// bidirectional characters, so that what a relay stores is bounded and
// passes Validate; ids are never cut, they are refused.
func TestDecodeCleansRemoteText(t *testing.T) {
	const minimal = `{"type":"Proposal","id":"https://o.example/p/1","attributedTo":"https://o.example/u/1","purpose":"offer","published":"2026-01-01T00:00:00Z",` +
		`"publishes":{"type":"Intent","action":"transfer","resourceQuantity":{"hasUnit":"one","hasNumericalValue":"1"}}}`
	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var manyTags []string
	for i := range 100 {
		manyTags = append(manyTags, fmt.Sprintf(`{"type":"Hashtag","name":"#t%d"}`, i))
	}
	cases := []struct {
		name  string
		edits map[string]string
		check func(l *Listing) bool
	}{
		{"megabyte name", map[string]string{"name": str(strings.Repeat("ä", 1<<20))},
			func(l *Listing) bool {
				return utf8.RuneCountInString(l.Title) == MaxTitle && strings.HasSuffix(l.Title, "…") && utf8.ValidString(l.Title)
			}},
		{"controls and bidi in the name", map[string]string{"name": str("Bi\x00ke\x1b[2J \u202eexe.gnp\a")},
			func(l *Listing) bool { return l.Title == "Bike[2J exe.gnp" }},
		{"line breaks in the name", map[string]string{"name": str("Bike\r\nfor sale")},
			func(l *Listing) bool { return l.Title == "Bike  for sale" }},
		{"invisible name falls back to summary", map[string]string{"name": str("\u200b\u3164"), "summary": str("Lamp")},
			func(l *Listing) bool { return l.Title == "Lamp" }},
		{"megabyte content", map[string]string{"name": `"X"`, "content": str("<p>" + strings.Repeat("ö ", 1<<19) + "</p>")},
			func(l *Listing) bool {
				return utf8.RuneCountInString(l.Description) == MaxDescription && strings.HasSuffix(l.Description, "…")
			}},
		{"bidi in the description, line breaks kept", map[string]string{"name": `"X"`, "source": `{"mediaType":"text/plain","content":"one\n\u2066two\u2069\tthree\u0000"}`},
			func(l *Listing) bool { return l.Description == "one\ntwo\tthree" }},
		{"hundred tags", map[string]string{"name": `"X"`, "tag": "[" + strings.Join(manyTags, ",") + "]"},
			func(l *Listing) bool { return len(l.Tags) == MaxTags && l.Tags[0] == "t0" }},
		{"tags that break the rules are dropped", map[string]string{"name": `"X"`, "tag": `[{"type":"Hashtag","name":"#` + strings.Repeat("x", 1000) + `"},` +
			`{"type":"Hashtag","name":"#two words"},{"type":"Hashtag","name":"#a\u202eb"},{"type":"Hashtag","name":"#\u200b"},{"type":"Hashtag","name":"#ok"}]`},
			func(l *Listing) bool { return reflect.DeepEqual(l.Tags, []string{"ok"}) }},
		{"language that is not a tag", map[string]string{"name": `"X"`, "contentMap": `{"` + strings.Repeat("en-abc", 1000) + `":"<p>hi</p>"}`},
			func(l *Listing) bool { return l.Language == "" && l.Description == "hi" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := decodeEdited(t, minimal, c.edits)
			if !c.check(l) {
				t.Errorf("got %.600s", dump(l))
			}
			if err := Validate(l); err != nil {
				t.Errorf("Validate of the decoded listing: %.300v", err)
			}
		})
	}
	for _, c := range []struct{ member, value, field string }{
		{"id", str("https://o.example/" + strings.Repeat("p", MaxURL)), "id"},
		{"id", `"http://o.example@evil.example/p/1"`, "id"},
	} {
		b := withMember(t, []byte(minimal), c.member, c.value)
		if _, err := Decode(b); err == nil || !strings.Contains(err.Error(), c.field+":") {
			t.Errorf("Decode with %s %.80s: %v, want an error naming %s", c.member, c.value, err, c.field)
		}
	}
	l, err := Decode(withMember(t, []byte(minimal), "attributedTo", `"http://o.example@evil.example/u/1"`))
	if err != nil {
		t.Fatal(err)
	}
	l.Title = "X"
	if err := Validate(l); err == nil || !strings.Contains(err.Error(), "owner:") {
		t.Errorf("Validate of an owner with user info: %v", err)
	}
}

// TestDecodeWithoutPublished: a Proposal without "published" (Mitra's
// have none) decodes with a zero Created and Updated, the same on every
// decoding, so that a relay can keep the time it first saw it.
func TestDecodeWithoutPublished(t *testing.T) {
	b, err := os.ReadFile("testdata/foreign/mitra-subscription.json")
	if err != nil {
		t.Fatal(err)
	}
	first, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created.IsZero() || !first.Updated.IsZero() {
		t.Errorf("Created, Updated = %v, %v; want zero: the object has no published", first.Created, first.Updated)
	}
	again, err := Decode(b)
	if err != nil || !reflect.DeepEqual(first, again) {
		t.Errorf("a second decoding differs: %s", dump(again))
	}
}

// TestContentLinksThePage: with a web page, the post a plain Fediverse
// server shows opens with the title linked to it (escaped), then the
// description and the price; url carries the page. Decode reads url as a
// string or a Link, and skips values that are not http(s) URLs.
func TestContentLinksThePage(t *testing.T) {
	l := base()
	l.URL = "https://hub.example/listings/9f1c"
	l.Title = `Bike "fast" & <light>`
	b, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	var o struct{ Content, URL string }
	json.Unmarshal(b, &o)
	wantStart := `<p><a href="https://hub.example/listings/9f1c">Bike &#34;fast&#34; &amp; &lt;light&gt;</a></p><p>Blue steel frame`
	if !strings.HasPrefix(o.Content, wantStart) || !strings.Contains(o.Content, "<p>Price: 350 USD</p>") || o.URL != l.URL {
		t.Fatalf("content %q, url %q", o.Content, o.URL)
	}
	if noPage, _ := Encode(base()); bytes.Contains(noPage, []byte(`"url"`)) || bytes.Contains(noPage, []byte("<a ")) {
		t.Fatalf("a listing without a page got a link: %s", noPage)
	}
	for raw, want := range map[string]string{
		`"https://a.example/p"`:                          "https://a.example/p",
		`[{"type":"Link","href":"https://a.example/l"}]`: "https://a.example/l",
		`["javascript:alert(1)","https://a.example/2"]`:  "https://a.example/2",
		`"javascript:alert(1)"`:                          "",
		`42`:                                             "",
	} {
		obj := bytes.Replace(b, []byte(`"url":"https://hub.example/listings/9f1c"`), []byte(`"url":`+raw), 1)
		got, err := Decode(obj)
		if err != nil {
			t.Fatalf("url %s: %v", raw, err)
		}
		if got.URL != want {
			t.Errorf("url %s: decoded %q, want %q", raw, got.URL, want)
		}
	}
	l.URL = "ftp://hub.example/x"
	if err := Validate(l); err == nil || !strings.Contains(err.Error(), "url:") {
		t.Errorf("Validate of an ftp page: %v", err)
	}
}

func TestEscrowsBounded(t *testing.T) {
	for name, es := range map[string][]Escrow{
		"unknown kind":   {{Kind: "paypal", Agent: "https://coop.example/agent"}},
		"agent not http": {{Kind: EscrowLedger, Agent: "javascript:alert(1)"}},
		"agent missing":  {{Kind: EscrowLedger}},
		"too many":       slices.Repeat([]Escrow{{Kind: EscrowLedger, Agent: "https://coop.example/agent"}}, MaxEscrows+1),
	} {
		l := base()
		l.Escrows = es
		if err := Validate(l); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "escrows") {
			t.Errorf("%s: Validate = %v, want an escrows error", name, err)
		}
	}
	l := base()
	l.Price = Price{Amount: "0", Currency: "EUR", Type: PriceFree, Model: PricingOneTime}
	l.Escrows = []Escrow{{Kind: EscrowLedger, Agent: "https://coop.example/agent"}}
	if err := Validate(l); err == nil {
		t.Error("a free listing with an escrow passed")
	}
	// Decoding: an unknown escrow kind is skipped, a bad agent refused.
	l = base()
	b, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	withEscrows := func(v string) []byte {
		return bytes.Replace(b, []byte(`"status":`), []byte(`"acceptsEscrow":`+v+`,"status":`), 1)
	}
	got, err := Decode(withEscrows(`[{"type":"OtherEscrow","chainId":1},{"type":"LedgerEscrow","escrowAgent":"https://coop.example/agent"}]`))
	if err != nil || len(got.Escrows) != 1 || got.Escrows[0].Agent != "https://coop.example/agent" {
		t.Fatalf("Decode = %+v, %v", got, err)
	}
	if _, err := Decode(withEscrows(`{"type":"LedgerEscrow","escrowAgent":"file:///etc/passwd"}`)); err == nil {
		t.Error("a non-http escrow agent decoded")
	}
	many := "[" + strings.TrimSuffix(strings.Repeat(`{"type":"LedgerEscrow","escrowAgent":"https://a.example/x"},`, MaxEscrows+1), ",") + "]"
	if _, err := Decode(withEscrows(many)); err == nil {
		t.Error("more than MaxEscrows escrows decoded")
	}
}
