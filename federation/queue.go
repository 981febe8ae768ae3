package federation

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
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
	// Workers is how many deliveries run at once (default 4).
	Workers int
	// PerHost is how many of them may go to one host at once (default a
	// quarter of Workers, at least 1), so that a slow or hostile host
	// cannot take every worker and stall the others.
	PerHost int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// PollInterval is how often Run looks for deliveries that have become
	// due (default 1s); Enqueue also wakes it.
	PollInterval time.Duration
}

// Queue is the persistent outbound delivery queue. Deliveries live in
// bbolt until delivered or dropped, so they survive a restart. Deliveries
// in one lane go out one at a time in the order they were enqueued: while
// the oldest waits for a retry, the later ones wait behind it. Every
// inbox has its lane (EnqueueTx), and a sender may name others
// (EnqueueLaneTx). Lanes go out at once, up to Workers deliveries and
// PerHost to one host, each as soon as it is due: a slow inbox holds up
// its own lanes only.
type Queue struct {
	db   *bbolt.DB
	c    *Client
	cfg  QueueConfig
	m    *Metrics
	log  *slog.Logger
	wake chan struct{}

	depth       atomic.Int64
	unreachable atomic.Int64

	// mu guards the schedule below: an index of the deliveries in bbolt
	// (which stays the truth: a delivery the index names but bbolt no
	// longer holds was dropped, and is skipped).
	mu       sync.Mutex
	lanes    map[string]*lane // by name; an inbox's own lane is named by its URL
	hostBusy map[string]int   // deliveries in flight per host
	inflight int
	ready    []*lane       // dispatch's scratch: the lanes due now
	changed  chan struct{} // closed and replaced when a delivery ends
	errs     []error       // failures to record a delivery's outcome, for Run to log or DeliverDue to return
	wg       sync.WaitGroup

	endMu  sync.Mutex
	ended  []ended // deliveries to remove in the next commit
	ending bool    // a caller of finish commits them
}

// lane is the queued deliveries of one lane, oldest first.
type lane struct {
	name string
	due  []laneItem
	busy bool // its oldest delivery is in flight
}

// named reports whether l is a lane a sender named (EnqueueLaneTx), not
// an inbox's own.
func (l *lane) named() bool { return strings.HasPrefix(l.name, "\x00") }

// laneItem is one delivery of a lane: its key, its inbox's host, and
// when it may be tried.
type laneItem struct {
	key  uint64
	host string
	next time.Time
}

// queued is one delivery in the queue; its activity is kept apart.
type queued struct {
	Inbox     string    `json:"inbox"`
	Lane      string    `json:"lane,omitempty"`
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
	if cfg.PerHost <= 0 {
		cfg.PerHost = max(1, (cfg.Workers+3)/4)
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
	q := &Queue{db: db, c: c, cfg: cfg, m: m, log: log, wake: make(chan struct{}, 1),
		lanes: make(map[string]*lane), hostBusy: make(map[string]int), changed: make(chan struct{})}
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
		if err := b.ForEach(func(k, v []byte) error {
			var it queued
			if err := json.Unmarshal(v, &it); err != nil || len(k) != 8 {
				q.log.Error("undecodable queued delivery, left in place", "key", fmt.Sprintf("%x", k), "error", err)
				return nil
			}
			q.add(it.Inbox, it.Lane, binary.BigEndian.Uint64(k), it.Next)
			return nil
		}); err != nil {
			return err
		}
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
// it), and the queue sees it once tx commits. It goes out after every
// delivery queued before it to inbox's main lane.
func (q *Queue) EnqueueTx(tx *bbolt.Tx, inbox string, activity []byte) error {
	return q.EnqueueLaneTx(tx, inbox, "", activity)
}

// MaxLane bounds the name of a lane.
const MaxLane = 16 << 10

// EnqueueLaneTx is EnqueueTx in the lane named lane instead of inbox's
// own: deliveries in one lane go out one at a time, in the order
// enqueued, whatever their inboxes; deliveries in other lanes (inbox's
// own too) do not wait for them. A sender names a lane per subject when
// its activities about one subject must arrive in order (an answer to an
// offer before the request it leads to), and those about others need not
// (the whole history of a deal supersedes any earlier one), so that one
// subject's retries hold up no other. An empty lane is inbox's own. When
// workers are short, named lanes go first: they carry what someone waits
// on, the inboxes' own lanes the bulk (see dispatch).
func (q *Queue) EnqueueLaneTx(tx *bbolt.Tx, inbox, lane string, activity []byte) error {
	if !isHTTPURL(inbox) {
		return fmt.Errorf("enqueue delivery to %q: not an absolute http(s) URL: %w", inbox, ErrInvalid)
	}
	if len(lane) > MaxLane {
		return fmt.Errorf("enqueue delivery to %s: lane longer than %d bytes: %w", inbox, MaxLane, ErrInvalid)
	}
	now := q.cfg.Now()
	v, err := json.Marshal(queued{Inbox: inbox, Lane: lane, Next: now, Enqueued: now})
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
		q.mu.Lock()
		q.add(inbox, lane, seq, now)
		q.mu.Unlock()
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
// in-flight deliveries have stopped. Each lane's oldest delivery goes out
// as soon as it is due and a worker and its host have room. A failed
// delivery is retried with exponential backoff (InitialBackoff doubling
// up to MaxBackoff, less up to a quarter of jitter), never sooner than a
// Retry-After asked; a permanent failure (a 4xx other than 408 and 429)
// is dropped; a host failing for longer than GiveUpAfter has its
// deliveries dropped and is marked unreachable until a delivery to it
// succeeds.
func (q *Queue) Run(ctx context.Context) error {
	defer q.wg.Wait()
	t := time.NewTimer(q.cfg.PollInterval)
	defer t.Stop()
	for {
		q.mu.Lock()
		_, wait := q.dispatch(ctx)
		changed, errs := q.changed, q.errs
		q.errs = nil
		q.mu.Unlock()
		for _, err := range errs {
			q.log.Error("delivery queue", "error", err)
		}
		t.Reset(min(wait, q.cfg.PollInterval))
		select {
		case <-ctx.Done():
			return nil
		case <-q.wake:
		case <-changed:
		case <-t.C:
		}
	}
}

// DeliverDue delivers every delivery that is due now, each lane in order
// until one fails, and returns when none is due or in flight. Tests with
// a controlled clock call it instead of Run.
func (q *Queue) DeliverDue(ctx context.Context) error {
	defer q.wg.Wait()
	for {
		q.mu.Lock()
		started, _ := q.dispatch(ctx)
		idle := started == 0 && q.inflight == 0
		changed := q.changed
		var errs []error
		if idle {
			errs, q.errs = q.errs, nil
		}
		q.mu.Unlock()
		if idle || ctx.Err() != nil {
			return errors.Join(errs...)
		}
		select {
		case <-changed:
		case <-ctx.Done():
		}
	}
}

// add puts a delivery at the end of its lane. q.mu is held.
func (q *Queue) add(inbox, name string, key uint64, next time.Time) {
	if name == "" {
		name = inbox
	} else {
		name = "\x00" + name // apart from the inboxes' own lanes
	}
	l := q.lanes[name]
	if l == nil {
		l = &lane{name: name}
		q.lanes[name] = l
	}
	l.due = append(l.due, laneItem{key: key, host: HostOf(inbox), next: next})
}

// dispatch starts the oldest delivery of every idle lane that is due, as
// far as the workers and the hosts' shares allow: when workers are short,
// named lanes first (a subject someone waits on, such as a deal's next
// step, before the bulk of inboxes' own lanes, such as a listing's
// fan-out to followers), and among those the lane whose delivery was
// queued first first (no delivery waits behind ones queued after it). It
// returns how many it started and how long until the next lane that
// waits for a retry is due (PollInterval when none). q.mu is held.
func (q *Queue) dispatch(ctx context.Context) (int, time.Duration) {
	now := q.cfg.Now()
	started, wait := 0, q.cfg.PollInterval
	if ctx.Err() != nil {
		return 0, wait
	}
	ready := q.ready[:0]
	for _, l := range q.lanes {
		if l.busy || len(l.due) == 0 {
			continue
		}
		if d := l.due[0].next.Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		ready = append(ready, l)
	}
	slices.SortFunc(ready, func(a, b *lane) int {
		if an, bn := a.named(), b.named(); an != bn {
			if an {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.due[0].key, b.due[0].key)
	})
	for _, l := range ready {
		if q.inflight >= q.cfg.Workers {
			break // a delivery's end calls dispatch again
		}
		head := l.due[0]
		if q.hostBusy[head.host] >= q.cfg.PerHost {
			continue
		}
		l.busy = true
		q.inflight++
		q.hostBusy[head.host]++
		started++
		q.wg.Add(1)
		go q.deliverOldest(ctx, l, head)
	}
	clear(ready)
	q.ready = ready[:0]
	return started, wait
}

// deliverOldest delivers head, the oldest delivery of lane l, and records
// the outcome in the schedule and in bbolt. The lane and the worker are
// free again as soon as the answer is in: the record of a delivery made
// commits meanwhile (a crash before it only makes the delivery again,
// which the receiver takes once, as it keeps the ids it applied).
func (q *Queue) deliverOldest(ctx context.Context, l *lane, head laneItem) {
	defer q.wg.Done()
	released := false
	release := func(done bool, next time.Time) {
		released = true
		q.mu.Lock()
		defer q.mu.Unlock()
		l.busy = false
		q.inflight--
		if q.hostBusy[head.host]--; q.hostBusy[head.host] <= 0 {
			delete(q.hostBusy, head.host)
		}
		if len(l.due) > 0 && l.due[0].key == head.key {
			if done {
				l.due = l.due[1:]
			} else if !next.IsZero() {
				l.due[0].next = next
			}
		}
		if len(l.due) == 0 && q.lanes[l.name] == l {
			delete(q.lanes, l.name)
		}
		close(q.changed)
		q.changed = make(chan struct{})
	}
	err := q.deliver(ctx, head.host, seqKey(head.key), release)
	if !released {
		release(false, time.Time{})
	}
	if err != nil {
		q.mu.Lock()
		q.errs = append(q.errs, err)
		q.mu.Unlock()
	}
}

// deliver makes one attempt at the delivery under key k, and calls
// release once with the outcome: whether the delivery left the queue
// (delivered, refused, dropped, or gone already) and, when it stays, when
// it is due next (zero: as before).
func (q *Queue) deliver(ctx context.Context, host string, k []byte, release func(done bool, next time.Time)) error {
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
		release(false, q.cfg.Now().Add(q.cfg.PollInterval))
		return fmt.Errorf("read queued delivery to %s: %w", host, err)
	}
	if !found {
		release(true, time.Time{}) // dropped meanwhile
		return nil
	}
	if it.Next.After(q.cfg.Now()) {
		release(false, it.Next)
		return nil
	}
	postErr := q.c.Post(ctx, it.Inbox, activity)
	if postErr != nil && ctx.Err() != nil {
		return nil // shutting down: not the host's fault, try again later
	}
	now := q.cfg.Now()
	var de *DeliveryError
	if !errors.As(postErr, &de) {
		de = &DeliveryError{Err: postErr}
	}
	switch {
	case postErr == nil:
		q.m.delivery("success")
		q.log.Debug("delivered", "inbox", it.Inbox, "attempts", it.Attempts+1)
		release(true, time.Time{})
		return q.finish(k, host, true)
	case de.Permanent():
		q.m.delivery("permanent")
		q.log.Warn("delivery refused, dropping it", "inbox", it.Inbox, "status", de.Status, "error", postErr)
		release(true, time.Time{})
		return q.finish(k, host, de.Status != 0)
	}
	next, dropped, err := q.failed(k, it, host, de, now)
	if err != nil {
		release(false, now.Add(q.backoff(it.Attempts+1)))
		return err
	}
	if len(dropped) > 0 {
		q.mu.Lock()
		q.forget(dropped)
		q.mu.Unlock()
	}
	release(dropped[string(k)], next)
	return nil
}

// forget removes dropped deliveries from the schedule, except the ones
// in flight, whose ends remove them. q.mu is held.
func (q *Queue) forget(dropped map[string]bool) {
	for name, l := range q.lanes {
		if len(l.due) == 0 {
			continue
		}
		head := l.due[0].key
		kept := l.due[:0]
		for _, it := range l.due {
			if !dropped[string(seqKey(it.key))] || l.busy && it.key == head {
				kept = append(kept, it)
			}
		}
		l.due = kept
		if len(l.due) == 0 && !l.busy {
			delete(q.lanes, name)
		}
	}
}

// ended is a delivery that left the queue, to remove from bbolt: its
// key, its host, and whether the host answered (then it is healthy).
type ended struct {
	key          []byte
	host         string
	hostAnswered bool
}

// finish removes a delivered or refused item; when the host answered, it
// is healthy again. The deliveries that end while a removal commits wait
// and go in the next commit, together, by the caller that found no commit
// under way: the queue takes the database's write lock once at a time
// for them, leaving it to the writes that answer requests. A crash before
// the commit only means the delivery is made again, which the receiver
// takes once (it keeps the ids of the activities it applied).
func (q *Queue) finish(k []byte, host string, hostAnswered bool) error {
	q.endMu.Lock()
	q.ended = append(q.ended, ended{k, host, hostAnswered})
	if q.ending {
		q.endMu.Unlock()
		return nil
	}
	q.ending = true
	q.endMu.Unlock()
	var errs []error
	for {
		q.endMu.Lock()
		batch := q.ended
		q.ended = nil
		if len(batch) == 0 {
			q.ending = false
			q.endMu.Unlock()
			return errors.Join(errs...)
		}
		q.endMu.Unlock()
		if err := q.remove(batch); err != nil {
			errs = append(errs, err)
		}
	}
}

// remove deletes ended deliveries in one commit, which it shares with
// the other writes under way (bbolt's Batch: the inbox's, say), so that
// a delivery's end costs no disk sync of its own.
func (q *Queue) remove(batch []ended) error {
	removed := 0
	var healthy []string // hosts marked unreachable that answered
	err := q.db.Batch(func(tx *bbolt.Tx) error {
		removed, healthy = 0, nil // Batch may run this again, alone
		hb := tx.Bucket(hostsBucket)
		for _, e := range batch {
			if tx.Bucket(deliveryBucket).Get(e.key) != nil {
				if err := deleteItem(tx, e.key); err != nil {
					return err
				}
				removed++
			}
			if !e.hostAnswered {
				continue
			}
			if v := hb.Get([]byte(e.host)); v != nil {
				var s hostState
				if json.Unmarshal(v, &s) == nil && s.Unreachable {
					healthy = append(healthy, e.host)
				}
				if err := hb.Delete([]byte(e.host)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove %d delivered items: %w", len(batch), err)
	}
	q.depth.Add(int64(-removed))
	q.m.depth(q.Depth())
	for _, host := range healthy {
		q.unreachable.Add(-1)
		q.m.unreachable(int(q.unreachable.Load()), false)
		q.log.Info("host reachable again", "host", host)
	}
	return nil
}

// failed records a transient failure: schedules the retry, or gives up on
// the host when it has been failing for longer than GiveUpAfter (or was
// already marked unreachable). It returns when the delivery is due again
// and the keys of the deliveries it dropped.
func (q *Queue) failed(k []byte, it queued, host string, de *DeliveryError, now time.Time) (time.Time, map[string]bool, error) {
	it.Attempts++
	it.LastError = de.Error()
	wait := q.backoff(it.Attempts)
	if de.RetryAfter > wait {
		wait = de.RetryAfter
	}
	it.Next = now.Add(wait)
	giveUp, marked := false, false
	var dropped map[string]bool
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
		dropped = make(map[string]bool)
		if err := db.ForEach(func(k, v []byte) error {
			var other queued
			if json.Unmarshal(v, &other) == nil && HostOf(other.Inbox) == host {
				dropped[string(k)] = true
			}
			return nil
		}); err != nil {
			return err
		}
		for k := range dropped {
			if err := deleteItem(tx, []byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("record failed delivery to %s: %w", it.Inbox, err)
	}
	if !giveUp {
		q.m.delivery("retry")
		q.log.Info("delivery failed, will retry", "inbox", it.Inbox, "attempts", it.Attempts, "next", it.Next, "error", de)
		return it.Next, nil, nil
	}
	q.m.delivery("gave_up")
	q.depth.Add(int64(-len(dropped)))
	q.m.depth(q.Depth())
	if marked {
		q.unreachable.Add(1)
	}
	q.m.unreachable(int(q.unreachable.Load()), marked)
	q.log.Warn("host unreachable, dropped its deliveries", "host", host, "dropped", len(dropped), "error", de)
	return it.Next, dropped, nil
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
