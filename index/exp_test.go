package index

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sovereign-marketplace/market/index/synth"
)

func TestExpSize(t *testing.T) {
	if os.Getenv("EXP") == "" {
		t.Skip()
	}
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(42)
	raw := 0
	for i := 0; i < 20000; i++ {
		it := g.Listing(i)
		raw += it.TextBytes()
		ix.Put(it.Listing, Meta{SellerHost: it.SellerHost, SellerName: it.SellerName, Received: it.Received})
	}
	ix.Flush(context.Background())
	ix.Close()
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if fi, err := d.Info(); err == nil && !d.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	t.Logf("%s: %d KB for %d KB text: %.2fx", os.Getenv("EXP"), n>>10, raw>>10, float64(n)/float64(raw))
}
