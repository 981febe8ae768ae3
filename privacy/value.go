package privacy

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unsafe"
)

// Kind is what a value is as read or written: JSON knows all four, CSV
// reads everything as a string and lets the schema decide.
type Kind uint8

// The kinds of value.
const (
	KindNull Kind = iota
	KindString
	KindNumber // B holds a JSON number literal
	KindBool   // B holds "true" or "false"
)

// Value is one field of one row. B is only valid until the next row is
// read or transformed; copy it to keep it.
type Value struct {
	Kind Kind
	// Plain says B has nothing a CSV or JSON writer must quote or escape
	// (digests, timestamps, checked placeholders), so writers copy it.
	Plain bool
	B     []byte
}

// Type is a column's type in a schema.
type Type string

// The column types the engine infers and writes.
const (
	TypeString    Type = "string"
	TypeInteger   Type = "integer"
	TypeNumber    Type = "number"
	TypeBoolean   Type = "boolean"
	TypeTimestamp Type = "timestamp" // RFC 3339 text in CSV and JSON, a UTC timestamp in Parquet
)

// Column is one output column.
type Column struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable"`
}

// Schema is the output's columns in order.
type Schema []Column

// JSON returns the JSON Schema of one output row, the form a data
// product listing carries (the seed's schema_json).
func (s Schema) JSON() string {
	props := make([]string, 0, len(s))
	required := make([]string, 0, len(s))
	for _, c := range s {
		var t string
		switch c.Type {
		case TypeTimestamp:
			t = `"type":"string","format":"date-time"`
		default:
			t = `"type":"` + string(c.Type) + `"`
		}
		if c.Nullable {
			t = `"type":["` + jsonSchemaType(c.Type) + `","null"]` + formatOf(c.Type)
		}
		name, _ := json.Marshal(c.Name)
		props = append(props, string(name)+":{"+t+"}")
		required = append(required, string(name))
	}
	var b bytes.Buffer
	b.WriteString(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{`)
	for i, p := range props {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p)
	}
	b.WriteString(`},"required":[`)
	for i, r := range required {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r)
	}
	b.WriteString(`],"additionalProperties":false}`)
	return b.String()
}

func jsonSchemaType(t Type) string {
	if t == TypeTimestamp {
		return "string"
	}
	return string(t)
}

func formatOf(t Type) string {
	if t == TypeTimestamp {
		return `,"format":"date-time"`
	}
	return ""
}

// isPlain reports whether b needs no CSV quoting and no JSON escaping.
func isPlain(b []byte) bool {
	if len(b) > 0 && (b[0] == ' ' || b[len(b)-1] == ' ') {
		return false
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x80 || c == ',' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// str views b as a string without copying; the string must not outlive b.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseNumber parses a decimal number; it refuses NaN and infinities,
// which no output format can carry as a number.
func parseNumber(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 64 {
		return 0, false
	}
	c := b[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return 0, false
	}
	f, err := strconv.ParseFloat(str(b), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func parseInteger(b []byte) bool {
	if len(b) == 0 || len(b) > 19 {
		return false
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	if i == len(b) {
		return false
	}
	for ; i < len(b); i++ {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	return true
}

// isJSONNumber reports whether b is a number in JSON's grammar, so that
// it can be copied into JSON output as it is.
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return false
		}
	}
	return i == len(b)
}

func num2(b []byte) (int, bool) {
	if b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return 0, false
	}
	return int(b[0]-'0')*10 + int(b[1]-'0'), true
}

// parseTimestamp reads RFC 3339 ("2024-05-01T07:03:09Z",
// "2024-05-01T09:03:09.250+02:00") and the common variant with a space
// instead of T; a time without a zone is taken as UTC. The fast path
// avoids time.Parse, which costs more than the rest of a row.
func parseTimestamp(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ' && b[10] != 't') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	y1, ok1 := num2(b[0:2])
	y2, ok2 := num2(b[2:4])
	mo, ok3 := num2(b[5:7])
	d, ok4 := num2(b[8:10])
	h, ok5 := num2(b[11:13])
	mi, ok6 := num2(b[14:16])
	s, ok7 := num2(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			if scale > 0 {
				nsec += int(rest[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := num2(rest[1:3])
		om, ok2 := num2(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(y1*100+y2, time.Month(mo), d, h, mi, s, nsec, time.UTC)
	if t.Day() != d { // 31 April and the like
		return time.Time{}, false
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}

// appendTimestamp writes t in UTC as RFC 3339, with fractional seconds
// only when there are any.
func appendTimestamp(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, time.RFC3339Nano)
}
