package privacy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Format is a file format the engine reads or writes.
type Format string

// The formats. Parquet is written only.
const (
	FormatCSV     Format = "csv"
	FormatJSON    Format = "json"  // a JSON array of flat objects
	FormatJSONL   Format = "jsonl" // JSON Lines: one flat object per line
	FormatParquet Format = "parquet"
)

// ParseFormat turns a name (csv, json, jsonl, ndjson, parquet) into a
// Format.
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(name) {
	case "csv":
		return FormatCSV, nil
	case "json":
		return FormatJSON, nil
	case "jsonl", "ndjson":
		return FormatJSONL, nil
	case "parquet":
		return FormatParquet, nil
	}
	return "", fmt.Errorf("%w: %q (expected csv, json, jsonl or parquet)", ErrUnsupportedFormat, name)
}

// FormatOf guesses a file's format from its name's extension.
func FormatOf(path string) (Format, error) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", fmt.Errorf("%w: %s has no extension; name the format", ErrUnsupportedFormat, path)
	}
	return ParseFormat(path[i+1:])
}

// rowReader yields rows of values; Next returns io.EOF after the last.
type rowReader interface {
	Columns() []string
	Next() ([]Value, error)
	// Line is the line on which the last row returned by Next began.
	Line() int64
}

func newReader(r io.Reader, f Format) (rowReader, error) {
	switch f {
	case FormatCSV:
		return newCSVReader(r)
	case FormatJSON, FormatJSONL:
		return newJSONReader(r)
	case FormatParquet:
		return nil, fmt.Errorf("%w: parquet is an output format only", ErrUnsupportedFormat)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedFormat, f)
}

// csvReader reads RFC 4180 CSV with a header line. It reuses its buffers:
// a row's values are valid until the next call of Next. Unlike
// encoding/csv it does not allocate per field, which matters at half a
// million rows.
type csvReader struct {
	br      *bufio.Reader
	cols    []string
	rec     []byte // the current record's field bytes, unescaped
	own     []byte // rec's buffer when fields had to be unescaped
	ends    []int  // where each field ends in rec
	sep     int    // bytes between a field's end and the next one's start
	qbuf    []byte // the physical line being unquoted
	vals    []Value
	line    int64 // lines consumed so far
	start   int64 // line the current record began on
	pending []byte
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	c := &csvReader{br: bufio.NewReaderSize(r, 256<<10)}
	if err := c.readRecord(); err != nil {
		if err == io.EOF {
			return nil, inputErr(1, "", "the CSV input is empty; expected a header line")
		}
		return nil, err
	}
	prev := 0
	for i, e := range c.ends {
		if i > 0 {
			prev += c.sep
		}
		name := strings.TrimSpace(string(c.rec[prev:e]))
		name = strings.TrimPrefix(name, "\ufeff")
		if name == "" {
			return nil, inputErr(1, "", "column %d of the header is empty", len(c.cols)+1)
		}
		c.cols = append(c.cols, name)
		prev = e
	}
	c.vals = make([]Value, len(c.cols))
	return c, nil
}

func (c *csvReader) Columns() []string { return c.cols }
func (c *csvReader) Line() int64       { return c.start }

// readLine returns the next physical line without its line ending.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.pending = append(c.pending[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.br.ReadSlice('\n')
			c.pending = append(c.pending, line...)
			if len(c.pending) > 64<<20 {
				return nil, inputErr(c.line+1, "", "a line is longer than 64 MiB")
			}
		}
		line = c.pending
	}
	if len(line) == 0 && err != nil {
		return nil, err
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	c.line++
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
		if n > 0 && line[n-1] == '\r' {
			n--
		}
	}
	return line[:n], nil
}

// readRecord reads one record into rec/ends, following quoted fields over
// line breaks.
func (c *csvReader) readRecord() error {
	c.ends = c.ends[:0]
	var line []byte
	var err error
	for {
		line, err = c.readLine()
		if err != nil {
			return err
		}
		if len(line) > 0 {
			break
		}
		// blank lines between records are skipped
	}
	c.start = c.line
	if bytes.IndexByte(line, '"') < 0 {
		// No quotes: the fields are the line itself, which stays valid
		// until the next read, so it is not copied.
		c.rec = line
		c.sep = 1
		off := 0
		for {
			i := bytes.IndexByte(line[off:], ',')
			if i < 0 {
				c.ends = append(c.ends, len(line))
				return nil
			}
			c.ends = append(c.ends, off+i)
			off += i + 1
		}
	}
	c.rec = c.own[:0]
	c.sep = 0
	err = c.readQuoted(line)
	c.own = c.rec
	return err
}

func (c *csvReader) readQuoted(line []byte) error {
	// The line may live in the bufio buffer; copy it before reading more.
	c.qbuf = append(c.qbuf[:0], line...)
	buf := c.qbuf
	line = buf
	col := 1
	for {
		if len(line) > 0 && line[0] == '"' {
			// quoted field
			line = line[1:]
			for {
				i := bytes.IndexByte(line, '"')
				if i < 0 {
					c.rec = append(c.rec, line...)
					c.rec = append(c.rec, '\n')
					next, err := c.readLine()
					if err == io.EOF {
						return inputErr(c.start, "", "column %d: a quoted field is not closed before the end of the input", col)
					}
					if err != nil {
						return err
					}
					buf = append(buf[:0], next...)
					c.qbuf = buf
					line = buf
					continue
				}
				c.rec = append(c.rec, line[:i]...)
				line = line[i+1:]
				if len(line) > 0 && line[0] == '"' { // "" is a quote
					c.rec = append(c.rec, '"')
					line = line[1:]
					continue
				}
				break
			}
			c.ends = append(c.ends, len(c.rec))
			if len(line) == 0 {
				return nil
			}
			if line[0] != ',' {
				return inputErr(c.line, "", "column %d: unexpected %q after a closing quote", col, line[0])
			}
			line = line[1:]
			col++
			if len(line) == 0 {
				c.ends = append(c.ends, len(c.rec))
				return nil
			}
			continue
		}
		i := bytes.IndexByte(line, ',')
		field := line
		if i >= 0 {
			field = line[:i]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return inputErr(c.line, "", "column %d: a bare quote in an unquoted field (quote the field and double the quote)", col)
		}
		c.rec = append(c.rec, field...)
		c.ends = append(c.ends, len(c.rec))
		if i < 0 {
			return nil
		}
		line = line[i+1:]
		col++
		if len(line) == 0 {
			c.ends = append(c.ends, len(c.rec))
			return nil
		}
	}
}

func (c *csvReader) Next() ([]Value, error) {
	if err := c.readRecord(); err != nil {
		return nil, err
	}
	if len(c.ends) != len(c.cols) {
		return nil, inputErr(c.start, "", "expected %d fields as in the header, got %d", len(c.cols), len(c.ends))
	}
	prev := 0
	for i, e := range c.ends {
		if i > 0 {
			prev += c.sep
		}
		b := c.rec[prev:e:e]
		if len(b) == 0 {
			c.vals[i] = Value{Kind: KindNull}
		} else {
			c.vals[i] = Value{Kind: KindString, B: b}
		}
		prev = e
	}
	return c.vals, nil
}

// jsonReader reads a JSON array of flat objects, or JSON Lines; the first
// non-space byte tells which. Columns are the keys of the first object in
// order; a later object may leave keys out (null) but not add new ones.
type jsonReader struct {
	cr    *lineCounter
	dec   *json.Decoder
	array bool
	first bool
	cols  []string
	index map[string]int
	vals  []Value
	buf   []byte
	start int64
	done  bool
}

func newJSONReader(r io.Reader) (*jsonReader, error) {
	cr := &lineCounter{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	// Peek at the first non-space byte.
	var first byte
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return nil, inputErr(1, "", "the JSON input is empty")
		}
		if err != nil {
			return nil, err
		}
		if b == ' ' || b == '\t' || b == '\r' || b == '\n' {
			continue
		}
		first = b
		_ = br.UnreadByte()
		break
	}
	j := &jsonReader{cr: cr, index: map[string]int{}}
	cr.br = br
	j.dec = json.NewDecoder(br)
	j.dec.UseNumber()
	if first == '[' {
		j.array = true
		if _, err := j.dec.Token(); err != nil {
			return nil, j.syntax(err)
		}
	}
	vals, err := j.readObject(true)
	if err != nil {
		return nil, err
	}
	if vals == nil {
		return nil, inputErr(max(j.start, 1), "", "the JSON input holds no object, so it has no fields")
	}
	j.first = true
	return j, nil
}

func (j *jsonReader) Columns() []string { return j.cols }
func (j *jsonReader) Line() int64       { return j.start }

func (j *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return inputErr(j.cr.lineAt(se.Offset), "", "JSON: %v", se)
	}
	if err == io.ErrUnexpectedEOF {
		return inputErr(j.cr.lineAt(j.dec.InputOffset()), "", "JSON: the input ends inside a value")
	}
	return inputErr(j.cr.lineAt(j.dec.InputOffset()), "", "JSON: %v", err)
}

func (j *jsonReader) Next() ([]Value, error) {
	if j.first {
		j.first = false
		return j.vals, nil
	}
	vals, err := j.readObject(false)
	if err != nil {
		return nil, err
	}
	if vals == nil {
		return nil, io.EOF
	}
	return vals, nil
}

// readObject reads the next object; nil, nil at the end of the input.
func (j *jsonReader) readObject(first bool) ([]Value, error) {
	if j.done {
		return nil, nil
	}
	if j.array && !j.dec.More() {
		if _, err := j.dec.Token(); err != nil { // ']'
			return nil, j.syntax(err)
		}
		if _, err := j.dec.Token(); err != io.EOF {
			return nil, inputErr(j.cr.lineAt(j.dec.InputOffset()), "", "JSON: unexpected data after the closing ]")
		}
		j.done = true
		return nil, nil
	}
	j.cr.forget(j.dec.InputOffset())
	tok, err := j.dec.Token()
	if err == io.EOF && !j.array {
		j.done = true
		return nil, nil
	}
	if err != nil {
		return nil, j.syntax(err)
	}
	j.start = j.cr.lineAt(j.dec.InputOffset())
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, inputErr(j.start, "", "expected an object ({...}) for each row, got %v", tok)
	}
	j.buf = j.buf[:0]
	for i := range j.vals {
		j.vals[i] = Value{Kind: KindNull}
	}
	type kv struct {
		k     string
		kind  Kind
		start int
	}
	var pairs []kv
	for j.dec.More() {
		kt, err := j.dec.Token()
		if err != nil {
			return nil, j.syntax(err)
		}
		key := kt.(string)
		vt, err := j.dec.Token()
		if err != nil {
			return nil, j.syntax(err)
		}
		var kind Kind
		start := len(j.buf)
		switch v := vt.(type) {
		case nil:
			kind = KindNull
		case string:
			kind = KindString
			j.buf = append(j.buf, v...)
		case json.Number:
			kind = KindNumber
			j.buf = append(j.buf, v...)
		case bool:
			kind = KindBool
			j.buf = append(j.buf, fmt.Sprint(v)...)
		case json.Delim:
			return nil, inputErr(j.cr.lineAt(j.dec.InputOffset()), key, "nested objects and arrays are not supported; flatten the data first")
		}
		if first {
			if _, dup := j.index[key]; dup {
				return nil, inputErr(j.start, key, "the key appears twice in one object")
			}
			j.index[key] = len(j.cols)
			j.cols = append(j.cols, key)
			pairs = append(pairs, kv{key, kind, start})
			continue
		}
		i, ok := j.index[key]
		if !ok {
			return nil, inputErr(j.start, key, "this key is not in the first object; every row must have the first row's fields")
		}
		j.vals[i] = Value{Kind: kind, B: j.buf[start:len(j.buf):len(j.buf)]}
	}
	if _, err := j.dec.Token(); err != nil { // '}'
		return nil, j.syntax(err)
	}
	if first {
		j.vals = make([]Value, len(j.cols))
		for i, p := range pairs {
			end := len(j.buf)
			if i+1 < len(pairs) {
				end = pairs[i+1].start
			}
			j.vals[i] = Value{Kind: p.kind, B: j.buf[p.start:end:end]}
		}
	}
	return j.vals, nil
}

// lineCounter counts newlines in what the JSON decoder has read, so that
// an error at a byte offset can name its line. It keeps newline offsets
// only for the window the decoder may still report on.
type lineCounter struct {
	r       io.Reader
	br      *bufio.Reader
	read    int64   // bytes read so far
	before  int64   // newlines before the first kept offset
	offsets []int64 // offsets of newlines not yet forgotten
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.offsets = append(l.offsets, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

// lineAt converts the decoder's offset (which counts from where the
// decoder began; the bufio reader in between only hides bytes still
// buffered) to a 1-based line number.
func (l *lineCounter) lineAt(off int64) int64 {
	n := l.before
	for _, o := range l.offsets {
		if o >= off {
			break
		}
		n++
	}
	return n + 1
}

// forget drops newline offsets before off.
func (l *lineCounter) forget(off int64) {
	i := 0
	for i < len(l.offsets) && l.offsets[i] < off {
		i++
	}
	if i > 0 {
		l.before += int64(i)
		l.offsets = append(l.offsets[:0], l.offsets[i:]...)
	}
}
