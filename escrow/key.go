package escrow

import (
	"crypto/ecdsa"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/ethereum/go-ethereum/crypto"
)

// evmKeyFormat is the form ParseEVMKey and LoadEVMKey want, as errors say it.
const evmKeyFormat = "a 64-digit hex private key (secp256k1, 0x optional)"

// ParseEVMKey reads an EVM account's private key written as 64 hex digits,
// with or without a 0x prefix and surrounding white space: the form most
// wallets and tools export. Its errors say what was wanted and never quote
// the key.
func ParseEVMKey(hexKey string) (*ecdsa.PrivateKey, error) {
	s := strings.TrimSpace(hexKey)
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if len(s) != 64 {
		return nil, fmt.Errorf("want %s, got %d characters", evmKeyFormat, len(s))
	}
	k, err := crypto.HexToECDSA(s)
	if err != nil {
		// go-ethereum's message speaks of the encoding, never of the value.
		return nil, fmt.Errorf("want %s: %v", evmKeyFormat, err)
	}
	return k, nil
}

// LoadEVMKey reads the EVM private key kept in the file at path, written
// as ParseEVMKey wants it. The key controls money, so a file that other
// users may read or write (any group or other permission bit) is refused
// with the chmod that fixes it, as ssh refuses such a key. Errors name the
// file and what it should hold, and never quote the key.
func LoadEVMKey(path string) (*ecdsa.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read EVM key: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read EVM key: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("EVM key file %s is a folder; want a file holding %s", path, evmKeyFormat)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("EVM key file %s has mode %04o, which lets other users read or change it; run chmod 600 %s", path, perm, path)
	}
	// A key file holds 64 digits, perhaps "0x" and a newline: reading a
	// little more says how long a wrong file is without reading a huge one.
	data, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("read EVM key file %s: %w", path, err)
	}
	k, err := ParseEVMKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("EVM key file %s: %w", path, err)
	}
	return k, nil
}
