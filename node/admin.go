package node

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

// ErrNoServer is returned by DialAdmin when no node is running on the data
// directory; operator commands then open the files themselves.
var ErrNoServer = errors.New("no running server")

// AdminToken returns the token that guards the admin socket: the configured
// one, or the one kept in the data directory (generated on first use, mode 0600).
func AdminToken(dataDir, configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	path := filepath.Join(dataDir, TokenFile)
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	tok := newRequestID() + newRequestID() + newRequestID() + newRequestID()
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
func (n *Node) serveAdmin() (*http.Server, error) {
	token, err := AdminToken(n.Config.DataDir, n.opts.AdminToken)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(n.Config.DataDir, SocketFile)
	_ = os.Remove(path) // a stale socket of a node that did not stop cleanly
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	m := http.NewServeMux()
	for _, op := range n.ops {
		m.HandleFunc(op.method+" "+op.path, n.adminHandler(op))
	}
	srv := &http.Server{
		Handler: n.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !bearer(r.Header.Values("Authorization"), token) {
				federation.WriteError(w, http.StatusUnauthorized, "bad_token", "admin token missing or wrong")
				return
			}
			m.ServeHTTP(w, r)
		})),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.Log.Warn("admin socket stopped", "error", err)
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
func (n *Node) adminHandler(op boundOperation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req OperationRequest
		if op.arg != "" {
			if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&req); err != nil || req.Ref == "" {
				federation.WriteError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf(`body must be {"ref": "%s"}`, op.arg))
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
		out, err := op.run(r.Context(), req)
		mu.Lock()
		defer mu.Unlock()
		finished = true
		switch {
		case !streaming && err != nil:
			WriteError(w, r, n.Log, err)
		case !streaming:
			WriteJSON(w, http.StatusOK, out)
		case err != nil:
			status, reason, msg := federation.StatusOf(err)
			if status >= 500 {
				n.Log.Error("operation failed", "operation", op.path, "error", err)
			}
			json.NewEncoder(w).Encode(map[string]any{"error": msg, "reason": reason, "status": status})
		default:
			json.NewEncoder(w).Encode(map[string]any{"result": out})
		}
	}
}

// AdminClient talks to a running node's admin socket.
type AdminClient struct {
	token string
	hc    *http.Client
}

// DialAdmin connects to the admin socket in dataDir. It returns ErrNoServer
// when no node is running there.
func DialAdmin(dataDir, configuredToken string) (*AdminClient, error) {
	path := filepath.Join(dataDir, SocketFile)
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
// comes back as an error carrying the node's message.
func (c *AdminClient) Call(ctx context.Context, method, path string, in, out any) error {
	return c.CallWithProgress(ctx, method, path, in, out, nil)
}

// CallWithProgress is Call for a long operation: when progress is not nil,
// the node streams its progress reports, and progress receives each as it
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
	req, err := http.NewRequestWithContext(ctx, method, "http://admin"+path, body)
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
			return fmt.Errorf("admin %s: the server's answer ended early: %w", path, err)
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
