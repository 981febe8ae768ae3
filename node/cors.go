package node

import (
	"fmt"
	"net/http"

	"github.com/rs/cors"

	"github.com/sovereign-marketplace/market/federation"
)

// PublicRead serves h for GET (and HEAD) at path, open to web pages on the
// origins of Options.CORSOrigins ("*" for any) through rs/cors, preflight
// included. The public read API takes no credentials, so no cookie or
// token is ever exposed; nothing but GET is allowed from other sites, and
// the inbox and the admin socket are never registered this way.
func (n *Node) PublicRead(path string, h http.Handler) {
	h = n.cors.Handler(h)
	n.mux.Handle("GET "+path, h)
	n.mux.Handle("OPTIONS "+path, h)
}

// newCORS is the policy of the public read API.
func newCORS(origins []string) *cors.Cors {
	opts := cors.Options{
		AllowedOrigins:       origins,
		AllowedMethods:       []string{http.MethodGet, http.MethodHead},
		AllowedHeaders:       []string{"*"}, // no credentials are ever allowed, so headers are harmless
		ExposedHeaders:       []string{"Retry-After", requestIDHeader},
		MaxAge:               7200,
		AllowCredentials:     false,
		OptionsSuccessStatus: http.StatusNoContent,
	}
	if len(origins) == 0 {
		// rs/cors reads no origins as any; here it means none.
		opts.AllowOriginFunc = func(string) bool { return false }
	}
	return cors.New(opts)
}

// SameOriginOnly refuses requests a browser sent from a page on another
// site (http.CrossOriginProtection: Sec-Fetch-Site, or Origin against
// Host), with a 403 naming what to do instead; requests from the node's
// own pages and from clients that are not browsers pass. Use it on every
// state-changing route open to the public.
func (n *Node) SameOriginOnly(what string, h http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		federation.WriteError(w, http.StatusForbidden, "cross_origin",
			fmt.Sprintf("%s are not taken from pages on other sites (Origin %q); send them from %s or from a server", what, r.Header.Get("Origin"), n.PublicURL))
	}))
	return p.Handler(h)
}
