package simchain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// maxRequest bounds one JSON-RPC request body.
const maxRequest = 4 << 20

// Server is the chain's JSON-RPC API served over HTTP.
type Server struct {
	// URL is the endpoint, http://<host>:<port>.
	URL string
	srv *http.Server
	rc  *rpc.Client
}

// Close stops the server.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.rc.Close()
	return err
}

// Serve serves the chain's eth, net and web3 JSON-RPC methods over HTTP
// on addr ("127.0.0.1:0" picks a free port, which URL then names), for
// programs that dial a URL: hubs in end-to-end tests, the dev chain. It
// forwards each call to the in-process node, so a server on a random
// port needs no port chosen in advance (unlike ServeHTTP).
func (c *Chain) Serve(addr string) (*Server, error) {
	rc, err := rpc.Dial(c.ipc)
	if err != nil {
		return nil, fmt.Errorf("simchain: attach to the node: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		rc.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), rc: rc, srv: &http.Server{Handler: forward(rc), ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

type rpcRequest struct {
	Version string            `json:"jsonrpc"`
	ID      json.RawMessage   `json:"id"`
	Method  string            `json:"method"`
	Params  []json.RawMessage `json:"params"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

type rpcResponse struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// forward answers JSON-RPC requests, single or batched, by calling the
// node; only the eth_, net_ and web3_ methods are served.
func forward(c *rpc.Client) http.Handler {
	call := func(ctx context.Context, req rpcRequest) rpcResponse {
		out := rpcResponse{Version: "2.0", ID: req.ID}
		if !strings.HasPrefix(req.Method, "eth_") && !strings.HasPrefix(req.Method, "net_") && !strings.HasPrefix(req.Method, "web3_") ||
			strings.Contains(req.Method, "subscribe") {
			out.Error = &rpcError{Code: -32601, Message: "the method " + req.Method + " is not served"}
			return out
		}
		args := make([]any, len(req.Params))
		for i, p := range req.Params {
			args[i] = p
		}
		var res json.RawMessage
		if err := c.CallContext(ctx, &res, req.Method, args...); err != nil {
			out.Error = &rpcError{Code: -32000, Message: err.Error()}
			var ce rpc.Error
			if errors.As(err, &ce) {
				out.Error.Code = ce.ErrorCode()
			}
			var de rpc.DataError
			if errors.As(err, &de) {
				out.Error.Data = de.ErrorData()
			}
			return out
		}
		if res == nil {
			res = json.RawMessage("null")
		}
		out.Result = res
		return out
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "JSON-RPC over POST", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
		if err != nil || len(body) > maxRequest {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '[' {
			var reqs []rpcRequest
			if err := json.Unmarshal(b, &reqs); err != nil || len(reqs) > 100 {
				http.Error(w, "a batch of at most 100 JSON-RPC requests", http.StatusBadRequest)
				return
			}
			out := make([]rpcResponse, len(reqs))
			for i, req := range reqs {
				out[i] = call(r.Context(), req)
			}
			_ = json.NewEncoder(w).Encode(out)
			return
		}
		var req rpcRequest
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, "a JSON-RPC request", http.StatusBadRequest)
			return
		}
		_ = json.NewEncoder(w).Encode(call(r.Context(), req))
	})
}

// MineWhilePending seals a block whenever transactions are pending,
// checking every interval, until ctx ends: what a dev chain served over
// JSON-RPC needs, as nobody calls Mine for the programs that use it.
//
// It asks the transaction pool (txpool_status over the node's IPC
// socket): the pending block that eth_getBlockTransactionCountByNumber
// reads is recomputed only every few seconds.
func (c *Chain) MineWhilePending(ctx context.Context, interval time.Duration) {
	rc, err := rpc.DialContext(ctx, c.ipc)
	if err != nil {
		return
	}
	defer rc.Close()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			var st struct{ Pending hexutil.Uint64 }
			if err := rc.CallContext(ctx, &st, "txpool_status"); err == nil && st.Pending > 0 {
				c.Mine()
			}
		}
	}
}
