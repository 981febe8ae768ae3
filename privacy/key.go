package privacy

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ProductKeyLen is how many random bytes LoadOrCreateProductKey writes to a
// new key file.
const ProductKeyLen = 32

// LoadOrCreateProductKey returns the secret key of a data product, the key
// of its keyed hashes (Options.Key), kept in the file at path: the file
// holds the raw key bytes, at least MinKeyLen of them. When the file does
// not exist, it is created with ProductKeyLen random bytes and mode 0600,
// and created is true: hashes stay stable from one run to the next only
// with the same key, so the owner must keep the file.
//
// A file that holds fewer than MinKeyLen bytes is refused with an error
// that wraps ErrInvalidKey and names the file; the file is never
// overwritten.
func LoadOrCreateProductKey(path string) (key []byte, created bool, err error) {
	key, err = readProductKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	key = make([]byte, ProductKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, false, fmt.Errorf("make product key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another run created it in the meantime: use that one.
		key, err = readProductKey(path)
		return key, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("create product key file: %w", err)
	}
	_, err = f.Write(key)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, false, fmt.Errorf("write product key file %s: %w", path, err)
	}
	return key, true, nil
}

// readProductKey reads and checks an existing key file; the error wraps
// fs.ErrNotExist when there is none.
func readProductKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read product key file: %w", err)
	}
	if len(key) < MinKeyLen {
		return nil, fmt.Errorf("%w: key file %s holds %d bytes; want the raw key, at least %d bytes (a new file gets %d random bytes)",
			ErrInvalidKey, path, len(key), MinKeyLen, ProductKeyLen)
	}
	return key, nil
}
