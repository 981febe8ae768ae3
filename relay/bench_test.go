package relay_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/sovereign-marketplace/market/federation"
)

// BenchmarkInboxCreate measures signed Create activities accepted and
// stored per second over HTTP on loopback, with requests signed up front.
func BenchmarkInboxCreate(b *testing.B) {
	r := startRelay(b, relayConfig(b, b.TempDir()))
	hub := startHub(b, "alice", "127.0.0.1")
	subscribe(b, r, hub)
	type signed struct {
		req  *http.Request
		body []byte
	}
	reqs := make([]signed, b.N)
	for i := range reqs {
		body, err := hub.ListingActivity("Create", hub.Listing(fmt.Sprintf("Listing %d", i)))
		if err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, r.inbox(), bytes.NewReader(body))
		req.Header.Set("Content-Type", federation.ContentType)
		if err := hub.Sign(req, body); err != nil {
			b.Fatal(err)
		}
		reqs[i] = signed{req, body}
	}
	var next atomic.Int64
	const parallelism = 4
	b.SetParallelism(parallelism)
	// One kept-alive connection per client: http.DefaultClient keeps two
	// per host, so most requests would open a new connection.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: parallelism * runtime.GOMAXPROCS(0)}}
	defer client.CloseIdleConnections()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			resp, err := client.Do(reqs[i].req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body) // read to the end, or the connection is not kept
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Errorf("status %d", resp.StatusCode)
			}
		}
	})
	b.StopTimer()
	if n := r.listingCount(); n != b.N {
		b.Fatalf("stored %d of %d", n, b.N)
	}
}
