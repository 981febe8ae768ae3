package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// DefaultPageSize is how many items a collection page holds when the
// Collection does not say.
const DefaultPageSize = 20

// firstPage is the page parameter that asks for a collection's first
// page (Mastodon's spelling, which other servers already follow).
const firstPage = "true"

// maxCursor bounds the page parameter a client may send.
const maxCursor = 512

// Collection is an OrderedCollection this server serves (followers,
// following, an outbox), paged forward by cursor. A relay gives only a
// count; a hub gives the items of its outbox as well.
type Collection struct {
	// ID is the collection's URL, without a query.
	ID string
	// Count returns the collection's totalItems. It is required.
	Count func(ctx context.Context) (int, error)
	// Page returns at most limit items from cursor on ("" is the start),
	// in the collection's order (newest first for an outbox), and the
	// cursor of the page after them ("" when there is none). An item is
	// an IRI (a string), an embedded object as JSON (json.RawMessage) or
	// any value encoding/json encodes to a JSON object. A cursor is
	// opaque to this package: any string but "" and "true". An error
	// wrapping ErrInvalid (a cursor Page cannot read) answers 400, one
	// wrapping ErrNotFound 404. Nil Page serves the count only, with no
	// pages.
	Page func(ctx context.Context, cursor string, limit int) (items []any, next string, err error)
	// PageSize is the limit passed to Page; 0 means DefaultPageSize.
	PageSize int
}

// CollectionHandler serves c for GET and HEAD as application/activity+json:
// without a page parameter the OrderedCollection (id, totalItems and, when
// c has pages, first: ID?page=true); with ?page=true its first
// OrderedCollectionPage, and with ?page=<cursor> the page at that cursor,
// each linking the next with ?page=<next cursor>. The documents are built
// with go-ap's OrderedCollection and OrderedCollectionPage. It panics if
// c.Count is nil.
func CollectionHandler(c Collection) http.Handler {
	if c.Count == nil {
		panic("federation: CollectionHandler of " + c.ID + " without Count")
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r, "a collection") {
			return
		}
		page := r.URL.Query().Get("page")
		switch {
		case page == "":
		case c.Page == nil:
			WriteError(w, http.StatusNotFound, "not_found", "collection "+c.ID+" shows its count only; it has no pages")
			return
		case len(page) > maxCursor:
			WriteError(w, http.StatusBadRequest, "invalid_page", fmt.Sprintf("query parameter page is %d bytes long; at most %d accepted", len(page), maxCursor))
			return
		}
		b, err := c.document(r.Context(), page)
		switch {
		case errors.Is(err, ErrInvalid):
			WriteError(w, http.StatusBadRequest, "invalid_page", err.Error())
			return
		case errors.Is(err, ErrNotFound):
			WriteError(w, http.StatusNotFound, "not_found", err.Error())
			return
		case err != nil:
			WriteError(w, http.StatusInternalServerError, "internal", "read collection "+c.ID)
			return
		}
		writeDocument(w, r, b)
	})
}

// document builds the collection (page "") or one of its pages.
func (c Collection) document(ctx context.Context, page string) ([]byte, error) {
	total, err := c.Count(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("count %s: %w", c.ID, err)
	} else if err != nil {
		return nil, fmt.Errorf("count %s: %v", c.ID, err) // not the request's fault
	}
	if page == "" {
		first := ""
		if c.Page != nil {
			first = c.pageURL(firstPage)
		}
		b, err := encodeCollection(c.ID, total, first)
		if err != nil {
			return nil, fmt.Errorf("collection %s: %v", c.ID, err) // our id, not the request, is at fault
		}
		return b, nil
	}
	cursor := page
	if page == firstPage {
		cursor = ""
	}
	items, next, err := c.Page(ctx, cursor, c.PageSize)
	if err != nil {
		return nil, fmt.Errorf("page %q of %s: %w", page, c.ID, err)
	}
	nextURL := ""
	switch next {
	case "":
	case firstPage:
		// It would send a reader back to the start, forever.
		return nil, fmt.Errorf("page %q of %s: Page returned the cursor %q", page, c.ID, firstPage)
	default:
		nextURL = c.pageURL(next)
	}
	b, err := encodeCollectionPage(c.pageURL(page), c.ID, total, items, nextURL)
	if err != nil {
		// An item Page returned, not the request, is at fault.
		return nil, fmt.Errorf("page %q of %s: %v", page, c.ID, err)
	}
	return b, nil
}

// pageURL is the URL of the page at cursor.
func (c Collection) pageURL(cursor string) string {
	sep := "?"
	if strings.Contains(c.ID, "?") {
		sep = "&"
	}
	return c.ID + sep + "page=" + url.QueryEscape(cursor)
}
