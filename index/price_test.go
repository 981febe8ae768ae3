package index_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// TestValidateAndPutAgree: a price Validate accepts is one the index can
// keep, and one it refuses is one the index cannot, so that no listing is
// stored and then never searchable.
func TestValidateAndPutAgree(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	base := loadCorpus(t)[0]
	cases := []struct{ amount, currency string }{
		{"90071992547409.92", "USD"},   // MaxMinor cents
		{"90071992547409.93", "USD"},   // one cent more
		{"9999999999999999999", "USD"}, // 19 digits: a decimal, but not a price
		{"9007199254740992", "JPY"},
		{"9007199254740993", "JPY"},
		{"9007.199254740992", "monero:418015bb9ae982a1975da7d79277c270/slip44:128"},
		{"9007.199254740993", "monero:418015bb9ae982a1975da7d79277c270/slip44:128"},
		{"20000", "monero:418015bb9ae982a1975da7d79277c270/slip44:128"}, // Mitra's piconero read as XMR
		{"0.00000002", "monero:418015bb9ae982a1975da7d79277c270/slip44:128"},
		{"25000000000000000000", "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f"},
	}
	for _, c := range cases {
		l := *base.Listing
		l.Price.Amount, l.Price.Currency = c.amount, c.currency
		verr, perr := listing.Validate(&l), ix.Put(&l, meta(base))
		if (verr == nil) != (perr == nil) {
			t.Errorf("%s %s: Validate = %v but Put = %v", c.amount, c.currency, verr, perr)
		}
		if verr != nil && !strings.Contains(verr.Error(), "price.amount") {
			t.Errorf("%s %s: Validate = %v, want it to name price.amount", c.amount, c.currency, verr)
		}
	}
}

// TestUnknownAssetPrice: a listing priced in a CAIP-19 asset whose
// decimals are not known is indexed and found by its text, shows its
// amount as it came, and has no price: no price band, outside every price
// range.
func TestUnknownAssetPrice(t *testing.T) {
	const dai = "eip155:1/erc20:0x6b175474e89094c44da98b954eedeac495271d0f"
	ix := corpusIndex(t)
	it := loadCorpus(t)[0]
	l := *it.Listing
	l.FederatedAPID, l.ID = "https://hub.example/listings/tokens", "https://hub.example/listings/tokens"
	l.Title, l.Description, l.Tags = "Zeppelin tokens", "Tokens for the zeppelin ride.", nil
	l.Price = listing.Price{Amount: "25000000000000000000", Currency: dai, Type: listing.PriceFixed, Model: listing.PricingOneTime}
	if err := listing.Validate(&l); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(&l, meta(it)); err != nil {
		t.Fatalf("Put of a listing in an unknown asset: %v", err)
	}
	if err := ix.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, index.Query{Text: "zeppelin", Facets: true})
	if len(res.Hits) != 1 || res.Hits[0].ID != l.FederatedAPID {
		t.Fatalf("search zeppelin = %v, want the listing", ids(res))
	}
	if p := res.Hits[0].Price; p.Amount != "25000000000000000000" || p.Currency != dai {
		t.Errorf("hit price = %+v, want the amount and asset as they came", p)
	}
	if len(res.Facets.PriceBand) != 0 {
		t.Errorf("price band facet = %v, want none: the price is unknown", res.Facets.PriceBand)
	}
	if res := search(t, ix, index.Query{Currency: dai, PriceMin: i64(0)}); res.Total != 0 {
		t.Errorf("a price range in %s finds %v, want nothing: its prices have no minor units", dai, ids(res))
	}
	if res := search(t, ix, index.Query{Currency: dai}); res.Total != 1 {
		t.Errorf("currency %s finds %v, want the listing", dai, ids(res))
	}
}

// TestPriceRangeInUserUnits: an error about a price range speaks in the
// currency's units, as the amounts are given on the wire, not in the minor
// units the index keeps.
func TestPriceRangeInUserUnits(t *testing.T) {
	ix := openIndex(t, t.TempDir())
	for _, c := range []struct {
		q    index.Query
		want string
	}{
		{index.Query{Currency: "USD", PriceMin: i64(10000), PriceMax: i64(1000)}, "price_max: must not be below price_min (100 USD), got 10 USD"},
		{index.Query{Currency: "USD", PriceMin: i64(1050), PriceMax: i64(999)}, "price_max: must not be below price_min (10.5 USD), got 9.99 USD"},
		{index.Query{Currency: "JPY", PriceMin: i64(500), PriceMax: i64(20)}, "price_max: must not be below price_min (500 JPY), got 20 JPY"},
		{index.Query{Currency: "USD", PriceMin: i64(-150)}, "price_min: must be at least 0, got -1.5 USD"},
	} {
		_, err := ix.Search(context.Background(), c.q)
		if !errors.Is(err, index.ErrInvalidQuery) || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.q, err, c.want)
		}
	}
}
