package hub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// dealParties starts a seller hub, a buyer hub and an escrow agent (a hub
// with hub.agent.enabled, configured by agentCfg when not nil) with full
// tokens for the seller and the buyer.
func dealParties(t *testing.T, agentCfg func(*config.Config)) (seller, buyer, agent *testhub.MarketHub, st, bt string) {
	t.Helper()
	ac := testhub.HubConfig(t, t.TempDir(), "coop")
	ac.Hub.Agent.Enabled = true
	if agentCfg != nil {
		agentCfg(&ac)
	}
	seller = testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "ana"), nil)
	buyer = testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "bo"), nil)
	agent = testhub.StartMarketHub(t, ac, nil)
	return seller, buyer, agent, seller.Token(t, "full"), buyer.Token(t, "full")
}

// publish creates an active listing on h with the agent's ledger escrow.
func publish(t *testing.T, h *testhub.MarketHub, token string, agent *testhub.MarketHub, body map[string]any) hub.ListingView {
	t.Helper()
	body["status"] = "active"
	body["escrows"] = []map[string]string{{"kind": "ledger", "agent": agent.ActorID()}}
	code, out := h.API(t, token, "POST", "/api/v1/owner/listings", body)
	if code != http.StatusCreated {
		t.Fatalf("create listing: %d %s", code, out)
	}
	var lv hub.ListingView
	json.Unmarshal(out, &lv)
	return lv
}

// offered has the buyer's hub send the offer body and returns the deal's
// key once the seller's hub has it.
func offered(t *testing.T, seller, buyer *testhub.MarketHub, bt string, body map[string]any) string {
	t.Helper()
	code, out := buyer.API(t, bt, "POST", "/api/v1/owner/offers", body)
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, out)
	}
	var dv hub.DealView
	json.Unmarshal(out, &dv)
	testhub.Eventually(t, "the seller has the offer", func() bool { return dealState(seller, dv.Key) == deal.StateOffered })
	return dv.Key
}

// offerAccepted has the buyer offer on the listing (with extra members)
// and the seller accept; it returns the deal's key once both copies are
// created at the agent.
func offerAccepted(t *testing.T, seller, buyer, agent *testhub.MarketHub, st, bt, listingURL string, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"listing": listingURL, "quantity": 1, "escrow": agent.ActorID()}
	for k, v := range extra {
		body[k] = v
	}
	dv := hub.DealView{Key: offered(t, seller, buyer, bt, body)}
	if code, out := seller.API(t, st, "POST", "/api/v1/owner/offers/"+dv.Key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, out)
	}
	testhub.Eventually(t, "both copies created", func() bool {
		return dealState(buyer, dv.Key) == "created" && dealState(seller, dv.Key) == "created"
	})
	return dv.Key
}

// act posts a deal action on h and checks the status.
func act(t *testing.T, h *testhub.MarketHub, token, key, action string, body any, want int) {
	t.Helper()
	if code, out := h.API(t, token, "POST", "/api/v1/owner/deals/"+key+"/"+action, body); code != want {
		t.Fatalf("%s by %s: %d %s, want %d", action, h.Handle(), code, out, want)
	}
}

// upload PUTs a file to a listing of h.
func upload(t *testing.T, h *testhub.MarketHub, token, id, name, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("PUT", h.Config.PublicURL+"/api/v1/owner/listings/"+id+"/file?name="+name, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// signedGet GETs url signed by key's actor (nil key: unsigned), or with
// the headers of an earlier signed request (replay).
func signedGet(t *testing.T, url string, signer *federation.Signer, replay http.Header) (int, []byte, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if replay != nil {
		for k, v := range replay {
			req.Header[k] = v
		}
	} else if signer != nil {
		if err := signer.Sign(req, nil); err != nil {
			t.Fatal(err)
		}
	}
	sent := req.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out, sent
}

func signerOf(h *testhub.MarketHub) *federation.Signer {
	return &federation.Signer{KeyID: h.Node().Actor().PublicKey.ID, Key: h.Node().Key}
}

// TestDigitalDelivery: a digital good's file, attached by the seller
// (checked, size-capped, never public), goes to the buyer's hub when the
// deal is funded as a time-limited link that only the buyer's hub can
// fetch; the buyer's hub checks the SHA-256 and keeps the file for its
// owner; both copies record the same digest as evidence, and the link
// refuses anyone else and expires.
func TestDigitalDelivery(t *testing.T) {
	ctx := context.Background()
	seller, buyer, agent, st, bt := dealParties(t, nil)
	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "digital", "title": "Field guide to Alpine plants (PDF)",
		"price": map[string]string{"amount": "12", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})
	svc := publish(t, seller, st, agent, map[string]any{"listing_type": "service", "title": "Consulting",
		"price": map[string]string{"amount": "12", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})

	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("alpine flora "), 5000)...)
	sum := sha256.Sum256(pdf)
	want := hex.EncodeToString(sum[:])
	for name, tc := range map[string]struct {
		id, name, ctype string
		body            []byte
		code            int
	}{
		"a service has no file":     {svc.ID, "guide.pdf", "application/pdf", pdf, http.StatusBadRequest},
		"a web page":                {lv.ID, "guide.html", "text/html", []byte("<!DOCTYPE html><script>alert(1)</script>"), http.StatusBadRequest},
		"a PDF that is not one":     {lv.ID, "guide.pdf", "application/pdf", []byte("\x89PNG\r\n\x1a\n0000"), http.StatusBadRequest},
		"a path as its name":        {lv.ID, "..%2Fetc%2Fpasswd", "application/pdf", pdf, http.StatusBadRequest},
		"empty":                     {lv.ID, "guide.pdf", "application/pdf", nil, http.StatusBadRequest},
		"over the size limit":       {lv.ID, "guide.pdf", "application/pdf", append([]byte("%PDF-1.7\n"), make([]byte, deal.MaxFileSize)...), http.StatusRequestEntityTooLarge},
		"a listing that is no more": {"nope", "guide.pdf", "application/pdf", pdf, http.StatusNotFound},
	} {
		if code, out := upload(t, seller, st, tc.id, tc.name, tc.ctype, tc.body); code != tc.code {
			t.Errorf("%s: %d %s, want %d", name, code, out, tc.code)
		}
	}
	if _, err := seller.AttachedFileOf(lv.ID); err == nil {
		t.Fatal("a refused upload left a file attached")
	}
	if kept, _ := os.ReadDir(filepath.Join(seller.Config.DataDir, "files")); len(kept) != 0 {
		t.Fatalf("refused uploads left %d files in the data directory", len(kept))
	}
	if code, out := upload(t, seller, st, lv.ID, "alpine-plants.pdf", "application/pdf", pdf); code != http.StatusOK || !strings.Contains(string(out), want) {
		t.Fatalf("upload: %d %s", code, out)
	}
	// The file is never public: not under the listing, nor in its object.
	for _, path := range []string{"/listings/" + lv.ID, "/api/v1/owner/listings/" + lv.ID + "/file"} {
		if code, out := seller.API(t, "", "GET", path, nil); bytes.Contains(out, pdf[:200]) || strings.Contains(string(out), want) || code == http.StatusOK && strings.Contains(path, "/file") {
			t.Errorf("GET %s without a token: %d shows the file", path, code)
		}
	}

	seller.SetDownloadLifetime(3 * time.Second)
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "1200 USD"); err != nil {
		t.Fatal(err)
	}
	key := offerAccepted(t, seller, buyer, agent, st, bt, lv.FederatedAPID, nil)
	act(t, buyer, bt, key, "fund", nil, http.StatusAccepted)

	// Funded: the seller's hub sends the link and marks it delivered;
	// the buyer's hub fetches the file and checks it.
	testhub.Eventually(t, "delivered on all three, the file kept by the buyer's hub", func() bool {
		d, err := buyer.Deal(key)
		ad, aerr := agent.AgentDeal(ctx, d.ID)
		return err == nil && aerr == nil && ad.Status == "delivered" && dealState(seller, key) == "delivered" &&
			d.State == "delivered" && d.Delivery != nil && !d.Delivery.Received.IsZero()
	})
	bd, _ := buyer.Deal(key)
	sd, _ := seller.Deal(key)
	if bd.Delivery.Evidence != "sha256:"+want || sd.Delivery.Evidence != bd.Delivery.Evidence {
		t.Fatalf("evidence: buyer %q, seller %q, want sha256:%s", bd.Delivery.Evidence, sd.Delivery.Evidence, want)
	}
	code, got := buyer.API(t, bt, "GET", "/api/v1/owner/deals/"+key+"/file", nil)
	if code != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Fatalf("the buyer's owner downloads the file: %d, %d bytes, want the %d uploaded", code, len(got), len(pdf))
	}
	if code, _ := buyer.API(t, "", "GET", "/api/v1/owner/deals/"+key+"/file", nil); code != http.StatusUnauthorized {
		t.Errorf("the kept file without a token: %d, want 401", code)
	}

	// The owner API of files, as the document says.
	api := testhub.NewAPIClient(t, "../docs/openapi.yaml", seller.Config.PublicURL)
	api.Header.Set("Authorization", "Bearer "+st)
	if code, out := api.Do("GET", "/api/v1/owner/listings/"+lv.ID+"/file", nil); code != http.StatusOK || !bytes.Equal(out, pdf) {
		t.Errorf("the seller's owner reads the attached file: %d, %d bytes", code, len(out))
	}
	if code, out := api.Do("GET", "/api/v1/owner/deals/"+key+"/file", nil); code != http.StatusOK || !bytes.Equal(out, pdf) {
		t.Errorf("the seller's owner reads the delivered file: %d, %d bytes", code, len(out))
	}
	if code, _ := api.Do("GET", "/api/v1/owner/listings/"+svc.ID+"/file", nil); code != http.StatusNotFound {
		t.Errorf("a listing without a file: %d, want 404", code)
	}
	if code, _ := api.Do("POST", "/api/v1/owner/deals/"+key+"/shipping", []byte(`{"address":"1 Main St"}`)); code != http.StatusForbidden {
		t.Errorf("the seller giving a shipping address: %d, want 403", code)
	}
	anonymous := testhub.NewAPIClient(t, "../docs/openapi.yaml", seller.Config.PublicURL)
	if code, _ := anonymous.Do("GET", strings.TrimPrefix(sd.Delivery.Link, seller.Config.PublicURL), nil); code != http.StatusUnauthorized {
		t.Errorf("the link unsigned: %d, want 401", code)
	}

	// The link: only the buyer's hub.
	link := sd.Delivery.Link
	if code, _, _ := signedGet(t, link, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("unsigned: %d, want 401", code)
	}
	mallory := &federation.Signer{KeyID: x.ActorID + "#main-key", Key: x.Key}
	if code, out, _ := signedGet(t, link, mallory, nil); code != http.StatusForbidden {
		t.Errorf("signed by another actor: %d %s, want 403", code, out)
	}
	if code, out, _ := signedGet(t, link, signerOf(seller), nil); code != http.StatusForbidden {
		t.Errorf("signed by the seller: %d %s, want 403", code, out)
	}
	code, out, sent := signedGet(t, link, signerOf(buyer), nil)
	if code != http.StatusOK || !bytes.Equal(out, pdf) {
		t.Fatalf("signed by the buyer's hub: %d, %d bytes", code, len(out))
	}
	if code, _, _ := signedGet(t, strings.TrimSuffix(link, link[len(link)-4:])+"0000", signerOf(buyer), nil); code != http.StatusNotFound {
		t.Errorf("another token: %d, want 404", code)
	}
	testhub.Eventually(t, "the link expires", func() bool {
		code, _, _ := signedGet(t, link, signerOf(buyer), nil)
		return code == http.StatusGone
	})
	if code, _, _ := signedGet(t, link, nil, sent); code != http.StatusGone {
		t.Errorf("the buyer's signed request replayed after expiry: %d, want 410", code)
	}

	// The seller can send a new link; the deal goes on to completion.
	act(t, seller, st, key, "deliver", nil, http.StatusAccepted)
	testhub.Eventually(t, "a new link on the buyer's copy", func() bool {
		d, _ := buyer.Deal(key)
		return d.Delivery.Link != link && d.Delivery.Link != ""
	})
	act(t, buyer, bt, key, "confirm", nil, http.StatusAccepted)
	testhub.Eventually(t, "closed with the confirm", func() bool { return dealState(seller, key) == "completed" })
	testhub.Eventually(t, "completed", func() bool { return dealState(buyer, key) == "completed" })
	if bal, _ := agent.AgentBalance(ctx, seller.ActorID(), "USD"); bal.Int64() != 1200 {
		t.Errorf("the seller's balance: %v, want 1200", bal)
	}

	// A free digital good needs no escrow: it goes on acceptance.
	free := map[string]any{"listing_type": "digital", "title": "Seed catalogue", "status": "active",
		"price": map[string]string{"amount": "0", "currency": "USD", "price_type": "free", "pricing_model": "one_time"}}
	code, out = seller.API(t, st, "POST", "/api/v1/owner/listings", free)
	var flv hub.ListingView
	if json.Unmarshal(out, &flv); code != http.StatusCreated {
		t.Fatalf("create a free listing: %d %s", code, out)
	}
	catalogue := []byte("tomato, bean, squash\n")
	if code, out := upload(t, seller, st, flv.ID, "seeds.txt", "text/plain", catalogue); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, out)
	}
	code, out = buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": flv.FederatedAPID})
	var fdv hub.DealView
	if json.Unmarshal(out, &fdv); code != http.StatusCreated {
		t.Fatalf("offer on a free good: %d %s", code, out)
	}
	testhub.Eventually(t, "the seller has the free offer", func() bool { return dealState(seller, fdv.Key) == deal.StateOffered })
	if code, out := seller.API(t, st, "POST", "/api/v1/owner/offers/"+fdv.Key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, out)
	}
	testhub.Eventually(t, "the buyer's hub has the free file", func() bool {
		d, _ := buyer.Deal(fdv.Key)
		return d != nil && d.Delivery != nil && !d.Delivery.Received.IsZero()
	})
	if code, got := buyer.API(t, bt, "GET", "/api/v1/owner/deals/"+fdv.Key+"/file", nil); code != http.StatusOK || !bytes.Equal(got, catalogue) {
		t.Errorf("the free file: %d %q", code, got)
	}
}

// fileHas reports whether any file under dir contains s.
func fileHas(t *testing.T, dir, s string) bool {
	t.Helper()
	found := false
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, []byte(s)) {
			found = true
		}
		return nil
	})
	return found
}

// TestPhysicalDelivery: the shipping address given with the offer (or
// after it) reaches the seller's hub and no one else (not the escrow
// agent, not the relay, not the outboxes); the seller marks the good
// delivered with a tracking note that reaches the buyer. Offers on data
// products are refused politely.
func TestPhysicalDelivery(t *testing.T) {
	ctx := context.Background()
	seller, buyer, agent, st, bt := dealParties(t, nil)
	r := testhub.StartRelay(t, testhub.RelayConfig(t, t.TempDir()), nil)
	if _, err := seller.AddRelay(ctx, r.ActorID()); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "the relay accepts the seller", func() bool { return r.Follows(true)[seller.ActorID()] == federation.FollowAccepted })
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "physical", "title": "Hand-thrown stoneware mug",
		"price": map[string]string{"amount": "30", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})
	testhub.Eventually(t, "the relay has the listing", func() bool {
		return len(searchIDs(t, r, "stoneware")) == 1
	})
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "3000 USD"); err != nil {
		t.Fatal(err)
	}

	const street = "Zephyrine Quarlesworth, 17 Rue des Lilas"
	address := street + "\n75011 Paris\nFR"
	key := offerAccepted(t, seller, buyer, agent, st, bt, lv.FederatedAPID, map[string]any{"shipping_address": address})
	testhub.Eventually(t, "the seller's copy has the address", func() bool {
		d, _ := seller.Deal(key)
		return d.Delivery != nil && d.Delivery.ShippingAddress == address
	})
	// A new address after the offer; a stranger cannot give one.
	moved := "Zephyrine Quarlesworth, 3 Kade\n1011 Amsterdam\nNL"
	if code, out := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/shipping", map[string]string{"address": moved}); code != http.StatusOK {
		t.Fatalf("a new address: %d %s", code, out)
	}
	if code, _ := seller.API(t, st, "POST", "/api/v1/owner/deals/"+key+"/shipping", map[string]string{"address": "x"}); code != http.StatusForbidden {
		t.Errorf("the seller giving an address: %d, want 403", code)
	}
	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	bd, _ := buyer.Deal(key)
	fake := &deal.Shipping{ID: x.ActorID + "/s/1", By: x.ActorID, Agreement: bd.ID, Address: "Mallory's drop box"}
	if code, out, _ := x.Send(ctx, seller.Node().Actor().Inbox, forged(x, "Create", seller.ActorID(), fake.Object())); code != http.StatusForbidden {
		t.Errorf("an address from a stranger: %d %s, want 403", code, out)
	}
	testhub.Eventually(t, "the seller's copy has the new address", func() bool {
		d, _ := seller.Deal(key)
		return d.Delivery.ShippingAddress == moved
	})

	act(t, buyer, bt, key, "fund", nil, http.StatusAccepted)
	testhub.Eventually(t, "funded", func() bool { return dealState(seller, key) == "funded" })
	act(t, seller, st, key, "deliver", map[string]string{"tracking": "La Poste Colissimo 6A12345678901"}, http.StatusAccepted)
	testhub.Eventually(t, "the buyer has the tracking note and the delivery", func() bool {
		d, _ := buyer.Deal(key)
		return d.State == "delivered" && d.Delivery.Tracking == "La Poste Colissimo 6A12345678901"
	})
	act(t, seller, st, key, "deliver", map[string]string{"tracking": "again"}, http.StatusConflict)
	if code, _ := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/shipping", map[string]string{"address": "too late"}); code != http.StatusConflict {
		t.Errorf("a new address once delivered: %d, want 409", code)
	}
	act(t, buyer, bt, key, "confirm", nil, http.StatusAccepted)
	testhub.Eventually(t, "closed with the confirm", func() bool { return dealState(seller, key) == "completed" })

	// Where the address went: the seller's hub (and the buyer's own);
	// never the agent, the relay, or an outbox.
	if !fileHas(t, seller.Config.DataDir, "Zephyrine Quarlesworth") {
		t.Fatal("the seller's data has no address: the check below could not fail")
	}
	for name, dir := range map[string]string{"the escrow agent": agent.Config.DataDir, "the relay": r.Config.DataDir} {
		if fileHas(t, dir, "Zephyrine") {
			t.Errorf("%s received the shipping address", name)
		}
	}
	for _, h := range []*testhub.MarketHub{seller, buyer} {
		code, out := h.API(t, "", "GET", strings.TrimPrefix(h.Node().Actor().Outbox, h.Config.PublicURL)+"?page=true", nil)
		if strings.Contains(string(out), "Zephyrine") {
			t.Errorf("%s's outbox (%d) shows the address", h.Handle(), code)
		}
	}

	// A data product: no offer yet, said politely.
	dp := publish(t, seller, st, agent, map[string]any{"listing_type": "data_product", "title": "Running routes",
		"price": map[string]string{"amount": "50", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})
	code, out := buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": dp.FederatedAPID, "quantity": 1, "escrow": agent.ActorID()})
	if code != http.StatusBadRequest || !strings.Contains(string(out), "data products are delivered") {
		t.Errorf("an offer on a data product: %d %s", code, out)
	}
	// A shipping address for something not shipped.
	svc := publish(t, seller, st, agent, map[string]any{"listing_type": "service", "title": "Consulting",
		"price": map[string]string{"amount": "50", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})
	code, out = buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": svc.FederatedAPID, "quantity": 1, "escrow": agent.ActorID(), "shipping_address": "1 Main St"})
	if code != http.StatusBadRequest || !strings.Contains(string(out), "only a physical good is shipped") {
		t.Errorf("a shipping address on a service: %d %s", code, out)
	}
}

// TestTimeCreditDeal: a listing priced in time credits is bought through
// the escrow agent like money: the agent's operator grants the buyer
// credits (a deposit in HOUR, hundredths of an hour), the deal holds and
// releases them, the seller's account rises.
func TestTimeCreditDeal(t *testing.T) {
	ctx := context.Background()
	seller, buyer, agent, st, bt := dealParties(t, nil)
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "service", "title": "Garden help, by the hour",
		"price": map[string]string{"amount": "1", "price_type": "time_credit", "pricing_model": "one_time"}})
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "300 HOUR"); err != nil {
		t.Fatal(err)
	}
	key := offerAccepted(t, seller, buyer, agent, st, bt, lv.FederatedAPID, map[string]any{"quantity": 2})
	if d, _ := buyer.Deal(key); d.Amount != "200" || d.Currency != "HOUR" {
		t.Fatalf("two units of 1 time credit: %s %s, want 200 HOUR", d.Amount, d.Currency)
	}
	act(t, buyer, bt, key, "fund", nil, http.StatusAccepted)
	testhub.Eventually(t, "funded", func() bool { return dealState(seller, key) == "funded" })
	act(t, seller, st, key, "deliver", nil, http.StatusAccepted)
	testhub.Eventually(t, "delivered", func() bool { return dealState(buyer, key) == "delivered" })
	act(t, buyer, bt, key, "confirm", nil, http.StatusAccepted)
	testhub.Eventually(t, "closed with the confirm", func() bool { return dealState(seller, key) == "completed" })
	testhub.Eventually(t, "completed on all three", func() bool {
		d, _ := buyer.Deal(key)
		ad, err := agent.AgentDeal(ctx, d.ID)
		return err == nil && ad.Status == "completed" && d.State == "completed" && dealState(seller, key) == "completed"
	})
	for who, want := range map[string]int64{seller.ActorID(): 200, buyer.ActorID(): 100} {
		if bal, err := agent.AgentBalance(ctx, who, "HOUR"); err != nil || bal.Int64() != want {
			t.Errorf("%s's time credits at the agent: %v %v, want %d", who, bal, err, want)
		}
	}
}

// TestDeadlinesAcrossServers: the escrow agent applies its deadlines
// itself and tells both hubs: a delivered service the buyer never
// confirms is released to the seller (hub.agent.timeouts.confirm).
func TestDeadlinesAcrossServers(t *testing.T) {
	ctx := context.Background()
	seller, buyer, agent, st, bt := dealParties(t, func(c *config.Config) {
		c.Hub.Agent.Timeouts = config.AgentTimeouts{Confirm: config.Duration(time.Second)}
	})
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "service", "title": "Consulting",
		"price": map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"}})
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "20000 USD"); err != nil {
		t.Fatal(err)
	}
	key := offerAccepted(t, seller, buyer, agent, st, bt, lv.FederatedAPID, nil)
	act(t, buyer, bt, key, "fund", nil, http.StatusAccepted)
	testhub.Eventually(t, "funded", func() bool { return dealState(seller, key) == "funded" })
	act(t, seller, st, key, "deliver", nil, http.StatusAccepted)
	// The buyer stays silent: the agent releases the money.
	testhub.Eventually(t, "released by the agent's deadline on both copies", func() bool {
		return dealState(seller, key) == "confirmed" && dealState(buyer, key) == "confirmed"
	})
	d, _ := seller.Deal(key)
	last := d.History[len(d.History)-1]
	if last.Action != "timeout" || last.By != agent.ActorID() || last.From != "delivered" {
		t.Errorf("the last step: %+v, want the agent's timeout from delivered", last)
	}
	act(t, seller, st, key, "complete", nil, http.StatusAccepted)
	testhub.Eventually(t, "completed", func() bool { return dealState(buyer, key) == "completed" })
	if bal, _ := agent.AgentBalance(ctx, seller.ActorID(), "USD"); bal.Int64() != 20000 {
		t.Errorf("the seller's balance after the release: %v, want 20000", bal)
	}
}

// TestLateAcceptConverges: offers expire on a job on both hubs, and an
// Accept that leaves the seller's hub before the offer's end but reaches
// the buyer's after it (the buyer's hub was down) is refused there; the
// deal the agent created for it is never funded, so the agent's fund
// deadline ends it, and all three copies end expired.
func TestLateAcceptConverges(t *testing.T) {
	ctx := context.Background()
	sellerCfg := testhub.HubConfig(t, t.TempDir(), "ana")
	buyerCfg := testhub.HubConfig(t, t.TempDir(), "bo")
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	agentCfg.Hub.Agent.Timeouts.Fund = config.Duration(time.Second)
	seller := testhub.StartMarketHub(t, sellerCfg, nil)
	buyer := testhub.StartMarketHub(t, buyerCfg, nil)
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	st, bt := seller.Token(t, "full"), buyer.Token(t, "full")
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "service", "title": "Consulting",
		"price": map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"}})
	code, out := buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": agent.ActorID(), "expires_in": "2s"})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, out)
	}
	var dv hub.DealView
	json.Unmarshal(out, &dv)
	testhub.Eventually(t, "the seller has the offer", func() bool { return dealState(seller, dv.Key) == deal.StateOffered })
	buyer.Stop()
	// The seller accepts while the offer is open; the Accept waits in
	// its queue until the buyer's hub is back, after the offer's end.
	if code, out := seller.API(t, st, "POST", "/api/v1/owner/offers/"+dv.Key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, out)
	}
	testhub.Eventually(t, "the offer's end passes", func() bool { return time.Now().After(dv.Expires) })
	buyer = testhub.StartMarketHub(t, buyerCfg, nil)
	testhub.Eventually(t, "all three copies expired", func() bool {
		ad, err := agent.AgentDeal(ctx, dv.ID)
		return err == nil && ad.Status == "expired" && dealState(seller, dv.Key) == "expired" && dealState(buyer, dv.Key) == deal.StateExpired
	})
	if code, _ := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+dv.Key+"/fund", nil); code != http.StatusConflict {
		t.Errorf("funding the expired deal: %d, want 409", code)
	}
}

// TestDigitalDeliveryAcrossRestarts: the deal is funded before the
// seller attached the file (the seller's copy says so), the buyer's hub
// is down when the seller's hub sends the link, and the seller's hub
// restarts after: the link reaches the buyer's hub when it is back,
// which fetches the file from the restarted seller.
func TestDigitalDeliveryAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	sellerCfg := testhub.HubConfig(t, t.TempDir(), "ana")
	buyerCfg := testhub.HubConfig(t, t.TempDir(), "bo")
	agentCfg := testhub.HubConfig(t, t.TempDir(), "coop")
	agentCfg.Hub.Agent.Enabled = true
	seller := testhub.StartMarketHub(t, sellerCfg, nil)
	buyer := testhub.StartMarketHub(t, buyerCfg, nil)
	agent := testhub.StartMarketHub(t, agentCfg, nil)
	st, bt := seller.Token(t, "full"), buyer.Token(t, "full")
	lv := publish(t, seller, st, agent, map[string]any{"listing_type": "digital", "title": "Sheet music",
		"price": map[string]string{"amount": "5", "currency": "USD", "price_type": "fixed", "pricing_model": "one_time"}})
	score := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("do re mi "), 300)...)
	if _, err := agent.AgentPayment(ctx, true, buyer.ActorID(), "500 USD"); err != nil {
		t.Fatal(err)
	}
	key := offerAccepted(t, seller, buyer, agent, st, bt, lv.FederatedAPID, nil)
	act(t, buyer, bt, key, "fund", nil, http.StatusAccepted)
	// Funded before the seller attached the file: the seller's copy says
	// what is missing, and the file goes once attached.
	testhub.Eventually(t, "the seller's copy says the file is missing", func() bool {
		d, _ := seller.Deal(key)
		return d.State == "funded" && strings.Contains(d.Delivery.Problem, "no file attached")
	})
	buyer.Stop()
	if code, out := upload(t, seller, st, lv.ID, "score.pdf", "application/pdf", score); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, out)
	}
	testhub.Eventually(t, "the seller sent the link and marked it delivered", func() bool {
		d, _ := seller.Deal(key)
		return d.Delivery.Link != "" && d.State == "delivered"
	})
	seller.Stop()
	seller = testhub.StartMarketHub(t, sellerCfg, nil)
	buyer = testhub.StartMarketHub(t, buyerCfg, nil)
	testhub.Eventually(t, "the buyer's hub has the file after both restarts", func() bool {
		d, err := buyer.Deal(key)
		return err == nil && d.State == "delivered" && !d.Delivery.Received.IsZero()
	})
	if code, got := buyer.API(t, bt, "GET", "/api/v1/owner/deals/"+key+"/file", nil); code != http.StatusOK || !bytes.Equal(got, score) {
		t.Fatalf("the file: %d, %d bytes", code, len(got))
	}
	bd, _ := buyer.Deal(key)
	sd, _ := seller.Deal(key)
	if bd.Delivery.Evidence == "" || bd.Delivery.Evidence != sd.Delivery.Evidence || sd.Delivery.Problem != "" {
		t.Errorf("evidence: buyer %q, seller %q (problem %q)", bd.Delivery.Evidence, sd.Delivery.Evidence, sd.Delivery.Problem)
	}
}
