package privacy

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
)

// engine is a policy compiled against the data's columns and types.
type engine struct {
	policy *Policy
	cols   []string
	types  []Type
	ops    []*fieldOp
	schema Schema
	rnd    *sampler

	unkeyed  []string // fields hashed without a key
	dpFields []string // mechanisms that share epsilon
	dpEps    ratio    // epsilon per mechanism
	geo      *geoDP
	out      []Value
	arena    []byte
	pairBuf  []byte
}

// geoDP displaces the point (lat, lon columns) with planar Laplace noise.
type geoDP struct {
	lat, lon int
	eps      ratio // per metre
	buf      []byte
}

func compile(p *Policy, cols []string, types []Type, key []byte, rnd *sampler) (*engine, error) {
	e := &engine{policy: p, cols: cols, types: types, rnd: rnd}
	colIndex := map[string]int{}
	for i, c := range cols {
		colIndex[c] = i
	}
	dp := p.DifferentialPrivacy.Enabled
	// Count the mechanisms that split epsilon.
	var mech []string
	if dp {
		if l := p.Location; l != nil {
			mech = append(mech, l.Lat+"+"+l.Lon)
		}
		for i, c := range cols {
			r := p.Fields[c]
			if l := p.Location; l != nil && (c == l.Lat || c == l.Lon) {
				continue
			}
			if len(r.Categories) > 0 {
				mech = append(mech, c)
			} else if r.numericDP() && (types[i] == TypeNumber || types[i] == TypeInteger) {
				if len(r.Bounds) != 2 {
					return nil, policyErr(c, "differential privacy is enabled and this numeric field is %s: it needs \"bounds\": [lo, hi] to clamp to, or another action", r.Action)
				}
				mech = append(mech, c)
			}
		}
		if len(mech) > 0 {
			eps, err := epsilonRatio(p.DifferentialPrivacy.eps)
			if err != nil {
				return nil, policyErr("differential_privacy.epsilon", "%v", err)
			}
			eps.den *= uint64(len(mech))
			e.dpEps = eps
		}
		e.dpFields = mech
	}
	if dp && p.Location != nil {
		r := p.DifferentialPrivacy.GeoRadiusM
		// epsilon per metre = eps/R; keep it a fraction on whole metres
		rm := uint64(math.Max(1, math.Round(r)))
		e.geo = &geoDP{lat: colIndex[p.Location.Lat], lon: colIndex[p.Location.Lon],
			eps: ratio{e.dpEps.num, e.dpEps.den * rm}}
		for _, c := range []string{p.Location.Lat, p.Location.Lon} {
			if t := types[colIndex[c]]; t != TypeNumber && t != TypeInteger {
				return nil, policyErr(c, "is a location coordinate but holds %s, not numbers", t)
			}
		}
	}
	for i, c := range cols {
		r := p.Fields[c]
		if r.Action == ActionRemove {
			continue
		}
		op, err := e.compileOp(c, i, r, types[i], key, dp)
		if err != nil {
			return nil, err
		}
		e.ops = append(e.ops, op)
		e.schema = append(e.schema, Column{Name: c, Type: op.outType, Nullable: r.Action != ActionSuppress})
	}
	e.out = make([]Value, len(e.ops))
	return e, nil
}

func (e *engine) compileOp(name string, in int, r *Rule, t Type, key []byte, dp bool) (*fieldOp, error) {
	op := &fieldOp{name: name, in: in, rule: r, inType: t, outType: TypeString, pair: -1}
	isNum := t == TypeNumber || t == TypeInteger
	isGeo := e.geo != nil && (in == e.geo.lat || in == e.geo.lon)
	if isGeo {
		op.dpCovered = true
		op.dpNote = fmt.Sprintf("planar Laplace, epsilon %s per %g m", ratioString(ratio{e.dpEps.num, e.dpEps.den}), e.policy.DifferentialPrivacy.GeoRadiusM)
	}
	// Randomized response for categories.
	if dp && len(r.Categories) > 0 {
		index := map[string]int{}
		for i, c := range r.Categories {
			index[c] = i
		}
		var g *generalizer
		if r.Action == ActionGeneralize {
			g = &generalizer{rule: r}
			op.gen = g
		}
		eps := e.dpEps
		op.dpCovered = true
		op.dpNote = "randomized response over " + strconv.Itoa(len(r.Categories)) + " categories, epsilon " + ratioString(eps)
		var scratch []byte
		op.apply = func(v Value, dst []byte) (Value, []byte, error) {
			if v.Kind == KindNull {
				return v, dst, nil
			}
			b := v.B
			if g != nil {
				var err error
				scratch, err = g.apply(scratch[:0], v)
				if err != nil {
					return v, dst, err
				}
				b = scratch
			}
			truth, ok := index[str(b)]
			if !ok {
				return v, dst, fmt.Errorf("%q is not one of the declared categories", b)
			}
			c := e.rnd.randomizedResponse(truth, len(r.Categories), eps)
			s := len(dst)
			dst = append(dst, r.Categories[c]...)
			return Value{Kind: KindString, B: dst[s:]}, dst, nil
		}
		return op, nil
	}
	switch r.Action {
	case ActionKeep:
		op.outType = t
		if dp && isNum && len(r.Bounds) == 2 {
			return e.numericDPOp(op, r, -1)
		}
		op.apply = func(v Value, dst []byte) (Value, []byte, error) { return checkType(t, v, dst) }
		if t == TypeTimestamp {
			op.apply = keepTimestamps()
		}
	case ActionSuppress:
		ph := []byte(*r.Placeholder)
		plain := isPlain(ph)
		op.apply = func(v Value, dst []byte) (Value, []byte, error) {
			return Value{Kind: KindString, Plain: plain, B: ph}, dst, nil
		}
	case ActionHash:
		k := key
		if r.Keyed != nil && !*r.Keyed {
			k = nil
			e.unkeyed = append(e.unkeyed, name)
		} else if len(key) == 0 {
			return nil, policyErr(name, "a keyed hash needs the data product's secret key (none was given)")
		}
		op.apply = textOp(newHasher(k).hex)
		op.plain = true // hex digits
	case ActionRound:
		if r.Unit != "" {
			if t != TypeTimestamp {
				return nil, policyErr(name, "round with a unit needs timestamps, but the data holds %s", t)
			}
			op.outType = TypeTimestamp
			unit := r.Unit
			var lastIn, lastOut []byte
			op.apply = func(v Value, dst []byte) (Value, []byte, error) {
				if v.Kind == KindNull {
					return v, dst, nil
				}
				s := len(dst)
				if lastOut != nil && string(v.B) == string(lastIn) {
					dst = append(dst, lastOut...)
					return Value{Kind: KindString, Plain: true, B: dst[s:]}, dst, nil
				}
				ts, ok := parseTimestamp(v.B)
				if !ok {
					return v, dst, typeErr(TypeTimestamp, v)
				}
				dst = appendTimestamp(dst, truncateTime(ts, unit))
				lastIn = append(lastIn[:0], v.B...)
				lastOut = append(lastOut[:0], dst[s:]...)
				return Value{Kind: KindString, Plain: true, B: dst[s:]}, dst, nil
			}
			return op, nil
		}
		if !isNum {
			return nil, policyErr(name, "round with a precision needs numbers, but the data holds %s", t)
		}
		prec := *r.Precision
		op.outType = TypeNumber
		if prec == 0 {
			op.outType = TypeInteger
		}
		if dp && len(r.Bounds) == 2 && !isGeo {
			return e.numericDPOp(op, r, prec)
		}
		op.apply = func(v Value, dst []byte) (Value, []byte, error) {
			if v.Kind == KindNull {
				return v, dst, nil
			}
			s := len(dst)
			if out, ok := roundDecimal(dst, v.B, prec); ok {
				return Value{Kind: KindNumber, B: out[s:]}, out, nil
			}
			f, ok := parseNumber(v.B)
			if !ok {
				return v, dst, typeErr(TypeNumber, v)
			}
			dst = roundNumber(dst, f, prec)
			return Value{Kind: KindNumber, B: dst[s:]}, dst, nil
		}
	case ActionGeneralize:
		g := &generalizer{rule: r}
		op.gen = g
		op.pair = -1
		if r.LonField != "" {
			j := slices.Index(e.cols, r.LonField)
			if j < 0 {
				return nil, policyErr(name, "lon_field %q is not a field of the data", r.LonField)
			}
			if t := e.types[j]; t != TypeNumber && t != TypeInteger || !isNum {
				return nil, policyErr(name, "lon_field needs numbers in both %s and %s", name, r.LonField)
			}
			op.pair = j
		}
		op.apply = func(v Value, dst []byte) (Value, []byte, error) {
			if v.Kind == KindNull {
				return v, dst, nil
			}
			s := len(dst)
			dst, err := g.apply(dst, v)
			return Value{Kind: KindString, B: dst[s:]}, dst, err
		}
	case ActionPseudonymize:
		ps := &pseudonyms{prefix: r.Prefix, ids: map[string]int{}}
		op.apply = textOp(ps.label)
		if r.Stable {
			if len(key) == 0 {
				return nil, policyErr(name, "stable pseudonyms need the data product's secret key (none was given)")
			}
			op.apply = textOp(stableLabels(r.Prefix, key))
		}
	case ActionScrub:
		op.scrub = newScrubber(r.contacts)
		op.apply = textOp(op.scrub.scrub)
	default:
		return nil, policyErr(name, "action %q cannot be compiled", r.Action)
	}
	return op, nil
}

func (e *engine) numericDPOp(op *fieldOp, r *Rule, prec int) (*fieldOp, error) {
	lo, hi := r.Bounds[0], r.Bounds[1]
	if prec < 0 {
		if r.Precision != nil {
			prec = *r.Precision
		} else {
			prec = defaultDPPrecision(lo, hi)
		}
	}
	// sensitivity in grid units, plus one for rounding onto the grid
	d := math.Ceil((hi-lo)*math.Pow10(prec)) + 1
	if d > 1<<40 {
		return nil, policyErr(op.name, "bounds %v at precision %d make a range too wide for the noise sampler; lower the precision", r.Bounds, prec)
	}
	// scale = d / eps_field = d·den/num: num = d·den, den = num (as t/s);
	// t must leave room for t·V in the sampler
	hiBits, t := bits.Mul64(uint64(d), e.dpEps.den)
	if hiBits != 0 || t > 1<<56 {
		return nil, policyErr(op.name, "bounds %v at precision %d with this epsilon make a noise scale too large for the sampler; lower the precision", r.Bounds, prec)
	}
	n := &numericDP{lo: lo, hi: hi, prec: prec, rnd: e.rnd, scale: ratio{num: t, den: e.dpEps.num}}
	op.outType = TypeNumber
	if prec == 0 {
		op.outType = TypeInteger
	}
	op.dpCovered = true
	op.dpNote = fmt.Sprintf("clamped to [%g, %g], discrete Laplace on a grid of 1e-%d, epsilon %s", lo, hi, prec, ratioString(e.dpEps))
	op.apply = func(v Value, dst []byte) (Value, []byte, error) {
		if v.Kind == KindNull {
			return v, dst, nil
		}
		f, ok := parseNumber(v.B)
		if !ok {
			return v, dst, typeErr(TypeNumber, v)
		}
		s := len(dst)
		dst = n.noisy(dst, f)
		return Value{Kind: KindNumber, B: dst[s:]}, dst, nil
	}
	return op, nil
}

// textOp makes an op that writes f's text for every non-null value.
func textOp(f func(dst, b []byte) []byte) func(v Value, dst []byte) (Value, []byte, error) {
	return func(v Value, dst []byte) (Value, []byte, error) {
		if v.Kind == KindNull {
			return v, dst, nil
		}
		s := len(dst)
		dst = f(dst, v.B)
		return Value{Kind: KindString, B: dst[s:]}, dst, nil
	}
}

func ratioString(r ratio) string {
	if r.den == 0 {
		return "0"
	}
	f := float64(r.num) / float64(r.den)
	return strconv.FormatFloat(f, 'g', 6, 64)
}

// transform turns one input row into the output row. The returned values
// are valid until the next call.
func (e *engine) transform(in []Value, line int64) ([]Value, error) {
	e.arena = e.arena[:0]
	if e.geo != nil {
		if err := e.displace(in, line); err != nil {
			return nil, err
		}
	}
	for i, op := range e.ops {
		v := in[op.in]
		if op.pair >= 0 && v.Kind != KindNull && in[op.pair].Kind != KindNull {
			// a point in two columns: hand the hierarchy "lat,lon"
			e.pairBuf = append(append(append(e.pairBuf[:0], v.B...), ','), in[op.pair].B...)
			v = Value{Kind: KindString, B: e.pairBuf}
		}
		v, dst, err := op.apply(v, e.arena)
		if err != nil {
			return nil, &InputError{Line: line, Field: op.name, Problem: err.Error()}
		}
		if op.plain {
			v.Plain = true
		}
		e.arena = dst
		e.out[i] = v
	}
	if e.rnd.err != nil {
		return nil, e.rnd.err
	}
	return e.out, nil
}

// displace replaces the row's coordinates with planar-Laplace-noised ones,
// snapped to 1e-5 degrees (about a metre).
func (e *engine) displace(in []Value, line int64) error {
	g := e.geo
	if in[g.lat].Kind == KindNull || in[g.lon].Kind == KindNull {
		return nil
	}
	lat, ok1 := parseNumber(in[g.lat].B)
	lon, ok2 := parseNumber(in[g.lon].B)
	if !ok1 || !ok2 || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return &InputError{Line: line, Field: e.cols[g.lat], Problem: fmt.Sprintf("not a valid coordinate pair: %q, %q", in[g.lat].B, in[g.lon].B)}
	}
	dx, dy := e.rnd.planarLaplace(g.eps)
	nlat := lat + dy/metresPerDegree
	nlon := lon + dx/(metresPerDegree*math.Max(0.01, math.Cos(lat*math.Pi/180)))
	nlat = math.Max(-90, math.Min(90, nlat))
	nlon = math.Mod(nlon+540, 360) - 180
	g.buf = g.buf[:0]
	g.buf = strconv.AppendFloat(g.buf, math.Round(nlat*1e5)/1e5, 'f', 5, 64)
	mid := len(g.buf)
	g.buf = strconv.AppendFloat(g.buf, math.Round(nlon*1e5)/1e5, 'f', 5, 64)
	in[g.lat] = Value{Kind: KindNumber, B: g.buf[:mid:mid]}
	in[g.lon] = Value{Kind: KindNumber, B: g.buf[mid:]}
	return nil
}

const metresPerDegree = 111320.0

// keepTimestamps validates kept timestamps. Points come seconds apart, so
// a value in canonical form ("2024-05-01T07:03:09Z") that shares its
// minute with the last valid one only needs its seconds checked.
func keepTimestamps() func(v Value, dst []byte) (Value, []byte, error) {
	var last [16]byte
	have := false
	return func(v Value, dst []byte) (Value, []byte, error) {
		b := v.B
		if have && v.Kind == KindString && len(b) == 20 && string(b[:16]) == string(last[:]) &&
			b[16] == ':' && b[17] >= '0' && b[17] <= '5' && b[18] >= '0' && b[18] <= '9' && b[19] == 'Z' {
			return Value{Kind: KindString, Plain: true, B: b}, dst, nil
		}
		out, dst, err := checkType(TypeTimestamp, v, dst)
		if err == nil && len(b) == 20 && b[10] == 'T' && b[19] == 'Z' {
			copy(last[:], b[:16])
			have = true
		}
		return out, dst, err
	}
}
