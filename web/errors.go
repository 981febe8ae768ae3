package web

import (
	"net/http"

	"github.com/sovereign-marketplace/market/federation"
)

// requestIDHeader is where the node's HTTP layer puts a request's id
// (node sets it on the response before any handler runs).
const requestIDHeader = "X-Request-Id"

// errorPage is the data of the 404 and error pages.
type errorPage struct {
	Heading, Message, RequestID string
}

// NotFound answers a request no page matches: the 404 page for a browser,
// a JSON error for any other client.
func (s *Site) NotFound(w http.ResponseWriter, r *http.Request) {
	if !WantsHTML(r) {
		federation.WriteError(w, http.StatusNotFound, "not_found", "nothing at "+r.URL.Path+" on this server")
		return
	}
	s.Render(w, r, http.StatusNotFound, "error", errorPage{
		Heading: "Page not found",
		Message: "There is no page at this address. It may have been removed, or the link may be mistyped.",
	})
}

// Error writes the error page with status. For a client error (4xx),
// message says what was wrong with the request and is shown; for a server
// error (5xx) the page says only that something failed and gives the
// request id: the details belong in the log, never on a page.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.renderError(w, r, status, message)
}

// PageError writes the error page for a request that wants a page
// (WantsHTML) and reports true; a request that wants JSON is left to
// the caller (false). It fits node.SetPageError.
func (s *Site) PageError(w http.ResponseWriter, r *http.Request, status int, message string) bool {
	if !WantsHTML(r) {
		return false
	}
	s.renderError(w, r, status, message)
	return true
}

// ServerError logs err with the request id and writes the 500 page.
func (s *Site) ServerError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error(what, "request_id", w.Header().Get(requestIDHeader), "method", r.Method, "path", r.URL.Path, "error", err)
	s.renderError(w, r, http.StatusInternalServerError, "")
}

func (s *Site) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	p := errorPage{Heading: http.StatusText(status), Message: message}
	if status >= 500 || message == "" {
		p.Message = "Something went wrong on this server, and the page could not be shown. Try again in a moment."
		p.RequestID = w.Header().Get(requestIDHeader)
	}
	switch status {
	case http.StatusNotFound:
		p.Heading = "Page not found"
	case http.StatusInternalServerError:
		p.Heading = "Something went wrong"
	case http.StatusServiceUnavailable:
		p.Heading = "Busy, try again"
	}
	if p.Heading == "" {
		p.Heading = "Error"
	}
	if _, ok := s.pages["error"]; !ok {
		http.Error(w, p.Heading, status)
		return
	}
	s.Render(w, r, status, "error", p)
}
