package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

// Link is one entry of the site's navigation.
type Link struct {
	Label, URL string
}

// Options configure a Site.
type Options struct {
	// Name is the site's name, shown in the header and in every title.
	Name string
	// Lang is the language of the pages (BCP 47); "en" when empty.
	Lang string
	// Nav lists the links of the header's navigation.
	Nav []Link
	// Pages holds the mode's page templates, one file per page (*.html at
	// its root); files named _*.html are the mode's partials, parsed into
	// every page. A page defines "title" and "main", and may define
	// "head" (extra elements in <head>) and "scripts" (script elements at
	// the end of <body>; use the asset helper for their src).
	Pages fs.FS
	// Funcs are the mode's own template helpers, beside Funcs().
	Funcs template.FuncMap
	// APITags are the tags of docs/openapi.yaml whose operations /api/docs
	// shows (a relay shows "relay"); every tag when empty.
	APITags []string
	// Log receives rendering failures.
	Log *slog.Logger
}

// Site renders the pages of one node: the shared layout around the mode's
// pages, the 404 and error pages, the API docs.
type Site struct {
	name, lang string
	nav        []Link
	log        *slog.Logger
	pages      map[string]*pageSet
	apiTags    []string // the API docs' tags this site shows (all when empty)
	docsOnce   sync.Once
	docs       *apiDocs // read from OpenAPI at the first view of the API docs
}

// pageSet is one page's template set: the layout and the partials with the
// page's own file. New builds it once to check it and drops it; the first
// render of the page builds it again and keeps it, so a page no one asked
// for since start-up holds no memory (a hub has two sites of thirteen pages,
// about 2 MB of parse trees).
type pageSet struct {
	once  sync.Once
	build func() (*template.Template, error)
	t     *template.Template
	err   error
}

// template returns the page's template set, building it on first use.
func (p *pageSet) template() (*template.Template, error) {
	p.once.Do(func() { p.t, p.err = p.build(); p.build = nil })
	return p.t, p.err
}

// View is what the layout executes: the site's parts and the page's data.
// A page's templates reach their own data as .Data.
type View struct {
	Site string
	Lang string
	Nav  []Link
	Path string // the request's path, to mark the current navigation link
	// Account is the logged-in user (see WithAccount), shown with a
	// logout form; nil on public pages.
	Account *Account
	Data    any
}

// New parses the layout and every page of opts.Pages. A template that does
// not parse is an error here, at start-up, never at a request; a page's
// set is kept from its first render on (see pageSet).
func New(opts Options) (*Site, error) {
	s := &Site{name: opts.Name, lang: opts.Lang, nav: opts.Nav, log: opts.Log, pages: map[string]*pageSet{}}
	if s.lang == "" {
		s.lang = "en"
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	funcs := Funcs()
	for k, v := range opts.Funcs {
		funcs[k] = v
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	if opts.Pages != nil {
		// The mode's own partials: files whose name starts with "_",
		// parsed into every page.
		if parts, _ := fs.Glob(opts.Pages, "_*.html"); len(parts) > 0 {
			if base, err = base.ParseFS(opts.Pages, parts...); err != nil {
				return nil, fmt.Errorf("web: partials: %w", err)
			}
		}
	}
	add := func(fsys fs.FS, file string) error {
		build := func() (*template.Template, error) {
			t, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := t.ParseFS(fsys, file); err != nil {
				return nil, fmt.Errorf("web: page %s: %w", file, err)
			}
			if t.Lookup("main") == nil || t.Lookup("title") == nil {
				return nil, fmt.Errorf("web: page %s: must define \"title\" and \"main\"", file)
			}
			return t, nil
		}
		if _, err := build(); err != nil {
			return err
		}
		s.pages[strings.TrimSuffix(path.Base(file), ".html")] = &pageSet{build: build}
		return nil
	}
	own, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range own {
		if path.Base(f) != "layout.html" {
			if err := add(templateFS, f); err != nil {
				return nil, err
			}
		}
	}
	if opts.Pages != nil {
		files, err := fs.Glob(opts.Pages, "*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasPrefix(path.Base(f), "_") {
				continue
			}
			if err := add(opts.Pages, f); err != nil {
				return nil, err
			}
		}
	}
	// The API docs are checked now and kept from their first view, as
	// pages are: most servers never show them.
	if _, err = loadAPIDocs(); err != nil {
		return nil, err
	}
	s.apiTags = opts.APITags
	return s, nil
}

// apiDocs returns the API docs this site shows, reading them on first use.
func (s *Site) apiDocs() *apiDocs {
	s.docsOnce.Do(func() {
		s.docs, _ = loadAPIDocs() // New read them without an error
		if len(s.apiTags) > 0 {
			s.docs.Tags = slices.DeleteFunc(s.docs.Tags, func(t apiTag) bool { return !slices.Contains(s.apiTags, t.Name) })
		}
	})
	return s.docs
}

// Name is the site's name.
func (s *Site) Name() string { return s.name }

// Render writes page with status: the layout around the page's templates,
// executed with data as .Data, behind SecureHeaders. The page is rendered
// into memory first, so that a template failure becomes the error page
// and never half a page.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	p, ok := s.pages[page]
	if !ok {
		s.log.Error("render: no such page", "page", page)
		s.renderError(w, r, http.StatusInternalServerError, "")
		return
	}
	t, err := p.template()
	if err != nil { // New built it once already: only a broken base can fail here
		s.log.Error("render page", "page", page, "error", err)
		if page != "error" {
			s.renderError(w, r, http.StatusInternalServerError, "")
		}
		return
	}
	v := View{Site: s.name, Lang: s.lang, Nav: s.nav, Path: r.URL.Path, Account: accountOf(r), Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("render page", "page", page, "error", err)
		if page != "error" {
			s.renderError(w, r, http.StatusInternalServerError, "")
		}
		return
	}
	SecureHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// SecureHeaders sets the headers every page carries: a strict
// Content-Security-Policy (scripts and styles from this origin only,
// nothing inline, no plugins, no framing, forms posted here only, Trusted
// Types so that no script can write HTML into the page), no MIME sniffing,
// and no referrer sent to other sites.
func SecureHeaders(h http.Header) {
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// CSP is the Content-Security-Policy of every page.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'"
