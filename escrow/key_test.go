package escrow_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sovereign-marketplace/market/escrow"
)

func TestLoadEVMKey(t *testing.T) {
	want, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	digits := fmt.Sprintf("%x", crypto.FromECDSA(want))
	dir := t.TempDir()
	for name, body := range map[string]string{"0x and a newline": "0x" + digits + "\n", "bare": digits, "0X, spaces": "  0X" + strings.ToUpper(digits) + " \r\n"} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := escrow.LoadEVMKey(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if crypto.PubkeyToAddress(got.PublicKey) != crypto.PubkeyToAddress(want.PublicKey) {
			t.Errorf("%s: read another key", name)
		}
	}
}

func TestLoadEVMKeyRefuses(t *testing.T) {
	dir := t.TempDir()
	secret := strings.Repeat("zz", 32) // 64 characters, not hex
	cases := []struct {
		name, body string
		mode       os.FileMode
		want       []string
	}{
		{"not hex", "not hex\n", 0o600, []string{"want a 64-digit hex private key (secp256k1, 0x optional), got 7 characters"}},
		{"64 characters, not hex", secret, 0o600, []string{"want a 64-digit hex private key (secp256k1, 0x optional): invalid hex"}},
		{"empty", "", 0o600, []string{"got 0 characters"}},
		{"readable by others", "0x" + strings.Repeat("1", 64), 0o644, []string{"has mode 0644", "run chmod 600"}},
		{"writable by the group", "0x" + strings.Repeat("1", 64), 0o620, []string{"has mode 0620", "run chmod 600"}},
	}
	for _, c := range cases {
		if runtime.GOOS == "windows" && c.mode != 0o600 {
			continue
		}
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".key")
		if err := os.WriteFile(path, []byte(c.body), c.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, c.mode); err != nil { // past the umask
			t.Fatal(err)
		}
		_, err := escrow.LoadEVMKey(path)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range append(c.want, path) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, err, w)
			}
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), strings.Repeat("1", 64)) {
			t.Errorf("%s: the error quotes the key: %q", c.name, err)
		}
	}
	for name, path := range map[string]string{"missing": filepath.Join(dir, "none.key"), "a folder": dir} {
		if _, err := escrow.LoadEVMKey(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming %s", name, err, path)
		}
	}
}

func TestParseEVMKey(t *testing.T) {
	k, err := escrow.ParseEVMKey("0x" + strings.Repeat("ab", 32))
	if err != nil || k == nil {
		t.Fatalf("a valid key: %v", err)
	}
	for _, bad := range []string{"", "0x", strings.Repeat("ab", 31), strings.Repeat("ab", 33), "0x" + strings.Repeat("g", 64), strings.Repeat("0", 64)} {
		if _, err := escrow.ParseEVMKey(bad); err == nil || !strings.Contains(err.Error(), "want a 64-digit hex private key") {
			t.Errorf("ParseEVMKey(%q) = %v, want an error saying the format", bad, err)
		}
	}
}
