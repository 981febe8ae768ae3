package federation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// decodeObjectByTokens is how the inbox read a JSON object's members
// before decodeObject split them after one json.Valid pass: member by
// member through encoding/json's token decoder. It stays here as the
// reference decodeObject must agree with.
func decodeObjectByTokens(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("must be a JSON object")
	}
	m := make(map[string]json.RawMessage)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %v", err)
		}
		k, ok := tok.(string)
		if !ok {
			return nil, errors.New("not JSON: member name is not a string")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("member %q: not JSON: %v", k, err)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("member %q appears twice", k)
		}
		m[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON object")
	}
	return m, nil
}

// sameMembers reports how decodeObject and the token decoder differ on b,
// or "" when they agree: the same members with the same bytes, or the
// same error.
func sameMembers(b []byte) string {
	got, gotErr := decodeObject(b)
	want, wantErr := decodeObjectByTokens(b)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		return fmt.Sprintf("error %v, the token decoder's %v", gotErr, wantErr)
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d members, the token decoder %d", len(got), len(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			return fmt.Sprintf("member %q is %q, the token decoder's %q", k, got[k], v)
		}
	}
	return ""
}

// decodeObjectSeeds are JSON texts at the edges of the grammar: escapes
// in names and strings, nesting, numbers, white space, and the faults
// the inbox answers with its own words.
var decodeObjectSeeds = []string{
	``, ` `, `{}`, ` { } `, "\t{\r\n}\n", `[]`, `"x"`, `null`, `1`, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`,
	`{"a":1}`, `{"a":1} `, `{"a":1}x`, `{"a":1} {}`, `{"a":1}{"b":2}`, `{"a":1,"a":2}`, `{"a":1,"a":2,`, `{"a":1,"a":2`,
	`{"type":1,"\u0074ype":2}`, `{"\ud800":1,"\ufffd":2}`, "{\"\xff\":1,\"\xfe\":2}", `{"a\"b":"c\\","d":"\"}{"}`,
	`{"o":{"x":[1,{"y":"]}"}],"z":null},"n":-1.5e+10,"t":true,"f":false}`, `{ "a" : [ 1 , 2 ] , "b" : { } }`,
	`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":tru}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}", `{"a":[1,2}`, `{"a":{"b":1]}`,
	`{"":1,"":2}`, `{"a":"` + string(bytes.Repeat([]byte(`\\`), 9)) + `"}`, "\ufeff{}",
}

func TestDecodeObjectAgreesWithTokenDecoder(t *testing.T) {
	seeds := decodeObjectSeeds
	for _, dir := range []string{"actors", "activities"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, string(b))
		}
	}
	for _, s := range seeds {
		if d := sameMembers([]byte(s)); d != "" {
			t.Errorf("%q: %s", s, d)
		}
	}
}

// FuzzDecodeObject: on any bytes, decodeObject finds the members, or the
// fault, that encoding/json's token decoder finds.
func FuzzDecodeObject(f *testing.F) {
	for _, s := range decodeObjectSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d := sameMembers(b); d != "" {
			t.Fatalf("%q: %s", b, d)
		}
	})
}

// TestDecodeObjectMembersAreCapped: a member is a slice of the body, and
// appending to it never writes into the body.
func TestDecodeObjectMembersAreCapped(t *testing.T) {
	b := []byte(`{"a":"x","b":"y"}`)
	m, err := decodeObject(b)
	if err != nil {
		t.Fatal(err)
	}
	_ = append(m["a"], "zzzz"...)
	if string(b) != `{"a":"x","b":"y"}` {
		t.Errorf("appending to a member changed the body: %s", b)
	}
}
