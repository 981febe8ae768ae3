package node

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestServeNotFound: unmatched paths reach the fallback; a path served
// for other methods still answers 405 with Allow; matched routes are
// untouched.
func TestServeNotFound(t *testing.T) {
	var logs syncBuffer
	n := openTestNode(t, &logs)
	n.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	n.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "root") })
	n.ServeNotFound(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "fallback "+r.Method+" "+r.URL.Path)
	}))
	srv := httptest.NewServer(n.Handler())
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		status       int
		body, allow  string
	}{
		{"GET", "/nowhere", 404, "fallback GET /nowhere", ""},
		{"DELETE", "/nowhere/else", 404, "fallback DELETE /nowhere/else", ""},
		{"GET", "/things", 405, "", "POST"},
		{"POST", "/", 405, "", "GET, HEAD"},
		{"POST", "/things", 201, "", ""},
		{"GET", "/", 200, "root", ""},
		{"GET", "/healthz", 200, `{"status":"ok"}`, ""},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.body != "" && string(b) != tc.body && string(b) != tc.body+"\n") || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %q Allow %q, want %d %q Allow %q", tc.method, tc.path, resp.StatusCode, b, resp.Header.Get("Allow"), tc.status, tc.body, tc.allow)
		}
	}
}
