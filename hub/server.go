package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/node"
)

// Server is a running hub: a node (the owner's Person actor, key, inbox,
// delivery queue, HTTP layer, admin socket) with the owner's listings,
// their publishing, the owner API, the public pages, followers, relays
// and the listings of the hubs the owner follows.
type Server struct {
	node      *node.Node
	cfg       config.Config
	log       *slog.Logger
	publicURL string
	actorID   string
	handle    string
	rel       *federation.Relations
	client    *federation.Client
	queue     *federation.Queue
	now       func() time.Time
	// index is the local marketplace's search index; indexMu keeps its
	// writes in the order of what they read from hub.market.
	index   *index.Index
	indexMu sync.Mutex

	// mu serialises changes to listings and to who receives them, so
	// that each listing's record of who has it stays true.
	mu sync.Mutex
	// resync wakes the job that brings every listing's audience up to
	// date after followers or relays change.
	resync chan struct{}
	// agent is the escrow ledger of the escrow agent role; nil when the
	// role is off (hub.agent.enabled).
	agent *escrow.Ledger
	// evm is the hub's EVM escrow; nil when hub.evm is off.
	evm *evmEscrow
	// queueHook, when set (by tests), runs where the agent queues a
	// deal's updates, inside the step's transaction; its error fails the
	// step.
	queueHook func() error
	// ExpiryInterval is how often the expiry job looks for listings past
	// their expires_at (a minute by default); set it before Serve.
	ExpiryInterval time.Duration
	// dl is the delivery of deals' goods (delivery.go).
	dl deliveryState
}

// Open opens (or creates on first start) the hub's data directory: the
// node's (bbolt file, actor key, admin token; see node.Open) and the
// hub's buckets in the bbolt file. Only one process may hold it at a time.
func Open(cfg config.Config, log *slog.Logger) (*Server, error) {
	h := cfg.Hub
	n, err := node.Open(cfg, log, node.Options{
		Mode:           "hub",
		ActorType:      "Person",
		ActorPath:      "/users/" + h.Handle,
		Username:       h.Handle,
		Name:           h.Name,
		Summary:        h.Summary,
		AdminToken:     h.AdminToken,
		RateLimit:      h.RateLimit,
		ManualApproval: h.FollowApproval == "manual",
	})
	if err != nil {
		return nil, err
	}
	if err := createBuckets(n.DB); err != nil {
		n.Close()
		return nil, err
	}
	if err := deal.CreateBuckets(n.DB); err != nil {
		n.Close()
		return nil, err
	}
	if err := fillMarketIDs(n.DB); err != nil {
		n.Close()
		return nil, fmt.Errorf("marketplace: %w", err)
	}
	s := &Server{
		node:           n,
		cfg:            cfg,
		log:            log,
		publicURL:      n.PublicURL,
		actorID:        n.ActorID,
		handle:         h.Handle,
		rel:            n.Relations,
		client:         n.Client,
		queue:          n.Queue,
		now:            n.Now,
		resync:         make(chan struct{}, 1),
		ExpiryInterval: time.Minute,
	}
	if h.Agent.Enabled {
		if s.agent, err = escrow.NewLedger(n.DB, escrow.LedgerOptions{FundFromBalance: true, Now: n.Now, Timeouts: agentTimeouts(h.Agent.Timeouts)}); err != nil {
			n.Close()
			return nil, fmt.Errorf("escrow agent: %w", err)
		}
	}
	s.rel.OneWay = true
	s.rel.FollowerAccepted = s.followerAccepted
	s.rel.FollowingAccepted = func(actor string) { s.wakeResync() }
	n.Actor().ManuallyApprovesFollowers = h.FollowApproval == "manual"
	if err := s.openMarketIndex(); err != nil {
		n.Close()
		return nil, err
	}
	for _, d := range h.BlockedDomains {
		if _, err := s.Block(d, "configured"); err != nil {
			n.Close()
			return nil, fmt.Errorf("hub.blocked_domains: %w", err)
		}
	}
	n.ServeInbox(n.Inbox(s, nil))
	n.SetNodeInfo(s.nodeInfo)
	n.ServeOutbox(n.Limit("public", http.HandlerFunc(s.serveOutbox)))
	s.ownerRoutes()
	if err := s.pageRoutes(); err != nil {
		n.Close()
		return nil, err
	}
	s.dealRoutes()
	s.evmRoutes()
	if err := s.openEVM(); err != nil {
		n.Close()
		return nil, err
	}
	if err := s.openDelivery(); err != nil {
		s.closeEVM()
		n.Close()
		return nil, err
	}
	node.RegisterOperations(n, s, Operations())
	n.AddJob("listing expiry", s.expiryLoop)
	n.AddJob("listing audiences", s.resyncLoop)
	n.AddJob("relay specialization refresh", s.refreshLoop)
	if s.agent != nil {
		n.AddJob("escrow deadlines", s.deadlineLoop)
	}
	s.wakeResync() // deliveries a crash or a restart left undone
	return s, nil
}

// ActorID is the owner's actor id.
func (s *Server) ActorID() string { return s.actorID }

// Handle is the owner's address: acct:<handle>@<host>.
func (s *Server) Handle() string { return "acct:" + s.handle + "@" + s.node.Host() }

// Node is the node the hub runs on.
func (s *Server) Node() *node.Node { return s.node }

// Handler is the hub's whole HTTP surface, behind the node's HTTP layer.
func (s *Server) Handler() http.Handler { return s.node.Handler() }

// Serve serves HTTP on ln and runs the node's delivery queue, admin socket
// and the hub's background jobs until ctx ends, then shuts down
// gracefully (see node.Node.Serve).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error { return s.node.Serve(ctx, ln) }

// Close closes the marketplace index and the bbolt file. Call it after
// Serve returns.
func (s *Server) Close() error {
	deal.Unwatch(s.node.DB)
	return errors.Join(s.closeEVM(), s.node.Close())
}

func (s *Server) nodeInfo() federation.NodeInfo {
	var public int
	_ = s.view(func(t txn) error {
		recs, err := t.records()
		for _, r := range recs {
			if isPublic(r) {
				public++
			}
		}
		return err
	})
	return federation.NodeInfo{LocalPosts: public, Metadata: map[string]any{"nodeName": s.cfg.Hub.Name}}
}

func (s *Server) view(fn func(t txn) error) error {
	return s.node.DB.View(func(tx *bbolt.Tx) error { return fn(txn{tx: tx}) })
}

// update runs fn in one bbolt transaction; once it commits, the
// marketplace index takes the changes fn made to the marketplace.
func (s *Server) update(fn func(t txn) error) error {
	ch := &marketChanges{}
	err := s.node.DB.Update(func(tx *bbolt.Tx) error {
		ch.ids = ch.ids[:0]
		return fn(txn{tx: tx, market: ch})
	})
	if err == nil {
		s.indexMarket(ch)
	}
	return err
}

// listingURL is the object id and page of the listing with the hub's id.
func (s *Server) listingURL(id string) string { return s.publicURL + "/listings/" + id }

// followersURL is the owner's followers collection.
func (s *Server) followersURL() string { return s.node.Actor().Followers }

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// hostOf returns the lower-cased host (with port) of a URL, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
