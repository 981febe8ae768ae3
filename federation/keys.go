package federation

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// keyBits is the size of the RSA keys this package creates.
const keyBits = 2048

// LoadOrCreateKey returns the RSA private key kept in the PEM file at path.
// On the first call, when the file does not exist, it creates an RSA-2048
// key and writes it there with mode 0600 (creating the directory with mode
// 0700); later calls return the same key. A key file readable by others is
// tightened to 0600. Concurrent first calls agree on one key.
func LoadOrCreateKey(path string) (*rsa.PrivateKey, error) {
	return loadOrCreate(path, loadKey, func() (any, error) { return rsa.GenerateKey(rand.Reader, keyBits) })
}

// LoadOrCreateEd25519Key is LoadOrCreateKey for an Ed25519 key (PKCS#8
// PEM), the actor's second key (see Multikey).
func LoadOrCreateEd25519Key(path string) (ed25519.PrivateKey, error) {
	return loadOrCreate(path, loadEd25519Key, func() (any, error) {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	})
}

// loadOrCreate loads the key at path with load or, when there is no
// file, writes one that generate makes (mode 0600, directory 0700) and
// loads it; when another process wrote one first, its key wins.
func loadOrCreate[K any](path string, load func(string) (K, error), generate func() (any, error)) (K, error) {
	key, err := load(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	var zero K
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return zero, fmt.Errorf("create key directory %s: %w", dir, err)
	}
	k, err := generate()
	if err != nil {
		return zero, fmt.Errorf("generate key for %s: %w", path, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return zero, fmt.Errorf("encode key for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return zero, fmt.Errorf("create key file in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return zero, fmt.Errorf("chmod key file %s: %w", tmp.Name(), err)
	}
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return zero, fmt.Errorf("write key file %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return zero, fmt.Errorf("sync key file %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return zero, fmt.Errorf("close key file %s: %w", tmp.Name(), err)
	}
	// Link, unlike rename, never replaces an existing file: when another
	// process created the key first, its key wins and is loaded below.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return zero, fmt.Errorf("install key file %s: %w", path, err)
	}
	return load(path)
}

// readKeyBlock reads the PEM block of the private key file at path,
// tightening its mode to 0600 first when others may read it.
func readKeyBlock(path string) (*pem.Block, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("key %s has mode %o, want 0600: %w", path, fi.Mode().Perm(), err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("read key %s: no PEM block", path)
	}
	return block, nil
}

// loadKey reads an RSA private key (PKCS#8 or PKCS#1 PEM) from path.
func loadKey(path string) (*rsa.PrivateKey, error) {
	block, err := readKeyBlock(path)
	if err != nil {
		return nil, err
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse key %s: %w", path, err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parse key %s: %T is not an RSA key", path, k)
		}
		return rk, nil
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse key %s: %w", path, err)
		}
		return k, nil
	default:
		return nil, fmt.Errorf("parse key %s: PEM block %q is not a private key", path, block.Type)
	}
}

// loadEd25519Key reads an Ed25519 private key (PKCS#8 PEM) from path.
func loadEd25519Key(path string) (ed25519.PrivateKey, error) {
	block, err := readKeyBlock(path)
	if err != nil {
		return nil, err
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("parse key %s: PEM block %q is not a PKCS#8 private key", path, block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse key %s: %w", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("parse key %s: %T is not an Ed25519 key", path, k)
	}
	return ek, nil
}

// PublicKeyPEM encodes pub as a PKIX "PUBLIC KEY" PEM block, the form
// ActivityPub actors publish in publicKey.publicKeyPem.
func PublicKeyPEM(pub *rsa.PublicKey) (string, error) {
	if pub == nil {
		return "", fmt.Errorf("encode public key: nil key")
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// parsePublicKeyPEM decodes an RSA public key from PKIX or PKCS#1 PEM.
func parsePublicKeyPEM(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, fmt.Errorf("publicKeyPem: no PEM block: %w", ErrInvalid)
	}
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("publicKeyPem: %v: %w", err, ErrInvalid)
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("publicKeyPem: %T is not an RSA key: %w", k, ErrInvalid)
		}
		return rk, nil
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("publicKeyPem: %v: %w", err, ErrInvalid)
		}
		return k, nil
	default:
		return nil, fmt.Errorf("publicKeyPem: PEM block %q is not a public key: %w", block.Type, ErrInvalid)
	}
}
