package privacy

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParsePolicy: any input either parses into a policy whose rules all
// have a known action, or fails with ErrInvalidPolicy; it never panics.
func FuzzParsePolicy(f *testing.F) {
	f.Add(`{"fields":{"lat":{"action":"round","precision":2},"user_id":{"action":"remove"}},"differential_privacy":{"enabled":false,"epsilon":1.0}}`)
	f.Add(`{"fields":{"t":{"action":"round","unit":"hour"}},"differential_privacy":{"enabled":true,"epsilon":0.5}}`)
	f.Add(`{"fields":{"v":{"action":"generalize","hierarchy":"table","table":{"a":"b"},"level":2}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("error %v does not wrap ErrInvalidPolicy", err)
			}
			return
		}
		for name, r := range p.Fields {
			if r == nil || r.Action == "" {
				t.Fatalf("field %q has no action", name)
			}
			if r.Action == ActionRound && r.Precision == nil && r.Unit == "" {
				t.Fatalf("field %q: round without precision or unit", name)
			}
		}
		if p.DifferentialPrivacy.Enabled && p.DifferentialPrivacy.eps.Sign() <= 0 {
			t.Fatal("epsilon <= 0 accepted")
		}
	})
}

// FuzzCSVReader: the reader never panics, fails only with ErrBadInput, and
// where encoding/csv reads the same input strictly, both agree field by
// field.
func FuzzCSVReader(f *testing.F) {
	f.Add("a,b\n1,2\n")
	f.Add("a,b\r\n\"x,\"\"y\"\"\",2\r\n")
	f.Add("a,b\n\"multi\nline\",3\n")
	f.Add("a,b\n1,\"unterminated\n")
	f.Fuzz(func(t *testing.T, s string) {
		ours, err := readAllCSV(s)
		if err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("error %v does not wrap ErrBadInput", err)
			}
			return
		}
		std := csv.NewReader(strings.NewReader(s))
		want, err := std.ReadAll()
		if err != nil || strings.Contains(s, "\r") || strings.HasPrefix(s, "\ufeff") {
			return // encoding/csv differs on \r handling and BOMs
		}
		if len(want) != len(ours) {
			t.Fatalf("%d records, encoding/csv reads %d", len(ours), len(want))
		}
		for i := range want {
			for j := range want[i] {
				if i == 0 {
					continue // header names are trimmed
				}
				if want[i][j] != ours[i][j] {
					t.Fatalf("record %d field %d = %q, encoding/csv reads %q", i, j, ours[i][j], want[i][j])
				}
			}
		}
	})
}

func readAllCSV(s string) ([][]string, error) {
	r, err := newCSVReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	out := [][]string{r.Columns()}
	for {
		row, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = string(v.B)
		}
		out = append(out, rec)
	}
}

// FuzzJSONReader: arrays and lines of objects are read without panics;
// errors wrap ErrBadInput; every row has the first object's columns.
func FuzzJSONReader(f *testing.F) {
	f.Add("[{\"a\":1,\"b\":\"x\"},{\"a\":2.5,\"b\":null}]")
	f.Add("{\"a\":true}\n{\"a\":false}\n")
	f.Add("[{\"a\":{\"nested\":1}}]")
	f.Add("[{\"a\":\"\\u00e9\\n\"}, 3]")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := newJSONReader(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("error %v does not wrap ErrBadInput", err)
			}
			return
		}
		n := len(r.Columns())
		for i := 0; i < 10000; i++ {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.Is(err, ErrBadInput) {
					t.Fatalf("error %v does not wrap ErrBadInput", err)
				}
				return
			}
			if len(row) != n {
				t.Fatalf("row has %d values, want %d", len(row), n)
			}
		}
	})
}

// FuzzApply runs the seed policy over arbitrary CSV: it either fails with
// a bad-input or policy error, or writes output without the raw notes.
func FuzzApply(f *testing.F) {
	f.Add("lat,lon,timestamp,activity,user_id,device_id,notes\n52.5,13.4,2024-05-01T07:03:09Z,run,u,d,secretnote\n")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy(strings.NewReader(`{"fields":{"lat":{"action":"round","precision":2},"lon":{"action":"round","precision":2},"timestamp":{"action":"keep"},"activity":{"action":"keep"},"user_id":{"action":"remove"},"device_id":{"action":"hash"},"notes":{"action":"suppress"}}}`))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		_, err = Apply(context.Background(), p, strings.NewReader(s), &out, Options{Key: testKey, OutputFormat: FormatJSONL})
		if err != nil && !errors.Is(err, ErrBadInput) && !errors.Is(err, ErrInvalidPolicy) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzJSONAgreesWithEncodingJSON: wherever encoding/json reads the input
// as flat objects (an array or a stream), the hand-written reader reads the
// same rows and values.
func FuzzJSONAgreesWithEncodingJSON(f *testing.F) {
	f.Add("[{\"a\":1,\"b\":\"x\\\"y\\\\z\\u00e9\\ud83c\\udfc3\"},{\"b\":null,\"a\":-2.5e3}]")
	f.Add("{\"a\":true}\n{\"a\":false} {\"a\":\"\\n\\t\\/\"}")
	f.Add("[]")
	f.Add("[\n  {\"k\": \"v\"},\n  {\"k\": \"w\"}\n]\n")
	f.Fuzz(func(t *testing.T, s string) {
		want, ok := decodeFlatJSON(s)
		if !ok || len(want) == 0 {
			return
		}
		r, err := newJSONReader(strings.NewReader(s))
		if err != nil {
			if strings.Contains(err.Error(), "twice") {
				return // encoding/json keeps the last of duplicate keys; we refuse them
			}
			t.Fatalf("encoding/json reads %q, we fail: %v", s, err)
		}
		cols := r.Columns()
		for i, obj := range want {
			for k := range obj {
				if !slices.Contains(cols, k) {
					return // a later row adds a key: we refuse that by design
				}
			}
			row, err := r.Next()
			if err != nil {
				if strings.Contains(err.Error(), "twice") || strings.Contains(err.Error(), "not in the first object") {
					return
				}
				t.Fatalf("row %d: %v (input %q)", i, err, s)
			}
			for c, name := range cols {
				got, w := row[c], obj[name]
				switch w := w.(type) {
				case nil:
					if got.Kind != KindNull {
						t.Fatalf("row %d %s: got %q, want null", i, name, got.B)
					}
				case string:
					if got.Kind != KindString || utf8.Valid(got.B) && string(got.B) != w {
						t.Fatalf("row %d %s: got %q, want %q", i, name, got.B, w)
					}
				case json.Number:
					if got.Kind != KindNumber || string(got.B) != string(w) {
						t.Fatalf("row %d %s: got %q, want %s", i, name, got.B, w)
					}
				case bool:
					if got.Kind != KindBool || string(got.B) != fmt.Sprint(w) {
						t.Fatalf("row %d %s: got %q, want %v", i, name, got.B, w)
					}
				}
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("after %d rows: %v, want EOF", len(want), err)
		}
	})
}

// decodeFlatJSON decodes an array of objects or a stream of objects whose
// values are all scalars; ok is false for anything else.
func decodeFlatJSON(s string) (rows []map[string]any, ok bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if t := strings.TrimLeft(s, " \t\r\n"); strings.HasPrefix(t, "[") {
		if err := dec.Decode(&rows); err != nil {
			return nil, false
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, false
		}
	} else {
		for {
			var m map[string]any
			err := dec.Decode(&m)
			if err == io.EOF {
				break
			}
			if err != nil || m == nil {
				return nil, false
			}
			rows = append(rows, m)
		}
	}
	for _, m := range rows {
		if m == nil {
			return nil, false
		}
		for _, v := range m {
			switch v.(type) {
			case map[string]any, []any:
				return nil, false
			}
		}
	}
	return rows, true
}

// FuzzScrub: any text scrubs without a panic, only whole matches are
// replaced (the text outside the tags is the input's, in order), and an
// IPv6 address set in the text by spaces is always found.
func FuzzScrub(f *testing.F) {
	for _, s := range []string{"mail a@b.org or +49 30 1234567", "from 2001:db8::1 at 12:00:00", "fe80::1%eth0.", "::ffff:10.0.0.1:", "iban DE89 3704 0044 0532 0130 00", ":::", "a::b::c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc := newScrubber([]string{"Ben"})
		out := string(sc.scrub(nil, []byte(s)))
		var n int64
		for _, c := range sc.counts {
			n += c
		}
		if n == 0 && out != s {
			t.Fatalf("nothing replaced, yet %q became %q", s, out)
		}
		planted := s + " 2001:db8::7 "
		if got := string(newScrubber(nil).scrub(nil, []byte(planted))); !strings.HasSuffix(got, " [IP] ") {
			t.Fatalf("scrub(%q) = %q: the trailing IPv6 address is not replaced", planted, got)
		}
	})
}
