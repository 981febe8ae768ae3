package web_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/escrow/simchain"
	"github.com/sovereign-marketplace/market/internal/browsertest"
	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/web"
)

// Accounts of the wallet tests' chain.
const (
	accDeployer = iota
	accBuyer
	accSeller
	accMediator
	accStranger
)

// walletWorld is a simulated chain served over JSON-RPC on loopback, with
// the Escrow contract deployed and the seller's hub holding its key, as
// the server side of an EVM deal has it.
type walletWorld struct {
	chain  *simchain.Chain
	rpcURL string
	dep    escrow.Deployment
	seller *escrow.EVM // the seller's hub: creates deals on chain
}

func newWalletWorld(t *testing.T) *walletWorld {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	chain, err := simchain.New(5, simchain.ServeHTTP(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { chain.Close() })
	ctx := context.Background()
	dep, err := escrow.DeployEVM(ctx, chain.Client(), chain.Keys[accDeployer], escrow.DeployOptions{Arbitrator: chain.Addrs[accMediator], Mine: chain.Mine})
	if err != nil {
		t.Fatal(err)
	}
	seller, err := escrow.NewEVM(ctx, chain.Client(), dep.Escrow, escrow.EVMOptions{Keys: chain.Keys[accSeller : accSeller+1], Mine: chain.Mine})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { seller.Close() })
	return &walletWorld{chain: chain, rpcURL: "http://127.0.0.1:" + itoa(port), dep: dep, seller: seller}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func (w *walletWorld) party(i int) escrow.Party { return escrow.Party(w.chain.Addrs[i].Hex()) }

// createDeal sets up a deal on chain, as the seller's hub does once the
// offer is accepted.
func (w *walletWorld) createDeal(t *testing.T, amount *big.Int, currency string) escrow.Deal {
	t.Helper()
	d, err := w.seller.Create(context.Background(), escrow.CreateRequest{
		By: w.party(accSeller), Buyer: w.party(accBuyer), Seller: w.party(accSeller), Amount: amount, Currency: currency,
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != escrow.StatusCreated {
		t.Fatalf("new deal is %s", d.Status)
	}
	return d
}

func (w *walletWorld) status(t *testing.T, id escrow.DealID) escrow.Status {
	t.Helper()
	d, err := w.seller.Deal(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Status
}

func (w *walletWorld) balance(t *testing.T, who common.Address) *big.Int {
	t.Helper()
	b, err := w.chain.Client().BalanceAt(context.Background(), who, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testToken is the ERC-20 of escrow's contract tests (6 decimals, anyone
// mints), deployed from its committed build.
type testToken struct {
	addr common.Address
	abi  abi.ABI
	c    *bind.BoundContract
}

func (w *walletWorld) deployToken(t *testing.T) *testToken {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "escrow", "contracts", "build", "testcontracts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var build struct {
		Contracts map[string]struct {
			ABI json.RawMessage `json:"abi"`
			Bin string          `json:"bin"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal(raw, &build); err != nil {
		t.Fatal(err)
	}
	c := build.Contracts["test/TestToken.sol:TestToken"]
	a, err := abi.JSON(strings.NewReader(string(c.ABI)))
	if err != nil || c.Bin == "" {
		t.Fatalf("TestToken build: %v", err)
	}
	ctx := context.Background()
	auth := bind.NewKeyedTransactor(w.chain.Keys[accDeployer], w.dep.ChainID)
	addr, tx, err := bind.DeployContract(auth, common.FromHex(c.Bin), w.chain.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w.chain.Mine()
	if _, err := bind.WaitDeployed(ctx, w.chain.Client(), tx.Hash()); err != nil {
		t.Fatal(err)
	}
	return &testToken{addr: addr, abi: a, c: bind.NewBoundContract(addr, a, w.chain.Client(), w.chain.Client(), w.chain.Client())}
}

func (tt *testToken) mint(t *testing.T, w *walletWorld, to common.Address, amount *big.Int) {
	t.Helper()
	data, err := tt.abi.Pack("mint", to, amount)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := tt.c.RawTransact(bind.NewKeyedTransactor(w.chain.Keys[accDeployer], w.dep.ChainID), data)
	if err != nil {
		t.Fatal(err)
	}
	w.chain.Mine()
	if rc, err := bind.WaitMined(context.Background(), w.chain.Client(), tx.Hash()); err != nil || rc.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("mint: %v", err)
	}
}

func (tt *testToken) balance(t *testing.T, who common.Address) *big.Int {
	t.Helper()
	data, _ := tt.abi.Pack("balanceOf", who)
	out, err := tt.c.CallRaw(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	return new(big.Int).SetBytes(out)
}

// fundingPage serves one deal page holding the wallet-fund partial, and
// takes the page's report of the funding as the hub would (CSRF checked).
type fundingPage struct {
	srv  *httptest.Server
	csrf string

	mu      sync.Mutex
	funding web.WalletFunding
	reports []map[string]string
}

func newFundingPage(t *testing.T, f web.WalletFunding) *fundingPage {
	t.Helper()
	site, err := web.New(web.Options{Name: "Buyer's hub", Pages: fstest.MapFS{
		"deal.html": {Data: []byte(`{{define "title"}}Deal{{end}}{{define "main"}}<h1>Deal with the seller</h1>{{template "wallet-fund" .Data}}{{end}}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	p := &fundingPage{csrf: web.NewSecret(), funding: f}
	p.funding.ReportURL, p.funding.CSRF = "/deal/funded", p.csrf
	mux := http.NewServeMux()
	site.Routes(mux.Handle)
	mux.HandleFunc("GET /deal", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		f := p.funding
		p.mu.Unlock()
		site.Render(w, r, http.StatusOK, "deal", f)
	})
	mux.Handle("POST /deal/funded", site.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := web.ReadWalletReport(w, r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !web.CheckCSRF(r, p.csrf) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		p.mu.Lock()
		p.reports = append(p.reports, map[string]string{"tx": rep.Tx.Hex(), "deal": strconv.FormatUint(rep.Deal, 10), "chain_id": strconv.FormatUint(rep.ChainID, 10)})
		p.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})))
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *fundingPage) got() []map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]map[string]string(nil), p.reports...)
}

// waitText waits until the page's element sel shows text (not hidden)
// and returns it.
func waitText(t *testing.T, b *browsertest.Browser, sel string) string {
	t.Helper()
	return b.WaitFor(sel, `(() => { const e = document.querySelector(`+jsString(sel)+`); return e && !e.hidden ? e.textContent : ""; })()`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// click presses a button of the funding block.
func click(b *browsertest.Browser, sel string) {
	b.Do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// startFunding opens the deal page, presses Pay and waits for the
// confirmation the page asks for (or its refusal); it returns the
// confirmation's text, or "" and the status shown instead.
func startFunding(t *testing.T, b *browsertest.Browser) (confirm, status string) {
	t.Helper()
	b.Open("/deal")
	ready := waitText(t, b, "[data-wallet-actions], [data-wallet-status]:not([hidden])")
	if !strings.HasPrefix(ready, "Pay ") {
		t.Fatalf("the page shows no Pay button: %q", ready)
	}
	click(b, "[data-wallet-start]")
	js := `(() => { const c = document.querySelector("[data-wallet-confirm-box]"), s = document.querySelector("[data-wallet-status]");
		return !c.hidden ? "confirm:" + document.querySelector("[data-wallet-confirm-text]").textContent : !s.hidden ? "status:" + s.textContent : ""; })()`
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[string](js))
		if err == nil && s != "" {
			if c, ok := strings.CutPrefix(s, "confirm:"); ok {
				return c, ""
			}
			return "", strings.TrimPrefix(s, "status:")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no confirmation and no status after 30 s (%v)", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestWalletFundsNativeDeal: in Chromium, the buyer funds a deal in the
// chain's coin from a wallet (the test EIP-1193 provider, signing with
// the buyer's dev key) that starts on another chain. The page shows the
// contract and the amount, asks the wallet to switch, asks the user to
// confirm; a signature the user declines funds nothing and the page says
// so; the next try funds the deal: the contract says funded, the buyer's
// balance dropped by the amount plus the fees, the escrow holds the
// amount, and the hub was told the transaction's hash.
func TestWalletFundsNativeDeal(t *testing.T) {
	w := newWalletWorld(t)
	amount := new(big.Int).Div(simchain.Ether, big.NewInt(4))
	d := w.createDeal(t, amount, escrow.Native)
	p := newFundingPage(t, web.WalletFunding{
		ChainID: w.dep.ChainID.Uint64(), ChainName: "Local test chain", NativeSymbol: "ETH", Contract: w.dep.Escrow.Hex(),
		Token: escrow.Native, Decimals: 18, Amount: amount.String(), Price: `<img src=x onerror=alert(1)> 0.25 ETH, "1 hour"`,
		Buyer: w.chain.Addrs[accBuyer].Hex(), Function: web.WalletFund, DealID: uint64(d.ID),
	})
	b := browsertest.New(t, p.srv.URL, true)
	wallet := browsertest.NewWallet(t, w.rpcURL, w.chain.Keys[accBuyer], w.chain.Mine)
	wallet.Set(func(tw *browsertest.Wallet) { tw.On, tw.Known[1] = 1, true }) // on mainnet, knows the test chain
	wallet.Install(b)
	buyerBefore := w.balance(t, w.chain.Addrs[accBuyer])

	b.Open("/deal")
	if got := b.Text("[data-wallet-show=contract]"); got != w.dep.Escrow.Hex() {
		t.Errorf("contract shown: %q, want %s", got, w.dep.Escrow.Hex())
	}
	if got := b.Text("[data-wallet-show=amount]"); got != "0.25 ETH" {
		t.Errorf("amount shown: %q", got)
	}
	if got := b.Text(".wallet-fund dl"); !strings.Contains(got, `<img src=x onerror=alert(1)>`) {
		t.Errorf("the price is not shown as text: %q", got)
	}

	// The user declines the signature: nothing is sent or funded.
	wallet.Set(func(tw *browsertest.Wallet) { tw.Decline["eth_sendTransaction"] = true })
	confirm, status := startFunding(t, b)
	if status != "" {
		t.Fatalf("the page stopped before the confirmation: %q", status)
	}
	for _, want := range []string{"0.25 ETH", w.dep.Escrow.Hex(), w.chain.Addrs[accBuyer].Hex(), "one transaction", "Local test chain (chain id 1337)"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("the confirmation lacks %q: %q", want, confirm)
		}
	}
	ms := wallet.Methods()
	if !hasMethod(ms, "wallet_switchEthereumChain") || hasMethod(ms, "eth_sendTransaction") {
		t.Fatalf("before the confirmation the wallet was asked: %s", joinMethods(ms))
	}
	b.Screenshot("01-native-confirm")
	shot(t, b, "02-native-confirm-block")
	click(b, "[data-wallet-confirm]")
	if got := waitText(t, b, "[data-wallet-status]"); !strings.Contains(got, "You declined in your wallet") || !strings.Contains(got, "nothing was paid") {
		t.Fatalf("after declining: %q", got)
	}
	b.Screenshot("03-native-declined")
	if s := w.status(t, d.ID); s != escrow.StatusCreated {
		t.Fatalf("after declining the deal is %s", s)
	}
	if len(wallet.Sent()) != 0 || w.balance(t, w.chain.Addrs[accBuyer]).Cmp(buyerBefore) != 0 || len(p.got()) != 0 {
		t.Fatal("declining sent something")
	}

	// The next try funds it.
	wallet.Set(func(tw *browsertest.Wallet) { tw.Decline = map[string]bool{}; tw.On = 1 })
	startFunding(t, b)
	click(b, "[data-wallet-confirm]")
	got := waitText(t, b, "[data-wallet-status]")
	sent := wallet.Sent()
	if len(sent) != 1 {
		t.Fatalf("the wallet sent %d transactions, want 1; status %q", len(sent), got)
	}
	if !strings.Contains(got, "Paid: 0.25 ETH is held by the escrow contract for deal #"+itoa(int(d.ID))) || !strings.Contains(got, sent[0].Hex()) {
		t.Fatalf("after paying: %q", got)
	}
	b.Screenshot("04-native-paid")
	shot(t, b, "05-native-paid-block")
	b.Clean("funding page")
	if s := w.status(t, d.ID); s != escrow.StatusFunded {
		t.Fatalf("on chain the deal is %s, want funded", s)
	}
	spent := new(big.Int).Sub(buyerBefore, w.balance(t, w.chain.Addrs[accBuyer]))
	if want := new(big.Int).Add(amount, wallet.Fees(t)); spent.Cmp(want) != 0 {
		t.Errorf("the buyer's balance dropped by %s, want the amount plus fees %s", spent, want)
	}
	if held := w.balance(t, w.dep.Escrow); held.Cmp(amount) != 0 {
		t.Errorf("the escrow holds %s, want %s", held, amount)
	}
	testhub.Eventually(t, "the hub to be told", func() bool { return len(p.got()) == 1 })
	if r := p.got()[0]; r["tx"] != sent[0].Hex() || r["deal"] != itoa(int(d.ID)) || r["chain_id"] != "1337" {
		t.Errorf("the hub was told %v", r)
	}

	// Once funded, the page refuses to pay again, before any signature.
	_, status = startFunding(t, b)
	if !strings.Contains(status, "already funded") || len(wallet.Sent()) != 1 {
		t.Errorf("paying a funded deal again: %q, %d transactions", status, len(wallet.Sent()))
	}
}

// TestWalletFundsTokenDeal: a deal in an ERC-20 token, from a wallet that
// does not know the chain: the page has it added (error 4902, then
// wallet_addEthereumChain with the hub's RPC URL), approves the escrow
// for the amount, funds, and the buyer's tokens drop by exactly the
// amount, now held by the escrow.
func TestWalletFundsTokenDeal(t *testing.T) {
	w := newWalletWorld(t)
	tt := w.deployToken(t)
	amount := big.NewInt(200_000_000) // 200 TST
	tt.mint(t, w, w.chain.Addrs[accBuyer], big.NewInt(500_000_000))
	d := w.createDeal(t, amount, tt.addr.Hex())
	p := newFundingPage(t, web.WalletFunding{
		ChainID: w.dep.ChainID.Uint64(), ChainName: "Local test chain", RPCURL: w.rpcURL, NativeSymbol: "ETH", Contract: w.dep.Escrow.Hex(),
		Token: tt.addr.Hex(), Symbol: "TST", Decimals: 6, Amount: amount.String(), Price: "200 USD per hour, 1 hour",
		Buyer: w.chain.Addrs[accBuyer].Hex(), Function: web.WalletFund, DealID: uint64(d.ID),
	})
	b := browsertest.New(t, p.srv.URL, true)
	wallet := browsertest.NewWallet(t, w.rpcURL, w.chain.Keys[accBuyer], w.chain.Mine)
	wallet.Set(func(tw *browsertest.Wallet) { tw.On, tw.Known = 1, map[uint64]bool{1: true} }) // has never seen the test chain
	wallet.Install(b)

	confirm, status := startFunding(t, b)
	if status != "" {
		t.Fatalf("the page stopped before the confirmation: %q", status)
	}
	if !strings.Contains(confirm, "200 TST") || !strings.Contains(confirm, "two transactions") || !strings.Contains(confirm, tt.addr.Hex()) {
		t.Errorf("confirmation: %q", confirm)
	}
	if ms := joinMethods(wallet.Methods()); !strings.Contains(ms, "wallet_switchEthereumChain wallet_addEthereumChain") {
		t.Errorf("the wallet was asked: %s", ms)
	}
	wallet.Set(func(tw *browsertest.Wallet) {
		if len(tw.Added) != 1 || tw.Added[0]["chainName"] != "Local test chain" || tw.Added[0]["rpcUrls"].([]any)[0] != w.rpcURL {
			t.Errorf("chain added as %v", tw.Added)
		}
	})
	b.Screenshot("01-token-confirm")
	click(b, "[data-wallet-confirm]")
	got := waitText(t, b, "[data-wallet-status]")
	if !strings.Contains(got, "Paid: 200 TST") {
		t.Fatalf("after paying: %q", got)
	}
	b.Screenshot("02-token-paid")
	shot(t, b, "03-token-paid-block")
	b.Clean("token funding page")
	if n := len(wallet.Sent()); n != 2 {
		t.Errorf("the wallet sent %d transactions, want approve and fund", n)
	}
	if s := w.status(t, d.ID); s != escrow.StatusFunded {
		t.Fatalf("on chain the deal is %s, want funded", s)
	}
	if left := tt.balance(t, w.chain.Addrs[accBuyer]); left.Cmp(big.NewInt(300_000_000)) != 0 {
		t.Errorf("the buyer holds %s base units, want 300000000", left)
	}
	if held := tt.balance(t, w.dep.Escrow); held.Cmp(amount) != 0 {
		t.Errorf("the escrow holds %s, want %s", held, amount)
	}
}

// TestWalletCreatesAndFunds: a deal the buyer creates and funds in one
// transaction (createAndFund): the page learns the deal's id from the
// contract's DealCreated event and tells the hub. Before the wallet is
// installed, the page says there is none.
func TestWalletCreatesAndFunds(t *testing.T) {
	w := newWalletWorld(t)
	amount := new(big.Int).Div(simchain.Ether, big.NewInt(10))
	w.createDeal(t, amount, escrow.Native) // deal 1, another one
	p := newFundingPage(t, web.WalletFunding{
		ChainID: w.dep.ChainID.Uint64(), ChainName: "Local test chain", Contract: w.dep.Escrow.Hex(), Token: escrow.Native, Decimals: 18,
		Amount: amount.String(), Buyer: w.chain.Addrs[accBuyer].Hex(), Function: web.WalletCreateAndFund, Seller: w.chain.Addrs[accSeller].Hex(), Group: 3,
		Ref: "0x" + strings.Repeat("ab", 31) + "cd",
	})
	b := browsertest.New(t, p.srv.URL, true)
	// Without a wallet in the browser: said so, no button to press.
	b.Open("/deal")
	if got := waitText(t, b, "[data-wallet-status]"); !strings.Contains(got, "No browser wallet was found") {
		t.Errorf("without a wallet: %q", got)
	}
	if !browsertest.Eval[bool](b, `document.querySelector("[data-wallet-start]").disabled`) {
		t.Error("the Pay button works without a wallet")
	}
	wallet := browsertest.NewWallet(t, w.rpcURL, w.chain.Keys[accBuyer], w.chain.Mine)
	wallet.Install(b)
	confirm, status := startFunding(t, b)
	if status != "" || !strings.Contains(confirm, "for a new deal with seller "+w.chain.Addrs[accSeller].Hex()) {
		t.Fatalf("confirmation %q, status %q", confirm, status)
	}
	click(b, "[data-wallet-confirm]")
	if got := waitText(t, b, "[data-wallet-status]"); !strings.Contains(got, "Paid: 0.1 ETH is held by the escrow contract for deal #2") {
		t.Fatalf("after paying: %q", got)
	}
	b.Clean("create and fund")
	d, err := w.seller.Deal(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != escrow.StatusFunded || d.Buyer != w.party(accBuyer) || d.Seller != w.party(accSeller) || d.Amount.Cmp(amount) != 0 || d.Group != 3 {
		t.Errorf("deal 2 on chain: %+v", d)
	}
	if ref, err := w.seller.CreationRef(context.Background(), 2); err != nil || hex.EncodeToString(ref) != strings.Repeat("ab", 31)+"cd" {
		t.Errorf("the creating transaction carries reference %x (%v), want the page's", ref, err)
	}
	testhub.Eventually(t, "the hub to be told", func() bool { return len(p.got()) == 1 })
	if r := p.got()[0]; r["deal"] != "2" || r["tx"] != wallet.Sent()[0].Hex() {
		t.Errorf("the hub was told %v", r)
	}
}

// TestWalletRefusals: what stops the page before any money moves, each
// said in words on the page: the user declines to connect, declines to
// switch from the wrong chain, the wallet's account is not the buyer, the
// wallet moves to another chain after the confirmation, the user cancels
// at the confirmation, the account holds too little; and a page whose parameters the hub got wrong
// shows the problem instead of a Pay button.
func TestWalletRefusals(t *testing.T) {
	w := newWalletWorld(t)
	amount := new(big.Int).Mul(simchain.Ether, big.NewInt(2))
	d := w.createDeal(t, amount, escrow.Native)
	f := web.WalletFunding{
		ChainID: w.dep.ChainID.Uint64(), ChainName: "Local test chain", Contract: w.dep.Escrow.Hex(), Token: escrow.Native, Decimals: 18,
		Amount: amount.String(), Buyer: w.chain.Addrs[accBuyer].Hex(), Function: web.WalletFund, DealID: uint64(d.ID),
	}
	p := newFundingPage(t, f)
	b := browsertest.New(t, p.srv.URL, true)
	wallet := browsertest.NewWallet(t, w.rpcURL, w.chain.Keys[accBuyer], w.chain.Mine)
	wallet.Install(b)

	wallet.Set(func(tw *browsertest.Wallet) { tw.Decline["eth_requestAccounts"] = true })
	if _, s := startFunding(t, b); !strings.Contains(s, "You declined in your wallet") {
		t.Errorf("declined connection: %q", s)
	}
	wallet.Set(func(tw *browsertest.Wallet) {
		tw.Decline = map[string]bool{"wallet_switchEthereumChain": true}
		tw.On, tw.Known[1] = 1, true
	})
	if _, s := startFunding(t, b); !strings.Contains(s, "wrong chain") || !strings.Contains(s, "nothing was paid") {
		t.Errorf("declined switch: %q", s)
	}
	if ms := wallet.Methods(); !hasMethod(ms, "wallet_switchEthereumChain") {
		t.Errorf("no switch was requested: %s", joinMethods(ms))
	}
	b.Screenshot("01-wrong-chain")
	shot(t, b, "02-wrong-chain-block")

	// Another account than the buyer's.
	stranger := w.chain.Keys[accStranger]
	wallet.Set(func(tw *browsertest.Wallet) {
		tw.Decline = map[string]bool{}
		tw.Key, tw.Account = stranger, w.chain.Addrs[accStranger]
	})
	if _, s := startFunding(t, b); !strings.Contains(s, "is not this deal's buyer "+w.chain.Addrs[accBuyer].Hex()) {
		t.Errorf("another account: %q", s)
	}
	wallet.Set(func(tw *browsertest.Wallet) { tw.Key, tw.Account = w.chain.Keys[accBuyer], w.chain.Addrs[accBuyer] })

	// The user moves the wallet to another chain after confirming: the
	// page sends nothing there.
	wallet.Set(func(tw *browsertest.Wallet) { tw.On = tw.ChainID })
	if _, s := startFunding(t, b); s != "" {
		t.Fatalf("before moving chain: %q", s)
	}
	wallet.Set(func(tw *browsertest.Wallet) { tw.On = 1 })
	click(b, "[data-wallet-confirm]")
	if s := waitText(t, b, "[data-wallet-status]"); !strings.Contains(s, "Your wallet moved to chain 1 (wrong chain), so nothing was sent") {
		t.Errorf("chain moved after the confirmation: %q", s)
	}

	// The user cancels at the confirmation.
	wallet.Set(func(tw *browsertest.Wallet) { tw.On = tw.ChainID })
	if _, s := startFunding(t, b); s != "" {
		t.Fatalf("before cancelling: %q", s)
	}
	click(b, "[data-wallet-cancel]")
	if s := waitText(t, b, "[data-wallet-status]"); s != "Cancelled: nothing was signed and nothing was paid." {
		t.Errorf("cancelled: %q", s)
	}

	// Too little money: a deal of 2000 ETH, the buyer holds 1000.
	big2000 := new(big.Int).Mul(simchain.Ether, big.NewInt(2000))
	d2 := w.createDeal(t, big2000, escrow.Native)
	p.mu.Lock()
	p.funding.Amount, p.funding.DealID = big2000.String(), uint64(d2.ID)
	p.mu.Unlock()
	wallet.Set(func(tw *browsertest.Wallet) { tw.Decline = map[string]bool{}; tw.On = tw.ChainID })
	if _, s := startFunding(t, b); !strings.Contains(s, "insufficient funds") {
		t.Errorf("too little money: %q", s)
	}
	b.Clean("refusals")
	if len(wallet.Sent()) != 0 || w.status(t, d.ID) != escrow.StatusCreated || w.status(t, d2.ID) != escrow.StatusCreated {
		t.Fatal("a refusal sent a transaction")
	}

	// A page whose amount the hub got wrong: the problem, no button.
	p.mu.Lock()
	p.funding.Amount = "12.5"
	p.mu.Unlock()
	b.Open("/deal")
	if got := b.Text(".wallet-fund .notice"); !strings.Contains(got, `amount "12.5" must be a positive whole number of base units`) {
		t.Errorf("invalid parameters: %q", got)
	}
	if n := browsertest.Eval[int](b, `document.querySelectorAll("[data-wallet-start], script[data-wallet-params]").length`); n != 0 {
		t.Errorf("an invalid block still has %d pay parts", n)
	}
}

// shot saves the funding block alone as name.png.
func shot(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	png, err := chromedp.Run(b.Ctx(), chromedp.Screenshot(chromedp.CSS(".wallet-fund")))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.Dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// validFunding is a funding block's parameters that Validate takes.
func validFunding() web.WalletFunding {
	return web.WalletFunding{
		ChainID: 137, ChainName: "Polygon", RPCURL: "https://polygon-rpc.example/", NativeSymbol: "POL",
		Contract: "0x1111111111111111111111111111111111111111", Token: "0x2222222222222222222222222222222222222222", Symbol: "USDC", Decimals: 6,
		Amount: "200000000", Buyer: "0x3333333333333333333333333333333333333333", Function: web.WalletFund, DealID: 7,
		ReportURL: "/owner/deals/abc/funded", CSRF: "token", NextURL: "/owner/deals/abc",
	}
}

func TestWalletFundingValidate(t *testing.T) {
	if err := validFunding().Validate(); err != nil {
		t.Fatalf("valid parameters: %v", err)
	}
	for _, tc := range []struct {
		name, want string
		edit       func(f *web.WalletFunding)
	}{
		{"no chain", "chain id 0", func(f *web.WalletFunding) { f.ChainID = 0 }},
		{"chain beyond JavaScript", "chain id", func(f *web.WalletFunding) { f.ChainID = 1 << 60 }},
		{"long chain name", "chain name is longer than 100", func(f *web.WalletFunding) { f.ChainName = strings.Repeat("x", 101) }},
		{"rpc over http", "rpc url \"http://rpc.example\" must be an https URL", func(f *web.WalletFunding) { f.RPCURL = "http://rpc.example" }},
		{"rpc as javascript", "rpc url", func(f *web.WalletFunding) { f.RPCURL = "javascript:alert(1)" }},
		{"explorer on loopback http", "explorer url", func(f *web.WalletFunding) { f.ExplorerURL = "http://127.0.0.1:1/" }},
		{"contract not an address", "contract \"0x12\" is not a 0x address", func(f *web.WalletFunding) { f.Contract = "0x12" }},
		{"zero contract", "contract", func(f *web.WalletFunding) { f.Contract = "0x0000000000000000000000000000000000000000" }},
		{"buyer without 0x", "buyer", func(f *web.WalletFunding) { f.Buyer = "3333333333333333333333333333333333333333" }},
		{"token neither", `token "usdc" must be "native" or an ERC-20 token's 0x address`, func(f *web.WalletFunding) { f.Token = "usdc" }},
		{"token without symbol", "symbol is needed", func(f *web.WalletFunding) { f.Symbol = "" }},
		{"decimals", "decimals 40", func(f *web.WalletFunding) { f.Decimals = 40 }},
		{"coin with 6 decimals", "the chain's coin has 18", func(f *web.WalletFunding) { f.Token, f.Symbol = escrow.Native, "" }},
		{"amount zero", `amount "0" must be a positive whole number`, func(f *web.WalletFunding) { f.Amount = "0" }},
		{"amount negative", "amount", func(f *web.WalletFunding) { f.Amount = "-5" }},
		{"amount decimal", "amount", func(f *web.WalletFunding) { f.Amount = "1.5" }},
		{"amount over 96 bits", "exceeds the escrow contract's limit", func(f *web.WalletFunding) { f.Amount = "79228162514264337593543950336" }},
		{"unknown function", `function "withdraw" must be "fund" or "createAndFund"`, func(f *web.WalletFunding) { f.Function = "withdraw" }},
		{"fund without deal", "deal id 0", func(f *web.WalletFunding) { f.DealID = 0 }},
		{"createAndFund to self", "is the buyer", func(f *web.WalletFunding) { f.Function, f.Seller = web.WalletCreateAndFund, f.Buyer }},
		{"createAndFund group", "group", func(f *web.WalletFunding) {
			f.Function, f.Seller, f.Group = web.WalletCreateAndFund, "0x4444444444444444444444444444444444444444", 1<<33
		}},
		{"ref not 32 bytes", `ref "0x1234" must be 0x and 64 hex digits`, func(f *web.WalletFunding) {
			f.Function, f.Seller, f.DealID, f.Ref = web.WalletCreateAndFund, "0x4444444444444444444444444444444444444444", 0, "0x1234"
		}},
		{"ref with fund", `ref goes only with function "createAndFund"`, func(f *web.WalletFunding) { f.Ref = "0x" + strings.Repeat("00", 32) }},
		{"confirmations", "confirmations 65", func(f *web.WalletFunding) { f.Confirmations = 65 }},
		{"report to another site", "report url \"//evil.example/x\" must be a path on this site", func(f *web.WalletFunding) { f.ReportURL = "//evil.example/x" }},
		{"report as URL", "report url", func(f *web.WalletFunding) { f.ReportURL = "https://evil.example/x" }},
		{"next with backslash", "next url", func(f *web.WalletFunding) { f.NextURL = "/\\evil.example" }},
		{"report without csrf", "csrf", func(f *web.WalletFunding) { f.CSRF = "" }},
	} {
		f := validFunding()
		tc.edit(&f)
		err := f.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
		if f.Problem() == "" {
			t.Errorf("%s: no problem shown", tc.name)
		}
	}
	f := validFunding()
	f.Function, f.Seller, f.DealID, f.Token, f.Symbol, f.Decimals, f.RPCURL = web.WalletCreateAndFund, "0x4444444444444444444444444444444444444444", 0, escrow.Native, "", 18, "http://127.0.0.1:8545"
	if err := f.Validate(); err != nil {
		t.Errorf("createAndFund in the coin, loopback RPC: %v", err)
	}
	if got := f.AmountText(); got != "0.0000000002 POL" {
		t.Errorf("AmountText %q", got)
	}
}

func TestUnits(t *testing.T) {
	for _, tc := range []struct {
		v    string
		dec  int
		want string
	}{
		{"200000000", 6, "200"}, {"1500000000000000000", 18, "1.5"}, {"1", 18, "0.000000000000000001"}, {"123", 0, "123"},
		{"100", 2, "1"}, {"101", 2, "1.01"}, {"-250", 2, "-2.5"}, {"0", 6, "0"},
	} {
		v, _ := new(big.Int).SetString(tc.v, 10)
		if got := web.Units(v, tc.dec); got != tc.want {
			t.Errorf("Units(%s, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
}

// TestWalletFundRendersEscaped: values that might come from another
// server (a chain name, a price) cannot break out of the page's text or
// of the JSON the script reads, and the JSON holds exactly the struct.
func TestWalletFundRendersEscaped(t *testing.T) {
	f := validFunding()
	f.ChainName = `</script><script>alert(1)</script>`
	f.Price = hostile
	p := newFundingPage(t, f)
	resp, err := http.Get(p.srv.URL + "/deal")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	body := b.String()
	for _, bad := range []string{"<script>alert", "<img", "</script><script>"} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
	start := strings.Index(body, `<script type="application/json" data-wallet-params>`)
	end := strings.Index(body[start:], "</script>")
	if start < 0 || end < 0 {
		t.Fatalf("no parameters in the page:\n%s", body)
	}
	var got web.WalletFunding
	if err := json.Unmarshal([]byte(body[start+len(`<script type="application/json" data-wallet-params>`):start+end]), &got); err != nil {
		t.Fatalf("parameters: %v", err)
	}
	want := f
	want.ReportURL, want.CSRF = "/deal/funded", p.csrf
	if got != want {
		t.Errorf("parameters in the page:\n%+v\nwant\n%+v", got, want)
	}
	if !strings.Contains(body, `<script src="/assets/wallet.js?v=`) || strings.Count(body, "<script") != 2 {
		t.Errorf("the block's scripts: want the parameters and wallet.js only")
	}

	// Invalid parameters: the problem in words, no parameters, no script.
	p.mu.Lock()
	p.funding.Contract = `"><script>alert(1)</script>`
	p.mu.Unlock()
	resp2, err := http.Get(p.srv.URL + "/deal")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	b.Reset()
	io.Copy(&b, resp2.Body)
	if body := b.String(); strings.Contains(body, "<script") || !strings.Contains(body, "Paying from a browser wallet is not possible for this deal: contract &#34;\\&#34;&gt;&lt;script&gt;") {
		t.Errorf("invalid parameters rendered as:\n%s", body)
	}
}

// TestReadWalletReport: the report's form is read only when every field
// is what wallet.js sends; the test page's handler refuses a report
// without the CSRF token or with a bad field, and records nothing.
func TestReadWalletReport(t *testing.T) {
	p := newFundingPage(t, validFunding())
	hash := "0x" + strings.Repeat("ab", 32)
	for _, tc := range []struct {
		name string
		form url.Values
		code int
	}{
		{"good", url.Values{"csrf": {p.csrf}, "tx": {hash}, "deal": {"7"}, "chain_id": {"137"}}, http.StatusNoContent},
		{"no csrf", url.Values{"tx": {hash}, "deal": {"7"}, "chain_id": {"137"}}, http.StatusForbidden},
		{"wrong csrf", url.Values{"csrf": {"x"}, "tx": {hash}, "deal": {"7"}, "chain_id": {"137"}}, http.StatusForbidden},
		{"short hash", url.Values{"csrf": {p.csrf}, "tx": {"0xab"}, "deal": {"7"}, "chain_id": {"137"}}, http.StatusBadRequest},
		{"deal zero", url.Values{"csrf": {p.csrf}, "tx": {hash}, "deal": {"0"}, "chain_id": {"137"}}, http.StatusBadRequest},
		{"deal negative", url.Values{"csrf": {p.csrf}, "tx": {hash}, "deal": {"-1"}, "chain_id": {"137"}}, http.StatusBadRequest},
		{"chain too big", url.Values{"csrf": {p.csrf}, "tx": {hash}, "deal": {"7"}, "chain_id": {"18446744073709551615"}}, http.StatusBadRequest},
		{"huge body", url.Values{"csrf": {p.csrf}, "tx": {hash}, "deal": {"7"}, "chain_id": {"137"}, "pad": {strings.Repeat("x", 8<<10)}}, http.StatusBadRequest},
	} {
		resp, err := http.PostForm(p.srv.URL+"/deal/funded", tc.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.code)
		}
	}
	if got := p.got(); len(got) != 1 || got[0]["tx"] != common.HexToHash(hash).Hex() || got[0]["deal"] != "7" || got[0]["chain_id"] != "137" {
		t.Errorf("recorded %v, want the one good report", got)
	}
}

func hasMethod(ms []string, m string) bool { return slices.Contains(ms, m) }

func joinMethods(ms []string) string { return strings.Join(ms, " ") }
