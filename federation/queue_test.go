package federation

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// remoteInbox is an inbox on 127.0.0.1 whose answers a test scripts.
type remoteInbox struct {
	srv *httptest.Server
	mu  sync.Mutex
	// answer returns the status (and Retry-After) for the n-th request
	// (from 1).
	answer func(n int) (int, string)
	got    []string
}

func newRemoteInbox(t *testing.T, answer func(n int) (int, string)) *remoteInbox {
	t.Helper()
	ri := &remoteInbox{answer: answer}
	ri.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		ri.mu.Lock()
		ri.got = append(ri.got, r.URL.Path+" "+string(body))
		status, retryAfter := ri.answer(len(ri.got))
		ri.mu.Unlock()
		if r.Header.Get("Signature") == "" || r.Header.Get("Digest") == "" {
			status = http.StatusUnauthorized
		}
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(ri.srv.Close)
	return ri
}

func (ri *remoteInbox) requests() []string {
	ri.mu.Lock()
	defer ri.mu.Unlock()
	return append([]string(nil), ri.got...)
}

func (ri *remoteInbox) host() string { return strings.TrimPrefix(ri.srv.URL, "http://") }

func openTestDB(t *testing.T, path string) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// testQueue opens a queue over a fresh database with a fake clock.
func testQueue(t *testing.T, cfg QueueConfig) (*Queue, *fakeClock) {
	t.Helper()
	db := openTestDB(t, filepath.Join(t.TempDir(), "q.db"))
	t.Cleanup(func() { db.Close() })
	clock := newFakeClock()
	cfg.Now = clock.Now
	signer := &Signer{KeyID: "https://relay.example/actor#main-key", Key: testKey(t, 0)}
	q, err := OpenQueue(db, testClient(signer), cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return q, clock
}

func deliver(t *testing.T, q *Queue) {
	t.Helper()
	if err := q.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func wantRequests(t *testing.T, ri *remoteInbox, n int, when string) {
	t.Helper()
	if got := len(ri.requests()); got != n {
		t.Fatalf("%s: %d delivery attempts, want %d", when, got, n)
	}
}

func TestQueueRetriesWithBackoff(t *testing.T) {
	ri := newRemoteInbox(t, func(n int) (int, string) {
		if n <= 2 {
			return http.StatusServiceUnavailable, ""
		}
		return http.StatusAccepted, ""
	})
	q, clock := testQueue(t, QueueConfig{InitialBackoff: 10 * time.Second, MaxBackoff: time.Minute, GiveUpAfter: time.Hour})
	if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(`{"n":1}`)); err != nil {
		t.Fatal(err)
	}
	deliver(t, q)
	wantRequests(t, ri, 1, "first pass")
	deliver(t, q)
	wantRequests(t, ri, 1, "again at once")
	clock.Advance(5 * time.Second) // less than the backoff less its jitter
	deliver(t, q)
	wantRequests(t, ri, 1, "after 5s")
	clock.Advance(5 * time.Second) // the full first backoff
	deliver(t, q)
	wantRequests(t, ri, 2, "after 10s")
	clock.Advance(10 * time.Second) // the second backoff is 20s (at least 15s)
	deliver(t, q)
	wantRequests(t, ri, 2, "10s after the second failure")
	clock.Advance(10 * time.Second)
	deliver(t, q)
	wantRequests(t, ri, 3, "20s after the second failure")
	if q.Depth() != 0 {
		t.Fatalf("depth %d after delivery, want 0", q.Depth())
	}
	deliver(t, q)
	wantRequests(t, ri, 3, "after delivery")
}

func TestQueueBackoffIsCapped(t *testing.T) {
	q, _ := testQueue(t, QueueConfig{InitialBackoff: time.Second, MaxBackoff: 8 * time.Second})
	for n, max := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 30: 8 * time.Second, 100: 8 * time.Second} {
		for range 20 {
			if d := q.backoff(n); d > max || d < max*3/4 {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, max*3/4, max)
			}
		}
	}
}

func TestQueueHonoursRetryAfter(t *testing.T) {
	ri := newRemoteInbox(t, func(n int) (int, string) {
		if n == 1 {
			return http.StatusTooManyRequests, "120"
		}
		return http.StatusOK, ""
	})
	q, clock := testQueue(t, QueueConfig{InitialBackoff: time.Second, MaxBackoff: time.Minute, GiveUpAfter: time.Hour})
	if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	deliver(t, q)
	clock.Advance(100 * time.Second) // past the backoff, before Retry-After
	deliver(t, q)
	wantRequests(t, ri, 1, "100s after a 429 with Retry-After: 120")
	clock.Advance(20 * time.Second)
	deliver(t, q)
	wantRequests(t, ri, 2, "120s after")
	if q.Depth() != 0 {
		t.Fatalf("depth %d, want 0", q.Depth())
	}
}

func TestQueueDropsPermanentFailures(t *testing.T) {
	for _, status := range []int{400, 403, 404, 410, 422} {
		ri := newRemoteInbox(t, func(int) (int, string) { return status, "" })
		q, clock := testQueue(t, QueueConfig{InitialBackoff: time.Second})
		if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		deliver(t, q)
		clock.Advance(time.Hour)
		deliver(t, q)
		wantRequests(t, ri, 1, "status "+http.StatusText(status))
		if q.Depth() != 0 || q.Unreachable(ri.host()) {
			t.Fatalf("status %d: depth %d, unreachable %v; want dropped and the host fine", status, q.Depth(), q.Unreachable(ri.host()))
		}
	}
	// 408 and 429 are worth retrying.
	for _, status := range []int{408, 429} {
		ri := newRemoteInbox(t, func(int) (int, string) { return status, "" })
		q, _ := testQueue(t, QueueConfig{InitialBackoff: time.Second})
		if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		deliver(t, q)
		if q.Depth() != 1 {
			t.Fatalf("status %d: depth %d, want 1 (kept for a retry)", status, q.Depth())
		}
	}
}

// TestQueueKeepsOrderPerInbox: a later delivery to an inbox never
// overtakes an earlier one that is waiting for a retry.
func TestQueueKeepsOrderPerInbox(t *testing.T) {
	ri := newRemoteInbox(t, func(n int) (int, string) {
		if n == 1 {
			return http.StatusServiceUnavailable, ""
		}
		return http.StatusAccepted, ""
	})
	q, clock := testQueue(t, QueueConfig{InitialBackoff: time.Second})
	for _, body := range []string{`{"n":1}`, `{"n":2}`, `{"n":3}`} {
		if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	deliver(t, q)
	wantRequests(t, ri, 1, "first pass (the first delivery fails)")
	clock.Advance(time.Second)
	deliver(t, q)
	want := []string{`/inbox {"n":1}`, `/inbox {"n":1}`, `/inbox {"n":2}`, `/inbox {"n":3}`}
	if got := ri.requests(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("requests %q, want %q", got, want)
	}
}

// TestQueueGivesUpOnHost: a host failing for longer than GiveUpAfter loses
// its queued deliveries and is marked unreachable; a later success clears
// the mark.
func TestQueueGivesUpOnHost(t *testing.T) {
	down := true
	var mu sync.Mutex
	ri := newRemoteInbox(t, func(int) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return http.StatusBadGateway, ""
		}
		return http.StatusAccepted, ""
	})
	healthy := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, clock := testQueue(t, QueueConfig{InitialBackoff: 10 * time.Second, MaxBackoff: 20 * time.Second, GiveUpAfter: time.Minute})
	ctx := context.Background()
	for _, inbox := range []string{ri.srv.URL + "/users/a/inbox", ri.srv.URL + "/inbox", healthy.srv.URL + "/inbox"} {
		if err := q.Enqueue(ctx, inbox, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	deliver(t, q)
	if q.Depth() != 2 || q.Unreachable(ri.host()) {
		t.Fatalf("after the first pass: depth %d, unreachable %v; want 2, false", q.Depth(), q.Unreachable(ri.host()))
	}
	for elapsed := time.Duration(0); elapsed < time.Minute; elapsed += 20 * time.Second {
		clock.Advance(20 * time.Second)
		deliver(t, q)
	}
	if q.Depth() != 0 || !q.Unreachable(ri.host()) {
		t.Fatalf("after failing for a minute: depth %d, unreachable %v; want 0, true", q.Depth(), q.Unreachable(ri.host()))
	}
	if q.Unreachable(healthy.host()) {
		t.Fatal("the healthy host is marked unreachable")
	}
	attempts := len(ri.requests())

	// While unreachable, a new delivery gets one attempt and is dropped
	// when it fails.
	if err := q.Enqueue(ctx, ri.srv.URL+"/inbox", []byte(`{"again":1}`)); err != nil {
		t.Fatal(err)
	}
	deliver(t, q)
	wantRequests(t, ri, attempts+1, "one attempt while unreachable")
	if q.Depth() != 0 {
		t.Fatalf("depth %d, want 0", q.Depth())
	}

	// The host recovers: the next delivery succeeds and clears the mark.
	mu.Lock()
	down = false
	mu.Unlock()
	if err := q.Enqueue(ctx, ri.srv.URL+"/inbox", []byte(`{"again":2}`)); err != nil {
		t.Fatal(err)
	}
	deliver(t, q)
	if q.Depth() != 0 || q.Unreachable(ri.host()) {
		t.Fatalf("after a success: depth %d, unreachable %v; want 0, false", q.Depth(), q.Unreachable(ri.host()))
	}
}

// TestQueueSurvivesRestart: deliveries pending when the database closes
// are delivered by the queue opened over it again, by Run.
func TestQueueSurvivesRestart(t *testing.T) {
	var mu sync.Mutex
	up := false
	ri := newRemoteInbox(t, func(int) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if up {
			return http.StatusAccepted, ""
		}
		return http.StatusServiceUnavailable, ""
	})
	path := filepath.Join(t.TempDir(), "q.db")
	clock := newFakeClock()
	cfg := QueueConfig{InitialBackoff: time.Second, Now: clock.Now, PollInterval: 10 * time.Millisecond}
	c := testClient(&Signer{KeyID: "https://relay.example/actor#main-key", Key: testKey(t, 0)})

	db := openTestDB(t, path)
	q, err := OpenQueue(db, c, cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`{"n":1}`, `{"n":2}`} {
		if err := q.Enqueue(context.Background(), ri.srv.URL+"/inbox", []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	deliver(t, q) // fails: both stay
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openTestDB(t, path)
	defer db.Close()
	q, err = OpenQueue(db, c, cfg, NewMetrics(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.Depth() != 2 {
		t.Fatalf("depth after reopening: %d, want 2", q.Depth())
	}
	mu.Lock()
	up = true
	mu.Unlock()
	clock.Advance(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for q.Depth() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
	want := []string{`/inbox {"n":1}`, `/inbox {"n":1}`, `/inbox {"n":2}`}
	if got := ri.requests(); q.Depth() != 0 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("depth %d, requests %q; want 0 and %q", q.Depth(), got, want)
	}
}

// TestQueueRunWakesOnEnqueue: Run delivers a new item without waiting for
// the poll interval.
func TestQueueRunWakesOnEnqueue(t *testing.T) {
	ri := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, _ := testQueue(t, QueueConfig{PollInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	if err := q.Enqueue(ctx, ri.srv.URL+"/inbox", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(ri.requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantRequests(t, ri, 1, "Run after Enqueue")
}

func TestQueueEnqueueRefusesBadInbox(t *testing.T) {
	q, _ := testQueue(t, QueueConfig{})
	for _, inbox := range []string{"", "/inbox", "ftp://x.example/inbox", "https:///inbox"} {
		if err := q.Enqueue(context.Background(), inbox, []byte(`{}`)); err == nil {
			t.Errorf("Enqueue(%q) accepted", inbox)
		}
	}
	if q.Depth() != 0 {
		t.Fatalf("depth %d, want 0", q.Depth())
	}
}

// TestQueueEnqueueTxCommitsWithTheCaller: a delivery queued inside the
// caller's transaction goes out only when that transaction commits; one
// rolled back with the caller's error leaves nothing queued or sent.
func TestQueueEnqueueTxCommitsWithTheCaller(t *testing.T) {
	ri := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, _ := testQueue(t, QueueConfig{})
	refused := errors.New("the caller's write failed")
	err := q.db.Update(func(tx *bbolt.Tx) error {
		if err := q.EnqueueTx(tx, ri.srv.URL+"/inbox", []byte(`{"n":"rolled back"}`)); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update: %v", err)
	}
	if q.Depth() != 0 {
		t.Fatalf("depth %d after a rolled-back EnqueueTx, want 0", q.Depth())
	}
	deliver(t, q)
	wantRequests(t, ri, 0, "after a rollback")
	if err := q.db.Update(func(tx *bbolt.Tx) error {
		return q.EnqueueTx(tx, ri.srv.URL+"/inbox", []byte(`{"n":"committed"}`))
	}); err != nil {
		t.Fatal(err)
	}
	if q.Depth() != 1 {
		t.Fatalf("depth %d after a committed EnqueueTx, want 1", q.Depth())
	}
	deliver(t, q)
	wantRequests(t, ri, 1, "after a commit")
	if err := q.db.Update(func(tx *bbolt.Tx) error { return q.EnqueueTx(tx, "ftp://x.example/inbox", []byte(`{}`)) }); !errors.Is(err, ErrInvalid) {
		t.Fatalf("EnqueueTx to a non-http inbox: %v, want ErrInvalid", err)
	}
}
