package privacy

import (
	"fmt"
	"math"
	"strconv"
)

// unknownCategory replaces a value that a hierarchy does not know: passing
// it through would leak it.
const unknownCategory = "[UNKNOWN]"

// generalizer maps a value to its broader category.
type generalizer struct {
	rule    *Rule
	unknown int64 // values the hierarchy did not know
}

func (g *generalizer) apply(dst []byte, v Value) ([]byte, error) {
	r := g.rule
	switch r.Hierarchy {
	case "date":
		t, ok := parseTimestamp(v.B)
		if !ok {
			if len(v.B) == 10 { // a bare date
				t, ok = parseTimestamp(append(append([]byte{}, v.B...), "T00:00:00Z"...))
			}
			if !ok {
				return dst, fmt.Errorf("%w: expected a date or timestamp, got %q", errType, v.B)
			}
		}
		if r.levelText == "year" {
			return strconv.AppendInt(dst, int64(t.Year()), 10), nil
		}
		return t.AppendFormat(dst, "2006-01"), nil
	case "numeric":
		f, ok := parseNumber(v.B)
		if !ok {
			return dst, fmt.Errorf("%w: expected a number, got %q", errType, v.B)
		}
		w := *r.Width
		lo := math.Floor(f/w) * w
		dst = append(dst, '[')
		dst = strconv.AppendFloat(dst, lo, 'g', -1, 64)
		dst = append(dst, ',', ' ')
		dst = strconv.AppendFloat(dst, lo+w, 'g', -1, 64)
		return append(dst, ')'), nil
	case "table":
		cur := str(v.B)
		for step := 0; step < r.levelN; step++ {
			p, ok := r.table[cur]
			if !ok {
				if step == 0 {
					g.unknown++
					return append(dst, unknownCategory...), nil
				}
				break // the top of the hierarchy
			}
			cur = p
		}
		return append(dst, cur...), nil
	case "geo":
		name, ok := geoGeneralize(v.B, r.levelText)
		if !ok {
			g.unknown++
			return append(dst, unknownCategory...), nil
		}
		return append(dst, name...), nil
	}
	return dst, fmt.Errorf("unknown hierarchy %q", r.Hierarchy)
}
