package listing

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidateAcceptsVariants(t *testing.T) {
	for name, l := range variants() {
		if err := Validate(l); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(l *Listing)
		fields []string // every field the error must name, and no other
	}{
		{"no id", func(l *Listing) { l.ID = "" }, []string{"id"}},
		{"owner not a URL", func(l *Listing) { l.Owner = "ana@hub.example" }, []string{"owner"}},
		{"owner bare scheme", func(l *Listing) { l.Owner = "https://" }, []string{"owner"}},
		{"unknown type", func(l *Listing) { l.Type = "vehicle" }, []string{"listing_type"}},
		{"blank title", func(l *Listing) { l.Title = "  \t" }, []string{"title"}},
		{"long title", func(l *Listing) { l.Title = strings.Repeat("x", MaxTitle+1) }, []string{"title"}},
		{"long description", func(l *Listing) { l.Description = strings.Repeat("x", MaxDescription+1) }, []string{"description"}},
		{"bad language", func(l *Listing) { l.Language = "english!" }, []string{"language"}},
		{"unknown price type", func(l *Listing) { l.Price.Type = "auction" }, []string{"price.price_type"}},
		{"unknown pricing model", func(l *Listing) { l.Price.Model = "lease" }, []string{"price.pricing_model"}},
		{"float-looking amount", func(l *Listing) { l.Price.Amount = "1e3" }, []string{"price.amount"}},
		{"negative amount", func(l *Listing) { l.Price.Amount = "-5" }, []string{"price.amount"}},
		{"leading zero", func(l *Listing) { l.Price.Amount = "007" }, []string{"price.amount"}},
		{"empty amount", func(l *Listing) { l.Price.Amount = "" }, []string{"price.amount"}},
		{"too many decimals", func(l *Listing) { l.Price.Amount = "1.005" }, []string{"price.amount"}},
		{"decimals on yen", func(l *Listing) {
			l.Price = Price{Amount: "100.5", Currency: "JPY", Type: PriceFixed, Model: PricingOneTime}
		}, []string{"price.amount"}},
		{"lower-case currency", func(l *Listing) { l.Price.Currency = "usd" }, []string{"price.currency"}},
		{"no currency", func(l *Listing) { l.Price.Currency = "" }, []string{"price.currency"}},
		{"free with an amount", func(l *Listing) { l.Price = Price{Amount: "5", Type: PriceFree, Model: PricingOneTime} }, []string{"price.amount"}},
		{"time credit in dollars", func(l *Listing) {
			l.Price = Price{Amount: "2", Currency: "USD", Type: PriceTimeCredit, Model: PricingOneTime}
		}, []string{"price.currency"}},
		{"unknown status", func(l *Listing) { l.Status = "archived" }, []string{"status"}},
		{"too many tags", func(l *Listing) { l.Tags = make([]string, MaxTags+1); fill(l.Tags, "t") }, []string{"tags"}},
		{"tag with space", func(l *Listing) { l.Tags = []string{"ok", "two words"} }, []string{"tags[1]"}},
		{"tag with hash", func(l *Listing) { l.Tags = []string{"#bike"} }, []string{"tags[0]"}},
		{"empty tag", func(l *Listing) { l.Tags = []string{""} }, []string{"tags[0]"}},
		{"long tag", func(l *Listing) { l.Tags = []string{strings.Repeat("a", MaxTagLen+1)} }, []string{"tags[0]"}},
		{"unknown location pref", func(l *Listing) { l.LocationPref = "planet" }, []string{"location_pref"}},
		{"unknown visibility", func(l *Listing) { l.Visibility = "unlisted" }, []string{"visibility"}},
		{"bad region", func(l *Listing) { l.Region = "California" }, []string{"region"}},
		{"latitude out of range", func(l *Listing) { l.Location = &GeoPoint{Lat: 91, Lon: 0} }, []string{"location.lat"}},
		{"longitude NaN", func(l *Listing) { l.Location = &GeoPoint{Lat: 0, Lon: math.NaN()} }, []string{"location.lon"}},
		{"data product on a bike", func(l *Listing) { l.DataProduct = &DataProduct{Format: "csv"} }, []string{"data_product"}},
		{"data product id on a bike", func(l *Listing) { l.DataProductID = "dp-1" }, []string{"data_product_id"}},
		{"negative sample rows", func(l *Listing) {
			l.Type = TypeDataProduct
			l.DataProduct = &DataProduct{SampleRows: -1}
		}, []string{"data_product.sample_rows"}},
		{"schema not JSON", func(l *Listing) {
			l.Type = TypeDataProduct
			l.DataProduct = &DataProduct{Schema: "{age: int}"}
		}, []string{"data_product.schema"}},
		{"sample too big", func(l *Listing) {
			l.Type = TypeDataProduct
			l.DataProduct = &DataProduct{Sample: strings.Repeat("x", MaxSample+1)}
		}, []string{"data_product.sample"}},
		{"federated id not a URL", func(l *Listing) { l.FederatedAPID = "urn:uuid:1" }, []string{"federated_ap_id"}},
		{"no created", func(l *Listing) { l.Created = time.Time{}; l.Updated = time.Time{} }, []string{"created"}},
		{"created not in UTC", func(l *Listing) { l.Created = l.Created.In(time.FixedZone("CEST", 2*3600)) }, []string{"created"}},
		{"created with a monotonic reading", func(l *Listing) { l.Created = time.Now(); l.Updated = time.Time{} }, []string{"created"}},
		{"updated in year 10000", func(l *Listing) { l.Updated = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, []string{"updated"}},
		{"updated before created", func(l *Listing) { l.Updated = l.Created.Add(-time.Second) }, []string{"updated"}},
		{"several at once", func(l *Listing) { l.ID = ""; l.Status = ""; l.Region = "x" }, []string{"id", "status", "region"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := base()
			c.change(l)
			err := Validate(l)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want an error wrapping ErrInvalid", err)
			}
			var v ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("Validate = %T, want ValidationError", err)
			}
			var got []string
			for _, fe := range v {
				got = append(got, fe.Field)
				if fe.Problem == "" {
					t.Errorf("%s: no problem stated", fe.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Errorf("named fields %v, want %v (%v)", got, c.fields, err)
			}
		})
	}
}

func fill(s []string, v string) {
	for i := range s {
		s[i] = v
	}
}

func TestMinorUnits(t *testing.T) {
	cases := []struct {
		amount, currency string
		want             int64
		err              bool
	}{
		{"12.5", "USD", 1250, false},
		{"12.50", "USD", 1250, false},
		{"0", "USD", 0, false},
		{"", "USD", 0, false},
		{"0.01", "EUR", 1, false},
		{"100", "JPY", 100, false},
		{"100.5", "JPY", 0, true},
		{"1.234", "KWD", 1234, false},
		{"1.2345", "KWD", 0, true},
		{"1.005", "USD", 0, true},
		{"1", "eip155:1/slip44:60", 1_000_000_000_000_000_000, false},
		{"0.000000000000000001", "eip155:1/slip44:60", 1, false},
		{"9.223372036854775807", "eip155:1/slip44:60", math.MaxInt64, false},
		{"10", "eip155:1/slip44:60", 0, true}, // 19 digits of wei
		{"92233720368547758.07", "USD", math.MaxInt64, false},
		{"92233720368547758.08", "USD", 0, true},
		{"9223372036854775807", "JPY", math.MaxInt64, false},
		{"9223372036854775808", "JPY", 0, true},
		{"99999999999999999999", "JPY", 0, true},
		{"1.5", CurrencyTimeCredit, 150, false},
		{"-1", "USD", 0, true},
		{"1e3", "USD", 0, true},
		{"01", "USD", 0, true},
		{"1.", "USD", 0, true},
		{".5", "USD", 0, true},
		{" 1", "USD", 0, true},
	}
	for _, c := range cases {
		got, err := MinorUnits(c.amount, c.currency)
		if c.err {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("MinorUnits(%q, %s) = %d, %v; want an ErrInvalid error", c.amount, c.currency, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("MinorUnits(%q, %s) = %d, %v; want %d", c.amount, c.currency, got, err, c.want)
		}
	}
}

func TestFormatMinor(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{1250, "USD", "12.5"},
		{1200, "USD", "12"},
		{1, "USD", "0.01"},
		{0, "USD", "0"},
		{-1250, "EUR", "-12.5"},
		{100, "JPY", "100"},
		{1234, "KWD", "1.234"},
		{1, "eip155:1/slip44:60", "0.000000000000000001"},
		{math.MaxInt64, "USD", "92233720368547758.07"},
		{math.MinInt64, "USD", "-92233720368547758.08"},
		{150, CurrencyTimeCredit, "1.5"},
	}
	for _, c := range cases {
		if got := FormatMinor(c.minor, c.currency); got != c.want {
			t.Errorf("FormatMinor(%d, %s) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}

// TestMinorUnitsRoundTrip checks FormatMinor and MinorUnits are inverses
// over non-negative amounts in every kind of currency.
func TestMinorUnitsRoundTrip(t *testing.T) {
	for _, currency := range []string{"USD", "JPY", "KWD", "eip155:1/slip44:60", CurrencyTimeCredit} {
		for _, minor := range []int64{0, 1, 9, 10, 99, 100, 101, 12345, 1 << 40, math.MaxInt64} {
			s := FormatMinor(minor, currency)
			back, err := MinorUnits(s, currency)
			if err != nil || back != minor {
				t.Errorf("%s: MinorUnits(FormatMinor(%d)) = MinorUnits(%q) = %d, %v", currency, minor, s, back, err)
			}
		}
	}
}

func TestCountry(t *testing.T) {
	for region, want := range map[string]string{"US-CA": "US", "US": "US", "GB-ENG": "GB", "": ""} {
		if got := Country(region); got != want {
			t.Errorf("Country(%q) = %q, want %q", region, got, want)
		}
	}
}
