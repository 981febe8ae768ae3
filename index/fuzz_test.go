package index_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/index"
)

// FuzzParseText checks the q parser on any input: it never panics, every
// part it returns is non-empty and free of quotes, it keeps to the limits,
// and writing the parsed text back and parsing it again gives the same.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"", "bicycle", `"road bicycle" -helmet`, `-"red paint" blue`, `"unclosed phrase`, `a"b"c`, "--x", `"-x"`, " - ", "Fahrrad\tgebraucht\n", "自転車 -中古"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		txt, err := index.ParseText(q)
		if err != nil {
			if len(q) <= index.MaxTextBytes && utf8.ValidString(q) && !strings.Contains(err.Error(), "q: has more than") {
				t.Fatalf("ParseText(%q): unexpected error %v", q, err)
			}
			return
		}
		if n := len(txt.Words) + len(txt.Phrases) + len(txt.Excluded); n > index.MaxTextParts {
			t.Fatalf("ParseText(%q): %d parts, limit %d", q, n, index.MaxTextParts)
		}
		for _, parts := range [][]string{txt.Words, txt.Phrases, txt.Excluded} {
			for _, p := range parts {
				if p == "" || strings.Contains(p, `"`) || strings.TrimSpace(p) != p {
					t.Fatalf("ParseText(%q): bad part %q in %+v", q, p, txt)
				}
			}
		}
		for _, w := range txt.Words {
			if strings.ContainsAny(w, " \t\n") {
				t.Fatalf("ParseText(%q): word %q has a space", q, w)
			}
		}
		again, err := index.ParseText(txt.String())
		if err != nil {
			t.Fatalf("ParseText(%q).String() = %q does not parse: %v", q, txt.String(), err)
		}
		if !reflect.DeepEqual(again, txt) {
			t.Fatalf("ParseText(%q) = %+v, but its String %q parses to %+v", q, txt, txt.String(), again)
		}
	})
}
