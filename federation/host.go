package federation

import (
	"net/url"
	"strings"
)

// HostOf returns the host of a URL as blocks, allow lists, delivery
// queues and origin checks compare it: lower case, with the port when the
// URL has one ("https://Hub.Example:8443/users/a" → "hub.example:8443").
// It returns "" when raw does not parse as a URL or has no host (a bare
// path, "acct:user@host"). It does not check the scheme: callers that need
// an http(s) actor or object id check listing.IsHTTPURL first.
func HostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
