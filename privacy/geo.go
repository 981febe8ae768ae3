package privacy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
)

// citiesTSV is the SimpleMaps World Cities Database (basic edition,
// CC BY 4.0, "World Cities Database by SimpleMaps.com"), reduced; see
// geodata/README.md.
//
//go:embed geodata/cities.tsv.gz
var citiesTSV []byte

type city struct {
	lat, lon        float64
	region, country string
}

// gazetteer answers "which region is this city or point in". It is built
// once, on first use, from the embedded data.
type gazetteer struct {
	cities []city
	byName map[string]int32     // lower-case name -> most populous city of that name
	region map[string]int32     // lower-case region -> its most populous city
	grid   map[[2]int16][]int32 // 1-degree cells -> cities in them
}

var (
	gazOnce sync.Once
	gaz     *gazetteer
)

func loadGazetteer() *gazetteer {
	gazOnce.Do(func() {
		g := &gazetteer{byName: map[string]int32{}, region: map[string]int32{}, grid: map[[2]int16][]int32{}}
		zr, err := gzip.NewReader(bytes.NewReader(citiesTSV))
		if err != nil {
			panic("privacy: embedded city data is corrupt: " + err.Error())
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\t")
			if len(f) != 7 {
				continue
			}
			lat, err1 := strconv.ParseFloat(f[2], 64)
			lon, err2 := strconv.ParseFloat(f[3], 64)
			if err1 != nil || err2 != nil {
				continue
			}
			region := f[4]
			if region == "" {
				region = f[5]
			}
			i := int32(len(g.cities))
			g.cities = append(g.cities, city{lat: lat, lon: lon, region: region, country: f[5]})
			for _, name := range []string{f[0], f[1]} {
				k := strings.ToLower(name)
				if _, dup := g.byName[k]; !dup && k != "" {
					g.byName[k] = i // the file is sorted by population
				}
			}
			if _, seen := g.region[strings.ToLower(region)]; !seen {
				g.region[strings.ToLower(region)] = i // the most populous city comes first
			}
			cell := gridCell(lat, lon)
			g.grid[cell] = append(g.grid[cell], i)
		}
		gaz = g
	})
	return gaz
}

func gridCell(lat, lon float64) [2]int16 {
	return [2]int16{int16(math.Floor(lat)), int16(math.Floor(lon))}
}

// maxCityDistance: a point farther than this from every known town is
// not placed in any region (the open sea, the poles).
const maxCityDistance = 150_000.0

// nearest finds the closest city to a point, searching rings of 1-degree
// cells outwards.
func (g *gazetteer) nearest(lat, lon float64) (int32, bool) {
	c := gridCell(lat, lon)
	best, bestD := int32(-1), math.Inf(1)
	for ring := int16(0); ring <= 3; ring++ {
		for dy := -ring; dy <= ring; dy++ {
			for dx := -ring; dx <= ring; dx++ {
				if max(abs16(dx), abs16(dy)) != ring {
					continue
				}
				lonCell := (int(c[1])+int(dx)+180+360)%360 - 180
				for _, i := range g.grid[[2]int16{c[0] + dy, int16(lonCell)}] {
					ct := &g.cities[i]
					if d := haversine(lat, lon, ct.lat, ct.lon); d < bestD {
						best, bestD = i, d
					}
				}
			}
		}
		// a city found within this ring may still be beaten by one in the
		// next ring only if it is farther than the ring's inner width
		if best >= 0 && bestD < float64(ring)*111_000*math.Max(0.1, math.Cos(lat*math.Pi/180)) {
			break
		}
	}
	return best, best >= 0 && bestD <= maxCityDistance
}

func abs16(x int16) int16 {
	if x < 0 {
		return -x
	}
	return x
}

// geoGeneralize maps a city name, a region name or a "lat,lon" pair to
// its region or country (city -> region -> country).
func geoGeneralize(b []byte, level string) (string, bool) {
	g := loadGazetteer()
	var i int32
	var ok bool
	if lat, lon, isPoint := parsePoint(b); isPoint {
		i, ok = g.nearest(lat, lon)
	} else {
		name := strings.ToLower(strings.TrimSpace(string(b)))
		if i, ok = g.byName[name]; !ok {
			// a region's name: itself at region level, its country above
			i, ok = g.region[name]
		}
	}
	if !ok {
		return "", false
	}
	if level == "country" {
		return g.cities[i].country, true
	}
	return g.cities[i].region, true
}

// parsePoint reads "lat,lon" or "lat lon".
func parsePoint(b []byte) (lat, lon float64, ok bool) {
	k := bytes.IndexAny(b, ", ")
	if k <= 0 {
		return 0, 0, false
	}
	lat, ok1 := parseNumber(bytes.TrimSpace(b[:k]))
	lon, ok2 := parseNumber(bytes.TrimSpace(b[k+1:]))
	if !ok1 || !ok2 || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}
