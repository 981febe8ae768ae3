package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// assetFS holds the hand-written static files and the bundles made by
// `go generate ./web` (assets/dist, committed).
//
//go:embed assets/static assets/dist
var assetFS embed.FS

// asset is one file served under /assets/. Its content stays in the
// binary (assetFS), read at each request, not copied onto the heap.
type asset struct {
	path        string // in assetFS
	size        int
	hash        string // the first 12 hex digits of its SHA-256
	contentType string
}

// assetTypes are the content types of the kinds of file under /assets/.
// A table of our own rather than mime.TypeByExtension, which reads the
// host's MIME database on first use (about 450 KB held for the process's
// life, for a handful of files) and answers differently from one host to
// the next; TestAssetTypesKnown keeps it covering every asset.
var assetTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/vnd.microsoft.icon",
	".woff2": "font/woff2",
	".json":  "application/json",
	".map":   "application/json",
}

// assets maps a file's name (flat: "site.css", "app.js") to its content.
var assets = func() map[string]asset {
	out := map[string]asset{}
	for _, dir := range []string{"assets/static", "assets/dist"} {
		entries, err := fs.ReadDir(assetFS, dir)
		if err != nil {
			panic(err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			b, err := fs.ReadFile(assetFS, dir+"/"+e.Name())
			if err != nil {
				panic(err)
			}
			sum := sha256.Sum256(b)
			ct := assetTypes[path.Ext(e.Name())]
			if ct == "" {
				ct = "application/octet-stream"
			}
			out[e.Name()] = asset{path: dir + "/" + e.Name(), size: len(b), hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		}
	}
	return out
}()

// AssetURL is the URL of an embedded asset, versioned by its content so
// that it can be cached for a year: "/assets/app.js?v=0123456789ab". It
// panics on a name that is not embedded, which a template test catches.
func AssetURL(name string) string {
	a, ok := assets[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return "/assets/" + name + "?v=" + a.hash
}

// AssetSize is the size in bytes of an embedded asset, 0 when there is none.
func AssetSize(name string) int { return assets[name].size }

// serveAsset serves GET /assets/{name}: with the current version in v it
// may be cached for a year; any other request must revalidate (ETag).
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	a, ok := assets[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	etag := `"` + a.hash + `"`
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f, err := assetFS.Open(a.path)
	if err != nil { // embedded: cannot happen
		http.Error(w, "asset unreadable", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	h.Set("Content-Length", strconv.Itoa(a.size))
	io.Copy(w, f)
}
