package privacy

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// rowWriter writes transformed rows; Close flushes but does not close the
// underlying writer.
type rowWriter interface {
	Write(row []Value) error
	Close() error
}

func newWriter(w io.Writer, f Format, schema Schema, meta map[string]string) (rowWriter, error) {
	switch f {
	case FormatCSV:
		return newCSVWriter(w, schema)
	case FormatJSON:
		return newJSONWriter(w, schema, true), nil
	case FormatJSONL:
		return newJSONWriter(w, schema, false), nil
	case FormatParquet:
		return newParquetWriter(w, schema, meta)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedFormat, f)
}

type csvWriter struct {
	bw  *bufio.Writer
	buf []byte
}

func newCSVWriter(w io.Writer, schema Schema) (*csvWriter, error) {
	c := &csvWriter{bw: bufio.NewWriterSize(w, 256<<10)}
	for i, col := range schema {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		c.buf = appendCSVField(c.buf, []byte(col.Name))
	}
	c.buf = append(c.buf, '\n')
	_, err := c.bw.Write(c.buf)
	return c, err
}

func needsQuote(b []byte) bool {
	for _, c := range b {
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			return true
		}
	}
	return len(b) > 0 && (b[0] == ' ' || b[len(b)-1] == ' ')
}

func appendCSVField(dst, b []byte) []byte {
	if !needsQuote(b) {
		return append(dst, b...)
	}
	dst = append(dst, '"')
	for _, c := range b {
		if c == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

func (c *csvWriter) Write(row []Value) error {
	c.buf = c.buf[:0]
	for i, v := range row {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		if v.Kind != KindNull {
			c.buf = appendCSVField(c.buf, v.B)
		}
	}
	c.buf = append(c.buf, '\n')
	_, err := c.bw.Write(c.buf)
	return err
}

func (c *csvWriter) Close() error { return c.bw.Flush() }

type jsonWriter struct {
	bw    *bufio.Writer
	keys  [][]byte // `"name":` with the comma before all but the first
	array bool
	n     int64
	buf   []byte
}

func newJSONWriter(w io.Writer, schema Schema, array bool) *jsonWriter {
	j := &jsonWriter{bw: bufio.NewWriterSize(w, 256<<10), array: array}
	for i, col := range schema {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = appendJSONString(k, []byte(col.Name))
		k = append(k, ':')
		j.keys = append(j.keys, k)
	}
	return j
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes b as a JSON string; invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendJSONString(dst, b []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, b[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, b[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, b[start:]...)
	return append(dst, '"')
}

func (j *jsonWriter) Write(row []Value) error {
	j.buf = j.buf[:0]
	if j.array {
		if j.n == 0 {
			j.buf = append(j.buf, "[\n"...)
		} else {
			j.buf = append(j.buf, ",\n"...)
		}
	}
	j.n++
	j.buf = append(j.buf, '{')
	for i, v := range row {
		j.buf = append(j.buf, j.keys[i]...)
		switch v.Kind {
		case KindNull:
			j.buf = append(j.buf, "null"...)
		case KindNumber, KindBool:
			j.buf = append(j.buf, v.B...)
		default:
			j.buf = appendJSONString(j.buf, v.B)
		}
	}
	j.buf = append(j.buf, '}')
	if !j.array {
		j.buf = append(j.buf, '\n')
	}
	_, err := j.bw.Write(j.buf)
	return err
}

func (j *jsonWriter) Close() error {
	if j.array {
		if j.n == 0 {
			j.bw.WriteString("[]\n")
		} else {
			j.bw.WriteString("\n]\n")
		}
	}
	return j.bw.Flush()
}

// orderedGroup is a Parquet group whose columns keep the output's order
// (parquet.Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	order []string
}

func (g orderedGroup) Fields() []parquet.Field {
	fields := g.Group.Fields()
	slices.SortStableFunc(fields, func(a, b parquet.Field) int {
		return slices.Index(g.order, a.Name()) - slices.Index(g.order, b.Name())
	})
	return fields
}

// parquetSchema builds the Parquet schema: every column optional, numbers
// as DOUBLE, integers as INT64, timestamps as INT64 milliseconds (UTC).
func parquetSchema(schema Schema) *parquet.Schema {
	g := parquet.Group{}
	order := make([]string, len(schema))
	for i, c := range schema {
		var n parquet.Node
		switch c.Type {
		case TypeNumber:
			n = parquet.Leaf(parquet.DoubleType)
		case TypeInteger:
			n = parquet.Int(64)
		case TypeBoolean:
			n = parquet.Leaf(parquet.BooleanType)
		case TypeTimestamp:
			n = parquet.Timestamp(parquet.Millisecond)
		default:
			n = parquet.String()
		}
		g[c.Name] = parquet.Optional(n)
		order[i] = c.Name
	}
	return parquet.NewSchema("row", orderedGroup{Group: g, order: order})
}

// parquetBatch rows are handed to the Parquet writer at a time; their
// bytes are copied into arena, which lives until the batch is written.
const parquetBatch = 512

type parquetWriter struct {
	w      *parquet.Writer
	schema Schema
	rows   []parquet.Row
	arena  []byte
	line   int64
}

func newParquetWriter(w io.Writer, schema Schema, meta map[string]string) (*parquetWriter, error) {
	opts := []parquet.WriterOption{
		parquetSchema(schema),
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(256 << 10),
		parquet.PageBufferSize(256 << 10),
		parquet.CreatedBy("sovereign-marketplace privacy engine", "", ""),
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		opts = append(opts, parquet.KeyValueMetadata(k, meta[k]))
	}
	return &parquetWriter{w: parquet.NewWriter(w, opts...), schema: schema}, nil
}

func (p *parquetWriter) Write(row []Value) error {
	var r parquet.Row
	if len(p.rows) < cap(p.rows) {
		r = p.rows[:len(p.rows)+1][len(p.rows)][:0]
	}
	for i, v := range row {
		var pv parquet.Value
		if v.Kind == KindNull {
			r = append(r, parquet.NullValue().Level(0, 0, i))
			continue
		}
		switch p.schema[i].Type {
		case TypeNumber:
			f, err := strconv.ParseFloat(str(v.B), 64)
			if err != nil {
				return fmt.Errorf("column %s: %w", p.schema[i].Name, err)
			}
			pv = parquet.DoubleValue(f)
		case TypeInteger:
			n, err := strconv.ParseInt(str(v.B), 10, 64)
			if err != nil {
				return fmt.Errorf("column %s: %w", p.schema[i].Name, err)
			}
			pv = parquet.Int64Value(n)
		case TypeBoolean:
			pv = parquet.BooleanValue(v.B[0] == 't')
		case TypeTimestamp:
			t, ok := parseTimestamp(v.B)
			if !ok {
				return fmt.Errorf("column %s: not a timestamp: %q", p.schema[i].Name, v.B)
			}
			pv = parquet.Int64Value(t.UnixMilli())
		default:
			s := len(p.arena)
			p.arena = append(p.arena, v.B...)
			pv = parquet.ByteArrayValue(p.arena[s:len(p.arena):len(p.arena)])
		}
		r = append(r, pv.Level(0, 1, i))
	}
	p.rows = append(p.rows, r)
	if len(p.rows) == parquetBatch {
		return p.flush()
	}
	return nil
}

func (p *parquetWriter) flush() error {
	if len(p.rows) == 0 {
		return nil
	}
	if _, err := p.w.WriteRows(p.rows); err != nil {
		return fmt.Errorf("write parquet rows: %w", err)
	}
	p.rows = p.rows[:0]
	p.arena = p.arena[:0]
	return nil
}

func (p *parquetWriter) Close() error {
	if err := p.flush(); err != nil {
		return err
	}
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("close parquet: %w", err)
	}
	return nil
}
