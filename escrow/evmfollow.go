package escrow

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// MaxRef bounds CreateRequest.Ref: a 32-byte hash.
const MaxRef = 32

// DialEVM attaches to the Escrow contract at contract on the chain whose
// JSON-RPC endpoint is rpcURL, and checks that the chain is chainID (so
// that a node configured for one chain never signs for another).
func DialEVM(ctx context.Context, rpcURL string, chainID uint64, contract string, opts EVMOptions) (*EVM, error) {
	if !common.IsHexAddress(contract) {
		return nil, fmt.Errorf("%w: escrow contract %q is not a 0x address", ErrInvalid, contract)
	}
	c, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", rpcURL, err)
	}
	id, err := c.ChainID(ctx)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("read the chain id at %s: %w", rpcURL, err)
	}
	if !id.IsUint64() || id.Uint64() != chainID {
		c.Close()
		return nil, fmt.Errorf("%w: the chain at %s has id %s, not the configured %d", ErrInvalid, rpcURL, id, chainID)
	}
	e, err := NewEVM(ctx, c, common.HexToAddress(contract), opts)
	if err != nil {
		c.Close()
		return nil, err
	}
	e.hangUp = c.Close
	return e, nil
}

// KeyParty is the party (0x address) an EVM key signs for.
func KeyParty(k *ecdsa.PrivateKey) Party { return partyOf(crypto.PubkeyToAddress(k.PublicKey)) }

// ChainID is the id of the backend's chain.
func (e *EVM) ChainID() uint64 { return e.chainID.Uint64() }

// Head is the number of the chain's latest block.
func (e *EVM) Head(ctx context.Context) (uint64, error) {
	h, err := e.chain.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("read the latest block: %w", err)
	}
	return h.Number.Uint64(), nil
}

// DealsChanged lists the deals that have DealCreated or StatusChanged
// events in blocks from to to (inclusive), each once, in the order of
// their first event there: what a follower of the contract reads again
// (Deal, History) to bring its copies up to date.
func (e *EVM) DealsChanged(ctx context.Context, from, to uint64) ([]DealID, error) {
	a := e.esc.GetABI()
	logs, err := e.chain.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(to),
		Addresses: []common.Address{e.addr}, Topics: [][]common.Hash{{a.Events["DealCreated"].ID, a.Events["StatusChanged"].ID}}})
	if err != nil {
		return nil, fmt.Errorf("read escrow events of blocks %d-%d: %w", from, to, err)
	}
	var out []DealID
	seen := map[DealID]bool{}
	for _, l := range logs {
		if len(l.Topics) < 2 || l.Removed {
			continue
		}
		id := new(big.Int).SetBytes(l.Topics[1].Bytes())
		if !id.IsUint64() || seen[DealID(id.Uint64())] {
			continue
		}
		seen[DealID(id.Uint64())] = true
		out = append(out, DealID(id.Uint64()))
	}
	return out, nil
}

// CreationRef reads back the Ref that the transaction creating deal id
// carried (see CreateRequest.Ref): the bytes after its call's arguments,
// at most MaxRef. A deal created through another contract, rather than
// by a transaction to the Escrow contract, has none.
func (e *EVM) CreationRef(ctx context.Context, id DealID) ([]byte, error) {
	a := e.esc.GetABI()
	logs, err := e.chain.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(e.opts.FromBlock), Addresses: []common.Address{e.addr},
		Topics: [][]common.Hash{{a.Events["DealCreated"].ID}, {common.BigToHash(dealInt(id))}}})
	if err != nil {
		return nil, fmt.Errorf("read the creation of deal %d: %w", id, err)
	}
	if len(logs) == 0 {
		return nil, fmt.Errorf("%w: deal %d", ErrNotFound, id)
	}
	tx, _, err := e.chainTx(ctx, logs[0].TxHash)
	if err != nil {
		return nil, fmt.Errorf("read the transaction creating deal %d: %w", id, err)
	}
	data := tx.Data()
	if tx.To() == nil || *tx.To() != e.addr || len(data) < 4 {
		return nil, nil
	}
	m, err := a.MethodById(data[:4])
	if err != nil || (m.Name != "create" && m.Name != "createAndFund") {
		return nil, nil
	}
	args := 4 + 32*len(m.Inputs) // every argument of both is one static word
	if len(data) <= args || len(data)-args > MaxRef {
		return nil, nil
	}
	return data[args:], nil
}

// Call is one transaction a wallet sends: to a contract, with value (wei,
// decimal) and call data (0x hex), and the method's name for people.
type Call struct {
	Method string `json:"method"`
	To     string `json:"to"`
	Value  string `json:"value"`
	Data   string `json:"data"`
}

// FundingCalls are the transactions the buyer's own wallet sends to
// create and fund the deal req describes, as CreateAndFund would: for a
// token, approve the escrow to take the amount, then createAndFund (with
// req.Ref after its arguments); for the coin, createAndFund with the
// amount as value. Nothing is signed or sent.
func (e *EVM) FundingCalls(req CreateRequest) ([]Call, error) {
	data, value, err := e.packCreate(req, true)
	if err != nil {
		return nil, err
	}
	var out []Call
	if req.Currency != Native {
		token, err := tokenOf(req.Currency)
		if err != nil {
			return nil, err
		}
		approve, err := erc20ABI.Pack("approve", e.addr, req.Amount)
		if err != nil {
			return nil, err
		}
		out = append(out, Call{Method: "approve", To: token.Hex(), Value: "0", Data: hexutil.Encode(approve)})
	}
	if value == nil {
		value = new(big.Int)
	}
	return append(out, Call{Method: "createAndFund", To: e.addr.Hex(), Value: value.String(), Data: hexutil.Encode(data)}), nil
}

// SameAddress reports whether two 0x addresses are the same, in any case.
func SameAddress(a, b Party) bool { return strings.EqualFold(string(a), string(b)) }

// waitMined asks for the receipt of transaction h until it is mined, then
// for the latest block until it is at least the receipt's, every
// EVMOptions.ReceiptPoll, or until ctx ends: what the caller reads next
// at the latest block then includes h.
func (e *EVM) waitMined(ctx context.Context, h common.Hash) (*types.Receipt, error) {
	every := e.opts.ReceiptPoll
	if every <= 0 {
		every = time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var rc *types.Receipt
	for {
		var err error
		if rc == nil {
			rc, err = e.chain.TransactionReceipt(ctx, h)
		}
		if err == nil {
			// A node may give the receipt before its latest block is the
			// one that holds it (one that imports the block, or another
			// node behind the same endpoint): what is read at the latest
			// block then misses the transaction. Wait for the head too.
			head, err := e.chain.HeaderByNumber(ctx, nil)
			if err != nil {
				return nil, fmt.Errorf("read the latest block: %w", err)
			}
			if head.Number.Cmp(rc.BlockNumber) >= 0 {
				return rc, nil
			}
		} else if !errors.Is(err, ethereum.NotFound) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// maxSymbol bounds a token's symbol as TokenMeta returns it.
const maxSymbol = 12

// TokenMeta reads an ERC-20 token's symbol and decimals from the chain,
// for people: what a wallet page shows beside an amount. The token's
// answers are the token's word only, and bounded: a symbol that is not
// 1 to 12 letters, digits, dots or dashes is refused, as are more than
// 36 decimals.
// The chain's coin (Native) is "ETH" with 18.
func (e *EVM) TokenMeta(ctx context.Context, currency string) (symbol string, decimals uint8, err error) {
	if currency == Native {
		return "ETH", 18, nil
	}
	token, err := tokenOf(currency)
	if err != nil {
		return "", 0, err
	}
	read := func(method string) ([]any, error) {
		data, err := erc20ABI.Pack(method)
		if err != nil {
			return nil, err
		}
		out, err := e.chain.CallContract(ctx, ethereum.CallMsg{To: &token, Data: data}, nil)
		if err != nil {
			return nil, fmt.Errorf("token %s: %s(): %w", token, method, err)
		}
		v, err := erc20ABI.Unpack(method, out)
		if err != nil || len(v) != 1 {
			return nil, fmt.Errorf("%w: token %s does not answer %s() as an ERC-20 token does", ErrInvalid, token, method)
		}
		return v, nil
	}
	v, err := read("symbol")
	if err != nil {
		return "", 0, err
	}
	symbol, _ = v[0].(string)
	if !tokenSymbol(symbol) {
		return "", 0, fmt.Errorf("%w: token %s: symbol %q is not 1 to %d letters, digits, dots or dashes", ErrInvalid, token, symbol, maxSymbol)
	}
	if v, err = read("decimals"); err != nil {
		return "", 0, err
	}
	decimals, _ = v[0].(uint8)
	if decimals > 36 {
		return "", 0, fmt.Errorf("%w: token %s: %d decimals, at most 36 expected", ErrInvalid, token, decimals)
	}
	return symbol, decimals, nil
}

func tokenSymbol(s string) bool {
	if len(s) == 0 || len(s) > maxSymbol {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}
