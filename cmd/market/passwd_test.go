package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/internal/testhub"
)

// TestHubPasswd: `market hub passwd` reads the password from standard
// input and sets it on the running hub (through its admin socket), whose
// login then takes it and refuses another; a short password is refused
// and changes nothing.
func TestHubPasswd(t *testing.T) {
	cfg := testhub.HubConfig(t, t.TempDir(), "alice")
	h := testhub.StartMarketHub(t, cfg, nil)
	old := stdin
	defer func() { stdin = old }()
	args := []string{"hub", "passwd", "--data-dir", cfg.DataDir, "--listen", cfg.Listen}

	stdin = strings.NewReader("short\n")
	if code, _, errOut := runCLI(t, nil, args...); code != exitUsage || !strings.Contains(errOut, "at least 12 characters") {
		t.Fatalf("a short password: exit %d %s", code, errOut)
	}
	login := func(password string) int {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(h.Config.PublicURL+"/owner/login", url.Values{"password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := login("short"); status != http.StatusUnauthorized {
		t.Fatalf("login after a refused passwd: %d", status)
	}
	stdin = strings.NewReader("a long owner password\n")
	code, out, errOut := runCLI(t, nil, args...)
	if code != exitOK || !strings.Contains(out, "/owner/login") {
		t.Fatalf("passwd: exit %d\n%s%s", code, out, errOut)
	}
	if status := login("a long owner password "); status != http.StatusUnauthorized {
		t.Fatalf("login with another password: %d", status)
	}
	if status := login("a long owner password"); status != http.StatusSeeOther {
		t.Fatalf("login with the password set: %d", status)
	}
}
