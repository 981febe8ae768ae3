package federation_test

import (
	"testing"

	"github.com/sovereign-marketplace/market/federation"
)

func TestHostOf(t *testing.T) {
	for raw, want := range map[string]string{
		"https://hub.example/users/ana":         "hub.example",
		"https://Hub.EXAMPLE/users/Ana":         "hub.example",
		"http://hub.example:8080/inbox":         "hub.example:8080",
		"https://hub.example:443/":              "hub.example:443",
		"http://[2001:DB8::1]:8080/a":           "[2001:db8::1]:8080",
		"https://ana@hub.example/users/ana":     "hub.example",
		"https://hub.example?q=1#frag":          "hub.example",
		"HTTPS://HUB.EXAMPLE":                   "hub.example",
		"acct:ana@hub.example":                  "",
		"hub.example/users/ana":                 "",
		"/users/ana":                            "",
		"":                                      "",
		"https://hub.example/%zz":               "",
		"http://[::1":                           "",
		"https://hub.example\x7f/users/ana":     "",
		"https://xn--caf-dma.example/users/ana": "xn--caf-dma.example",
	} {
		if got := federation.HostOf(raw); got != want {
			t.Errorf("HostOf(%q) = %q, want %q", raw, got, want)
		}
	}
}
