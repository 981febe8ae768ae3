package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// TestHubDealCommands: a deal walked with `market hub offers ...` and
// `market hub deals ...` against real running hubs (through their admin
// sockets): a physical good with a shipping address and a tracking note,
// then a digital good attached from a file and saved by the buyer. A
// wrong party's or a wrong state's command fails with a message.
func TestHubDealCommands(t *testing.T) {
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	seller := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	buyer := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "bo"), nil)
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	st := seller.Token(t, "full")
	cli := func(h *testhub.MarketHub, args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, []string{"MARKET_DATA_DIR=" + h.Config.DataDir}, append([]string{"hub"}, args...)...)
	}
	ok := func(h *testhub.MarketHub, args ...string) map[string]any {
		t.Helper()
		code, out, errOut := cli(h, args...)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); code != exitOK || err != nil {
			t.Fatalf("%s: %v: exit %d %s %s", h.Handle(), args, code, out, errOut)
		}
		return v
	}
	state := func(h *testhub.MarketHub, key string) string {
		_, out, _ := cli(h, "deals", "show", key)
		var v struct{ State string }
		json.Unmarshal([]byte(out), &v)
		return v.State
	}
	publish := func(typ, title string) hub.ListingView {
		code, out := seller.API(t, st, "POST", "/api/v1/owner/listings", map[string]any{"listing_type": typ, "title": title, "status": "active",
			"price":   map[string]string{"amount": "30", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"},
			"escrows": []map[string]string{{"kind": "ledger", "agent": agent.ActorID()}}})
		if code != http.StatusCreated {
			t.Fatalf("create listing: %d %s", code, out)
		}
		var lv hub.ListingView
		json.Unmarshal(out, &lv)
		return lv
	}
	mug := publish("physical", "Stoneware mug")
	ok(agent, "agent", "deposit", buyer.ActorID(), "6000", "USD")

	// The buyer offers (the listing's escrow agent by default).
	made := ok(buyer, "offers", "make", mug.FederatedAPID, "quantity=1")
	key, _ := made["key"].(string)
	if made["amount"] != "3000" || made["escrow"] != agent.ActorID() || key == "" {
		t.Fatalf("offers make: %v", made)
	}
	if code, _, errOut := cli(buyer, "offers", "make", mug.FederatedAPID, "quantity=two"); code == exitOK || !strings.Contains(errOut, "quantity") {
		t.Errorf("offers make quantity=two: exit %d %s", code, errOut)
	}
	testhub.Eventually(t, "the offer on the seller's list", func() bool {
		_, out, _ := cli(seller, "offers", "list")
		return strings.Contains(out, key) && strings.Contains(out, `"direction": "in"`)
	})
	if _, out, _ := cli(buyer, "offers", "list"); !strings.Contains(out, `"direction": "out"`) {
		t.Errorf("the buyer's offers list: %s", out)
	}
	if code, _, errOut := cli(buyer, "offers", "accept", key); code == exitOK || !strings.Contains(errOut, "waits for the other party's answer") {
		t.Errorf("the buyer accepting its own offer: exit %d %s", code, errOut)
	}
	ok(buyer, "deals", "ship", key, `Zoe Quill, 17 Rue des Lilas\n75011 Paris`)
	ok(seller, "offers", "accept", key)
	testhub.Eventually(t, "created", func() bool { return state(buyer, key) == "created" })
	if code, _, errOut := cli(seller, "deals", "fund", key); code == exitOK || !strings.Contains(errOut, "fund") {
		t.Errorf("the seller funding: exit %d %s", code, errOut)
	}
	if v := ok(buyer, "deals", "fund", key); v["queued"] != "fund" {
		t.Errorf("deals fund: %v", v)
	}
	testhub.Eventually(t, "funded", func() bool { return state(seller, key) == "funded" })
	if v := ok(seller, "deals", "show", key); !strings.Contains(toJSON(v), `Zoe Quill, 17 Rue des Lilas\n75011 Paris`) {
		t.Errorf("the seller's copy lacks the address: %v", v)
	}
	ok(seller, "deals", "deliver", key, "Colissimo", "6A123")
	testhub.Eventually(t, "the buyer sees the tracking note", func() bool {
		_, out, _ := cli(buyer, "deals", "show", key)
		return strings.Contains(out, `"tracking": "Colissimo 6A123"`) && strings.Contains(out, `"state": "delivered"`)
	})
	ok(buyer, "deals", "confirm", key)
	// The confirm closes the deal: the seller has nothing more to do.
	testhub.Eventually(t, "completed on both", func() bool { return state(buyer, key) == "completed" && state(seller, key) == "completed" })
	if _, out, _ := cli(seller, "deals", "list"); !strings.Contains(out, `"state": "completed"`) || !strings.Contains(out, `"role": "seller"`) {
		t.Errorf("deals list: %s", out)
	}
	if code, _, errOut := cli(buyer, "deals", "show", "0123456789abcdef"); code == exitOK || !strings.Contains(errOut, "no deal") {
		t.Errorf("deals show of no deal: exit %d %s", code, errOut)
	}

	// A digital good: attached from a relative path, saved by the buyer.
	guide := publish("digital", "Field guide")
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile("guide.pdf", []byte("%PDF-1.7\nthe field guide"), 0o600)
	if v := ok(seller, "attach", guide.ID, "guide.pdf"); v["media_type"] != "application/pdf" || v["name"] != "guide.pdf" {
		t.Fatalf("attach: %v", v)
	}
	key = ok(buyer, "offers", "make", guide.FederatedAPID)["key"].(string)
	testhub.Eventually(t, "the offer reached the seller", func() bool { return state(seller, key) == "offered" })
	ok(seller, "offers", "accept", key)
	testhub.Eventually(t, "created", func() bool { return state(buyer, key) == "created" })
	ok(buyer, "deals", "fund", key)
	testhub.Eventually(t, "the file fetched", func() bool {
		_, out, _ := cli(buyer, "deals", "show", key)
		return strings.Contains(out, `"received"`)
	})
	ok(buyer, "deals", "download", key, "saved.pdf")
	if b, err := os.ReadFile(filepath.Join(dir, "saved.pdf")); err != nil || string(b) != "%PDF-1.7\nthe field guide" {
		t.Fatalf("the saved file: %q %v", b, err)
	}
	if code, _, errOut := cli(buyer, "deals", "download", key, "saved.pdf"); code == exitOK || !strings.Contains(errOut, "exists") {
		t.Errorf("download over an existing file: exit %d %s", code, errOut)
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
