package web

import (
	"net/http"
	"strconv"
	"strings"
)

// WantsHTML reports whether a request's Accept header prefers an HTML
// page to JSON: it must name text/html (or application/xhtml+xml) and
// rank it at least as high as every JSON type it names. A client that
// sends no Accept header, or */* alone (curl, most libraries), gets JSON
// as it did before there were pages; browsers name text/html first.
func WantsHTML(r *http.Request) bool {
	html, json := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, _ := strings.Cut(part, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			html = max(html, q)
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			json = max(json, q)
		}
	}
	return html > 0 && html >= json
}
