package relay

import (
	"maps"
	"slices"
	"strings"

	"github.com/sovereign-marketplace/market/federation"
)

// allowList is the operator's relay.allowed_domains. Empty allows every
// domain; otherwise only actors on a listed domain or one of its
// subdomains may follow the relay, publish to it or be followed by it.
type allowList map[string]bool

func newAllowList(domains []string) allowList {
	a := allowList{}
	for _, d := range domains {
		a[strings.ToLower(strings.TrimSpace(d))] = true
	}
	return a
}

// host reports whether the name (a host, host:port or parent domain, as
// the inbox asks) is on the list.
func (a allowList) host(name string) bool { return a[strings.ToLower(name)] }

// allows reports whether the actor or object URL id is on an allowed
// domain.
func (a allowList) allows(id string) bool {
	return len(a) == 0 || slices.ContainsFunc(federation.DomainNames(federation.HostOf(id)), a.host)
}

// sorted lists the allowed domains in order.
func (a allowList) sorted() []string { return slices.Sorted(maps.Keys(a)) }
