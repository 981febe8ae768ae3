package main

import (
	"context"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/escrow/simchain"
)

func TestEscrowShowLedger(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "escrow.db")
	l, err := escrow.OpenLedger(path, escrow.LedgerOptions{Arbitrator: "arbitrator"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := l.Create(ctx, escrow.CreateRequest{By: "alice", Buyer: "alice", Seller: "bob", Amount: big.NewInt(1250), Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		a   escrow.Action
		req escrow.Request
	}{
		{escrow.ActionFund, escrow.Request{Deal: d.ID, By: "alice"}},
		{escrow.ActionDispute, escrow.Request{Deal: d.ID, By: "alice"}},
		{escrow.ActionEvidence, escrow.Request{Deal: d.ID, By: "bob", EvidenceURI: "https://bob.example/proof.json", EvidenceHash: strings.Repeat("ab", 32)}},
		{escrow.ActionRule, escrow.Request{Deal: d.ID, By: "arbitrator", Ruling: escrow.RulingBuyer}},
	} {
		if _, err := escrow.Do(ctx, l, s.a, s.req); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	code, out, errs := runCLI(t, nil, "escrow", "show", "1", "--db", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"status    refunded", "amount    1250 EUR", "ruling    buyer", "dispute_lost", "evidence=https://bob.example/proof.json", "fund         created   -> funded"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runCLI(t, nil, "escrow", "show", "--db", path, "7"); code != exitUsage || !strings.Contains(errs, "not found") {
		t.Errorf("unknown deal: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, nil, "escrow", "show", "x"); code != exitUsage || !strings.Contains(errs, "DEAL must be a deal id") {
		t.Errorf("bad deal id: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, nil, "escrow", "show", "1", "--db", filepath.Join(t.TempDir(), "none.db")); code != exitUsage || !strings.Contains(errs, "--db") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
}

func TestEscrowDeployUsage(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key")
	os.WriteFile(key, []byte("not hex\n"), 0o600)
	open := filepath.Join(t.TempDir(), "open.key")
	os.WriteFile(open, []byte("0x"+strings.Repeat("1", 64)+"\n"), 0o600)
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"escrow", "deploy"}, "--rpc URL and --key FILE are required"},
		{[]string{"escrow", "deploy", "--rpc", "http://127.0.0.1:1", "--key", key, "--default", "nobody"}, "--default must be buyer or seller"},
		{[]string{"escrow", "deploy", "--rpc", "http://127.0.0.1:1", "--key", key, "--token", "0x12"}, "--token \"0x12\" is not a 0x address"},
		{[]string{"escrow", "deploy", "--rpc", "http://127.0.0.1:1", "--key", key, "--fund", "0s"}, "fund timeout must be positive"},
		{[]string{"escrow", "deploy", "--rpc", "http://127.0.0.1:1", "--key", key}, "want a 64-digit hex private key"},
		{[]string{"escrow", "deploy", "--rpc", "http://127.0.0.1:1", "--key", open}, "has mode 0644, which lets other users read or change it; run chmod 600 " + open},
	} {
		code, _, errs := runCLI(t, nil, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// TestEscrowDeployAndShowChain deploys through the CLI to a simulated chain
// served over HTTP on loopback, then shows a deal read back over RPC.
func TestEscrowDeployAndShowChain(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	chain, err := simchain.New(3, simchain.ServeHTTP(port))
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() { // mine like a real chain: a block every 100ms
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				chain.Commit()
			}
		}
	}()
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	if err := os.WriteFile(key, []byte(fmt.Sprintf("0x%x\n", crypto.FromECDSA(chain.Keys[0]))), 0o600); err != nil {
		t.Fatal(err)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	code, out, errs := runCLI(t, nil, "escrow", "deploy", "--rpc", url, "--key", key)
	if code != exitOK {
		t.Fatalf("deploy: exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`(?m)^escrow\s+(0x[0-9a-fA-F]{40})$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "(CommunityArbitrator, deployed)") || !strings.Contains(out, "chain       1337") {
		t.Fatalf("deploy output:\n%s", out)
	}
	ctx := context.Background()
	e, err := escrow.NewEVM(ctx, chain.Client(), common.HexToAddress(m[1]), escrow.EVMOptions{Keys: chain.Keys})
	if err != nil {
		t.Fatal(err)
	}
	buyer, seller := escrow.Party(chain.Addrs[1].Hex()), escrow.Party(chain.Addrs[2].Hex())
	if _, err := e.CreateAndFund(ctx, escrow.CreateRequest{By: buyer, Buyer: buyer, Seller: seller, Amount: big.NewInt(5e15), Currency: escrow.Native, Group: 1}); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, nil, "escrow", "show", "1", "--rpc", url, "--escrow", m[1])
	if code != exitOK {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	for _, want := range []string{"status    funded", "buyer     " + string(buyer), "amount    5000000000000000 native", "create       -         -> created", "fund         created   -> funded    by " + string(buyer)} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runCLI(t, nil, "escrow", "deploy", "--rpc", url, "--key", key, "--token", chain.Addrs[2].Hex()); code != exitUsage || !strings.Contains(errs, "no contract at that address") {
		t.Errorf("token without code: exit %d, %q", code, errs)
	}
}
