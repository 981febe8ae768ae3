// Package simchain starts an in-process EVM chain (go-ethereum's simulated
// backend) for the escrow tests and the gas benchmark, with the chain rules
// pinned to a released fork so that gas figures mean something. Only tests
// and bench/ import it: the market binary must not link the simulated node.
package simchain

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
)

// Fork names the rules the chain runs: Prague (Ethereum's Pectra), which
// Polygon PoS adopted in its Bhilai hardfork. go-ethereum v1.17's simulated
// backend otherwise runs the unreleased "Bogota" rules, whose storage gas
// is several times higher.
const Fork = "prague"

// Chain is a simulated chain with funded accounts.
type Chain struct {
	*simulated.Backend
	// Keys of the funded accounts, and their addresses in the same order.
	Keys  []*ecdsa.PrivateKey
	Addrs []common.Address
	// ipc is the node's IPC socket, which Serve forwards to.
	ipc, ipcDir string
	mineMu      sync.Mutex
}

// Ether is 10^18 wei.
var Ether = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// New starts a chain with n accounts holding 1000 ether each. Keys are
// derived from fixed seeds so that runs are reproducible. Options edit the
// node's configuration (ServeHTTP, for example).
func New(n int, options ...func(*node.Config, *ethconfig.Config)) (*Chain, error) {
	c := &Chain{}
	alloc := types.GenesisAlloc{}
	for i := 0; i < n; i++ {
		k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("escrow test account %d", i))))
		if err != nil {
			return nil, err
		}
		a := crypto.PubkeyToAddress(k.PublicKey)
		c.Keys, c.Addrs = append(c.Keys, k), append(c.Addrs, a)
		alloc[a] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1000), Ether)}
	}
	dir, err := os.MkdirTemp("", "simchain")
	if err != nil {
		return nil, err
	}
	c.ipc, c.ipcDir = filepath.Join(dir, "rpc.ipc"), dir
	ipc := func(nc *node.Config, _ *ethconfig.Config) { nc.IPCPath = c.ipc }
	c.Backend = simulated.NewBackend(alloc, append([]func(*node.Config, *ethconfig.Config){PinFork, ipc}, options...)...)
	return c, nil
}

// Close stops the chain and removes its IPC socket.
func (c *Chain) Close() error {
	err := c.Backend.Close()
	_ = os.RemoveAll(c.ipcDir)
	return err
}

// ServeHTTP is an option of New that serves JSON-RPC on 127.0.0.1:port,
// for tests of code that dials a URL.
func ServeHTTP(port int) func(*node.Config, *ethconfig.Config) {
	return func(nc *node.Config, _ *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort = "127.0.0.1", port
		nc.HTTPModules = []string{"eth", "net", "web3"}
		nc.HTTPVirtualHosts = []string{"*"}
	}
}

// PinFork is a simulated.NewBackend option that runs Prague rules.
func PinFork(_ *node.Config, ec *ethconfig.Config) {
	cfg := *params.AllDevChainProtocolChanges
	cfg.OsakaTime, cfg.BogotaTime = nil, nil
	ec.Genesis.Config = &cfg
}

// Mine seals the pending transactions into a block. Blocks are sealed
// one at a time: a test's own Mine and MineWhilePending may run together.
func (c *Chain) Mine() {
	c.mineMu.Lock()
	defer c.mineMu.Unlock()
	c.Commit()
}

// Advance moves the chain's clock forward by d (and seals a block). The
// transaction pool drops mined transactions in the background after a
// block, and AdjustTime refuses to run while it still lists any, so Advance
// waits for it (up to two seconds).
func (c *Chain) Advance(d time.Duration) error {
	var err error
	for i := 0; i < 200; i++ {
		if err = c.AdjustTime(d); err == nil || !strings.Contains(err.Error(), "non-empty block") {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	return err
}
