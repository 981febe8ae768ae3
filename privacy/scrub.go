package privacy

import (
	"bytes"
	"net/netip"
)

// scrubber replaces personal data inside free text and keeps the rest:
// e-mail addresses, phone numbers, card numbers (Luhn-checked), IBANs
// (mod-97-checked), IPv4 and IPv6 addresses, URLs, and names from the owner's
// contact list. It scans the text once with hand-written matchers instead
// of regular expressions: Go's regexp costs about 5 µs per row per
// pattern, and most notes contain nothing to replace.
type scrubber struct {
	contacts [][]byte // lower-case ASCII folded names
	lower    []byte
	counts   map[string]int64 // replacements by kind, for the report
}

// The tags that replace what the scrubber finds.
const (
	tagEmail = "[EMAIL]"
	tagPhone = "[PHONE]"
	tagCard  = "[CARD]"
	tagIBAN  = "[IBAN]"
	tagIP    = "[IP]"
	tagURL   = "[URL]"
	tagName  = "[NAME]"
)

func newScrubber(contacts []string) *scrubber {
	s := &scrubber{counts: map[string]int64{}}
	for _, c := range contacts {
		if c = string(bytes.TrimSpace([]byte(c))); c != "" {
			s.contacts = append(s.contacts, foldASCII(nil, []byte(c)))
		}
	}
	return s
}

func foldASCII(dst, b []byte) []byte {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isLocalChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isDomainChar(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }

// span is a match [start, end) with the tag that replaces it.
type span struct {
	start, end int
	tag        string
}

// scrub appends text to dst with every match replaced.
func (s *scrubber) scrub(dst, text []byte) []byte {
	var found []span
	// Cheap pre-check: without '@', a digit, "://", "www." or an upper-case
	// letter pair, only contact names can match.
	interesting := false
	for _, c := range text {
		if c == '@' || isDigit(c) || c == ':' || c == 'w' || c == 'W' {
			interesting = true
			break
		}
	}
	if interesting {
		found = s.scan(text, found)
	}
	if len(s.contacts) > 0 {
		found = s.names(text, found)
	}
	if len(found) == 0 {
		return append(dst, text...)
	}
	last := 0
	for _, m := range found {
		if m.start < last {
			continue // overlaps an earlier match
		}
		dst = append(dst, text[last:m.start]...)
		dst = append(dst, m.tag...)
		s.counts[m.tag]++
		last = m.end
	}
	return append(dst, text[last:]...)
}

// scan finds e-mails, URLs, numbers of all kinds and IBANs, in order.
func (s *scrubber) scan(t []byte, found []span) []span {
	n := len(t)
	for i := 0; i < n; i++ {
		c := t[i]
		wordStart := i == 0 || !isAlnum(t[i-1]) && t[i-1] != '.' && t[i-1] != '-' && t[i-1] != '_'
		if wordStart && (isHexDigit(c) || c == ':') {
			if e, ok := matchIPv6(t, i); ok {
				found = append(found, span{i, e, tagIP})
				i = e - 1
				continue
			}
		}
		switch {
		case c == '@':
			if m, ok := matchEmail(t, i); ok {
				// drop earlier matches inside the local part (digits of it)
				for len(found) > 0 && found[len(found)-1].end > m.start {
					found = found[:len(found)-1]
				}
				found = append(found, m)
				i = m.end - 1
			}
		case wordStart && (c == 'h' || c == 'H' || c == 'w' || c == 'W'):
			if e := matchURL(t, i); e > i {
				found = append(found, span{i, e, tagURL})
				i = e - 1
			}
		case wordStart && (isDigit(c) || c == '+' || c == '('):
			m, ok, next := matchNumber(t, i)
			if ok {
				found = append(found, m)
				i = m.end - 1
			} else {
				// skip the whole run, so that its tail is not matched as
				// a shorter number
				i = next - 1
			}
		case wordStart && isUpper(c) && i+3 < n && isUpper(t[i+1]) && isDigit(t[i+2]) && isDigit(t[i+3]):
			e, ok := matchIBAN(t, i)
			if ok {
				found = append(found, span{i, e, tagIBAN})
			}
			i = e - 1 // a failed candidate is skipped whole
		}
	}
	return found
}

func matchEmail(t []byte, at int) (span, bool) {
	s := at
	for s > 0 && isLocalChar(t[s-1]) {
		s--
	}
	for s < at && (t[s] == '.' || t[s] == '-') {
		s++
	}
	if s == at {
		return span{}, false
	}
	e := at + 1
	lastDot := -1
	for e < len(t) && isDomainChar(t[e]) {
		if t[e] == '.' {
			lastDot = e
		}
		e++
	}
	// a trailing dot ends the sentence, not the domain
	for e > at+1 && (t[e-1] == '.' || t[e-1] == '-') {
		e--
	}
	if lastDot >= e-1 {
		lastDot = bytes.LastIndexByte(t[at+1:e], '.')
		if lastDot >= 0 {
			lastDot += at + 1
		}
	}
	if lastDot <= at+1 || e-lastDot-1 < 2 {
		return span{}, false
	}
	for k := lastDot + 1; k < e; k++ {
		if !(t[k] >= 'a' && t[k] <= 'z' || t[k] >= 'A' && t[k] <= 'Z') {
			return span{}, false
		}
	}
	return span{s, e, tagEmail}, true
}

func hasPrefixFold(t []byte, p string) bool {
	if len(t) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := t[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func matchURL(t []byte, i int) int {
	rest := t[i:]
	var skip int
	switch {
	case hasPrefixFold(rest, "https://"):
		skip = 8
	case hasPrefixFold(rest, "http://"):
		skip = 7
	case hasPrefixFold(rest, "www."):
		skip = 4
	default:
		return i
	}
	e := i + skip
	for e < len(t) && t[e] > ' ' && t[e] != '"' && t[e] != '<' && t[e] != '>' {
		e++
	}
	for e > i+skip && (t[e-1] == '.' || t[e-1] == ',' || t[e-1] == ')' || t[e-1] == ';' || t[e-1] == '!' || t[e-1] == '?') {
		e--
	}
	if e == i+skip {
		return i
	}
	return e
}

// matchNumber looks at a run of digits and separators starting at i and
// decides whether it is an IPv4 address, a card number, a phone number,
// or none of these (a date, a time, a distance).
func matchNumber(t []byte, i int) (m span, ok bool, next int) {
	if t[i] == '(' || t[i] == '+' {
		next = i + 1
	}
	if m, ok := matchIPv4(t, i); ok {
		return m, true, m.end
	}
	e := i
	digits := 0
	var ds [24]byte
	seps := 0
	plus := t[i] == '+'
	hasSpaceOrDash := false
	if plus || t[i] == '(' {
		e++
	}
	for e < len(t) {
		c := t[e]
		if isDigit(c) {
			if digits < len(ds) {
				ds[digits] = c
			}
			digits++
			e++
			continue
		}
		// a separator counts only between digits: "555 1234", "(030) 1234-5"
		if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/') && e+1 < len(t) && (isDigit(t[e+1]) || c == ')' && t[e+1] == ' ' && e+2 < len(t) && isDigit(t[e+2])) && !ipv6At(t, e+1) && !(c == ')' && ipv6At(t, e+2)) {
			if c == ' ' || c == '-' {
				hasSpaceOrDash = true
			}
			seps++
			if c == ')' && t[e+1] == ' ' {
				e++
			}
			e++
			continue
		}
		break
	}
	if next == 0 {
		next = max(e, i+1)
	}
	if e < len(t) && isAlnum(t[e]) {
		return span{}, false, next // part of a word such as "10km"
	}
	start := i
	if t[i] == '(' && bytes.IndexByte(t[i:e], ')') < 0 {
		start = i + 1 // an opening parenthesis before the number, not around an area code
	}
	if digits >= 13 && digits <= 19 && luhn(ds[:min(digits, len(ds))]) {
		return span{start, e, tagCard}, true, e
	}
	if digits < 7 || digits > 15 {
		return span{}, false, next
	}
	// dates and times: 2024-05-01, 2024-05-01 07:30, 01.05.2024
	if isDateLike(t[start:e]) {
		return span{}, false, next
	}
	if plus || digits >= 9 || (digits >= 7 && hasSpaceOrDash && seps <= 3) {
		return span{start, e, tagPhone}, true, e
	}
	return span{}, false, next
}

func isDateLike(b []byte) bool {
	// yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, optionally followed by a time
	if len(b) >= 10 && isDigit(b[0]) && isDigit(b[3]) && b[4] == '-' && b[7] == '-' {
		return true
	}
	if len(b) >= 10 && (b[2] == '.' || b[2] == '/') && (b[5] == '.' || b[5] == '/') {
		return true
	}
	return false
}

func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func matchIPv4(t []byte, i int) (span, bool) {
	e := i
	for part := 0; part < 4; part++ {
		if part > 0 {
			if e >= len(t) || t[e] != '.' {
				return span{}, false
			}
			e++
		}
		s := e
		v := 0
		for e < len(t) && isDigit(t[e]) && e-s < 3 {
			v = v*10 + int(t[e]-'0')
			e++
		}
		if e == s || v > 255 {
			return span{}, false
		}
	}
	if e < len(t) && (isAlnum(t[e]) || t[e] == '.' && e+1 < len(t) && isDigit(t[e+1])) {
		return span{}, false
	}
	return span{i, e, tagIP}, true
}

func isHexDigit(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// matchIPv6 reports the end of an IPv6 address starting at i ("2001:db8::1",
// "fe80::1%eth0", "::ffff:192.0.2.1"). A run of hex digits, colons and dots
// with fewer than two colons (a word, a time of day) or no digit at all
// (a lone "::") is rejected before any
// parsing; so are times with seconds ("1:45:12"), which do not parse.
func matchIPv6(t []byte, i int) (end int, ok bool) {
	e, colons, hex := i, 0, 0
	for e < len(t) && (isHexDigit(t[e]) || t[e] == ':' || t[e] == '.') {
		if t[e] == ':' {
			colons++
		} else if t[e] != '.' {
			hex++
		}
		e++
	}
	if colons < 2 || hex == 0 {
		return 0, false
	}
	for e > i && (t[e-1] == '.' || t[e-1] == ':' && (e-2 < i || t[e-2] != ':')) {
		e-- // a full stop or colon after the address ends the sentence
	}
	if e < len(t) && t[e] == '%' { // a zone: "fe80::1%eth0"
		z := e + 1
		for z < len(t) && isAlnum(t[z]) {
			z++
		}
		if z > e+1 {
			e = z
		}
	}
	if e < len(t) && (isAlnum(t[e]) || t[e] == '_' || t[e] == '-') {
		return 0, false
	}
	a, err := netip.ParseAddr(string(t[i:e]))
	if err != nil || !a.Is6() {
		return 0, false
	}
	return e, true
}

// ipv6At reports whether an IPv6 address starts at i, so that a number or
// IBAN before it does not swallow its first group.
func ipv6At(t []byte, i int) bool {
	_, ok := matchIPv6(t, i)
	return ok
}

// matchIBAN checks country letters, check digits, a BBAN of 11 to 30
// letters and digits (spaces allowed between groups), and the ISO 7064
// mod-97 checksum.
func matchIBAN(t []byte, i int) (end int, ok bool) {
	var buf [34]byte
	n := 0
	e := i
	end = i + 1
	for e < len(t) && n < len(buf) {
		c := t[e]
		if isDigit(c) || isUpper(c) {
			buf[n] = c
			n++
			e++
			end = e
			continue
		}
		if c == ' ' && e+1 < len(t) && (isDigit(t[e+1]) || isUpper(t[e+1])) && n >= 4 && !ipv6At(t, e+1) {
			e++
			continue
		}
		break
	}
	if n < 15 || (end < len(t) && isAlnum(t[end])) {
		return i + 1, false
	}
	// move the first four characters to the end, letters become 10..35
	rem := 0
	for k := 0; k < n; k++ {
		c := buf[(k+4)%n]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	return end, rem == 1
}

// names finds the owner's contacts as whole words, ignoring ASCII case.
func (s *scrubber) names(t []byte, found []span) []span {
	s.lower = foldASCII(s.lower[:0], t)
	added := false
	for _, name := range s.contacts {
		off := 0
		for {
			k := bytes.Index(s.lower[off:], name)
			if k < 0 {
				break
			}
			st := off + k
			en := st + len(name)
			if (st == 0 || !isAlnum(t[st-1])) && (en == len(t) || !isAlnum(t[en])) {
				found = append(found, span{st, en, tagName})
				added = true
			}
			off = st + 1
		}
	}
	if added {
		sortSpans(found)
	}
	return found
}

func sortSpans(s []span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].start < s[j-1].start || s[j].start == s[j-1].start && s[j].end > s[j-1].end); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
