package listing

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// decoded is what a golden file records about one input object.
type decoded struct {
	Listing  *Listing `json:"listing,omitempty"`
	Error    string   `json:"error,omitempty"`
	Validate string   `json:"validate,omitempty"` // "ok", or Validate's error
}

// TestDecodeGolden decodes the FEP-0837 spec's own examples and objects
// shaped like other implementations' and compares the result with
// testdata/golden. Regenerate with go test ./listing -update.
func TestDecodeGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/fep-0837/*.json")
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := filepath.Glob("testdata/foreign/*.json")
	inputs = append(inputs, foreign...)
	if len(inputs) < 9 {
		t.Fatalf("found %d inputs, want the spec's 7 examples and the foreign objects", len(inputs))
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var got decoded
			l, err := Decode(b)
			switch {
			case err != nil:
				got.Error = err.Error()
			default:
				got.Listing = l
				got.Validate = "ok"
				if err := Validate(l); err != nil {
					got.Validate = err.Error()
				}
			}
			out, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata/golden", strings.TrimPrefix(in, "testdata/")), append(out, '\n'))
		})
	}
}

// TestSpecExamples states what the golden files hold for the spec's
// examples, so that a careless -update cannot hide a regression.
func TestSpecExamples(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/fep-0837/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	l, err := Decode(read("example-2-proposal.json"))
	if err != nil {
		t.Fatalf("example 2: %v", err)
	}
	if err := Validate(l); err != nil {
		t.Errorf("example 2 is not a valid listing: %v", err)
	}
	want := "https://market.example/proposals/ddde9d6f-6f3b-4770-a966-3a18ef006930"
	if l.ID != want || l.FederatedAPID != want || l.Owner != "https://market.example/users/alice" {
		t.Errorf("example 2 ids: %q %q %q", l.ID, l.FederatedAPID, l.Owner)
	}
	if l.Type != TypePhysical || l.Title != "Offering used bike" || l.Description != "Blue one-speed bike, 15 years old, some rust" {
		t.Errorf("example 2 type/title/description: %q %q %q", l.Type, l.Title, l.Description)
	}
	if l.Price != (Price{Amount: "30", Currency: "USD", Type: PriceFixed, Model: PricingOneTime}) {
		t.Errorf("example 2 price: %+v", l.Price)
	}
	if l.Location == nil || *l.Location != (GeoPoint{Lat: 25, Lon: -71}) {
		t.Errorf("example 2 location: %v", l.Location)
	}
	if l.Created.Format("2006-01-02T15:04:05.999999Z07:00") != "2023-06-18T19:22:03.918737Z" || l.Visibility != VisibilityPublic || l.Status != StatusActive {
		t.Errorf("example 2 created/visibility/status: %v %q %q", l.Created, l.Visibility, l.Status)
	}

	l, err = Decode(read("example-1-proposal.json"))
	if err != nil {
		t.Fatalf("example 1: %v", err)
	}
	if l.Type != TypePhysical || l.Price.Type != PriceFree || l.Price.Amount != "" || !l.Created.IsZero() || l.Title != "" {
		t.Errorf("example 1 (no reciprocal, no name, no published): %+v", l)
	}
	for _, name := range []string{"example-3-person.json", "example-4-offer.json", "example-5-accept.json", "example-6-reject.json", "example-7-create.json"} {
		if _, err := Decode(read(name)); !errors.Is(err, ErrNotListing) {
			t.Errorf("%s: Decode = %v, want ErrNotListing", name, err)
		}
	}
}

// TestEncodeGolden keeps the exact bytes of some encoded listings (shown
// indented) in testdata/golden/encoded, so that any change to the wire
// form is deliberate.
func TestEncodeGolden(t *testing.T) {
	for _, name := range []string{"base", "data product pay per query private", "time credit without currency", "digital negotiable followers", "service hourly subscription", "service per second monero subscription"} {
		t.Run(name, func(t *testing.T) {
			b, err := Encode(variants()[name])
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := json.Indent(&out, b, "", "  "); err != nil {
				t.Fatal(err)
			}
			out.WriteByte('\n')
			golden(t, filepath.Join("testdata/golden/encoded", strings.ReplaceAll(name, " ", "-")+".json"), out.Bytes())
		})
	}
}

// golden compares got with the file at path, or rewrites the file under
// -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./listing -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got: %s\nwant: %s", path, got, want)
	}
}
