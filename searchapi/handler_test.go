package searchapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/index"
)

// fakeIndex answers every search with res and err, after waiting for its
// context when slow is set.
type fakeIndex struct {
	res  *index.Result
	err  error
	slow bool
	got  index.Query
}

func (f *fakeIndex) Search(ctx context.Context, q index.Query) (*index.Result, error) {
	f.got = q
	if f.slow {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f.res, f.err
}

func get(t *testing.T, h http.Handler, query string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/search?"+query, nil))
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: body is not JSON: %s", query, w.Body)
	}
	return w, body
}

// TestHandlerErrors: each failure has its status and reason, and a bad
// parameter never reaches the index.
func TestHandlerErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ix     *fakeIndex
		query  string
		status int
		reason string
	}{
		{"unknown parameter", &fakeIndex{}, "colour=red", 400, "invalid_parameter"},
		{"refused by the index", &fakeIndex{err: fmt.Errorf("%w: cursor: was changed", index.ErrInvalidQuery)}, "cursor=x", 400, "invalid_parameter"},
		{"past the deadline", &fakeIndex{slow: true}, "q=x", 503, "search_timeout"},
		{"broken index", &fakeIndex{err: errors.New("disk on fire")}, "q=x", 500, "internal"},
	} {
		h := &Handler{Index: tc.ix, Deadline: time.Millisecond, CacheControl: "public, max-age=5"}
		w, body := get(t, h, tc.query)
		if w.Code != tc.status || body["reason"] != tc.reason {
			t.Errorf("%s: %d %v, want %d %s", tc.name, w.Code, body, tc.status, tc.reason)
		}
		if w.Header().Get("Cache-Control") != "" {
			t.Errorf("%s: an error is cacheable: %s", tc.name, w.Header().Get("Cache-Control"))
		}
		if tc.status == 503 && w.Header().Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", tc.name)
		}
		if tc.name == "unknown parameter" && tc.ix.got.Facets {
			t.Errorf("%s: the index was asked %+v", tc.name, tc.ix.got)
		}
		if msg, _ := body["error"].(string); tc.status == 400 && msg == "" {
			t.Errorf("%s: no message", tc.name)
		}
	}
	if _, body := get(t, &Handler{Index: &fakeIndex{}}, "colour=red"); body["error"] != "colour: is not a search parameter (known: q, type, tag, region, price_min, price_max, currency, price_type, pricing_model, seller, near, radius_km, sort, limit, cursor, facets)" {
		t.Errorf("unknown parameter: %v", body["error"])
	}
}

// TestHandlerAnswer: a page of hits in the answer shape, annotated by the
// caller, with the caller's Cache-Control; shared_by is left out when
// nobody shared a hit.
func TestHandlerAnswer(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	ix := &fakeIndex{res: &index.Result{Total: 2, Hits: []index.Hit{
		{ID: "https://a.example/l/1", Title: "One", Published: now, Updated: now, Seller: index.Seller{ID: "https://a.example/users/a"}},
		{ID: "https://a.example/l/2", Title: "Two", Published: now, Updated: now, Tags: []string{"x"}},
	}}}
	h := &Handler{Index: ix, Annotate: func(_ context.Context, hits []Hit) {
		hits[0].SharedBy = []string{"https://b.example/users/b"}
	}}
	w, body := get(t, h, "q=one&facets=false")
	if w.Code != 200 || w.Header().Get("Cache-Control") != "" {
		t.Fatalf("%d %s, Cache-Control %q", w.Code, w.Body, w.Header().Get("Cache-Control"))
	}
	hits := body["hits"].([]any)
	first, second := hits[0].(map[string]any), hits[1].(map[string]any)
	if first["shared_by"].([]any)[0] != "https://b.example/users/b" || first["published"] != "2025-03-01T12:00:00Z" {
		t.Errorf("first hit: %v", first)
	}
	if _, ok := second["shared_by"]; ok {
		t.Errorf("a hit nobody shared has shared_by: %v", second)
	}
	if tags, ok := first["tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("tags of a hit without tags: %v, want []", first["tags"])
	}
	if ix.got.Text != "one" || ix.got.Facets {
		t.Errorf("the index was asked %+v", ix.got)
	}
}
