package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/sovereign-marketplace/market/escrow"
)

func init() {
	commands["escrow"] = command{
		summary: "deploy the escrow contracts, show a deal",
		run: subcommands("escrow", "deploy the escrow contracts to an EVM chain, or show a deal from the ledger or a chain",
			map[string]command{
				"deploy": {summary: "deploy Escrow (and a CommunityArbitrator) to an EVM chain", run: runEscrowDeploy},
				"show":   {summary: "print a deal's state and history", run: runEscrowShow},
			}),
	}
}

// escrowTimeout bounds a whole CLI command (a deployment waits for blocks).
const escrowTimeout = 10 * time.Minute

func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping --help to exitOK and errors to exitUsage;
// ok is false when the caller should return code.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}

func runEscrowDeploy(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("market escrow deploy", `Usage: market escrow deploy --rpc URL --key FILE [--token ADDRESS] [flags]

Deploys a CommunityArbitrator (unless --arbitrator names one) and an Escrow
using it, paid by the key in FILE (a hex secp256k1 private key), and prints
their addresses. --token checks that an ERC-20 contract exists at ADDRESS
and prints it as the hub's default currency; every deal may use any token.`, stderr)
	rpcURL := fs.String("rpc", "", "JSON-RPC URL of the chain (a Polygon node, for example)")
	keyFile := fs.String("key", "", "file holding the deployer's hex private key")
	token := fs.String("token", "", "ERC-20 token address to check and print (optional)")
	arbitrator := fs.String("arbitrator", "", "existing arbitrator address (default: deploy a CommunityArbitrator)")
	fund := fs.Duration("fund", escrow.DefaultTimeouts.Fund, "how long a created deal may wait for funding")
	deliver := fs.Duration("deliver", escrow.DefaultTimeouts.Deliver, "how long a funded deal may wait for delivery")
	confirm := fs.Duration("confirm", escrow.DefaultTimeouts.Confirm, "how long a delivered deal may wait for the buyer")
	dispute := fs.Duration("dispute", escrow.DefaultTimeouts.Dispute, "how long a dispute may wait for a ruling")
	def := fs.String("default", "buyer", "who an undecided dispute favours: buyer (refund) or seller (release)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "market escrow deploy: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *rpcURL == "" || *keyFile == "" {
		fmt.Fprintln(stderr, "market escrow deploy: --rpc URL and --key FILE are required")
		return exitUsage
	}
	t := escrow.Timeouts{Fund: *fund, Deliver: *deliver, Confirm: *confirm, Dispute: *dispute}
	switch *def {
	case "buyer":
		t.DisputeDefault = escrow.RulingBuyer
	case "seller":
		t.DisputeDefault = escrow.RulingSeller
	default:
		fmt.Fprintf(stderr, "market escrow deploy: --default must be buyer or seller, got %q\n", *def)
		return exitUsage
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
			fmt.Fprintf(stderr, "market escrow deploy: --%s %q is not a 0x address\n", a.flag, a.val)
			return exitUsage
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
	fs := newFlagSet("market escrow show", `Usage: market escrow show DEAL [--db FILE | --config FILE]
       market escrow show DEAL --rpc URL --escrow ADDRESS [--from-block N]

Prints a deal's state and history, from the ledger (a bbolt file: by
default escrow.db in the data directory that --config or MARKET_DATA_DIR
names, ./data without either) or from an Escrow contract on an EVM chain.`, stderr)
	db := fs.String("db", "", "the ledger's bbolt file (default: escrow.db in the configured data directory, data_dir or MARKET_DATA_DIR)")
	load := configFlags(fs)
	rpcURL := fs.String("rpc", "", "JSON-RPC URL: read the deal from a chain instead of the ledger")
	addr := fs.String("escrow", "", "the Escrow contract's address (with --rpc)")
	from := fs.Uint64("from-block", 0, "the block the contract was deployed in (where history starts)")
	// Accept the deal id before or after the flags.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "market escrow show: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if id == "" {
		fmt.Fprintln(stderr, "market escrow show: missing DEAL (a deal id, a positive integer)")
		fs.Usage()
		return exitUsage
	}
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		fmt.Fprintf(stderr, "market escrow show: DEAL must be a deal id (a positive integer), got %q\n", id)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), escrowTimeout)
	defer cancel()
	var e escrow.Escrow
	if *rpcURL != "" {
		if !common.IsHexAddress(*addr) {
			fmt.Fprintf(stderr, "market escrow show: --escrow must be the contract's 0x address, got %q\n", *addr)
			return exitUsage
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
