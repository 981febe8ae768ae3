package web_test

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/web"
)

// TestPassword: a hash checks its own password only; a short password is
// refused; hashes of one password differ (salted); a tampered hash
// checks nothing.
func TestPassword(t *testing.T) {
	if _, err := web.HashPassword("too short"); err == nil {
		t.Fatal("a 9-character password was hashed")
	}
	h1, err := web.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := web.HashPassword("correct horse battery")
	if h1 == h2 || !strings.HasPrefix(h1, "$argon2id$v=19$") {
		t.Fatalf("hashes: %s %s", h1, h2)
	}
	for _, c := range []struct {
		hash, password string
		want           bool
	}{
		{h1, "correct horse battery", true},
		{h2, "correct horse battery", true},
		{h1, "correct horse batterY", false},
		{h1, "", false},
		{strings.Replace(h1, "t=3", "t=1", 1), "correct horse battery", false},
		{strings.Replace(h1, "argon2id", "argon2i", 1), "correct horse battery", false},
		{"", "", false},
		{"$argon2id$v=19$m=65536,t=3,p=2$$", "", false},
	} {
		if got := web.CheckPassword(c.hash, c.password); got != c.want {
			t.Errorf("CheckPassword(%q, %q) = %v, want %v", c.hash, c.password, got, c.want)
		}
	}
}

// TestLockout: the fifth failure within the window locks a key until the
// oldest failure leaves it; other keys are not locked; Reset unlocks.
func TestLockout(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &web.Lockout{Max: 5, Window: 15 * time.Minute, Now: func() time.Time { return now }}
	for i := 0; i < 4; i++ {
		l.Fail("addr a", "account")
		now = now.Add(time.Minute)
	}
	if _, err := l.Check("addr a"); err != nil {
		t.Fatal("locked after four failures")
	}
	l.Fail("addr a")
	wait, err := l.Check("addr b", "addr a")
	if !errors.Is(err, web.ErrLockedOut) || wait != 11*time.Minute {
		t.Fatalf("after five failures: %v %v, want locked for 11m", wait, err)
	}
	if _, err := l.Check("addr b", "account"); err != nil {
		t.Fatal("another key is locked")
	}
	now = now.Add(11 * time.Minute)
	if _, err := l.Check("addr a"); err != nil {
		t.Fatalf("still locked once the first failure left the window: %v", err)
	}
	l.Fail("addr a")
	if _, err := l.Check("addr a"); err == nil {
		t.Fatal("not locked after a fifth failure within the window")
	}
	l.Reset("addr a")
	if _, err := l.Check("addr a"); err != nil {
		t.Fatal("locked after Reset")
	}
}

// TestCheckCSRF: only the session's own token passes, and never an empty
// one.
func TestCheckCSRF(t *testing.T) {
	tok := web.NewSecret()
	for _, c := range []struct {
		sent, want string
		ok         bool
	}{{tok, tok, true}, {"", tok, false}, {tok + "x", tok, false}, {"", "", false}, {web.NewSecret(), tok, false}} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(url.Values{web.CSRFField: {c.sent}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.ParseForm()
		if got := web.CheckCSRF(r, c.want); got != c.ok {
			t.Errorf("CheckCSRF(sent %q, want %q) = %v", c.sent, c.want, got)
		}
	}
	if web.SessionKey(tok) == tok || len(web.SessionKey(tok)) != 64 {
		t.Fatal("SessionKey is not a SHA-256")
	}
}
