package privacy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchPoints makes n rows shaped like the benchmark's running points.
func benchPoints(n int) string {
	r := rand.New(rand.NewPCG(7, 8))
	var b strings.Builder
	b.WriteString("lat,lon,timestamp,activity,user_id,device_id,notes\n")
	for i := 0; i < n; i++ {
		note := ""
		switch x := r.IntN(100); {
		case x < 30:
			note = `"easy run by the river, legs tired"`
		case x < 35:
			note = "mail jo.runner@example.org"
		case x < 40:
			note = `"call +49 30 1234567, after 10km"`
		}
		fmt.Fprintf(&b, "%.6f,%.6f,2024-05-01T07:%02d:%02dZ,run,user-1,garmin-fr255-8812,%s\n",
			52.5+r.Float64()*0.1, 13.4+r.Float64()*0.1, (i/60)%60, i%60, note)
	}
	return b.String()
}

func benchApply(b *testing.B, notes string, f Format) {
	in := benchPoints(100000)
	p, err := ParsePolicy(strings.NewReader(`{"fields":{"lat":{"action":"round","precision":2},"lon":{"action":"round","precision":2},
		"timestamp":{"action":"keep"},"activity":{"action":"keep"},"user_id":{"action":"remove"},
		"device_id":{"action":"hash"},"notes":{"action":"` + notes + `"}}}`))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Apply(context.Background(), p, strings.NewReader(in), io.Discard, Options{Key: testKey, OutputFormat: f}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100000, "ns/row")
}

func BenchmarkApplyCSV(b *testing.B)      { benchApply(b, "suppress", FormatCSV) }
func BenchmarkApplyParquet(b *testing.B)  { benchApply(b, "suppress", FormatParquet) }
func BenchmarkApplyScrubCSV(b *testing.B) { benchApply(b, "scrub", FormatCSV) }

func BenchmarkScrub(b *testing.B) {
	notes := [][]byte{
		[]byte(""), []byte(""), []byte(""), []byte(""), []byte(""), []byte(""),
		[]byte("easy run by the river, legs tired"), []byte("tempo intervals hills windy"),
		[]byte("ran with Sam mail jo.runner17@example.org"), []byte("call +49 30 1234567, after 10km"),
	}
	s := newScrubber(nil)
	var dst []byte
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = s.scrub(dst[:0], notes[i%len(notes)])
	}
	_ = bytes.MinRead
}

func BenchmarkDiscreteLaplace(b *testing.B) {
	s := newSampler(nil)
	for i := 0; i < b.N; i++ {
		s.discreteLaplace(1, 1_000_000)
	}
}
