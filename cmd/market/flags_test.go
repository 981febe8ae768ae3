package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/relay"
)

// commandFlags is every command's flags, as its --help must list them.
var commandFlags = map[string][]string{
	"relay":         {"config", "data-dir", "listen"},
	"relay <op>":    {"config", "data-dir"},
	"hub":           {"config", "data-dir", "listen"},
	"escrow deploy": {"arbitrator", "confirm", "default", "deliver", "dispute", "fund", "key", "rpc", "token"},
	"escrow show":   {"config", "data-dir", "db", "escrow", "from-block", "rpc"},
	"healthcheck":   {"config", "listen", "timeout", "url"},
	"version":       nil,
}

// leafCommands lists every command that takes flags, as the words that
// run it: each top-level command, each subcommand of a group, and each
// relay operator command.
func leafCommands() [][]string {
	var all [][]string
	for _, name := range sortedKeys(commands) {
		c := commands[name]
		if c.subs == nil {
			all = append(all, []string{name})
		}
		for _, sub := range sortedKeys(c.subs) {
			all = append(all, []string{name, sub})
		}
	}
	for _, op := range relay.Operations() {
		all = append(all, []string{"relay", op.Name})
	}
	return all
}

// TestEveryHelpListsItsFlags: `--help` of every command exits 0, prints
// its usage on stdout (nothing on stderr) and lists exactly its flags,
// written --name.
func TestEveryHelpListsItsFlags(t *testing.T) {
	for _, words := range leafCommands() {
		path := strings.Join(words, " ")
		key := path
		if len(words) == 2 && words[0] == "relay" {
			key = "relay <op>"
		}
		want, known := commandFlags[key]
		if !known {
			t.Errorf("market %s: not in commandFlags; add its flags", path)
			continue
		}
		for _, help := range []string{"--help", "-h"} {
			code, out, errOut := runCLI(t, nil, append(slices.Clone(words), help)...)
			if code != exitOK || errOut != "" || !strings.HasPrefix(out, "Usage: market "+path) {
				t.Errorf("market %s %s: exit %d, stderr %q, stdout %q; want 0, nothing, and the usage", path, help, code, errOut, out)
				continue
			}
			var listed []string
			for _, line := range strings.Split(out, "\n") {
				if name, ok := strings.CutPrefix(line, "  --"); ok {
					listed = append(listed, strings.Fields(name)[0])
				}
			}
			if !slices.Equal(listed, want) {
				t.Errorf("market %s %s lists the flags %v, want %v:\n%s", path, help, listed, want, out)
			}
		}
	}
}

// TestBadFlagsSayWhich: an unknown flag or a bad value is named on stderr,
// as the user wrote it (--name), with the usage lines and exit 2.
func TestBadFlagsSayWhich(t *testing.T) {
	for _, c := range []struct {
		args        []string
		want, usage string
	}{
		{[]string{"relay", "--nope"}, "market relay: flag provided but not defined: --nope\n", "Usage: market relay [--config FILE]"},
		{[]string{"relay", "status", "--listen", "127.0.0.1:1"}, "market relay status: flag provided but not defined: --listen\n", "Usage: market relay status"},
		{[]string{"relay", "--data-dir", "x", "status"}, "market relay: the subcommand comes first: market relay status [flags]\n", "Usage: market relay"},
		{[]string{"escrow", "show", "--from-block", "many"}, `market escrow show: invalid value "many" for flag --from-block`, "Usage: market escrow show"},
		{[]string{"healthcheck", "--timeout"}, "market healthcheck: flag needs an argument: --timeout\n", "Usage: market healthcheck"},
		{[]string{"version", "now"}, `market version: takes no arguments, got "now"`, "Usage: market version"},
		{[]string{"escrow", "deploy", "extra"}, `market escrow deploy: unexpected argument "extra"`, "Usage: market escrow deploy"},
	} {
		code, out, errOut := runCLI(t, nil, c.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, c.usage) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, %q and %q", c.args, code, out, errOut, c.want, c.usage)
		}
	}
}

// TestRelayFlagsOverrideEnvironment: --listen and --data-dir win over
// MARKET_LISTEN and MARKET_DATA_DIR, which win over the file; the public
// URL follows the address that won.
func TestRelayFlagsOverrideEnvironment(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "relay.yaml")
	if err := os.WriteFile(file, []byte("listen: 127.0.0.1:7001\ndata_dir: "+filepath.Join(dir, "file")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := envList
	defer func() { envList = old }()
	envList = func() []string {
		return []string{"MARKET_LISTEN=127.0.0.1:7002", "MARKET_DATA_DIR=" + filepath.Join(dir, "env")}
	}
	for _, c := range []struct {
		args            []string
		listen, dataDir string
	}{
		{[]string{"--config", file, "--listen", "127.0.0.1:7003", "--data-dir", filepath.Join(dir, "flag")}, "127.0.0.1:7003", filepath.Join(dir, "flag")},
		{[]string{"--config", file, "--data-dir", filepath.Join(dir, "flag")}, "127.0.0.1:7002", filepath.Join(dir, "flag")},
		{[]string{"--config", file}, "127.0.0.1:7002", filepath.Join(dir, "env")},
	} {
		fl, load := relayFlags(nil, nil)
		if code, ok := fl.parse(c.args); !ok {
			t.Fatalf("%v: exit %d", c.args, code)
		}
		cfg, err := load()
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if cfg.Listen != c.listen || cfg.DataDir != c.dataDir || cfg.PublicURL != "http://"+c.listen {
			t.Errorf("%v: listen %s, data_dir %s, public_url %s; want %s, %s", c.args, cfg.Listen, cfg.DataDir, cfg.PublicURL, c.listen, c.dataDir)
		}
	}
	// A bad value from a flag is refused at start-up like one from the
	// environment, with the key and the value.
	code, _, errOut := runCLI(t, nil, "relay", "--listen", "nowhere")
	if code != exitUsage || !strings.Contains(errOut, `listen: must be host:port such as 127.0.0.1:8080, got "nowhere"`) {
		t.Errorf("relay --listen nowhere: exit %d, %q", code, errOut)
	}
}

// TestDataDirFlag: operator commands find the data directory that
// --data-dir names, not MARKET_DATA_DIR's (escrow show: see
// TestEscrowShowUsesDataDir).
func TestDataDirFlag(t *testing.T) {
	flagDir, envDir := t.TempDir(), t.TempDir()
	env := []string{"MARKET_DATA_DIR=" + envDir}
	// Flags may come after the arguments, and "--" ends them.
	if code, _, errOut := runCLI(t, env, "relay", "block", "spam.example", "fake", "--data-dir", flagDir, "listings"); code != exitOK {
		t.Fatalf("block --data-dir: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "relay", "block", "--data-dir", flagDir, "--", "junk.example", "--data-dir", "is", "no", "flag", "here"); code != exitOK {
		t.Fatalf("block with --: exit %d: %s", code, errOut)
	}
	blocks := func(env []string, args ...string) []string {
		t.Helper()
		code, out, errOut := runCLI(t, env, append([]string{"relay", "status"}, args...)...)
		if code != exitOK {
			t.Fatalf("status %v: exit %d: %s", args, code, errOut)
		}
		var st struct {
			Blocks []struct{ Domain, Reason string }
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("status %v: %q: %v", args, out, err)
		}
		var ds []string
		for _, b := range st.Blocks {
			ds = append(ds, b.Domain+": "+b.Reason)
		}
		slices.Sort(ds)
		return ds
	}
	if got, want := blocks(env, "--data-dir", flagDir), []string{"junk.example: --data-dir is no flag here", "spam.example: fake listings"}; !slices.Equal(got, want) {
		t.Errorf("status --data-dir %s: blocks %q, want %q", flagDir, got, want)
	}
	if got := blocks(env); len(got) != 0 {
		t.Errorf("status with MARKET_DATA_DIR=%s alone: blocks %v, want none (the block went to --data-dir)", envDir, got)
	}
}

// TestHealthcheckListenFlag: --listen names the address to ask, over
// MARKET_LISTEN.
func TestHealthcheckListenFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})}
	go srv.Serve(ln)
	defer srv.Close()
	env := []string{"MARKET_LISTEN=127.0.0.1:1"}
	code, out, errOut := runCLI(t, env, "healthcheck", "--listen", ln.Addr().String())
	if code != exitOK || !strings.Contains(out, "healthy: http://"+ln.Addr().String()+"/healthz answered 200") {
		t.Fatalf("healthcheck --listen: exit %d, %q, %q", code, out, errOut)
	}
}
