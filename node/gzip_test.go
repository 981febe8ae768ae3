package node

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompress: an answer is gzipped only for a client that accepts gzip
// (q above 0), only when it is at least gzipMinSize bytes of a type worth
// compressing, not already encoded and not a part of a file; the body
// always arrives whole, however the handler wrote it.
func TestCompress(t *testing.T) {
	big := strings.Repeat("a listing, a price, a place; ", 200)
	write := func(ct, body string, status int, chunk int, extra map[string]string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			for k, v := range extra {
				w.Header().Set(k, v)
			}
			if status != 0 {
				w.WriteHeader(status)
			}
			for i := 0; i < len(body); i += chunk {
				w.Write([]byte(body[i:min(i+chunk, len(body))]))
			}
		})
	}
	for _, c := range []struct {
		name           string
		h              http.Handler
		accept, method string
		gzipped        bool
		body           string
		status         int
	}{
		{"json, one write", write("application/json", big, 0, len(big), nil), "gzip, deflate, br, zstd", "GET", true, big, 200},
		{"small writes", write("text/html; charset=utf-8", big, 0, 7, nil), "gzip", "GET", true, big, 200},
		{"no type: sniffed", write("", big, 201, 100, nil), "gzip", "GET", true, big, 201},
		{"not asked", write("application/json", big, 0, 100, nil), "", "GET", false, big, 200},
		{"refused with q=0", write("application/json", big, 0, 100, nil), "br, gzip;q=0", "GET", false, big, 200},
		{"any coding", write("application/json", big, 0, 100, nil), "*;q=0.5", "GET", true, big, 200},
		{"small", write("application/json", big[:1023], 0, 100, nil), "gzip", "GET", false, big[:1023], 200},
		{"jpeg", write("image/jpeg", big, 0, 100, nil), "gzip", "GET", false, big, 200},
		{"zip", write("application/zip", big, 0, 100, nil), "gzip", "GET", false, big, 200},
		{"already encoded", write("text/plain", big, 0, 100, map[string]string{"Content-Encoding": "br"}), "gzip", "GET", false, big, 200},
		{"part of a file", write("text/plain", big, 206, 100, map[string]string{"Content-Range": "bytes 0-5799/9000"}), "gzip", "GET", false, big, 206},
		{"short length given", write("text/plain", big[:10], 0, 100, map[string]string{"Content-Length": "10"}), "gzip", "GET", false, big[:10], 200},
		{"error page", write("text/html", big, 404, 100, nil), "gzip", "GET", true, big, 404},
		{"empty", write("", "", 204, 1, nil), "gzip", "GET", false, "", 204},
		{"head", write("application/json", "", 0, 1, map[string]string{"Content-Length": "5800"}), "gzip", "HEAD", false, "", 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(compress(c.h))
			defer srv.Close()
			req, _ := http.NewRequest(c.method, srv.URL, nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			body := raw
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != c.gzipped {
				t.Fatalf("gzipped %v, want %v (headers %v)", got, c.gzipped, resp.Header)
			}
			if c.gzipped {
				zr, err := gzip.NewReader(bytes.NewReader(raw))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
				if len(raw) >= len(body) || resp.Header.Get("Content-Length") != "" && resp.ContentLength != int64(len(raw)) || resp.Header.Get("Accept-Ranges") != "" {
					t.Errorf("compressed %d to %d bytes, headers %v", len(body), len(raw), resp.Header)
				}
			}
			if string(body) != c.body || resp.StatusCode != c.status || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("status %d, Vary %q, %d bytes; want %d, Accept-Encoding, %d bytes", resp.StatusCode, resp.Header.Get("Vary"), len(body), c.status, len(c.body))
			}
			if c.name == "no type: sniffed" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Errorf("sniffed type %q, want text/plain", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// TestCompressFlush: an answer that flushes before gzipMinSize bytes (a
// stream) reaches the client at each flush, uncompressed.
func TestCompressFlush(t *testing.T) {
	step := make(chan bool)
	srv := httptest.NewServer(compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("first\n"))
		http.NewResponseController(w).Flush()
		<-step
		w.Write([]byte("second\n"))
	})))
	defer srv.Close()
	defer close(step)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, line); err != nil || string(line) != "first\n" || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("first line %q, %v, encoding %q: the flush did not send it plain", line, err, resp.Header.Get("Content-Encoding"))
	}
	step <- true
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second\n" {
		t.Errorf("rest %q", rest)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for v, want := range map[string]bool{
		"gzip": true, "GZIP;q=0.1": true, "br;q=1.0, gzip;q=0.001": true, "x-gzip": true, "*": true,
		"": false, "br": false, "gzip;q=0": false, "gzip; q=0.0": false, "identity": false, "gzipx": false,
	} {
		if got := acceptsGzip([]string{v}); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", v, got, want)
		}
	}
}
