package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/sovereign-marketplace/market/federation"
)

// requestIDHeader carries a request's id: taken from a proxy in front when
// it is short and printable, generated otherwise, and echoed in the answer.
const requestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validRequestID accepts an incoming id of 1 to 64 visible ASCII
// characters; anything else is replaced, so that logs stay clean.
func validRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// middleware is the HTTP layer every request goes through: a request id,
// then recovery from a handler's panic.
func (n *Node) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(requestIDHeader, id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		rw := &trackingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil || v == http.ErrAbortHandler {
				if v != nil {
					panic(v)
				}
				return
			}
			n.Log.Error("handler panicked", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rw.wrote {
				federation.WriteError(rw, http.StatusInternalServerError, "internal", "internal error; request id "+id)
			}
		}()
		next.ServeHTTP(rw, r)
	})
}

// trackingWriter remembers whether the status line went out.
type trackingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *trackingWriter) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (Flush).
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// WriteJSON writes v as JSON with the given status (federation.WriteJSON
// with the plain JSON media type).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	federation.WriteJSON(w, status, "application/json", v)
}

// WriteError answers a request with err, through the one error table
// (federation.StatusOf): a client error shows its message, which names
// what is wrong; a server error shows only that it happened and the
// request id, and its details go to the log.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	status, reason, msg := federation.StatusOf(err)
	if status >= 500 {
		id := RequestID(r.Context())
		log.Error("request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "error", err)
		msg = fmt.Sprintf("%s; request id %s", msg, id)
	}
	federation.WriteError(w, status, reason, msg)
}
