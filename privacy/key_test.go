package privacy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateProductKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.json.key")
	key, created, err := LoadOrCreateProductKey(path)
	if err != nil || !created || len(key) != ProductKeyLen {
		t.Fatalf("first call: %d bytes, created %v, %v; want %d new bytes", len(key), created, err, ProductKeyLen)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	onDisk, _ := os.ReadFile(path)
	if !bytes.Equal(onDisk, key) {
		t.Errorf("the file holds %x, the key returned is %x", onDisk, key)
	}
	again, created, err := LoadOrCreateProductKey(path)
	if err != nil || created || !bytes.Equal(again, key) {
		t.Fatalf("second call: %x, created %v, %v; want the same key, not created", again, created, err)
	}

	// A key the owner made is used as it is, whatever its length above the minimum.
	own := filepath.Join(t.TempDir(), "own.key")
	if err := os.WriteFile(own, []byte(strings.Repeat("k", MinKeyLen)), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, created, err := LoadOrCreateProductKey(own); err != nil || created || string(got) != strings.Repeat("k", MinKeyLen) {
		t.Errorf("a key of exactly %d bytes: %q, created %v, %v", MinKeyLen, got, created, err)
	}
}

func TestLoadOrCreateProductKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.key")
	if err := os.WriteFile(short, []byte("0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadOrCreateProductKey(short)
	if !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("a key file of 11 bytes: %v, want ErrInvalidKey", err)
	}
	for _, want := range []string{short, "holds 11 bytes", "want the raw key, at least 16 bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if b, _ := os.ReadFile(short); string(b) != "0123456789\n" {
		t.Errorf("a refused key file was changed: %q", b)
	}

	for name, path := range map[string]string{
		"a folder":            dir,
		"in a missing folder": filepath.Join(dir, "no", "such", "p.key"),
	} {
		if _, _, err := LoadOrCreateProductKey(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming %s", name, err, path)
		}
	}
}
