package web

import (
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sovereign-marketplace/market/escrow"
)

// The functions of the Escrow contract a wallet may be asked to call
// (WalletFunding.Function).
const (
	// WalletFund pays a deal already created on chain in: fund(DealID).
	WalletFund = "fund"
	// WalletCreateAndFund creates and funds a deal in one transaction:
	// createAndFund(Seller, token, Amount, Group).
	WalletCreateAndFund = "createAndFund"
)

// WalletFunding is what the owner's browser needs to fund an EVM deal
// from its wallet: the "wallet-fund" partial renders it as the deal
// page's funding block (what will be paid, to which contract, on which
// chain) with its parameters as JSON for assets/src/wallet.js, which does
// the rest with the wallet (EIP-1193, window.ethereum). Every field comes
// from the owner's own hub: its EVM configuration and the deal as it
// stands on chain. The JSON names are those wallet.js reads.
type WalletFunding struct {
	// ChainID is the chain's EIP-155 id (137 for Polygon PoS).
	ChainID uint64 `json:"chain_id"`
	// ChainName names the chain for people ("Polygon"), and for the
	// wallet when it must add the chain.
	ChainName string `json:"chain_name"`
	// RPCURL is a JSON-RPC URL the wallet may add the chain with when it
	// does not know it (wallet_addEthereumChain): https, or http on
	// loopback. Take it from the hub's configuration, never from a
	// listing. Optional: without it the user adds the chain by hand.
	RPCURL string `json:"rpc_url,omitempty"`
	// ExplorerURL is the chain's block explorer, for the same purpose.
	ExplorerURL string `json:"explorer_url,omitempty"`
	// NativeSymbol is the symbol of the chain's coin ("POL"), which pays
	// the network fee; "ETH" when empty.
	NativeSymbol string `json:"native_symbol,omitempty"`
	// Contract is the Escrow contract's address.
	Contract string `json:"contract"`
	// Token is escrow.Native for the chain's coin, or an ERC-20 token's
	// address (then the wallet approves the contract first).
	Token string `json:"token"`
	// Symbol is the token's symbol ("USDC"); NativeSymbol for the coin.
	Symbol string `json:"symbol,omitempty"`
	// Decimals is the token's decimals (6 for USDC); 18 for the coin.
	Decimals uint8 `json:"decimals"`
	// Amount is what the deal holds, in the token's base units, as a
	// decimal string (200 USDC is "200000000").
	Amount string `json:"amount"`
	// Price is the deal's price in the listing's terms ("200 USD per
	// hour, 1 hour"), shown beside the amount. Optional.
	Price string `json:"price,omitempty"`
	// Buyer is the account that must pay: the deal's buyer on chain.
	Buyer string `json:"buyer"`
	// Function is WalletFund or WalletCreateAndFund.
	Function string `json:"function"`
	// DealID is the deal's id on the contract, for WalletFund.
	DealID uint64 `json:"deal_id,omitempty"`
	// Seller and Group are createAndFund's arguments, for
	// WalletCreateAndFund.
	Seller string `json:"seller,omitempty"`
	Group  uint64 `json:"group,omitempty"`
	// Ref, for WalletCreateAndFund, is 32 bytes (0x and 64 hex digits)
	// sent after createAndFund's arguments: the agreement's reference
	// (deal.ChainRef), by which both hubs know the on-chain deal as
	// theirs. The contract ignores it. Optional.
	Ref string `json:"ref,omitempty"`
	// Confirmations is how many blocks the page waits for (1 when 0).
	Confirmations int `json:"confirmations,omitempty"`
	// ReportURL, if set, is a path of this site the page POSTs to once
	// the funding is confirmed, as a form: csrf (CSRF), tx (the
	// transaction's hash), deal (the deal's id on the contract) and
	// chain_id; ReadWalletReport reads it. The hub should check the
	// transaction on chain itself; its event follower sees the funding
	// anyway.
	ReportURL string `json:"report_url,omitempty"`
	// CSRF is the session's CSRF token, needed with ReportURL.
	CSRF string `json:"csrf,omitempty"`
	// NextURL, if set, is a path of this site the page goes to after the
	// funding (the deal's page, to show its new state).
	NextURL string `json:"next_url,omitempty"`
}

// maxSafeInteger is the largest integer a JavaScript number holds exactly.
const maxSafeInteger = 1<<53 - 1

var (
	maxUint96    = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 96), big.NewInt(1))
	baseUnits    = regexp.MustCompile(`^[1-9][0-9]{0,28}$`)
	sitePath     = regexp.MustCompile(`^/[^/\\\s][^\\\s]*$|^/$`)
	errWalletArg = errors.New("invalid wallet funding")
)

// Validate checks f as wallet.js will before it asks the wallet for
// anything; an error names the field and what was expected.
func (f WalletFunding) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errWalletArg}, args...)...)
	}
	address := func(field, v string) error {
		if !common.IsHexAddress(v) || !strings.HasPrefix(v, "0x") || common.HexToAddress(v) == (common.Address{}) {
			return bad("%s %q is not a 0x address", field, v)
		}
		return nil
	}
	text := func(field, v string, max int) error {
		if utf8.RuneCountInString(v) > max || len(v) > 4*max {
			return bad("%s is longer than %d characters", field, max)
		}
		return nil
	}
	link := func(field, v string, loopbackHTTP bool) error {
		if v == "" {
			return nil
		}
		if err := text(field, v, 500); err != nil {
			return err
		}
		u, err := url.Parse(v)
		if err != nil || u.Host == "" || u.User != nil {
			return bad("%s %q is not a URL", field, v)
		}
		h := u.Hostname()
		if u.Scheme != "https" && !(loopbackHTTP && u.Scheme == "http" && (h == "127.0.0.1" || h == "localhost" || h == "::1")) {
			return bad("%s %q must be an https URL", field, v)
		}
		return nil
	}
	path := func(field, v string) error {
		if v != "" && (len(v) > 500 || !sitePath.MatchString(v)) {
			return bad("%s %q must be a path on this site, starting with /", field, v)
		}
		return nil
	}
	if f.ChainID == 0 || f.ChainID > maxSafeInteger {
		return bad("chain id %d must be from 1 to %d", f.ChainID, uint64(maxSafeInteger))
	}
	for _, t := range []struct {
		field, v string
		max      int
	}{{"chain name", f.ChainName, 100}, {"native symbol", f.NativeSymbol, 12}, {"symbol", f.Symbol, 12}, {"price", f.Price, 200}, {"csrf", f.CSRF, 200}} {
		if err := text(t.field, t.v, t.max); err != nil {
			return err
		}
	}
	if err := link("rpc url", f.RPCURL, true); err != nil {
		return err
	}
	if err := link("explorer url", f.ExplorerURL, false); err != nil {
		return err
	}
	if err := address("contract", f.Contract); err != nil {
		return err
	}
	if err := address("buyer", f.Buyer); err != nil {
		return err
	}
	if f.Token == escrow.Native && f.Decimals != 18 {
		return bad("decimals %d: the chain's coin has 18", f.Decimals)
	}
	if f.Token != escrow.Native {
		if err := address("token", f.Token); err != nil {
			return bad("token %q must be %q or an ERC-20 token's 0x address", f.Token, escrow.Native)
		}
		if f.Symbol == "" {
			return bad("symbol is needed for token %s", f.Token)
		}
	}
	if f.Decimals > 36 {
		return bad("decimals %d must be at most 36", f.Decimals)
	}
	if !baseUnits.MatchString(f.Amount) {
		return bad("amount %q must be a positive whole number of base units", f.Amount)
	}
	if a, _ := new(big.Int).SetString(f.Amount, 10); a.Cmp(maxUint96) > 0 {
		return bad("amount %s exceeds the escrow contract's limit of %s", f.Amount, maxUint96)
	}
	switch f.Function {
	case WalletFund:
		if f.DealID == 0 || f.DealID > maxSafeInteger {
			return bad("deal id %d must be from 1 to %d", f.DealID, uint64(maxSafeInteger))
		}
	case WalletCreateAndFund:
		if err := address("seller", f.Seller); err != nil {
			return err
		}
		if common.HexToAddress(f.Seller) == common.HexToAddress(f.Buyer) {
			return bad("seller %s is the buyer", f.Seller)
		}
		if f.Group > 1<<32-1 {
			return bad("group %d exceeds the contract's 32-bit limit", f.Group)
		}
		if f.Ref != "" && !txHash.MatchString(f.Ref) {
			return bad("ref %q must be 0x and 64 hex digits", f.Ref)
		}
	default:
		return bad("function %q must be %q or %q", f.Function, WalletFund, WalletCreateAndFund)
	}
	if f.Ref != "" && f.Function != WalletCreateAndFund {
		return bad("ref goes only with function %q", WalletCreateAndFund)
	}
	if f.Confirmations < 0 || f.Confirmations > 64 {
		return bad("confirmations %d must be from 0 to 64", f.Confirmations)
	}
	if err := path("report url", f.ReportURL); err != nil {
		return err
	}
	if err := path("next url", f.NextURL); err != nil {
		return err
	}
	if f.ReportURL != "" && f.CSRF == "" {
		return bad("a report url needs the session's csrf token")
	}
	return nil
}

// Problem is Validate's error in words for the page ("" when f is
// valid): the partial shows it instead of the funding block.
func (f WalletFunding) Problem() string {
	if err := f.Validate(); err != nil {
		return strings.TrimPrefix(err.Error(), errWalletArg.Error()+": ")
	}
	return ""
}

// Native reports whether the deal is in the chain's own coin.
func (f WalletFunding) Native() bool { return f.Token == escrow.Native }

// SymbolText is the symbol of what is paid: Symbol, or NativeSymbol (or
// "ETH") for the chain's coin.
func (f WalletFunding) SymbolText() string {
	switch {
	case f.Symbol != "":
		return f.Symbol
	case f.NativeSymbol != "":
		return f.NativeSymbol
	}
	return "ETH"
}

// AmountText is the amount in whole units with its symbol, as wallet.js
// shows it: "200 USDC", "1.5 POL".
func (f WalletFunding) AmountText() string {
	a, ok := new(big.Int).SetString(f.Amount, 10)
	if !ok {
		return f.Amount + " " + f.SymbolText()
	}
	return Units(a, int(f.Decimals)) + " " + f.SymbolText()
}

// ChainText names the chain with its id: "Polygon (chain id 137)", or
// "chain id 137" without a name.
func (f WalletFunding) ChainText() string {
	if f.ChainName == "" {
		return fmt.Sprintf("chain id %d", f.ChainID)
	}
	return fmt.Sprintf("%s (chain id %d)", f.ChainName, f.ChainID)
}

// Units writes an amount of base units in whole units, without trailing
// zeros: 200000000 with 6 decimals is "200", 15·10^17 with 18 is "1.5".
func Units(a *big.Int, decimals int) string {
	s := new(big.Int).Abs(a).String()
	if decimals > 0 {
		if len(s) <= decimals {
			s = strings.Repeat("0", decimals-len(s)+1) + s
		}
		whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
		s = whole
		if frac != "" {
			s += "." + frac
		}
	}
	if a.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// WalletReport is what wallet.js posts to WalletFunding.ReportURL once
// the funding transaction is confirmed. It is the browser's word only:
// the hub checks the transaction on chain (its receipt holds the deal's
// StatusChanged or DealCreated event) before it believes it, or simply
// waits for its event follower to see the funding.
type WalletReport struct {
	Tx      common.Hash // the funding transaction
	Deal    uint64      // the deal's id on the contract
	ChainID uint64
}

// maxWalletReport bounds the form wallet.js posts.
const maxWalletReport = 4 << 10

// txHash matches 32 bytes in hex: a transaction's hash, a reference.
var txHash = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)

// ReadWalletReport reads the form wallet.js posts (tx, deal, chain_id,
// beside the csrf field, which the caller checks with CheckCSRF). The
// body is capped at 4 KiB; an error names the field that is wrong.
func ReadWalletReport(w http.ResponseWriter, r *http.Request) (WalletReport, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxWalletReport)
	if err := r.ParseForm(); err != nil {
		return WalletReport{}, fmt.Errorf("%w: the form cannot be read: %v", errWalletArg, err)
	}
	var rep WalletReport
	tx := r.PostForm.Get("tx")
	if !txHash.MatchString(tx) {
		return rep, fmt.Errorf("%w: tx must be a transaction hash, 0x and 64 hex digits", errWalletArg)
	}
	rep.Tx = common.HexToHash(tx)
	for _, f := range []struct {
		name string
		to   *uint64
	}{{"deal", &rep.Deal}, {"chain_id", &rep.ChainID}} {
		n, err := strconv.ParseUint(r.PostForm.Get(f.name), 10, 64)
		if err != nil || n == 0 || n > maxSafeInteger {
			return rep, fmt.Errorf("%w: %s must be a whole number from 1 to %d", errWalletArg, f.name, uint64(maxSafeInteger))
		}
		*f.to = n
	}
	return rep, nil
}
