package browsertest

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// Wallet is the EIP-1193 provider the browser tests inject into the
// page as window.ethereum, standing in for a wallet extension. The page's
// request({method, params}) reaches this Go value through a DevTools
// binding, and it answers as a wallet would: accounts and chain switches
// from its own state (with the user's refusals, error 4001, and unknown
// chains, error 4902, when a test asks for them), transactions signed
// with a dev key by go-ethereum and sent to the chain's JSON-RPC on
// loopback, and every other call forwarded there as it is. Signing in Go
// keeps the page's CSP intact: a provider in the page could not reach the
// chain's port (connect-src 'self'), and a real wallet is not in the page
// either.
type Wallet struct {
	t   testing.TB
	rpc *rpc.Client
	eth *ethclient.Client
	// Key signs for Account; ChainID is the chain the RPC serves. Change
	// them (and the fields below) under Set.
	Key     *ecdsa.PrivateKey
	Account common.Address
	ChainID uint64
	mine    func() // seals a block after each transaction (the simulated chain)

	mu      sync.Mutex
	On      uint64           // the chain the wallet is on
	Known   map[uint64]bool  // chains it can switch to; others answer 4902
	Decline map[string]bool  // methods the user declines (4001)
	asked   []string         // every method asked, in order
	Added   []map[string]any // the chains the page asked to add
	sent    []common.Hash
}

// walletError is an EIP-1193 error: a code, a message, and data (a
// contract's revert data).
type walletError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// NewWallet is a wallet holding key, on the chain whose JSON-RPC is
// rpcURL; mine seals a block after each transaction it sends.
func NewWallet(t testing.TB, rpcURL string, key *ecdsa.PrivateKey, mine func()) *Wallet {
	t.Helper()
	c, err := rpc.DialHTTP(rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	w := &Wallet{t: t, rpc: c, eth: ethclient.NewClient(c), Key: key, Account: crypto.PubkeyToAddress(key.PublicKey), mine: mine,
		Known: map[uint64]bool{}, Decline: map[string]bool{}}
	id, err := w.eth.ChainID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.ChainID = id.Uint64()
	w.On, w.Known[w.ChainID] = w.ChainID, true
	return w
}

// walletProvider is window.ethereum in the page: each request goes to the
// binding __testWallet and waits for __testWalletReply.
const walletProvider = `(() => {
  let seq = 0;
  const waiting = new Map();
  window.__testWalletReply = (id, result, error) => {
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if (error) {
      const e = new Error(error.message);
      e.code = error.code;
      if (error.data !== undefined) e.data = error.data;
      w.reject(e);
    } else {
      w.resolve(result);
    }
  };
  window.ethereum = {
    isTestWallet: true,
    request({ method, params }) {
      return new Promise((resolve, reject) => {
        const id = ++seq;
        waiting.set(id, { resolve, reject });
        window.__testWallet(JSON.stringify({ id, method, params: params || [] }));
      });
    },
    on() {},
    removeListener() {},
  };
})();`

// Install puts the wallet into every page b opens from now on.
func (w *Wallet) Install(b *Browser) {
	w.t.Helper()
	ctx := b.Ctx()
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: "__testWallet"}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: walletProvider}); err != nil {
		w.t.Fatal(err)
	}
	calls := make(chan string, 64)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*runtime.EventBindingCalled); ok && ev.Name == "__testWallet" {
			select {
			case calls <- ev.Payload:
			default: // a page flooding the wallet: dropped, the page waits forever
			}
		}
	}); err != nil {
		w.t.Fatal(err)
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case payload := <-calls:
				w.serve(ctx, payload)
			}
		}
	}()
}

// serve answers one request of the page, in the page.
func (w *Wallet) serve(ctx context.Context, payload string) {
	var req struct {
		ID     int64             `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal([]byte(payload), &req); err != nil {
		w.t.Errorf("wallet: a request that is not JSON: %q", payload)
		return
	}
	result, werr := w.answer(ctx, req.Method, req.Params)
	res, _ := json.Marshal(result)
	errJSON := []byte("null")
	if werr != nil {
		errJSON, _ = json.Marshal(werr)
	}
	js := fmt.Sprintf("window.__testWalletReply(%d, %s, %s)", req.ID, res, errJSON)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil && ctx.Err() == nil {
		w.t.Logf("wallet: reply to %s: %v", req.Method, err)
	}
}

var errDeclined = &walletError{Code: 4001, Message: "User rejected the request."}

func (w *Wallet) answer(ctx context.Context, method string, params []json.RawMessage) (any, *walletError) {
	w.mu.Lock()
	w.asked = append(w.asked, method)
	declined := w.Decline[method]
	w.mu.Unlock()
	switch method {
	case "eth_requestAccounts", "eth_accounts":
		if declined {
			return nil, errDeclined
		}
		return []string{w.Account.Hex()}, nil
	case "eth_chainId":
		w.mu.Lock()
		defer w.mu.Unlock()
		return hexutil.EncodeUint64(w.On), nil
	case "wallet_switchEthereumChain", "wallet_addEthereumChain":
		var arg map[string]any
		if len(params) != 1 || json.Unmarshal(params[0], &arg) != nil {
			return nil, &walletError{Code: -32602, Message: "expected one object"}
		}
		id, err := hexutil.DecodeUint64(fmt.Sprint(arg["chainId"]))
		if err != nil {
			return nil, &walletError{Code: -32602, Message: "chainId: " + err.Error()}
		}
		if declined {
			return nil, errDeclined
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if method == "wallet_addEthereumChain" {
			w.Added = append(w.Added, arg)
			if urls, _ := arg["rpcUrls"].([]any); len(urls) == 0 {
				return nil, &walletError{Code: -32602, Message: "rpcUrls: expected at least one"}
			}
			w.Known[id] = true
		} else if !w.Known[id] {
			return nil, &walletError{Code: 4902, Message: "Unrecognized chain ID " + strconv.FormatUint(id, 10) + ". Try adding the chain using wallet_addEthereumChain first."}
		}
		w.On = id
		return nil, nil
	case "eth_sendTransaction":
		if declined {
			return nil, &walletError{Code: 4001, Message: "User denied transaction signature."}
		}
		return w.sendTransaction(ctx, params)
	case "eth_sign", "personal_sign", "eth_signTypedData_v4":
		return nil, &walletError{Code: 4200, Message: "the test wallet signs transactions only"}
	}
	args := make([]any, len(params))
	for i, p := range params {
		args[i] = p
	}
	var out json.RawMessage
	if err := w.rpc.CallContext(ctx, &out, method, args...); err != nil {
		return nil, rpcError(err)
	}
	return out, nil
}

// rpcError keeps a node's error code and revert data, as wallets pass
// them on.
func rpcError(err error) *walletError {
	we := &walletError{Code: -32603, Message: err.Error()}
	var re rpc.Error
	if errors.As(err, &re) {
		we.Code = re.ErrorCode()
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		we.Data = de.ErrorData()
	}
	return we
}

// sendTransaction signs the page's transaction with the wallet's key
// (an EIP-1559 transaction for the chain the wallet is on), sends it and
// seals a block.
func (w *Wallet) sendTransaction(ctx context.Context, params []json.RawMessage) (any, *walletError) {
	var tx struct {
		ChainID *hexutil.Big    `json:"chainId"`
		From    common.Address  `json:"from"`
		To      *common.Address `json:"to"`
		Data    hexutil.Bytes   `json:"data"`
		Value   *hexutil.Big    `json:"value"`
	}
	if len(params) != 1 || json.Unmarshal(params[0], &tx) != nil {
		return nil, &walletError{Code: -32602, Message: "expected one transaction object"}
	}
	if tx.From != w.Account {
		return nil, &walletError{Code: 4100, Message: "the wallet does not hold " + tx.From.Hex()}
	}
	w.mu.Lock()
	on := w.On
	w.mu.Unlock()
	if tx.ChainID != nil && tx.ChainID.ToInt().Cmp(new(big.Int).SetUint64(on)) != 0 {
		return nil, &walletError{Code: -32602, Message: "chainId " + tx.ChainID.String() + " is not the wallet's chain"}
	}
	if on != w.ChainID {
		return nil, &walletError{Code: 4901, Message: "the test wallet cannot reach chain " + strconv.FormatUint(on, 10)}
	}
	value := new(big.Int)
	if tx.Value != nil {
		value = tx.Value.ToInt()
	}
	gas, err := w.eth.EstimateGas(ctx, ethereum.CallMsg{From: w.Account, To: tx.To, Data: tx.Data, Value: value})
	if err != nil {
		return nil, rpcError(err)
	}
	nonce, err := w.eth.PendingNonceAt(ctx, w.Account)
	if err != nil {
		return nil, rpcError(err)
	}
	tip, err := w.eth.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, rpcError(err)
	}
	head, err := w.eth.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, rpcError(err)
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	chainID := new(big.Int).SetUint64(w.ChainID)
	signed, err := types.SignNewTx(w.Key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas * 12 / 10, To: tx.To, Value: value, Data: tx.Data,
	})
	if err != nil {
		return nil, &walletError{Code: -32603, Message: err.Error()}
	}
	if err := w.eth.SendTransaction(ctx, signed); err != nil {
		return nil, rpcError(err)
	}
	w.mu.Lock()
	w.sent = append(w.sent, signed.Hash())
	w.mu.Unlock()
	w.mine()
	return signed.Hash().Hex(), nil
}

// Sent is the hashes of the transactions the wallet sent.
func (w *Wallet) Sent() []common.Hash {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.sent)
}

// Methods is every method the page asked for, in order.
func (w *Wallet) Methods() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.asked)
}

// Fees is what the wallet's transactions cost in gas.
func (w *Wallet) Fees(t testing.TB) *big.Int {
	t.Helper()
	sum := new(big.Int)
	for _, h := range w.Sent() {
		rc, err := w.eth.TransactionReceipt(context.Background(), h)
		if err != nil {
			t.Fatalf("receipt of %s: %v", h, err)
		}
		sum.Add(sum, new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
	}
	return sum
}

// Set changes the wallet's state under its lock: the chain it is on, the
// chains it knows, the methods the user declines.
func (w *Wallet) Set(f func(w *Wallet)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f(w)
}
