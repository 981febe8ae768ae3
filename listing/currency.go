package listing

import "strings"

// Currency URIs in a reciprocal Intent's resourceConformsTo.
//
// FEP-0837 allows any URI there. Encode writes one systematic form per kind
// of money, so a reader that knows none of them still sees the code:
//   - ISO 4217 currencies as "urn:iso:std:iso:4217:" + code
//     ("urn:iso:std:iso:4217:USD"), the ISO URN namespace of the standard
//     (RFC 5141) followed by the alphabetic code;
//   - CAIP-19 assets as "caip:19:" + asset id, the form Mitra writes
//     ("caip:19:eip155:1/slip44:60");
//   - time credits as TimeCreditIRI.
//
// Decode reads these and also the Wikidata items of common currencies
// (the FEP's own example writes USD as https://www.wikidata.org/wiki/Q4917).
const (
	iso4217URN = "urn:iso:std:iso:4217:"
	caip19URI  = "caip:19:"
)

// wikidataCurrencies maps the Wikidata items of common currencies to their
// ISO 4217 codes.
var wikidataCurrencies = map[string]string{
	"Q4917":    "USD",
	"Q4916":    "EUR",
	"Q25224":   "GBP",
	"Q8146":    "JPY",
	"Q25344":   "CHF",
	"Q1104069": "CAD",
	"Q259502":  "AUD",
	"Q39099":   "CNY",
	"Q80524":   "INR",
	"Q173117":  "BRL",
	"Q4730":    "MXN",
	"Q122922":  "SEK",
	"Q132643":  "NOK",
	"Q25417":   "DKK",
	"Q123213":  "PLN",
	"Q202040":  "KRW",
	"Q1472704": "NZD",
	"Q181907":  "ZAR",
}

// CurrencyIRI returns the URI Encode writes in resourceConformsTo for a
// currency: "urn:iso:std:iso:4217:USD" for an ISO 4217 code, "caip:19:…"
// for a CAIP-19 asset id, TimeCreditIRI for time credits, and "" for an
// empty or unknown currency.
func CurrencyIRI(currency string) string {
	switch {
	case currency == CurrencyTimeCredit:
		return TimeCreditIRI
	case currencyRE.MatchString(currency):
		return iso4217URN + currency
	case caip19RE.MatchString(currency):
		return caip19URI + currency
	}
	return ""
}

// CurrencyOf returns the currency a resourceConformsTo URI names (an
// ISO 4217 code, a CAIP-19 asset id, or CurrencyTimeCredit), or "" when it
// names none this package knows. It reads what CurrencyIRI writes and the
// Wikidata items of common currencies.
func CurrencyOf(iri string) string {
	switch {
	case iri == TimeCreditIRI:
		return CurrencyTimeCredit
	case len(iri) > len(iso4217URN) && strings.EqualFold(iri[:len(iso4217URN)], iso4217URN):
		if c := strings.ToUpper(iri[len(iso4217URN):]); currencyRE.MatchString(c) {
			return c
		}
	case strings.HasPrefix(iri, caip19URI):
		if c := iri[len(caip19URI):]; caip19RE.MatchString(c) {
			return c
		}
	default:
		if q, ok := wikidataItem(iri); ok {
			return wikidataCurrencies[q]
		}
	}
	return ""
}

// wikidataItem returns the item id ("Q4917") of a Wikidata item URL, in
// its /wiki/ or /entity/ form, over http or https.
func wikidataItem(iri string) (string, bool) {
	rest, ok := strings.CutPrefix(iri, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(iri, "http://"); !ok {
			return "", false
		}
	}
	rest = strings.TrimPrefix(rest, "www.")
	for _, prefix := range []string{"wikidata.org/wiki/", "wikidata.org/entity/"} {
		if q, ok := strings.CutPrefix(rest, prefix); ok && len(q) > 1 && q[0] == 'Q' {
			return q, true
		}
	}
	return "", false
}
