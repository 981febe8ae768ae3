package privacy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// testKey is a fixed product key, so that golden digests are stable.
var testKey = []byte("seed-product-key-0123456789abcdef")

func loadSeed(t *testing.T) *Policy {
	t.Helper()
	p, err := LoadPolicy("testdata/seed/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, p *Policy, in string, inFmt, outFmt Format) ([]byte, *Result) {
	t.Helper()
	var out bytes.Buffer
	res, err := Apply(context.Background(), p, strings.NewReader(in), &out, Options{
		InputFormat: inFmt, OutputFormat: outFmt, Key: testKey,
	})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return out.Bytes(), res
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "seed", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// parquetRowsJSONL reads a Parquet file back and renders its rows as JSON
// Lines (column order kept), so that it can be compared with a golden file.
func parquetRowsJSONL(t *testing.T, data []byte) []byte {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open parquet: %v", err)
	}
	fields := f.Schema().Fields()
	r := parquet.NewReader(f)
	defer r.Close()
	var out bytes.Buffer
	rows := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(rows)
		for _, row := range rows[:n] {
			out.WriteByte('{')
			for i, v := range row {
				if i > 0 {
					out.WriteByte(',')
				}
				name, _ := json.Marshal(fields[v.Column()].Name())
				out.Write(name)
				out.WriteByte(':')
				var val any
				if !v.IsNull() {
					switch v.Kind() {
					case parquet.ByteArray:
						val = string(v.ByteArray())
					case parquet.Double:
						val = v.Double()
					case parquet.Int64:
						val = v.Int64()
					case parquet.Boolean:
						val = v.Boolean()
					}
				}
				b, _ := json.Marshal(val)
				out.Write(b)
			}
			out.WriteString("}\n")
		}
		if err != nil {
			break
		}
	}
	return out.Bytes()
}

func TestSeedPolicyGolden(t *testing.T) {
	p := loadSeed(t)
	in, err := os.ReadFile("testdata/seed/points.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{FormatCSV, FormatJSON, FormatJSONL} {
		got, _ := run(t, p, string(in), FormatCSV, f)
		golden(t, "out."+string(f), got)
	}
	pq, res := run(t, p, string(in), FormatCSV, FormatParquet)
	if !bytes.HasPrefix(pq, []byte("PAR1")) || !bytes.HasSuffix(pq, []byte("PAR1")) {
		t.Fatalf("not a Parquet file: % x ...", pq[:min(8, len(pq))])
	}
	golden(t, "out.parquet.jsonl", parquetRowsJSONL(t, pq))
	golden(t, "schema.json", []byte(res.SchemaJSON+"\n"))
	// the Parquet footer states the policy
	f, err := parquet.OpenFile(bytes.NewReader(pq), int64(len(pq)))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Lookup("privacy.field.user_id"); !ok || v != "remove" {
		t.Errorf("parquet metadata privacy.field.user_id = %q, %v; want remove", v, ok)
	}
	if !json.Valid([]byte(res.SchemaJSON)) {
		t.Errorf("schema is not JSON: %s", res.SchemaJSON)
	}
}

// The same rows read from JSON and JSON Lines give the same product as
// from CSV.
func TestSeedPolicyFromJSONInput(t *testing.T) {
	p := loadSeed(t)
	in, _ := os.ReadFile("testdata/seed/points.csv")
	jsonl, _ := run(t, p, string(in), FormatCSV, FormatJSONL)
	want, _ := run(t, p, string(in), FormatCSV, FormatCSV)
	// Build a raw JSONL input with the same values.
	raw, _ := run(t, mustPolicy(t, `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"},"timestamp":{"action":"keep"},"activity":{"action":"keep"},"user_id":{"action":"keep"},"device_id":{"action":"keep"},"notes":{"action":"keep"}}}`), string(in), FormatCSV, FormatJSONL)
	got, _ := run(t, p, string(raw), FormatJSONL, FormatCSV)
	if !bytes.Equal(got, want) {
		t.Errorf("JSONL input gives\n%s\nwant\n%s", got, want)
	}
	rawArr, _ := run(t, mustPolicy(t, `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"},"timestamp":{"action":"keep"},"activity":{"action":"keep"},"user_id":{"action":"keep"},"device_id":{"action":"keep"},"notes":{"action":"keep"}}}`), string(in), FormatCSV, FormatJSON)
	got, _ = run(t, p, string(rawArr), FormatJSON, FormatJSONL)
	if !bytes.Equal(got, jsonl) {
		t.Errorf("JSON array input gives\n%s\nwant\n%s", got, jsonl)
	}
}

func mustPolicy(t *testing.T, s string) *Policy {
	t.Helper()
	p, err := ParsePolicy(strings.NewReader(s))
	if err != nil {
		t.Fatalf("ParsePolicy: %v", err)
	}
	return p
}

func TestPolicyErrors(t *testing.T) {
	cases := []struct {
		name, policy string
		want         []string
	}{
		{"unknown action", `{"fields":{"a":{"action":"blur"}}}`, []string{`field "a"`, `unknown action "blur"`}},
		{"missing action", `{"fields":{"a":{}}}`, []string{`field "a"`, `"action" is missing`}},
		{"missing precision", `{"fields":{"lat":{"action":"round"}}}`, []string{`field "lat"`, `needs "precision"`}},
		{"bad unit", `{"fields":{"t":{"action":"round","unit":"fortnight"}}}`, []string{`field "t"`, `unknown unit "fortnight"`}},
		{"epsilon zero", `{"fields":{"a":{"action":"keep"}},"differential_privacy":{"enabled":true,"epsilon":0}}`, []string{"differential_privacy.epsilon", "must be > 0"}},
		{"epsilon negative", `{"fields":{"a":{"action":"keep"}},"differential_privacy":{"enabled":true,"epsilon":-1}}`, []string{"must be > 0"}},
		{"epsilon missing", `{"fields":{"a":{"action":"keep"}},"differential_privacy":{"enabled":true}}`, []string{"epsilon", "is missing"}},
		{"unknown option", `{"fields":{"a":{"action":"round","precison":2}}}`, []string{`field "a"`, `unknown field "precison"`}},
		{"syntax error line", "{\"fields\": {\n\"a\": {\"action\": \"keep\"},\n}}", []string{"line 3"}},
		{"no fields", `{}`, []string{`"fields" is missing`}},
		{"bad hierarchy", `{"fields":{"a":{"action":"generalize","hierarchy":"galaxy"}}}`, []string{`unknown hierarchy "galaxy"`}},
		{"band without width", `{"fields":{"a":{"action":"generalize","hierarchy":"numeric"}}}`, []string{`needs "width"`}},
		{"bad bounds", `{"fields":{"a":{"action":"keep","bounds":[5,1]}}}`, []string{"bounds must be [lo, hi]"}},
		{"trailing data", `{"fields":{}} {}`, []string{"unexpected data"}},
		{"location names unknown field", `{"fields":{"a":{"action":"keep"}},"location":{"lat":"a","lon":"b"}}`, []string{`"b"`}},
		{"trim order", `{"fields":{"a":{"action":"keep"},"b":{"action":"keep"}},"location":{"lat":"a","lon":"b","trim_min_m":500,"trim_max_m":100}}`, []string{"trim_min_m"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy(strings.NewReader(c.policy))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalidPolicy) {
				t.Errorf("error %v does not wrap ErrInvalidPolicy", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestPolicyAgainstData(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"a":{"action":"keep"},"gone":{"action":"remove"}}}`)
	_, err := Apply(context.Background(), p, strings.NewReader("a,b\n1,2\n"), &bytes.Buffer{}, Options{Key: testKey})
	if !errors.Is(err, ErrInvalidPolicy) {
		t.Fatalf("err = %v, want ErrInvalidPolicy", err)
	}
	for _, w := range []string{`field "b": the data has this field but the policy gives no rule`, `field "gone": not in the data`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q does not say %q", err, w)
		}
	}
}

func TestBadRowsNameTheirLine(t *testing.T) {
	p := loadSeed(t)
	header := "lat,lon,timestamp,activity,user_id,device_id,notes\n"
	good := "52.5,13.4,2024-05-01T07:03:09Z,run,u,d,n\n"
	many := strings.Repeat(good, 1500) // past the type-inference window
	cases := []struct {
		name, in string
		want     string
	}{
		{"unclosed quote", header + good + "1,2,2024-05-01T07:03:09Z,run,u,d,\"open\n", "line 3: column 7: a quoted field is not closed"},
		{"bare quote", header + good + "1,2,2024-05-01T07:03:09Z,ru\"n,u,d,x\n", "line 3: column 4: a bare quote"},
		{"text after quote", header + "1,2,2024-05-01T07:03:09Z,\"run\"x,u,d,x\n", "line 2: column 4: unexpected"},
		{"field count", header + good + "1,2,3\n", "line 3: expected 7 fields as in the header, got 3"},
		{"wrong type in window", header + good + "abc,2,2024-05-01T07:03:09Z,run,u,d,x\n", `line 3: field "lat": wrong type: expected number, got "abc"`},
		{"wrong type after window", header + many + "52.5,x,2024-05-01T07:03:09Z,run,u,d,n\n", `line 1502: field "lon": wrong type: expected number, got "x"`},
		{"bad timestamp after window", header + many + "52.5,13.4,yesterday,run,u,d,n\n", `line 1502: field "timestamp": wrong type: expected timestamp`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Apply(context.Background(), p, strings.NewReader(c.in), &bytes.Buffer{}, Options{Key: testKey})
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestJSONInputErrors(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"a":{"action":"round","precision":1},"b":{"action":"keep"}}}`)
	cases := []struct{ name, in, want string }{
		{"syntax", "{\"a\": 1, \"b\": 2}\n{\"a\": 2, \"b\": }\n", "line 2"},
		{"object where a value was", "[{\"a\": 1, \"b\": 2},\n {\"a\": 1, \"b\": {\"x\": 1}}]", `line 2: field "b.x": this key is not in the first object`},
		{"array", "[{\"a\": 1, \"b\": [1, 2]}]", `field "b": arrays are not supported`},
		{"new key", "{\"a\": 1, \"b\": 2}\n{\"a\": 1, \"c\": 2}\n", `line 2: field "c": this key is not in the first object`},
		{"not an object", "[{\"a\": 1, \"b\": 2}, 3]", "expected an object"},
		{"truncated array", "[{\"a\": 1, \"b\": 2},\n{\"a\": 1", "line 2"},
		{"wrong type", "{\"a\": 1, \"b\": 2}\n{\"a\": \"one\", \"b\": 2}\n", `line 2: field "a": wrong type`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Apply(context.Background(), p, strings.NewReader(c.in), &bytes.Buffer{}, Options{InputFormat: FormatJSON})
			if !errors.Is(err, ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestNestedJSONInput: a nested object's members become fields named by
// their dotted path, which a policy names like any other field.
func TestNestedJSONInput(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"id":{"action":"remove"},"location.lat":{"action":"round","precision":1},"location.lon":{"action":"round","precision":1},"meta.device.name":{"action":"suppress"}}}`)
	in := `[{"id": 7, "location": {"lat": 52.5213, "lon": 13.4049}, "meta": {"device": {"name": "Ana's watch"}}},
{"id": 8, "location": {"lon": 13.41, "lat": 52.53}, "meta": {"device": {}}}]`
	var out bytes.Buffer
	res, err := Apply(context.Background(), p, strings.NewReader(in), &out, Options{InputFormat: FormatJSON, OutputFormat: FormatJSONL, Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"location.lat":52.5,"location.lon":13.4,"meta.device.name":"[REDACTED]"}` + "\n" +
		`{"location.lat":52.5,"location.lon":13.4,"meta.device.name":"[REDACTED]"}` + "\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if !strings.Contains(res.SchemaJSON, `"location.lat"`) {
		t.Errorf("schema does not name the nested field: %s", res.SchemaJSON)
	}
}

// A failed run leaves neither the output file nor a temporary file.
func TestApplyFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	p := loadSeed(t)
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("lat,lon,timestamp,activity,user_id,device_id,notes\n"+
		strings.Repeat("52.5,13.4,2024-05-01T07:03:09Z,run,u,d,n\n", 3000)+"52.5,oops,2024-05-01T07:03:09Z,run,u,d,n\n"), 0o644)
	out := filepath.Join(dir, "out.parquet")
	_, err := ApplyFile(context.Background(), p, in, out, Options{Key: testKey})
	if !errors.Is(err, ErrBadInput) {
		t.Fatalf("err = %v, want ErrBadInput", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after a failed run the folder holds %v, want only in.csv", names)
	}
	// and a good run puts the file in place, readable by others
	os.WriteFile(in, []byte("lat,lon,timestamp,activity,user_id,device_id,notes\n52.5,13.4,2024-05-01T07:03:09Z,run,u,d,n\n"), 0o644)
	if _, err := ApplyFile(context.Background(), p, in, out, Options{Key: testKey}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("output: %v, mode %v", err, st.Mode())
	}
}

func TestSampleIsTransformed(t *testing.T) {
	p := loadSeed(t)
	var b strings.Builder
	b.WriteString("lat,lon,timestamp,activity,user_id,device_id,notes\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "%d.%02d,13.4,2024-05-01T07:03:09Z,run,user-%d,dev-secret,note-%d\n", i/100, i%100, i, i)
	}
	var out bytes.Buffer
	res, err := Apply(context.Background(), p, strings.NewReader(b.String()), &out, Options{Key: testKey, Sample: 20, OutputFormat: FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 20 || res.Report.RowsWritten != 20 || !res.Report.Sample {
		t.Fatalf("sample has %d rows (report %d), want 20", len(lines), res.Report.RowsWritten)
	}
	if bytes.Contains(out.Bytes(), []byte("user-")) || bytes.Contains(out.Bytes(), []byte("note-")) || bytes.Contains(out.Bytes(), []byte("dev-secret")) {
		t.Errorf("the preview holds raw values:\n%s", out.String())
	}
	// rows are drawn from the whole input, not only its head (all 20 from
	// the first 200 rows has probability (200/5000)^20 < 1e-27)
	var last map[string]any
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last["lat"].(float64) < 2 {
		t.Errorf("the last sampled row is from the first 200 rows (lat %v): not a sample of the whole", last["lat"])
	}
}

func TestReportOnSeedUseCase(t *testing.T) {
	p := loadSeed(t)
	in, _ := os.ReadFile("testdata/seed/points.csv")
	_, res := run(t, p, string(in), FormatCSV, FormatCSV)
	r := res.Report
	if r.RowsRead != 8 || r.RowsWritten != 8 {
		t.Errorf("rows %d/%d, want 8/8", r.RowsRead, r.RowsWritten)
	}
	if r.Uniqueness == nil || r.Uniqueness.UniqueRows != 1 {
		t.Errorf("uniqueness = %+v, want every row unique (timestamps are kept exactly)", r.Uniqueness)
	}
	if r.Location == nil || r.Location.HomeErrorM == nil {
		t.Fatalf("no location check: %+v", r.Location)
	}
	var warned bool
	for _, w := range r.Warnings {
		if strings.Contains(w, "not trimmed") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about untrimmed tracks in %q", r.Warnings)
	}
	var sum bytes.Buffer
	r.WriteSummary(&sum)
	for _, w := range []string{"device_id", "unique rows on (lat, lon, timestamp, activity): 100.0%", "differential privacy: off"} {
		if !strings.Contains(sum.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, sum.String())
		}
	}
	b, _ := json.Marshal(r)
	for _, raw := range []string{"anna@example.org", "user-1", "dev-a"} {
		if bytes.Contains(b, []byte(raw)) {
			t.Errorf("the report holds the raw value %q", raw)
		}
	}
}

func TestSchemaOrderAndTypes(t *testing.T) {
	p := loadSeed(t)
	in, _ := os.ReadFile("testdata/seed/points.csv")
	_, res := run(t, p, string(in), FormatCSV, FormatCSV)
	var got []string
	for _, c := range res.Schema {
		got = append(got, c.Name+":"+string(c.Type))
	}
	want := "lat:number lon:number timestamp:timestamp activity:string device_id:string notes:string"
	if strings.Join(got, " ") != want {
		t.Errorf("schema %v, want %s", got, want)
	}
	var js map[string]any
	if err := json.Unmarshal([]byte(res.SchemaJSON), &js); err != nil {
		t.Fatal(err)
	}
	props := js["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "activity,device_id,lat,lon,notes,timestamp" {
		t.Errorf("schema properties %v", keys)
	}
}

func TestCancelAndProgress(t *testing.T) {
	p := loadSeed(t)
	in := "lat,lon,timestamp,activity,user_id,device_id,notes\n" + strings.Repeat("52.5,13.4,2024-05-01T07:03:09Z,run,u,d,n\n", 20000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Apply(ctx, p, strings.NewReader(in), &bytes.Buffer{}, Options{Key: testKey}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v", err)
	}
	var calls int
	var lastRows, lastBytes int64
	_, err := Apply(context.Background(), p, strings.NewReader(in), &bytes.Buffer{}, Options{Key: testKey, OutputFormat: FormatParquet,
		Progress: func(rows, n int64) { calls++; lastRows, lastBytes = rows, n }})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 4 || lastRows != 20000 || lastBytes != int64(len(in)) {
		t.Errorf("progress: %d calls, last %d rows %d bytes; want >= 4 calls ending at 20000 rows, %d bytes", calls, lastRows, lastBytes, len(in))
	}
}

// A file with a header and no rows gives an empty product of the right
// shape in every format, not a type error.
func TestHeaderOnlyInput(t *testing.T) {
	p := loadSeed(t)
	in := "lat,lon,timestamp,activity,user_id,device_id,notes\n"
	for _, f := range []Format{FormatCSV, FormatJSON, FormatJSONL, FormatParquet} {
		out, res := run(t, p, in, FormatCSV, f)
		if res.Report.RowsWritten != 0 || len(res.Schema) != 6 {
			t.Errorf("%s: %d rows, schema %v", f, res.Report.RowsWritten, res.Schema)
		}
		switch f {
		case FormatCSV:
			if string(out) != "lat,lon,timestamp,activity,device_id,notes\n" {
				t.Errorf("csv: %q", out)
			}
		case FormatJSON:
			if string(out) != "[]\n" {
				t.Errorf("json: %q", out)
			}
		case FormatParquet:
			if got := parquetRowsJSONL(t, out); len(got) != 0 {
				t.Errorf("parquet rows: %q", got)
			}
		}
	}
}

// Postcodes and phone numbers stay text; numbers that JSON cannot hold as
// written are rewritten.
func TestInferenceKeepsCodesAsText(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"zip":{"action":"keep"},"phone":{"action":"keep"},"x":{"action":"keep"},"n":{"action":"keep"}}}`)
	out, res := run(t, p, "zip,phone,x,n\n01067,+4930123,.5,7\n10115,+4940123,2.,-3\n", FormatCSV, FormatJSONL)
	want := `{"zip":"01067","phone":"+4930123","x":0.5,"n":7}` + "\n" + `{"zip":"10115","phone":"+4940123","x":2,"n":-3}` + "\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if res.Schema[0].Type != TypeString || res.Schema[2].Type != TypeNumber || res.Schema[3].Type != TypeInteger {
		t.Errorf("schema %v", res.Schema)
	}
}

// "fields" may also be an array of rules that name their field.
func TestPolicyFieldsAsArray(t *testing.T) {
	p := mustPolicy(t, `{"fields":[{"name":"lat","action":"round","precision":1},{"field":"id","action":"remove"}]}`)
	out, _ := run(t, p, "lat,id\n52.54,x\n", FormatCSV, FormatCSV)
	if string(out) != "lat\n52.5\n" {
		t.Errorf("got %q", out)
	}
	for _, bad := range []string{
		`{"fields":[{"action":"keep"}]}`,
		`{"fields":[{"name":"a","action":"keep"},{"name":"a","action":"remove"}]}`,
		`{"fields":[{"name":"a","action":"keep","precison":1}]}`,
		`{"fields":"lat"}`,
	} {
		if _, err := ParsePolicy(strings.NewReader(bad)); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

// A failed run stops the goroutines that write and encode the output.
func TestFailedRunLeavesNoGoroutines(t *testing.T) {
	p := loadSeed(t)
	in := "lat,lon,timestamp,activity,user_id,device_id,notes\n" + strings.Repeat("52.5,13.4,2024-05-01T07:03:09Z,run,u,d,n\n", 5000) + "x,1,2024-05-01T07:03:09Z,run,u,d,n\n"
	before := runtime.NumGoroutine()
	for _, f := range []Format{FormatCSV, FormatParquet} {
		if _, err := Apply(context.Background(), p, strings.NewReader(in), io.Discard, Options{Key: testKey, OutputFormat: f}); !errors.Is(err, ErrBadInput) {
			t.Fatalf("%s: err = %v", f, err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after failed runs, %d before", n, before)
	}
}

// Values longer than the readers' buffers are read whole.
func TestLongValues(t *testing.T) {
	long := strings.Repeat("word, \"quoted\" ", 40000) // 600 kB
	p := mustPolicy(t, `{"fields":{"id":{"action":"keep"},"text":{"action":"keep"}}}`)
	csvIn := "id,text\n1," + csvQuote(long) + "\n2,short\n"
	out, _ := run(t, p, csvIn, FormatCSV, FormatJSONL)
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.Split(string(out), "\n")[0]), &first); err != nil || first["text"] != long {
		t.Fatalf("CSV: long value not read whole (%v)", err)
	}
	escaped, _ := json.Marshal(long + "\u00e9\n")
	jsonIn := `[{"id":1,"text":` + string(escaped) + `},{"id":2,"text":"short"}]`
	out, _ = run(t, p, jsonIn, FormatJSON, FormatJSONL)
	if err := json.Unmarshal([]byte(strings.Split(string(out), "\n")[0]), &first); err != nil || first["text"] != long+"\u00e9\n" {
		t.Fatalf("JSON: long value not read whole (%v)", err)
	}
}

// Beyond 4,096 distinct tuples the unique share is estimated on a hash
// sample of tuples; the estimate stays close to the truth.
func TestUniqueShareEstimate(t *testing.T) {
	u := newUniqueCounter([]int{0})
	// 60,000 tuples: 20,000 seen once, 40,000 seen twice: 20,000 of
	// 100,000 rows are unique
	row := make([]Value, 1)
	for i := 0; i < 60000; i++ {
		row[0] = Value{Kind: KindString, B: []byte(strconv.Itoa(i))}
		u.add(row)
		if i >= 20000 {
			u.add(row)
		}
	}
	if u.level == 0 {
		t.Fatal("the counter never sampled: the test does not exercise the estimate")
	}
	// about 4,096·(60000/2^level) tuples are kept; the share's standard
	// error is below 0.01, and 0.05 is over five of them
	if got := u.share(); math.Abs(got-0.2) > 0.05 {
		t.Errorf("estimated unique share %.3f, true 0.200", got)
	}
	if len(u.counts) > u.limit {
		t.Errorf("%d tuples kept, limit %d", len(u.counts), u.limit)
	}
}
