package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestPageSetBuiltOnFirstRender checks that New keeps no page's template
// set, that renders at once build it once and all get the page, and that
// pages not rendered stay unbuilt.
func TestPageSetBuiltOnFirstRender(t *testing.T) {
	pages := fstest.MapFS{
		"one.html": {Data: []byte(`{{define "title"}}One{{end}}{{define "main"}}<p>page one {{.Data}}</p>{{end}}`)},
		"two.html": {Data: []byte(`{{define "title"}}Two{{end}}{{define "main"}}<p>page two</p>{{end}}`)},
	}
	s, err := New(Options{Name: "Test", Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range s.pages {
		if p.t != nil {
			t.Fatalf("page %s was kept by New; want it built on its first render", name)
		}
	}
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := httptest.NewRecorder()
			s.Render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, "one", "<x>")
			bodies[i] = w.Body.String()
		}()
	}
	wg.Wait()
	for i, b := range bodies {
		if !strings.Contains(b, "page one &lt;x&gt;") {
			t.Fatalf("render %d: body lacks the escaped page text:\n%s", i, b)
		}
	}
	if s.pages["one"].t == nil {
		t.Fatal("page one was not kept after its render")
	}
	if s.pages["two"].t != nil {
		t.Fatal("page two was built though never rendered")
	}
}

// TestAssetTypesKnown checks that every embedded asset has its content
// type from assetTypes, none served as application/octet-stream.
func TestAssetTypesKnown(t *testing.T) {
	if len(assets) == 0 {
		t.Fatal("no assets embedded")
	}
	for name, a := range assets {
		if a.contentType == "application/octet-stream" {
			t.Errorf("asset %s has no content type: add its extension to assetTypes", name)
		}
	}
}
