package relay

import (
	"context"
	"net/http"
	"time"

	"github.com/sovereign-marketplace/market/federation"
)

type requestKey struct{}

// withSignature keeps the signed request's headers in the context, so that
// the stored listing carries what a client needs to check the signature
// itself.
func withSignature(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig := &Signature{
			Header:        r.Header.Get("Signature"),
			RequestTarget: r.Method + " " + r.URL.RequestURI(),
			Host:          r.Host,
			Date:          r.Header.Get("Date"),
			Digest:        r.Header.Get("Digest"),
			ContentType:   r.Header.Get("Content-Type"),
			// RFC 9421
			SignatureInput: r.Header.Get("Signature-Input"),
			ContentDigest:  r.Header.Get("Content-Digest"),
		}
		if sig.Header == "" {
			sig.Header = r.Header.Get("Authorization")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestKey{}, sig)))
	})
}

// signatureOf returns the signature evidence of the request that carried a.
func signatureOf(ctx context.Context, a *federation.Activity) *Signature {
	sig, _ := ctx.Value(requestKey{}).(*Signature)
	if sig == nil {
		return nil
	}
	out := *sig
	out.KeyID = a.KeyID
	out.VerifiedByRelay = true
	return &out
}

// servedEvidence is stored signature evidence as the public API serves
// it.
type servedEvidence struct {
	*Signature
	// WithheldUntil is set while the signature value is withheld: from
	// then on it is served too.
	WithheldUntil *time.Time `json:"withheld_until,omitempty"`
}

// evidenceAt is sig, of a request the relay received at received, as
// served at now. An inbox accepts a signature dated up to window either
// side of its clock, so one the relay accepted may pass an inbox's date
// check until received plus twice the window. Until then its value (the
// Signature field, or the Authorization header) is withheld, so that the
// evidence endpoint never hands out a signature that could still be
// replayed; the signed headers and digests are served from the start.
func evidenceAt(sig *Signature, received, now time.Time, window time.Duration) *servedEvidence {
	if sig == nil {
		return nil
	}
	if window <= 0 {
		window = federation.DefaultDateWindow
	}
	until := received.Add(2 * window).UTC()
	if !now.Before(until) {
		return &servedEvidence{Signature: sig}
	}
	withheld := *sig
	withheld.Header = ""
	return &servedEvidence{Signature: &withheld, WithheldUntil: &until}
}
