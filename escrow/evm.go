package escrow

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/sovereign-marketplace/market/escrow/internal/evmbind"
)

// Native is the Currency of EVM deals in the chain's own coin (POL on
// Polygon). Token deals use the token contract's address as Currency.
const Native = "native"

// Chain is what the EVM backend needs from a node: an ethclient.Client for
// a JSON-RPC URL, or a simulated backend's client in tests.
type Chain interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
	BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
	NonceAt(ctx context.Context, account common.Address, block *big.Int) (uint64, error)
}

// EVMOptions configures an EVM backend.
type EVMOptions struct {
	// Keys sign the transactions of the parties they belong to: a hub holds
	// its owner's key. Acting as a party without a key is ErrInvalid.
	Keys []*ecdsa.PrivateKey
	// FromBlock is where History starts looking for events (the block the
	// contract was deployed in).
	FromBlock uint64
	// Mine, if set, runs after each transaction is sent; a simulated chain
	// seals a block here. Nil on a real chain.
	Mine func()
	// OnReceipt, if set, sees the receipt of every mined transaction (gas
	// accounting, logging, the gas benchmark).
	OnReceipt func(rc *types.Receipt)
	// ReceiptPoll is how often a sent transaction's receipt is asked
	// for while it waits to be mined; a second when zero.
	ReceiptPoll time.Duration
	// Journal, if set, is a bbolt file that keeps each idempotency key with
	// the transaction first signed for it, written before the transaction
	// is broadcast, so that a request retried after a crash or a restart
	// sends that same transaction again instead of moving money twice. A
	// hub sets it; without it keys last as long as the EVM value.
	Journal string
}

// EVM is the Escrow backend over an Escrow contract on an EVM chain. The
// contract enforces the state table; this type signs, sends and waits, and
// turns the contract's errors back into this package's sentinel errors.
type EVM struct {
	chain     Chain
	chainID   *big.Int
	addr      common.Address
	esc       *evmbind.Escrow
	arb       *evmbind.CommunityArbitrator
	inst      *bind.BoundContract
	arbiter   common.Address
	arbIsCode bool
	keys      map[common.Address]*ecdsa.PrivateKey
	opts      EVMOptions

	mu   sync.Mutex // one transaction at a time per backend, so nonces stay in order
	sent *sentJournal
	// hangUp closes the connection DialEVM opened; nil otherwise.
	hangUp func()
}

var (
	_ Escrow = (*EVM)(nil)
	_ Voting = (*EVM)(nil)
)

// NewEVM attaches to the Escrow contract at addr.
func NewEVM(ctx context.Context, chain Chain, addr common.Address, opts EVMOptions) (*EVM, error) {
	id, err := chain.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("read chain id: %w", err)
	}
	code, err := chain.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("read escrow code at %s: %w", addr, err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("%w: no contract at escrow address %s on chain %s", ErrInvalid, addr, id)
	}
	e := &EVM{chain: chain, chainID: id, addr: addr, esc: evmbind.NewEscrow(), arb: evmbind.NewCommunityArbitrator(),
		keys: map[common.Address]*ecdsa.PrivateKey{}, opts: opts}
	e.inst = e.esc.Instance(chain, addr)
	for _, k := range opts.Keys {
		e.keys[crypto.PubkeyToAddress(k.PublicKey)] = k
	}
	if e.arbiter, err = bind.Call(e.inst, &bind.CallOpts{Context: ctx}, e.esc.PackArbitrator(), e.esc.UnpackArbitrator); err != nil {
		return nil, fmt.Errorf("read escrow %s: %w", addr, err)
	}
	acode, err := chain.CodeAt(ctx, e.arbiter, nil)
	if err != nil {
		return nil, fmt.Errorf("read arbitrator code: %w", err)
	}
	e.arbIsCode = len(acode) > 0
	if e.sent, err = openJournal(opts.Journal); err != nil {
		return nil, err
	}
	return e, nil
}

// Close closes the transaction journal, if any, and the connection
// DialEVM opened.
func (e *EVM) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.hangUp != nil {
		e.hangUp()
	}
	return e.sent.close()
}

// Address is the Escrow contract's address.
func (e *EVM) Address() common.Address { return e.addr }

// Arbitrator is the address that rules on this contract's disputes.
func (e *EVM) Arbitrator() common.Address { return e.arbiter }

// Deployment is what DeployEVM created.
type Deployment struct {
	ChainID    *big.Int
	Escrow     common.Address
	Arbitrator common.Address
	// DeployedArbitrator is true when DeployEVM deployed the arbitrator too.
	DeployedArbitrator bool
	Block              uint64
	Gas                uint64
}

// DeployOptions configures DeployEVM.
type DeployOptions struct {
	// Arbitrator to use; zero deploys a new CommunityArbitrator.
	Arbitrator common.Address
	// Timeouts of the contract; DefaultTimeouts if zero.
	Timeouts Timeouts
	// Mine, as in EVMOptions.
	Mine func()
}

// DeployEVM deploys the contracts with key paying: a CommunityArbitrator
// (unless opts.Arbitrator names one) and an Escrow using it.
func DeployEVM(ctx context.Context, chain Chain, key *ecdsa.PrivateKey, opts DeployOptions) (Deployment, error) {
	t := opts.Timeouts
	if t == (Timeouts{}) {
		t = DefaultTimeouts
	}
	if err := t.Validate(); err != nil {
		return Deployment{}, err
	}
	id, err := chain.ChainID(ctx)
	if err != nil {
		return Deployment{}, fmt.Errorf("read chain id: %w", err)
	}
	dep := Deployment{ChainID: id, Arbitrator: opts.Arbitrator}
	deploy := func(bin string, args []byte) (common.Address, error) {
		auth := bind.NewKeyedTransactor(key, id)
		auth.Context = ctx
		addr, tx, err := bind.DeployContract(auth, common.FromHex(bin), chain, args)
		if err != nil {
			return common.Address{}, err
		}
		if opts.Mine != nil {
			opts.Mine()
		}
		rc, err := bind.WaitMined(ctx, chain, tx.Hash())
		if err != nil {
			return common.Address{}, err
		}
		if rc.Status != types.ReceiptStatusSuccessful {
			return common.Address{}, fmt.Errorf("deployment transaction %s failed", tx.Hash())
		}
		dep.Block, dep.Gas = rc.BlockNumber.Uint64(), dep.Gas+rc.GasUsed
		return addr, nil
	}
	if dep.Arbitrator == (common.Address{}) {
		if dep.Arbitrator, err = deploy(evmbind.CommunityArbitratorMetaData.Bin, nil); err != nil {
			return dep, fmt.Errorf("deploy arbitrator: %w", err)
		}
		dep.DeployedArbitrator = true
	}
	secs := func(d time.Duration) uint32 { return uint32(d / time.Second) }
	args := evmbind.NewEscrow().PackConstructor(dep.Arbitrator, secs(t.Fund), secs(t.Deliver), secs(t.Confirm), secs(t.Dispute), uint8(t.DisputeDefault))
	if dep.Escrow, err = deploy(evmbind.EscrowMetaData.Bin, args); err != nil {
		return dep, fmt.Errorf("deploy escrow: %w", err)
	}
	return dep, nil
}

// contract status numbers, in the enum order of Escrow.sol.
var evmStatuses = []Status{"", StatusCreated, StatusFunded, StatusDelivered, StatusConfirmed,
	StatusDisputed, StatusRefunded, StatusCompleted, StatusExpired}

func evmStatus(n uint8) Status {
	if int(n) < len(evmStatuses) {
		return evmStatuses[n]
	}
	return Status(fmt.Sprintf("unknown(%d)", n))
}

// evmAction maps the contract's action codes (1-based, in Actions order).
func evmAction(n *big.Int) Action {
	if n.IsUint64() && n.Uint64() >= 1 && n.Uint64() <= uint64(len(Actions)) {
		return Actions[n.Uint64()-1]
	}
	return Action("unknown(" + n.String() + ")")
}

func parseAddress(field string, p Party) (common.Address, error) {
	if !common.IsHexAddress(string(p)) {
		return common.Address{}, fmt.Errorf("%w: %s %q is not a 0x address", ErrInvalid, field, p)
	}
	return common.HexToAddress(string(p)), nil
}

func partyOf(a common.Address) Party { return Party(a.Hex()) }

func tokenOf(currency string) (common.Address, error) {
	if currency == Native {
		return common.Address{}, nil
	}
	if !common.IsHexAddress(currency) || common.HexToAddress(currency) == (common.Address{}) {
		return common.Address{}, fmt.Errorf("%w: currency %q must be %q or an ERC-20 token address", ErrInvalid, currency, Native)
	}
	return common.HexToAddress(currency), nil
}

func currencyOf(token common.Address) string {
	if token == (common.Address{}) {
		return Native
	}
	return token.Hex()
}

// sendOnce is send with an idempotency key: a retry with the same key and
// the same call broadcasts the very transaction signed the first time
// (same hash and nonce, so the chain runs it at most once) and returns its
// receipt; the same key for another call is ErrConflict. The transaction
// is kept in the journal before it is broadcast (see EVMOptions.Journal).
// Only when that transaction can never run (its nonce went to another
// one, so nothing it would move has moved) is the call signed anew.
func (e *EVM) sendOnce(ctx context.Context, key string, by Party, to common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	if key == "" {
		return e.send(ctx, by, to, value, data)
	}
	fp := fingerprint(by, to, value, data)
	e.mu.Lock()
	defer e.mu.Unlock()
	prev, seen, err := e.sent.get(key)
	if err != nil {
		return nil, err
	}
	if seen {
		if prev.fingerprint != fp {
			return nil, fmt.Errorf("%w: key %q", ErrConflict, key)
		}
		lost, err := e.lost(ctx, by, prev.tx)
		if err != nil {
			return nil, err
		}
		if !lost {
			// Broadcast again: harmless if the chain already has it.
			_ = e.chain.SendTransaction(ctx, prev.tx)
			return e.wait(ctx, prev.tx, false)
		}
	}
	tx, err := e.sign(ctx, by, to, value, data)
	if err != nil {
		return nil, err
	}
	if err := e.sent.put(key, sentTx{fp, tx}); err != nil {
		return nil, err
	}
	if err := e.chain.SendTransaction(ctx, tx); err != nil {
		return nil, e.revertError(err)
	}
	return e.wait(ctx, tx, true)
}

// lost reports whether tx, signed by party by, can never be mined: the
// sender's nonce on chain has moved past it and no receipt of tx exists,
// so another transaction took its nonce. (The nonce is read first: a
// receipt read first could miss tx being mined just after.)
func (e *EVM) lost(ctx context.Context, by Party, tx *types.Transaction) (bool, error) {
	from, err := parseAddress("by", by)
	if err != nil {
		return false, err
	}
	n, err := e.chain.NonceAt(ctx, from, nil)
	if err != nil {
		return false, fmt.Errorf("read nonce of %s: %w", from.Hex(), err)
	}
	if n <= tx.Nonce() {
		return false, nil
	}
	if _, err := e.chain.TransactionReceipt(ctx, tx.Hash()); err == nil {
		return false, nil
	} else if !errors.Is(err, ethereum.NotFound) {
		return false, fmt.Errorf("read receipt of %s: %w", tx.Hash(), err)
	}
	return true, nil
}

// send signs data to contract `to` as party by, sends it and waits for the
// receipt.
func (e *EVM) send(ctx context.Context, by Party, to common.Address, value *big.Int, data []byte) (*types.Receipt, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	tx, err := e.sign(ctx, by, to, value, data)
	if err != nil {
		return nil, err
	}
	if err := e.chain.SendTransaction(ctx, tx); err != nil {
		return nil, e.revertError(err)
	}
	return e.wait(ctx, tx, true)
}

// sign signs data to contract `to` as party by, after a dry run that turns
// a revert into this package's errors, without sending it. e.mu is held,
// so that the nonce it takes is the next one.
func (e *EVM) sign(ctx context.Context, by Party, to common.Address, value *big.Int, data []byte) (*types.Transaction, error) {
	from, err := parseAddress("by", by)
	if err != nil {
		return nil, err
	}
	key := e.keys[from]
	if key == nil {
		return nil, fmt.Errorf("%w: no signing key for party %s", ErrInvalid, from.Hex())
	}
	gas, err := e.chain.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Value: value, Data: data})
	if err != nil {
		return nil, e.revertError(err)
	}
	auth := bind.NewKeyedTransactor(key, e.chainID)
	auth.Context, auth.Value, auth.NoSend = ctx, value, true
	auth.GasLimit = gas + gas/4 + 10_000 // estimates can fall short when a payout forwards bounded gas
	tx, err := bind.NewBoundContract(to, abi.ABI{}, e.chain, e.chain, e.chain).RawTransact(auth, data)
	if err != nil {
		return nil, e.revertError(err)
	}
	return tx, nil
}

// wait seals a block on a simulated chain, waits for tx's receipt and
// reports it to OnReceipt when report is set (not for a re-sent one).
func (e *EVM) wait(ctx context.Context, tx *types.Transaction, report bool) (*types.Receipt, error) {
	if e.opts.Mine != nil {
		e.opts.Mine()
	}
	rc, err := e.waitMined(ctx, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("wait for transaction %s: %w", tx.Hash(), err)
	}
	if report && e.opts.OnReceipt != nil {
		e.opts.OnReceipt(rc)
	}
	if rc.Status != types.ReceiptStatusSuccessful {
		return rc, fmt.Errorf("transaction %s reverted on chain (gas used %d of %d)", tx.Hash(), rc.GasUsed, tx.Gas())
	}
	return rc, nil
}

// revertError maps a contract's custom error to the package's sentinels.
func (e *EVM) revertError(err error) error {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return err
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return err
	}
	data, derr := hexutil.Decode(s)
	if derr != nil || len(data) < 4 {
		return err
	}
	var id [4]byte
	copy(id[:], data)
	for _, a := range []abi.ABI{e.esc.GetABI(), e.arb.GetABI()} {
		ae, lerr := a.ErrorByID(id)
		if lerr != nil {
			continue
		}
		args, _ := ae.Inputs.Unpack(data[4:])
		sentinel := map[string]error{
			"NotFound": ErrNotFound, "UnknownCase": ErrNotFound,
			"InvalidState": ErrInvalidState, "WrongPhase": ErrInvalidState, "AlreadyVoted": ErrInvalidState,
			"Forbidden": ErrForbidden, "NotAdmin": ErrForbidden, "NotEligible": ErrForbidden, "Reentrant": ErrForbidden,
			"NotDue": ErrNotDue,
		}[ae.Name]
		if sentinel == nil {
			sentinel = ErrInvalid // InvalidInput, TransferFailed, BadInput, BadChoice, BadReveal, UnknownGroup
		}
		return fmt.Errorf("%w: contract error %s%v", sentinel, ae.Name, args)
	}
	return err
}

func (e *EVM) call(ctx context.Context, data []byte) ([]byte, error) {
	return e.inst.CallRaw(&bind.CallOpts{Context: ctx}, data)
}

// Create sets up a deal without money (create on the contract); By must
// be the buyer or the seller.
func (e *EVM) Create(ctx context.Context, req CreateRequest) (Deal, error) {
	data, value, err := e.packCreate(req, false)
	if err != nil {
		return Deal{}, err
	}
	return e.created(ctx, req.IdempotencyKey, req.By, value, data)
}

// CreateAndFund sets up and funds a deal in one transaction (the cheap
// path); By must be the buyer. For a token deal it first approves the
// escrow to take the amount.
func (e *EVM) CreateAndFund(ctx context.Context, req CreateRequest) (Deal, error) {
	data, value, err := e.packCreate(req, true)
	if err != nil {
		return Deal{}, err
	}
	if req.Currency != Native {
		if err := e.approve(ctx, req.IdempotencyKey, req.By, req.Currency, req.Amount); err != nil {
			return Deal{}, err
		}
	}
	return e.created(ctx, req.IdempotencyKey, req.By, value, data)
}

func (e *EVM) packCreate(req CreateRequest, fund bool) ([]byte, *big.Int, error) {
	buyer, err := parseAddress("buyer", req.Buyer)
	if err != nil {
		return nil, nil, err
	}
	seller, err := parseAddress("seller", req.Seller)
	if err != nil {
		return nil, nil, err
	}
	if _, err := parseAddress("by", req.By); err != nil {
		return nil, nil, err
	}
	if buyer == seller {
		return nil, nil, fmt.Errorf("%w: buyer and seller are the same party %s", ErrInvalid, buyer.Hex())
	}
	if err := validAmount(req.Amount); err != nil {
		return nil, nil, err
	}
	if req.Amount.BitLen() > 96 {
		return nil, nil, fmt.Errorf("%w: amount %s exceeds the contract's 96-bit limit", ErrInvalid, req.Amount)
	}
	if req.Group > 1<<32-1 {
		return nil, nil, fmt.Errorf("%w: group %d exceeds the contract's 32-bit limit", ErrInvalid, req.Group)
	}
	token, err := tokenOf(req.Currency)
	if err != nil {
		return nil, nil, err
	}
	if len(req.Ref) > MaxRef {
		return nil, nil, fmt.Errorf("%w: ref of %d bytes, at most %d", ErrInvalid, len(req.Ref), MaxRef)
	}
	group := new(big.Int).SetUint64(req.Group)
	if !fund {
		return append(e.esc.PackCreate(buyer, seller, token, req.Amount, group), req.Ref...), nil, nil
	}
	if common.HexToAddress(string(req.By)) != buyer {
		return nil, nil, fmt.Errorf("%w: only the buyer creates and funds a deal, by is %s", ErrForbidden, req.By)
	}
	var value *big.Int
	if token == (common.Address{}) {
		value = req.Amount
	}
	return append(e.esc.PackCreateAndFund(seller, token, req.Amount, group), req.Ref...), value, nil
}

func (e *EVM) created(ctx context.Context, key string, by Party, value *big.Int, data []byte) (Deal, error) {
	rc, err := e.sendOnce(ctx, key, by, e.addr, value, data)
	if err != nil {
		return Deal{}, fmt.Errorf("create deal: %w", err)
	}
	for _, l := range rc.Logs {
		if ev, err := e.esc.UnpackDealCreatedEvent(l); err == nil && l.Address == e.addr {
			return e.Deal(ctx, DealID(ev.Id.Uint64()))
		}
	}
	return Deal{}, fmt.Errorf("create deal: no DealCreated event in transaction %s", rc.TxHash)
}

var erc20ABI = func() abi.ABI {
	a, err := abi.JSON(strings.NewReader(`[{"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},` +
		`{"type":"function","name":"symbol","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"string"}]},` +
		`{"type":"function","name":"decimals","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint8"}]}]`))
	if err != nil {
		panic(err)
	}
	return a
}()

func (e *EVM) approve(ctx context.Context, key string, by Party, currency string, amount *big.Int) error {
	token, err := tokenOf(currency)
	if err != nil {
		return err
	}
	data, err := erc20ABI.Pack("approve", e.addr, amount)
	if err != nil {
		return err
	}
	if key != "" {
		key += "/approve"
	}
	if _, err := e.sendOnce(ctx, key, by, token, nil, data); err != nil {
		return fmt.Errorf("approve %s of token %s: %w", amount, token.Hex(), err)
	}
	return nil
}

// act sends one action on an existing deal.
func (e *EVM) act(ctx context.Context, a Action, req Request, value *big.Int, data []byte) (Deal, error) {
	if _, err := e.sendOnce(ctx, req.IdempotencyKey, req.By, e.addr, value, data); err != nil {
		return Deal{}, fmt.Errorf("%s deal %d: %w", a, req.Deal, err)
	}
	return e.Deal(ctx, req.Deal)
}

func dealInt(id DealID) *big.Int { return new(big.Int).SetUint64(uint64(id)) }

// Fund pays a created deal in; for a token deal it first approves the
// escrow to take the amount.
func (e *EVM) Fund(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionFund, req); err != nil {
		return Deal{}, err
	}
	d, err := e.Deal(ctx, req.Deal)
	if err != nil {
		return Deal{}, err
	}
	var value *big.Int
	if d.Currency == Native {
		value = d.Amount
	} else if d.Status == StatusCreated && strings.EqualFold(string(req.By), string(d.Buyer)) {
		if err := e.approve(ctx, req.IdempotencyKey, req.By, d.Currency, d.Amount); err != nil {
			return Deal{}, err
		}
	}
	return e.act(ctx, ActionFund, req, value, e.esc.PackFund(dealInt(req.Deal)))
}

// Deliver marks the deal delivered (seller).
func (e *EVM) Deliver(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionDeliver, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionDeliver, req, nil, e.esc.PackDeliver(dealInt(req.Deal)))
}

// Confirm releases the money to the seller (buyer).
func (e *EVM) Confirm(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionConfirm, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionConfirm, req, nil, e.esc.PackConfirm(dealInt(req.Deal)))
}

// Complete closes a confirmed deal (either party).
func (e *EVM) Complete(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionComplete, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionComplete, req, nil, e.esc.PackComplete(dealInt(req.Deal)))
}

// Dispute opens a case at the arbitrator (either party).
func (e *EVM) Dispute(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionDispute, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionDispute, req, nil, e.esc.PackDispute(dealInt(req.Deal)))
}

// Evidence emits the evidence pointer (URI and digest) for a dispute.
func (e *EVM) Evidence(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionEvidence, req); err != nil {
		return Deal{}, err
	}
	h := common.HexToHash(req.EvidenceHash)
	return e.act(ctx, ActionEvidence, req, nil, e.esc.PackSubmitEvidence(dealInt(req.Deal), req.EvidenceURI, h))
}

// Rule sends the arbitrator's ruling. It succeeds only when By is the
// escrow's arbitrator account (a mediator key); with a CommunityArbitrator,
// rulings come from its votes (see Vote and ExecuteRuling).
func (e *EVM) Rule(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionRule, req); err != nil {
		return Deal{}, err
	}
	d, err := e.Deal(ctx, req.Deal)
	if err != nil {
		return Deal{}, err
	}
	dispute := dealInt(req.Deal)
	if e.arbIsCode {
		if d.DisputeID == nil {
			return Deal{}, fmt.Errorf("rule deal %d: %w: %s has no dispute", req.Deal, ErrInvalidState, d.Status)
		}
		dispute = d.DisputeID
	}
	return e.act(ctx, ActionRule, req, nil, e.esc.PackRule(dispute, big.NewInt(int64(req.Ruling))))
}

// Refund returns the money to the buyer (seller).
func (e *EVM) Refund(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionRefund, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionRefund, req, nil, e.esc.PackRefund(dealInt(req.Deal)))
}

// Timeout applies a passed deadline (anyone).
func (e *EVM) Timeout(ctx context.Context, req Request) (Deal, error) {
	if err := checkRequest(ActionTimeout, req); err != nil {
		return Deal{}, err
	}
	return e.act(ctx, ActionTimeout, req, nil, e.esc.PackTimeout(dealInt(req.Deal)))
}

// Withdraw pays out party's credit in currency (a payout its address
// refused earlier).
func (e *EVM) Withdraw(ctx context.Context, by Party, currency string) error {
	token, err := tokenOf(currency)
	if err != nil {
		return err
	}
	_, err = e.send(ctx, by, e.addr, nil, e.esc.PackWithdraw(token))
	return err
}

// Credit is party's withdrawable credit in currency.
func (e *EVM) Credit(ctx context.Context, p Party, currency string) (*big.Int, error) {
	token, err := tokenOf(currency)
	if err != nil {
		return nil, err
	}
	a, err := parseAddress("party", p)
	if err != nil {
		return nil, err
	}
	return bind.Call(e.inst, &bind.CallOpts{Context: ctx}, e.esc.PackCredit(token, a), e.esc.UnpackCredit)
}

// Vote casts an open vote on deal's dispute at the CommunityArbitrator.
func (e *EVM) Vote(ctx context.Context, id DealID, voter Party, choice Ruling) error {
	if choice != RulingBuyer && choice != RulingSeller {
		return fmt.Errorf("%w: choice must be 1 (buyer) or 2 (seller), got %d", ErrInvalid, choice)
	}
	d, dispute, err := e.disputeOf(ctx, id)
	if err != nil {
		return err
	}
	_, err = e.send(ctx, voter, e.arbiter, nil, e.arb.PackVote(dispute, big.NewInt(int64(choice)), common.HexToAddress(string(d.Buyer)), common.HexToAddress(string(d.Seller))))
	return err
}

// Commitment is the hash a voter commits to in commit-reveal voting: it
// binds the arbitrator, the case, the voter, the choice and a secret salt.
func Commitment(arbitrator common.Address, disputeID *big.Int, voter common.Address, choice Ruling, salt [32]byte) [32]byte {
	return crypto.Keccak256Hash(common.LeftPadBytes(arbitrator.Bytes(), 32), common.LeftPadBytes(disputeID.Bytes(), 32),
		common.LeftPadBytes(voter.Bytes(), 32), common.LeftPadBytes([]byte{byte(choice)}, 32), salt[:])
}

// Commit commits voter's hidden choice on deal's dispute.
func (e *EVM) Commit(ctx context.Context, id DealID, voter Party, choice Ruling, salt [32]byte) error {
	_, dispute, err := e.disputeOf(ctx, id)
	if err != nil {
		return err
	}
	c := Commitment(e.arbiter, dispute, common.HexToAddress(string(voter)), choice, salt)
	_, err = e.send(ctx, voter, e.arbiter, nil, e.arb.PackCommit(dispute, c))
	return err
}

// Reveal reveals a committed vote during the reveal period.
func (e *EVM) Reveal(ctx context.Context, id DealID, voter Party, choice Ruling, salt [32]byte) error {
	d, dispute, err := e.disputeOf(ctx, id)
	if err != nil {
		return err
	}
	_, err = e.send(ctx, voter, e.arbiter, nil, e.arb.PackReveal(dispute, big.NewInt(int64(choice)), salt, common.HexToAddress(string(d.Buyer)), common.HexToAddress(string(d.Seller))))
	return err
}

// ExecuteRuling ends the vote on deal's dispute once its window has
// passed; the arbitrator then rules on the escrow. Anyone may call it.
func (e *EVM) ExecuteRuling(ctx context.Context, id DealID, by Party) (Deal, error) {
	_, dispute, err := e.disputeOf(ctx, id)
	if err != nil {
		return Deal{}, err
	}
	if _, err := e.send(ctx, by, e.arbiter, nil, e.arb.PackExecute(dispute)); err != nil {
		return Deal{}, fmt.Errorf("execute ruling of deal %d: %w", id, err)
	}
	return e.Deal(ctx, id)
}

func (e *EVM) disputeOf(ctx context.Context, id DealID) (Deal, *big.Int, error) {
	if !e.arbIsCode {
		return Deal{}, nil, fmt.Errorf("%w: the arbitrator %s is an account, not a voting contract", ErrInvalid, e.arbiter.Hex())
	}
	d, err := e.Deal(ctx, id)
	if err != nil {
		return Deal{}, nil, err
	}
	if d.DisputeID == nil {
		return Deal{}, nil, fmt.Errorf("%w: deal %d is %s, not disputed", ErrInvalidState, id, d.Status)
	}
	return d, d.DisputeID, nil
}

// Deal reads a deal's state from the contract and its dispute details
// from its events.
func (e *EVM) Deal(ctx context.Context, id DealID) (Deal, error) {
	raw, err := e.call(ctx, e.esc.PackGetDeal(dealInt(id)))
	if err != nil {
		return Deal{}, fmt.Errorf("read deal %d: %w", id, err)
	}
	cd, err := e.esc.UnpackGetDeal(raw)
	if err != nil {
		return Deal{}, fmt.Errorf("read deal %d: %w", id, err)
	}
	if cd.Status == 0 {
		return Deal{}, fmt.Errorf("%w: deal %d", ErrNotFound, id)
	}
	d := Deal{ID: id, Buyer: partyOf(cd.Buyer), Seller: partyOf(cd.Seller), Amount: cd.Amount,
		Currency: currencyOf(cd.Token), Group: uint64(cd.Group), Status: evmStatus(cd.Status)}
	if cd.Deadline.Sign() > 0 {
		d.Deadline = time.Unix(cd.Deadline.Int64(), 0).UTC()
	}
	hist, err := e.history(ctx, id)
	if err != nil {
		return Deal{}, err
	}
	for _, ev := range hist {
		if d.Created.IsZero() {
			d.Created = ev.At
		}
		d.Updated = ev.At
		if ev.From == StatusDisputed && ev.To != StatusDisputed {
			d.Ruling = ev.Ruling
		}
		if ev.disputeID != nil {
			d.DisputeID = ev.disputeID
		}
	}
	return d, nil
}

// History reads a deal's events from the chain, oldest first.
func (e *EVM) History(ctx context.Context, id DealID) ([]Event, error) {
	hist, err := e.history(ctx, id)
	out := make([]Event, len(hist))
	for i, ev := range hist {
		out[i] = ev.Event
	}
	return out, err
}

func (e *EVM) history(ctx context.Context, id DealID) ([]evmEvent, error) {
	idTopic := common.BigToHash(dealInt(id))
	a := e.esc.GetABI()
	q1 := ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(e.opts.FromBlock), Addresses: []common.Address{e.addr},
		Topics: [][]common.Hash{{a.Events["DealCreated"].ID, a.Events["StatusChanged"].ID, a.Events["DisputeLost"].ID}, {idTopic}}}
	q2 := ethereum.FilterQuery{FromBlock: q1.FromBlock, Addresses: q1.Addresses,
		Topics: [][]common.Hash{{a.Events["Evidence"].ID}, {common.BytesToHash(e.arbiter.Bytes())}, {idTopic}}}
	var logs []types.Log
	for _, q := range []ethereum.FilterQuery{q1, q2} {
		ls, err := e.chain.FilterLogs(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read events of deal %d: %w", id, err)
		}
		logs = append(logs, ls...)
	}
	sort.Slice(logs, func(i, j int) bool {
		if logs[i].BlockNumber != logs[j].BlockNumber {
			return logs[i].BlockNumber < logs[j].BlockNumber
		}
		return logs[i].Index < logs[j].Index
	})
	times := map[uint64]time.Time{}
	var out []evmEvent
	var status Status
	for i := range logs {
		for _, ev := range e.events(ctx, &logs[i]) {
			at, ok := times[logs[i].BlockNumber]
			if !ok {
				h, err := e.headerTime(ctx, logs[i].BlockNumber)
				if err != nil {
					return nil, err
				}
				at, times[logs[i].BlockNumber] = h, h
			}
			ev.At, ev.Block = at, logs[i].BlockNumber
			if ev.Action == ActionEvidence || ev.Action == ActionDisputeLost {
				ev.From, ev.To = status, status
			} else {
				ev.From, status = status, ev.To
			}
			out = append(out, ev)
		}
	}
	return out, nil
}

func (e *EVM) headerTime(ctx context.Context, n uint64) (time.Time, error) {
	h, err := e.chain.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
	if err != nil {
		return time.Time{}, fmt.Errorf("read block %d: %w", n, err)
	}
	return time.Unix(int64(h.Time), 0).UTC(), nil
}

// evmEvent is an Event with the dispute id a StatusChanged carries.
type evmEvent struct {
	Event
	disputeID *big.Int
}

// events decodes one of the escrow's per-deal logs; a deal created and
// funded in one transaction has one log for two events.
func (e *EVM) events(ctx context.Context, l *types.Log) []evmEvent {
	ev, ok := e.event(ctx, l)
	if !ok {
		return nil
	}
	if c, err := e.esc.UnpackDealCreatedEvent(l); err == nil && evmStatus(c.Status) == StatusFunded {
		fund := ev
		fund.Action, fund.To, fund.By = ActionFund, StatusFunded, partyOf(c.Buyer)
		return []evmEvent{ev, fund}
	}
	return []evmEvent{ev}
}

// event decodes one log into one event.
func (e *EVM) event(ctx context.Context, l *types.Log) (evmEvent, bool) {
	ev := evmEvent{Event: Event{Tx: l.TxHash.Hex()}}
	if c, err := e.esc.UnpackDealCreatedEvent(l); err == nil {
		ev.Deal, ev.Action, ev.To = DealID(c.Id.Uint64()), ActionCreate, StatusCreated
		ev.By, _ = e.sender(ctx, l)
		return ev, true
	}
	if s, err := e.esc.UnpackStatusChangedEvent(l); err == nil {
		ev.Deal, ev.Action, ev.To, ev.By = DealID(s.Id.Uint64()), evmAction(s.Action), evmStatus(s.Status), partyOf(s.By)
		switch {
		case ev.Action == ActionDispute:
			ev.disputeID = s.Data
		case ev.Action == ActionRule || (ev.Action == ActionTimeout && s.Data.Sign() > 0):
			ev.Ruling = Ruling(s.Data.Uint64())
		}
		return ev, true
	}
	if v, err := e.esc.UnpackEvidenceEvent(l); err == nil {
		ev.Deal, ev.Action, ev.By = DealID(v.EvidenceGroupID.Uint64()), ActionEvidence, partyOf(v.Party)
		ev.EvidenceURI, ev.EvidenceHash = v.Evidence, common.Bytes2Hex(v.EvidenceHash[:])
		return ev, true
	}
	if v, err := e.esc.UnpackDisputeLostEvent(l); err == nil {
		ev.Deal, ev.Action, ev.By, ev.Ruling = DealID(v.Id.Uint64()), ActionDisputeLost, partyOf(v.Seller), RulingBuyer
		return ev, true
	}
	return ev, false
}

// sender is who created a deal: the DealCreated log does not say (to keep
// creation cheap), so it is read from the transaction; the buyer when the
// node cannot tell.
func (e *EVM) sender(ctx context.Context, l *types.Log) (Party, error) {
	tx, _, err := e.chainTx(ctx, l.TxHash)
	if err != nil || tx == nil {
		if len(l.Topics) > 2 {
			return partyOf(common.BytesToAddress(l.Topics[2].Bytes())), err
		}
		return "", err
	}
	from, err := types.Sender(types.LatestSignerForChainID(e.chainID), tx)
	return partyOf(from), err
}

func (e *EVM) chainTx(ctx context.Context, h common.Hash) (*types.Transaction, bool, error) {
	r, ok := e.chain.(interface {
		TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error)
	})
	if !ok {
		return nil, false, errors.New("chain cannot read transactions")
	}
	return r.TransactionByHash(ctx, h)
}

// Subscribe delivers the escrow's events as they are mined, until ctx
// ends.
func (e *EVM) Subscribe(ctx context.Context) (<-chan Event, error) {
	logs := make(chan types.Log, 64)
	sub, err := e.chain.SubscribeFilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{e.addr}}, logs)
	if err != nil {
		return nil, fmt.Errorf("subscribe to escrow %s: %w", e.addr, err)
	}
	out := make(chan Event, 64)
	last := map[DealID]Status{} // each deal's status after its last event seen
	go func() {
		defer close(out)
		defer sub.Unsubscribe()
		for {
			select {
			case <-ctx.Done():
				return
			case <-sub.Err():
				return
			case l := <-logs:
				at, _ := e.headerTime(ctx, l.BlockNumber)
				for _, ev := range e.events(ctx, &l) {
					ev.At = at
					e.fillFrom(ctx, &ev, last)
					select {
					case out <- ev.Event:
					case <-ctx.Done():
						return
					}
				}
			}
		}
	}()
	return out, nil
}

// fillFrom sets ev.From, which a log does not carry: the status after the
// deal's previous event, from the subscription's memory or, for the first
// event seen of a deal, from its history.
func (e *EVM) fillFrom(ctx context.Context, ev *evmEvent, last map[DealID]Status) {
	prev, ok := last[ev.Deal]
	if !ok && ev.Action != ActionCreate {
		hist, _ := e.history(ctx, ev.Deal)
		for _, h := range hist {
			if h.Tx == ev.Tx && h.Action == ev.Action {
				prev, ok = h.From, true
				break
			}
		}
	}
	if ev.Action == ActionEvidence || ev.Action == ActionDisputeLost {
		ev.From, ev.To = prev, prev
	} else {
		ev.From = prev
		last[ev.Deal] = ev.To
	}
}

// CreateGroup creates a voting group at the escrow's CommunityArbitrator,
// administered by party by, and returns its id (the Group of new deals).
func (e *EVM) CreateGroup(ctx context.Context, by Party, g GroupOptions) (uint64, error) {
	if !e.arbIsCode {
		return 0, fmt.Errorf("%w: the arbitrator %s is an account, not a voting contract", ErrInvalid, e.arbiter.Hex())
	}
	if err := g.validate(); err != nil {
		return 0, err
	}
	members, err := addresses(g.Members)
	if err != nil {
		return 0, err
	}
	rc, err := e.send(ctx, by, e.arbiter, nil, e.arb.PackCreateGroup(uint32(g.VotePeriod/time.Second), uint32(g.RevealPeriod/time.Second), g.Quorum, g.Open, members))
	if err != nil {
		return 0, fmt.Errorf("create group: %w", err)
	}
	for _, l := range rc.Logs {
		if ev, err := e.arb.UnpackGroupCreatedEvent(l); err == nil {
			return ev.Group.Uint64(), nil
		}
	}
	return 0, fmt.Errorf("create group: no GroupCreated event in transaction %s", rc.TxHash)
}

// AddMembers adds members to a group; only its admin may.
func (e *EVM) AddMembers(ctx context.Context, by Party, group uint64, members []Party) error {
	addrs, err := addresses(members)
	if err != nil {
		return err
	}
	if _, err := e.send(ctx, by, e.arbiter, nil, e.arb.PackAddMembers(new(big.Int).SetUint64(group), addrs)); err != nil {
		return fmt.Errorf("add members to group %d: %w", group, err)
	}
	return nil
}

func addresses(ps []Party) ([]common.Address, error) {
	out := make([]common.Address, len(ps))
	for i, p := range ps {
		a, err := parseAddress(fmt.Sprintf("member %d", i), p)
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// A JSON-RPC client is a Chain.
var _ Chain = (*ethclient.Client)(nil)
