package relay

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sovereign-marketplace/market/federation"
)

// ErrNoServer is returned by DialAdmin when no relay is running on the data
// directory; operator commands then open the files themselves.
var ErrNoServer = errors.New("no running relay")

// AdminToken returns the token that guards the admin socket: the configured
// one, or the one kept in the data directory (generated on first use, mode 0600).
func AdminToken(dataDir, configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	path := filepath.Join(dataDir, tokenFile)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	tok := newID() + newID()
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write admin token: %w", err)
	}
	return tok, nil
}

// serveAdmin serves the admin API on a unix socket in the data directory
// (mode 0600), guarded by the admin token.
func (s *Server) serveAdmin() (*http.Server, error) {
	token, err := AdminToken(s.cfg.DataDir, s.cfg.Relay.AdminToken)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(s.cfg.DataDir, socketFile)
	_ = os.Remove(path) // a stale socket of a relay that did not stop cleanly
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	m := http.NewServeMux()
	for _, op := range Operations() {
		m.HandleFunc(op.Method+" "+op.Path(), s.adminHandler(op))
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !bearer(r.Header.Values("Authorization"), token) {
				federation.WriteError(w, http.StatusUnauthorized, "bad_token", "admin token missing or wrong")
				return
			}
			m.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Warn("admin socket stopped", "error", err)
		}
	}()
	return srv, nil
}

// bearer reports whether the request's Authorization headers are exactly
// one "Bearer <token>" with the admin token, compared in constant time.
// The scheme name is case-insensitive (RFC 9110, section 11.1); a bare
// token, another scheme or two headers are refused.
func bearer(header []string, token string) bool {
	if len(header) != 1 {
		return false
	}
	scheme, got, ok := strings.Cut(header[0], " ")
	return ok && strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// Status is what `market relay status` shows: follows, blocks and the queue.
type Status struct {
	Actor     string     `json:"actor"`
	Following []Follow   `json:"following"`
	Followers []Follow   `json:"followers"`
	Blocks    []Block    `json:"blocks"`
	Takedowns []Takedown `json:"takedowns"`
	Listings  int        `json:"listings"`
	Queue     int        `json:"delivery_queue"`
}

// Status reads the relay's follows, blocks and counts.
func (s *Server) Status() (*Status, error) {
	st := &Status{Actor: s.actorID, Queue: s.queue.Depth(), Following: []Follow{}, Followers: []Follow{}, Blocks: []Block{}, Takedowns: []Takedown{}}
	err := s.store.View(func(t *Txn) error {
		following, err := t.Follows(true)
		if err != nil {
			return err
		}
		followers, err := t.Follows(false)
		if err != nil {
			return err
		}
		blocks, err := t.Blocks()
		if err != nil {
			return err
		}
		st.Following = append(st.Following, following...)
		st.Followers = append(st.Followers, followers...)
		st.Blocks = append(st.Blocks, blocks...)
		takedowns, err := t.Takedowns()
		if err != nil {
			return err
		}
		st.Takedowns = append(st.Takedowns, takedowns...)
		st.Listings = t.CountListings()
		return nil
	})
	return st, err
}

// Progress is one report of a long operation: how many of how many items
// (listings, for reindex) are done. Total is 0 when unknown.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// streamType is the media type of an admin answer that streams progress:
// JSON lines {"progress": {...}}, then {"result": ...} or an error object.
const streamType = "application/x-ndjson"

// adminHandler serves one operation on the admin socket: the request body
// is an OperationRequest (empty for operations without argument), the
// answer the operation's result as JSON. A client that accepts
// application/x-ndjson gets the operation's progress reports as they come,
// one JSON line each, then the result (or the error) as the last line.
func (s *Server) adminHandler(op Operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req OperationRequest
		if op.Arg != "" {
			if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil || req.Ref == "" {
				federation.WriteError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf(`body must be {"ref": "%s"}`, op.Arg))
				return
			}
		}
		var (
			mu        sync.Mutex
			streaming bool // the first progress line went out: status 200 is sent
			finished  bool
		)
		if r.Header.Get("Accept") == streamType {
			rc := http.NewResponseController(w)
			req.Progress = func(p Progress) {
				mu.Lock()
				defer mu.Unlock()
				if finished {
					return
				}
				if !streaming {
					streaming = true
					w.Header().Set("Content-Type", streamType)
					w.WriteHeader(http.StatusOK)
				}
				json.NewEncoder(w).Encode(map[string]Progress{"progress": p})
				rc.Flush()
			}
		}
		out, err := op.Run(r.Context(), s, req)
		mu.Lock()
		defer mu.Unlock()
		finished = true
		switch {
		case !streaming && err != nil:
			adminError(w, err)
		case !streaming:
			writeJSON(w, http.StatusOK, out)
		case err != nil:
			status, reason := adminStatus(err)
			json.NewEncoder(w).Encode(map[string]any{"error": err.Error(), "reason": reason, "status": status})
		default:
			json.NewEncoder(w).Encode(map[string]any{"result": out})
		}
	}
}

func adminError(w http.ResponseWriter, err error) {
	status, reason := adminStatus(err)
	federation.WriteError(w, status, reason, err.Error())
}

// adminStatus maps an operation's error to an HTTP status and reason.
func adminStatus(err error) (int, string) {
	switch {
	case errors.Is(err, federation.ErrInvalid):
		return http.StatusBadRequest, "invalid"
	case errors.Is(err, ErrNotFound), errors.Is(err, federation.ErrNotFound):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, ErrConflict):
		return http.StatusConflict, "conflict"
	case errors.Is(err, federation.ErrPrivateAddress), errors.Is(err, federation.ErrForbidden):
		return http.StatusForbidden, "forbidden"
	}
	return http.StatusInternalServerError, "internal"
}

// AdminClient talks to a running relay's admin socket.
type AdminClient struct {
	token string
	hc    *http.Client
}

// DialAdmin connects to the admin socket in dataDir. It returns ErrNoServer
// when no relay is running there.
func DialAdmin(dataDir, configuredToken string) (*AdminClient, error) {
	path := filepath.Join(dataDir, socketFile)
	conn, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return nil, fmt.Errorf("%w on %s", ErrNoServer, dataDir)
	}
	conn.Close()
	token, err := AdminToken(dataDir, configuredToken)
	if err != nil {
		return nil, err
	}
	// No client timeout: a reindex of a large relay takes minutes; callers
	// bound each call with their context.
	return &AdminClient{token: token, hc: &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}},
	}}, nil
}

// Call sends one admin request; out receives the JSON answer. A refusal
// comes back as an error carrying the relay's message.
func (c *AdminClient) Call(ctx context.Context, method, path string, in, out any) error {
	return c.CallWithProgress(ctx, method, path, in, out, nil)
}

// CallWithProgress is Call for a long operation: when progress is not nil,
// the relay streams its progress reports, and progress receives each as it
// comes, before out receives the answer.
func (c *AdminClient) CallWithProgress(ctx context.Context, method, path string, in, out any, progress func(Progress)) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://relay"+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	if progress != nil {
		req.Header.Set("Accept", streamType)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 300 && resp.Header.Get("Content-Type") == streamType {
		return readStream(resp.Body, path, out, progress)
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return errors.New(e.Error)
		}
		return fmt.Errorf("admin %s: HTTP %d", path, resp.StatusCode)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// readStream reads an answer that streams progress: progress lines, then
// one line with the result or the error.
func readStream(r io.Reader, path string, out any, progress func(Progress)) error {
	dec := json.NewDecoder(r)
	for {
		var line struct {
			Progress *Progress       `json:"progress"`
			Result   json.RawMessage `json:"result"`
			Error    string          `json:"error"`
		}
		if err := dec.Decode(&line); err != nil {
			return fmt.Errorf("admin %s: the relay's answer ended early: %w", path, err)
		}
		switch {
		case line.Progress != nil:
			progress(*line.Progress)
		case line.Error != "":
			return errors.New(line.Error)
		default:
			if out != nil {
				return json.Unmarshal(line.Result, out)
			}
			return nil
		}
	}
}
