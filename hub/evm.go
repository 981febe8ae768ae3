package hub

import (
	"context"
	"crypto/ecdsa"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// bucketEVM keeps the follower's cursor: "cursor" → the last block whose
// escrow events the hub has applied (8 bytes, big-endian).
var bucketEVM = []byte("hub.evm")

// maxBlockRange bounds the blocks one read of the contract's events spans
// (JSON-RPC providers refuse larger ranges).
const maxBlockRange = 2000

// syncTimeout bounds one round of reading the chain, so that an endpoint
// that stops answering delays the follower rather than stopping it.
const syncTimeout = 2 * time.Minute

// evmEscrow is the hub's EVM escrow (hub.evm): its own account on the
// configured chain, which funds (as buyer) and marks delivered (as
// seller), and the Escrow contract whose events the hub follows.
type evmEscrow struct {
	e        *escrow.EVM
	me       string // the hub's address, lower case
	contract string // lower case
	from     uint64
	confirms uint64 // hub.evm.confirmations
	poll     time.Duration
	wake     chan struct{}
	tokens   tokenMeta
}

// openEVM attaches the hub to its EVM escrow when hub.evm is set: the key
// file, the chain (whose id must be the configured one) and the
// contract; the transaction journal lives in the data directory so that
// a fund retried after a crash sends the same transaction again.
func (s *Server) openEVM() error {
	c := s.cfg.Hub.EVM
	if !c.Enabled() {
		return nil
	}
	key, err := escrow.LoadEVMKey(c.KeyFile)
	if err != nil {
		return fmt.Errorf("hub.evm.key_file: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := escrow.DialEVM(ctx, c.RPCURL, c.ChainID, c.Contract, escrow.EVMOptions{Keys: []*ecdsa.PrivateKey{key}, FromBlock: c.FromBlock,
		ReceiptPoll: min(c.PollInterval.D(), time.Second), Journal: filepath.Join(s.cfg.DataDir, "evm-journal.db")})
	if err != nil {
		return fmt.Errorf("hub.evm (rpc_url %s, contract %s): %w", c.RPCURL, c.Contract, err)
	}
	if err := s.node.DB.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketEVM)
		return err
	}); err != nil {
		e.Close()
		return err
	}
	s.evm = &evmEscrow{e: e, me: strings.ToLower(string(escrow.KeyParty(key))), contract: strings.ToLower(c.Contract),
		from: c.FromBlock, confirms: c.Confirmations, poll: c.PollInterval.D(), wake: make(chan struct{}, 1)}
	s.node.AddJob("evm escrow events", s.followEVM)
	return nil
}

// closeEVM closes the chain connection and the journal.
func (s *Server) closeEVM() error {
	if s.evm == nil {
		return nil
	}
	return s.evm.e.Close()
}

// EVMAddress is the hub's own address on its EVM escrow's chain, "" when
// hub.evm is off.
func (s *Server) EVMAddress() string {
	if s.evm == nil {
		return ""
	}
	return s.evm.me
}

// bindEVM checks that the hub follows the chain and contract of a deal's
// EVM terms (nil for a ledger deal), and names the hub's own address as
// the party of role: the buyer's in its Offer, the seller's in its
// Accept. Each party's address is thus bound to its actor by the party's
// own signed activity.
func (s *Server) bindEVM(t *deal.EVMTerms, role deal.Role) error {
	if t == nil {
		return nil
	}
	if s.evm == nil {
		return fmt.Errorf("%w: escrow: this hub has no EVM escrow configured (hub.evm)", federation.ErrInvalid)
	}
	if t.ChainID != s.evm.e.ChainID() || t.Contract != s.evm.contract {
		return fmt.Errorf("%w: escrow: the EVM escrow is contract %s on chain %d; this hub follows %s on chain %d (hub.evm)",
			federation.ErrInvalid, t.Contract, t.ChainID, s.evm.contract, s.evm.e.ChainID())
	}
	if role == deal.RoleBuyer {
		t.Buyer = s.evm.me
	} else {
		if t.Buyer == s.evm.me {
			return fmt.Errorf("%w: escrow: the buyer's address is this hub's own", federation.ErrInvalid)
		}
		t.Seller = s.evm.me
	}
	return nil
}

// offeredEVM takes the buyer's address from an Offer's Agreement into the
// seller's copy of an EVM deal, once the hub is seen to follow its chain.
func (s *Server) offeredEVM(t *deal.EVMTerms, o *deal.Offered) error {
	if t == nil {
		return nil
	}
	if o.BuyerAddress == "" {
		return fmt.Errorf("%w: agreement buyerAddress: an offer with an EVM escrow names the buyer's address", federation.ErrInvalid)
	}
	if s.evm == nil || t.ChainID != s.evm.e.ChainID() || t.Contract != s.evm.contract {
		return fmt.Errorf("%w: escrow: this hub does not follow the EVM escrow %s", federation.ErrInvalid, listing.Escrow{Kind: listing.EscrowEVM, ChainID: t.ChainID, Contract: t.Contract, Token: t.Token}.Ref())
	}
	t.Buyer = o.BuyerAddress
	return nil
}

// currency is the escrow package's name of the token of t.
func currency(t *deal.EVMTerms) string {
	if t.Token == listing.NativeToken {
		return escrow.Native
	}
	return t.Token
}

func baseUnits(t *deal.EVMTerms) (*big.Int, error) {
	a, ok := new(big.Int).SetString(t.Amount, 10)
	if !ok || a.Sign() <= 0 {
		return nil, fmt.Errorf("%w: the deal's on-chain amount %q", federation.ErrInvalid, t.Amount)
	}
	return a, nil
}

// actEVM takes an owner's action on a deal held by the EVM escrow, on
// chain with the hub's key: the buyer's fund of an accepted deal creates
// and funds it in one transaction (approving the token first) whose call
// data carries deal.ChainRef of the agreement; every other action is the
// contract's, on the deal the copy is tied to. The state table is checked
// on the copy first (the contract checks it again), the idempotency key
// is the action and the agreement (so a retry after a crash sends the
// journalled transaction again, never a second one), and the copy is
// brought up to date from the chain before the answer.
func (s *Server) actEVM(ctx context.Context, d *deal.Deal, a escrow.Action) (*deal.Deal, error) {
	if s.evm == nil || d.EVM.ChainID != s.evm.e.ChainID() || d.EVM.Contract != s.evm.contract {
		return nil, fmt.Errorf("%w: this hub's hub.evm does not follow the deal's chain %d and contract %s", federation.ErrConflict, d.EVM.ChainID, d.EVM.Contract)
	}
	role, mine := escrow.RoleBuyer, d.EVM.Buyer
	if d.Role == deal.RoleSeller {
		role, mine = escrow.RoleSeller, d.EVM.Seller
	}
	me := escrow.Party(s.evm.me)
	id := escrow.DealID(d.EscrowDeal)
	key := string(a) + " " + d.ID
	var err error
	if a == escrow.ActionFund && d.State == deal.StateAccepted && d.EscrowDeal == 0 {
		if role != escrow.RoleBuyer {
			return nil, fmt.Errorf("%w: only the buyer funds", federation.ErrForbidden)
		}
		if mine != s.evm.me {
			return nil, fmt.Errorf("%w: the deal's buyer address is %s, this hub's key is %s", federation.ErrConflict, mine, s.evm.me)
		}
		amount, err := baseUnits(d.EVM)
		if err != nil {
			return nil, err
		}
		var cd escrow.Deal
		cd, err = s.evm.e.CreateAndFund(ctx, escrow.CreateRequest{By: me, Buyer: escrow.Party(d.EVM.Buyer), Seller: escrow.Party(d.EVM.Seller),
			Amount: amount, Currency: currency(d.EVM), IdempotencyKey: key, Ref: deal.ChainRef(d.ID)})
		if err != nil {
			return nil, dealError(err)
		}
		id = cd.ID
	} else {
		if d.EscrowDeal == 0 {
			return nil, fmt.Errorf("%w: the deal is %s, not on chain yet (the buyer funds it)", federation.ErrConflict, d.State)
		}
		if _, err := escrow.Allowed(a, escrow.Status(d.State), role); err != nil {
			return nil, dealError(err)
		}
		if mine != s.evm.me {
			return nil, fmt.Errorf("%w: the deal's %s address is %s, this hub's key is %s", federation.ErrConflict, d.Role, mine, s.evm.me)
		}
		req := escrow.Request{Deal: id, By: me, IdempotencyKey: key}
		do := map[escrow.Action]func(context.Context, escrow.Request) (escrow.Deal, error){
			escrow.ActionFund: s.evm.e.Fund, escrow.ActionDeliver: s.evm.e.Deliver, escrow.ActionConfirm: s.evm.e.Confirm,
			escrow.ActionComplete: s.evm.e.Complete, escrow.ActionRefund: s.evm.e.Refund, escrow.ActionTimeout: s.evm.e.Timeout,
		}[a]
		if _, err = do(ctx, req); err != nil {
			return nil, dealError(err)
		}
		if a == escrow.ActionConfirm {
			// The buyer's confirm closes the deal, as at a ledger agent:
			// nothing is left to decide once the money is released. A
			// close that fails leaves the deal confirmed, for either side
			// to complete.
			if _, cerr := s.evm.e.Complete(ctx, escrow.Request{Deal: id, By: me, IdempotencyKey: string(escrow.ActionComplete) + " " + d.ID}); cerr != nil {
				s.log.Warn("close the confirmed on-chain deal", "deal", d.ID, "chain_deal", id, "error", cerr)
			}
		}
	}
	if err = s.syncChainDealNow(ctx, id); err != nil {
		s.log.Warn("mirror the on-chain deal", "deal", d.ID, "chain_deal", id, "error", err)
	}
	return s.dealByID(d.ID)
}

// followEVM reads the contract's events from the block after the cursor,
// every poll interval (and when woken), until ctx ends.
func (s *Server) followEVM(ctx context.Context) {
	t := time.NewTicker(s.evm.poll)
	defer t.Stop()
	for {
		sctx, cancel := context.WithTimeout(ctx, syncTimeout)
		if err := s.syncEVM(sctx); err != nil && ctx.Err() == nil {
			s.log.Warn("follow the EVM escrow", "error", err)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.evm.wake:
		}
	}
}

// EVMCursor is the last block whose escrow events the hub has applied (0
// before the first).
func (s *Server) EVMCursor() uint64 {
	var n uint64
	_ = s.node.DB.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketEVM); b != nil {
			if v := b.Get([]byte("cursor")); len(v) == 8 {
				n = binary.BigEndian.Uint64(v)
			}
		}
		return nil
	})
	return n
}

// syncEVM applies the events of the blocks after the cursor up to the
// chain's head, then moves the cursor. Reading blocks again (after a
// crash before the cursor moved) is harmless: a copy takes each on-chain
// event once. A chain that cannot be read leaves the cursor where it was.
func (s *Server) syncEVM(ctx context.Context) error {
	head, err := s.safeHead(ctx)
	if err != nil {
		return err
	}
	from := s.evm.from
	if c := s.EVMCursor(); c > 0 || from == 0 {
		from = c + 1
	}
	for from <= head {
		to := min(head, from+maxBlockRange-1)
		ids, err := s.evm.e.DealsChanged(ctx, from, to)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.syncChainDeal(ctx, id, head); err != nil {
				return err
			}
		}
		if err := s.node.DB.Update(func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketEVM).Put([]byte("cursor"), binary.BigEndian.AppendUint64(nil, to))
		}); err != nil {
			return err
		}
		from = to + 1
	}
	return nil
}

// errNotMirrored marks an on-chain deal the hub does not take into a
// copy: not its own, or not the agreed one.
var errNotMirrored = errors.New("not mirrored")

// safeHead is the latest block the hub believes: the chain's head less
// hub.evm.confirmations (0 while the chain is shorter than that).
func (s *Server) safeHead(ctx context.Context) (uint64, error) {
	head, err := s.evm.e.Head(ctx)
	if err != nil || head < s.evm.confirms {
		return 0, err
	}
	return head - s.evm.confirms, nil
}

// syncChainDealNow is syncChainDeal up to the block the hub believes now.
func (s *Server) syncChainDealNow(ctx context.Context, id escrow.DealID) error {
	safe, err := s.safeHead(ctx)
	if err != nil {
		return err
	}
	return s.syncChainDeal(ctx, id, safe)
}

// syncChainDeal brings the copy of the agreement behind on-chain deal id
// up to date with its events in blocks up to safe (those with enough
// confirmations); a deal none of whose events is that deep yet waits. A
// deal this hub's address is no party to is skipped; one that names it
// but is not the agreed one (another agreement's, other parties, another
// token or amount) is logged and changes nothing. Only a chain that
// cannot be read is an error.
func (s *Server) syncChainDeal(ctx context.Context, id escrow.DealID, safe uint64) error {
	cd, err := s.evm.e.Deal(ctx, id)
	if err != nil {
		return err
	}
	if !escrow.SameAddress(cd.Buyer, escrow.Party(s.evm.me)) && !escrow.SameAddress(cd.Seller, escrow.Party(s.evm.me)) {
		return nil
	}
	ref, err := s.evm.e.CreationRef(ctx, id)
	if err != nil {
		return err
	}
	hist, err := s.evm.e.History(ctx, id)
	if err != nil {
		return err
	}
	c := deal.OnChain{ID: uint64(id), Buyer: string(cd.Buyer), Seller: string(cd.Seller), Token: strings.ToLower(cd.Currency), Amount: cd.Amount.String(), Ref: ref}
	if c.Token == escrow.Native {
		c.Token = listing.NativeToken
	}
	var events []deal.ChainEvent
	for _, ev := range hist {
		if ev.Block > safe {
			break // oldest first: the rest are newer still
		}
		events = append(events, deal.ChainEvent{Action: string(ev.Action), From: string(ev.From), To: string(ev.To), By: string(ev.By), At: ev.At})
	}
	if len(events) == 0 {
		return nil
	}
	err = s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		ds, err := st.List()
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.EVM == nil || (d.EscrowDeal != uint64(id) && !(d.EscrowDeal == 0 && string(deal.ChainRef(d.ID)) == string(ref))) {
				continue
			}
			changed, err := d.MirrorChain(c, events)
			if err != nil {
				return fmt.Errorf("%w: agreement %s: %v", errNotMirrored, d.ID, err)
			}
			if changed {
				return st.Put(d)
			}
			return nil
		}
		return fmt.Errorf("%w: no agreement of this hub has its reference %x", errNotMirrored, ref)
	})
	if errors.Is(err, errNotMirrored) {
		s.log.Warn("an on-chain deal naming this hub's address is not mirrored", "chain_deal", id, "reason", err)
		return nil
	}
	return err
}

// EVMFunding is what a wallet needs to fund an EVM deal: the chain, the
// contract, the token, the amount in the token's base units, the parties'
// addresses and the agreement's reference, and the calls to send (for a
// token, approve then createAndFund; for the coin, createAndFund with the
// amount as value), while the deal is accepted and not on chain yet.
type EVMFunding struct {
	Key        string        `json:"key"`
	Agreement  string        `json:"agreement"`
	State      deal.State    `json:"state"`
	ChainID    uint64        `json:"chain_id"`
	Contract   string        `json:"contract"`
	Token      string        `json:"token"`
	Amount     string        `json:"amount"`
	Buyer      string        `json:"buyer_address"`
	Seller     string        `json:"seller_address"`
	Ref        string        `json:"ref"`
	EscrowDeal uint64        `json:"escrow_deal,omitempty"`
	Calls      []escrow.Call `json:"calls"`
}

// FundingInfo returns what the owner's browser wallet needs to fund the
// EVM deal with the owner API's key (see EVMFunding). Calls is empty
// once the deal is on chain, or when it is not the buyer's to fund yet.
func (s *Server) FundingInfo(key string) (*EVMFunding, error) {
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	if d.EVM == nil {
		return nil, fmt.Errorf("%w: deal %s is not held by an EVM escrow", federation.ErrNotFound, key)
	}
	if s.evm == nil {
		return nil, fmt.Errorf("%w: this hub has no EVM escrow configured (hub.evm)", federation.ErrConflict)
	}
	f := &EVMFunding{Key: key, Agreement: d.ID, State: d.State, ChainID: d.EVM.ChainID, Contract: d.EVM.Contract, Token: d.EVM.Token,
		Amount: d.EVM.Amount, Buyer: d.EVM.Buyer, Seller: d.EVM.Seller, Ref: "0x" + hex.EncodeToString(deal.ChainRef(d.ID)), EscrowDeal: d.EscrowDeal, Calls: []escrow.Call{}}
	if d.Role == deal.RoleBuyer && d.State == deal.StateAccepted && d.EscrowDeal == 0 {
		amount, err := baseUnits(d.EVM)
		if err != nil {
			return nil, err
		}
		if f.Calls, err = s.evm.e.FundingCalls(escrow.CreateRequest{By: escrow.Party(d.EVM.Buyer), Buyer: escrow.Party(d.EVM.Buyer),
			Seller: escrow.Party(d.EVM.Seller), Amount: amount, Currency: currency(d.EVM), Ref: deal.ChainRef(d.ID)}); err != nil {
			return nil, dealError(err)
		}
	}
	return f, nil
}

// evmRoutes serves GET /api/v1/owner/deals/{key}/evm.
func (s *Server) evmRoutes() {
	s.ownerRoute("GET /api/v1/owner/deals/{key}/evm", false, func(w http.ResponseWriter, r *http.Request) {
		f, err := s.FundingInfo(r.PathValue("key"))
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, f)
	})
}
