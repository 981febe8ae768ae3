package privacy

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestParquetInputRoundTrip: the seed product written as Parquet and read
// back through a keep-everything policy gives the seed's CSV output, value
// for value (numbers compared as numbers: Parquet keeps doubles, not the
// decimal text).
func TestParquetInputRoundTrip(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "product.parquet")
	if _, err := ApplyFile(context.Background(), loadSeed(t), "testdata/seed/points.csv", pq, Options{Key: testKey}); err != nil {
		t.Fatal(err)
	}
	keep := mustPolicy(t, `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"},"timestamp":{"action":"keep"},"activity":{"action":"keep"},"device_id":{"action":"keep"},"notes":{"action":"keep"}}}`)
	back := filepath.Join(dir, "back.csv")
	if _, err := ApplyFile(context.Background(), keep, pq, back, Options{Key: testKey}); err != nil {
		t.Fatal(err)
	}
	got := readCSV(t, back)
	want := readCSV(t, "testdata/seed/out.csv")
	if len(got) != len(want) {
		t.Fatalf("%d rows read back, want %d", len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			g, w := got[i][j], want[i][j]
			if gf, err1 := strconv.ParseFloat(g, 64); err1 == nil {
				if wf, err2 := strconv.ParseFloat(w, 64); err2 == nil && gf == wf {
					continue
				}
			}
			if g != w {
				t.Errorf("row %d, column %s: %q, want %q", i, want[0][j], g, w)
			}
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

type parquetPoint struct {
	ID  int64 `parquet:"id"`
	Loc struct {
		Lat float64 `parquet:"lat"`
		Lon float64 `parquet:"lon"`
	} `parquet:"loc"`
	At    time.Time `parquet:"at,timestamp(millisecond)"`
	Note  *string   `parquet:"note,optional"`
	Moved bool      `parquet:"moved"`
}

func writeParquet[T any](t *testing.T, rows []T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[T](f)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestParquetInputTypes: nested groups become dotted field names,
// timestamps RFC 3339 text that rounds like any timestamp, optional
// values null, and a policy works on them as on CSV.
func TestParquetInputTypes(t *testing.T) {
	note := "call me at +49 30 1234567"
	rows := []parquetPoint{{ID: 1, At: time.Date(2024, 5, 1, 7, 3, 9, 0, time.UTC), Note: &note, Moved: true}, {ID: 2, At: time.Date(2024, 5, 1, 7, 33, 0, 0, time.UTC)}}
	rows[0].Loc.Lat, rows[0].Loc.Lon = 52.520008, 13.404954
	rows[1].Loc.Lat, rows[1].Loc.Lon = 52.53, 13.41
	in := writeParquet(t, rows)
	p := mustPolicy(t, `{"fields":{"id":{"action":"remove"},"loc.lat":{"action":"round","precision":2},"loc.lon":{"action":"round","precision":2},"at":{"action":"round","unit":"hour"},"note":{"action":"scrub"},"moved":{"action":"keep"}}}`)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := ApplyFile(context.Background(), p, in, out, Options{Key: testKey}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	want := `{"loc.lat":52.52,"loc.lon":13.40,"at":"2024-05-01T07:00:00Z","note":"call me at [PHONE]","moved":true}` + "\n" +
		`{"loc.lat":52.53,"loc.lon":13.41,"at":"2024-05-01T07:00:00Z","note":null,"moved":false}` + "\n"
	if string(got) != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestParquetInputRefusals: list columns, and Parquet from a stream, are
// refused with errors that say so; nothing is written.
func TestParquetInputRefusals(t *testing.T) {
	type withList struct {
		ID   int64    `parquet:"id"`
		Tags []string `parquet:"tags,list"`
	}
	in := writeParquet(t, []withList{{ID: 1, Tags: []string{"a"}}})
	p := mustPolicy(t, `{"fields":{"id":{"action":"keep"},"tags":{"action":"keep"}}}`)
	out := filepath.Join(t.TempDir(), "out.csv")
	_, err := ApplyFile(context.Background(), p, in, out, Options{Key: testKey})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "tags") || !strings.Contains(err.Error(), "repeated") {
		t.Errorf("list column: %v, want a bad-input error naming the field", err)
	}
	if _, serr := os.Stat(out); !os.IsNotExist(serr) {
		t.Error("an output file was left behind")
	}
	b, _ := os.ReadFile(in)
	_, err = Apply(context.Background(), p, bytes.NewBufferString(string(b)), &bytes.Buffer{}, Options{Key: testKey, InputFormat: FormatParquet})
	if !errors.Is(err, ErrUnsupportedFormat) || !strings.Contains(err.Error(), "file") {
		t.Errorf("Parquet from a stream: %v, want ErrUnsupportedFormat", err)
	}
	garbage := filepath.Join(t.TempDir(), "bad.parquet")
	os.WriteFile(garbage, []byte("lat,lon\n1,2\n"), 0o644)
	if _, err := ApplyFile(context.Background(), p, garbage, out, Options{Key: testKey}); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "Parquet") {
		t.Errorf("not a Parquet file: %v", err)
	}
}
