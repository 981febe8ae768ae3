package main

import (
	"bytes"
	"encoding/json"
	"github.com/sovereign-marketplace/market/node"
	"github.com/sovereign-marketplace/market/relay"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runCLI runs the command in-process with env as its whole environment.
func runCLI(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	old := envList
	envList = func() []string { return env }
	defer func() { envList = old }()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	all := [][]string{{"--help"}, {"version", "--help"}, {"relay", "--help"}, {"relay", "help"}}
	for _, op := range relay.Operations() {
		all = append(all, []string{"relay", op.Name, "--help"})
	}
	for _, args := range all {
		code, out, errOut := runCLI(t, nil, args...)
		if code != exitOK {
			t.Errorf("%v: exit %d", args, code)
		}
		if text := out + errOut; !strings.Contains(text, "Usage") && !strings.Contains(text, "Subcommands") && !strings.Contains(text, "Commands") {
			t.Errorf("%v: no help text: %q", args, text)
		}
	}
}

func TestUnknownCommandAndBadConfig(t *testing.T) {
	if code, _, errOut := runCLI(t, nil, "nope"); code != exitUsage || !strings.Contains(errOut, `unknown command "nope"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	dir := t.TempDir()
	env := []string{"MARKET_DATA_DIR=" + dir, "MARKET_LISTEN=nowhere"}
	code, _, errOut := runCLI(t, env, "relay", "status")
	if code != exitUsage || !strings.Contains(errOut, "listen:") {
		t.Errorf("bad listen: exit %d, %q", code, errOut)
	}
}

func TestBlockWithoutRunningRelay(t *testing.T) {
	env := []string{"MARKET_DATA_DIR=" + t.TempDir()}
	code, out, errOut := runCLI(t, env, "relay", "block", "spam.example")
	if code != exitOK {
		t.Fatalf("block: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"spam.example"`) {
		t.Fatalf("block output %q", out)
	}
	code, out, errOut = runCLI(t, env, "relay", "status")
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var st struct {
		Blocks []struct{ Domain string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Blocks) != 1 || st.Blocks[0].Domain != "spam.example" {
		t.Fatalf("status after block: %q (%v)", out, err)
	}
	if code, _, errOut = runCLI(t, env, "relay", "unblock", "other.example"); code == exitOK || !strings.Contains(errOut, "not blocked") {
		t.Fatalf("unblock of an unblocked domain: exit %d, %q", code, errOut)
	}
}

// TestOperatorCommandArguments: words after the argument are the reason
// where a command keeps one, and a usage error elsewhere; refusals name
// what is wrong.
func TestOperatorCommandArguments(t *testing.T) {
	env := []string{"MARKET_DATA_DIR=" + t.TempDir()}
	if code, _, errOut := runCLI(t, env, "relay", "block", "spam.example", "fake", "listings"); code != exitOK {
		t.Fatalf("block with a reason: exit %d: %s", code, errOut)
	}
	_, out, _ := runCLI(t, env, "relay", "status")
	var st struct {
		Blocks []struct{ Domain, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Blocks) != 1 || st.Blocks[0].Reason != "fake listings" {
		t.Fatalf("status after block with a reason: %q (%v)", out, err)
	}
	if code, _, errOut := runCLI(t, env, "relay", "unblock", "spam.example", "extra"); code != exitUsage || !strings.Contains(errOut, "Usage") {
		t.Errorf("unblock with an extra word: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "relay", "takedown"); code != exitUsage {
		t.Errorf("takedown without a listing: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "relay", "takedown", "https://hub.example/listings/1", "counterfeit"); code != exitInternal || !strings.Contains(errOut, "not found") {
		t.Errorf("takedown of a listing the relay does not hold: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "relay", "dismiss", "no-such-report"); code != exitInternal || !strings.Contains(errOut, "no report no-such-report") {
		t.Errorf("dismiss of an unknown report: exit %d, %q", code, errOut)
	}
}

// TestRelayProcess builds the binary, starts `market relay` as a new user
// would (no config file, only MARKET_* variables), talks to it over HTTP,
// runs an operator command against it through the admin socket, then stops
// it with SIGTERM and expects a clean exit.
func TestRelayProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "market")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dataDir := filepath.Join(t.TempDir(), "data")
	env := append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+dataDir)
	cmd := exec.Command(bin, "relay")
	cmd.Env = env
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get("http://" + addr + "/actor")
	if err != nil {
		t.Fatal(err)
	}
	var actor struct {
		ID, Type  string
		PublicKey struct{ PublicKeyPem string }
	}
	json.NewDecoder(resp.Body).Decode(&actor)
	resp.Body.Close()
	if actor.ID != "http://"+addr+"/actor" || actor.Type != "Service" || !strings.Contains(actor.PublicKey.PublicKeyPem, "PUBLIC KEY") {
		t.Fatalf("actor = %+v", actor)
	}
	if fi, err := os.Stat(filepath.Join(dataDir, node.KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	// An operator command goes through the admin socket while the relay holds bbolt.
	block := exec.Command(bin, "relay", "block", "spam.example")
	block.Env = env
	if out, err := block.CombinedOutput(); err != nil || !strings.Contains(string(out), "spam.example") {
		t.Fatalf("relay block against the running relay: %v\n%s", err, out)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("relay exited with %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("relay did not stop on SIGTERM\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "relay stopped") {
		t.Fatalf("no clean stop in logs:\n%s", logs.String())
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, nil, "version")
	if code != exitOK || !strings.HasPrefix(out, "market ") {
		t.Fatalf("version: %d %q", code, out)
	}
}
