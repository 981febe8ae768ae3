package index

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
)

// analyzers builds each language's Bleve analyzer the first time a
// listing or a query needs it, and keeps it. Built all at once they cost
// every server the tables of languages it may never see: Polish's stemmer
// alone decodes a 2.2 MB table into the heap, Croatian's keeps 240 KB.
var analyzers struct {
	mu      sync.Mutex // held while one is built
	mapping mapping.IndexMapping
	byName  atomic.Pointer[map[string]analysis.Analyzer] // by language analyzer name, plus keyword; replaced, never changed
}

// analyzerNamed returns the Bleve analyzer a language's text uses: lang is
// one of analyzerNames or keyword.Name; any other name gets the analyzer
// of languages Bleve has none for.
func analyzerNamed(lang string) analysis.Analyzer {
	if lang != keyword.Name && !slices.Contains(analyzerNames, lang) {
		lang = otherLanguage
	}
	if m := analyzers.byName.Load(); m != nil {
		if a, ok := (*m)[lang]; ok {
			return a
		}
	}
	analyzers.mu.Lock()
	defer analyzers.mu.Unlock()
	old := analyzers.byName.Load()
	if old != nil {
		if a, ok := (*old)[lang]; ok {
			return a
		}
	}
	if analyzers.mapping == nil {
		analyzers.mapping = newMapping()
	}
	name := lang
	if lang == otherLanguage {
		name = standard.Name
	}
	a := analyzers.mapping.AnalyzerNamed(name)
	next := map[string]analysis.Analyzer{lang: a}
	if old != nil {
		maps.Copy(next, *old)
	}
	analyzers.byName.Store(&next)
	return a
}
