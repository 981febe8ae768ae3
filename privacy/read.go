package privacy

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Format is a file format the engine reads or writes.
type Format string

// The formats. Parquet input must be a file (an io.ReaderAt and io.Seeker).
const (
	FormatCSV     Format = "csv"
	FormatJSON    Format = "json"  // a JSON array of objects (nested objects give dotted field names)
	FormatJSONL   Format = "jsonl" // JSON Lines: one object per line
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

// newReader reads rows of format f from r; Parquet is read from file, the
// input itself, since it is not read front to back.
func newReader(r, file io.Reader, f Format) (rowReader, error) {
	switch f {
	case FormatCSV:
		return newCSVReader(r)
	case FormatJSON, FormatJSONL:
		return newJSONReader(r)
	case FormatParquet:
		return newParquetReader(file)
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

// jsonReader reads a JSON array of objects, or JSON Lines (objects one
// after another); the first non-space byte tells which. Columns are the
// keys of the first object in order, a nested object's keys as dotted
// paths ("location.lat"); a later object may leave keys out
// (null) but not add new ones. It scans the bytes itself instead of using
// encoding/json's token API, which costs microseconds per row; values are
// valid until the next call of Next.
type jsonReader struct {
	br    *bufio.Reader
	line  int64 // current line (1-based)
	array bool
	first bool
	done  bool
	cols  []string
	index map[string]int
	vals  []Value
	buf   []byte // the current object's unescaped values
	raw   []byte // a string with escapes, before unescaping
	key   []byte
	start int64
	n     int64 // objects read
}

func newJSONReader(r io.Reader) (*jsonReader, error) {
	j := &jsonReader{br: bufio.NewReaderSize(r, 256<<10), line: 1, index: map[string]int{}}
	c, err := j.skipSpace()
	if err == io.EOF {
		return nil, inputErr(1, "", "the JSON input is empty")
	}
	if err != nil {
		return nil, err
	}
	if c == '[' {
		j.array = true
		j.br.ReadByte()
	}
	vals, err := j.readObject(true)
	if err != nil {
		return nil, err
	}
	if vals == nil {
		return nil, inputErr(j.line, "", "the JSON input holds no object, so it has no fields")
	}
	j.first = true
	return j, nil
}

func (j *jsonReader) Columns() []string { return j.cols }
func (j *jsonReader) Line() int64       { return j.start }

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

func (j *jsonReader) errorf(format string, args ...any) error {
	return inputErr(j.line, "", "JSON: "+format, args...)
}

// skipSpace peeks at the next byte that is not white space.
func (j *jsonReader) skipSpace() (byte, error) {
	for {
		c, err := j.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			j.line++
		case ' ', '\t', '\r':
		default:
			j.br.UnreadByte()
			return c, nil
		}
	}
}

// expect consumes c after optional white space.
func (j *jsonReader) expect(c byte, what string) error {
	got, err := j.skipSpace()
	if err == io.EOF {
		return j.errorf("the input ends where %s was expected", what)
	}
	if err != nil {
		return err
	}
	if got != c {
		return j.errorf("expected %s, found %q", what, got)
	}
	j.br.ReadByte()
	return nil
}

// readObject reads the next object; nil, nil at the end of the input.
func (j *jsonReader) readObject(first bool) ([]Value, error) {
	if j.done {
		return nil, nil
	}
	c, err := j.skipSpace()
	if err == io.EOF {
		if j.array {
			return nil, j.errorf("the input ends before the closing ]")
		}
		j.done = true
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if j.array {
		if c == ']' {
			j.br.ReadByte()
			if _, err := j.skipSpace(); err != io.EOF {
				return nil, j.errorf("unexpected data after the closing ]")
			}
			j.done = true
			return nil, nil
		}
		if j.n > 0 {
			if c != ',' {
				return nil, j.errorf("expected , or ] between rows, found %q", c)
			}
			j.br.ReadByte()
			if c, err = j.skipSpace(); err != nil {
				return nil, j.errorf("the input ends inside the array")
			}
		}
	}
	j.start = j.line
	if c != '{' {
		return nil, inputErr(j.line, "", "expected an object ({...}) for each row, found %q", c)
	}
	j.br.ReadByte()
	j.n++
	j.buf = j.buf[:0]
	for i := range j.vals {
		j.vals[i] = Value{Kind: KindNull}
	}
	var pairs []valueSpan
	if err := j.readMembers("", first, &pairs); err != nil {
		return nil, err
	}
	if first {
		j.vals = make([]Value, len(j.cols))
		for i, p := range pairs {
			j.vals[i] = Value{Kind: p.kind, B: j.buf[p.start:p.end:p.end]}
		}
	}
	return j.vals, nil
}

// valueSpan is where a value of the current row lies in a reader's buffer.
type valueSpan struct {
	kind       Kind
	start, end int
}

// readMembers reads the members of an object whose '{' was read, up to
// its '}'. A nested object's members become fields named with the path
// of keys joined by dots ("location.lat"), prefix being the path so far.
func (j *jsonReader) readMembers(prefix string, first bool, pairs *[]valueSpan) error {
	c, err := j.skipSpace()
	if err != nil {
		return j.errorf("the input ends inside an object")
	}
	if c == '}' {
		j.br.ReadByte()
		return nil
	}
	for {
		if err := j.expect('"', "a key in quotes"); err != nil {
			return err
		}
		s := len(j.buf)
		if err := j.readString(); err != nil {
			return err
		}
		j.key = append(append(j.key[:0], prefix...), j.buf[s:]...)
		j.buf = j.buf[:s]
		if err := j.expect(':', "':' after a key"); err != nil {
			return err
		}
		if c, err := j.skipSpace(); err == nil && c == '{' {
			j.br.ReadByte()
			if err := j.readMembers(string(j.key)+".", first, pairs); err != nil {
				return err
			}
		} else {
			kind, err := j.readValue(string(j.key))
			if err != nil {
				return err
			}
			if first {
				name := string(j.key)
				if _, dup := j.index[name]; dup {
					return inputErr(j.start, name, "the key appears twice in one object")
				}
				j.index[name] = len(j.cols)
				j.cols = append(j.cols, name)
				*pairs = append(*pairs, valueSpan{kind, s, len(j.buf)})
			} else {
				i, ok := j.index[str(j.key)]
				if !ok {
					return inputErr(j.line, string(j.key), "this key is not in the first object; every row must have the first row's fields")
				}
				j.vals[i] = Value{Kind: kind, B: j.buf[s:len(j.buf):len(j.buf)]}
			}
		}
		c, err := j.skipSpace()
		if err != nil {
			return j.errorf("the input ends inside an object")
		}
		j.br.ReadByte()
		if c == '}' {
			return nil
		}
		if c != ',' {
			return j.errorf("expected , or } in an object, found %q", c)
		}
	}
}

// readValue appends a scalar value's bytes to buf and returns its kind.
func (j *jsonReader) readValue(key string) (Kind, error) {
	c, err := j.skipSpace()
	if err != nil {
		return 0, j.errorf("the input ends where a value was expected")
	}
	switch {
	case c == '"':
		j.br.ReadByte()
		return KindString, j.readString()
	case c == '[':
		return 0, inputErr(j.line, key, "arrays are not supported (nested objects are, as dotted field names); flatten the data first")
	case c == '-' || c >= '0' && c <= '9':
		s := len(j.buf)
		for {
			c, err := j.br.ReadByte()
			if err != nil {
				break
			}
			if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
				j.br.UnreadByte()
				break
			}
			j.buf = append(j.buf, c)
		}
		if !isJSONNumber(j.buf[s:]) {
			return 0, inputErr(j.line, key, "%q is not a JSON number", j.buf[s:])
		}
		return KindNumber, nil
	default:
		for _, lit := range []struct {
			word string
			kind Kind
		}{{"true", KindBool}, {"false", KindBool}, {"null", KindNull}} {
			if c != lit.word[0] {
				continue
			}
			b, err := j.br.Peek(len(lit.word))
			if err != nil || string(b) != lit.word {
				break
			}
			j.br.Discard(len(lit.word))
			if lit.kind == KindBool {
				j.buf = append(j.buf, lit.word...)
			}
			if next, err := j.br.Peek(1); err == nil && (isAlnum(next[0]) || next[0] == '_') {
				break
			}
			return lit.kind, nil
		}
		return 0, inputErr(j.line, key, "expected a value (string, number, true, false or null), found %q", c)
	}
}

// readString appends the unescaped string after an opening quote to buf.
func (j *jsonReader) readString() error {
	chunk, err := j.br.ReadSlice('"')
	if err == nil && bytes.IndexByte(chunk, '\\') < 0 {
		// the common case: no escapes, all in the buffer
		return j.appendPlain(chunk[:len(chunk)-1])
	}
	j.raw = append(j.raw[:0], chunk...)
	for {
		if err == bufio.ErrBufferFull {
			chunk, err = j.br.ReadSlice('"')
			j.raw = append(j.raw, chunk...)
			continue
		}
		if err == io.EOF {
			return j.errorf("the input ends inside a string")
		}
		if err != nil {
			return err
		}
		// the quote is escaped when an odd number of backslashes precede it
		n := 0
		for k := len(j.raw) - 2; k >= 0 && j.raw[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			break
		}
		chunk, err = j.br.ReadSlice('"')
		j.raw = append(j.raw, chunk...)
	}
	raw := j.raw[:len(j.raw)-1]
	for len(raw) > 0 {
		k := bytes.IndexByte(raw, '\\')
		if k < 0 {
			return j.appendPlain(raw)
		}
		if err := j.appendPlain(raw[:k]); err != nil {
			return err
		}
		if k+1 >= len(raw) {
			return j.errorf("a string ends with a lone backslash")
		}
		used, err := j.unescape(raw[k+1:])
		if err != nil {
			return err
		}
		raw = raw[k+1+used:]
	}
	return nil
}

// appendPlain appends string bytes that hold no escapes; control bytes
// must have been escaped.
func (j *jsonReader) appendPlain(b []byte) error {
	for _, c := range b {
		if c < 0x20 {
			return j.errorf("a control character (%#x) inside a string; it must be escaped", c)
		}
	}
	j.buf = append(j.buf, b...)
	return nil
}

// unescape decodes one escape at the start of b (after the backslash) and
// returns how many bytes it used.
func (j *jsonReader) unescape(b []byte) (int, error) {
	switch b[0] {
	case '"', '\\', '/':
		j.buf = append(j.buf, b[0])
	case 'b':
		j.buf = append(j.buf, '\b')
	case 'f':
		j.buf = append(j.buf, '\f')
	case 'n':
		j.buf = append(j.buf, '\n')
	case 'r':
		j.buf = append(j.buf, '\r')
	case 't':
		j.buf = append(j.buf, '\t')
	case 'u':
		r, ok := hex4(b[1:])
		if !ok {
			return 0, j.errorf("a \\u escape needs four hex digits")
		}
		if utf16.IsSurrogate(r) {
			if len(b) >= 11 && b[5] == '\\' && b[6] == 'u' {
				if r2, ok := hex4(b[7:]); ok {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						j.buf = utf8.AppendRune(j.buf, d)
						return 11, nil
					}
				}
			}
			r = utf8.RuneError
		}
		j.buf = utf8.AppendRune(j.buf, r)
		return 5, nil
	default:
		return 0, j.errorf("invalid escape \\%c in a string", b[0])
	}
	return 1, nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
