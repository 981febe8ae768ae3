package index_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/index"
)

// FuzzParseText checks the q parser on any input: it never panics, every
// part it returns is non-empty and free of quotes, it keeps to the limits,
// and writing the parsed text back and parsing it again gives the same.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"", "bicycle", `"road bicycle" -helmet`, `-"red paint" blue`, `"unclosed phrase`, `a"b"c`, "--x", `"-x"`, " - ", "Fahrrad\tgebraucht\n", "自転車 -中古"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		txt, err := index.ParseText(q)
		if err != nil {
			if len(q) <= index.MaxTextBytes && utf8.ValidString(q) && !strings.Contains(err.Error(), "q: has more than") {
				t.Fatalf("ParseText(%q): unexpected error %v", q, err)
			}
			return
		}
		if n := len(txt.Words) + len(txt.Phrases) + len(txt.Excluded); n > index.MaxTextParts {
			t.Fatalf("ParseText(%q): %d parts, limit %d", q, n, index.MaxTextParts)
		}
		for _, parts := range [][]string{txt.Words, txt.Phrases, txt.Excluded} {
			for _, p := range parts {
				if p == "" || strings.Contains(p, `"`) || strings.TrimSpace(p) != p {
					t.Fatalf("ParseText(%q): bad part %q in %+v", q, p, txt)
				}
			}
		}
		for _, w := range txt.Words {
			if strings.ContainsAny(w, " \t\n") {
				t.Fatalf("ParseText(%q): word %q has a space", q, w)
			}
		}
		again, err := index.ParseText(txt.String())
		if err != nil {
			t.Fatalf("ParseText(%q).String() = %q does not parse: %v", q, txt.String(), err)
		}
		if !reflect.DeepEqual(again, txt) {
			t.Fatalf("ParseText(%q) = %+v, but its String %q parses to %+v", q, txt, txt.String(), again)
		}
	})
}

// FuzzSearch runs queries built from any input against the golden corpus:
// Search never panics, and every error it returns is about the query.
//
// A cursor is outside input too, and the interesting ones carry the hash of
// their query and the token of a ranking the index keeps, which no fuzzed
// string could guess. So each query's first page is searched first, and a
// cursor that decodes (base64url JSON) is laid over that page's
// next_cursor: fields it lacks are taken from the live one. The seeds named
// real_* are next_cursors taken from real responses; forged_* hold one
// changed field each (a position before or past the ranking, a tie key out
// of range, another version).
func FuzzSearch(f *testing.F) {
	f.Add("bicycle", "", "", "", "", 0, 0.0, 0.0, 0.0, false, "")
	f.Add(`"road bicycle" -helmet`, "relevance", "US", "USD", "cycling", 2, 37.7, -122.4, 50.0, true, "")
	f.Add("", "price_asc", "US-CA", "", "", 3, 0.0, 0.0, 0.0, true, "eyJ2IjoxLCJoIjoxLCJrIjoxLCJuIjoxfQ")
	f.Add("-x", "newest", "de", "EUR", "a,b", 100, 91.0, 0.0, 1e9, false, "%%%")
	f.Add("", "distance", "", "", "", 2, 52.5, 13.4, 500.0, true, "")
	f.Add("fahrrad", "distance", "", "", "", 1, 52.5, 13.4, 50.0, false, "")
	ix := corpusIndex(f)
	f.Fuzz(func(t *testing.T, text, sort, region, currency, tags string, limit int, lat, lon, radius float64, facets bool, cursor string) {
		q := index.Query{Text: text, Sort: sort, Region: region, Currency: currency, Limit: limit, RadiusKm: radius, Facets: facets}
		if tags != "" {
			q.Tags = strings.Split(tags, ",")
		}
		if lat != 0 || lon != 0 {
			q.Near = &index.GeoPoint{Lat: lat, Lon: lon}
		}
		if currency != "" {
			max := int64(limit) * 1000
			q.PriceMax = &max
		}
		check := func(q index.Query) *index.Result {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				if !errors.Is(err, index.ErrInvalidQuery) {
					t.Fatalf("%+v: error %v does not wrap ErrInvalidQuery", q, err)
				}
				return nil
			}
			if len(res.Hits) > index.MaxLimit || uint64(len(res.Hits)) > res.Total && !res.Facets.Approximate {
				t.Fatalf("%+v: %d hits of %d", q, len(res.Hits), res.Total)
			}
			return res
		}
		res := check(q)
		if res == nil {
			return
		}
		if cursor != "" {
			q.Cursor = overlay(cursor, res.NextCursor)
			if res = check(q); res == nil {
				return
			}
		}
		if res.NextCursor != "" {
			q.Cursor = res.NextCursor
			if _, err := ix.Search(context.Background(), q); err != nil {
				t.Fatalf("%+v: the next page fails: %v", q, err)
			}
		}
	})
}

// overlay lays the fields of cursor over those of live, when both are
// base64url JSON objects; otherwise it returns cursor unchanged.
func overlay(cursor, live string) string {
	var c, l map[string]json.RawMessage
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || json.Unmarshal(b, &c) != nil || c == nil {
		return cursor
	}
	if b, err = base64.RawURLEncoding.DecodeString(live); err != nil || json.Unmarshal(b, &l) != nil {
		return cursor
	}
	for k, v := range l {
		if _, ok := c[k]; !ok {
			c[k] = v
		}
	}
	b, _ = json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}
