package privacy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// runningTracks writes tracks that start and end at home: out 3 km along
// a bearing that differs per track, and back, a point every 10 m.
func runningTracks(tracks int) string {
	const homeLat, homeLon = 52.5200, 13.4050
	var b strings.Builder
	b.WriteString("lat,lon,timestamp,activity\n")
	t0 := time.Date(2024, 5, 1, 7, 0, 0, 0, time.UTC)
	for k := 0; k < tracks; k++ {
		bearing := float64(k) * 2 * math.Pi / float64(tracks)
		start := t0.Add(time.Duration(k) * 24 * time.Hour)
		for i := 0; i <= 600; i++ {
			d := float64(i) * 10
			if i > 300 {
				d = float64(600-i) * 10
			}
			lat := homeLat + d*math.Cos(bearing)/metresPerDegree
			lon := homeLon + d*math.Sin(bearing)/(metresPerDegree*math.Cos(homeLat*math.Pi/180))
			fmt.Fprintf(&b, "%.6f,%.6f,%s,run\n", lat, lon, start.Add(time.Duration(i)*3*time.Second).Format(time.RFC3339))
		}
	}
	return b.String()
}

func TestTrimmingHidesHome(t *testing.T) {
	in := runningTracks(12)
	plain := mustPolicy(t, `{"fields":{"lat":{"action":"round","precision":3},"lon":{"action":"round","precision":3},"timestamp":{"action":"round","unit":"hour"},"activity":{"action":"keep"}}}`)
	_, res := run(t, plain, in, FormatCSV, FormatCSV)
	loc := res.Report.Location
	if loc == nil || loc.HomeErrorM == nil || loc.Tracks != 12 {
		t.Fatalf("location check: %+v", loc)
	}
	if *loc.HomeErrorM > 150 {
		t.Errorf("without trimming the attack lands %.0f m from home; expected it to find home", *loc.HomeErrorM)
	}
	trimmed := mustPolicy(t, `{"fields":{"lat":{"action":"round","precision":3},"lon":{"action":"round","precision":3},"timestamp":{"action":"round","unit":"hour"},"activity":{"action":"keep"}},
		"location":{"lat":"lat","lon":"lon","time":"timestamp","trim_min_m":300,"trim_max_m":800}}`)
	out, res := run(t, trimmed, in, FormatCSV, FormatCSV)
	loc = res.Report.Location
	if loc.Tracks != 12 || loc.TrimmedPoints < 12*2*30 {
		t.Errorf("tracks %d, trimmed %d points; want 12 tracks and at least 30 points per track end", loc.Tracks, loc.TrimmedPoints)
	}
	// every output track end is at least 300 m from home before rounding
	// to 3 decimals, which moves a point by at most ~65 m
	if loc.HomeErrorM == nil {
		t.Fatal("no home-inference result with trimming")
	}
	if *loc.HomeErrorM < 300-70 {
		t.Errorf("with trimming the attack still lands %.0f m from home", *loc.HomeErrorM)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	if int64(len(lines))+loc.TrimmedPoints != 12*601 {
		t.Errorf("%d rows out + %d trimmed != %d in", len(lines), loc.TrimmedPoints, 12*601)
	}
	starts := map[string]bool{}
	prevHour := ""
	for _, l := range lines {
		f := strings.Split(l, ",")
		lat, _ := strconv.ParseFloat(f[0], 64)
		lon, _ := strconv.ParseFloat(f[1], 64)
		// rounding to 3 decimals moves a point by at most ~70 m
		if d := haversine(52.52, 13.405, lat, lon); d < 300-80 {
			t.Fatalf("a point %.0f m from home survived trimming: %s", d, l)
		}
		if f[2] != prevHour {
			starts[f[0]+","+f[1]] = true
			prevHour = f[2]
		}
	}
	if len(starts) < 6 {
		t.Errorf("tracks begin at only %d distinct places: trimming is not random per track", len(starts))
	}
}

// Memory: the trimmer holds only the points near the newest one, not the
// whole track.
func TestTrimmerBuffersOnlyTheTail(t *testing.T) {
	tr := &trimmer{latCol: 0, lonCol: 1, min: 100, max: 100, rnd: newSampler(nil)}
	emitted := 0
	emit := func(*ownedRow) error { emitted++; return nil }
	if err := tr.begin(emit); err != nil {
		t.Fatal(err)
	}
	maxBuf := 0
	for i := 0; i < 20000; i++ { // a 200 km track, a point every 10 m
		lat := 52 + float64(i)*10/metresPerDegree
		row := []Value{{Kind: KindNumber, B: []byte(strconv.FormatFloat(lat, 'f', 7, 64))}, {Kind: KindNumber, B: []byte("13")}}
		if err := tr.push(row, int64(i+2), emit); err != nil {
			t.Fatal(err)
		}
		maxBuf = max(maxBuf, len(tr.buf)-tr.head)
	}
	if err := tr.finish(emit); err != nil {
		t.Fatal(err)
	}
	// points are held until one lies twice the end distance away: 200 m
	if maxBuf > 25 {
		t.Errorf("the trimmer held %d points for a 100 m end trim at 10 m spacing", maxBuf)
	}
	// 100 m at each end: about 10 points each
	if dropped := 20000 - emitted; dropped < 18 || dropped > 22 || int64(dropped) != tr.dropped {
		t.Errorf("dropped %d points (counted %d), want about 20", dropped, tr.dropped)
	}
}

// GPS jitter at the door (hundreds of points within a few metres) must
// not use up the trim: trimming is by distance from the track's ends, not
// by path length.
func TestTrimmingIgnoresJitterAtHome(t *testing.T) {
	const homeLat, homeLon = 52.5200, 13.4050
	var b strings.Builder
	b.WriteString("lat,lon,timestamp\n")
	t0 := time.Date(2024, 5, 1, 7, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(1, 1))
	n := 0
	point := func(dNorth, dEast float64) {
		lat := homeLat + dNorth/metresPerDegree
		lon := homeLon + dEast/(metresPerDegree*math.Cos(homeLat*math.Pi/180))
		fmt.Fprintf(&b, "%.6f,%.6f,%s\n", lat, lon, t0.Add(time.Duration(n)*time.Second).Format(time.RFC3339))
		n++
	}
	jitter := func() {
		for i := 0; i < 400; i++ { // 400 points within 5 m: 1-2 km of path
			point((r.Float64()-0.5)*10, (r.Float64()-0.5)*10)
		}
	}
	jitter()
	for i := 0; i <= 300; i++ {
		point(float64(i)*10, 0)
	}
	for i := 300; i >= 0; i-- {
		point(float64(i)*10, 5)
	}
	jitter()
	p := mustPolicy(t, `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"},"timestamp":{"action":"keep"}},
		"location":{"lat":"lat","lon":"lon","time":"timestamp","trim_min_m":300,"trim_max_m":600}}`)
	out, res := run(t, p, b.String(), FormatCSV, FormatCSV)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	if len(lines) == 0 {
		t.Fatal("everything was trimmed")
	}
	for _, l := range lines {
		f := strings.Split(l, ",")
		lat, _ := strconv.ParseFloat(f[0], 64)
		lon, _ := strconv.ParseFloat(f[1], 64)
		// the trim is measured from the first and last points, which
		// jitter up to 7 m around home
		if d := haversine(homeLat, homeLon, lat, lon); d < 300-8 {
			t.Fatalf("a point %.0f m from home survived: %s", d, l)
		}
	}
	if res.Report.Location.TrimmedPoints < 800 {
		t.Errorf("trimmed %d points; the jitter alone is 800", res.Report.Location.TrimmedPoints)
	}
}

// A policy's release limits keep a too identifying product back: no output
// file, ErrTooIdentifying, and the report that says why.
func TestReleaseLimitsKeepProductBack(t *testing.T) {
	dir := t.TempDir()
	in := dir + "/tracks.csv"
	writeFile(t, in, runningTracks(6))
	out := dir + "/out.csv"
	p := mustPolicy(t, `{"fields":{"lat":{"action":"round","precision":3},"lon":{"action":"round","precision":3},"timestamp":{"action":"keep"},"activity":{"action":"keep"}},
		"release":{"min_home_error_m":500,"max_unique_share":0.5}}`)
	res, err := ApplyFile(context.Background(), p, in, out, Options{})
	if !errors.Is(err, ErrTooIdentifying) {
		t.Fatalf("err = %v, want ErrTooIdentifying", err)
	}
	if res == nil || res.Report == nil {
		t.Fatal("no report with the refusal")
	}
	for _, w := range []string{"home inference lands", "unique on"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%q does not say %q", err, w)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a refused product left files: %v", entries)
	}
	// trimming and coarser timestamps meet the same limits
	p = mustPolicy(t, `{"fields":{"lat":{"action":"round","precision":3},"lon":{"action":"round","precision":3},"timestamp":{"action":"round","unit":"day"},"activity":{"action":"keep"}},
		"location":{"lat":"lat","lon":"lon","time":"timestamp","trim_min_m":800,"trim_max_m":1500},
		"release":{"min_home_error_m":500,"max_unique_share":0.5}}`)
	if _, err := ApplyFile(context.Background(), p, in, out, Options{}); err != nil {
		t.Fatalf("a trimmed, coarsened product was refused: %v", err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the released product is missing: %v", err)
	}
	if _, err := ParsePolicy(strings.NewReader(`{"fields":{},"release":{"max_unique_share":2}}`)); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("max_unique_share 2: err = %v", err)
	}
}
