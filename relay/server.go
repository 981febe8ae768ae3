package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/searchapi"
)

// Files in the data directory beside the node's.
const indexDir = "index"

// Server is a running relay: a node (actor, key, inbox, delivery queue,
// HTTP layer, admin socket) with the relay's listing store, search index,
// specialization and moderation.
type Server struct {
	node      *node.Node
	cfg       config.Config
	log       *slog.Logger
	publicURL string
	actorID   string
	store     *Store
	client    *federation.Client
	queue     *federation.Queue
	rel       *federation.Relations
	discovery *discovery
	index     *index.Index
	spec      Specialization
	allowed   allowList
	metrics   *metrics
	now       func() time.Time
	// search serves GET /api/v1/search; tests lower its deadline.
	search *searchapi.Handler

	reindexing atomic.Bool
	catchingUp atomic.Bool  // the index journal is being replayed (journal.go)
	indexMu    sync.RWMutex // a journal replay's reads and writes exclude the OnChange hook's writes
	hookMu     sync.RWMutex
	onChange   []func(put []*Record, deleted []string)
}

// Open opens (or creates on first start) the relay's data directory: the
// node's (bbolt file, actor key, admin token; see node.Open, which also
// moves a data directory written before the node package existed) and the
// search index. Only one process may hold the bbolt file at a time.
func Open(cfg config.Config, log *slog.Logger) (*Server, error) {
	spec, err := NewSpecialization(cfg.Relay.Specialization)
	if err != nil {
		return nil, err
	}
	n, err := node.Open(cfg, log, node.Options{
		Mode:           "relay",
		ActorType:      "Service",
		Username:       "relay",
		Aliases:        []string{"actor"},
		Name:           cfg.Relay.Name,
		Summary:        cfg.Relay.Summary,
		AdminToken:     cfg.Relay.AdminToken,
		RateLimit:      cfg.Relay.RateLimit,
		ManualApproval: cfg.Relay.FollowApproval == "manual",
		CORSOrigins:    cfg.Relay.CORS.AllowedOrigins,
	})
	if err != nil {
		return nil, err
	}
	store, err := NewStore(n.DB)
	if err != nil {
		n.Close()
		return nil, err
	}
	s := &Server{
		node:      n,
		cfg:       cfg,
		log:       log,
		publicURL: n.PublicURL,
		actorID:   n.ActorID,
		store:     store,
		client:    n.Client,
		queue:     n.Queue,
		rel:       n.Relations,
		spec:      spec,
		allowed:   newAllowList(cfg.Relay.AllowedDomains),
		now:       n.Now,
	}
	s.metrics = newMetrics(n.Registry, s)
	d := cfg.Federation.Delivery
	s.discovery = newDiscovery(d.InitialBackoff.D(), d.MaxBackoff.D(), s.queue.Unreachable, s.now)
	s.rel.Followable = func(object string) bool { return object == s.actorID || object == federation.PublicCollection }
	s.rel.MayFollow = func(id string) error {
		if !s.allowed.allows(id) {
			return fmt.Errorf("%w: %s is not on a domain of relay.allowed_domains (%s)", federation.ErrForbidden, id, strings.Join(s.allowed.sorted(), ", "))
		}
		return nil
	}
	s.rel.FollowerAccepted = func(ctx context.Context, remote *federation.RemoteActor) error {
		s.discovery.enqueue(remote.ID)
		return s.rel.FollowBack(ctx, remote)
	}
	s.rel.FollowingAccepted = s.discovery.enqueue
	s.index, err = index.Open(filepath.Join(cfg.DataDir, indexDir), index.Options{Log: log, Journaled: true})
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	n.OnClose(s.closeIndex)
	// Loading the index's records leaves about as much garbage as it keeps
	// (read buffers, the heap's growth headroom); hand it back to the
	// system now rather than keep it resident until the runtime scavenges.
	debug.FreeOSMemory()
	s.search = &searchapi.Handler{Index: s.index, Log: log, CacheControl: "public, max-age=5"}
	s.OnChange(s.indexChanges)
	if err := s.applyConfiguredBlocks(); err != nil {
		n.Close()
		return nil, err
	}
	if err := s.sweepStored(); err != nil {
		n.Close()
		return nil, err
	}
	var allowed func(string) bool
	if len(s.allowed) > 0 {
		allowed = s.allowed.host
	}
	n.Actor().Extra = map[string]any{"specialization": s.spec.Describe()}
	n.ServeInbox(withSignature(n.Inbox(s, allowed)))
	n.SetNodeInfo(s.nodeInfo)
	n.NotReadyWhile(func() string {
		if s.reindexing.Load() || s.index.NeedsRebuild() {
			return "rebuilding the search index"
		}
		if s.catchingUp.Load() {
			return "re-indexing the listings changed since the search index's last checkpoint"
		}
		return ""
	})
	s.apiRoutes()
	if err := s.pageRoutes(); err != nil {
		n.Close()
		return nil, fmt.Errorf("web pages: %w", err)
	}
	node.RegisterOperations(n, s, Operations())
	n.AddJob("linked proposal discovery", s.discoveryLoop)
	n.AddJob("search index checkpoints", s.checkpointLoop)
	if !s.index.NeedsRebuild() {
		// Listings stored but perhaps not indexed when the relay last
		// stopped (see journal.go).
		s.catchingUp.Store(true)
		n.AddJob("search index catch-up", func(ctx context.Context) {
			defer s.catchingUp.Store(false)
			if err := s.catchUpIndex(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("replay the index journal", "error", err)
			}
		})
	}
	if s.index.NeedsRebuild() {
		n.AddJob("search index rebuild", func(ctx context.Context) {
			if err := s.Reindex(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("rebuild search index", "error", err)
			}
		})
	}
	return s, nil
}

// applyConfiguredBlocks stores the blocks from the configuration file.
func (s *Server) applyConfiguredBlocks() error {
	for _, d := range s.cfg.Relay.BlockedDomains {
		if _, err := s.Block(d, "configured"); err != nil {
			return fmt.Errorf("relay.blocked_domains: %w", err)
		}
	}
	return nil
}

// ActorID is the relay actor's id.
func (s *Server) ActorID() string { return s.actorID }

// Store gives access to the relay's bbolt store.
func (s *Server) Store() *Store { return s.store }

// Queue is the relay's outbound delivery queue.
func (s *Server) Queue() *federation.Queue { return s.queue }

// Node is the node the relay runs on.
func (s *Server) Node() *node.Node { return s.node }

// Handler is the relay's whole HTTP surface, behind the node's HTTP layer.
func (s *Server) Handler() http.Handler { return s.node.Handler() }

// OnChange registers fn to be called after listings are stored (put) or
// removed (deleted), outside any transaction. The search index uses it.
func (s *Server) OnChange(fn func(put []*Record, deleted []string)) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.onChange = append(s.onChange, fn)
}

func (s *Server) listingsChanged(put []*Record, deleted []string) {
	if len(put) == 0 && len(deleted) == 0 {
		return
	}
	s.metrics.lastIngest.Store(s.now().Unix())
	s.hookMu.RLock()
	defer s.hookMu.RUnlock()
	for _, fn := range s.onChange {
		fn(put, deleted)
	}
}

func (s *Server) nodeInfo() federation.NodeInfo {
	var listings int
	_ = s.store.View(func(t *Txn) error { listings = t.CountListings(); return nil })
	return federation.NodeInfo{
		LocalPosts: listings,
		Metadata:   map[string]any{"nodeName": s.cfg.Relay.Name, "specialization": s.spec.Describe()},
	}
}

// Serve serves HTTP on ln and runs the node's delivery queue, admin socket
// and the relay's background jobs until ctx ends, then shuts down
// gracefully (see node.Node.Serve).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error { return s.node.Serve(ctx, ln) }

// Close closes the search index and the bbolt file. Call it after Serve
// returns.
func (s *Server) Close() error { return s.node.Close() }

// Block blocks a domain (a host name, or host:port) or one actor (given by
// its URL) and drops their listings from the store and the index at once.
// The relay also stops following the hubs it covers (an Undo(Follow) goes
// out through the delivery queue) and forgets their subscriptions. It
// reports how many listings were dropped.
func (s *Server) Block(ref, reason string) (int, error) {
	var dropped []string
	res, err := s.rel.Block(ref, reason, func(tx *bbolt.Tx, ref string, isActor bool) error {
		t := &Txn{tx}
		var err error
		if isActor {
			dropped, err = t.DeleteListingsOf(ref)
		} else {
			dropped, err = t.DeleteListingsOnHost(ref)
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	s.listingsChanged(nil, dropped)
	s.log.Info("blocked", "block", strings.TrimSpace(ref), "reason", reason, "listings_dropped", len(dropped), "hubs_unfollowed", res.Unfollowed, "followers_dropped", res.FollowersDropped)
	return len(dropped), nil
}

// Unblock lifts a domain block; it reports whether the domain was blocked.
func (s *Server) Unblock(domain string) (bool, error) {
	was, err := s.rel.Unblock(domain)
	if err == nil && was {
		s.log.Info("block lifted", "block", strings.TrimSpace(domain))
	}
	return was, err
}

// Blocked reports whether host (host or host:port) or a parent domain of
// it is blocked. It is the inbox's block check.
func (s *Server) Blocked(host string) bool { return s.rel.Blocked(host) }

// Follow makes the relay follow a hub actor given as a URL or as
// acct:user@host; the Follow is queued and the follow recorded as pending.
func (s *Server) Follow(ctx context.Context, ref string) (string, error) {
	return s.rel.Follow(ctx, ref)
}

// Unfollow ends the relay's relationship with a hub actor (URL or
// acct:user@host), queues an Undo(Follow), and drops its listings.
func (s *Server) Unfollow(ctx context.Context, ref string) (string, error) {
	var dropped []string
	id, err := s.rel.Unfollow(ctx, ref, func(tx *bbolt.Tx, actor string) error {
		var err error
		dropped, err = (&Txn{tx}).DeleteListingsOf(actor)
		return err
	})
	if err == nil {
		s.listingsChanged(nil, dropped)
	}
	return id, err
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
