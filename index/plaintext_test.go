package index

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/index/synth"
)

// plainTextRE is plainText as regular expressions, the reference the loop
// must agree with.
func plainTextRE(s string) string {
	if strings.ContainsRune(s, '<') {
		s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
	}
	s = html.UnescapeString(s)
	return strings.TrimSpace(regexp.MustCompile(`\s+`).ReplaceAllString(s, " "))
}

func TestPlainTextAgreesWithRegexps(t *testing.T) {
	cases := []string{
		"", " ", "plain", "  a  b\t\tc\n\nd \r\f e  ", "<p>Hello</p><p>world</p>", "a<b", "a>b", "<<a>>", "x <br/> y",
		"<a href='x'>link</a> &amp; &lt;b&gt; more", "tab\v vertical\u00a0nbsp\u0085", "ünï<i>cödé</i>\t\tend", "<unterminated tag",
		"a < b > c < d", "\n<p>\n  multi\n  line\n</p>\n", "&nbsp;&nbsp;x", "<>", ">", "<",
	}
	g := synth.New(7)
	for i := 0; i < 300; i++ {
		cases = append(cases, g.Listing(i).Listing.Description)
	}
	for _, c := range cases {
		if got, want := plainText(c), plainTextRE(c); got != want {
			t.Errorf("plainText(%q) = %q, want %q", c, got, want)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	f.Add("<p>a  b</p>&amp;\t c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plainText(s), plainTextRE(s); got != want {
			t.Errorf("plainText(%q) = %q, want %q", s, got, want)
		}
	})
}

func BenchmarkPlainText(b *testing.B) {
	g := synth.New(7)
	descs := make([]string, 200)
	for i := range descs {
		descs[i] = g.Listing(i).Listing.Description
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plainText(descs[i%len(descs)])
	}
}
