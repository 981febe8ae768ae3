package listing

import (
	"fmt"
	"html"
	"strings"
	"unicode"
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
	if k := strings.LastIndexByte(short, ' '); k > n/2 {
		short = short[:k]
	}
	return strings.TrimSpace(short) + "…"
}

// isBidiControl reports the bidirectional embedding, override and isolate
// controls (U+202A to U+202E, U+2066 to U+2069): they make text display in
// another order than it is stored, as in "Trojan Source" spoofs. The
// strong marks (U+200E, U+200F, U+061C) do not reorder text and stay
// allowed.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// lineBreak reports what a multi-line field may hold beyond printable
// text: tab, line feed, carriage return and the Unicode line and
// paragraph separators.
func lineBreak(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
}

// textProblem says why s cannot be a plain-text field of at most max
// characters, or "": it is not UTF-8, too long, or holds a control
// character (C0, DEL, C1; a multi-line field may hold tabs and line
// breaks) or a bidirectional control.
func textProblem(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "must be UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("is %d characters long, at most %d allowed", n, max)
	}
	i := 0
	for _, r := range s {
		i++
		switch {
		case multiline && lineBreak(r):
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return fmt.Sprintf("must not contain control characters or line breaks, found %U at character %d", r, i)
		case isBidiControl(r):
			return fmt.Sprintf("must not contain bidirectional controls, found %U at character %d", r, i)
		}
	}
	return ""
}

// blank lists letters and symbols that show nothing: the Hangul fillers,
// the Braille blank and the Khmer inherent vowels.
var blank = map[rune]bool{0x115F: true, 0x1160: true, 0x3164: true, 0xFFA0: true, 0x2800: true, 0x17B4: true, 0x17B5: true}

// visible reports whether s has at least one character that shows: a
// letter, digit, punctuation or symbol other than the blank ones. Spaces,
// format characters (zero-width spaces and joiners, the byte order mark)
// and combining marks alone do not count.
func visible(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && !blank[r] {
			return true
		}
	}
	return false
}

// tagProblem says why t cannot be a tag, or "".
func tagProblem(t string) string {
	if t == "" || strings.ContainsFunc(t, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '#' }) {
		return fmt.Sprintf("must be 1-%d characters without spaces, commas or '#', got %q", MaxTagLen, short(t))
	}
	if p := textProblem(t, MaxTagLen, false); p != "" {
		return p
	}
	if !visible(t) {
		return fmt.Sprintf("must contain a visible character, got %q", t)
	}
	return ""
}

// clean makes remote display text fit the text rules: it drops invalid
// UTF-8, control characters (in a single-line field, tabs and line breaks
// become spaces) and bidirectional controls, and shortens the text to max
// characters at a character boundary, ending it with an ellipsis.
func clean(s string, max int, multiline bool) string {
	if textProblem(s, max, multiline) == "" {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case multiline && lineBreak(r):
			b.WriteRune(r)
		case lineBreak(r):
			b.WriteByte(' ')
		case unicode.IsControl(r) || isBidiControl(r):
		default:
			b.WriteRune(r)
		}
	}
	s = b.String()
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}
