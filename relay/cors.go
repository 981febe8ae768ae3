package relay

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/sovereign-marketplace/market/federation"
)

// corsPolicy lets web pages on other sites read the public search API
// (relay.cors.allowed_origins). It answers only GETs and their preflight:
// the API takes no credentials, so no cookie or token is ever exposed, and
// the inbox, the admin socket and reports are never opened to other sites.
type corsPolicy struct {
	any     bool            // "*": every origin
	origins map[string]bool // the listed origins, when not any
}

func newCORS(allowed []string) corsPolicy {
	c := corsPolicy{origins: map[string]bool{}}
	for _, o := range allowed {
		if o == "*" {
			c.any = true
		}
		c.origins[strings.ToLower(o)] = true
	}
	return c
}

// allow returns the Access-Control-Allow-Origin value for origin, if the
// origin may read the API.
func (c corsPolicy) allow(origin string) (string, bool) {
	switch {
	case origin == "":
		return "", false
	case c.any:
		return "*", true
	case c.origins[strings.ToLower(origin)]:
		return origin, true
	}
	return "", false
}

// wrap adds the CORS headers to the answers of a GET handler, errors and
// 429s included, so that a page can read why a request failed.
func (c corsPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if v, ok := c.allow(r.Header.Get("Origin")); ok {
			w.Header().Set("Access-Control-Allow-Origin", v)
			w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
		}
		next.ServeHTTP(w, r)
	})
}

// preflight answers a browser's OPTIONS before a cross-origin GET: 204
// with what is allowed, or 403 saying why not.
func (c corsPolicy) preflight(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
	origin, method := r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method")
	v, ok := c.allow(origin)
	switch {
	case !ok:
		federation.WriteError(w, http.StatusForbidden, "cors_refused", fmt.Sprintf("origin %q may not read this relay's API from a browser (relay.cors.allowed_origins)", origin))
		return
	case method != http.MethodGet && method != http.MethodHead:
		federation.WriteError(w, http.StatusForbidden, "cors_refused", fmt.Sprintf("only GET is allowed from other sites, not %q", method))
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", v)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req) // no credentials are ever allowed, so headers are harmless
	}
	h.Set("Access-Control-Max-Age", "7200")
	w.WriteHeader(http.StatusNoContent)
}

// sameOriginOnly refuses requests that a browser sent from a page on
// another site (an Origin header other than the relay's own): reports
// are taken from the relay's own pages and from clients that are not
// browsers, never from other sites, which could otherwise make their
// visitors' browsers file reports from many addresses.
func sameOriginOnly(publicURL string, next http.Handler) http.Handler {
	own := publicURL
	if u, err := url.Parse(publicURL); err == nil {
		own = u.Scheme + "://" + u.Host
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && !strings.EqualFold(o, own) {
			federation.WriteError(w, http.StatusForbidden, "cross_origin",
				fmt.Sprintf("reports are not taken from pages on other sites (Origin %q); send them from %s or from a server", o, own))
			return
		}
		next.ServeHTTP(w, r)
	})
}
