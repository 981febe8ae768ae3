package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
)

// TestAnalyzersBuiltWhenNeeded: a language's analyzer is built the first
// time it is asked for, not before (Polish's alone holds megabytes), and
// then kept; a language Bleve has no analyzer for shares the standard one;
// each language still analyzes its own way.
func TestAnalyzersBuiltWhenNeeded(t *testing.T) {
	saved := analyzers.byName.Load()
	analyzers.byName.Store(nil)
	defer analyzers.byName.Store(saved)
	built := func() []string {
		m := analyzers.byName.Load()
		if m == nil {
			return nil
		}
		var out []string
		for k := range *m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}

	en := analyzerNamed("en")
	if got := built(); !slices.Equal(got, []string{"en"}) {
		t.Fatalf("after English: built %v, want only en", got)
	}
	if analyzerNamed("en") != en {
		t.Error("English's analyzer was built twice")
	}
	if analyzerNamed("xx") != analyzerNamed(otherLanguage) || analyzerNamed(keyword.Name) == nil {
		t.Error("an unknown language does not share the standard analyzer")
	}
	if got := built(); !slices.Equal(got, []string{"en", keyword.Name, otherLanguage}) {
		t.Fatalf("built %v, want en, keyword and std", got)
	}
	terms := func(lang, text string) string {
		var out []string
		for _, tok := range analyzerNamed(lang).Analyze([]byte(text)) {
			out = append(out, string(tok.Term))
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct{ lang, text, want string }{
		{"en", "Running bikes", "run bike"},
		{"pl", "komputerami", "komputer"},
		{"de", "Häuser", "haus"},
		{otherLanguage, "Running bikes", "running bikes"},
	} {
		if got := terms(c.lang, c.text); got != c.want {
			t.Errorf("%s analyzes %q as %q, want %q", c.lang, c.text, got, c.want)
		}
	}
}
