package relay_test

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
)

// copyDir copies the files of a testdata directory into a new temporary
// directory, so that a test never changes the fixture.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func publicKeyDER(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s holds no PEM block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		k2, err2 := x509.ParsePKCS1PrivateKey(blk.Bytes)
		if err2 != nil {
			t.Fatalf("%s: %v / %v", path, err, err2)
		}
		k = k2
	}
	der, err := x509.MarshalPKIXPublicKey(k.(crypto.Signer).Public())
	if err != nil {
		t.Fatal(err)
	}
	return string(der)
}

// TestOldDataDirOpensUnchanged opens a data directory written by the relay
// before the node package existed (testdata/relay-v1: relay.db, relay.key)
// and finds everything it held: the same actor key, the admin token, the
// follows both ways, the block, the listings, the report and the
// takedown, and a search index rebuilt from the listings.
func TestOldDataDirOpensUnchanged(t *testing.T) {
	const alice = "http://127.0.0.1:35365/users/alice"
	ids := []string{alice + "/listings/2166524ac906791ed33d1976", alice + "/listings/4116e4e261c7af9269973fdb", alice + "/listings/7cd303c3959b411b14cc212d"}
	dir := copyDir(t, "testdata/relay-v1")
	oldKey := publicKeyDER(t, filepath.Join(dir, "relay.key"))
	oldToken, _ := os.ReadFile(filepath.Join(dir, "admin.token"))

	cfg := relayConfig(t, dir)
	r := startRelay(t, cfg)
	for _, gone := range []string{"relay.db", "relay.key"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s still in the data directory after the move (%v)", gone, err)
		}
	}
	if got := publicKeyDER(t, filepath.Join(dir, node.KeyFile)); got != oldKey {
		t.Error("the actor key changed")
	}
	if tok, err := node.AdminToken(dir, ""); err != nil || tok+"\n" != string(oldToken) {
		t.Errorf("admin token = %q, %v; want the old one", tok, err)
	}
	if f := r.follows(true); f[alice] != federation.FollowAccepted {
		t.Errorf("following = %v, want alice accepted", f)
	}
	if f := r.follows(false); f[alice] != federation.FollowAccepted {
		t.Errorf("followers = %v, want alice accepted", f)
	}
	if !r.Blocked("www.spam.example") {
		t.Error("the block of spam.example was lost")
	}
	for _, id := range ids[:2] {
		rec, err := r.listing(id)
		if err != nil {
			t.Fatalf("listing %s lost: %v", id, err)
		}
		if rec.Signature == nil || len(rec.Activity) == 0 {
			t.Errorf("listing %s lost its evidence", id)
		}
	}
	if _, err := r.listing(ids[2]); err == nil {
		t.Error("the taken-down listing came back")
	}
	// The store counted its listings once, on its first open.
	r.Store().View(func(tx *relay.Txn) error {
		if n := tx.CountListings(); n != 2 {
			t.Errorf("CountListings = %d, want the 2 listings kept", n)
		}
		return nil
	})
	reps, err := r.Reports()
	if err != nil || len(reps) != 1 || reps[0].ListingID != ids[1] {
		t.Errorf("reports = %+v, %v", reps, err)
	}
	tds, err := r.Takedowns()
	if err != nil || len(tds) != 1 || tds[0].ListingID != ids[2] {
		t.Errorf("takedowns = %+v, %v", tds, err)
	}
	// An applied activity id moved too: the same Create again is a duplicate.
	var seen int
	r.Store().View(func(tx *relay.Txn) error {
		return tx.EachListing(func(rec *relay.Record) error {
			a, err := federation.ParseActivity(rec.Activity)
			if err == nil && tx.Seen().Has(a.ID) {
				seen++
			}
			return nil
		})
	})
	if seen != 2 {
		t.Errorf("%d of 2 stored Creates remembered as applied", seen)
	}
	waitReady(t, "the search index to be rebuilt", cfg.PublicURL)
	resp, err := http.Get(cfg.PublicURL + "/api/v1/search?q=sleep")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ID != ids[1] {
		t.Fatalf("search after the move = %+v, %v", res, err)
	}
	// And it opens again, with nothing left to move.
	r.stop()
	r2 := startRelay(t, cfg)
	if f := r2.follows(false); f[alice] != federation.FollowAccepted {
		t.Errorf("followers after a second start = %v", f)
	}
}
