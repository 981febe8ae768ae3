package hub

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/federation"
)

// Token scopes: a read-only token reads the owner API, a full one also
// changes things.
const (
	ScopeReadOnly = "read-only"
	ScopeFull     = "full"
)

// tokenPrefix starts every owner API token, so that one pasted in the
// wrong place is recognisable (and secret scanners can find it).
const tokenPrefix = "mkt_"

// maxTokenName bounds a token's name, in characters.
const maxTokenName = 64

// Token is an owner API bearer token as the hub keeps it: never the
// secret itself, only its SHA-256 (the bucket key).
type Token struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Scope   string     `json:"scope"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// tokenKey is the bucket key of a secret: its SHA-256 in hex.
func tokenKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new owner API token with scope (read-only or full)
// and a name saying where it is used, and returns its secret: shown this
// once, kept only hashed.
func (s *Server) CreateToken(scope, name string) (string, *Token, error) {
	if scope != ScopeReadOnly && scope != ScopeFull {
		return "", nil, fmt.Errorf("%w: scope must be %s or %s, got %q", ErrInvalid, ScopeReadOnly, ScopeFull, short(scope))
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > maxTokenName || strings.ContainsFunc(name, unicode.IsControl) {
		return "", nil, fmt.Errorf("%w: a token name is plain text of at most %d characters", ErrInvalid, maxTokenName)
	}
	var b [32]byte
	rand.Read(b[:])
	secret := tokenPrefix + hex.EncodeToString(b[:])
	tok := &Token{ID: newID()[:12], Name: name, Scope: scope, Created: s.now()}
	if err := s.update(func(t txn) error { return put(t, bucketTokens, tokenKey(secret), tok) }); err != nil {
		return "", nil, err
	}
	s.log.Info("owner API token created", "token", tok.ID, "scope", scope, "name", name)
	return secret, tok, nil
}

// Tokens lists the owner API tokens, revoked ones included, oldest first.
func (s *Server) Tokens() ([]*Token, error) {
	var out []*Token
	err := s.view(func(t txn) error {
		var err error
		out, err = all[Token](t, bucketTokens)
		return err
	})
	slices.SortFunc(out, func(a, b *Token) int { return a.Created.Compare(b.Created) })
	if out == nil {
		out = []*Token{}
	}
	return out, err
}

// RevokeToken revokes the token with id: from now on it is refused.
func (s *Server) RevokeToken(id string) (*Token, error) {
	var tok *Token
	err := s.update(func(t txn) error {
		var key string
		err := t.tx.Bucket(bucketTokens).ForEach(func(k, _ []byte) error {
			cand, err := get[Token](t, bucketTokens, string(k))
			if err == nil && cand.ID == id {
				tok, key = cand, string(k)
			}
			return err
		})
		if err != nil || tok == nil {
			return err
		}
		if tok.Revoked == nil {
			now := s.now()
			tok.Revoked = &now
		}
		return put(t, bucketTokens, key, tok) // after ForEach: it must not change the bucket it walks
	})
	if err == nil && tok == nil {
		err = fmt.Errorf("%w: no token %s (market hub token list shows them)", ErrNotFound, short(id))
	}
	if err == nil {
		s.log.Info("owner API token revoked", "token", id)
	}
	return tok, err
}

// authenticate returns the token a request's Authorization header
// carries: exactly one "Bearer <secret>" of a token that exists and is not
// revoked. Anything else is a 401 that says only that the token is
// missing or not valid.
func (s *Server) authenticate(r *http.Request) (*Token, error) {
	refused := federation.WithCode(http.StatusUnauthorized, "bad_token", "owner API token missing, wrong or revoked: send Authorization: Bearer <token> (market hub token create)", nil)
	h := r.Header.Values("Authorization")
	if len(h) != 1 {
		return nil, refused
	}
	scheme, secret, ok := strings.Cut(h[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(secret, tokenPrefix) || len(secret) != len(tokenPrefix)+64 {
		return nil, refused
	}
	var tok *Token
	_ = s.view(func(t txn) error {
		tok, _ = get[Token](t, bucketTokens, tokenKey(secret))
		return nil
	})
	if tok == nil || tok.Revoked != nil {
		return nil, refused
	}
	return tok, nil
}
