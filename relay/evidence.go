package relay

import (
	"context"
	"net/http"

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
