package privacy

import (
	"math"
	"time"
)

// haversine returns the great-circle distance in metres.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp := p2 - p1
	dl := (lon2 - lon1) * math.Pi / 180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// tracker splits a stream of points into tracks: a new track begins when
// the track field changes or when the time gap exceeds the limit.
type tracker struct {
	trackCol, timeCol int // -1 when absent
	gap               time.Duration
	lastKey           []byte
	lastTime          time.Time
	lastText          []byte
	started           bool
	n                 int64 // tracks seen
}

func newTracker(cols []string, l *LocationConfig) *tracker {
	t := &tracker{trackCol: -1, timeCol: -1, gap: time.Duration(l.TrackGapMinutes * float64(time.Minute))}
	for i, c := range cols {
		if c == l.Track && l.Track != "" {
			t.trackCol = i
		}
		if c == l.Time && l.Time != "" {
			t.timeCol = i
		}
	}
	return t
}

// next reports whether row begins a new track.
func (t *tracker) next(row []Value) bool {
	isNew := !t.started
	t.started = true
	if t.trackCol >= 0 {
		k := row[t.trackCol].B
		if string(k) != string(t.lastKey) {
			isNew = true
		}
		t.lastKey = append(t.lastKey[:0], k...)
	}
	if t.timeCol >= 0 {
		b := row[t.timeCol].B
		// Same minute as the last point, same layout, and not earlier:
		// no gap can be hidden there, so skip parsing.
		if len(b) >= 17 && len(b) == len(t.lastText) && string(b[:16]) == string(t.lastText[:16]) && string(b) >= string(t.lastText) {
			t.lastText = append(t.lastText[:0], b...)
			if isNew {
				t.n++
			}
			return isNew
		}
		t.lastText = append(t.lastText[:0], b...)
		if ts, ok := parseTimestamp(b); ok {
			if !t.lastTime.IsZero() && (ts.Sub(t.lastTime) > t.gap || ts.Before(t.lastTime)) {
				isNew = true
			}
			t.lastTime = ts
		}
	}
	if isNew {
		t.n++
	}
	return isNew
}

// ownedRow is a copy of a row that outlives the reader's buffers.
type ownedRow struct {
	vals []Value
	data []byte
	line int64
	lat  float64
	lon  float64
	ok   bool // lat and lon parsed
}

func copyRow(dst *ownedRow, row []Value, line int64) {
	buf := dst.data[:0]
	if cap(dst.vals) < len(row) {
		dst.vals = make([]Value, len(row))
	}
	dst.vals = dst.vals[:len(row)]
	for i, v := range row {
		s := len(buf)
		buf = append(buf, v.B...)
		dst.vals[i] = Value{Kind: v.Kind, B: buf[s:len(buf):len(buf)]}
	}
	// the values point into buf; if buf grew, earlier slices still point
	// into the old array, which stays valid
	dst.data = buf
	dst.line = line
}

// trimmer cuts the start and the end of every track: it drops the first
// points until the track is more than a random distance (drawn anew per
// track end, uniformly between min and max metres) from where it began,
// and the last points that all lie within another such distance of where
// it ended. The distances are straight lines, not path lengths, so GPS
// jitter while standing at the door does not use up the trim, and the
// track does not end on a fixed circle whose centre could be recovered.
//
// The end is not known until the track ends, so points are held until a
// later point lies more than twice the end distance from them (then they
// cannot belong to the final stretch). Memory is bounded: beyond
// maxHeldPoints the oldest held point is dropped, which only trims more.
type trimmer struct {
	latCol, lonCol int
	min, max       uint64
	rnd            *sampler

	startR, endR float64
	starting     bool // still dropping the start
	first        [2]float64
	haveFirst    bool
	buf          []ownedRow // held points: buf[head:]
	head         int
	dropped      int64
	free         []ownedRow
}

// maxHeldPoints bounds the points held while a track lingers in one place
// (an hour of standing still at one point a second is 3,600).
const maxHeldPoints = 50000

func (t *trimmer) draw() float64 {
	return float64(t.min + t.rnd.uniform(t.max-t.min+1))
}

// begin ends the current track (emitting what survives its end trim) and
// starts a new one with fresh random trim distances.
func (t *trimmer) begin(emit func(*ownedRow) error) error {
	if err := t.finish(emit); err != nil {
		return err
	}
	t.startR, t.endR = t.draw(), t.draw()
	t.starting, t.haveFirst = true, false
	return nil
}

// finish ends the current track: the held points from the last one that
// is at least the end distance from the track's final point onwards are
// dropped; the ones before are emitted.
func (t *trimmer) finish(emit func(*ownedRow) error) error {
	if t.head < len(t.buf) {
		last := &t.buf[len(t.buf)-1]
		k := len(t.buf) - 1
		for k >= t.head && (!t.buf[k].ok || !last.ok || haversine(t.buf[k].lat, t.buf[k].lon, last.lat, last.lon) < t.endR) {
			k--
		}
		for i := t.head; i <= k; i++ {
			if err := emit(&t.buf[i]); err != nil {
				return err
			}
		}
		t.dropped += int64(len(t.buf) - 1 - k)
	}
	t.free = append(t.free, t.buf[t.head:]...) // those before head are free already
	t.buf = t.buf[:0]
	t.head = 0
	return nil
}

// push adds a point of the current track and emits, in order, the points
// that are now certain to survive trimming.
func (t *trimmer) push(row []Value, line int64, emit func(*ownedRow) error) error {
	lat, ok1 := parseNumber(row[t.latCol].B)
	lon, ok2 := parseNumber(row[t.lonCol].B)
	ok := ok1 && ok2
	if t.starting {
		if !t.haveFirst && ok {
			t.first, t.haveFirst = [2]float64{lat, lon}, true
		}
		if !ok || !t.haveFirst || haversine(t.first[0], t.first[1], lat, lon) < t.startR {
			t.dropped++
			return nil
		}
		t.starting = false
	}
	var r ownedRow
	if n := len(t.free); n > 0 {
		r = t.free[n-1]
		t.free = t.free[:n-1]
	}
	copyRow(&r, row, line)
	r.lat, r.lon, r.ok = lat, lon, ok
	t.buf = append(t.buf, r)
	newest := &t.buf[len(t.buf)-1]
	for t.head < len(t.buf)-1 {
		front := &t.buf[t.head]
		far := front.ok && newest.ok && haversine(front.lat, front.lon, newest.lat, newest.lon) > 2*t.endR
		if far {
			if err := emit(front); err != nil {
				return err
			}
		} else if len(t.buf)-t.head > maxHeldPoints {
			t.dropped++ // too long in one place: dropping only trims more
		} else {
			break
		}
		t.free = append(t.free, *front)
		t.head++
	}
	if t.head > 1024 && t.head*2 > len(t.buf) {
		n := copy(t.buf, t.buf[t.head:])
		t.buf = t.buf[:n]
		t.head = 0
	}
	return nil
}

// homeCounter finds the most frequent place among track endpoints on a
// grid of about 100 m, and the mean of the points in that cell.
type homeCounter struct {
	cells map[[2]int32]*cellStat
}

type cellStat struct {
	n              int
	sumLat, sumLon float64
}

func (h *homeCounter) add(lat, lon float64, cell float64) {
	if h.cells == nil {
		h.cells = map[[2]int32]*cellStat{}
	}
	k := [2]int32{int32(math.Floor(lat / cell)), int32(math.Floor(lon / cell))}
	s := h.cells[k]
	if s == nil {
		if len(h.cells) > 1<<20 {
			return // bounded: a million distinct endpoint cells is no home
		}
		s = &cellStat{}
		h.cells[k] = s
	}
	s.n++
	s.sumLat += lat
	s.sumLon += lon
}

// mode returns the centroid of the busiest cell, ties broken by the
// smaller cell key so that the result is deterministic.
func (h *homeCounter) mode() (lat, lon float64, n int, ok bool) {
	var best [2]int32
	var bs *cellStat
	for k, s := range h.cells {
		if bs == nil || s.n > bs.n || s.n == bs.n && (k[0] < best[0] || k[0] == best[0] && k[1] < best[1]) {
			best, bs = k, s
		}
	}
	if bs == nil {
		return 0, 0, 0, false
	}
	return bs.sumLat / float64(bs.n), bs.sumLon / float64(bs.n), bs.n, true
}
