package node

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinSize is the smallest answer worth compressing: below it the
// gzip header and a round of the compressor cost more than they save.
const gzipMinSize = 1024

// gzipWriters are reused compressors (each holds several hundred KB of
// tables); the pool empties itself when the server goes idle.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// compress gzips the answers of h for clients that accept gzip, when the
// answer is at least gzipMinSize bytes, of a type worth compressing,
// not already encoded and not a part of a file (206). It uses the
// standard library's compress/gzip, which net/http links anyway.
func compress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Values("Accept-Encoding")) {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		h.ServeHTTP(gw, r) // on a panic, nothing decided was written: the recovery answers
		gw.close()
	})
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: gzip,
// x-gzip or * with a q above 0.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
						q = f
					}
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}

// compressible reports whether an answer of content type ct is worth
// compressing: not audio, video, JPEG or an archive, which are
// compressed already.
func compressible(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	for _, s := range []string{"compress", "zip", "snappy", "lzma", "xz", "zstd", "brotli", "stuffit"} {
		if strings.Contains(ct, s) {
			return false
		}
	}
	return !strings.HasPrefix(ct, "video/") && !strings.HasPrefix(ct, "audio/") && !strings.HasPrefix(ct, "image/jp")
}

// gzipWriter holds an answer's first gzipMinSize bytes until it knows
// whether to compress it, then either compresses or passes through.
type gzipWriter struct {
	http.ResponseWriter
	status  int    // the status the handler wrote, 0 before
	buf     []byte // held until decided
	decided bool
	gz      *gzip.Writer // compressing when not nil
}

func (w *gzipWriter) WriteHeader(status int) {
	if status < 200 { // informational: goes out at once
		w.ResponseWriter.WriteHeader(status)
		return
	}
	if w.decided || w.status != 0 {
		return
	}
	w.status = status
	if !w.mayCompress() {
		w.decide(false)
	}
}

// mayCompress reports whether the status and headers allow compressing.
func (w *gzipWriter) mayCompress() bool {
	h := w.Header()
	if w.status == http.StatusNoContent || w.status == http.StatusNotModified || w.status == http.StatusPartialContent ||
		h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" {
		return false
	}
	if ct := h.Get("Content-Type"); ct != "" && !compressible(ct) {
		return false
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < gzipMinSize {
		return false
	}
	return true
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.decided {
		if w.gz != nil {
			return w.gz.Write(b)
		}
		return w.ResponseWriter.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) >= gzipMinSize {
		if err := w.decide(true); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// decide sends the status line and what is held, compressed when
// compress is true and the content type (sniffed from what is held when the handler
// set none) is worth it.
func (w *gzipWriter) decide(compress bool) error {
	w.decided = true
	h := w.Header()
	if compress && h.Get("Content-Type") == "" {
		h.Set("Content-Type", http.DetectContentType(w.buf))
	}
	if compress && compressible(h.Get("Content-Type")) {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		h.Del("Accept-Ranges")
		w.gz = gzipWriters.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
	buf := w.buf
	w.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(buf)
	} else {
		_, err = w.ResponseWriter.Write(buf)
	}
	return err
}

// Flush sends what is held: an answer that flushes before gzipMinSize
// bytes (a stream) goes out uncompressed.
func (w *gzipWriter) Flush() {
	if !w.decided {
		w.decide(false)
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// close ends the answer: what is held goes out as it is (it is short),
// a gzip stream is finished and its compressor returned to the pool.
func (w *gzipWriter) close() {
	if !w.decided && (w.status != 0 || len(w.buf) > 0) {
		w.decide(false)
	}
	if w.gz != nil {
		w.gz.Close()
		w.gz.Reset(nil)
		gzipWriters.Put(w.gz)
		w.gz = nil
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
