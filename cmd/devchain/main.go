// Command devchain runs a local EVM chain for the README's deal tour and
// for trying EVM escrow deals by hand: go-ethereum's simulated backend
// (escrow/simchain, chain id 1337) served over JSON-RPC on loopback,
// with the Escrow contract and a test ERC-20 (TST, 6 decimals, as USDC)
// deployed, dev accounts funded with coin and tokens, and their keys
// written to files (mode 0600) that hubs name in hub.evm.key_file; the
// chain's parameters go to <dir>/env as shell variables. It seals a block
// whenever transactions are pending, until interrupted.
//
// It is a separate program because the market binary must not link the
// simulated chain (see escrow/doc.go). The chain lives in memory: a
// restart starts a new one, with the same accounts and addresses.
//
//	go run ./cmd/devchain -listen 127.0.0.1:8545 -dir data-devchain
package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"math/big"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/escrow/simchain"
	"github.com/sovereign-marketplace/market/listing"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8545", "address to serve JSON-RPC on (loopback)")
	dir := flag.String("dir", "data-devchain", "folder for the dev accounts' key files")
	accounts := flag.Int("accounts", 4, "dev accounts to fund (1 to 20); account 0 deploys")
	mint := flag.Int64("mint", 10000, "whole test tokens minted to each dev account")
	flag.Parse()
	if err := run(*listen, *dir, *accounts, *mint); err != nil {
		fmt.Fprintln(os.Stderr, "devchain:", err)
		os.Exit(1)
	}
}

func run(listen, dir string, accounts int, mint int64) error {
	if accounts < 1 || accounts > 20 {
		return fmt.Errorf("-accounts: want 1 to 20, got %d", accounts)
	}
	if mint < 0 || mint > 1_000_000_000 {
		return fmt.Errorf("-mint: want 0 to 1000000000 tokens, got %d", mint)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	chain, err := simchain.New(accounts + 1)
	if err != nil {
		return err
	}
	defer chain.Close()
	dep, err := escrow.DeployEVM(ctx, chain.Client(), chain.Keys[0], escrow.DeployOptions{Mine: chain.Mine})
	if err != nil {
		return err
	}
	token, err := chain.DeployTestToken(ctx, chain.Keys[0])
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("-dir: %w", err)
	}
	units := new(big.Int).Mul(big.NewInt(mint), big.NewInt(1_000_000))
	srv, err := chain.Serve(listen)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	defer srv.Close()
	fmt.Printf("rpc_url:    %s\nchain_id:   %d\ncontract:   %s\nfrom_block: %d\ntoken:      %s (TST, %d decimals)\n",
		srv.URL, dep.ChainID, dep.Escrow.Hex(), dep.Block, token.Hex(), simchain.TokenDecimals)
	for i := 1; i <= accounts; i++ {
		if err := chain.MintTestToken(ctx, chain.Keys[0], token, chain.Addrs[i], units); err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("account%d.key", i))
		if err := os.WriteFile(path, []byte(hex.EncodeToString(crypto.FromECDSA(chain.Keys[i]))+"\n"), 0o600); err != nil {
			return err
		}
		if err := os.Chmod(path, 0o600); err != nil {
			return err
		}
		fmt.Printf("account %d:  %s  key file %s  (1000 ETH, %d TST)\n", i, chain.Addrs[i].Hex(), path, mint)
	}
	ref := listing.Escrow{Kind: listing.EscrowEVM, ChainID: dep.ChainID.Uint64(), Contract: dep.Escrow.Hex(), Token: token.Hex()}.Ref()
	env := fmt.Sprintf("RPC_URL=%s\nCHAIN_ID=%d\nCONTRACT=%s\nFROM_BLOCK=%d\nTOKEN=%s\nESCROW=%s\n", srv.URL, dep.ChainID, dep.Escrow.Hex(), dep.Block, token.Hex(), ref)
	if err := os.WriteFile(filepath.Join(dir, "env"), []byte(env), 0o644); err != nil {
		return err
	}
	fmt.Printf("the same as shell variables: %s (RPC_URL, CHAIN_ID, CONTRACT, FROM_BLOCK, TOKEN, and ESCROW: how an offer names this escrow)\n", filepath.Join(dir, "env"))
	fmt.Println("mining while transactions are pending; Ctrl-C stops (the chain lives in memory)")
	chain.MineWhilePending(ctx, 100*time.Millisecond)
	return nil
}
