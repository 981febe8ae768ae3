// Command hub-publish measures a hub (`market hub`, the binary `go build`
// makes, run as its own process on loopback) publishing listings:
//
//   - fan-out: 1,000 followers on 100 hosts follow the hub's owner (real
//     signed Follows, answered with Accepts). Each host is a loopback
//     server whose 10 actors share one shared inbox, and every inbox
//     verifies the signature of what it receives (federation.Inbox). One
//     public listing is created through the owner API; the figures are
//     the deliveries the hub made for it and the time from the create's
//     answer until the last one was accepted;
//   - publish-to-searchable: a second hub subscribes to a `market relay`
//     process (`market hub relays add`), creates listings one at a time
//     through the owner API, and polls the relay's search for each until
//     it is found;
//   - memory and start: that hub, holding 1,000 listings, idle: its
//     resident set (VmRSS of /proc/<pid>/status) once its delivery queue
//     is empty and after it sat idle past the runtime's forced GC (every
//     2 minutes) so that the memory the creates used is collected and
//     returned (rss_idle_private is the anonymous part of it, the hub's
//     own memory, beside the files it maps); then its start to /readyz, with no listings (after
//     `market hub init`) and with 1,000, and its resident set after that
//     restart.
//
// It prints one line per figure, name, value and unit, with the issue's
// target beside each; a figure that misses its target says MISSED.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/federation"
)

func main() {
	hosts := flag.Int("hosts", 100, "follower hosts, each with one shared inbox")
	perHost := flag.Int("per-host", 10, "followers on each host")
	n := flag.Int("n", 100, "listings timed from create to searchable on the relay, one at a time")
	listings := flag.Int("listings", 1000, "listings the hub holds when its memory is read")
	settle := flag.Duration("settle", 130*time.Second, "how long the hub sits idle before its memory is read")
	flag.Parse()
	b := &bench{}
	benchkit.Exit("hub-publish", b.run(*hosts, *perHost, *n, *listings, *settle))
	benchkit.Line("targets_missed", b.missed, fmt.Sprintf("of %d", b.targets))
}

// bench counts the targets met and missed.
type bench struct{ targets, missed int }

// target is the note beside a figure: its target, and MISSED when ok is
// false.
func (b *bench) target(ok bool, target string) string {
	b.targets++
	if ok {
		return "target " + target
	}
	b.missed++
	return "target " + target + ": MISSED"
}

func (b *bench) run(hosts, perHost, n, listings int, settle time.Duration) error {
	work, err := os.MkdirTemp("", "hub-publish-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin, err := benchkit.BuildMarket(work)
	if err != nil {
		return err
	}
	if err := b.fanOut(bin, work, hosts, perHost); err != nil {
		return fmt.Errorf("fan-out: %w", err)
	}
	return b.relayAndMemory(bin, work, n, listings, settle)
}

// fanOut measures one public listing going out to hosts*perHost followers.
func (b *bench) fanOut(bin, work string, hosts, perHost int) error {
	h, err := initHub(bin, work, "hub-fanout")
	if err != nil {
		return err
	}
	if _, err := h.Start(); err != nil {
		return err
	}
	defer h.Stop()
	f, err := newFleet(hosts, perHost)
	if err != nil {
		return err
	}
	defer f.close()

	var me struct{ Actor string }
	if err := h.API(http.MethodGet, "/api/v1/owner/me", nil, http.StatusOK, &me); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	owner, err := federation.NewClient(federation.NewHTTPClient(true, 10*time.Second), nil, time.Hour, nil).Actor(ctx, me.Actor)
	if err != nil {
		return err
	}
	total := hosts * perHost
	start := time.Now()
	if err := f.follow(ctx, me.Actor, owner.Inbox, 8); err != nil {
		return err
	}
	if err := benchkit.WaitFor(5*time.Minute, func() bool { return f.accepts.Load() >= int64(total) }); err != nil {
		return fmt.Errorf("%d of %d follows accepted: %w", f.accepts.Load(), total, err)
	}
	benchkit.Line("follow_handshakes", fmt.Sprintf("%.0f", float64(total)/time.Since(start).Seconds()),
		fmt.Sprintf("follows/s (%d signed Follows by 8 clients, each answered with an Accept the follower verified)", total))
	var fs struct {
		Followers []struct{ State, Inbox string }
	}
	if err := h.API(http.MethodGet, "/api/v1/owner/followers", nil, http.StatusOK, &fs); err != nil {
		return err
	}
	inboxes := map[string]bool{}
	for _, x := range fs.Followers {
		if x.State == federation.FollowAccepted {
			inboxes[x.Inbox] = true
		}
	}
	if len(fs.Followers) != total || len(inboxes) != hosts {
		return fmt.Errorf("the hub has %d followers on %d inboxes, want %d on %d shared inboxes", len(fs.Followers), len(inboxes), total, hosts)
	}
	if err := benchkit.WaitFor(time.Minute, func() bool { return h.Metric("market_delivery_queue_depth") == 0 }); err != nil {
		return fmt.Errorf("the hub's queue did not drain after the Accepts: %w", err)
	}

	success := `market_delivery_attempts_total{result="success"}`
	retries := `market_delivery_attempts_total{result="retry"}`
	sentBefore, retriesBefore := counter(h, success), counter(h, retries)
	requested := time.Now()
	l, err := h.create(listing("Architecture review for a small team", 0))
	answered := time.Now()
	if err != nil {
		return err
	}
	if err := benchkit.WaitFor(time.Minute, func() bool { at, _, _, _ := f.received(); return len(at) >= hosts }); err != nil {
		at, _, _, personal := f.received()
		return fmt.Errorf("%d shared inboxes accepted the Create (and %d personal inboxes), want %d: %w", len(at), personal, hosts, err)
	}
	time.Sleep(200 * time.Millisecond) // let any delivery beyond one per shared inbox show
	at, got, most, personal := f.received()
	last := slices.MaxFunc(at, func(a, b time.Time) int { return a.Compare(b) })
	sent := counter(h, success) - sentBefore
	benchkit.Line("fanout_deliveries", fmt.Sprintf("%.0f", sent),
		fmt.Sprintf("deliveries (%d followers on %d hosts; %d shared inboxes got the Create, at most %d each, %d personal inboxes; %.0f retries; delivered_to=%d; want one per shared inbox: %d)",
			total, hosts, got, most, personal, counter(h, retries)-retriesBefore, l.DeliveredTo, hosts))
	took := last.Sub(answered)
	benchkit.Line("fanout_last_accepted", fmt.Sprintf("%.0f", ms(took)),
		fmt.Sprintf("ms from the create's answer to the last delivery accepted (%.0f ms from the request; %s)", ms(last.Sub(requested)), b.target(took <= 2*time.Second, "<= 2000 ms")))
	if int(sent) != hosts || got != hosts || most != 1 || personal != 0 {
		return fmt.Errorf("want exactly one delivery per shared inbox (%d), got %.0f sent, %d inboxes, %d at most, %d personal", hosts, sent, got, most, personal)
	}
	return nil
}

// relayAndMemory measures publish-to-searchable on a relay, then the
// hub's memory with `listings` listings, and its start.
func (b *bench) relayAndMemory(bin, work string, n, listings int, settle time.Duration) error {
	relayAddr, err := benchkit.FreeAddr()
	if err != nil {
		return err
	}
	rel, _, err := benchkit.StartRelay(bin, append(os.Environ(), "MARKET_LISTEN="+relayAddr, "MARKET_DATA_DIR="+filepath.Join(work, "relay"),
		"MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn"), relayAddr, 30*time.Second)
	if err != nil {
		return err
	}
	defer rel.Stop()

	h, err := initHub(bin, work, "hub")
	if err != nil {
		return err
	}
	// Start with no listings, after `market hub init` made the key.
	var empty []time.Duration
	for i := 0; i < 3; i++ {
		took, err := h.Start()
		if err != nil {
			return err
		}
		empty = append(empty, took)
		if i < 2 {
			h.Stop()
		}
	}
	defer func() { h.Stop() }()

	if _, err := h.Run("relays", "add", rel.Base+"/actor"); err != nil {
		return err
	}
	if err := benchkit.WaitFor(30*time.Second, func() bool { return relayAccepted(h) && rel.Metric("market_relay_hubs_followed") >= 1 }); err != nil {
		return fmt.Errorf("the relay did not accept the hub's subscription: %w", err)
	}

	// Publish-to-searchable, one listing at a time.
	client := &http.Client{Timeout: 10 * time.Second}
	var lat []time.Duration
	for i := 0; i < n; i++ {
		marker := fmt.Sprintf("zzpub%05d", i)
		t0 := time.Now()
		if _, err := h.create(listing("Tutoring session "+marker, i)); err != nil {
			return err
		}
		for !searchable(client, rel.Base, marker) {
			if time.Since(t0) > 30*time.Second {
				return fmt.Errorf("listing %s not searchable on the relay after 30 s", marker)
			}
			time.Sleep(10 * time.Millisecond)
		}
		lat = append(lat, time.Since(t0))
	}
	p50, p95, p99 := benchkit.Percentiles(lat)
	benchkit.Line("publish_to_searchable", fmt.Sprintf("n=%d p50=%.0f p95=%.0f p99=%.0f", n, p50, p95, p99),
		fmt.Sprintf("ms from the owner API's create request to the relay's search finding it (%s)", b.target(p95 <= 1000, "p95 <= 1000 ms")))

	// Fill the hub to `listings`, 4 clients at once.
	start := time.Now()
	if err := fill(h, n, listings, 4); err != nil {
		return err
	}
	benchkit.Line("owner_api_create", fmt.Sprintf("%.0f", float64(listings-n)/time.Since(start).Seconds()),
		fmt.Sprintf("listings/s (%d by 4 clients, each stored and queued for the relay in one commit)", listings-n))
	if err := benchkit.WaitFor(2*time.Minute, func() bool {
		return h.Metric("market_delivery_queue_depth") == 0 && relayListings(client, rel.Base) == listings
	}); err != nil {
		return fmt.Errorf("the relay holds %d listings, the hub's queue %v: %w", relayListings(client, rel.Base), h.Metric("market_delivery_queue_depth"), err)
	}
	settled := time.Now()

	// Memory, idle: at once, then after the settle.
	m, err := h.Memory()
	if err != nil {
		return err
	}
	benchkit.Line("rss_after_creating", mib(m.RSS), fmt.Sprintf("MiB with %d listings, queue empty, before any idle time (%s)", listings, parts(m)))
	time.Sleep(time.Until(settled.Add(settle)))
	if m, err = h.Memory(); err != nil {
		return err
	}
	benchkit.Line("rss_idle", mib(m.RSS), fmt.Sprintf("MiB with %d listings after %.0f s idle (%s, peak %s MiB; %s)",
		listings, settle.Seconds(), parts(m), mib(m.Peak), b.target(m.RSS <= 40<<20, "<= 40 MiB")))
	benchkit.Line("rss_idle_private", mib(m.Anon), fmt.Sprintf("MiB of rss_idle that is the hub's own (anonymous: heap, stacks, runtime); the rest is files, of which the binary %s MiB, %s MiB of it mapped whole in 2 MiB folios", mib(m.Binary), mib(m.BinaryHuge)))

	// Restarts with the listings.
	var full []time.Duration
	for i := 0; i < 3; i++ {
		h.Stop()
		took, err := h.Start()
		if err != nil {
			return err
		}
		full = append(full, took)
	}
	time.Sleep(2 * time.Second)
	if m, err = h.Memory(); err != nil {
		return err
	}
	benchkit.Line("cold_start", fmt.Sprintf("%.0f", ms(median(empty))),
		fmt.Sprintf("ms to /readyz, no listings (median of %s; %s)", msList(empty), b.target(median(empty) <= 100*time.Millisecond, "<= 100 ms")))
	benchkit.Line("cold_start_with_listings", fmt.Sprintf("%.0f", ms(median(full))),
		fmt.Sprintf("ms to /readyz with %d listings and a relay (median of %s; %s)", listings, msList(full), b.target(median(full) <= 100*time.Millisecond, "<= 100 ms")))
	benchkit.Line("rss_idle_restarted", mib(m.RSS), fmt.Sprintf("MiB with %d listings, 2 s after a restart (%s; %s)", listings, parts(m), b.target(m.RSS <= 40<<20, "<= 40 MiB")))
	return nil
}

// fill creates listings from..to-1 through the owner API, conc at a time.
func fill(h *hubProc, from, to, conc int) error {
	return benchkit.Each(to-from, conc, func(i int) error {
		_, err := h.create(listing(fmt.Sprintf("Bike repair, listing %d", from+i), from+i))
		return err
	})
}

// relayAccepted reports whether `market hub relays list` shows every
// relay accepted.
func relayAccepted(h *hubProc) bool {
	out, err := h.Run("relays", "list")
	if err != nil {
		return false
	}
	var rs struct{ Relays []struct{ State string } }
	if json.Unmarshal(out, &rs) != nil || len(rs.Relays) == 0 {
		return false
	}
	for _, r := range rs.Relays {
		if r.State != federation.FollowAccepted {
			return false
		}
	}
	return true
}

// searchable reports whether the relay's search finds exactly one listing
// for marker.
func searchable(client *http.Client, base, marker string) bool {
	resp, err := client.Get(base + "/api/v1/search?facets=false&limit=1&q=" + marker)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var body struct{ Total int }
	return json.NewDecoder(resp.Body).Decode(&body) == nil && body.Total == 1
}

// relayListings is how many listings the relay stores (/api/v1/stats).
func relayListings(client *http.Client, base string) int {
	resp, err := client.Get(base + "/api/v1/stats")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var st struct{ Listings int }
	if json.NewDecoder(resp.Body).Decode(&st) != nil {
		return -1
	}
	return st.Listings
}

// counter reads a counter series of the hub's /metrics; one never
// incremented has no series yet and counts 0.
func counter(h *hubProc, series string) float64 { return max(h.Metric(series), 0) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// parts says how much of the resident set is the process's own memory,
// how much the binary's mapped code and data, and how much other files
// (bbolt's).
func parts(m benchkit.Memory) string {
	return fmt.Sprintf("anonymous %s + binary %s + other files %s MiB", mib(m.Anon), mib(m.Binary), mib(m.File-m.Binary))
}

func mib(b int64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func msList(d []time.Duration) string {
	out := ""
	for i, x := range d {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%.0f", ms(x))
	}
	return out + " ms"
}
