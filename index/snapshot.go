package index

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
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
const snapshotFile = "records.snap"

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

// writeSnapshot writes every record of t to path (through a temporary file
// renamed into place) and returns the snapshot's token.
func writeSnapshot(path string, t *table) (token string, err error) {
	var tok [16]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return "", err
	}
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
	for _, r := range t.all {
		s := r.s
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
	uv(uint64(len(t.all)))
	for _, r := range t.all {
		s := r.s
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

// readSnapshot loads the table written to path when its token is token.
func readSnapshot(path, token string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	head := make([]byte, len(snapshotMagic)+16)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, fmt.Errorf("%w: %v", errSnapshot, err)
	}
	if string(head[:len(snapshotMagic)]) != string(snapshotMagic) || hex.EncodeToString(head[len(snapshotMagic):]) != token {
		return nil, fmt.Errorf("%w: not the snapshot of this index", errSnapshot)
	}
	var rerr error
	uv := func() uint64 {
		v, err := binary.ReadUvarint(r)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	sv := func() int64 {
		v, err := binary.ReadVarint(r)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	readStr := func() string {
		n := uv()
		if rerr != nil {
			return ""
		}
		if n > 1<<24 {
			rerr = fmt.Errorf("%w: string of %d bytes", errSnapshot, n)
			return ""
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil && rerr == nil {
			rerr = err
		}
		return string(b)
	}
	nstr := uv()
	if rerr != nil || nstr > 1<<28 {
		return nil, fmt.Errorf("%w: string table: %v", errSnapshot, rerr)
	}
	strs := make([]string, nstr)
	for i := range strs {
		strs[i] = readStr()
	}
	at := func() string {
		i := uv()
		if i >= uint64(len(strs)) {
			if rerr == nil {
				rerr = fmt.Errorf("%w: string %d of %d", errSnapshot, i, len(strs))
			}
			return ""
		}
		return strs[i]
	}
	nrec := uv()
	if rerr != nil || nrec > 1<<32 {
		return nil, fmt.Errorf("%w: record count: %v", errSnapshot, rerr)
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
			var lens [3]uint64
			total := uint64(0)
			for j := range lens {
				lens[j] = uv()
				total += lens[j]
			}
			if rerr == nil && total > 1<<26 {
				rerr = fmt.Errorf("%w: record of %d bytes", errSnapshot, total)
			}
			if rerr == nil {
				// ID, title and text share one allocation.
				b := make([]byte, total)
				if _, err := io.ReadFull(r, b); err != nil {
					rerr = err
				}
				all := string(b)
				s.ID, s.Title, s.Text = all[:lens[0]], all[lens[0]:lens[0]+lens[1]], all[lens[0]+lens[1]:]
			}
			s.Lang, s.Type, s.Amount, s.Currency, s.PriceType = at(), at(), at(), at(), at()
			s.Model, s.Region, s.Seller, s.SellerName, s.Host = at(), at(), at(), at(), at()
			if n := uv(); n > 0 && rerr == nil {
				if n > 1<<16 {
					rerr = fmt.Errorf("%w: %d tags", errSnapshot, n)
				} else {
					s.Tags = make([]string, n)
					for j := range s.Tags {
						s.Tags[j] = at()
					}
				}
			}
			flags, err := r.ReadByte()
			if err != nil && rerr == nil {
				rerr = err
			}
			s.HasMinor, s.HasLoc = flags&snapHasMinor != 0, flags&snapHasLoc != 0
			s.Minor, s.Published, s.Updated, s.Indexed = sv(), sv(), sv(), sv()
			if s.HasLoc {
				s.Lat, s.Lon = math.Float64frombits(uv()), math.Float64frombits(uv())
			}
			if rerr != nil {
				derr = fmt.Errorf("%w: record %d: %v", errSnapshot, i, rerr)
				return
			}
			if (i+1)%4096 == 0 || i == len(recs)-1 {
				chunks <- i + 1
			}
		}
		if _, err := r.ReadByte(); err != io.EOF {
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
