package federation

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// The subset of RFC 8941 Structured Field Values that RFC 9421 signature
// fields use: a dictionary whose members are inner lists of strings
// (Signature-Input) or byte sequences (Signature), each with parameters.

// sfMember is one dictionary member.
type sfMember struct {
	key string
	// inner is the inner list's items (component identifiers); nil for a
	// bare item.
	inner []sfItem
	// value is a bare item's value (string, int64, []byte, bool or a token
	// as string).
	value  any
	params []sfParam
	// raw is the member's value as written, list and parameters included:
	// the "@signature-params" line of RFC 9421 repeats it.
	raw string
}

// sfItem is an item of an inner list.
type sfItem struct {
	value  any
	params []sfParam
}

type sfParam struct {
	key   string
	value any
}

// sfParser reads s from position i.
type sfParser struct {
	s string
	i int
}

func (p *sfParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at byte %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *sfParser) skipSP() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *sfParser) skipOWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// parseDictionary parses a whole dictionary field value.
func parseDictionary(s string) ([]sfMember, error) {
	p := &sfParser{s: s}
	var out []sfMember
	p.skipSP()
	for p.i < len(p.s) {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		m := sfMember{key: key, value: true}
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			start := p.i
			if p.i < len(p.s) && p.s[p.i] == '(' {
				if m.inner, err = p.innerList(); err != nil {
					return nil, err
				}
				m.value = nil
			} else if m.value, err = p.bareItem(); err != nil {
				return nil, err
			}
			if m.params, err = p.params(); err != nil {
				return nil, err
			}
			m.raw = p.s[start:p.i]
		} else if m.params, err = p.params(); err != nil {
			return nil, err
		}
		out = append(out, m)
		p.skipOWS()
		if p.i == len(p.s) {
			break
		}
		if p.s[p.i] != ',' {
			return nil, p.errorf("expected ',' between members")
		}
		p.i++
		p.skipOWS()
		if p.i == len(p.s) {
			return nil, p.errorf("trailing ','")
		}
	}
	return out, nil
}

func (p *sfParser) key() (string, error) {
	start := p.i
	if p.i >= len(p.s) || !(p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] == '*') {
		return "", p.errorf("expected a key")
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i], nil
}

func (p *sfParser) innerList() ([]sfItem, error) {
	p.i++ // '('
	items := []sfItem{}
	for {
		p.skipSP()
		if p.i >= len(p.s) {
			return nil, p.errorf("inner list not closed")
		}
		if p.s[p.i] == ')' {
			p.i++
			return items, nil
		}
		v, err := p.bareItem()
		if err != nil {
			return nil, err
		}
		ps, err := p.params()
		if err != nil {
			return nil, err
		}
		items = append(items, sfItem{v, ps})
		if p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != ')' {
			return nil, p.errorf("expected ' ' or ')' in inner list")
		}
	}
}

func (p *sfParser) params() ([]sfParam, error) {
	var out []sfParam
	for p.i < len(p.s) && p.s[p.i] == ';' {
		p.i++
		p.skipSP()
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		var v any = true
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		out = append(out, sfParam{k, v})
	}
	return out, nil
}

func (p *sfParser) bareItem() (any, error) {
	if p.i >= len(p.s) {
		return nil, p.errorf("expected an item")
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == ':':
		end := strings.IndexByte(p.s[p.i+1:], ':')
		if end < 0 {
			return nil, p.errorf("byte sequence not closed")
		}
		b, err := base64.StdEncoding.DecodeString(p.s[p.i+1 : p.i+1+end])
		if err != nil {
			return nil, p.errorf("byte sequence is not base64")
		}
		p.i += end + 2
		return b, nil
	case c == '?':
		if p.i+1 < len(p.s) && (p.s[p.i+1] == '0' || p.s[p.i+1] == '1') {
			p.i += 2
			return p.s[p.i-1] == '1', nil
		}
		return nil, p.errorf("bad boolean")
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		p.i++
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i < len(p.s) && p.s[p.i] == '.' {
			return nil, p.errorf("decimals are not used in signature fields")
		}
		n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
		if err != nil || p.i-start > 16 {
			return nil, p.errorf("bad integer %q", p.s[start:p.i])
		}
		return n, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '*':
		start := p.i
		for p.i < len(p.s) && !strings.ContainsRune(" ;,()\"=", rune(p.s[p.i])) {
			p.i++
		}
		return p.s[start:p.i], nil
	}
	return nil, p.errorf("unexpected %q", p.s[p.i])
}

func (p *sfParser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.i >= len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", p.errorf("bad escape in string")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", p.errorf("non-ASCII character in string")
		default:
			b.WriteByte(c)
		}
	}
	return "", p.errorf("string not closed")
}
