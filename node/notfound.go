package node

import (
	"net/http"
	"slices"
	"strings"
)

// ServeNotFound makes h answer the requests no route matches, in place of
// the plain-text 404 (a mode's 404 page for browsers, JSON for others). A
// path that is served for other methods still answers 405 with Allow, as
// before. Call it before Serve.
func (n *Node) ServeNotFound(h http.Handler) {
	n.mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allow := n.allowed(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			WriteJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method " + r.Method + " not allowed here; use " + strings.Join(allow, " or "), "reason": "method_not_allowed"})
			return
		}
		h.ServeHTTP(w, r)
	}))
}

// allowed lists the methods some route other than the fallback serves at
// r's path.
func (n *Node) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := n.mux.Handler(probe); pattern != "" && pattern != "/" {
			out = append(out, m)
		}
	}
	if slices.Contains(out, http.MethodGet) {
		out = append(out, http.MethodHead)
	}
	return out
}
