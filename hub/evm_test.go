package hub_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/escrow/simchain"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/listing"
)

// Accounts of the test chain.
const (
	evmDeployer = iota
	evmBuyer
	evmSeller
	evmStranger
	evmMediator
)

// evmChain is a simulated chain served over JSON-RPC on loopback and
// mined while transactions wait, with the Escrow contract and a test
// ERC-20 (6 decimals, as USDC) deployed.
type evmChain struct {
	*simchain.Chain
	dep   escrow.Deployment
	token common.Address
	url   string
	// e acts on the chain directly, with every account's key: what a
	// party does without its hub.
	e *escrow.EVM
}

func startEVMChain(t *testing.T, ctx context.Context) *evmChain {
	t.Helper()
	chain, err := simchain.New(5)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	dep, err := escrow.DeployEVM(ctx, chain.Client(), chain.Keys[evmDeployer], escrow.DeployOptions{Arbitrator: chain.Addrs[evmMediator], Mine: chain.Mine})
	if err != nil {
		t.Fatal(err)
	}
	token, err := chain.DeployTestToken(ctx, chain.Keys[evmDeployer])
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []int{evmBuyer, evmStranger} {
		if err := chain.MintTestToken(ctx, chain.Keys[evmDeployer], token, chain.Addrs[who], big.NewInt(500_000_000)); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := chain.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	mctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	go chain.MineWhilePending(mctx, 20*time.Millisecond)
	e, err := escrow.NewEVM(ctx, chain.Client(), dep.Escrow, escrow.EVMOptions{Keys: chain.Keys, FromBlock: dep.Block, Mine: chain.Mine})
	if err != nil {
		t.Fatal(err)
	}
	return &evmChain{Chain: chain, dep: dep, token: token, url: srv.URL, e: e}
}

// hubConfig is a hub's configuration with hub.evm on this chain, signing
// with account i's key (written to a 0600 key file).
func (c *evmChain) hubConfig(t *testing.T, handle string, i int) config.Config {
	t.Helper()
	cfg := testhub.HubConfig(t, t.TempDir(), handle)
	keyFile := filepath.Join(t.TempDir(), handle+".key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(c.Keys[i]))+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg.Hub.EVM = config.EVM{RPCURL: c.url, ChainID: 1337, Contract: c.dep.Escrow.Hex(), KeyFile: keyFile, FromBlock: c.dep.Block,
		PollInterval: config.Duration(50 * time.Millisecond)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (c *evmChain) tokens(t *testing.T, i int) int64 {
	t.Helper()
	b, err := c.TokenBalance(context.Background(), c.token, c.Addrs[i])
	if err != nil {
		t.Fatal(err)
	}
	return b.Int64()
}

// caughtUp waits until h has read the chain's events up to its head.
func (c *evmChain) caughtUp(t *testing.T, h *testhub.MarketHub) {
	t.Helper()
	head, err := c.e.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, h.Handle()+" to read the chain up to block "+fmt.Sprint(head), func() bool { return h.EVMCursor() >= head })
}

// TestEVMDealEndToEnd is the seed's consulting use case on the EVM
// escrow, between real servers on loopback: a relay, a seller hub and a
// buyer hub, and a simulated chain served over JSON-RPC. The buyer finds
// the listing by searching the relay, offers an hour with the listing's
// EVM escrow (a USD stablecoin with approve), the seller accepts, the
// buyer's hub funds on chain with its own key, the seller's hub marks
// delivered, the buyer confirms, which closes the deal: both copies and
// the chain say completed, and the tokens moved on chain. On the way:
// on-chain deals that carry the agreement's reference but other parties
// or another amount are not mirrored, every wrong party's action is
// refused and changes nothing, and the seller's hub restarts.
func TestEVMDealEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: a chain, a relay and two hubs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := startEVMChain(t, ctx)
	r := testhub.StartRelay(t, testhub.RelayConfig(t, t.TempDir()), nil)
	sellerCfg := c.hubConfig(t, "ana", evmSeller)
	seller := testhub.StartMarketHub(t, sellerCfg, nil)
	buyerCfg := c.hubConfig(t, "bo", evmBuyer)
	buyer := testhub.StartMarketHub(t, buyerCfg, nil)
	st, bt := seller.Token(t, hub.ScopeFull), buyer.Token(t, hub.ScopeFull)
	if _, err := seller.AddRelay(ctx, r.ActorID()); err != nil {
		t.Fatal(err)
	}
	testhub.Eventually(t, "the relay to follow the seller", func() bool { return r.Follows(true)[seller.ActorID()] == federation.FollowAccepted })

	esc := map[string]any{"kind": "evm", "chain_id": 1337, "contract": c.dep.Escrow.Hex(), "token": c.token.Hex(), "decimals": 6}
	lv := create(t, seller, st, map[string]any{
		"title": "1-hour architecture consulting session", "listing_type": "service", "status": "active",
		"price":   map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"escrows": []map[string]any{esc},
	})
	testhub.Eventually(t, "the relay to find the listing", func() bool {
		return slices.Contains(searchIDs(t, r, "architecture consulting"), lv.FederatedAPID)
	})
	ref := "eip155:1337:" + strings.ToLower(c.dep.Escrow.Hex()) + "/erc20:" + strings.ToLower(c.token.Hex())
	code, body := buyer.API(t, bt, "POST", "/api/v1/owner/offers", map[string]any{"listing": searchIDs(t, r, "architecture consulting")[0], "quantity": 1, "escrow": ref})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	key := dv.Key
	if dv.EVM == nil || dv.EVM.Amount != "200000000" || dv.EVM.Buyer != strings.ToLower(c.Addrs[evmBuyer].Hex()) {
		t.Fatalf("the offer's EVM terms: %s", body)
	}
	testhub.Eventually(t, "the seller's hub has the offer", func() bool { return dealState(seller, key) == deal.StateOffered })
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	testhub.Eventually(t, "the buyer sees the accept", func() bool { return dealState(buyer, key) == deal.StateAccepted })
	bd, _ := buyer.Deal(key)
	if bd.EVM.Seller != strings.ToLower(c.Addrs[evmSeller].Hex()) {
		t.Fatalf("the buyer's copy binds seller address %q", bd.EVM.Seller)
	}

	// What a wallet needs to fund it, checked against the OpenAPI document.
	api := testhub.NewAPIClient(t, "../docs/openapi.yaml", buyer.Config.PublicURL)
	api.Header.Set("Authorization", "Bearer "+bt)
	if code, body := api.Do("GET", "/api/v1/owner/deals/"+key, nil); code != http.StatusOK || !strings.Contains(string(body), `"seller_address"`) {
		t.Fatalf("the buyer's copy: %d %s", code, body)
	}
	code, body = api.Do("GET", "/api/v1/owner/deals/"+key+"/evm", nil)
	var f hub.EVMFunding
	if json.Unmarshal(body, &f); code != http.StatusOK || f.ChainID != 1337 || f.Amount != "200000000" || len(f.Calls) != 2 ||
		f.Calls[0].Method != "approve" || f.Calls[1].Method != "createAndFund" || !strings.HasSuffix(f.Calls[1].Data, f.Ref[2:]) {
		t.Fatalf("funding info: %d %s", code, body)
	}

	// On-chain deals carrying this agreement's reference that are not the
	// agreed one: the buyer's account for another amount, and a stranger
	// paying the seller the right amount. Neither hub mirrors them.
	chainRef := deal.ChainRef(bd.ID)
	buyerAddr, sellerAddr := escrow.Party(c.Addrs[evmBuyer].Hex()), escrow.Party(c.Addrs[evmSeller].Hex())
	stranger := escrow.Party(c.Addrs[evmStranger].Hex())
	if _, err := c.e.CreateAndFund(ctx, escrow.CreateRequest{By: buyerAddr, Buyer: buyerAddr, Seller: sellerAddr, Amount: big.NewInt(1), Currency: c.token.Hex(), Ref: chainRef}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.e.CreateAndFund(ctx, escrow.CreateRequest{By: stranger, Buyer: stranger, Seller: sellerAddr, Amount: big.NewInt(200_000_000), Currency: c.token.Hex(), Ref: chainRef}); err != nil {
		t.Fatal(err)
	}
	c.caughtUp(t, buyer)
	c.caughtUp(t, seller)
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		if d, _ := h.Deal(key); d.State != deal.StateAccepted || d.EscrowDeal != 0 {
			t.Fatalf("%s mirrored an on-chain deal that is not the agreed one: %s, chain deal %d", h.Handle(), d.State, d.EscrowDeal)
		}
	}

	act := func(h *testhub.MarketHub, token, action string, want int) {
		t.Helper()
		if code, body := h.API(t, token, "POST", "/api/v1/owner/deals/"+key+"/"+action, nil); code != want {
			t.Fatalf("%s by %s: %d %s, want %d", action, h.Handle(), code, body, want)
		}
	}
	act(seller, st, "fund", http.StatusForbidden)   // the seller cannot fund
	act(seller, st, "deliver", http.StatusConflict) // nothing on chain yet
	act(buyer, bt, "confirm", http.StatusConflict)
	before := map[int]int64{evmBuyer: c.tokens(t, evmBuyer), evmSeller: c.tokens(t, evmSeller)}

	// Two funds at once (a double click, a retry): the journal makes the
	// second send the first's transactions again; one deal is paid.
	codes := make(chan int, 2)
	for range 2 {
		go func() {
			req, _ := http.NewRequestWithContext(ctx, "POST", buyer.Config.PublicURL+"/api/v1/owner/deals/"+key+"/fund", nil)
			req.Header.Set("Authorization", "Bearer "+bt)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	if a, b := <-codes, <-codes; (a != http.StatusAccepted || (b != http.StatusAccepted && b != http.StatusConflict)) && (b != http.StatusAccepted || a != http.StatusConflict) {
		t.Fatalf("two funds at once: %d and %d, want 202 and 202 or 409", a, b)
	}
	testhub.Eventually(t, "funded on both hubs", func() bool {
		return dealState(buyer, key) == "funded" && dealState(seller, key) == "funded"
	})
	act(buyer, bt, "fund", http.StatusConflict) // funded once
	bd, _ = buyer.Deal(key)
	if cd, err := c.e.Deal(ctx, escrow.DealID(bd.EscrowDeal)); err != nil || cd.Status != escrow.StatusFunded || cd.Amount.Int64() != 200_000_000 {
		t.Fatalf("on chain: %+v %v", cd, err)
	}
	if got := c.tokens(t, evmBuyer); got != before[evmBuyer]-200_000_000 {
		t.Fatalf("the buyer holds %d tokens after funding, want %d", got, before[evmBuyer]-200_000_000)
	}
	if code, body := api.Do("GET", "/api/v1/owner/deals/"+key+"/evm", nil); code != http.StatusOK || !strings.Contains(string(body), `"calls":[]`) {
		t.Errorf("funding info of a funded deal: %d %s", code, body)
	}

	// Wrong parties, refused on the copy; nothing moves.
	act(buyer, bt, "deliver", http.StatusForbidden)
	act(seller, st, "confirm", http.StatusForbidden)
	act(seller, st, "complete", http.StatusConflict)

	// The seller's hub restarts and picks up where it was; the buyer's is
	// down while the seller delivers, and catches up from its cursor.
	seller.Stop()
	seller = testhub.StartMarketHub(t, sellerCfg, nil)
	buyer.Stop()
	act(seller, st, "deliver", http.StatusAccepted)
	buyer = testhub.StartMarketHub(t, buyerCfg, nil)
	testhub.Eventually(t, "delivered on both hubs", func() bool {
		return dealState(buyer, key) == "delivered" && dealState(seller, key) == "delivered"
	})
	act(seller, st, "deliver", http.StatusConflict)
	act(seller, st, "confirm", http.StatusForbidden) // only the buyer releases
	act(buyer, bt, "confirm", http.StatusAccepted)   // and closes the deal
	testhub.Eventually(t, "completed on both hubs", func() bool {
		return dealState(buyer, key) == "completed" && dealState(seller, key) == "completed"
	})
	act(buyer, bt, "complete", http.StatusConflict)
	act(seller, st, "complete", http.StatusConflict)
	if cd, err := c.e.Deal(ctx, escrow.DealID(bd.EscrowDeal)); err != nil || cd.Status != escrow.StatusCompleted {
		t.Fatalf("on chain: %+v %v", cd, err)
	}
	if got := c.tokens(t, evmSeller); got != before[evmSeller]+200_000_000 {
		t.Errorf("the seller holds %d tokens, want %d", got, before[evmSeller]+200_000_000)
	}
	if got := c.tokens(t, evmBuyer); got != before[evmBuyer]-200_000_000 {
		t.Errorf("the buyer holds %d tokens, want %d: paid once", got, before[evmBuyer]-200_000_000)
	}
	if got, err := c.TokenBalance(ctx, c.token, c.dep.Escrow); err != nil || got.Int64() != 200_000_001 {
		t.Errorf("the escrow holds %v tokens, want only the two unmirrored deals' 200000001 (%v)", got, err)
	}

	bd, _ = buyer.Deal(key)
	sd, _ := seller.Deal(key)
	want := []string{
		"1 create accepted→created by " + buyer.ActorID(),
		"2 fund created→funded by " + buyer.ActorID(),
		"3 deliver funded→delivered by " + seller.ActorID(),
		"4 confirm delivered→confirmed by " + buyer.ActorID(),
		"5 complete confirmed→completed by " + buyer.ActorID(), // closed with the confirm
	}
	for who, d := range map[string]*deal.Deal{"buyer": bd, "seller": sd} {
		if got := escrowSteps(d); !slices.Equal(got, want) {
			t.Errorf("the %s's history:\n%q\nwant\n%q", who, got, want)
		}
	}
}

// escrowSteps are a copy's escrow events, one line each.
func escrowSteps(d *deal.Deal) []string {
	var out []string
	for _, e := range d.History {
		if e.Seq > 0 {
			out = append(out, fmt.Sprintf("%d %s %s→%s by %s", e.Seq, e.Action, e.From, e.To, e.By))
		}
	}
	return out
}

// TestEVMOfferChecks: an offer on an EVM escrow must name the buyer's
// address, well formed; the seller's hub refuses to accept one naming its
// own address as the buyer's; a hub without hub.evm makes no EVM offer.
// Each refusal leaves the deals as they were.
func TestEVMOfferChecks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := startEVMChain(t, ctx)
	seller := testhub.StartMarketHub(t, c.hubConfig(t, "ana", evmSeller), nil)
	plain := testhub.StartMarketHub(t, testhub.HubConfig(t, t.TempDir(), "cy"), nil)
	st := seller.Token(t, hub.ScopeFull)
	esc := listing.Escrow{Kind: listing.EscrowEVM, ChainID: 1337, Contract: c.dep.Escrow.Hex(), Token: listing.NativeToken, Decimals: 18}
	lv := create(t, seller, st, map[string]any{
		"title": "Consulting", "listing_type": "service", "status": "active",
		"price":   map[string]string{"amount": "200", "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"escrows": []listing.Escrow{esc},
	})
	if code, body := plain.API(t, plain.Token(t, hub.ScopeFull), "POST", "/api/v1/owner/offers", map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": esc.Ref()}); code != http.StatusBadRequest || !strings.Contains(string(body), "hub.evm") {
		t.Errorf("an EVM offer from a hub without hub.evm: %d %s", code, body)
	}
	if ds, _ := plain.Deals(); len(ds) != 0 {
		t.Errorf("a refused offer left a deal: %+v", ds)
	}

	x := testhub.StartHub(t, testhub.Options{Name: "mallory"})
	offer := func(n int, buyerAddress string) []byte {
		terms := deal.Terms{Listing: lv.FederatedAPID, Buyer: x.ActorID, Seller: seller.ActorID(), Quantity: 1, Amount: "20000", Currency: "USD",
			Escrow: esc.Ref(), EVM: &deal.EVMTerms{ChainID: 1337, Contract: strings.ToLower(c.dep.Escrow.Hex()), Token: "native", Amount: "200000000000000000000", Buyer: buyerAddress},
			Expires: time.Now().Add(time.Hour)}
		d := deal.New(fmt.Sprintf("%s/deals/%d", x.ActorID, n), "", deal.RoleBuyer, terms, x.ActorID, time.Now())
		return forged(x, "Offer", seller.ActorID(), deal.Agreement(d, "hour"))
	}
	inbox := seller.Node().Actor().Inbox
	for name, tc := range map[string]struct {
		act  []byte
		want int
	}{
		"no buyer address":        {offer(1, ""), http.StatusBadRequest},
		"a buyer address not hex": {offer(2, "0xnothex"), http.StatusBadRequest},
	} {
		if code, body, err := x.Send(ctx, inbox, tc.act); err != nil || code != tc.want {
			t.Errorf("%s: %d %s %v, want %d", name, code, body, err, tc.want)
		}
	}
	if ds, _ := seller.Deals(); len(ds) != 0 {
		t.Fatalf("refused offers left deals: %+v", ds)
	}
	// The seller's own address as the buyer's: taken as an offer, never accepted.
	if code, body, err := x.Send(ctx, inbox, offer(3, strings.ToLower(c.Addrs[evmSeller].Hex()))); err != nil || code >= 300 {
		t.Fatalf("offer: %d %s %v", code, body, err)
	}
	ds, _ := seller.Deals()
	if len(ds) != 1 {
		t.Fatalf("deals: %+v", ds)
	}
	key := hubDealKey(t, seller, st, ds[0].ID)
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusBadRequest {
		t.Errorf("accepting an offer naming the seller's own address: %d %s", code, body)
	}
	if d, _ := seller.Deal(key); d.State != deal.StateOffered || d.EVM.Seller != "" {
		t.Errorf("the refused accept changed the deal: %s, seller address %q", d.State, d.EVM.Seller)
	}
}

// hubDealKey is the owner API's key of the deal with agreement id.
func hubDealKey(t *testing.T, h *testhub.MarketHub, token, id string) string {
	t.Helper()
	_, body := h.API(t, token, "GET", "/api/v1/owner/deals", nil)
	var out struct{ Deals []hub.DealView }
	json.Unmarshal(body, &out)
	for _, d := range out.Deals {
		if d.ID == id {
			return d.Key
		}
	}
	t.Fatalf("no deal %s", id)
	return ""
}

// TestEVMConfirmations: with hub.evm.confirmations set, a hub believes an
// escrow event only once that many blocks follow it: the funded deal
// stays accepted on both hubs while the funding block is the chain's
// head (a reorganisation could still drop it), and is mirrored as funded
// once enough blocks are on top. The hub's own fund, asked again before
// that, sends nothing new: the chain holds one deal.
func TestEVMConfirmations(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := startEVMChain(t, ctx)
	const confirms = 3
	hubAt := func(handle string, account int) *testhub.MarketHub {
		cfg := c.hubConfig(t, handle, account)
		cfg.Hub.EVM.Confirmations = confirms
		return testhub.StartMarketHub(t, cfg, nil)
	}
	seller, buyer := hubAt("ana", evmSeller), hubAt("bo", evmBuyer)
	st, bt := seller.Token(t, hub.ScopeFull), buyer.Token(t, hub.ScopeFull)
	key := c.acceptedDeal(t, seller, buyer, st, bt)
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/fund", nil); code != http.StatusAccepted {
		t.Fatalf("fund: %d %s", code, body)
	}
	head, err := c.e.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []*testhub.MarketHub{buyer, seller} {
		testhub.Eventually(t, h.Handle()+" to read up to the believed block", func() bool { return h.EVMCursor() >= head-confirms })
		if d, _ := h.Deal(key); d.State != deal.StateAccepted || d.EscrowDeal != 0 {
			t.Fatalf("%s mirrored a funding with fewer than %d confirmations: %s, chain deal %d", h.Handle(), confirms, d.State, d.EscrowDeal)
		}
	}
	if code, body := buyer.API(t, bt, "POST", "/api/v1/owner/deals/"+key+"/fund", nil); code != http.StatusAccepted {
		t.Fatalf("fund again before it is believed: %d %s", code, body)
	}
	for range confirms {
		c.Mine()
	}
	testhub.Eventually(t, "funded on both hubs once confirmed", func() bool {
		return dealState(buyer, key) == "funded" && dealState(seller, key) == "funded"
	})
	if _, err := c.e.Deal(ctx, 2); err == nil {
		t.Fatal("the second fund created a second deal on chain")
	}
}
