package privacy

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
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

// sink is where the text writers put their bytes: straight into the
// asyncWriter's buffer when there is one (no copy in between), else
// through a bufio.Writer.
type sink struct {
	aw  *asyncWriter
	bw  *bufio.Writer
	buf []byte
}

func newSink(w io.Writer) *sink {
	if aw, ok := w.(*asyncWriter); ok {
		return &sink{aw: aw}
	}
	return &sink{bw: bufio.NewWriterSize(w, 256<<10)}
}

// begin returns the buffer to append a row to; end takes it back.
func (s *sink) begin() []byte {
	if s.aw != nil {
		return s.aw.cur
	}
	return s.buf[:0]
}

func (s *sink) end(b []byte) error {
	if s.aw != nil {
		s.aw.cur = b
		if len(b) >= asyncBuf {
			return s.aw.send()
		}
		return nil
	}
	s.buf = b
	_, err := s.bw.Write(b)
	return err
}

func (s *sink) flush() error {
	if s.aw != nil {
		return s.aw.failed()
	}
	return s.bw.Flush()
}

type csvWriter struct {
	out *sink
}

func newCSVWriter(w io.Writer, schema Schema) (*csvWriter, error) {
	c := &csvWriter{out: newSink(w)}
	b := c.out.begin()
	for i, col := range schema {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, []byte(col.Name))
	}
	b = append(b, '\n')
	return c, c.out.end(b)
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
	b := c.out.begin()
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case v.Kind == KindNull:
		case v.Plain || v.Kind == KindNumber || v.Kind == KindBool:
			b = append(b, v.B...)
		default:
			b = appendCSVField(b, v.B)
		}
	}
	b = append(b, '\n')
	return c.out.end(b)
}

func (c *csvWriter) Close() error { return c.out.flush() }

type jsonWriter struct {
	out   *sink
	keys  [][]byte // `"name":` with the comma before all but the first
	array bool
	n     int64
}

func newJSONWriter(w io.Writer, schema Schema, array bool) *jsonWriter {
	j := &jsonWriter{out: newSink(w), array: array}
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
	b := j.out.begin()
	if j.array {
		if j.n == 0 {
			b = append(b, "[\n"...)
		} else {
			b = append(b, ",\n"...)
		}
	}
	j.n++
	b = append(b, '{')
	for i, v := range row {
		b = append(b, j.keys[i]...)
		switch v.Kind {
		case KindNull:
			b = append(b, "null"...)
		case KindNumber, KindBool:
			b = append(b, v.B...)
		default:
			if v.Plain {
				b = append(b, '"')
				b = append(b, v.B...)
				b = append(b, '"')
			} else {
				b = appendJSONString(b, v.B)
			}
		}
	}
	b = append(b, '}')
	if !j.array {
		b = append(b, '\n')
	}
	return j.out.end(b)
}

func (j *jsonWriter) Close() error {
	b := j.out.begin()
	if j.array {
		if j.n == 0 {
			b = append(b, "[]\n"...)
		} else {
			b = append(b, "\n]\n"...)
		}
	}
	if err := j.out.end(b); err != nil {
		return err
	}
	return j.out.flush()
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
			// dictionary pages: digests and categories repeat row after
			// row, so the page holds small indexes instead of the text
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		}
		g[c.Name] = parquet.Optional(n)
		order[i] = c.Name
	}
	return parquet.NewSchema("row", orderedGroup{Group: g, order: order})
}

// parquetBatch rows are handed to the Parquet writer at a time; their
// bytes are copied into the batch's arena, which lives until the batch is
// written.
const parquetBatch = 1024

// pqBatch is a batch of rows on its way to the encoder.
type pqBatch struct {
	rows  []parquet.Row
	arena []byte
}

// parquetWriter encodes and compresses in a second goroutine: Write
// fills one batch while the other is being encoded, so that on two cores
// the transformation and the Parquet encoding overlap. Two batches exist,
// so memory is bounded.
type parquetWriter struct {
	w      *parquet.Writer
	schema Schema
	cur    *pqBatch
	free   chan *pqBatch
	work   chan *pqBatch
	done   chan struct{}
	mu     sync.Mutex
	err    error
	closed bool
}

func newParquetWriter(w io.Writer, schema Schema, meta map[string]string) (*parquetWriter, error) {
	opts := []parquet.WriterOption{
		parquetSchema(schema),
		parquet.Compression(newZstdCodec()),
		parquet.MaxRowsPerRowGroup(64 << 10),
		parquet.PageBufferSize(256 << 10),
		parquet.CreatedBy("sovereign-marketplace privacy engine", "", ""),
	}
	// Page bounds of text columns (digests, placeholders, notes) cost a
	// comparison per value and help no reader; numbers and times keep them.
	for _, c := range schema {
		if c.Type == TypeString {
			opts = append(opts, parquet.SkipPageBounds(c.Name))
		}
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		opts = append(opts, parquet.KeyValueMetadata(k, meta[k]))
	}
	p := &parquetWriter{w: parquet.NewWriter(w, opts...), schema: schema,
		cur: &pqBatch{}, free: make(chan *pqBatch, 1), work: make(chan *pqBatch, 1), done: make(chan struct{})}
	p.free <- &pqBatch{}
	go p.loop()
	return p, nil
}

func (p *parquetWriter) loop() {
	defer close(p.done)
	for b := range p.work {
		if p.failed() == nil {
			if _, err := p.w.WriteRows(b.rows); err != nil {
				p.mu.Lock()
				p.err = fmt.Errorf("write parquet rows: %w", err)
				p.mu.Unlock()
			}
		}
		b.rows, b.arena = b.rows[:0], b.arena[:0]
		p.free <- b
	}
}

func (p *parquetWriter) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *parquetWriter) Write(row []Value) error {
	b := p.cur
	var r parquet.Row
	if len(b.rows) < cap(b.rows) {
		r = b.rows[:len(b.rows)+1][len(b.rows)][:0]
	}
	for i, v := range row {
		var pv parquet.Value
		if v.Kind == KindNull {
			r = append(r, parquet.NullValue().Level(0, 0, i))
			continue
		}
		switch p.schema[i].Type {
		case TypeNumber:
			f, ok := fastFloat(v.B)
			if !ok {
				var err error
				if f, err = strconv.ParseFloat(str(v.B), 64); err != nil {
					return fmt.Errorf("column %s: %w", p.schema[i].Name, err)
				}
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
			s := len(b.arena)
			b.arena = append(b.arena, v.B...)
			pv = parquet.ByteArrayValue(b.arena[s:len(b.arena):len(b.arena)])
		}
		r = append(r, pv.Level(0, 1, i))
	}
	b.rows = append(b.rows, r)
	if len(b.rows) == parquetBatch {
		return p.send()
	}
	return nil
}

// send hands the current batch to the encoder and takes a free one.
func (p *parquetWriter) send() error {
	if err := p.failed(); err != nil {
		return err
	}
	p.work <- p.cur
	p.cur = <-p.free
	return nil
}

// stop ends the encoding goroutine; it is safe to call twice.
func (p *parquetWriter) stop() {
	if !p.closed {
		p.closed = true
		close(p.work)
		<-p.done
	}
}

func (p *parquetWriter) Close() error {
	if len(p.cur.rows) > 0 {
		if err := p.send(); err != nil {
			p.stop()
			return err
		}
	}
	p.stop()
	if err := p.failed(); err != nil {
		return err
	}
	if err := p.w.Close(); err != nil {
		return fmt.Errorf("close parquet: %w", err)
	}
	return nil
}

// asyncWriter hands full 1 MiB buffers to a goroutine that writes them,
// so that the write system calls overlap the transformation on another
// core. Close (or abort) stops the goroutine; memory is bounded by the
// buffers in flight.
type asyncWriter struct {
	w    io.Writer
	cur  []byte
	free chan []byte
	work chan []byte
	done chan struct{}
	err  error // set by the goroutine; read after done or via failed
	mu   sync.Mutex
	shut bool
}

const asyncBuf = 1 << 20

func newAsyncWriter(w io.Writer) *asyncWriter {
	a := &asyncWriter{w: w, free: make(chan []byte, 3), work: make(chan []byte, 3), done: make(chan struct{})}
	for i := 0; i < 2; i++ {
		a.free <- make([]byte, 0, asyncBuf)
	}
	a.cur = make([]byte, 0, asyncBuf)
	go a.loop()
	return a
}

func (a *asyncWriter) loop() {
	defer close(a.done)
	for b := range a.work {
		a.mu.Lock()
		failed := a.err != nil
		a.mu.Unlock()
		if !failed {
			if _, err := a.w.Write(b); err != nil {
				a.mu.Lock()
				a.err = err
				a.mu.Unlock()
			}
		}
		a.free <- b[:0]
	}
}

func (a *asyncWriter) failed() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	if len(a.cur)+len(p) > asyncBuf && len(a.cur) > 0 {
		if err := a.send(); err != nil {
			return 0, err
		}
	}
	a.cur = append(a.cur, p...)
	return len(p), nil
}

func (a *asyncWriter) send() error {
	if err := a.failed(); err != nil {
		return err
	}
	a.work <- a.cur
	a.cur = <-a.free
	return nil
}

// Close writes what is buffered, stops the goroutine and returns the
// first write error.
func (a *asyncWriter) Close() error {
	if a.shut {
		return a.err
	}
	if len(a.cur) > 0 {
		a.send()
	}
	a.shut = true
	close(a.work)
	<-a.done
	return a.err
}

// abort stops the goroutine without caring about errors (a failed run).
func (a *asyncWriter) abort() {
	if !a.shut {
		a.cur = a.cur[:0]
		a.Close()
	}
}

// zstdCodec compresses Parquet pages with one zstd encoder whose window is
// no larger than a page: parquet-go's own codec keeps encoders with 8 MiB
// windows in a pool that the garbage collector empties, which costs tens
// of megabytes and grows with the run.
type zstdCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newZstdCodec() *zstdCodec {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20),
		zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false))
	if err != nil {
		panic("privacy: zstd options: " + err.Error())
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		panic("privacy: zstd options: " + err.Error())
	}
	return &zstdCodec{enc: enc, dec: dec}
}

func (c *zstdCodec) String() string                            { return "ZSTD" }
func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }
func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	return c.enc.EncodeAll(src, dst[:0]), nil
}
func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) { return c.dec.DecodeAll(src, dst[:0]) }

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses short plain decimals ("-52.52") exactly: when the
// digits fit in 2^53 and there are at most 22 decimals, one division of
// two exact doubles is correctly rounded (the fast path of strconv).
func fastFloat(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var m uint64
	dec, digits := -1, 0
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
		case c == '.' && dec < 0:
			dec = i
		default:
			return 0, false
		}
	}
	if digits == 0 || m >= 1<<53 {
		return 0, false
	}
	frac := 0
	if dec >= 0 {
		frac = len(b) - dec - 1
	}
	f := float64(m) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}
