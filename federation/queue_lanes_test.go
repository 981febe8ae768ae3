package federation

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// enqueueLane queues body to inbox in lane, failing the test on error.
func enqueueLane(t *testing.T, q *Queue, inbox, lane, body string) {
	t.Helper()
	if err := q.db.Update(func(tx *bbolt.Tx) error { return q.EnqueueLaneTx(tx, inbox, lane, []byte(body)) }); err != nil {
		t.Fatal(err)
	}
}

// TestQueueLanesDoNotWaitForEachOther: a delivery waiting for a retry
// holds up the later ones of its lane only; other lanes to the same inbox
// go out, and its own lane keeps its order.
func TestQueueLanesDoNotWaitForEachOther(t *testing.T) {
	failedOnce := false
	var ri *remoteInbox
	ri = newRemoteInbox(t, func(n int) (int, string) {
		if !failedOnce && strings.HasSuffix(ri.got[n-1], `{"a":1}`) {
			failedOnce = true
			return http.StatusServiceUnavailable, ""
		}
		return http.StatusAccepted, ""
	})
	q, clock := testQueue(t, QueueConfig{InitialBackoff: time.Second, Workers: 1})
	inbox := ri.srv.URL + "/inbox"
	enqueueLane(t, q, inbox, "a", `{"a":1}`)
	enqueueLane(t, q, inbox, "a", `{"a":2}`)
	enqueueLane(t, q, inbox, "b", `{"b":1}`)
	deliver(t, q)
	got := ri.requests()
	if len(got) != 2 || !strings.Contains(strings.Join(got, "|"), `{"b":1}`) || strings.Contains(strings.Join(got, "|"), `{"a":2}`) {
		t.Fatalf("first pass sent %q; want a:1 (failing) and b:1, and a:2 held behind a:1", got)
	}
	clock.Advance(time.Second)
	deliver(t, q)
	got = ri.requests()[2:]
	if want := []string{`/inbox {"a":1}`, `/inbox {"a":2}`}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("after the retry sent %q, want %q", got, want)
	}
	if q.Depth() != 0 {
		t.Fatalf("depth %d, want 0", q.Depth())
	}
}

// TestQueueLaneSpansInboxes: a lane keeps its order across inboxes: the
// second delivery waits until the first, to another inbox, is made.
func TestQueueLaneSpansInboxes(t *testing.T) {
	ri := newRemoteInbox(t, func(n int) (int, string) {
		if n == 1 {
			return http.StatusServiceUnavailable, ""
		}
		return http.StatusAccepted, ""
	})
	q, clock := testQueue(t, QueueConfig{InitialBackoff: time.Second})
	enqueueLane(t, q, ri.srv.URL+"/users/buyer/inbox", "deal 1", `{"accept":1}`)
	enqueueLane(t, q, ri.srv.URL+"/agent/inbox", "deal 1", `{"create":1}`)
	deliver(t, q)
	wantRequests(t, ri, 1, "first pass (the first delivery fails, the second waits)")
	clock.Advance(time.Second)
	deliver(t, q)
	want := []string{`/users/buyer/inbox {"accept":1}`, `/users/buyer/inbox {"accept":1}`, `/agent/inbox {"create":1}`}
	if got := ri.requests(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("requests %q, want %q", got, want)
	}
}

// TestQueueSlowHostKeepsToItsShare: a host that does not answer gets at
// most PerHost deliveries at once, however many lanes it has, and the
// other hosts' deliveries go out meanwhile.
func TestQueueSlowHostKeepsToItsShare(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	inFlight, most := 0, 0
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer slow.Close()
	var once sync.Once
	defer once.Do(func() { close(release) })
	fast := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, _ := testQueue(t, QueueConfig{Workers: 8, PerHost: 2, PollInterval: time.Hour})
	for i := range 20 {
		enqueueLane(t, q, slow.URL+"/inbox", "slow "+string(rune('a'+i)), `{}`)
	}
	for i := range 5 {
		enqueueLane(t, q, fast.srv.URL+"/inbox", "fast "+string(rune('a'+i)), `{}`)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(fast.requests()) < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	wantRequests(t, fast, 5, "the fast host, while the slow one holds its deliveries")
	once.Do(func() { close(release) })
	for q.Depth() != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if q.Depth() != 0 || most != 2 {
		t.Fatalf("depth %d, at most %d deliveries at once to the slow host; want 0 and 2 (PerHost)", q.Depth(), most)
	}
}

// TestQueueOldestLaneFirst: when workers are short, the lane whose
// delivery was queued first goes first, so no delivery waits behind
// others queued after it.
func TestQueueOldestLaneFirst(t *testing.T) {
	ri := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, _ := testQueue(t, QueueConfig{Workers: 1})
	var want []string
	for i := range 30 {
		body := fmt.Sprintf(`{"n":%d}`, i)
		enqueueLane(t, q, ri.srv.URL+"/inbox", fmt.Sprintf("deal %d", i), body)
		want = append(want, "/inbox "+body)
	}
	deliver(t, q)
	if got := ri.requests(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("requests in the order %q, want the order queued %q", got, want)
	}
}

// TestQueueNamedLanesFirst: when workers are short, a named lane's
// delivery (a deal's next step) goes before the inboxes' own lanes (a
// listing's fan-out) queued earlier; each kind keeps the order queued.
func TestQueueNamedLanesFirst(t *testing.T) {
	ri := newRemoteInbox(t, func(int) (int, string) { return http.StatusAccepted, "" })
	q, _ := testQueue(t, QueueConfig{Workers: 1})
	var bulk []string
	for i := range 5 {
		body := fmt.Sprintf(`{"fanout":%d}`, i)
		enqueueLane(t, q, fmt.Sprintf("%s/users/f%d/inbox", ri.srv.URL, i), "", body)
		bulk = append(bulk, fmt.Sprintf("/users/f%d/inbox %s", i, body))
	}
	enqueueLane(t, q, ri.srv.URL+"/agent/inbox", "deal 1", `{"confirm":1}`)
	enqueueLane(t, q, ri.srv.URL+"/agent/inbox", "deal 2", `{"confirm":2}`)
	deliver(t, q)
	want := append([]string{`/agent/inbox {"confirm":1}`, `/agent/inbox {"confirm":2}`}, bulk...)
	if got := ri.requests(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("requests in the order %q, want %q", got, want)
	}
}
