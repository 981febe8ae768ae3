package index

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
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
// Layout: the magic, the token (16 bytes), the number of distinct short
// strings then each (uvarint length and bytes), the number of records then
// each record (the lengths of its id, title and text, then their bytes,
// then the rest). Strings that repeat across listings (language, type, price
// type and model, currency, region, seller, seller name, host, tags, amount)
// are written once in the string table and referred to by their position.
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
var snapshotMagic = []byte("market-index-snapshot-1\n")

// keySnapshot is the Bleve internal key holding the token of the snapshot
// written when the index was last closed.
var keySnapshot = []byte("market.snapshot")

// Flags of a record in the snapshot.
const (
	snapHasMinor = 1 << iota
	snapHasLoc
)

// writeSnapshot writes recs (every record of a table, see table.records)
// to a new snapshot file in dir (through a temporary file renamed into
// place) and returns the snapshot's token.
func writeSnapshot(dir string, recs []*stored) (token string, err error) {
	var tok [16]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return "", err
	}
	path := snapshotPath(dir, hex.EncodeToString(tok[:]))
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	var buf [binary.MaxVarintLen64]byte
	uv := func(v uint64) { w.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	sv := func(v int64) { w.Write(buf[:binary.PutVarint(buf[:], v)]) }
	str := func(s string) { uv(uint64(len(s))); w.WriteString(s) }

	strs := map[string]uint64{"": 0}
	order := []string{""}
	ref := func(s string) {
		if _, ok := strs[s]; !ok {
			strs[s] = uint64(len(order))
			order = append(order, s)
		}
	}
	for _, s := range recs {
		for _, v := range []string{s.Lang, s.Type, s.Amount, s.Currency, s.PriceType, s.Model, s.Region, s.Seller, s.SellerName, s.Host} {
			ref(v)
		}
		for _, tg := range s.Tags {
			ref(tg)
		}
	}
	w.Write(snapshotMagic)
	w.Write(tok[:])
	uv(uint64(len(order)))
	for _, s := range order {
		str(s)
	}
	uv(uint64(len(recs)))
	for _, s := range recs {
		uv(uint64(len(s.ID)))
		uv(uint64(len(s.Title)))
		uv(uint64(len(s.Text)))
		w.WriteString(s.ID)
		w.WriteString(s.Title)
		w.WriteString(s.Text)
		for _, v := range []string{s.Lang, s.Type, s.Amount, s.Currency, s.PriceType, s.Model, s.Region, s.Seller, s.SellerName, s.Host} {
			uv(strs[v])
		}
		uv(uint64(len(s.Tags)))
		for _, tg := range s.Tags {
			uv(strs[tg])
		}
		var flags byte
		if s.HasMinor {
			flags |= snapHasMinor
		}
		if s.HasLoc {
			flags |= snapHasLoc
		}
		w.WriteByte(flags)
		sv(s.Minor)
		sv(s.Published)
		sv(s.Updated)
		sv(s.Indexed)
		if s.HasLoc {
			uv(math.Float64bits(s.Lat))
			uv(math.Float64bits(s.Lon))
		}
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return hex.EncodeToString(tok[:]), nil
}

// errSnapshot marks a snapshot that cannot be used.
var errSnapshot = errors.New("unusable snapshot")

// snapDecoder reads the snapshot's fields out of the file's bytes.
type snapDecoder struct {
	b   []byte
	off int
	err error
}

func (d *snapDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at byte %d: %s", errSnapshot, d.off, fmt.Sprintf(format, args...))
	}
}

func (d *snapDecoder) uv() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.off += n
	return v
}

// sv reads a signed varint (zig-zag encoded, as binary.PutVarint writes).
func (d *snapDecoder) sv() int64 {
	ux := d.uv()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *snapDecoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.fail("file ends")
		return 0
	}
	d.off++
	return d.b[d.off-1]
}

// str returns the next n bytes as a string sharing the file's memory.
func (d *snapDecoder) str(n uint64) string {
	if d.err != nil || n == 0 {
		return ""
	}
	if n > uint64(len(d.b)-d.off) {
		d.fail("string of %d bytes past the end", n)
		return ""
	}
	s := unsafe.String(&d.b[d.off], int(n))
	d.off += int(n)
	return s
}

// snapshotGCPercent is the garbage collector's target while a snapshot
// loads: the heap may grow five times what the last collection kept
// before the next one, instead of twice. The snapshot leaves almost no
// garbage; loading records from Bleve, which does, keeps the default.
const snapshotGCPercent = 400

// readSnapshot loads the table written to path when its token is token.
// The file is read whole, and the strings of the records (id, title,
// text, and the string table) share its memory instead of being copied
// one by one: a few large objects with no pointers in them, which the
// garbage collector never scans. The file's bytes stay in memory as long
// as one record loaded from it does (at most the snapshot's size, a record
// replaced since keeping its part).
func readSnapshot(path, token string) (*table, error) {
	// Loading grows the heap from nothing to about a kilobyte per listing,
	// nearly all of it kept: the collector, run at each doubling, would
	// scan the records again and again for little garbage (1,000,000
	// listings: 2.4 s to ready at GOGC 100, 1.8 s at 400).
	defer debug.SetGCPercent(debug.SetGCPercent(snapshotGCPercent))
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head := len(snapshotMagic) + 16
	if len(b) < head {
		return nil, fmt.Errorf("%w: %d bytes, shorter than its header", errSnapshot, len(b))
	}
	if string(b[:len(snapshotMagic)]) != string(snapshotMagic) || hex.EncodeToString(b[len(snapshotMagic):head]) != token {
		return nil, fmt.Errorf("%w: not the snapshot of this index", errSnapshot)
	}
	d := &snapDecoder{b: b, off: head}
	nstr := d.uv()
	if d.err != nil || nstr > uint64(len(b)) {
		return nil, fmt.Errorf("%w: string table of %d: %v", errSnapshot, nstr, d.err)
	}
	strs := make([]string, nstr)
	for i := range strs {
		strs[i] = d.str(d.uv())
	}
	at := func() string {
		i := d.uv()
		if i >= uint64(len(strs)) {
			d.fail("string %d of %d", i, len(strs))
			return ""
		}
		return strs[i]
	}
	nrec := d.uv()
	if d.err != nil || nrec > uint64(len(b)) {
		return nil, fmt.Errorf("%w: record count %d: %v", errSnapshot, nrec, d.err)
	}
	// One goroutine decodes while this one fills the table, in chunks.
	t := newTableSized(int(nrec))
	recs := make([]stored, nrec)
	chunks := make(chan int, 64) // each chunk's end
	var derr error
	go func() {
		defer close(chunks)
		for i := range recs {
			s := &recs[i]
			l0, l1, l2 := d.uv(), d.uv(), d.uv()
			s.ID, s.Title, s.Text = d.str(l0), d.str(l1), d.str(l2)
			s.Lang, s.Type, s.Amount, s.Currency, s.PriceType = at(), at(), at(), at(), at()
			s.Model, s.Region, s.Seller, s.SellerName, s.Host = at(), at(), at(), at(), at()
			if n := d.uv(); n > 0 && d.err == nil {
				if n > 1<<16 {
					d.fail("%d tags", n)
				} else {
					s.Tags = make([]string, n)
					for j := range s.Tags {
						s.Tags[j] = at()
					}
				}
			}
			flags := d.byte()
			s.HasMinor, s.HasLoc = flags&snapHasMinor != 0, flags&snapHasLoc != 0
			s.Minor, s.Published, s.Updated, s.Indexed = d.sv(), d.sv(), d.sv(), d.sv()
			if s.HasLoc {
				s.Lat, s.Lon = math.Float64frombits(d.uv()), math.Float64frombits(d.uv())
			}
			if d.err != nil {
				derr = fmt.Errorf("record %d: %w", i, d.err)
				return
			}
			if (i+1)%4096 == 0 || i == len(recs)-1 {
				chunks <- i + 1
			}
		}
		if d.off != len(d.b) {
			derr = fmt.Errorf("%w: data after the last record", errSnapshot)
		}
	}()
	done := 0
	for end := range chunks {
		for ; done < end; done++ {
			t.put(&recs[done])
		}
	}
	if derr != nil {
		return nil, derr
	}
	return t, nil
}
