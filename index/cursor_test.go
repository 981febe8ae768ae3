package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// forge rewrites one field of a cursor the index issued, keeping the rest
// (its query hash, its ranking token) as they are. A raw value goes into
// the JSON unchanged.
func forge(t *testing.T, cur, field string, value any) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(cur)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if raw, ok := value.(json.RawMessage); ok {
		m[field] = raw
	} else {
		m[field], _ = json.Marshal(value)
	}
	b, _ = json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TestForgedCursor: a cursor is outside input. One whose hash and ranking
// token are real but whose numbers were changed is refused as an invalid
// cursor, never indexes out of its ranking, and never panics.
func TestForgedCursor(t *testing.T) {
	ix := synthIndex(t, 5, 400)
	for _, q := range []Query{
		{Text: "dataset", Limit: 9},
		{Text: "dataset", Limit: 9, Facets: true},
		{Text: "dataset", Limit: 9, Currency: "USD", PriceMin: new(int64)},
		{Text: "dataset", Limit: 9, Sort: SortNewest},
		{Limit: 9, Sort: SortPriceAsc},
	} {
		first, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if first.NextCursor == "" {
			t.Fatalf("%+v: one page only, the test needs more", q)
		}
		c, err := decodeCursor(first.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		// ranked is how many ids the kept ranking holds now; it grows as
		// pages read past its end.
		ranked := func() int {
			r := ix.ranks.get(c.T)
			if r == nil {
				return 0
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			return len(r.ids)
		}
		if ranked() == 0 && q.Sort == "" {
			t.Fatalf("%+v: the first page kept no ranking", q)
		}
		// The real cursor and one at the end of its ranking are fine.
		for _, cur := range []string{first.NextCursor, forge(t, first.NextCursor, "p", ranked())} {
			q := q
			q.Cursor = cur
			if _, err := ix.Search(context.Background(), q); err != nil {
				t.Errorf("%+v: %v", q, err)
			}
		}
		for _, f := range []struct {
			field string
			value any
		}{
			{"p", -1}, {"p", "past the end"}, {"p", maxRankedIDs}, {"p", int64(1) << 62}, {"p", json.RawMessage("1.5")},
			{"n", -1}, {"n", json.RawMessage("0.5")}, {"n", float64(uint64(1) << 52)}, {"n", float64(uint64(1) << 60)},
			{"k", json.RawMessage("1e309")}, {"k", json.RawMessage(`"x"`)},
			{"v", 2}, {"v", 0}, {"v", json.RawMessage("1.0000001")},
			{"h", 0},
		} {
			if f.field == "p" && ranked() == 0 {
				continue // no ranking: the position is not used
			}
			if f.value == "past the end" {
				f.value = ranked() + 5
			}
			q := q
			q.Cursor = forge(t, first.NextCursor, f.field, f.value)
			name := fmt.Sprintf("q=%q sort=%q with %s=%s", q.Text, q.Sort, f.field, fmt.Sprint(f.value))
			var res *Result
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("%s: panic: %v", name, p)
					}
				}()
				res, err = ix.Search(context.Background(), q)
			}()
			if !errors.Is(err, ErrInvalidQuery) || !strings.HasPrefix(strings.TrimPrefix(err.Error(), ErrInvalidQuery.Error()+": "), "cursor: ") {
				t.Errorf("%s: %v, %v; want ErrInvalidQuery starting with cursor:", name, res != nil, err)
			}
		}
	}
}
