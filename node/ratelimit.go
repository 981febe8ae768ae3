package node

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/federation"
)

// maxIdleClients is how many client buckets the limiter keeps before it
// forgets the full ones (a full bucket is the same as a new one), at most
// once a second; past maxClients, new clients share one overflow bucket
// until buckets refill, so a flood of addresses cannot grow memory
// without bound.
const (
	maxIdleClients = 10_000
	maxClients     = 4 * maxIdleClients
)

// rateLimiter is a token bucket per client address in front of the inbox
// and the public API. A client whose bucket is empty gets 429 with
// Retry-After, before its request is read.
type rateLimiter struct {
	every   rate.Limit
	burst   int
	exempt  []netip.Prefix
	trusted []netip.Prefix
	limited *prometheus.CounterVec
	now     func() time.Time
	// page, when set, answers a refused request for a page in the
	// site's words; it returns false for a request that wants JSON.
	page func(w http.ResponseWriter, r *http.Request, status int, msg string) bool

	mu        sync.Mutex
	clients   map[netip.Addr]*rate.Limiter
	overflow  *rate.Limiter
	lastSweep time.Time
}

// newRateLimiter returns nil (no limit) when c.PerMinute is 0.
func newRateLimiter(c config.RateLimit, reg prometheus.Registerer, now func() time.Time) (*rateLimiter, error) {
	if c.PerMinute == 0 {
		return nil, nil
	}
	rl := &rateLimiter{
		every:    rate.Limit(float64(c.PerMinute) / 60),
		burst:    c.Burst,
		now:      now,
		clients:  map[netip.Addr]*rate.Limiter{},
		overflow: rate.NewLimiter(rate.Limit(float64(c.PerMinute)/6), 10*c.Burst),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "market_relay_rate_limited_total",
			Help: "Requests refused with 429 because their client went over relay.rate_limit, by endpoint (inbox, api).",
		}, []string{"endpoint"}),
	}
	for _, list := range []struct {
		key string
		in  []string
		out *[]netip.Prefix
	}{{"relay.rate_limit.exempt", c.Exempt, &rl.exempt}, {"relay.rate_limit.trusted_proxies", c.TrustedProxies, &rl.trusted}} {
		for _, s := range list.in {
			p, err := config.ParsePrefix(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", list.key, err)
			}
			*list.out = append(*list.out, p)
		}
	}
	reg.MustRegister(rl.limited)
	return rl, nil
}

// wrap limits next; a nil limiter lets everything through.
func (rl *rateLimiter) wrap(endpoint string, next http.Handler) http.Handler {
	if rl == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client, ok := rl.client(r)
		if ok && !within(client, rl.exempt) {
			if wait := rl.take(bucketKey(client)); wait > 0 {
				rl.limited.WithLabelValues(endpoint).Inc()
				secs := int(math.Ceil(wait.Seconds()))
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				limits := fmt.Sprintf("at most %d a minute (bursts of %d); retry after %d s", int(float64(rl.every)*60+0.5), rl.burst, secs)
				if rl.page != nil && rl.page(w, r, http.StatusTooManyRequests, "Too many requests from your address: "+limits+".") {
					return
				}
				federation.WriteError(w, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many requests from %s: %s", client, limits))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// bucketKey is the bucket a client address draws from: itself for IPv4,
// its /64 network for IPv6, since one host commonly holds a whole /64.
func bucketKey(a netip.Addr) netip.Addr {
	if a.Is4() {
		return a
	}
	return netip.PrefixFrom(a, 64).Masked().Addr()
}

// take spends one token of client's bucket; when the bucket is empty it
// spends nothing and says how long until a token is there.
func (rl *rateLimiter) take(client netip.Addr) time.Duration {
	now := rl.now()
	rl.mu.Lock()
	lim, ok := rl.clients[client]
	if !ok {
		if len(rl.clients) >= maxIdleClients && now.Sub(rl.lastSweep) >= time.Second {
			rl.forgetFull(now)
			rl.lastSweep = now
		}
		if len(rl.clients) < maxClients {
			lim = rate.NewLimiter(rl.every, rl.burst)
			rl.clients[client] = lim
		} else {
			lim = rl.overflow
		}
	}
	rl.mu.Unlock()
	res := lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// forgetFull drops the buckets that have refilled. rl.mu is held.
func (rl *rateLimiter) forgetFull(now time.Time) {
	for a, lim := range rl.clients {
		if lim.TokensAt(now) >= float64(rl.burst) {
			delete(rl.clients, a)
		}
	}
}

// client is the address a request counts against (clientAddr).
func (rl *rateLimiter) client(r *http.Request) (netip.Addr, bool) { return clientAddr(r, rl.trusted) }

// ClientAddr is the address a request comes from, as the rate limit
// counts it: the peer, or, when the peer is one of
// rate_limit.trusted_proxies, the nearest address in X-Forwarded-For that
// is not a trusted proxy. A login lockout counts failures against it.
func (n *Node) ClientAddr(r *http.Request) string {
	var trusted []netip.Prefix
	if n.limiter != nil {
		trusted = n.limiter.trusted
	}
	if a, ok := clientAddr(r, trusted); ok {
		return a.String()
	}
	return r.RemoteAddr
}

// SetPageError makes a request refused by the rate limit get page's
// answer when page takes it (returns true: a browser asking for a page),
// rather than the API's JSON error.
func (n *Node) SetPageError(page func(w http.ResponseWriter, r *http.Request, status int, msg string) bool) {
	if n.limiter != nil {
		n.limiter.page = page
	}
}

// clientAddr is the peer of r, or, when the peer is within trusted, the
// nearest address in X-Forwarded-For that is not.
func clientAddr(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	peer = peer.Unmap()
	if !within(peer, trusted) {
		return peer, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for _, h := range slices.Backward(hops) {
		a, err := netip.ParseAddr(strings.TrimSpace(h))
		if err != nil {
			return peer, true // a hop the proxies did not write: count the proxy's own
		}
		if a = a.Unmap(); !within(a, trusted) {
			return a, true
		}
	}
	return peer, true
}

func within(a netip.Addr, prefixes []netip.Prefix) bool {
	return slices.ContainsFunc(prefixes, func(p netip.Prefix) bool { return p.Contains(a) })
}
