package listing

import (
	"errors"
	"fmt"
	"strings"
)

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

// MaxMinor is the largest price a listing may have, in minor units (see
// Decimals): 2^53, the largest integer below which a float64 holds every
// integer exactly, as the search index keeps prices. MinorUnits fails above
// it and Validate refuses it, so whatever validates can be indexed: up to
// 90071992547409.92 USD, 9007.199254740992 XMR or 90071992.54740992 BTC.
const MaxMinor = 1 << 53

// ErrUnknownAsset is returned by MinorUnits for a CAIP-19 asset whose
// decimals this package does not know (an ERC-20 token, a chain not in its
// table). Such a price is a whole number of the asset's atomic units, kept
// and shown as it came, with no minor units: a listing priced in it is
// valid and searchable by its text, but has no price to filter or sort on.
var ErrUnknownAsset = errors.New("CAIP-19 asset of unknown decimals, its price has no minor units")

// zeroDecimal and threeDecimal list the ISO 4217 currencies whose minor unit
// is not one hundredth.
var (
	zeroDecimal  = map[string]bool{"BIF": true, "CLP": true, "DJF": true, "GNF": true, "ISK": true, "JPY": true, "KMF": true, "KRW": true, "PYG": true, "RWF": true, "UGX": true, "UYI": true, "VND": true, "VUV": true, "XAF": true, "XOF": true, "XPF": true}
	threeDecimal = map[string]bool{"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true}
)

// assetDecimals gives the decimals of the atomic unit of the native assets
// of the chains that matter, keyed by CAIP-2 namespace and CAIP-19 asset
// ("monero/slip44:128"), whatever the chain reference: mainnets and test
// networks count alike. Every native asset of an EVM chain (eip155, any
// slip44 coin type) has 18, the wei of the EVM itself.
var assetDecimals = map[string]int{
	"monero/slip44:128": 12, // Monero: piconero
	"monero/slip44:1":   12, // Monero's test networks, as Mitra names their asset
	"monero/slip44:417": 11, // Wownero
	"bip122/slip44:0":   8,  // Bitcoin: satoshi
	"bip122/slip44:1":   8,  // Bitcoin's test networks
	"bip122/slip44:2":   8,  // Litecoin
	"bip122/slip44:3":   8,  // Dogecoin
	"bip122/slip44:145": 8,  // Bitcoin Cash
	"solana/slip44:501": 9,  // Solana: lamport
}

// assetSymbols are the ticker symbols of the main networks' native assets,
// used where a price is written for people.
var assetSymbols = map[string]string{
	"monero:418015bb9ae982a1975da7d79277c270/slip44:128": "XMR",
	"bip122:000000000019d6689c085ae165831e93/slip44:0":   "BTC",
	"eip155:1/slip44:60": "ETH",
}

// maxAssetDecimals caps the decimals a price in a CAIP-19 asset keeps. The
// finest unit any asset in the table needs is Monero's piconero (12), and
// with 12 decimals MaxMinor still allows 9007 units of an asset: an
// Ethereum price keeps 12 of ether's 18 decimals (a millionth of a gwei).
const maxAssetDecimals = 12

// atomicDecimals returns the decimals of the atomic unit of a CAIP-19
// asset of the table, and false for anything else.
func atomicDecimals(currency string) (int, bool) {
	if !caip19RE.MatchString(currency) {
		return 0, false
	}
	chain, asset, _ := strings.Cut(currency, "/")
	namespace, _, _ := strings.Cut(chain, ":")
	if namespace == "eip155" && strings.HasPrefix(asset, "slip44:") {
		return 18, true
	}
	d, ok := assetDecimals[namespace+"/"+asset]
	return d, ok
}

// unknownAsset reports whether currency is a CAIP-19 asset whose decimals
// are not known.
func unknownAsset(currency string) bool {
	_, known := atomicDecimals(currency)
	return !known && caip19RE.MatchString(currency)
}

// Decimals returns how many decimal places the currency's minor unit has:
// 2 for most ISO 4217 codes, 0 or 3 for some, 2 for time credits
// (hundredths of an hour); for a CAIP-19 asset of known decimals, its
// atomic unit's decimals up to 12 (Monero 12, Bitcoin 8, ether 12 of its
// 18); 0 for a CAIP-19 asset of unknown decimals, whose amounts are whole
// numbers of its atomic units.
func Decimals(currency string) int {
	switch {
	case zeroDecimal[currency]:
		return 0
	case threeDecimal[currency]:
		return 3
	case caip19RE.MatchString(currency):
		if d, ok := atomicDecimals(currency); ok {
			return min(d, maxAssetDecimals)
		}
		return 0
	}
	return 2
}

// MinorUnits converts a decimal amount string to integer minor units of
// currency ("12.5" USD → 1250). It fails with ErrInvalid when the amount is
// not a decimal, has more decimals than the currency allows, or is above
// MaxMinor, and with ErrUnknownAsset for a CAIP-19 asset of unknown
// decimals.
func MinorUnits(amount, currency string) (int64, error) {
	if amount == "" {
		return 0, nil
	}
	if unknownAsset(currency) {
		return 0, fmt.Errorf("amount %q of %s: %w", short(amount), currency, ErrUnknownAsset)
	}
	if !decimalRE.MatchString(amount) {
		return 0, fmt.Errorf("%w: amount %q is not a non-negative decimal", ErrInvalid, short(amount))
	}
	d := Decimals(currency)
	whole, frac, _ := strings.Cut(amount, ".")
	if len(frac) > d {
		return 0, fmt.Errorf("%w: amount %q has more than %d decimals for %s", ErrInvalid, amount, d, currency)
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", d-len(frac)), "0")
	var n int64
	for _, c := range digits {
		if n = n*10 + int64(c-'0'); n > MaxMinor {
			return 0, fmt.Errorf("%w: amount %q of %s is above %s %s, the largest price a relay can index", ErrInvalid, amount, currency, FormatMinor(MaxMinor, currency), currency)
		}
	}
	return n, nil
}

// FormatMinor turns integer minor units back into the shortest decimal
// string (1250 USD → "12.5").
func FormatMinor(minor int64, currency string) string {
	d := Decimals(currency)
	neg := minor < 0
	abs := uint64(minor)
	if neg {
		abs = -abs // two's complement: right even for math.MinInt64
	}
	s := fmt.Sprintf("%0*d", d+1, abs)
	whole, frac := s[:len(s)-d], strings.TrimRight(s[len(s)-d:], "0")
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// wireAmount returns an amount as a reciprocal Intent's hasNumericalValue
// carries it: for a CAIP-19 asset of known decimals, a whole number of its
// atomic units ("0.00000002" XMR → "20000" piconero), as Mitra writes and
// reads it; anything else as it is.
func wireAmount(amount, currency string) string {
	d, ok := atomicDecimals(currency)
	if !ok {
		return amount
	}
	whole, frac, _ := strings.Cut(amount, ".")
	if s := strings.TrimLeft(whole+frac+strings.Repeat("0", d-len(frac)), "0"); s != "" {
		return s
	}
	return "0"
}

// amountFromWire reads a reciprocal Intent's hasNumericalValue as the
// amount of a price in currency, the inverse of wireAmount, or says why it
// cannot be one.
func amountFromWire(v, currency string) (string, string) {
	d, known := atomicDecimals(currency)
	switch {
	case known || unknownAsset(currency):
		if !atomicRE.MatchString(v) {
			return "", fmt.Sprintf("must be a whole number of %s's atomic units, got %q", currency, short(v))
		}
		if !known {
			return v, ""
		}
	case !decimalRE.MatchString(v):
		return "", fmt.Sprintf("must be a non-negative decimal string such as \"12.50\", got %q", short(v))
	default:
		return v, ""
	}
	keep := Decimals(currency)
	padded := strings.Repeat("0", max(0, d+1-len(v))) + v
	whole, frac := padded[:len(padded)-d], padded[len(padded)-d:]
	if strings.Trim(frac[keep:], "0") != "" {
		return "", fmt.Sprintf("is finer than the %d decimals a price in %s keeps, got %q", keep, currency, v)
	}
	if frac = strings.TrimRight(frac[:keep], "0"); frac != "" {
		whole += "." + frac
	}
	return whole, ""
}

// canonicalAmount reports whether an amount of a CAIP-19 asset of known
// decimals survives wireAmount and amountFromWire unchanged: no trailing
// zeros after the point, no lone point-zero.
func canonicalAmount(amount string) bool {
	_, frac, dot := strings.Cut(amount, ".")
	return !dot || !strings.HasSuffix(frac, "0")
}

// symbol returns the ticker symbol of a main network's native asset, or
// the currency itself.
func symbol(currency string) string {
	if s, ok := assetSymbols[currency]; ok {
		return s
	}
	return currency
}
