package node

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/cors"
	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
)

// Version is the software version nodes report in NodeInfo and on their
// root; the command sets it from its build information.
var Version = "dev"

// Options are what a mode tells Open about its actor.
type Options struct {
	// Mode names the mode in logs and NodeInfo ("relay", "hub").
	Mode string
	// ActorType is the actor's ActivityStreams type: "Service" for a
	// relay, "Person" for a hub.
	ActorType string
	// ActorPath is the actor's path under the public URL, "/actor" by default.
	ActorPath string
	// Username is the actor's preferredUsername, and the user part of its
	// acct: address; Aliases are other user parts WebFinger answers for.
	Username string
	Aliases  []string
	// Name and Summary appear in the actor document.
	Name, Summary string
	// AdminToken is the configured admin token; empty means the one kept
	// in the data directory.
	AdminToken string
	// RateLimit limits requests per client address (see Limit).
	RateLimit config.RateLimit
	// ManualApproval keeps new followers pending until an operator
	// approves them.
	ManualApproval bool
	// CORSOrigins are the web origins whose pages may read the public
	// read API (PublicRead); "*" is any, none is no cross-origin reads.
	CORSOrigins []string
}

// Node is one running server with an actor. Its exported fields are set
// by Open and read by the mode that runs on it.
type Node struct {
	Config    config.Config
	Log       *slog.Logger
	PublicURL string
	ActorID   string
	Key       *rsa.PrivateKey
	DB        *bbolt.DB
	Client    *federation.Client
	Queue     *federation.Queue
	Relations *federation.Relations
	// Registry holds every Prometheus series the node exports.
	Registry   *prometheus.Registry
	FedMetrics *federation.Metrics
	Now        func() time.Time

	opts    Options
	actor   *federation.Actor
	mux     *http.ServeMux
	handler http.Handler // mux behind the HTTP layer, built once
	limiter *rateLimiter
	cors    *cors.Cors
	outbox  http.Handler // the actor's outbox: empty until a mode serves its own
	ops     []boundOperation
	jobs    []job
	closers []func() error

	ready    atomic.Bool
	notReady []func() string
	nodeInfo func() federation.NodeInfo
	// links are what WebFinger answers beside the self link.
	links []federation.JRDLink

	closeMu sync.Mutex
	closed  bool

	stopping chan struct{} // closed when Serve shuts down (Stopping)
	stopOnce sync.Once
}

// Open opens (or creates on first start) the data directory of
// cfg.DataDir: the bbolt file, the actor keys (RSA-2048 and Ed25519, mode
// 0600) and the federation state. Only one process may hold the bbolt file at a time.
func Open(cfg config.Config, log *slog.Logger, opts Options) (*Node, error) {
	if opts.ActorPath == "" {
		opts.ActorPath = "/actor"
	}
	if opts.Mode == "" {
		opts.Mode = "node"
	}
	if err := openDataDir(cfg.DataDir, log); err != nil {
		return nil, err
	}
	key, err := federation.LoadOrCreateKey(filepath.Join(cfg.DataDir, KeyFile))
	if err != nil {
		return nil, fmt.Errorf("actor key: %w", err)
	}
	edKey, err := federation.LoadOrCreateEd25519Key(filepath.Join(cfg.DataDir, Ed25519KeyFile))
	if err != nil {
		return nil, fmt.Errorf("actor key: %w", err)
	}
	dbPath := filepath.Join(cfg.DataDir, DBFile)
	db, err := bbolt.Open(dbPath, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another process (a running %s?) holds it", dbPath, opts.Mode)
		}
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	// Concurrent inbox writes share one transaction and one disk sync
	// (bbolt's Batch). bbolt waits up to 10 ms for company by default; 2 ms
	// measured 2.6x the signed-Create throughput with 8 senders here
	// (bench/relay-ingest) and 1.5x with 32.
	db.MaxBatchDelay = 2 * time.Millisecond
	n := &Node{
		Config:    cfg,
		Log:       log,
		PublicURL: cfg.PublicURL,
		ActorID:   cfg.PublicURL + opts.ActorPath,
		Key:       key,
		DB:        db,
		Registry:  prometheus.NewRegistry(),
		Now:       func() time.Time { return time.Now().UTC() },
		opts:      opts,
		mux:       http.NewServeMux(),
		cors:      newCORS(opts.CORSOrigins),
		stopping:  make(chan struct{}),
	}
	n.closers = append(n.closers, db.Close)
	if moved, err := federation.OpenState(db); err != nil {
		n.Close()
		return nil, fmt.Errorf("federation state: %w", err)
	} else if moved > 0 {
		log.Info("data dir: moved follows, blocks and applied activity ids to the federation buckets", "records", moved)
	}
	if n.limiter, err = newRateLimiter(opts.RateLimit, n.Registry, n.Now); err != nil {
		n.Close()
		return nil, err
	}
	n.FedMetrics = federation.NewMetrics(n.Registry)
	signer := &federation.Signer{KeyID: n.ActorID + "#main-key", Key: key, Ed25519Key: edKey, Ed25519KeyID: n.ActorID + "#ed25519-key"}
	hc := federation.NewHTTPClient(cfg.AllowPrivateNetworks, cfg.Federation.FetchTimeout.D())
	n.Client = federation.NewClient(hc, signer, cfg.Federation.KeyCacheTTL.D(), log)
	n.Client.Signatures = federation.SignatureStyle(cfg.Federation.Signatures)
	d := cfg.Federation.Delivery
	n.Queue, err = federation.OpenQueue(db, n.Client, federation.QueueConfig{
		InitialBackoff: d.InitialBackoff.D(),
		MaxBackoff:     d.MaxBackoff.D(),
		GiveUpAfter:    d.GiveUpAfter.D(),
		Workers:        d.Workers,
	}, n.FedMetrics, log)
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("delivery queue: %w", err)
	}
	n.Relations = &federation.Relations{
		DB: db, Client: n.Client, Queue: n.Queue,
		ActorID: n.ActorID, ActivityBase: n.PublicURL,
		Now: n.Now, Log: log, ManualApproval: opts.ManualApproval,
	}
	n.actor = &federation.Actor{
		ID:                n.ActorID,
		Type:              opts.ActorType,
		PreferredUsername: opts.Username,
		Name:              opts.Name,
		Summary:           opts.Summary,
		URL:               n.PublicURL + "/",
		Inbox:             n.ActorID + "/inbox",
		Outbox:            n.PublicURL + "/outbox",
		Followers:         n.PublicURL + "/followers",
		Following:         n.PublicURL + "/following",
		Endpoints:         &federation.Endpoints{SharedInbox: n.PublicURL + "/inbox"},
	}
	if opts.ActorPath == "/actor" {
		n.actor.Inbox = n.PublicURL + "/inbox"
	} else {
		// A person's collections live under their actor, where other
		// servers (and listing.Encode's followers address) look for them.
		n.actor.Outbox = n.ActorID + "/outbox"
		n.actor.Followers = n.ActorID + "/followers"
		n.actor.Following = n.ActorID + "/following"
	}
	pem, err := federation.PublicKeyPEM(&key.PublicKey)
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("actor key: %w", err)
	}
	n.actor.PublicKey = federation.PublicKey{ID: n.ActorID + "#main-key", Owner: n.ActorID, PublicKeyPem: pem}
	n.actor.AssertionMethod = []federation.Multikey{federation.Ed25519Multikey(signer.Ed25519KeyID, n.ActorID, edKey.Public().(ed25519.PublicKey))}
	n.outbox = federation.CollectionHandler(federation.Collection{ID: n.actor.Outbox, Count: func(context.Context) (int, error) { return 0, nil }})
	n.routes()
	registerOperations(n)
	return n, nil
}

// Actor is the actor document the node serves; a mode may add members
// (Extra) before Serve.
func (n *Node) Actor() *federation.Actor { return n.actor }

// Host is the host (with port) of the public URL.
func (n *Node) Host() string {
	_, rest, _ := strings.Cut(n.PublicURL, "://")
	host, _, _ := strings.Cut(rest, "/")
	return strings.ToLower(host)
}

// Inbox builds the inbox for a mode's activity handler, checked against
// the node's blocks; allowed, when set, makes it an allow-list inbox.
func (n *Node) Inbox(h federation.Handler, allowed func(host string) bool) *federation.Inbox {
	scheme, _, _ := strings.Cut(n.PublicURL, "://")
	return &federation.Inbox{
		Client:     n.Client,
		Handler:    h,
		MaxBytes:   n.Config.Federation.InboxMaxBytes,
		DateWindow: n.Config.Federation.DateWindow.D(),
		Blocked:    n.Relations.Blocked,
		Allowed:    allowed,
		Host:       n.Host(), // refuses requests signed for another server
		Scheme:     scheme,
		Metrics:    n.FedMetrics,
		Log:        n.Log,
	}
}

// OnClose registers fn to run when the node closes, before the bbolt file
// closes (a mode's search index, say).
func (n *Node) OnClose(fn func() error) {
	n.closers = append(n.closers, nil)
	copy(n.closers[1:], n.closers)
	n.closers[0] = fn
}

// Close closes what the mode registered with OnClose, then the bbolt
// file. Call it after Serve returns.
func (n *Node) Close() error {
	n.closeMu.Lock()
	defer n.closeMu.Unlock()
	if n.closed {
		return nil
	}
	n.closed = true
	var errs []error
	for _, c := range n.closers {
		if err := c(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
