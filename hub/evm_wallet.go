package hub

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/web"
)

// tokenMeta is a token's symbol and decimals as its contract answers,
// kept once read: a deal page names what is paid in people's units.
type tokenMeta struct {
	mu   sync.Mutex
	seen map[string]tokenInfo
}

type tokenInfo struct {
	symbol   string
	decimals uint8
}

// token returns the symbol and decimals of the deal's token, from the
// chain the first time.
func (e *evmEscrow) token(ctx context.Context, currency string) (tokenInfo, error) {
	e.tokens.mu.Lock()
	ti, ok := e.tokens.seen[currency]
	e.tokens.mu.Unlock()
	if ok {
		return ti, nil
	}
	sym, dec, err := e.e.TokenMeta(ctx, currency)
	if err != nil {
		return tokenInfo{}, err
	}
	ti = tokenInfo{symbol: sym, decimals: dec}
	e.tokens.mu.Lock()
	if e.tokens.seen == nil {
		e.tokens.seen = map[string]tokenInfo{}
	}
	e.tokens.seen[currency] = ti
	e.tokens.mu.Unlock()
	return ti, nil
}

// walletFunding is the deal page's block for paying an EVM deal from the
// owner's browser wallet (web.WalletFunding), while the deal is the
// owner's to fund: the owner buys, the seller accepted, nothing is on
// chain yet. The wallet creates and funds the deal in one transaction
// carrying the agreement's reference, from the deal's buyer account (the
// hub's own, bound in its Offer), exactly as the hub's Fund does; the
// page reports it to POST /owner/deals/{key}/funded. nil when there is
// nothing to pay from a wallet; a token the chain does not describe gives
// a block that says so instead of a Pay button.
func (p *pages) walletFunding(ctx context.Context, d *deal.Deal, csrf string) *web.WalletFunding {
	s := p.s
	if s.evm == nil || d.EVM == nil || d.Role != deal.RoleBuyer || d.State != deal.StateAccepted || d.EscrowDeal != 0 {
		return nil
	}
	f, err := s.FundingInfo(dealKey(d.ID))
	if err != nil || len(f.Calls) == 0 {
		return nil
	}
	key := dealKey(d.ID)
	w := &web.WalletFunding{ChainID: f.ChainID, Contract: f.Contract, Token: currency(d.EVM), Amount: f.Amount,
		Price: fmt.Sprintf("%s for %d", money(d.Amount, d.Currency), d.Quantity), Buyer: f.Buyer, Function: web.WalletCreateAndFund,
		Seller: f.Seller, Ref: f.Ref, ReportURL: "/owner/deals/" + key + "/funded", CSRF: csrf, NextURL: "/owner/deals/" + key + "?done=" + url.QueryEscape("Paid from your wallet. The deal is funded once the chain confirms it.")}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ti, err := s.evm.token(ctx, w.Token)
	if err != nil {
		s.log.Warn("read the deal's token on chain", "deal", d.ID, "token", w.Token, "error", err)
		w.Symbol = "" // Validate then names what is missing
	} else {
		w.Symbol, w.Decimals = ti.symbol, ti.decimals
	}
	if w.Token == escrow.Native {
		w.NativeSymbol, w.Symbol = w.Symbol, ""
	}
	return w
}

// walletFunded is POST /owner/deals/{key}/funded: the owner's page says
// its wallet funded the deal (web.ReadWalletReport). The page's word is
// only a hint: the hub reads the named on-chain deal and mirrors it only
// if it is this agreement's between the bound addresses in the agreed
// token and amount (as its event follower would, which it also wakes).
func (p *pages) walletFunded(w http.ResponseWriter, r *http.Request, _ *session) {
	s := p.s
	rep, err := web.ReadWalletReport(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d, err := s.Deal(r.PathValue("key"))
	if err != nil {
		http.Error(w, "there is no such deal on this hub", http.StatusNotFound)
		return
	}
	if s.evm == nil || d.EVM == nil || rep.ChainID != s.evm.e.ChainID() {
		http.Error(w, fmt.Sprintf("chain_id %d is not the chain of this deal's escrow", rep.ChainID), http.StatusBadRequest)
		return
	}
	if err := s.syncChainDealNow(r.Context(), escrow.DealID(rep.Deal)); err != nil {
		s.log.Warn("read the on-chain deal a wallet funded", "deal", d.ID, "chain_deal", rep.Deal, "tx", rep.Tx.Hex(), "error", err)
	}
	select {
	case s.evm.wake <- struct{}{}:
	default:
	}
	w.WriteHeader(http.StatusNoContent)
}
