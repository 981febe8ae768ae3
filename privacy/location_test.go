package privacy

import (
	"fmt"
	"math"
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
	if loc.HomeErrorM == nil || *loc.HomeErrorM < 300 {
		t.Errorf("with trimming the attack still lands %v m from home", loc.HomeErrorM)
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

// Memory: the trimmer holds only the points within the end trim of the
// newest point, not the whole track.
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
	if maxBuf > 15 {
		t.Errorf("the trimmer buffered %d points for a 100 m end trim at 10 m spacing", maxBuf)
	}
	// 100 m at each end: about 10 points each
	if dropped := 20000 - emitted; dropped < 18 || dropped > 22 || int64(dropped) != tr.dropped {
		t.Errorf("dropped %d points (counted %d), want about 20", dropped, tr.dropped)
	}
}
