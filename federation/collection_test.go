package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// getJSON fetches url and decodes its body, returning the status too.
func getJSON(t *testing.T, url string) (int, map[string]any, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	if _, err := decodeObject(body); err != nil || json.Unmarshal(body, &doc) != nil {
		t.Fatalf("GET %s: %d, body %q is not one JSON object: %v", url, resp.StatusCode, body, err)
	}
	return resp.StatusCode, doc, resp.Header
}

// muxServer starts a test server on a fresh mux, closed with the test.
func muxServer(t *testing.T) (*http.ServeMux, *httptest.Server) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return mux, srv
}

// TestCollectionCountOnly: a relay's followers, as it serves them today:
// an OrderedCollection with a count and no pages.
func TestCollectionCountOnly(t *testing.T) {
	mux, srv := muxServer(t)
	id := srv.URL + "/followers"
	mux.Handle("GET /followers", CollectionHandler(Collection{ID: id, Count: func(context.Context) (int, error) { return 3, nil }}))

	status, doc, h := getJSON(t, id)
	want := map[string]any{"@context": activityStreamsNS, "id": id, "type": "OrderedCollection", "totalItems": 3.0}
	if status != 200 || h.Get("Content-Type") != ContentType || !reflect.DeepEqual(doc, want) {
		t.Errorf("%d %q %v, want %v", status, h.Get("Content-Type"), doc, want)
	}
	status, doc, _ = getJSON(t, id+"?page=true")
	if status != http.StatusNotFound || doc["reason"] != "not_found" {
		t.Errorf("page of a count-only collection: %d %v", status, doc)
	}
}

// outbox is a hub's outbox of n activities, newest first, paged by the
// index of the next item as the cursor.
func outbox(base string, n int, calls *[]string) Collection {
	return Collection{
		ID:       base + "/outbox",
		Count:    func(context.Context) (int, error) { return n, nil },
		PageSize: 2,
		Page: func(_ context.Context, cursor string, limit int) ([]any, string, error) {
			*calls = append(*calls, cursor)
			from := 0
			if cursor != "" {
				var err error
				if from, err = strconv.Atoi(cursor); err != nil || from < 0 || from > n {
					return nil, "", fmt.Errorf("cursor %q is not an index: %w", cursor, ErrInvalid)
				}
			}
			var items []any
			for i := from; i < min(from+limit, n); i++ {
				if i%2 == 0 {
					items = append(items, fmt.Sprintf("%s/activities/%d", base, n-i))
				} else {
					items = append(items, json.RawMessage(fmt.Sprintf(`{"id":"%s/activities/%d","type":"Create","object":{"type":["Note","Proposal"],"listingType":"offer"}}`, base, n-i)))
				}
			}
			next := ""
			if from+limit < n {
				next = strconv.Itoa(from + limit)
			}
			return items, next, nil
		},
	}
}

// TestCollectionPages: a reader that follows first and next sees every
// item once, in order, and the last page has no next.
func TestCollectionPages(t *testing.T) {
	mux, srv := muxServer(t)
	var calls []string
	c := outbox(srv.URL, 5, &calls)
	mux.Handle("GET /outbox", CollectionHandler(c))

	status, doc, _ := getJSON(t, c.ID)
	if status != 200 || doc["type"] != "OrderedCollection" || doc["totalItems"] != 5.0 || doc["first"] != c.ID+"?page=true" {
		t.Fatalf("collection: %d %v", status, doc)
	}
	var ids []string
	pages := 0
	for next, _ := doc["first"].(string); next != ""; pages++ {
		if pages > 5 {
			t.Fatal("more pages than items")
		}
		status, page, _ := getJSON(t, next)
		if status != 200 || page["type"] != "OrderedCollectionPage" || page["partOf"] != c.ID || page["id"] != next ||
			page["totalItems"] != 5.0 || page["@context"] != activityStreamsNS {
			t.Fatalf("page %s: %d %v", next, status, page)
		}
		items, _ := page["orderedItems"].([]any)
		for _, it := range items {
			switch x := it.(type) {
			case string:
				ids = append(ids, x)
			case map[string]any:
				ids = append(ids, x["id"].(string))
				if obj := x["object"].(map[string]any); obj["listingType"] != "offer" {
					t.Errorf("embedded object lost members go-ap does not know: %v", x)
				}
			}
		}
		next, _ = page["next"].(string)
	}
	var want []string
	for i := 5; i >= 1; i-- {
		want = append(want, fmt.Sprintf("%s/activities/%d", srv.URL, i))
	}
	if pages != 3 || !reflect.DeepEqual(ids, want) {
		t.Errorf("%d pages with %v, want 3 pages with %v", pages, ids, want)
	}
	if !reflect.DeepEqual(calls, []string{"", "2", "4"}) {
		t.Errorf("cursors passed to Page: %q", calls)
	}
}

// TestCollectionPageErrors: a bad cursor is the client's fault (400), a
// broken item or count is ours (500), and only GET and HEAD are served.
func TestCollectionPageErrors(t *testing.T) {
	mux, srv := muxServer(t)
	var calls []string
	c := outbox(srv.URL, 5, &calls)
	mux.Handle("/outbox", CollectionHandler(c))
	broken := c
	broken.ID = srv.URL + "/broken"
	broken.Page = func(context.Context, string, int) ([]any, string, error) {
		return []any{`https://hub.example/"quoted"`}, "", nil
	}
	mux.Handle("/broken", CollectionHandler(broken))
	loop := c
	loop.ID = srv.URL + "/loop"
	loop.Page = func(context.Context, string, int) ([]any, string, error) { return nil, "true", nil }
	mux.Handle("/loop", CollectionHandler(loop))
	failing := c
	failing.ID = srv.URL + "/failing"
	failing.Count = func(context.Context) (int, error) { return 0, fmt.Errorf("disk: %w", ErrInvalid) }
	mux.Handle("/failing", CollectionHandler(failing))
	empty := c
	empty.ID = srv.URL + "/empty"
	empty.Count = func(context.Context) (int, error) { return 0, nil }
	empty.Page = func(context.Context, string, int) ([]any, string, error) { return nil, "", nil }
	mux.Handle("/empty", CollectionHandler(empty))

	for _, tc := range []struct {
		url    string
		status int
		reason string
	}{
		{c.ID + "?page=x", http.StatusBadRequest, "invalid_page"},
		{c.ID + "?page=" + strings.Repeat("9", maxCursor+1), http.StatusBadRequest, "invalid_page"},
		{broken.ID + "?page=true", http.StatusInternalServerError, "internal"},
		{loop.ID + "?page=true", http.StatusInternalServerError, "internal"},
		{failing.ID, http.StatusInternalServerError, "internal"},
		{failing.ID + "?page=true", http.StatusInternalServerError, "internal"},
	} {
		status, doc, _ := getJSON(t, tc.url)
		if status != tc.status || doc["reason"] != tc.reason {
			t.Errorf("GET %s: %d %v, want %d %s", tc.url, status, doc, tc.status, tc.reason)
		}
	}
	status, doc, _ := getJSON(t, empty.ID+"?page=true")
	if items, ok := doc["orderedItems"].([]any); status != 200 || !ok || len(items) != 0 || doc["next"] != nil {
		t.Errorf("empty page: %d %v", status, doc)
	}

	resp, err := http.Post(c.ID, ContentType, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp, err = http.Head(c.ID + "?page=true")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != ContentType {
		t.Errorf("HEAD: %d %q", resp.StatusCode, body)
	}
}

// TestCollectionHandlerWithoutCount: a collection without a count is a
// programming error, caught when the route is set up.
func TestCollectionHandlerWithoutCount(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	CollectionHandler(Collection{ID: "https://relay.example/followers"})
}

// TestCollectionIDWithQuery: page links join an id that has a query.
func TestCollectionIDWithQuery(t *testing.T) {
	c := Collection{ID: "https://hub.example/outbox?user=a"}
	if got := c.pageURL("a b&c"); got != "https://hub.example/outbox?user=a&page=a+b%26c" {
		t.Errorf("pageURL: %s", got)
	}
	if !errors.Is(func() error { _, err := encodeCollection("/relative", 0, ""); return err }(), ErrInvalid) {
		t.Error("relative collection id accepted")
	}
}
