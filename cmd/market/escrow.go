package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sovereign-marketplace/market/escrow"
)

func init() {
	commands["escrow"] = subcommands("escrow", "deploy the escrow contracts, show a deal",
		"deploy the escrow contracts to an EVM chain, or show a deal from the ledger or a chain",
		map[string]command{
			"deploy": {summary: "deploy Escrow (and a CommunityArbitrator) to an EVM chain", run: runEscrowDeploy},
			"show":   {summary: "print a deal's state and history", run: runEscrowShow},
		})
}

// escrowTimeout bounds a whole CLI command (a deployment waits for blocks).
const escrowTimeout = 10 * time.Minute

func runEscrowDeploy(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("market escrow deploy", `Usage: market escrow deploy --rpc URL --key FILE [--token ADDRESS] [flags]

Deploys a CommunityArbitrator (unless --arbitrator names one) and an Escrow
using it, paid by the key in FILE (64 hex digits of a secp256k1 private
key, 0x optional, in a file only its owner may read), and prints their
addresses. --token checks that an ERC-20 contract exists at ADDRESS and
prints it as the hub's default currency; every deal may use any token.`, stdout, stderr)
	rpcURL := fs.String("rpc", "", "JSON-RPC `URL` of the chain (a Polygon node, for example)")
	keyFile := fs.String("key", "", "the `FILE` holding the deployer's private key: 64 hex digits, 0x optional, mode 0600")
	token := fs.String("token", "", "ERC-20 token `ADDRESS` to check and print (optional)")
	arbitrator := fs.String("arbitrator", "", "existing arbitrator `ADDRESS` (default: deploy a CommunityArbitrator)")
	fund := fs.Duration("fund", escrow.DefaultTimeouts.Fund, "how long a created deal may wait for funding")
	deliver := fs.Duration("deliver", escrow.DefaultTimeouts.Deliver, "how long a funded deal may wait for delivery")
	confirm := fs.Duration("confirm", escrow.DefaultTimeouts.Confirm, "how long a delivered deal may wait for the buyer")
	dispute := fs.Duration("dispute", escrow.DefaultTimeouts.Dispute, "how long a dispute may wait for a ruling")
	def := fs.String("default", "buyer", "who an undecided dispute favours: buyer (refund) or seller (release)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if code, ok := fs.noArgs(); !ok {
		return code
	}
	if *rpcURL == "" || *keyFile == "" {
		return fs.fail("--rpc URL and --key FILE are required")
	}
	t := escrow.Timeouts{Fund: *fund, Deliver: *deliver, Confirm: *confirm, Dispute: *dispute}
	switch *def {
	case "buyer":
		t.DisputeDefault = escrow.RulingBuyer
	case "seller":
		t.DisputeDefault = escrow.RulingSeller
	default:
		return fs.fail("--default must be buyer or seller, got %q", *def)
	}
	if err := t.Validate(); err != nil {
		fmt.Fprintf(stderr, "market escrow deploy: %v\n", err)
		return exitUsage
	}
	opts := escrow.DeployOptions{Timeouts: t}
	for _, a := range []struct {
		flag string
		val  string
		dst  *common.Address
	}{{"arbitrator", *arbitrator, &opts.Arbitrator}, {"token", *token, nil}} {
		if a.val == "" {
			continue
		}
		if !common.IsHexAddress(a.val) {
			return fs.fail("--%s %q is not a 0x address", a.flag, a.val)
		}
		if a.dst != nil {
			*a.dst = common.HexToAddress(a.val)
		}
	}
	key, err := escrow.LoadEVMKey(*keyFile)
	if err != nil {
		fmt.Fprintf(stderr, "market escrow deploy: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), escrowTimeout)
	defer cancel()
	client, err := ethclient.DialContext(ctx, *rpcURL)
	if err != nil {
		fmt.Fprintf(stderr, "market escrow deploy: connect to --rpc %s: %v\n", *rpcURL, err)
		return exitUsage
	}
	defer client.Close()
	if *token != "" {
		code, err := client.CodeAt(ctx, common.HexToAddress(*token), nil)
		if err != nil {
			fmt.Fprintf(stderr, "market escrow deploy: read --token %s: %v\n", *token, err)
			return exitInternal
		}
		if len(code) == 0 {
			fmt.Fprintf(stderr, "market escrow deploy: --token %s: no contract at that address on this chain\n", *token)
			return exitUsage
		}
	}
	fmt.Fprintf(stderr, "deploying from %s ...\n", crypto.PubkeyToAddress(key.PublicKey).Hex())
	dep, err := escrow.DeployEVM(ctx, client, key, opts)
	if err != nil {
		fmt.Fprintf(stderr, "market escrow deploy: %v\n", err)
		if errors.Is(err, escrow.ErrInvalid) {
			return exitUsage
		}
		return exitInternal
	}
	fmt.Fprintf(stdout, "chain       %s\n", dep.ChainID)
	note := "(existing)"
	if dep.DeployedArbitrator {
		note = "(CommunityArbitrator, deployed)"
	}
	fmt.Fprintf(stdout, "arbitrator  %s %s\n", dep.Arbitrator.Hex(), note)
	fmt.Fprintf(stdout, "escrow      %s\n", dep.Escrow.Hex())
	if *token != "" {
		fmt.Fprintf(stdout, "token       %s\n", common.HexToAddress(*token).Hex())
	}
	fmt.Fprintf(stdout, "block       %d\n", dep.Block)
	fmt.Fprintf(stdout, "gas         %d\n", dep.Gas)
	return exitOK
}

func runEscrowShow(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("market escrow show", `Usage: market escrow show DEAL [--db FILE | --data-dir DIR | --config FILE]
       market escrow show DEAL --rpc URL --escrow ADDRESS [--from-block N]

Prints a deal's state and history, from the ledger (a bbolt file: by
default escrow.db in the data directory that --data-dir, MARKET_DATA_DIR
or --config names, ./data without any) or from an Escrow contract on an
EVM chain.`, stdout, stderr)
	db := fs.String("db", "", "the ledger's bbolt `FILE` (default: escrow.db in the data directory)")
	load := fs.config("data-dir")
	rpcURL := fs.String("rpc", "", "JSON-RPC `URL`: read the deal from a chain instead of the ledger")
	addr := fs.String("escrow", "", "the Escrow contract's `ADDRESS` (with --rpc)")
	from := fs.Uint64("from-block", 0, "the block `N` the contract was deployed in (where history starts)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return fs.fail("missing DEAL (a deal id, a positive integer)")
	}
	if fs.NArg() > 1 {
		return fs.fail("unexpected argument %q", fs.Arg(1))
	}
	id := fs.Arg(0)
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return fs.fail("DEAL must be a deal id (a positive integer), got %q", id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), escrowTimeout)
	defer cancel()
	var e escrow.Escrow
	if *rpcURL != "" {
		if !common.IsHexAddress(*addr) {
			return fs.fail("--escrow must be the contract's 0x address, got %q", *addr)
		}
		client, err := ethclient.DialContext(ctx, *rpcURL)
		if err != nil {
			fmt.Fprintf(stderr, "market escrow show: connect to --rpc %s: %v\n", *rpcURL, err)
			return exitUsage
		}
		defer client.Close()
		evm, err := escrow.NewEVM(ctx, client, common.HexToAddress(*addr), escrow.EVMOptions{FromBlock: *from})
		if err != nil {
			fmt.Fprintf(stderr, "market escrow show: %v\n", err)
			return exitUsage
		}
		e = evm
	} else {
		if *db == "" {
			cfg, err := load()
			if err != nil {
				fmt.Fprintf(stderr, "market escrow show: %v\n", err)
				return exitUsage
			}
			*db = filepath.Join(cfg.DataDir, "escrow.db")
		}
		if _, err := os.Stat(*db); err != nil {
			fmt.Fprintf(stderr, "market escrow show: --db %s: %v\n", *db, err)
			return exitUsage
		}
		l, err := escrow.OpenLedger(*db, escrow.LedgerOptions{})
		if err != nil {
			fmt.Fprintf(stderr, "market escrow show: %v (is a hub using the file?)\n", err)
			return exitInternal
		}
		defer l.Close()
		e = l
	}
	d, err := e.Deal(ctx, escrow.DealID(n))
	if err != nil {
		fmt.Fprintf(stderr, "market escrow show: %v\n", err)
		if errors.Is(err, escrow.ErrNotFound) {
			return exitUsage
		}
		return exitInternal
	}
	hist, err := e.History(ctx, d.ID)
	if err != nil {
		fmt.Fprintf(stderr, "market escrow show: %v\n", err)
		return exitInternal
	}
	printDeal(stdout, d, hist)
	return exitOK
}

func printDeal(w io.Writer, d escrow.Deal, hist []escrow.Event) {
	fmt.Fprintf(w, "deal      %d\n", d.ID)
	fmt.Fprintf(w, "status    %s\n", d.Status)
	fmt.Fprintf(w, "buyer     %s\n", d.Buyer)
	fmt.Fprintf(w, "seller    %s\n", d.Seller)
	fmt.Fprintf(w, "amount    %s %s (minor units)\n", d.Amount, d.Currency)
	if d.Group != 0 {
		fmt.Fprintf(w, "group     %d\n", d.Group)
	}
	if !d.Deadline.IsZero() {
		fmt.Fprintf(w, "deadline  %s\n", d.Deadline.UTC().Format(time.RFC3339))
	}
	if d.DisputeID != nil {
		fmt.Fprintf(w, "dispute   %s\n", d.DisputeID)
	}
	if d.Ruling != escrow.RulingNone {
		fmt.Fprintf(w, "ruling    %s\n", d.Ruling)
	}
	fmt.Fprintln(w, "history:")
	for _, ev := range hist {
		line := fmt.Sprintf("  %s  %-12s %-9s -> %-9s by %s", ev.At.UTC().Format(time.RFC3339), ev.Action, orDash(string(ev.From)), ev.To, ev.By)
		if ev.Ruling != escrow.RulingNone {
			line += " ruling=" + ev.Ruling.String()
		}
		if ev.EvidenceURI != "" {
			line += " evidence=" + ev.EvidenceURI + " sha=" + ev.EvidenceHash
		}
		if ev.Tx != "" {
			line += " tx=" + ev.Tx
		}
		fmt.Fprintln(w, line)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
