package index

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"unsafe"
)

// The snapshot is the in-memory table written to one file when the index
// closes cleanly, so that the next Open loads it in one sequential read
// instead of decoding every document's stored record out of Bleve (27 s
// for 1,000,000 listings). It is only a cache of what Bleve's stored
// records hold:
//
//   - Close writes it, then stores its token in the Bleve index (keySnapshot)
//     before marking the index closed;
//   - Open uses it only when the index was closed cleanly and the file's
//     token is the one the index holds, then forgets the token, so that a
//     snapshot is read at most once and never describes an index that
//     changed after it was written;
//   - anything else (no file, another token, a short or corrupt file)
//     falls back to reading the records from Bleve.
//
// Layout: the magic, the token (16 bytes), the number of records, then
// each record (the lengths of its id, title and text, then their bytes,
// then the rest), then the string table (the number of distinct short
// strings, then each: uvarint length and bytes), then the string table's
// offset as 8 bytes, little-endian. Strings that repeat across listings
// (language, type, price type and model, currency, region, seller, seller
// name, host, tags, amount) are written once in the string table and
// referred to by their position.
//
// The snapshot is also where a table keeps the records it does not hold
// in memory (cold records, see rec): a table loaded from a snapshot keeps
// the file open and reads a record's title, summary and the rest only to
// show it as a hit. Writing a snapshot copies the cold records from the
// table's file, in the file's order, and after a checkpoint the table's
// records turn cold in the new file (table.cool).
//
// Each snapshot has its own file, named after its token (snapshotPath): the
// file the index's token names stays until a newer snapshot's token is
// stored, so that a stop between writing a snapshot and storing its token
// still finds the previous one.
const snapshotFile = "records.snap" // where snapshots were written before they were named by token; still read

// snapshotPath is the file of the snapshot whose token is tok.
func snapshotPath(dir, tok string) string { return filepath.Join(dir, "records-"+tok+".snap") }

// removeSnapshots removes the snapshot files in dir but keep's (none when
// keep is empty), and the temporary files of snapshots never finished.
func removeSnapshots(dir, keep string) error {
	names, err := filepath.Glob(filepath.Join(dir, "records*.snap*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		if keep != "" && name == snapshotPath(dir, keep) {
			continue
		}
		if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// snapshotMagic begins every snapshot; the digit is the layout's version.
var snapshotMagic = []byte("market-index-snapshot-2\n")

// keySnapshot is the Bleve internal key holding the token of the snapshot
// written when the index was last closed.
var keySnapshot = []byte("market.snapshot")

// Flags of a record in the snapshot.
const (
	snapHasMinor = 1 << iota
	snapHasLoc
)

// snapItem is one record as a snapshot writes it: the record in memory,
// or where the table's snapshot file holds it. gen tells whether the
// record still holds the same listing when the snapshot is done.
type snapItem struct {
	r   *rec
	s   *stored // nil: cold, at off in the table's snapshot file
	off int64
	gen uint32
}

// items lists the table's records for a snapshot.
func (t *table) items() []snapItem {
	out := make([]snapItem, len(t.all))
	for i, r := range t.all {
		out[i] = snapItem{r: r, s: r.s, off: r.off, gen: r.gen}
	}
	return out
}

// snapEncoder writes a snapshot and counts the bytes written.
type snapEncoder struct {
	w     *bufio.Writer
	pos   int64
	strs  map[string]uint64
	order []string
	buf   [binary.MaxVarintLen64]byte
}

func (e *snapEncoder) uv(v uint64) {
	n := binary.PutUvarint(e.buf[:], v)
	e.w.Write(e.buf[:n])
	e.pos += int64(n)
}

func (e *snapEncoder) sv(v int64) {
	n := binary.PutVarint(e.buf[:], v)
	e.w.Write(e.buf[:n])
	e.pos += int64(n)
}

func (e *snapEncoder) raw(s string) {
	e.w.WriteString(s)
	e.pos += int64(len(s))
}

// ref writes the position of s in the string table, adding it there.
func (e *snapEncoder) ref(s string) {
	i, ok := e.strs[s]
	if !ok {
		i = uint64(len(e.order))
		e.strs[s] = i
		e.order = append(e.order, s)
	}
	e.uv(i)
}

// record writes s and returns where it begins.
func (e *snapEncoder) record(s *stored) int64 {
	off := e.pos
	e.uv(uint64(len(s.ID)))
	e.uv(uint64(len(s.Title)))
	e.uv(uint64(len(s.Text)))
	e.raw(s.ID)
	e.raw(s.Title)
	e.raw(s.Text)
	for _, v := range []string{s.Lang, s.Type, s.Amount, s.Currency, s.PriceType, s.Model, s.Region, s.Seller, s.SellerName, s.Host} {
		e.ref(v)
	}
	e.uv(uint64(len(s.Tags)))
	for _, tg := range s.Tags {
		e.ref(tg)
	}
	var flags byte
	if s.HasMinor {
		flags |= snapHasMinor
	}
	if s.HasLoc {
		flags |= snapHasLoc
	}
	e.w.WriteByte(flags)
	e.pos++
	e.sv(s.Minor)
	e.sv(s.Published)
	e.sv(s.Updated)
	e.sv(s.Indexed)
	if s.HasLoc {
		e.uv(math.Float64bits(s.Lat))
		e.uv(math.Float64bits(s.Lon))
	}
	return off
}

// writeSnapshot writes items (see table.items) to a new snapshot file in
// dir (through a temporary file renamed into place) and returns the
// snapshot's token and where the file holds each item's record. Cold
// items are copied from the file they are in, from; the records in memory
// follow them.
func writeSnapshot(dir string, items []snapItem, from *coldFile) (token string, offs []int64, err error) {
	var tok [16]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return "", nil, err
	}
	path := snapshotPath(dir, hex.EncodeToString(tok[:]))
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	e := &snapEncoder{w: bufio.NewWriterSize(f, 1<<20), strs: map[string]uint64{"": 0}, order: []string{""}}
	e.w.Write(snapshotMagic)
	e.w.Write(tok[:])
	e.pos = int64(len(snapshotMagic) + len(tok))
	e.uv(uint64(len(items)))
	offs = make([]int64, len(items))

	// The cold records in the order of their file, read through once.
	var cold []int
	for i, it := range items {
		if it.s == nil {
			cold = append(cold, i)
		}
	}
	if len(cold) > 0 {
		if from == nil {
			return "", nil, fmt.Errorf("%d records are in no snapshot file", len(cold))
		}
		slices.SortFunc(cold, func(a, b int) int { return cmp.Compare(items[a].off, items[b].off) })
		br := bufio.NewReaderSize(io.NewSectionReader(from.f, 0, from.size), 1<<20)
		d := &snapReader{src: br}
		var s stored
		for _, i := range cold {
			if skip := items[i].off - d.pos; skip > 0 {
				n, err := br.Discard(int(skip))
				d.pos += int64(n)
				if err != nil {
					return "", nil, fmt.Errorf("copy record at byte %d of %s: %w", items[i].off, from.f.Name(), err)
				}
			} else if skip < 0 {
				return "", nil, fmt.Errorf("copy record at byte %d of %s: records overlap", items[i].off, from.f.Name())
			}
			if err := decodeRecord(d, from.strs, &s); err != nil {
				return "", nil, fmt.Errorf("copy record at byte %d of %s: %w", items[i].off, from.f.Name(), err)
			}
			offs[i] = e.record(&s)
		}
	}
	for i, it := range items {
		if it.s != nil {
			offs[i] = e.record(it.s)
		}
	}
	strAt := e.pos
	e.uv(uint64(len(e.order)))
	for _, s := range e.order {
		e.uv(uint64(len(s)))
		e.raw(s)
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint64(trailer[:], uint64(strAt))
	e.w.Write(trailer[:])
	if err := e.w.Flush(); err != nil {
		return "", nil, err
	}
	if err := f.Sync(); err != nil {
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		return "", nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", nil, err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return hex.EncodeToString(tok[:]), offs, nil
}

// errSnapshot marks a snapshot that cannot be used.
var errSnapshot = errors.New("unusable snapshot")

// byteSource is what a snapReader reads from: a buffered file, or the
// bytes of one record read at its offset.
type byteSource interface {
	io.ByteReader
	io.Reader
}

// snapReader reads a snapshot's records and counts the bytes read. The
// id, title and text of the record last read share one buffer, reused
// for the next record.
type snapReader struct {
	src byteSource
	pos int64
	err error
	buf []byte
}

func (d *snapReader) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at byte %d: %s", errSnapshot, d.pos, fmt.Sprintf(format, args...))
	}
}

// ReadByte counts the byte; binary.ReadUvarint reads through it.
func (d *snapReader) ReadByte() (byte, error) {
	b, err := d.src.ReadByte()
	if err == nil {
		d.pos++
	}
	return b, err
}

func (d *snapReader) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d)
	if err != nil {
		d.fail("bad number: %v", err)
		return 0
	}
	return v
}

// sv reads a signed varint (zig-zag encoded, as binary.PutVarint writes).
func (d *snapReader) sv() int64 {
	ux := d.uv()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *snapReader) byte() byte {
	if d.err != nil {
		return 0
	}
	b, err := d.ReadByte()
	if err != nil {
		d.fail("file ends")
	}
	return b
}

// take reads the next n bytes into the reader's buffer.
func (d *snapReader) take(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > maxRecordBytes {
		d.fail("%d bytes of strings in one record, at most %d", n, maxRecordBytes)
		return nil
	}
	if uint64(cap(d.buf)) < n {
		d.buf = make([]byte, n)
	}
	b := d.buf[:n]
	m, err := io.ReadFull(d.src, b)
	d.pos += int64(m)
	if err != nil {
		d.fail("file ends within a record")
		return nil
	}
	return b
}

// maxRecordBytes bounds a record's id, title and text together: far more
// than a valid listing's (listing.MaxURL, MaxTitle and summaryBytes).
const maxRecordBytes = 64 << 10

// maxRecordTags bounds a record's tags (a valid listing has listing.MaxTags).
const maxRecordTags = 1 << 16

// decodeRecord reads one record into s. Its id, title and text share the
// reader's buffer: valid until the next record is read.
func decodeRecord(d *snapReader, strs []string, s *stored) error {
	at := func() string {
		i := d.uv()
		if i >= uint64(len(strs)) {
			d.fail("string %d of %d", i, len(strs))
			return ""
		}
		return strs[i]
	}
	l0, l1, l2 := d.uv(), d.uv(), d.uv()
	if b := d.take(l0 + l1 + l2); d.err == nil {
		s.ID = unsafe.String(unsafe.SliceData(b), int(l0))
		s.Title = unsafe.String(unsafe.SliceData(b[l0:]), int(l1))
		s.Text = unsafe.String(unsafe.SliceData(b[l0+l1:]), int(l2))
	}
	s.Lang, s.Type, s.Amount, s.Currency, s.PriceType = at(), at(), at(), at(), at()
	s.Model, s.Region, s.Seller, s.SellerName, s.Host = at(), at(), at(), at(), at()
	s.Tags = s.Tags[:0]
	if n := d.uv(); n > 0 && d.err == nil {
		if n > maxRecordTags {
			d.fail("%d tags", n)
		} else {
			for range n {
				s.Tags = append(s.Tags, at())
			}
		}
	}
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	flags := d.byte()
	s.HasMinor, s.HasLoc = flags&snapHasMinor != 0, flags&snapHasLoc != 0
	s.Minor, s.Published, s.Updated, s.Indexed = d.sv(), d.sv(), d.sv(), d.sv()
	s.Lat, s.Lon = 0, 0
	if s.HasLoc {
		s.Lat, s.Lon = math.Float64frombits(d.uv()), math.Float64frombits(d.uv())
	}
	return d.err
}

// coldFile is the snapshot file a table reads its cold records from. It
// stays open while the table uses it, even once removed from the
// directory (a newer snapshot replaced it).
type coldFile struct {
	f      *os.File
	size   int64
	recEnd int64 // where the records end and the string table begins
	strs   []string
}

// read returns the record at off.
func (c *coldFile) read(off int64) (*stored, error) {
	for _, n := range []int64{1 << 10, maxRecordBytes + 4<<10} {
		n = min(n, c.size-off)
		buf := make([]byte, n)
		if _, err := c.f.ReadAt(buf, off); err != nil {
			return nil, fmt.Errorf("read record at byte %d of %s: %w", off, c.f.Name(), err)
		}
		s := new(stored)
		d := &snapReader{src: bytes.NewReader(buf), pos: off}
		err := decodeRecord(d, c.strs, s)
		if err == nil {
			// The strings share a buffer of their own: the record
			// keeps its id, title and text, and no more.
			s.ID, s.Title, s.Text = strings.Clone(s.ID), strings.Clone(s.Title), strings.Clone(s.Text)
			return s, nil
		}
		if off+n >= c.size {
			return nil, fmt.Errorf("read record at byte %d of %s: %w", off, c.f.Name(), err)
		}
	}
	return nil, fmt.Errorf("read record at byte %d of %s: longer than %d bytes", off, c.f.Name(), maxRecordBytes)
}

func (c *coldFile) close() {
	if c != nil {
		c.f.Close()
	}
}

// snapshotGCPercent is the garbage collector's target while a snapshot
// loads: the heap may grow five times what the last collection kept
// before the next one, instead of twice. The snapshot leaves almost no
// garbage; loading records from Bleve, which does, keeps the default.
const snapshotGCPercent = 400

// readSnapshot loads the table written to path when its token is token.
// The records stay in the file (cold): the table keeps in memory what
// filters, facets, sort orders and the id map need, with each id copied
// into large shared buffers, and keeps the file open to read a record
// when it is shown.
func readSnapshot(path, token string) (t *table, err error) {
	defer debug.SetGCPercent(debug.SetGCPercent(snapshotGCPercent))
	c, err := openCold(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	head := int64(len(snapshotMagic) + 16)
	hb := make([]byte, head)
	if _, err := c.f.ReadAt(hb, 0); err != nil {
		return nil, err
	}
	if string(hb[:len(snapshotMagic)]) != string(snapshotMagic) || hex.EncodeToString(hb[len(snapshotMagic):]) != token {
		return nil, fmt.Errorf("%w: not the snapshot of this index", errSnapshot)
	}
	f, strAt, strs := c.f, c.recEnd, c.strs
	d := &snapReader{src: bufio.NewReaderSize(io.NewSectionReader(f, head, strAt-head), 1<<20), pos: head}
	nrec := d.uv()
	if d.err != nil || nrec > uint64(strAt) {
		return nil, fmt.Errorf("%w: record count %d: %v", errSnapshot, nrec, d.err)
	}
	t = newTableSized(int(nrec))
	t.cold = c
	// One goroutine decodes while this one fills the table, in chunks
	// handed back and forth.
	type loaded struct {
		s   stored
		off int64
	}
	const chunk = 4096
	full, free := make(chan []loaded, 4), make(chan []loaded, 4)
	for range 4 {
		free <- make([]loaded, 0, chunk)
	}
	var derr error
	go func() {
		defer close(full)
		var ids idArena
		c := <-free
		for i := uint64(0); i < nrec; i++ {
			c = c[:len(c)+1]
			it := &c[len(c)-1]
			it.off = d.pos
			if err := decodeRecord(d, strs, &it.s); err != nil {
				derr = fmt.Errorf("record %d: %w", i, err)
				return
			}
			it.s.ID = ids.clone(it.s.ID)
			it.s.Title, it.s.Text = "", ""
			if len(c) == chunk || i == nrec-1 {
				full <- c
				c = (<-free)[:0]
			}
		}
		if d.pos != strAt {
			derr = fmt.Errorf("%w: %d bytes between the last record and the string table", errSnapshot, strAt-d.pos)
		}
	}()
	for c := range full {
		for i := range c {
			t.putCold(&c[i].s, c[i].off)
		}
		free <- c
	}
	if derr != nil {
		return nil, derr
	}
	return t, nil
}

// readStrings reads the string table between the offsets from and to of
// f. The strings share one buffer, which holds no pointers.
func readStrings(f *os.File, from, to int64) ([]string, error) {
	b := make([]byte, to-from)
	if _, err := f.ReadAt(b, from); err != nil {
		return nil, err
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, fmt.Errorf("%w: string table of %d", errSnapshot, n)
	}
	off := k
	strs := make([]string, n)
	for i := range strs {
		l, k := binary.Uvarint(b[off:])
		if k <= 0 || l > uint64(len(b)-off-k) {
			return nil, fmt.Errorf("%w: string %d of the string table", errSnapshot, i)
		}
		off += k
		strs[i] = unsafe.String(unsafe.SliceData(b[off:]), int(l))
		off += int(l)
	}
	if off != len(b) {
		return nil, fmt.Errorf("%w: %d bytes after the string table", errSnapshot, len(b)-off)
	}
	return strs, nil
}

// idArena copies ids into large shared buffers: a million ids cost the
// garbage collector a few hundred objects with no pointers instead of a
// million small ones. A buffer stays as long as one id in it is used.
type idArena struct{ buf []byte }

const idArenaChunk = 1 << 20

func (a *idArena) clone(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > idArenaChunk/8 {
		return strings.Clone(s)
	}
	if len(a.buf)+len(s) > cap(a.buf) {
		a.buf = make([]byte, 0, idArenaChunk)
	}
	start := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(&a.buf[start], len(s))
}

// openCold opens the snapshot at path to read records from.
func openCold(path string) (*coldFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	size := st.Size()
	var trailer [8]byte
	if size < int64(len(snapshotMagic)+16+8) {
		f.Close()
		return nil, fmt.Errorf("%w: %d bytes, shorter than its header", errSnapshot, size)
	}
	magic := make([]byte, len(snapshotMagic))
	if _, err := f.ReadAt(magic, 0); err != nil {
		f.Close()
		return nil, err
	}
	if !bytes.Equal(magic, snapshotMagic) {
		f.Close()
		return nil, fmt.Errorf("%w: begins %q, not %q (another layout: the records are read from Bleve once, and the next snapshot has this layout)", errSnapshot, magic, snapshotMagic)
	}
	if _, err := f.ReadAt(trailer[:], size-8); err != nil {
		f.Close()
		return nil, err
	}
	strAt := int64(binary.LittleEndian.Uint64(trailer[:]))
	if strAt < int64(len(snapshotMagic)+16) || strAt > size-8 {
		f.Close()
		return nil, fmt.Errorf("%w: string table at byte %d of %d", errSnapshot, strAt, size)
	}
	strs, err := readStrings(f, strAt, size-8)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &coldFile{f: f, size: size, recEnd: strAt, strs: strs}, nil
}
