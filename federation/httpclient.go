package federation

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// nonPublic lists the address ranges an outbound connection may not reach
// unless private networks are allowed, beyond what netip.Addr's predicates
// (loopback, private, link-local, multicast, unspecified) already cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),          // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),      // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),       // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),       // TEST-NET-1
	netip.MustParsePrefix("192.88.99.0/24"),     // 6to4 relay anycast
	netip.MustParsePrefix("198.18.0.0/15"),      // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"),    // TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),     // TEST-NET-3
	netip.MustParsePrefix("240.0.0.0/4"),        // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b::/96"),       // NAT64: may embed a private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),     // local-use NAT64
	netip.MustParsePrefix("100::/64"),           // discard-only
	netip.MustParsePrefix("2001::/23"),          // IETF protocol assignments (Teredo, ORCHID...)
	netip.MustParsePrefix("2001:db8::/32"),      // documentation
	netip.MustParsePrefix("2002::/16"),          // 6to4: may embed a private IPv4
	netip.MustParsePrefix("3fff::/20"),          // documentation
	netip.MustParsePrefix("5f00::/16"),          // segment routing SIDs
	netip.MustParsePrefix("fec0::/10"),          // deprecated site-local
	netip.MustParsePrefix("ff00::/8"),           // multicast
	netip.MustParsePrefix("::/128"),             // unspecified
	netip.MustParsePrefix("::1/128"),            // loopback
	netip.MustParsePrefix("fe80::/10"),          // link-local
	netip.MustParsePrefix("fc00::/7"),           // unique local
	netip.MustParsePrefix("169.254.0.0/16"),     // link-local
	netip.MustParsePrefix("127.0.0.0/8"),        // loopback
	netip.MustParsePrefix("255.255.255.255/32"), // broadcast
}

// IsPublicAddress reports whether ip may be reached by outbound requests
// when private networks are not allowed: not loopback, private (RFC 1918,
// fc00::/7), link-local, unspecified, multicast, CGNAT, documentation or
// otherwise reserved. IPv4-mapped IPv6 addresses are judged as IPv4.
func IsPublicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// dialGuard is a net.Dialer Control hook: it runs after name resolution,
// on the address actually being dialled, so a hostname that resolves (or
// re-resolves) to a private address is refused too.
func dialGuard(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s %s: unparsable address: %w", network, address, ErrPrivateAddress)
	}
	if !IsPublicAddress(ap.Addr()) {
		return fmt.Errorf("dial %s %s: %w", network, address, ErrPrivateAddress)
	}
	return nil
}

// maxRedirects bounds the redirects an http.Client from NewHTTPClient
// follows.
const maxRedirects = 5

// guardedTransport is the RoundTripper of clients made by NewHTTPClient.
// It remembers whether private networks are allowed, so that a Client can
// tell.
type guardedTransport struct {
	*http.Transport
	allowPrivate bool
}

// maxIdlePerHost is how many connections to one host a client keeps open
// between requests: as many as the delivery queue sends to one host at
// once by default (a quarter of its 64 workers), so that a busy peer's
// deliveries reuse connections instead of opening (and, over TLS,
// handshaking) one per delivery.
const maxIdlePerHost = 16

// NewHTTPClient returns the HTTP client for all outbound federation
// traffic. Unless allowPrivate is true it refuses, at dial time (net.Dialer
// Control, after DNS resolution), to connect to loopback, private,
// link-local, unspecified, multicast, CGNAT and other non-public addresses;
// such errors wrap ErrPrivateAddress. It never uses a proxy (a proxy would
// dial on our behalf, past the check), follows at most 5 redirects, and
// gives up on a request after timeout (0 means 30 seconds).
func NewHTTPClient(allowPrivate bool, timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = dialGuard
	}
	t := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   maxIdlePerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport: &guardedTransport{Transport: t, allowPrivate: allowPrivate},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return errors.New("stopped after 5 redirects")
			}
			return nil
		},
	}
}

// allowsPrivate reports whether hc was made by NewHTTPClient(true, ...).
func allowsPrivate(hc *http.Client) bool {
	t, ok := hc.Transport.(*guardedTransport)
	return ok && t.allowPrivate
}
