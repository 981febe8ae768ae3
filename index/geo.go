package index

import (
	"math"

	"github.com/sovereign-marketplace/market/listing"
)

// GeoPoint is a WGS 84 position in degrees.
type GeoPoint struct {
	Lat float64
	Lon float64
}

// DistanceKm is the great-circle (haversine) distance between two points
// given in degrees (listing.DistanceKm, which relays' perimeters use too).
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	return listing.DistanceKm(lat1, lon1, lat2, lon2)
}

// bbox is a latitude/longitude box; when it crosses the antimeridian
// MinLon > MaxLon.
type bbox struct{ minLat, maxLat, minLon, maxLon float64 }

// circleBox returns a box that contains every point within radiusKm of p.
func circleBox(p GeoPoint, radiusKm float64) bbox {
	dLat := radiusKm / 111.195
	b := bbox{minLat: p.Lat - dLat, maxLat: p.Lat + dLat}
	if b.minLat <= -90 || b.maxLat >= 90 {
		// The circle reaches a pole: every longitude is in reach.
		return bbox{minLat: math.Max(b.minLat, -90), maxLat: math.Min(b.maxLat, 90), minLon: -180, maxLon: 180}
	}
	maxAbsLat := math.Max(math.Abs(b.minLat), math.Abs(b.maxLat))
	dLon := radiusKm / (111.195 * math.Cos(maxAbsLat*math.Pi/180))
	if dLon >= 180 {
		b.minLon, b.maxLon = -180, 180
		return b
	}
	b.minLon, b.maxLon = p.Lon-dLon, p.Lon+dLon
	if b.minLon < -180 {
		b.minLon += 360
	}
	if b.maxLon > 180 {
		b.maxLon -= 360
	}
	return b
}

func (b bbox) contains(lat, lon float64) bool {
	if lat < b.minLat || lat > b.maxLat {
		return false
	}
	if b.minLon <= b.maxLon {
		return lon >= b.minLon && lon <= b.maxLon
	}
	return lon >= b.minLon || lon <= b.maxLon
}

// grid holds the located records by cell of one degree of latitude and
// longitude, so that a radius query without text reads the cells its box
// covers instead of every located listing. Each entry keeps the point,
// so that most entries outside the radius are dropped without reading
// their record.
type grid struct {
	cells map[int32][]geoEntry
}

// geoEntry is one located record in its cell.
type geoEntry struct {
	lat, lon float64
	r        *rec
}

// cellOf returns the number of the cell of a point.
func cellOf(lat, lon float64) int32 {
	return cellAt(int(math.Floor(lat)), int(math.Floor(lon)))
}

// cellAt is the number of the cell whose south-west corner is at whole
// degrees lat, lon (clamped to the map: 90 and 180 fall in the last row
// and column).
func cellAt(lat, lon int) int32 {
	lat, lon = min(max(lat, -90), 89), min(max(lon, -180), 179)
	return int32((lat+90)*360 + lon + 180)
}

func (g *grid) add(r *rec) {
	if g.cells == nil {
		g.cells = map[int32][]geoEntry{}
	}
	c := cellOf(r.lat, r.lon)
	r.lpos = len(g.cells[c])
	g.cells[c] = append(g.cells[c], geoEntry{lat: r.lat, lon: r.lon, r: r})
}

func (g *grid) remove(r *rec) {
	c := cellOf(r.lat, r.lon)
	es := g.cells[c]
	last := len(es) - 1
	es[r.lpos] = es[last]
	es[r.lpos].r.lpos = r.lpos
	es[last] = geoEntry{}
	if last == 0 {
		delete(g.cells, c)
		return
	}
	g.cells[c] = es[:last]
}

// within calls fn with each entry whose point is in b.
func (g *grid) within(b bbox, fn func(e *geoEntry)) {
	visit := func(es []geoEntry) {
		for i := range es {
			if b.contains(es[i].lat, es[i].lon) {
				fn(&es[i])
			}
		}
	}
	// Cell ranges clamped to the map, so that no cell is named twice: 90
	// and 180 fall in the last row and column, and the two column ranges
	// of a box across the antimeridian never overlap.
	lat0, lat1 := max(int(math.Floor(b.minLat)), -90), min(int(math.Floor(b.maxLat)), 89)
	lon0, lon1 := max(int(math.Floor(b.minLon)), -180), min(int(math.Floor(b.maxLon)), 179)
	lons := [][2]int{{lon0, lon1}}
	if b.minLon > b.maxLon {
		lons = [][2]int{{lon0, 179}, {-180, min(lon1, lon0-1)}}
	}
	n := 0
	for _, lr := range lons {
		n += (lat1 - lat0 + 1) * (lr[1] - lr[0] + 1)
	}
	if n > len(g.cells) {
		// A box wider than the cells in use: read the cells instead.
		for _, es := range g.cells {
			visit(es)
		}
		return
	}
	for lat := lat0; lat <= lat1; lat++ {
		for _, lr := range lons {
			for lon := lr[0]; lon <= lr[1]; lon++ {
				visit(g.cells[cellAt(lat, lon)])
			}
		}
	}
}

const (
	geohashBase32 = "0123456789bcdefghjkmnpqrstuvwxyz"
	// maxCellPrecision is the finest geohash length indexed (about 1.2 km
	// by 0.6 km cells).
	maxCellPrecision = 6
	// maxCoverCells bounds how many cells a radius query asks for.
	maxCoverCells = 24
)

// geohash encodes a point at the given precision.
func geohash(lat, lon float64, precision int) string {
	latLo, latHi, lonLo, lonHi := -90.0, 90.0, -180.0, 180.0
	out := make([]byte, precision)
	bit, ch, even := 0, 0, true
	for i := 0; i < precision; {
		if even {
			mid := (lonLo + lonHi) / 2
			if lon >= mid {
				ch = ch<<1 | 1
				lonLo = mid
			} else {
				ch <<= 1
				lonHi = mid
			}
		} else {
			mid := (latLo + latHi) / 2
			if lat >= mid {
				ch = ch<<1 | 1
				latLo = mid
			} else {
				ch <<= 1
				latHi = mid
			}
		}
		even = !even
		if bit++; bit == 5 {
			out[i] = geohashBase32[ch]
			i, bit, ch = i+1, 0, 0
		}
	}
	return string(out)
}

// geoCells returns the geohash cells of a point at every precision up to
// maxCellPrecision: the terms a radius query's prefilter matches.
func geoCells(lat, lon float64) []string {
	h := geohash(lat, lon, maxCellPrecision)
	out := make([]string, maxCellPrecision)
	for p := 1; p <= maxCellPrecision; p++ {
		out[p-1] = h[:p]
	}
	return out
}

// cellSize returns the width and height in degrees of a geohash cell.
func cellSize(precision int) (w, h float64) {
	bits := 5 * precision
	lonBits := (bits + 1) / 2
	latBits := bits / 2
	return 360 / math.Pow(2, float64(lonBits)), 180 / math.Pow(2, float64(latBits))
}

// coverCells returns geohash cells, all of one precision, whose union
// contains the box: the finest precision that needs at most maxCoverCells.
func coverCells(b bbox) []string {
	lonSpan := b.maxLon - b.minLon
	if lonSpan < 0 {
		lonSpan += 360
	}
	latSpan := b.maxLat - b.minLat
	for p := maxCellPrecision; p >= 1; p-- {
		w, h := cellSize(p)
		n := (math.Floor(lonSpan/w) + 2) * (math.Floor(latSpan/h) + 2)
		if n > maxCoverCells && p > 1 {
			continue
		}
		seen := map[string]bool{}
		var out []string
		add := func(lat, lon float64) {
			lat = math.Max(-90, math.Min(90, lat))
			for lon > 180 {
				lon -= 360
			}
			c := geohash(lat, lon, p)
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		for lat := b.minLat; ; lat += h {
			last := lat >= b.maxLat
			if last {
				lat = b.maxLat
			}
			for dl := 0.0; ; dl += w {
				lastLon := dl >= lonSpan
				if lastLon {
					dl = lonSpan
				}
				add(lat, b.minLon+dl)
				if lastLon {
					break
				}
			}
			if last {
				break
			}
		}
		return out
	}
	return nil
}
