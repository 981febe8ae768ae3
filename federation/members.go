package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decodeObject decodes a JSON object into its members, refusing duplicate
// members (two parsers reading different values of one member is how
// checks get bypassed) and trailing data. Each member's value is the slice
// of b it was read from (capped, so appending to it never writes into b):
// nothing is copied, and b must not change while the members are in use.
//
// It is on the inbox's hot path, once per activity and once per embedded
// object. encoding/json's scanner checks the whole of b in one pass
// (json.Valid, the same grammar and nesting limit as json.Unmarshal), and
// only then are the members split off; a body it refuses is read again by
// the token decoder (strictError) to say what is wrong with it, as the
// inbox always has.
func decodeObject(b []byte) (map[string]json.RawMessage, error) {
	if !json.Valid(b) {
		return nil, strictError(b)
	}
	i := skipSpace(b, 0)
	if b[i] != '{' {
		return nil, errors.New("must be a JSON object")
	}
	return splitMembers(b, i)
}

// splitMembers splits the object that starts at b[i], in a b that
// json.Valid accepted, into its members.
func splitMembers(b []byte, i int) (map[string]json.RawMessage, error) {
	m := make(map[string]json.RawMessage, 16)
	i = skipSpace(b, i+1)
	if b[i] == '}' {
		return m, nil
	}
	for {
		end := skipString(b, i)
		k, err := memberName(b[i:end])
		if err != nil {
			return nil, err
		}
		i = skipSpace(b, end) // at ':'
		i = skipSpace(b, i+1) // at the value
		end = skipValue(b, i)
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("member %q appears twice", k)
		}
		m[k] = b[i:end:end]
		i = skipSpace(b, end) // at ',' or '}'
		if b[i] == '}' {
			return m, nil
		}
		i = skipSpace(b, i+1)
	}
}

// memberName unquotes a member name as encoding/json reads it: escapes
// decoded and invalid UTF-8 replaced, so that "type" and "\u0074ype" are
// one name.
func memberName(quoted []byte) (string, error) {
	plain := true
	for _, c := range quoted {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(quoted[1 : len(quoted)-1]), nil
	}
	var k string
	if err := json.Unmarshal(quoted, &k); err != nil {
		return "", fmt.Errorf("not JSON: %v", err)
	}
	return k, nil
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just after the string that starts at b[i]
// (a '"'), in valid JSON.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++ // the escaped byte (the rest of a \uXXXX is plain)
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just after the value that starts at b[i],
// in valid JSON.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for ; i < len(b); i++ { // a number, true, false or null
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}

// strictError says what is wrong with b, which json.Valid refused, in the
// words of encoding/json's token decoder: not JSON (and where), not an
// object, a member given twice before the fault, or trailing data after
// the object.
func strictError(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("must be a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("not JSON: %v", err)
		}
		k, ok := tok.(string)
		if !ok {
			return errors.New("not JSON: member name is not a string")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("member %q: not JSON: %v", k, err)
		}
		if seen[k] {
			return fmt.Errorf("member %q appears twice", k)
		}
		seen[k] = true
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return errors.New("not JSON")
}
