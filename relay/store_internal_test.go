package relay

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"
	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/listing"
)

// TestListingCountFollowsWrites: the stored count moves with new listings
// and deletions, not with replacements, and a store without the count
// (written before it existed) counts its listings when opened.
func TestListingCountFollowsWrites(t *testing.T) {
	db, s := openTestStore(t)
	put := func(id, owner string) {
		t.Helper()
		err := s.Update(func(t *Txn) error {
			return t.PutListing(&Record{Listing: listing.Listing{FederatedAPID: id, Owner: owner}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(want int, when string) {
		t.Helper()
		var n int
		s.View(func(t *Txn) error { n = t.CountListings(); return nil })
		if n != want {
			t.Errorf("%s: CountListings = %d, want %d", when, n, want)
		}
	}
	count(0, "empty")
	put("https://a.example/l/1", "https://a.example/u/a")
	put("https://a.example/l/2", "https://a.example/u/a")
	put("https://a.example/l/2", "https://a.example/u/b")
	count(2, "two listings, one replaced")
	owned := func(owner string) (ids []string) {
		s.View(func(t *Txn) error {
			recs, _ := t.ListingsOf(owner)
			for _, r := range recs {
				ids = append(ids, r.Listing.FederatedAPID)
			}
			return nil
		})
		return ids
	}
	if a, b := owned("https://a.example/u/a"), owned("https://a.example/u/b"); len(a) != 1 || len(b) != 1 {
		t.Errorf("after a listing changed owner: a owns %v, b owns %v; want one each", a, b)
	}
	put("https://a.example/l/2", "https://a.example/u/b")
	if b := owned("https://a.example/u/b"); len(b) != 1 {
		t.Errorf("after a listing was replaced by its owner: b owns %v; want one", b)
	}
	s.Update(func(t *Txn) error { _, err := t.DeleteListing("https://a.example/l/1"); return err })
	s.Update(func(t *Txn) error { _, err := t.DeleteListing("https://a.example/l/1"); return err })
	count(1, "one deleted twice")
	put("https://a.example/l/3", "https://a.example/u/b")
	s.Update(func(t *Txn) error { _, err := t.DeleteListingsOf("https://a.example/u/b"); return err })
	count(0, "the owner's listings deleted")

	put("https://a.example/l/4", "https://a.example/u/c")
	put("https://a.example/l/5", "https://a.example/u/c")
	db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaListingCount) })
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	count(2, "a store written before the count")
}

// TestRecordsKeepEvidenceOnceAndOldOnesRead: a record is stored
// compressed, with the activity byte for byte as received (white space,
// and characters JSON encoders escape, kept) and an embedded object not
// stored a second time; records in the earlier layouts (plain JSON, and
// JSON compressed with S2) read the same as before; a damaged record is
// an error, not a panic.
func TestRecordsKeepEvidenceOnceAndOldOnesRead(t *testing.T) {
	db, s := openTestStore(t)
	obj := `{"id":"https://a.example/l/1", "type":["Note","Proposal"],` + "\n\t" + `"name":"Bikes & <bells>, old bicycle, old bicycle"}`
	activity := "{\n  \"type\": \"Create\",\n  \"object\": " + obj + "\n}\n"
	rec := &Record{
		Listing:  listing.Listing{FederatedAPID: "https://a.example/l/1", Owner: "https://a.example/u/a", Title: "Old bicycle"},
		Activity: json.RawMessage(activity), Object: json.RawMessage(obj),
		Signature: &Signature{KeyID: "https://a.example/u/a#main-key", Header: "sig"}, Arrival: ArrivalDelivered,
		Received: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	discovered := &Record{
		Listing: listing.Listing{FederatedAPID: "https://a.example/l/4", Owner: "https://a.example/u/a", Title: "Lamp"},
		Object:  json.RawMessage(`{"id":"https://a.example/l/4"}`), FetchedVia: "https://a.example/u/a", Arrival: ArrivalDiscovered,
	}
	for _, r := range []*Record{rec, discovered} {
		if err := s.Update(func(t *Txn) error { return t.PutListing(r) }); err != nil {
			t.Fatal(err)
		}
	}
	plain, _ := json.Marshal(rec)
	oldJSON, oldS2 := *rec, *rec
	oldJSON.Listing.FederatedAPID = "https://a.example/l/2"
	oldS2.Listing.FederatedAPID = "https://a.example/l/3"
	db.Update(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketListings).Get([]byte("https://a.example/l/1"))
		if v[0] != recordFramed || len(v) >= len(plain) {
			t.Errorf("stored record: %d bytes beginning %q, want compressed below the %d of its JSON", len(v), v[:1], len(plain))
		}
		frame, err := s2.Decode(nil, v[1:])
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(frame, []byte(obj)); n != 1 {
			t.Errorf("the object is stored %d times, want once (inside the activity)", n)
		}
		b, _ := json.Marshal(&oldJSON)
		if err := tx.Bucket(bucketListings).Put([]byte(oldJSON.Listing.FederatedAPID), b); err != nil {
			return err
		}
		b, _ = json.Marshal(&oldS2)
		return tx.Bucket(bucketListings).Put([]byte(oldS2.Listing.FederatedAPID), append([]byte{recordS2}, s2.Encode(nil, b)...))
	})
	read := func(id string) *Record {
		t.Helper()
		var got *Record
		var err error
		s.View(func(tx *Txn) error { got, err = tx.Listing(id); return err })
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := read(rec.Listing.FederatedAPID)
	if string(got.Activity) != activity || string(got.Object) != obj {
		t.Errorf("read back activity %q and object %q\nwant as received %q and %q", got.Activity, got.Object, activity, obj)
	}
	for _, want := range []*Record{rec, discovered, &oldJSON, &oldS2} {
		g, _ := json.Marshal(read(want.Listing.FederatedAPID))
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("read back %s\nwant %s", g, w)
		}
	}

	// Damaged records are errors, not panics.
	framed := func(parts ...[]byte) []byte {
		var f []byte
		for i, p := range parts {
			if i < len(parts)-1 {
				f = binary.AppendUvarint(f, uint64(len(p)))
			}
			f = append(f, p...)
		}
		return append([]byte{recordFramed}, s2.Encode(nil, f)...)
	}
	head := []byte(`{"listing":{"federated_ap_id":"https://a.example/l/9"},"object_at":[2,40]}`)
	for name, v := range map[string][]byte{
		"compressed garbage":        {recordS2, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"unknown layout":            append([]byte{0x07}, s2.Encode(nil, []byte("{}"))...),
		"head longer than the rest": append([]byte{recordFramed}, s2.Encode(nil, binary.AppendUvarint(nil, 999))...),
		"object outside activity":   framed(head, []byte(`{"type":"Create"}`), nil),
		"not JSON in the head":      framed([]byte(`{"listing":`), nil, nil),
	} {
		db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketListings).Put([]byte("https://a.example/l/9"), v) })
		s.View(func(tx *Txn) error {
			if _, err := tx.Listing("https://a.example/l/9"); err == nil {
				t.Errorf("%s: read without an error", name)
			}
			return nil
		})
	}
}

// openTestStore is a Store on a new bbolt file, closed when the test ends.
func openTestStore(t *testing.T) (*bbolt.DB, *Store) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := NewStore(db)
	if err != nil {
		t.Fatal(err)
	}
	return db, s
}

// BenchmarkRecord encodes and decodes a delivered listing's record as
// stored, and the layout before it (the record's JSON, S2-compressed) for
// comparison.
func BenchmarkRecord(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "listing", "testdata", "golden", "encoded", "*.json"))
	if len(files) == 0 {
		b.Fatal("no listing samples")
	}
	obj, err := os.ReadFile(files[0])
	if err != nil {
		b.Fatal(err)
	}
	var compact bytes.Buffer // as a hub sends it
	if err := json.Compact(&compact, obj); err != nil {
		b.Fatal(err)
	}
	obj = compact.Bytes()
	l, err := listing.Decode(obj)
	if err != nil {
		b.Fatal(err)
	}
	act := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://hub.example/a/1","type":"Create","actor":"https://hub.example/u","object":` + string(obj) + `}`)
	rec := &Record{Listing: *l, Activity: act, Object: act[len(act)-1-len(obj) : len(act)-1],
		Signature: &Signature{KeyID: "https://hub.example/u#main-key", Header: strings.Repeat("s", 344), Date: "Thu, 03 Dec 2026 15:00:00 GMT", Digest: "SHA-256=" + strings.Repeat("d", 44)},
		Arrival:   ArrivalDelivered, Received: time.Now(), FirstSeen: time.Now()}
	jsonS2 := func(r *Record) []byte {
		v, _ := json.Marshal(r)
		return append([]byte{recordS2}, s2.Encode(nil, v)...)
	}
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := encodeRecord(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode-json-s2", func(b *testing.B) {
		for b.Loop() {
			jsonS2(rec)
		}
	})
	for name, v := range map[string][]byte{"decode": must(encodeRecord(rec)), "decode-json-s2": jsonS2(rec)} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := decodeRecord(v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(v)), "stored-bytes")
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
