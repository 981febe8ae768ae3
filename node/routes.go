package node

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Handle registers a mode's route, behind the node's HTTP layer.
func (n *Node) Handle(pattern string, h http.Handler) { n.mux.Handle(pattern, h) }

// HandleFunc is Handle for a function.
func (n *Node) HandleFunc(pattern string, h http.HandlerFunc) { n.mux.Handle(pattern, h) }

// Limit rate-limits h per client address (config key relay.rate_limit),
// counting refusals under endpoint.
func (n *Node) Limit(endpoint string, h http.Handler) http.Handler {
	return n.limiter.wrap(endpoint, h)
}

// Handler is the node's whole HTTP surface, behind its HTTP layer.
func (n *Node) Handler() http.Handler {
	if n.handler == nil {
		n.handler = n.middleware(gzhttp.GzipHandler(n.mux))
	}
	return n.handler
}

// ServeInbox serves inbox at the shared inbox (/inbox) and the actor's
// own inbox, rate-limited; wrap, when set, wraps it first (a relay keeps
// each request's signature headers as evidence).
func (n *Node) ServeInbox(inbox http.Handler) {
	h := n.Limit("inbox", inbox)
	n.mux.Handle("POST /inbox", h)
	if n.actor.Inbox != n.PublicURL+"/inbox" {
		n.mux.Handle("POST "+n.actor.Inbox[len(n.PublicURL):], h)
	} else {
		n.mux.Handle("POST "+n.opts.ActorPath+"/inbox", h)
	}
}

// ServeOutbox serves h at the actor's outbox instead of the empty
// collection every node serves. Call it before Serve.
func (n *Node) ServeOutbox(h http.Handler) { n.outbox = h }

// path is the path of a URL under the public URL.
func (n *Node) path(u string) string { return strings.TrimPrefix(u, n.PublicURL) }

// SetNodeInfo sets what NodeInfo reports beyond the software.
func (n *Node) SetNodeInfo(fn func() federation.NodeInfo) { n.nodeInfo = fn }

// AddWebFingerLink adds a link to every WebFinger answer, after the self
// link (a hub's remote-interaction template). Call it before serving.
func (n *Node) AddWebFingerLink(l federation.JRDLink) { n.links = append(n.links, l) }

// NotReadyWhile makes /readyz answer 503 with the reason fn returns,
// while it returns one.
func (n *Node) NotReadyWhile(fn func() string) { n.notReady = append(n.notReady, fn) }

// routes serves what every node serves.
func (n *Node) routes() {
	m := n.mux
	m.Handle("GET "+n.opts.ActorPath, WithETag(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		federation.ActorHandler(n.actor).ServeHTTP(w, r)
	})))
	m.Handle("GET "+n.path(n.actor.Outbox), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.outbox.ServeHTTP(w, r) }))
	m.Handle("GET "+n.path(n.actor.Followers), n.collection(n.path(n.actor.Followers), func(tx *bbolt.Tx) int { return federation.FollowsIn(tx).Count(false) }))
	m.Handle("GET "+n.path(n.actor.Following), n.collection(n.path(n.actor.Following), func(tx *bbolt.Tx) int { return federation.FollowsIn(tx).Count(true) }))
	users := append([]string{n.opts.Username}, n.opts.Aliases...)
	m.Handle("GET /.well-known/webfinger", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		federation.WebFingerHandler(n.Host(), func(user string) (string, bool) {
			return n.ActorID, slices.Contains(users, user)
		}, n.links...).ServeHTTP(w, r)
	}))
	wk, doc := federation.NodeInfoHandlers(n.PublicURL, n.info)
	m.Handle("GET /.well-known/nodeinfo", wk)
	m.Handle("GET /nodeinfo/2.1", doc)
	m.Handle("GET /ns/market/v1", WithETag(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(listing.Context)
	})))
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !n.ready.Load() {
			WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
			return
		}
		for _, fn := range n.notReady {
			if why := fn(); why != "" {
				WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": why})
				return
			}
		}
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	m.Handle("GET /metrics", promhttp.HandlerFor(n.Registry, promhttp.HandlerOpts{}))
}

func (n *Node) info() federation.NodeInfo {
	info := federation.NodeInfo{Metadata: map[string]any{}}
	if n.nodeInfo != nil {
		info = n.nodeInfo()
	}
	info.SoftwareName = "sovereign-market"
	info.SoftwareVersion = Version
	if info.Metadata == nil {
		info.Metadata = map[string]any{}
	}
	info.Metadata["role"] = n.opts.Mode
	return info
}

// collection serves an OrderedCollection with a count and no items, which
// is what other servers need of a node's followers and following.
func (n *Node) collection(path string, count func(tx *bbolt.Tx) int) http.Handler {
	return federation.CollectionHandler(federation.Collection{
		ID: n.PublicURL + path,
		Count: func(context.Context) (int, error) {
			var total int
			err := n.DB.View(func(tx *bbolt.Tx) error { total = count(tx); return nil })
			return total, err
		},
	})
}
