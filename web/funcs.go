package web

import (
	"html/template"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/listing"
)

// Funcs are the helpers every page template has:
//
//	asset "app.js"          the URL of an embedded asset, versioned by its content
//	sanitize .HTML          HTML from another server, cut down to safe formatting (Sanitize)
//	date .T / datetime .T   "2 Nov 2026" / RFC 3339, for <time datetime>
//	label "data_product"    a vocabulary value for people: "Data product"
//	price a cur type model  a price in words: "45 EUR per hour", "free"
//	host "https://x.y/z"    the host of a URL: "x.y"
//	plural n "hub" "hubs"   the word that fits n
//	add a b                 a + b
func Funcs() template.FuncMap {
	return template.FuncMap{
		"asset":    AssetURL,
		"sanitize": Sanitize,
		"date":     func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
		"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"label":    Label,
		"price": func(amount, currency, priceType, model string) string {
			return listing.Price{Amount: amount, Currency: currency, Type: listing.PriceType(priceType), Model: listing.PricingModel(model)}.String()
		},
		"host": Host,
		"plural": func(n any, one, many string) string {
			switch v := n.(type) {
			case int:
				if v == 1 {
					return one
				}
			case uint64:
				if v == 1 {
					return one
				}
			case int64:
				if v == 1 {
					return one
				}
			}
			return many
		},
		"add": func(a, b int) int { return a + b },
	}
}

// Label turns a vocabulary value into words: "data_product" becomes
// "Data product", "pay_per_query" "Pay per query".
func Label(v string) string {
	v = strings.ReplaceAll(v, "_", " ")
	r, n := utf8.DecodeRuneInString(v)
	if n == 0 {
		return v
	}
	return string(unicode.ToUpper(r)) + v[n:]
}

// Host is the host (with port) of a URL, or "" when it has none.
func Host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
