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
		{"owner with user info", func(l *Listing) { l.Owner = "http://a.example@b.example/users/ana" }, []string{"owner"}},
		{"object id with user info", func(l *Listing) { l.FederatedAPID = "https://hub.example:x@evil.example/listings/1" }, []string{"federated_ap_id"}},
		{"owner too long", func(l *Listing) { l.Owner = "https://hub.example/" + strings.Repeat("a", MaxURL) }, []string{"owner"}},
		{"id too long", func(l *Listing) { l.ID = strings.Repeat("a", MaxURL+1) }, []string{"id"}},
		{"id with a line break", func(l *Listing) { l.ID = "a\nb" }, []string{"id"}},
		{"price above what can be indexed", func(l *Listing) { l.Price.Amount = "9999999999999999999" }, []string{"price.amount"}},
		{"price one cent above what can be indexed", func(l *Listing) { l.Price.Amount = "90071992547409.93" }, []string{"price.amount"}},
		{"Mitra's piconero read as XMR", func(l *Listing) {
			l.Price = Price{Amount: "20000", Currency: "monero:418015bb9ae982a1975da7d79277c270/slip44:128", Type: PricePerSecond, Model: PricingSubscription}
		}, []string{"price.amount"}},
		{"more decimals than an asset keeps", func(l *Listing) {
			l.Price = Price{Amount: "0.0000000000001", Currency: "eip155:1/slip44:60", Type: PriceFixed, Model: PricingOneTime}
		}, []string{"price.amount"}},
		{"trailing zero on an asset", func(l *Listing) {
			l.Price = Price{Amount: "0.50", Currency: "eip155:1/slip44:60", Type: PriceFixed, Model: PricingOneTime}
		}, []string{"price.amount"}},
		{"fraction of an unknown asset", func(l *Listing) {
			l.Price = Price{Amount: "2.5", Currency: "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f", Type: PriceFixed, Model: PricingOneTime}
		}, []string{"price.amount"}},
		{"bad resource", func(l *Listing) { l.Resource = "bike" }, []string{"resource"}},
		{"long language", func(l *Listing) { l.Language = "en" + strings.Repeat("-abc", 20) }, []string{"language"}},
		{"long format", func(l *Listing) {
			l.Type = TypeDataProduct
			l.DataProduct = &DataProduct{Format: strings.Repeat("x", MaxFormat+1)}
		}, []string{"data_product.format"}},
		{"sample with an escape", func(l *Listing) {
			l.Type = TypeDataProduct
			l.DataProduct = &DataProduct{Sample: "a\n\x1b[2J1\n"}
		}, []string{"data_product.sample"}},
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

// TestValidateText applies the text rules to the title, the description
// and the tags: no control characters, no bidirectional controls, lengths
// in characters, and a title with something visible in it.
func TestValidateText(t *testing.T) {
	cases := []struct {
		name, value string
		title       bool // valid as a title
		description bool // valid as a description
		tag         bool // valid as a tag
		problem     string
	}{
		{"plain", "Bike", true, true, true, ""},
		{"accents and CJK", "Vélo 自転車", true, true, false, "spaces"},
		{"NUL", "Bike\x00", false, false, false, "U+0000"},
		{"ESC", "\x1b[31mBike", false, false, false, "U+001B"},
		{"BEL", "Bike\a", false, false, false, "U+0007"},
		{"DEL", "Bike\x7f", false, false, false, "U+007F"},
		{"C1 control", "Bike\u0085", false, false, false, "U+0085"},
		{"line feed", "Bike\nfor sale", false, true, false, "U+000A"},
		{"tab", "Bike\tblue", false, true, false, "U+0009"},
		{"right-to-left override", "Bike \u202egnp.exe", false, false, false, "U+202E"},
		{"left-to-right embedding", "\u202aBike", false, false, false, "U+202A"},
		{"first strong isolate", "Bike\u2068", false, false, false, "U+2068"},
		{"right-to-left mark", "שלום\u200f 5", true, true, false, "spaces"},
		{"only spaces", "   ", false, true, false, ""},
		{"only zero-width space", "\u200b", false, true, false, "visible"},
		{"only joiners and BOM", "\u200d\ufeff\u2060", false, true, false, "visible"},
		{"only Hangul filler", "\u3164\u3164", false, true, false, "visible"},
		{"only Braille blank", "\u2800", false, true, false, "visible"},
		{"only a combining mark", "\u0301", false, true, false, "visible"},
		{"invalid UTF-8", "Bike\xff", false, false, false, "UTF-8"},
		{"title of 200 characters", strings.Repeat("é", MaxTitle), true, true, false, "characters"},
		{"title of 201 characters", strings.Repeat("é", MaxTitle+1), false, true, false, "201 characters long, at most 200"},
		{"tag of 64 characters", strings.Repeat("ü", MaxTagLen), true, true, true, ""},
		{"tag of 65 characters", strings.Repeat("ü", MaxTagLen+1), true, true, false, "65 characters long, at most 64"},
	}
	named := func(err error, field string) (string, bool) {
		var v ValidationError
		errors.As(err, &v)
		for _, fe := range v {
			if fe.Field == field {
				return fe.Problem, true
			}
		}
		return "", false
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range []struct {
				field string
				set   func(l *Listing)
				valid bool
			}{
				{"title", func(l *Listing) { l.Title = c.value }, c.title},
				{"description", func(l *Listing) { l.Description = c.value }, c.description},
				{"tags[0]", func(l *Listing) { l.Tags = []string{c.value} }, c.tag},
			} {
				l := base()
				f.set(l)
				problem, bad := named(Validate(l), f.field)
				if bad == f.valid {
					t.Errorf("%s %q: valid = %v, want %v (%s)", f.field, c.value, !bad, f.valid, problem)
				}
				if bad && f.field == "title" && !strings.Contains(problem, c.problem) {
					t.Errorf("title %q: problem %q does not say %q", c.value, problem, c.problem)
				}
			}
		})
	}
	l := base()
	l.Description = strings.Repeat("ß", MaxDescription)
	if err := Validate(l); err != nil {
		t.Errorf("a description of %d two-byte characters: %v", MaxDescription, err)
	}
}

// TestIsHTTPURL is the one URL rule for actor and object ids, shared with
// the federation package.
func TestIsHTTPURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://hub.example/users/ana":                       true,
		"http://hub.example:8080/listings/1?x=1#primary":      true,
		"HTTPS://HUB.EXAMPLE/a":                               true,
		"https://[2001:db8::1]/a":                             true,
		"https://mitra.example/users/a/proposals/monero:4180": true,
		"http://a.example@b.example/users/ana":                false, // reads as a.example, goes to b.example
		"https://user:pass@hub.example/":                      false,
		"https://:pass@hub.example/":                          false,
		"https://@hub.example/":                               false,
		"https://hub.example\\@evil.example/":                 false,
		"https://":                                            false,
		"https:///path":                                       false,
		"https://:443/path":                                   false,
		"https:hub.example/a":                                 false,
		"ftp://hub.example/a":                                 false,
		"//hub.example/a":                                     false,
		"hub.example/a":                                       false,
		"https://hub.example/a b":                             false,
		"https://hub.example/\x00":                            false,
		"":                                                    false,
	} {
		if got := IsHTTPURL(s); got != want {
			t.Errorf("IsHTTPURL(%q) = %v, want %v", s, got, want)
		}
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
		{"1", "eip155:1/slip44:60", 1_000_000_000_000, false}, // ether keeps 12 of its 18 decimals
		{"0.000000000001", "eip155:1/slip44:60", 1, false},
		{"0.000000000000000001", "eip155:1/slip44:60", 0, true},
		{"9007.199254740992", "eip155:1/slip44:60", MaxMinor, false},
		{"9007.199254740993", "eip155:1/slip44:60", 0, true},
		{"10", "eip155:137/slip44:966", 10_000_000_000_000, false}, // any EVM chain's native asset
		{"0.00000002", "monero:418015bb9ae982a1975da7d79277c270/slip44:128", 20000, false},
		{"20000", "monero:418015bb9ae982a1975da7d79277c270/slip44:128", 0, true}, // 2e16 piconero: Mitra's per-second price read as XMR
		{"1", "monero:76ee3cc98646292206cd3e86f74d88b4/slip44:1", 1_000_000_000_000, false},
		{"0.00000001", "bip122:000000000019d6689c085ae165831e93/slip44:0", 1, false},
		{"0.000000001", "bip122:000000000019d6689c085ae165831e93/slip44:0", 0, true},
		{"90071992547409.92", "USD", MaxMinor, false},
		{"90071992547409.93", "USD", 0, true},
		{"92233720368547758.07", "USD", 0, true},
		{"9007199254740992", "JPY", MaxMinor, false},
		{"9007199254740993", "JPY", 0, true},
		{"9223372036854775807", "JPY", 0, true}, // 19 digits: valid decimal syntax, cannot be indexed
		{"9999999999999999999", "USD", 0, true},
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
		{1, "eip155:1/slip44:60", "0.000000000001"},
		{20000, "monero:418015bb9ae982a1975da7d79277c270/slip44:128", "0.00000002"},
		{20000, "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f", "20000"},
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
		for _, minor := range []int64{0, 1, 9, 10, 99, 100, 101, 12345, 1 << 40, MaxMinor} {
			s := FormatMinor(minor, currency)
			back, err := MinorUnits(s, currency)
			if err != nil || back != minor {
				t.Errorf("%s: MinorUnits(FormatMinor(%d)) = MinorUnits(%q) = %d, %v", currency, minor, s, back, err)
			}
		}
	}
}

// TestMinorUnitsUnknownAsset: a CAIP-19 asset whose decimals are not known
// (an ERC-20 token) has no minor units, whatever the amount: never an
// overflow, never a guess.
func TestMinorUnitsUnknownAsset(t *testing.T) {
	const dai = "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f"
	for _, amount := range []string{"1", "25000000000000000000", strings.Repeat("9", 78)} {
		if m, err := MinorUnits(amount, dai); !errors.Is(err, ErrUnknownAsset) || errors.Is(err, ErrInvalid) {
			t.Errorf("MinorUnits(%q, DAI) = %d, %v; want ErrUnknownAsset (and not ErrInvalid)", amount, m, err)
		}
	}
	if d := Decimals(dai); d != 0 {
		t.Errorf("Decimals(DAI) = %d, want 0: its amounts are whole atomic units", d)
	}
}

func TestCountry(t *testing.T) {
	for region, want := range map[string]string{"US-CA": "US", "US": "US", "GB-ENG": "GB", "": ""} {
		if got := Country(region); got != want {
			t.Errorf("Country(%q) = %q, want %q", region, got, want)
		}
	}
}

// TestSharedRules: the checks other packages call instead of keeping
// copies (configuration, search parameters) agree with Validate.
func TestSharedRules(t *testing.T) {
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"Type(data_product)", Type("data_product").Valid(), true},
		{"Type(digital)", Type("digital").Valid(), true},
		{"Type(cars)", Type("cars").Valid(), false},
		{"Type(Service)", Type("Service").Valid(), false},
		{"Type()", Type("").Valid(), false},
		{"PriceType(per_second)", PriceType("per_second").Valid(), true},
		{"PriceType(monthly)", PriceType("monthly").Valid(), false},
		{"PricingModel(pay_per_query)", PricingModel("pay_per_query").Valid(), true},
		{"PricingModel(lease)", PricingModel("lease").Valid(), false},
		{"region US", ValidRegion("US"), true},
		{"region US-CA", ValidRegion("US-CA"), true},
		{"region PT-11", ValidRegion("PT-11"), true},
		{"region GB-ENG", ValidRegion("GB-ENG"), true},
		{"region us", ValidRegion("us"), false},
		{"region USA", ValidRegion("USA"), false},
		{"region US-", ValidRegion("US-"), false},
		{"region US-ABCD", ValidRegion("US-ABCD"), false},
		{"region empty", ValidRegion(""), false},
		{"currency USD", ValidCurrency("USD"), true},
		{"currency HOUR", ValidCurrency("HOUR"), true},
		{"currency XMR asset", ValidCurrency("monero:418015bb9ae982a1975da7d79277c270/slip44:128"), true},
		{"currency usd", ValidCurrency("usd"), false},
		{"currency US", ValidCurrency("US"), false},
		{"tag maps", ValidTag("maps"), true},
		{"tag Café", ValidTag("Café"), true},
		{"tag with space", ValidTag("open data"), false},
		{"tag with comma", ValidTag("a,b"), false},
		{"tag with #", ValidTag("#maps"), false},
		{"tag empty", ValidTag(""), false},
		{"tag too long", ValidTag(strings.Repeat("x", MaxTagLen+1)), false},
		{"tag invisible", ValidTag("\u200b"), false},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	// Validate agrees with ValidRegion.
	for _, r := range []string{"US", "US-CA", "us", "USA"} {
		l := base()
		l.Region = r
		if err := Validate(l); (err == nil) != ValidRegion(r) {
			t.Errorf("region %q: Validate says %v, ValidRegion %v", r, err, ValidRegion(r))
		}
	}
}
