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

// trimmer drops the first and last stretch of every track, each of a
// length drawn uniformly from [min, max] metres anew per track end, so
// that tracks neither begin nor end at the owner's door. Only the points
// within the end's trim length of the newest point are buffered, so
// memory does not grow with the track.
type trimmer struct {
	latCol, lonCol int
	min, max       uint64
	rnd            *sampler

	startLeft float64 // metres still to drop at this track's start
	endLen    float64
	buf       []ownedRow // points not yet known to be outside the end trim
	head      int
	pathTail  float64 // path length from buf[head] to the newest point
	prev      ownedRow
	havePrev  bool
	dropped   int64
	free      []ownedRow
}

func (t *trimmer) draw() float64 {
	return float64(t.min + t.rnd.uniform(t.max-t.min+1))
}

// begin ends the current track (emitting what survives its end trim) and
// starts a new one with fresh random trim lengths.
func (t *trimmer) begin(emit func(*ownedRow) error) error {
	if err := t.finish(emit); err != nil {
		return err
	}
	t.startLeft = t.draw()
	t.endLen = t.draw()
	return nil
}

// finish ends the current track: buffered points within the end trim are
// dropped.
func (t *trimmer) finish(emit func(*ownedRow) error) error {
	if err := t.drain(emit, true); err != nil {
		return err
	}
	t.dropped += int64(len(t.buf) - t.head)
	for i := t.head; i < len(t.buf); i++ {
		t.free = append(t.free, t.buf[i])
	}
	t.buf = t.buf[:0]
	t.head = 0
	t.pathTail = 0
	t.havePrev = false
	return nil
}

// drain emits front points whose path to the newest point is at least the
// end trim length: whatever follows, they survive. At the track's end
// (final) the newest point itself may qualify (a zero trim length).
func (t *trimmer) drain(emit func(*ownedRow) error, final bool) error {
	for len(t.buf)-t.head > 1 || final && len(t.buf)-t.head == 1 {
		if t.pathTail < t.endLen {
			return nil
		}
		front := &t.buf[t.head]
		d := 0.0
		if t.head+1 < len(t.buf) {
			next := &t.buf[t.head+1]
			if front.ok && next.ok {
				d = haversine(front.lat, front.lon, next.lat, next.lon)
			}
		}
		if err := emit(front); err != nil {
			return err
		}
		t.free = append(t.free, *front)
		t.head++
		t.pathTail -= d
	}
	if t.head > 1024 && t.head*2 > len(t.buf) {
		n := copy(t.buf, t.buf[t.head:])
		t.buf = t.buf[:n]
		t.head = 0
	}
	return nil
}

// push adds a point of the current track and emits, in order, the points
// that are now certain to survive trimming.
func (t *trimmer) push(row []Value, line int64, emit func(*ownedRow) error) error {
	lat, ok1 := parseNumber(row[t.latCol].B)
	lon, ok2 := parseNumber(row[t.lonCol].B)
	ok := ok1 && ok2
	step := 0.0
	if ok && t.havePrev && t.prev.ok {
		step = haversine(t.prev.lat, t.prev.lon, lat, lon)
	}
	t.prev.lat, t.prev.lon, t.prev.ok = lat, lon, ok
	t.havePrev = true
	if t.startLeft > 0 {
		t.startLeft -= step
		if t.startLeft > 0 {
			t.dropped++
			return nil
		}
	}
	var r ownedRow
	if n := len(t.free); n > 0 {
		r = t.free[n-1]
		t.free = t.free[:n-1]
	}
	copyRow(&r, row, line)
	r.lat, r.lon, r.ok = lat, lon, ok
	if len(t.buf) > t.head {
		t.pathTail += step
	}
	t.buf = append(t.buf, r)
	return t.drain(emit, false)
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
