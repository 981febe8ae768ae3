package listing

import (
	"html"
	"strings"
	"unicode/utf8"
)

// htmlText turns the HTML of a post's content into plain text: tags are
// dropped, line breaks and block ends become newlines, entities are
// unescaped, and runs of blank lines collapse to one.
func htmlText(s string) string {
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 || !startsTag(s[i+1:]) {
			b.WriteByte('<') // not a tag: "a < b" is text
			s = s[i+1:]
			continue
		}
		switch tagName(s[i+1 : i+j]) {
		case "br", "/br":
			b.WriteString("\n")
		case "/p", "/div", "/li", "/blockquote", "/pre", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6", "/ul", "/ol":
			b.WriteString("\n\n")
		}
		s = s[i+j+1:]
	}
	lines := strings.Split(html.UnescapeString(b.String()), "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// startsTag reports whether the text after a '<' starts a tag, an end
// tag or a comment, as HTML parsers decide.
func startsTag(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tagName returns the lower-case name of an HTML tag from the text between
// its angle brackets, with a leading "/" for end tags.
func tagName(tag string) string {
	end := strings.IndexAny(tag, " \t\r\n/>")
	if strings.HasPrefix(tag, "/") {
		rest := tag[1:]
		if k := strings.IndexAny(rest, " \t\r\n>"); k >= 0 {
			rest = rest[:k]
		}
		return "/" + strings.ToLower(rest)
	}
	if end >= 0 {
		tag = tag[:end]
	}
	return strings.ToLower(tag)
}

// cut returns the first line of text, shortened at a word boundary to at
// most n characters with an ellipsis when it was longer.
func cut(text string, n int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= n {
		return line
	}
	short := string([]rune(line)[:n-1])
	for len(short) > MaxTitle-len("…") {
		_, size := utf8.DecodeLastRuneInString(short)
		short = short[:len(short)-size]
	}
	if k := strings.LastIndexByte(short, ' '); k > n/2 {
		short = short[:k]
	}
	return strings.TrimSpace(short) + "…"
}
