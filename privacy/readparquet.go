package privacy

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// parquetReader reads the rows of a Parquet file, a batch at a time. A
// nested group's leaves are fields named by their dotted path, as for
// JSON; repeated (list) columns are refused. Values become the text the
// other readers yield: numbers as JSON numbers, timestamps and dates as
// RFC 3339 text, byte arrays as strings. Line is the row's number.
type parquetReader struct {
	groups []parquet.RowGroup // row groups not read yet
	cur    parquet.Rows       // the rows of the group being read; nil between groups
	cols   []string
	leaf   []parquetLeaf // by column index
	rows   []parquet.Row
	n, i   int
	row    int64
	vals   []Value
	spans  []valueSpan // where each value of the current row lies in buf
	buf    []byte
}

// parquetLeaf is how one leaf column's values become text.
type parquetLeaf struct {
	name     string
	logical  format.LogicalTypeValue
	timeUnit time.Duration // for timestamps
	// timeLayout writes a timestamp with a fraction in as many digits as
	// the unit holds (.250 for milliseconds, not .25).
	timeLayout string
	scale      int32 // for decimals
	isDecimal  bool
}

// newParquetReader opens Parquet from in, which must be a file (Parquet
// keeps its index at the end, so it cannot be read as a stream).
func newParquetReader(in io.Reader) (*parquetReader, error) {
	ra, ok := in.(io.ReaderAt)
	sk, ok2 := in.(io.Seeker)
	if !ok || !ok2 {
		return nil, fmt.Errorf("%w: Parquet input must be a file (it cannot be read from a pipe)", ErrUnsupportedFormat)
	}
	size, err := sk.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("read Parquet input: %w", err)
	}
	f, err := parquet.OpenFile(ra, size)
	if err != nil {
		return nil, inputErr(0, "", "not a readable Parquet file: %v", err)
	}
	schema := f.Schema()
	p := &parquetReader{groups: f.RowGroups(), rows: make([]parquet.Row, 256)}
	for _, path := range schema.Columns() {
		lc, _ := schema.Lookup(path...)
		name := strings.Join(path, ".")
		if lc.MaxRepetitionLevel > 0 {
			return nil, inputErr(0, name, "repeated (list) columns are not supported; flatten the data first")
		}
		leaf := parquetLeaf{name: name}
		if lt := lc.Node.Type().LogicalType(); lt != nil {
			leaf.logical = lt.Value
			switch v := lt.Value.(type) {
			case *format.TimestampType:
				switch v.Unit.Value.(type) {
				case *format.MilliSeconds:
					leaf.timeUnit, leaf.timeLayout = time.Millisecond, "2006-01-02T15:04:05.000Z07:00"
				case *format.MicroSeconds:
					leaf.timeUnit, leaf.timeLayout = time.Microsecond, "2006-01-02T15:04:05.000000Z07:00"
				default:
					leaf.timeUnit, leaf.timeLayout = time.Nanosecond, "2006-01-02T15:04:05.000000000Z07:00"
				}
			case *format.DecimalType:
				leaf.isDecimal, leaf.scale = true, v.Scale
			}
		}
		for len(p.leaf) <= lc.ColumnIndex {
			p.leaf = append(p.leaf, parquetLeaf{})
			p.cols = append(p.cols, "")
		}
		p.leaf[lc.ColumnIndex] = leaf
		p.cols[lc.ColumnIndex] = name
	}
	if len(p.cols) == 0 {
		return nil, inputErr(0, "", "the Parquet file has no columns")
	}
	p.vals = make([]Value, len(p.cols))
	p.spans = make([]valueSpan, len(p.cols))
	return p, nil
}

func (p *parquetReader) Columns() []string { return p.cols }
func (p *parquetReader) Line() int64       { return p.row }

func (p *parquetReader) Next() ([]Value, error) {
	for p.i == p.n {
		if p.cur == nil {
			if len(p.groups) == 0 {
				return nil, io.EOF
			}
			p.cur, p.groups = p.groups[0].Rows(), p.groups[1:]
		}
		n, err := p.cur.ReadRows(p.rows)
		p.n, p.i = n, 0
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return nil, inputErr(p.row+1, "", "read Parquet rows: %v", err)
			}
			p.cur.Close()
			p.cur = nil
		}
	}
	row := p.rows[p.i]
	p.i++
	p.row++
	p.buf = p.buf[:0]
	for i := range p.vals {
		p.vals[i] = Value{Kind: KindNull}
	}
	spans := p.spans
	clear(spans)
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(p.leaf) || v.IsNull() {
			continue
		}
		start := len(p.buf)
		kind, err := p.appendText(p.leaf[c], v)
		if err != nil {
			return nil, inputErr(p.row, p.leaf[c].name, "%v", err)
		}
		spans[c] = valueSpan{kind, start, len(p.buf)}
	}
	for c, s := range spans {
		if s.kind != KindNull {
			p.vals[c] = Value{Kind: s.kind, B: p.buf[s.start:s.end:s.end]}
		}
	}
	return p.vals, nil
}

// appendText appends v as text to p.buf and says what kind it is.
func (p *parquetReader) appendText(leaf parquetLeaf, v parquet.Value) (Kind, error) {
	if leaf.timeUnit != 0 {
		t := time.Unix(0, 0).Add(time.Duration(v.Int64()) * leaf.timeUnit).UTC()
		layout := time.RFC3339
		if t.Nanosecond() != 0 {
			layout = leaf.timeLayout
		}
		p.buf = t.AppendFormat(p.buf, layout)
		return KindString, nil
	}
	if _, ok := leaf.logical.(*format.DateType); ok {
		p.buf = time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(p.buf, time.DateOnly)
		return KindString, nil
	}
	switch v.Kind() {
	case parquet.Boolean:
		p.buf = strconv.AppendBool(p.buf, v.Boolean())
		return KindBool, nil
	case parquet.Int32, parquet.Int64:
		n := v.Int64()
		if v.Kind() == parquet.Int32 {
			n = int64(v.Int32())
		}
		if leaf.isDecimal && leaf.scale > 0 {
			p.buf = append(p.buf, new(big.Rat).SetFrac(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(leaf.scale)), nil)).FloatString(int(leaf.scale))...)
			return KindNumber, nil
		}
		p.buf = strconv.AppendInt(p.buf, n, 10)
		return KindNumber, nil
	case parquet.Float, parquet.Double:
		f := v.Double()
		if v.Kind() == parquet.Float {
			f = float64(v.Float())
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("%v is not a finite number", f)
		}
		p.buf = strconv.AppendFloat(p.buf, f, 'g', -1, 64)
		return KindNumber, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if leaf.isDecimal {
			return 0, errors.New("decimals stored as byte arrays are not supported")
		}
		p.buf = append(p.buf, v.ByteArray()...)
		return KindString, nil
	}
	return 0, fmt.Errorf("Parquet type %s is not supported (INT96 timestamps: write them as INT64 timestamps)", v.Kind())
}
