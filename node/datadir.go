package node

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// Files in the data directory.
const (
	DBFile  = "market.db" // the process's one bbolt file
	KeyFile = "actor.key" // the actor's RSA key, PEM, mode 0600
	// Ed25519KeyFile is the actor's Ed25519 key (PKCS#8 PEM, mode 0600),
	// which signs to the servers that publish one too.
	Ed25519KeyFile = "actor-ed25519.key"
	TokenFile      = "admin.token" // guards the admin socket, mode 0600
	SocketFile     = "admin.sock"  // the admin socket, mode 0600
)

// legacyFiles are the names a relay data directory used before this
// package existed, and what they are called now.
var legacyFiles = [][2]string{{"relay.db", DBFile}, {"relay.key", KeyFile}}

// openDataDir creates the data directory with mode 0700, or tightens an
// existing one that others may read or enter (0755, say) to 0700: it holds
// the actor's key and the admin token. It logs the change, and refuses to
// start, naming the directory and the mode wanted, when it cannot make it.
func openDataDir(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data dir %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data dir %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data dir %s: not a directory", dir)
	}
	if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("data dir %s has mode %04o, open to other users, and cannot be tightened to 0700 (%v): run chmod 0700 %s as its owner", dir, mode, err, dir)
		}
		log.Warn("data dir was open to other users; tightened it to 0700: it holds the actor's key and admin token", "data_dir", dir, "was", fmt.Sprintf("%04o", mode))
	}
	return migrateFiles(dir, log)
}

// migrateFiles renames the files of a data directory written before this
// package existed (relay.db, relay.key) to their names now. A directory
// holding both an old and a new file is refused rather than guessed at.
func migrateFiles(dir string, log *slog.Logger) error {
	for _, f := range legacyFiles {
		old, now := filepath.Join(dir, f[0]), filepath.Join(dir, f[1])
		if _, err := os.Stat(old); errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("data dir: %w", err)
		}
		if _, err := os.Stat(now); err == nil {
			return fmt.Errorf("data dir %s holds both %s and %s: keep the one in use and move the other away", dir, f[0], f[1])
		}
		if err := os.Rename(old, now); err != nil {
			return fmt.Errorf("data dir: rename %s to %s: %w", f[0], f[1], err)
		}
		log.Info("data dir: renamed a file to its current name", "from", f[0], "to", f[1], "data_dir", dir)
	}
	return nil
}
