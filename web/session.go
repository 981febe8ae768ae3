package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// Owner pages keep a login in a server-side session: the browser holds a
// random secret in a cookie (Secure when the site is https, HttpOnly,
// SameSite=Strict), the server keeps only the secret's SHA-256 (SessionKey)
// with the session's CSRF token and expiry. Every form of a session
// carries the CSRF token in a hidden field (CSRFField), checked with
// CheckCSRF, and every form route is behind Protect
// (http.CrossOriginProtection).

// CSRFField is the name of the hidden field holding a session's CSRF token.
const CSRFField = "csrf"

// ErrLockedOut is returned by Lockout.Check while failures lock a key.
var ErrLockedOut = errors.New("locked out")

// NewSecret returns 32 random bytes, base64url-encoded: a session's
// cookie value or CSRF token.
func NewSecret() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// SessionKey is what the server stores a session under: the hex SHA-256
// of the cookie's secret, so that a copy of the database logs no one in.
func SessionKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SetSessionCookie sets the session cookie: HttpOnly, SameSite=Strict,
// Secure when secure (the site's public URL is https), for the whole site,
// until expires.
func SetSessionCookie(w http.ResponseWriter, name, secret string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: secret, Path: "/", Expires: expires, MaxAge: int(time.Until(expires).Seconds()),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
	})
}

// ClearSessionCookie tells the browser to forget the session cookie.
func ClearSessionCookie(w http.ResponseWriter, name string, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// CheckCSRF reports whether a posted form carries want, the session's
// CSRF token, in CSRFField (compared in constant time). Call it after
// ParseForm.
func CheckCSRF(r *http.Request, want string) bool {
	got := r.PostForm.Get(CSRFField)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// Protect refuses a state-changing request that a browser sent from a page
// of another origin (http.CrossOriginProtection, from the Sec-Fetch-Site
// and Origin headers), with the error page.
func (s *Site) Protect(h http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, http.StatusForbidden, "This form was sent from a page of another site, so it was refused. Open the page on this site and send it again.")
	}))
	return p.Handler(h)
}

// Account is the logged-in user a page shows in its header, with the
// logout form.
type Account struct {
	Name      string // shown as "Logged in as Name"
	LogoutURL string // where the logout form posts
	CSRF      string // the session's CSRF token, for the logout form
}

type accountKey struct{}

// WithAccount returns r carrying the logged-in account, which Render puts
// in the layout's header (View.Account).
func WithAccount(r *http.Request, a *Account) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), accountKey{}, a))
}

func accountOf(r *http.Request) *Account {
	a, _ := r.Context().Value(accountKey{}).(*Account)
	return a
}

// Argon2id parameters of HashPassword (RFC 9106's second recommended
// choice, with less memory for a small server: 64 MiB, 3 passes).
const (
	argonTime    = 3
	argonMemory  = 64 << 10
	argonThreads = 2
	argonKeyLen  = 32
)

// MinPassword is the shortest password HashPassword takes.
const MinPassword = 12

// HashPassword hashes a password with argon2id and a random salt, in the
// PHC string format ($argon2id$v=19$m=...,t=...,p=...$salt$hash).
func HashPassword(password string) (string, error) {
	if len([]rune(password)) < MinPassword {
		return "", fmt.Errorf("password: must be at least %d characters", MinPassword)
	}
	if len(password) > 1024 {
		return "", fmt.Errorf("password: must be at most 1024 bytes")
	}
	var salt [16]byte
	rand.Read(salt[:])
	key := argon2.IDKey([]byte(password), salt[:], argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt[:]), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash (from HashPassword).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > 1024 {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t > 16 || p == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Lockout counts failed logins by key (a client address, an account) and
// locks a key out once it has Max failures within Window.
type Lockout struct {
	Max    int
	Window time.Duration
	Now    func() time.Time // time.Now when nil

	mu       sync.Mutex
	failures map[string][]time.Time
}

func (l *Lockout) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// recent drops the failures of key older than the window; l.mu is held.
func (l *Lockout) recent(key string, now time.Time) []time.Time {
	fs := l.failures[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= l.Window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = fs
	}
	return fs
}

// Check returns ErrLockedOut, with how long until the lock lifts, when
// any of keys is locked.
func (l *Lockout) Check(keys ...string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if fs := l.recent(k, now); len(fs) >= l.Max {
			wait = max(wait, fs[len(fs)-l.Max].Add(l.Window).Sub(now))
		}
	}
	if wait > 0 {
		return wait, ErrLockedOut
	}
	return 0, nil
}

// Fail records a failure against each of keys.
func (l *Lockout) Fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failures == nil {
		l.failures = map[string][]time.Time{}
	}
	now := l.now()
	for _, k := range keys {
		fs := append(l.recent(k, now), now)
		if len(fs) > l.Max {
			fs = fs[len(fs)-l.Max:]
		}
		l.failures[k] = fs
	}
}

// Reset forgets the failures of keys (after a successful login).
func (l *Lockout) Reset(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.failures, k)
	}
}
