package relay

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// Version is the software version the relay reports in NodeInfo; the
// command sets it from its build information.
var Version = "dev"

// Files in the data directory.
const (
	dbFile     = "relay.db"
	indexDir   = "index"
	keyFile    = "relay.key"
	tokenFile  = "admin.token"
	socketFile = "admin.sock"
)

// Server is a running relay: its stores, its actor and key, the inbox
// pipeline, the delivery queue and its HTTP endpoints.
type Server struct {
	cfg       config.Config
	log       *slog.Logger
	publicURL string
	actorID   string
	key       *rsa.PrivateKey
	db        *bbolt.DB
	store     *Store
	client    *federation.Client
	queue     *federation.Queue
	discovery *discovery
	index     *index.Index
	spec      Specialization
	allowed   allowList
	limiter   *rateLimiter
	metrics   *metrics
	registry  *prometheus.Registry
	mux       *http.ServeMux
	now       func() time.Time
	// searchDeadline is SearchDeadline, lowered by tests.
	searchDeadline time.Duration

	ready      atomic.Bool
	reindexing atomic.Bool
	closeMu    sync.Mutex
	closed     bool
	hookMu     sync.RWMutex
	onChange   []func(put []*Record, deleted []string)
}

// Open opens (or creates on first start) the relay's data directory: the
// bbolt file, the actor key (RSA-2048, mode 0600) and the admin token. Only
// one process may hold the bbolt file at a time.
func Open(cfg config.Config, log *slog.Logger) (*Server, error) {
	if err := openDataDir(cfg.DataDir, log); err != nil {
		return nil, err
	}
	key, err := federation.LoadOrCreateKey(filepath.Join(cfg.DataDir, keyFile))
	if err != nil {
		return nil, fmt.Errorf("relay key: %w", err)
	}
	dbPath := filepath.Join(cfg.DataDir, dbFile)
	db, err := bbolt.Open(dbPath, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, bbolt.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another process (a running relay?) holds it", dbPath)
		}
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	// Concurrent inbox writes share one transaction and one disk sync
	// (Store.Batch). bbolt waits up to 10 ms for company by default; 2 ms
	// measured 2.6x the signed-Create throughput with 8 senders here
	// (bench/relay-ingest) and 1.5x with 32.
	db.MaxBatchDelay = 2 * time.Millisecond
	store, err := NewStore(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	spec, err := NewSpecialization(cfg.Relay.Specialization)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		log:       log,
		publicURL: cfg.PublicURL,
		actorID:   cfg.PublicURL + "/actor",
		key:       key,
		db:        db,
		store:     store,
		spec:      spec,
		allowed:   newAllowList(cfg.Relay.AllowedDomains),
		registry:  prometheus.NewRegistry(),
		now:       func() time.Time { return time.Now().UTC() },

		searchDeadline: SearchDeadline,
	}
	if s.limiter, err = newRateLimiter(cfg.Relay.RateLimit, s.registry, s.now); err != nil {
		db.Close()
		return nil, err
	}
	fedMetrics := federation.NewMetrics(s.registry)
	s.metrics = newMetrics(s.registry, s)
	signer := &federation.Signer{KeyID: s.actorID + "#main-key", Key: key}
	hc := federation.NewHTTPClient(cfg.AllowPrivateNetworks, cfg.Federation.FetchTimeout.D())
	s.client = federation.NewClient(hc, signer, cfg.Federation.KeyCacheTTL.D(), log)
	s.client.Signatures = federation.SignatureStyle(cfg.Federation.Signatures)
	d := cfg.Federation.Delivery
	s.queue, err = federation.OpenQueue(db, s.client, federation.QueueConfig{
		InitialBackoff: d.InitialBackoff.D(),
		MaxBackoff:     d.MaxBackoff.D(),
		GiveUpAfter:    d.GiveUpAfter.D(),
		Workers:        d.Workers,
	}, fedMetrics, log)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("delivery queue: %w", err)
	}
	s.discovery = newDiscovery(d.InitialBackoff.D(), d.MaxBackoff.D(), s.queue.Unreachable, s.now)
	s.index, err = index.Open(filepath.Join(cfg.DataDir, indexDir), index.Options{Log: log})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	s.OnChange(s.indexChanges)
	if err := s.applyConfiguredBlocks(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.sweepStored(); err != nil {
		s.Close()
		return nil, err
	}
	inbox := &federation.Inbox{
		Client:     s.client,
		Handler:    s,
		MaxBytes:   cfg.Federation.InboxMaxBytes,
		DateWindow: cfg.Federation.DateWindow.D(),
		Blocked:    s.Blocked,
		Host:       hostOf(cfg.PublicURL), // refuses requests signed for another server
		Scheme:     strings.SplitN(cfg.PublicURL, "://", 2)[0],
		Metrics:    fedMetrics,
		Log:        log,
	}
	if len(s.allowed) > 0 {
		inbox.Allowed = s.allowed.host
	}
	s.routes(inbox)
	return s, nil
}

// openDataDir creates the data directory with mode 0700, or tightens an
// existing one that others may read or enter (0755, say) to 0700: it holds
// the relay's key and the admin token. It logs the change, and refuses to
// start, naming the directory and the mode wanted, when it cannot make it.
func openDataDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data dir %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data dir %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data dir %s: not a directory", dir)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("data dir %s has mode %04o, open to other users, and cannot be tightened to 0700 (%v): run chmod 0700 %s as its owner", dir, mode, err, dir)
		}
		log.Warn("data dir was open to other users; tightened it to 0700: it holds the relay's key and admin token", "data_dir", dir, "was", fmt.Sprintf("%04o", mode))
	}
	return nil
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

// Handler is the relay's whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.mux }

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

func (s *Server) routes(inbox *federation.Inbox) {
	m := http.NewServeMux()
	host := hostOf(s.publicURL)
	actor := &federation.Actor{
		ID:                s.actorID,
		Type:              "Service",
		PreferredUsername: "relay",
		Name:              s.cfg.Relay.Name,
		Summary:           s.cfg.Relay.Summary,
		URL:               s.publicURL + "/",
		Inbox:             s.publicURL + "/inbox",
		Outbox:            s.publicURL + "/outbox",
		Followers:         s.publicURL + "/followers",
		Following:         s.publicURL + "/following",
		Endpoints:         &federation.Endpoints{SharedInbox: s.publicURL + "/inbox"},
		Extra:             map[string]any{"specialization": s.spec.Describe()},
	}
	pem, err := federation.PublicKeyPEM(&s.key.PublicKey)
	if err == nil {
		actor.PublicKey = federation.PublicKey{ID: s.actorID + "#main-key", Owner: s.actorID, PublicKeyPem: pem}
	}
	m.Handle("GET /actor", federation.ActorHandler(actor))
	m.Handle("POST /inbox", s.limiter.wrap("inbox", withSignature(inbox)))
	m.Handle("POST /actor/inbox", s.limiter.wrap("inbox", withSignature(inbox)))
	m.HandleFunc("GET /outbox", s.collection(func(t *Txn) (int, error) { return 0, nil }))
	m.HandleFunc("GET /followers", s.collection(func(t *Txn) (int, error) { f, err := t.Follows(false); return len(f), err }))
	m.HandleFunc("GET /following", s.collection(func(t *Txn) (int, error) { f, err := t.Follows(true); return len(f), err }))
	m.Handle("GET /.well-known/webfinger", federation.WebFingerHandler(host, func(user string) (string, bool) {
		return s.actorID, user == "relay" || user == "actor"
	}))
	wk, doc := federation.NodeInfoHandlers(s.publicURL, s.nodeInfo)
	m.Handle("GET /.well-known/nodeinfo", wk)
	m.Handle("GET /nodeinfo/2.1", doc)
	m.HandleFunc("GET /ns/market/v1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		w.Write(listing.Context)
	})
	s.apiRoutes(m)
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	m.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
			return
		}
		if s.reindexing.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "rebuilding the search index"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	m.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"name": s.cfg.Relay.Name, "actor": s.actorID, "software": "market " + Version, "specialization": s.spec.Describe()})
	})
	s.mux = m
}

// collection serves an empty-paged OrderedCollection with a count, which is
// all other servers need of a relay's collections.
func (s *Server) collection(count func(t *Txn) (int, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := s.store.View(func(t *Txn) error { var err error; n, err = count(t); return err }); err != nil {
			federation.WriteError(w, http.StatusInternalServerError, "internal", "read collection")
			return
		}
		w.Header().Set("Content-Type", federation.ContentType)
		json.NewEncoder(w).Encode(map[string]any{
			"@context":   "https://www.w3.org/ns/activitystreams",
			"id":         s.publicURL + r.URL.Path,
			"type":       "OrderedCollection",
			"totalItems": n,
		})
	}
}

func (s *Server) nodeInfo() federation.NodeInfo {
	var listings int
	_ = s.store.View(func(t *Txn) error { listings = t.CountListings(); return nil })
	return federation.NodeInfo{
		SoftwareName:    "sovereign-market",
		SoftwareVersion: Version,
		LocalPosts:      listings,
		Metadata:        map[string]any{"nodeName": s.cfg.Relay.Name, "role": "relay", "specialization": s.spec.Describe()},
	}
}

// Serve serves HTTP on ln and runs the delivery queue and the admin socket
// until ctx ends, then shuts down gracefully: in-flight requests finish
// (bounded by the shutdown timeout), the queue stops, bbolt closes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	qctx, stopQueue := context.WithCancel(context.Background())
	queueDone := make(chan error, 1)
	go func() { queueDone <- s.queue.Run(qctx) }()

	admin, err := s.serveAdmin()
	if err != nil {
		s.log.Warn("admin socket unavailable; operator commands will need the relay stopped", "error", err)
	}

	var background sync.WaitGroup
	background.Add(2)
	go func() {
		defer background.Done()
		s.pruneLoop(qctx)
	}()
	go func() {
		defer background.Done()
		s.discoveryLoop(qctx)
	}()
	if s.index.NeedsRebuild() {
		background.Add(1)
		go func() {
			defer background.Done()
			if err := s.Reindex(qctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Error("rebuild search index", "error", err)
			}
		}()
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	s.ready.Store(true)
	s.log.Info("relay listening", "addr", ln.Addr().String(), "actor", s.actorID, "data_dir", s.cfg.DataDir)

	var result error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			result = err
		}
	}
	s.ready.Store(false)
	s.log.Info("relay shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout.D())
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		s.log.Warn("shutdown: in-flight requests cut off", "error", err)
	}
	if admin != nil {
		admin.Shutdown(sctx)
	}
	stopQueue()
	if err := <-queueDone; err != nil && !errors.Is(err, context.Canceled) {
		s.log.Warn("delivery queue stopped", "error", err)
	}
	background.Wait()
	return result
}

// ActivityMemory is how long the relay remembers an applied activity's id
// to accept a repeat once; senders retry for hours or days, not longer.
const ActivityMemory = 14 * 24 * time.Hour

// pruneLoop forgets old activity ids once an hour until ctx ends.
func (s *Server) pruneLoop(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		total := 0
		for {
			var n int
			err := s.store.Update(func(t *Txn) error {
				var err error
				n, err = t.PruneActivities(s.now().Add(-ActivityMemory), 10000)
				return err
			})
			if err != nil {
				s.log.Warn("prune activity ids", "error", err)
				break
			}
			total += n
			if n < 10000 {
				break
			}
		}
		if total > 0 {
			s.log.Info("forgot old activity ids", "count", total)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Close closes the search index and the bbolt file. Call it after Serve
// returns.
func (s *Server) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	ierr := s.index.Close()
	if err := s.db.Close(); err != nil {
		return err
	}
	return ierr
}

// Block blocks a domain (a host name, or host:port) or one actor (given by
// its URL) and drops their listings from the store and the index at once.
// The relay also stops following the hubs it covers (an Undo(Follow) goes
// out through the delivery queue) and forgets their subscriptions. It
// reports how many listings were dropped.
func (s *Server) Block(ref, reason string) (int, error) {
	ref = strings.TrimSpace(ref)
	isActor := strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://")
	if !isActor {
		ref = strings.ToLower(ref)
		if ref == "" || strings.ContainsAny(ref, "/ @") {
			return 0, fmt.Errorf("%w: give a bare domain such as spam.example or an actor URL, got %q", federation.ErrInvalid, ref)
		}
	}
	covered := func(actor string) bool {
		if isActor {
			return actor == ref
		}
		return slices.Contains(federation.DomainNames(hostOf(actor)), ref)
	}
	var dropped []string
	var unfollowed []Follow
	var followers int
	err := s.store.Update(func(t *Txn) error {
		if err := t.PutBlock(&Block{Domain: ref, Since: s.now(), Reason: reason}); err != nil {
			return err
		}
		var err error
		if isActor {
			dropped, err = t.DeleteListingsOf(ref)
		} else {
			dropped, err = t.DeleteListingsOnHost(ref)
		}
		if err != nil {
			return err
		}
		unfollowed, followers, err = t.DeleteFollowsWhere(covered)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.listingsChanged(nil, dropped)
	for i := range unfollowed {
		s.undoFollow(context.Background(), &unfollowed[i])
	}
	s.log.Info("blocked", "block", ref, "reason", reason, "listings_dropped", len(dropped), "hubs_unfollowed", len(unfollowed), "followers_dropped", followers)
	return len(dropped), nil
}

// actorBlocked reports whether the operator blocked this actor by URL.
func (s *Server) actorBlocked(actor string) bool {
	var b bool
	_ = s.store.View(func(t *Txn) error { b = t.Blocked(actor); return nil })
	return b
}

// Unblock lifts a domain block; it reports whether the domain was blocked.
func (s *Server) Unblock(domain string) (bool, error) {
	var was bool
	err := s.store.Update(func(t *Txn) error {
		var err error
		ref := strings.TrimSpace(domain)
		if !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://") {
			ref = strings.ToLower(ref)
		}
		was, err = t.DeleteBlock(ref)
		return err
	})
	if err == nil && was {
		s.log.Info("block lifted", "block", strings.TrimSpace(domain))
	}
	return was, err
}

// Blocked reports whether host (host or host:port) or a parent domain of
// it is blocked. It is the inbox's block check.
func (s *Server) Blocked(host string) bool {
	blocked := false
	_ = s.store.View(func(t *Txn) error {
		for _, d := range federation.DomainNames(host) {
			if t.Blocked(d) {
				blocked = true
				return nil
			}
		}
		return nil
	})
	return blocked
}

// Follow makes the relay follow a hub actor given as a URL or as
// acct:user@host; the Follow is queued and the follow recorded as pending.
func (s *Server) Follow(ctx context.Context, ref string) (string, error) {
	id, err := s.client.ResolveActor(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", ref, err)
	}
	if !s.allowed.allows(id) {
		return "", fmt.Errorf("%w: %s is not on a domain of relay.allowed_domains (%s)", federation.ErrForbidden, id, strings.Join(s.allowed.sorted(), ", "))
	}
	remote, err := s.client.Actor(ctx, id)
	if err != nil {
		return "", fmt.Errorf("fetch actor %s: %w", id, err)
	}
	return remote.ID, s.follow(ctx, remote)
}

// Unfollow ends the relay's relationship with a hub actor (URL or
// acct:user@host), queues an Undo(Follow), and drops its listings.
func (s *Server) Unfollow(ctx context.Context, ref string) (string, error) {
	id := ref
	if !strings.HasPrefix(ref, "http://") && !strings.HasPrefix(ref, "https://") {
		var err error
		if id, err = s.client.ResolveActor(ctx, ref); err != nil {
			return "", fmt.Errorf("resolve %s: %w", ref, err)
		}
	}
	return id, s.unsubscribe(ctx, id, "")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
