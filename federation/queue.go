package federation

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
)

// Buckets of the delivery queue in the caller's bbolt database: the
// deliveries (small records, scanned on every pass), their activities
// (under the same keys, read only when sent), and the health of hosts.
var (
	deliveryBucket = []byte("federation.delivery")
	bodiesBucket   = []byte("federation.delivery.bodies")
	hostsBucket    = []byte("federation.hosts")
)

// QueueConfig tunes a Queue. Zero fields take the defaults given.
type QueueConfig struct {
	// InitialBackoff is the wait after a first failure (default 30s); it
	// doubles with each further failure.
	InitialBackoff time.Duration
	// MaxBackoff caps the wait between attempts (default 1h).
	MaxBackoff time.Duration
	// GiveUpAfter is how long a host may keep failing before its queued
	// deliveries are dropped and it is marked unreachable (default 48h).
	GiveUpAfter time.Duration
	// Workers is how many inboxes are delivered to at once (default 4).
	Workers int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// PollInterval is how often Run looks for deliveries that have become
	// due (default 1s); Enqueue also wakes it.
	PollInterval time.Duration
}

// Queue is the persistent outbound delivery queue. Deliveries live in
// bbolt until delivered or dropped, so they survive a restart. Deliveries
// to one inbox go out in the order they were enqueued: while the oldest
// waits for a retry, the later ones wait behind it.
type Queue struct {
	db   *bbolt.DB
	c    *Client
	cfg  QueueConfig
	m    *Metrics
	log  *slog.Logger
	wake chan struct{}

	pass        sync.Mutex // one delivery pass at a time
	depth       atomic.Int64
	unreachable atomic.Int64
}

// queued is one delivery in the queue; its activity is kept apart.
type queued struct {
	Inbox     string    `json:"inbox"`
	Attempts  int       `json:"attempts"`
	Next      time.Time `json:"next"`
	Enqueued  time.Time `json:"enqueued"`
	LastError string    `json:"last_error,omitempty"`
}

// hostState is the delivery health of one host.
type hostState struct {
	FailingSince time.Time `json:"failing_since"`
	Unreachable  bool      `json:"unreachable"`
	LastError    string    `json:"last_error,omitempty"`
}

// OpenQueue opens the delivery queue kept in db (creating its buckets),
// delivering with c. The caller owns db and closes it after Run returns.
func OpenQueue(db *bbolt.DB, c *Client, cfg QueueConfig, m *Metrics, log *slog.Logger) (*Queue, error) {
	if cfg.InitialBackoff <= 0 {
		cfg.InitialBackoff = 30 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.MaxBackoff < cfg.InitialBackoff {
		cfg.MaxBackoff = cfg.InitialBackoff
	}
	if cfg.GiveUpAfter <= 0 {
		cfg.GiveUpAfter = 48 * time.Hour
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := &Queue{db: db, c: c, cfg: cfg, m: m, log: log, wake: make(chan struct{}, 1)}
	err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(deliveryBucket)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bodiesBucket); err != nil {
			return err
		}
		h, err := tx.CreateBucketIfNotExists(hostsBucket)
		if err != nil {
			return err
		}
		q.depth.Store(int64(b.Stats().KeyN))
		return h.ForEach(func(_, v []byte) error {
			var s hostState
			if json.Unmarshal(v, &s) == nil && s.Unreachable {
				q.unreachable.Add(1)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("open delivery queue: %w", err)
	}
	m.depth(q.Depth())
	m.unreachable(int(q.unreachable.Load()), false)
	return q, nil
}

// Enqueue queues activity for delivery to inbox. The delivery is durable
// (committed to bbolt) when Enqueue returns nil.
func (q *Queue) Enqueue(ctx context.Context, inbox string, activity []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
	}
	return q.db.Update(func(tx *bbolt.Tx) error { return q.EnqueueTx(tx, inbox, activity) })
}

// EnqueueTx queues activity for delivery to inbox inside tx, a writable
// transaction on the queue's database: the delivery commits, or not, with
// the caller's other writes (a hub's listing and the record of who has
// it), and the queue sees it once tx commits.
func (q *Queue) EnqueueTx(tx *bbolt.Tx, inbox string, activity []byte) error {
	if !isHTTPURL(inbox) {
		return fmt.Errorf("enqueue delivery to %q: not an absolute http(s) URL: %w", inbox, ErrInvalid)
	}
	now := q.cfg.Now()
	v, err := json.Marshal(queued{Inbox: inbox, Next: now, Enqueued: now})
	if err != nil {
		return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
	}
	b := tx.Bucket(deliveryBucket)
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
	}
	if err := tx.Bucket(bodiesBucket).Put(seqKey(seq), activity); err != nil {
		return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
	}
	if err := b.Put(seqKey(seq), v); err != nil {
		return fmt.Errorf("enqueue delivery to %s: %w", inbox, err)
	}
	tx.OnCommit(func() {
		q.m.depth(int(q.depth.Add(1)))
		select {
		case q.wake <- struct{}{}:
		default:
		}
	})
	return nil
}

// Depth returns the number of deliveries in the queue.
func (q *Queue) Depth() int { return int(q.depth.Load()) }

// Unreachable reports whether host (as in a URL: name, and port if any)
// is marked unreachable: it kept failing for longer than GiveUpAfter, and
// has not accepted a delivery since.
func (q *Queue) Unreachable(host string) bool {
	var s hostState
	_ = q.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(hostsBucket).Get([]byte(strings.ToLower(host))); v != nil {
			return json.Unmarshal(v, &s)
		}
		return nil
	})
	return s.Unreachable
}

// Run delivers queued activities until ctx is done, then returns nil once
// in-flight deliveries have stopped. A failed delivery is retried with
// exponential backoff (InitialBackoff doubling up to MaxBackoff, less up to
// a quarter of jitter), never sooner than a Retry-After asked; a permanent
// failure (a 4xx other than 408 and 429) is dropped; a host failing for
// longer than GiveUpAfter has its deliveries dropped and is marked
// unreachable until a delivery to it succeeds.
func (q *Queue) Run(ctx context.Context) error {
	t := time.NewTicker(q.cfg.PollInterval)
	defer t.Stop()
	for {
		if err := q.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			q.log.Error("delivery pass failed", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-q.wake:
		case <-t.C:
		}
	}
}

// DeliverDue makes one delivery pass: for every inbox whose oldest
// delivery is due, it delivers that inbox's deliveries in order until one
// fails, with up to Workers inboxes at once, and returns when all are
// done. Run calls it; tests with a controlled clock call it directly.
func (q *Queue) DeliverDue(ctx context.Context) error {
	q.pass.Lock()
	defer q.pass.Unlock()
	now := q.cfg.Now()
	var order []string
	byInbox := make(map[string][][]byte)
	err := q.db.View(func(tx *bbolt.Tx) error {
		skip := make(map[string]bool)
		return tx.Bucket(deliveryBucket).ForEach(func(k, v []byte) error {
			var it queued
			if err := json.Unmarshal(v, &it); err != nil {
				q.log.Error("undecodable queued delivery", "key", binary.BigEndian.Uint64(k), "error", err)
				return nil
			}
			if skip[it.Inbox] {
				return nil
			}
			if _, seen := byInbox[it.Inbox]; !seen {
				if it.Next.After(now) {
					skip[it.Inbox] = true
					return nil
				}
				order = append(order, it.Inbox)
			}
			byInbox[it.Inbox] = append(byInbox[it.Inbox], append([]byte(nil), k...))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("scan delivery queue: %w", err)
	}
	jobs := make(chan string)
	errs := make(chan error, len(order))
	var wg sync.WaitGroup
	for range min(q.cfg.Workers, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for inbox := range jobs {
				if err := q.deliverInbox(ctx, inbox, byInbox[inbox]); err != nil {
					errs <- err
				}
			}
		}()
	}
feed:
	for _, inbox := range order {
		select {
		case jobs <- inbox:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// deliverInbox delivers the queued items of one inbox in order, stopping
// at the first that must wait for a retry.
func (q *Queue) deliverInbox(ctx context.Context, inbox string, keys [][]byte) error {
	host := HostOf(inbox)
	for _, k := range keys {
		if ctx.Err() != nil {
			return nil
		}
		var it queued
		var activity []byte
		found := false
		err := q.db.View(func(tx *bbolt.Tx) error {
			v := tx.Bucket(deliveryBucket).Get(k)
			if v == nil {
				return nil
			}
			found = true
			activity = bytes.Clone(tx.Bucket(bodiesBucket).Get(k))
			return json.Unmarshal(v, &it)
		})
		if err != nil {
			return fmt.Errorf("read queued delivery to %s: %w", inbox, err)
		}
		if !found {
			continue // dropped meanwhile
		}
		now := q.cfg.Now()
		if it.Next.After(now) {
			return nil
		}
		postErr := q.c.Post(ctx, inbox, activity)
		if postErr != nil && ctx.Err() != nil {
			return nil // shutting down: not the host's fault, try again later
		}
		now = q.cfg.Now()
		var de *DeliveryError
		if !errors.As(postErr, &de) {
			de = &DeliveryError{Err: postErr}
		}
		switch {
		case postErr == nil:
			q.m.delivery("success")
			if err := q.finish(k, host, true, now); err != nil {
				return err
			}
			q.log.Debug("delivered", "inbox", inbox, "attempts", it.Attempts+1)
		case de.Permanent():
			q.m.delivery("permanent")
			q.log.Warn("delivery refused, dropping it", "inbox", inbox, "status", de.Status, "error", postErr)
			if err := q.finish(k, host, de.Status != 0, now); err != nil {
				return err
			}
		default:
			return q.failed(k, it, host, de, now)
		}
	}
	return nil
}

// finish removes a delivered or refused item; when the host answered, it
// is healthy again.
func (q *Queue) finish(k []byte, host string, hostAnswered bool, now time.Time) error {
	wasUnreachable := false
	err := q.db.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(deliveryBucket).Get(k) != nil {
			if err := deleteItem(tx, k); err != nil {
				return err
			}
			q.depth.Add(-1)
		}
		if !hostAnswered {
			return nil
		}
		hb := tx.Bucket(hostsBucket)
		if v := hb.Get([]byte(host)); v != nil {
			var s hostState
			if json.Unmarshal(v, &s) == nil && s.Unreachable {
				wasUnreachable = true
			}
			return hb.Delete([]byte(host))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove delivered item for %s: %w", host, err)
	}
	q.m.depth(q.Depth())
	if wasUnreachable {
		q.unreachable.Add(-1)
		q.m.unreachable(int(q.unreachable.Load()), false)
		q.log.Info("host reachable again", "host", host)
	}
	return nil
}

// failed records a transient failure: schedules the retry, or gives up on
// the host when it has been failing for longer than GiveUpAfter (or was
// already marked unreachable).
func (q *Queue) failed(k []byte, it queued, host string, de *DeliveryError, now time.Time) error {
	it.Attempts++
	it.LastError = de.Error()
	wait := q.backoff(it.Attempts)
	if de.RetryAfter > wait {
		wait = de.RetryAfter
	}
	it.Next = now.Add(wait)
	giveUp, marked, dropped := false, false, 0
	err := q.db.Update(func(tx *bbolt.Tx) error {
		hb := tx.Bucket(hostsBucket)
		var s hostState
		if v := hb.Get([]byte(host)); v != nil {
			_ = json.Unmarshal(v, &s)
		}
		if s.FailingSince.IsZero() {
			s.FailingSince = now
		}
		s.LastError = it.LastError
		giveUp = s.Unreachable || now.Sub(s.FailingSince) >= q.cfg.GiveUpAfter
		if giveUp && !s.Unreachable {
			s.Unreachable, marked = true, true
		}
		hv, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if err := hb.Put([]byte(host), hv); err != nil {
			return err
		}
		db := tx.Bucket(deliveryBucket)
		if !giveUp {
			if db.Get(k) == nil {
				return nil
			}
			v, err := json.Marshal(it)
			if err != nil {
				return err
			}
			return db.Put(k, v)
		}
		// Drop every delivery to the host.
		var doomed [][]byte
		if err := db.ForEach(func(k, v []byte) error {
			var other queued
			if json.Unmarshal(v, &other) == nil && HostOf(other.Inbox) == host {
				doomed = append(doomed, append([]byte(nil), k...))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range doomed {
			if err := deleteItem(tx, k); err != nil {
				return err
			}
		}
		dropped = len(doomed)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record failed delivery to %s: %w", it.Inbox, err)
	}
	if !giveUp {
		q.m.delivery("retry")
		q.log.Info("delivery failed, will retry", "inbox", it.Inbox, "attempts", it.Attempts, "next", it.Next, "error", de)
		return nil
	}
	q.m.delivery("gave_up")
	q.depth.Add(int64(-dropped))
	q.m.depth(q.Depth())
	if marked {
		q.unreachable.Add(1)
	}
	q.m.unreachable(int(q.unreachable.Load()), marked)
	q.log.Warn("host unreachable, dropped its deliveries", "host", host, "dropped", dropped, "error", de)
	return nil
}

// deleteItem removes a delivery and its activity.
func deleteItem(tx *bbolt.Tx, k []byte) error {
	if err := tx.Bucket(bodiesBucket).Delete(k); err != nil {
		return err
	}
	return tx.Bucket(deliveryBucket).Delete(k)
}

// backoff is the wait before attempt n+1 after n failures:
// InitialBackoff doubled n-1 times, capped at MaxBackoff, less up to a
// quarter of jitter so that retries to many hosts spread out.
func (q *Queue) backoff(n int) time.Duration {
	d := q.cfg.InitialBackoff
	for i := 1; i < n && d < q.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, q.cfg.MaxBackoff)
	if j := int64(d / 4); j > 0 {
		d -= time.Duration(rand.Int64N(j))
	}
	return d
}

// seqKey encodes a sequence number as a big-endian key, so keys sort in
// enqueue order.
func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}
