package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"
	"strconv"
	"time"
)

// fieldOp is one output column: the compiled rule for one input field.
type fieldOp struct {
	name    string
	in      int // index of the input column
	rule    *Rule
	inType  Type
	outType Type
	// apply appends the output's bytes to dst and returns the value
	// (pointing into dst) and the grown dst.
	apply func(v Value, dst []byte) (Value, []byte, error)

	dpCovered bool   // noised under differential privacy
	dpNote    string // how, for the report

	plain bool         // every non-null output is plain (see Value.Plain)
	pair  int          // generalize geo: the longitude column, or -1
	gen   *generalizer // generalize: counts unknown values for the report
	scrub *scrubber    // scrub: counts replacements for the report
}

var errType = errors.New("wrong type")

func typeErr(want Type, v Value) error {
	b := v.B
	if len(b) > 40 {
		b = append(b[:37:37], "..."...)
	}
	return fmt.Errorf("%w: expected %s, got %q", errType, want, b)
}

// checkType validates v against the column type and returns it in the
// output form of that type (JSON number grammar, lower-case booleans,
// RFC 3339 timestamps).
func checkType(t Type, v Value, dst []byte) (Value, []byte, error) {
	if v.Kind == KindNull {
		return v, dst, nil
	}
	switch t {
	case TypeString:
		return Value{Kind: KindString, B: v.B}, dst, nil
	case TypeInteger:
		if !parseInteger(v.B) {
			return v, dst, typeErr(t, v)
		}
		return Value{Kind: KindNumber, B: v.B}, dst, nil
	case TypeNumber:
		if v.Kind == KindNumber || isJSONNumber(v.B) {
			return Value{Kind: KindNumber, B: v.B}, dst, nil
		}
		f, ok := parseNumber(v.B)
		if !ok {
			return v, dst, typeErr(t, v)
		}
		s := len(dst)
		dst = strconv.AppendFloat(dst, f, 'g', -1, 64)
		return Value{Kind: KindNumber, B: dst[s:]}, dst, nil
	case TypeBoolean:
		switch str(v.B) {
		case "true", "TRUE", "True":
			return Value{Kind: KindBool, B: trueBytes}, dst, nil
		case "false", "FALSE", "False":
			return Value{Kind: KindBool, B: falseBytes}, dst, nil
		}
		return v, dst, typeErr(t, v)
	case TypeTimestamp:
		if v.Kind != KindString {
			return v, dst, typeErr(t, v)
		}
		b := v.B
		if len(b) >= 20 && b[10] == 'T' && b[len(b)-1] == 'Z' {
			if _, ok := parseTimestamp(b); ok {
				return Value{Kind: KindString, Plain: true, B: b}, dst, nil
			}
		}
		ts, ok := parseTimestamp(b)
		if !ok {
			return v, dst, typeErr(t, v)
		}
		s := len(dst)
		dst = appendTimestamp(dst, ts)
		return Value{Kind: KindString, Plain: true, B: dst[s:]}, dst, nil
	}
	return v, dst, nil
}

var (
	trueBytes  = []byte("true")
	falseBytes = []byte("false")
)

// looksLikeCode reports digits that are not meant as a number: a leading
// zero ("00123", a postcode) or a plus sign (a phone number). Read as
// numbers they would lose their zeros or their sign.
func looksLikeCode(b []byte) bool {
	if len(b) > 0 && b[0] == '+' {
		return true
	}
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	return len(b) > 1 && b[0] == '0' && b[1] >= '0' && b[1] <= '9'
}

// inferType decides a column's type from sample values: integer, number,
// boolean, timestamp, or string when values disagree.
func inferType(vals []Value) Type {
	var isInt, isNum, isBool, isTime, any = true, true, true, true, false
	for _, v := range vals {
		if v.Kind == KindNull {
			continue
		}
		any = true
		switch v.Kind {
		case KindNumber:
			isBool, isTime = false, false
			if !parseInteger(v.B) {
				isInt = false
			}
			continue
		case KindBool:
			isInt, isNum, isTime = false, false, false
			continue
		}
		if (isInt || isNum) && looksLikeCode(v.B) {
			isInt, isNum = false, false // "00123", "+4930...": identifiers, not numbers
		}
		if isInt && !parseInteger(v.B) {
			isInt = false
		}
		if isNum {
			if _, ok := parseNumber(v.B); !ok {
				isNum = false
			}
		}
		if isBool {
			switch str(v.B) {
			case "true", "false", "TRUE", "FALSE", "True", "False":
			default:
				isBool = false
			}
		}
		if isTime {
			if _, ok := parseTimestamp(v.B); !ok {
				isTime = false
			}
		}
		if !isInt && !isNum && !isBool && !isTime {
			return TypeString
		}
	}
	switch {
	case !any:
		return "" // no values to tell: resolved from the field's rule
	case isInt:
		return TypeInteger
	case isNum:
		return TypeNumber
	case isBool:
		return TypeBoolean
	case isTime:
		return TypeTimestamp
	}
	return TypeString
}

// hasher computes keyed (HMAC-SHA256) or plain SHA-256 digests in hex,
// remembering recent values: identifiers repeat (one device id on half a
// million points), and a digest costs about 400 ns.
type hasher struct {
	mac  hash.Hash
	sum  []byte
	memo map[string][64]byte

	lastIn   []byte // the previous value and its digest: ids repeat row after row
	last     [64]byte
	haveLast bool
}

const memoLimit = 1 << 16

func newHasher(key []byte) *hasher {
	h := &hasher{memo: make(map[string][64]byte)}
	if key != nil {
		h.mac = hmac.New(sha256.New, key)
	} else {
		h.mac = sha256.New()
	}
	return h
}

func (h *hasher) hex(dst, b []byte) []byte {
	if h.haveLast && string(b) == string(h.lastIn) {
		return append(dst, h.last[:]...)
	}
	d, ok := h.memo[str(b)]
	if !ok {
		d = h.digest(b)
	}
	h.lastIn = append(h.lastIn[:0], b...)
	h.last, h.haveLast = d, true
	return append(dst, d[:]...)
}

func (h *hasher) digest(b []byte) [64]byte {
	h.mac.Reset()
	h.mac.Write(b)
	h.sum = h.mac.Sum(h.sum[:0])
	var d [64]byte
	hex.Encode(d[:], h.sum)
	if len(h.memo) >= memoLimit {
		clear(h.memo)
	}
	h.memo[string(b)] = d
	return d
}

// roundNumber appends f rounded to prec decimals. strconv rounds the
// exact binary value correctly, so the result is never more than half a
// unit away; a negative zero loses its sign.
func roundNumber(dst []byte, f float64, prec int) []byte {
	s := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', prec, 64)
	if dst[s] == '-' {
		zero := true
		for _, c := range dst[s+1:] {
			if c != '0' && c != '.' {
				zero = false
				break
			}
		}
		if zero {
			copy(dst[s:], dst[s+1:])
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}

// roundDecimal rounds a plain decimal text ([-+]digits[.digits], at most
// 30 digits) to prec decimals, half away from zero, working on the digits
// themselves: the text is the exact value, so the result is never more
// than half a unit away, and no float parsing is needed. ok is false for
// anything else (exponents, long numbers), which roundNumber handles.
func roundDecimal(dst, b []byte, prec int) (out []byte, ok bool) {
	if len(b) == 0 || len(b) > 32 {
		return dst, false
	}
	neg := false
	switch b[0] {
	case '-':
		neg = true
		b = b[1:]
	case '+':
		b = b[1:]
	}
	var digits [48]byte
	n, point := 0, -1
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits[n] = c
			n++
		case c == '.' && point < 0:
			point = n
		default:
			return dst, false
		}
	}
	if n == 0 {
		return dst, false
	}
	if point < 0 {
		point = n
	}
	// pad the fraction with zeros up to prec+1 digits
	for n-point < prec+1 {
		digits[n] = '0'
		n++
	}
	keep := point + prec // digits kept
	up := digits[keep] >= '5'
	n = keep
	if up {
		i := n - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 { // 99.9 -> 100.0: a new leading digit
			copy(digits[1:n+1], digits[:n])
			digits[0] = '1'
			n++
			point++
		}
	}
	// skip leading zeros of the integer part, keeping one
	start := 0
	for start < point-1 && digits[start] == '0' {
		start++
	}
	zero := true
	for _, c := range digits[start:n] {
		if c != '0' {
			zero = false
			break
		}
	}
	if neg && !zero {
		dst = append(dst, '-')
	}
	if point == 0 {
		dst = append(dst, '0')
	} else {
		dst = append(dst, digits[start:point]...)
	}
	if prec > 0 {
		dst = append(dst, '.')
		dst = append(dst, digits[point:n]...)
	}
	return dst, true
}

// truncateTime truncates t (UTC) to the unit.
func truncateTime(t time.Time, unit string) time.Time {
	t = t.UTC()
	switch unit {
	case "minute":
		return t.Truncate(time.Minute)
	case "hour":
		return t.Truncate(time.Hour)
	case "day":
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	case "week":
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		return d.AddDate(0, 0, -back)
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// pseudonyms hands out Prefix_1, Prefix_2, ... in order of first
// appearance.
type pseudonyms struct {
	prefix string
	ids    map[string]int
}

func (p *pseudonyms) label(dst, b []byte) []byte {
	n, ok := p.ids[str(b)]
	if !ok {
		n = len(p.ids) + 1
		p.ids[string(b)] = n
	}
	dst = append(dst, p.prefix...)
	dst = append(dst, '_')
	return strconv.AppendInt(dst, int64(n), 10)
}

// stableLabels labels a value Prefix_ plus the first 50 bits of its
// keyed digest in base 32: the same label in every run of one product,
// unrelated labels in other products, and a collision chance below one in
// a million for 30,000 distinct values (n²/2^51).
func stableLabels(prefix string, key []byte) func(dst, b []byte) []byte {
	mac := hmac.New(sha256.New, key)
	var sum []byte
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford's base 32
	return func(dst, b []byte) []byte {
		mac.Reset()
		mac.Write([]byte("pseudonym\x00"))
		mac.Write(b)
		sum = mac.Sum(sum[:0])
		dst = append(dst, prefix...)
		dst = append(dst, '_')
		v := uint64(sum[0])<<42 | uint64(sum[1])<<34 | uint64(sum[2])<<26 | uint64(sum[3])<<18 | uint64(sum[4])<<10 | uint64(sum[5])<<2 | uint64(sum[6])>>6
		for i := 9; i >= 0; i-- {
			dst = append(dst, alphabet[(v>>(5*uint(i)))&31])
		}
		return dst
	}
}

// numericDP clamps a number to its bounds, puts it on the grid of 10^-prec
// and adds exact discrete Laplace noise (in grid units) with scale
// (Δ/g + 1)/ε, where the +1 pays for rounding to the grid.
type numericDP struct {
	lo, hi float64
	prec   int
	scale  ratio // t/s: noise scale in grid units
	rnd    *sampler
}

func (n *numericDP) noisy(dst []byte, f float64) []byte {
	f = math.Max(n.lo, math.Min(n.hi, f))
	g := math.Pow10(n.prec)
	i := int64(math.Round(f * g))
	i += n.rnd.discreteLaplace(n.scale.den, n.scale.num)
	loI, hiI := int64(math.Ceil(n.lo*g)), int64(math.Floor(n.hi*g))
	i = max(loI, min(hiI, i))
	return appendFixed(dst, i, n.prec)
}

// appendFixed writes i·10^-prec exactly, without floating point.
func appendFixed(dst []byte, i int64, prec int) []byte {
	if i < 0 {
		dst = append(dst, '-')
		i = -i
	}
	s := strconv.FormatInt(i, 10)
	if prec == 0 {
		return append(dst, s...)
	}
	for len(s) <= prec {
		s = "0" + s
	}
	dst = append(dst, s[:len(s)-prec]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-prec:]...)
}

// defaultDPPrecision picks a grid of about a ten-thousandth of the range.
func defaultDPPrecision(lo, hi float64) int {
	p := int(math.Ceil(-math.Log10((hi - lo) / 10000)))
	return max(0, min(12, p))
}
