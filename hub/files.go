package hub

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// Digital goods' files live in the data directory under files/, named by
// their SHA-256 (so a file attached twice, or received and attached, is
// kept once), mode 0600, and are never served publicly: the owner reads
// them through the owner API, a buyer's hub through a signed,
// time-limited download link (see delivery.go).
const filesDir = "files"

// bucketFiles maps each digital listing to its attached file: listing id
// → AttachedFile (JSON).
var bucketFiles = []byte("hub.files")

// AttachedFile is a digital good's file as the seller attached it to a
// listing.
type AttachedFile struct {
	deal.File
	Listing  string    `json:"listing"`
	Uploaded time.Time `json:"uploaded"`
}

// filePath is where the file with SHA-256 sum (hex) is kept.
func (s *Server) filePath(sum string) string {
	return filepath.Join(s.cfg.DataDir, filesDir, sum)
}

// activeTypes are media types a browser runs or renders as a page: never
// taken as a digital good, whatever the seller says.
var activeTypes = []string{"text/html", "text/xml", "application/xml", "application/xhtml+xml", "image/svg+xml",
	"text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript"}

// zipFamily are the media types whose files are zip archives.
var zipFamily = []string{"application/zip", "application/epub+zip", "application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/java-archive"}

// textFamily are the declared types a file the sniffer reads as plain
// text may have.
var textFamily = []string{"text/plain", "text/csv", "text/markdown", "application/json", "application/x-ndjson", "text/tab-separated-values"}

// MediaType checks the Content-Type a seller declared for a file against
// what its first bytes are (http.DetectContentType, the WHATWG sniffing
// algorithm) and returns the type to keep: the declared one when the
// bytes agree with it (a zip-based format over zip bytes, a text format
// over text), the sniffed one when the seller declared none or
// application/octet-stream. A page, a script or an SVG is refused, and so
// is a file that is something else than it claims.
func MediaType(declared string, head []byte) (string, error) {
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(head))
	var want string
	if strings.TrimSpace(declared) != "" {
		var err error
		if want, _, err = mime.ParseMediaType(declared); err != nil {
			return "", fmt.Errorf("%w: Content-Type: %q is not a media type such as application/pdf", ErrInvalid, short(declared))
		}
	}
	if slices.Contains(activeTypes, sniffed) || slices.Contains(activeTypes, want) {
		return "", fmt.Errorf("%w: Content-Type: web pages, scripts and SVG images are not taken as digital goods (the file is %s); pack them in a zip archive", ErrInvalid, sniffed)
	}
	switch {
	case want == "" || want == "application/octet-stream":
		return sniffed, nil
	case want == sniffed:
		return want, nil
	case sniffed == "application/zip" && slices.Contains(zipFamily, want):
		return want, nil
	case sniffed == "text/plain" && slices.Contains(textFamily, want):
		return want, nil
	case sniffed == "application/octet-stream" && !sniffable(want):
		// The sniffer does not know the format: the declared one stands.
		return want, nil
	}
	return "", fmt.Errorf("%w: Content-Type: the file was declared %s but its bytes are %s", ErrInvalid, want, sniffed)
}

// sniffable reports whether http.DetectContentType recognises files of
// media type t, so that a file declared t must sniff as t.
func sniffable(t string) bool {
	return strings.HasPrefix(t, "image/") || strings.HasPrefix(t, "audio/") || strings.HasPrefix(t, "video/") ||
		strings.HasPrefix(t, "text/") || slices.Contains([]string{"application/pdf", "application/zip", "application/x-gzip",
		"application/gzip", "application/x-rar-compressed", "application/ogg", "application/json", "font/woff", "font/woff2", "application/wasm"}, t)
}

// storeFile copies r (at most deal.MaxFileSize bytes) into the files
// directory under its SHA-256, once check accepts its first bytes, and
// returns the sum, the size and what check returned. A body over the
// limit is a 413; nothing is kept of a refused one.
func (s *Server) storeFile(r io.Reader, check func(head []byte) (string, error)) (sum string, size int64, checked string, err error) {
	dir := filepath.Join(s.cfg.DataDir, filesDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", 0, "", err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", 0, "", err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	defer tmp.Close()
	h := sha256.New()
	hw := &headWriter{max: 512}
	size, err = io.Copy(io.MultiWriter(tmp, h, hw), io.LimitReader(r, deal.MaxFileSize+1))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || size > deal.MaxFileSize:
		return "", 0, "", federation.WithCode(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("a digital good's file is at most %d MiB", deal.MaxFileSize>>20), nil)
	case err != nil:
		return "", 0, "", fmt.Errorf("%w: read the file: %v", ErrInvalid, err)
	case size == 0:
		return "", 0, "", fmt.Errorf("%w: the file is empty", ErrInvalid)
	}
	if checked, err = check(hw.b); err != nil {
		return "", 0, "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, "", err
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if err := os.Rename(tmp.Name(), s.filePath(sum)); err != nil {
		return "", 0, "", err
	}
	return sum, size, checked, nil
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	b   []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if n := w.max - len(w.b); n > 0 {
		w.b = append(w.b, p[:min(n, len(p))]...)
	}
	return len(p), nil
}

// AttachFile attaches a digital good's file to the owner's listing id
// (replacing the one attached before): at most deal.MaxFileSize bytes,
// its media type checked against its bytes (MediaType), named name (a
// plain file name). Deals funded from now on deliver it.
func (s *Server) AttachFile(id, name, contentType string, body io.Reader) (*AttachedFile, error) {
	if !deal.ValidFileName(name) {
		return nil, fmt.Errorf("%w: name: a file name of letters, digits, spaces and ._()+- (at most %d characters, no path), such as report-2026.pdf, got %q", ErrInvalid, deal.MaxFileName, short(name))
	}
	rec, err := s.Listing(id)
	if err != nil {
		return nil, err
	}
	if rec.Deleted != nil {
		return nil, fmt.Errorf("%w: listing %s was deleted", ErrNotFound, short(id))
	}
	if rec.Listing.Type != listing.TypeDigital {
		return nil, fmt.Errorf("%w: listing %s is a %s; only a digital good has a file", ErrInvalid, id, rec.Listing.Type)
	}
	sum, size, mt, err := s.storeFile(body, func(head []byte) (string, error) { return MediaType(contentType, head) })
	if err != nil {
		return nil, err
	}
	f := &AttachedFile{File: deal.File{Name: name, MediaType: mt, Size: size, SHA256: sum}, Listing: id, Uploaded: s.now().UTC()}
	v, _ := json.Marshal(f)
	if err := s.node.DB.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketFiles).Put([]byte(id), v) }); err != nil {
		return nil, err
	}
	s.wakeDeliveries() // funded deals waiting for the file
	return f, nil
}

// AttachedFileOf is the file attached to the owner's listing id, or
// ErrNotFound.
func (s *Server) AttachedFileOf(id string) (*AttachedFile, error) {
	var f *AttachedFile
	err := s.node.DB.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketFiles).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("%w: listing %s has no file attached", ErrNotFound, short(id))
		}
		f = &AttachedFile{}
		return json.Unmarshal(v, f)
	})
	return f, err
}

// DetachFile removes the file attached to listing id (deals already
// delivered keep theirs).
func (s *Server) DetachFile(id string) error {
	if _, err := s.AttachedFileOf(id); err != nil {
		return err
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketFiles).Delete([]byte(id)) })
}

// serveFile writes the kept file f as a download: its media type, an
// attachment under its name, never sniffed or cached.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, f deal.File) {
	fh, err := os.Open(s.filePath(f.SHA256))
	if err != nil {
		node.WriteError(w, r, s.log, fmt.Errorf("%w: the file %s is not kept on this hub", ErrNotFound, f.Name))
		return
	}
	defer fh.Close()
	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	sum, _ := hex.DecodeString(f.SHA256)
	h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	http.ServeContent(w, r, "", time.Time{}, fh)
}

// fileRoutes serves the owner API of digital goods' files.
func (s *Server) fileRoutes() {
	h := s.ownerRoute
	h("PUT /api/v1/owner/listings/{id}/file", true, func(w http.ResponseWriter, r *http.Request) {
		body := http.MaxBytesReader(w, r.Body, deal.MaxFileSize)
		f, err := s.AttachFile(r.PathValue("id"), r.URL.Query().Get("name"), r.Header.Get("Content-Type"), body)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, f)
	})
	h("GET /api/v1/owner/listings/{id}/file", false, func(w http.ResponseWriter, r *http.Request) {
		f, err := s.AttachedFileOf(r.PathValue("id"))
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		s.serveFile(w, r, f.File)
	})
	h("DELETE /api/v1/owner/listings/{id}/file", true, func(w http.ResponseWriter, r *http.Request) {
		if err := s.DetachFile(r.PathValue("id")); err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	h("GET /api/v1/owner/deals/{key}/file", false, func(w http.ResponseWriter, r *http.Request) {
		d, err := s.Deal(r.PathValue("key"))
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		f, err := dealFile(d)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		s.serveFile(w, r, *f)
	})
}

// dealFile is the file of a digital deal as this hub keeps it: the one
// sent (seller) or the one fetched and checked (buyer).
func dealFile(d *deal.Deal) (*deal.File, error) {
	switch {
	case d.Kind() != listing.TypeDigital:
		return nil, fmt.Errorf("%w: deal %s is not for a digital good", ErrNotFound, dealKey(d.ID))
	case d.Delivery.File == nil || d.Role == deal.RoleBuyer && d.Delivery.Received.IsZero():
		return nil, fmt.Errorf("%w: the file of deal %s has not been delivered yet", ErrNotFound, dealKey(d.ID))
	}
	return d.Delivery.File, nil
}

// AttachPath attaches the file at path (absolute; its last element is
// its name) to the owner's digital listing id: `market hub attach`.
func (s *Server) AttachPath(id, path string) (*AttachedFile, error) {
	path = strings.TrimSpace(path)
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("%w: file path: must be given (and absolute), got %q", ErrInvalid, short(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	defer f.Close()
	return s.AttachFile(id, filepath.Base(path), "", f)
}

// SaveDealFile copies the file of the owner's digital deal with key to
// path (absolute, not existing yet): `market hub deals download`.
func (s *Server) SaveDealFile(key, path string) (map[string]any, error) {
	path = strings.TrimSpace(path)
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("%w: file path: must be given (and absolute), got %q", ErrInvalid, short(path))
	}
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	f, err := dealFile(d)
	if err != nil {
		return nil, err
	}
	in, err := os.Open(s.filePath(f.SHA256))
	if err != nil {
		return nil, fmt.Errorf("%w: the file %s is not kept on this hub", ErrNotFound, f.Name)
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return nil, err
	}
	if err := out.Close(); err != nil {
		return nil, err
	}
	return map[string]any{"saved": path, "name": f.Name, "media_type": f.MediaType, "size": f.Size, "sha256": f.SHA256}, nil
}
