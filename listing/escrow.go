package listing

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The kinds of escrow a listing may accept.
const (
	// EscrowLedger is an escrow run by an escrow agent: a node holding a
	// community's ledger (see package escrow), named by its actor.
	EscrowLedger = "ledger"
	// EscrowEVM is an Escrow contract on an EVM chain, holding the
	// chain's coin or one ERC-20 token.
	EscrowEVM = "evm"
)

// MaxEscrows bounds how many escrows one listing names.
const MaxEscrows = 8

// NativeToken is the Token of an EVM escrow paid in the chain's own coin.
const NativeToken = "native"

// MaxTokenDecimals bounds an EVM escrow's TokenDecimals.
const MaxTokenDecimals = 36

// MaxChainID bounds an EVM chain id (the largest integer JSON numbers
// carry exactly).
const MaxChainID = 1<<53 - 1

// Escrow is one way the seller accepts to hold a deal's money. Kind
// "ledger" names an escrow agent by its actor URL (Agent). Kind "evm"
// names an Escrow contract (Contract) on chain ChainID and what it is paid
// in: the chain's coin (Token "native") or an ERC-20 token's address, with
// the token's decimals. The seller vouches that one unit of the token (or
// coin) is one unit of the listing's currency: a USD price is paid in a
// USD stablecoin, an ETH price in ether.
type Escrow struct {
	Kind     string `json:"kind"`
	Agent    string `json:"agent,omitempty"`
	ChainID  uint64 `json:"chain_id,omitempty"`
	Contract string `json:"contract,omitempty"` // 0x address, lower case
	Token    string `json:"token,omitempty"`    // "native" or a 0x address, lower case
	Decimals int    `json:"decimals,omitempty"` // the token's (or coin's) decimals
}

var (
	hexAddressRE = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	evmRefRE     = regexp.MustCompile(`^eip155:[1-9][0-9]{0,15}:0x[0-9a-f]{40}/(native|erc20:0x[0-9a-f]{40})$`)
)

// IsHexAddress reports whether s is a 0x-prefixed 20-byte hex address.
func IsHexAddress(s string) bool { return hexAddressRE.MatchString(s) }

// Ref is how offers and deals name the escrow: the agent's actor URL, or
// for an EVM escrow "eip155:<chain id>:<contract>/native" or
// "eip155:<chain id>:<contract>/erc20:<token>" (addresses in lower case).
func (e Escrow) Ref() string {
	if e.Kind != EscrowEVM {
		return e.Agent
	}
	asset := NativeToken
	if e.Token != NativeToken {
		asset = "erc20:" + strings.ToLower(e.Token)
	}
	return fmt.Sprintf("eip155:%d:%s/%s", e.ChainID, strings.ToLower(e.Contract), asset)
}

// IsEscrowRef reports whether s has the form of an escrow's Ref: an
// http(s) URL of at most MaxURL characters or an EVM escrow's reference.
func IsEscrowRef(s string) bool {
	if evmRefRE.MatchString(s) {
		return true
	}
	return len(s) <= MaxURL && IsHTTPURL(s)
}

// Escrow returns the escrow the seller accepts whose Ref is ref (an EVM
// escrow's in any case).
func (l *Listing) Escrow(ref string) (Escrow, bool) {
	for _, e := range l.Escrows {
		if ref != "" && (e.Ref() == ref || e.Kind == EscrowEVM && strings.EqualFold(e.Ref(), ref)) {
			return e, true
		}
	}
	return Escrow{}, false
}

// AcceptsEscrow reports whether the seller accepts the escrow named by
// ref (see Escrow.Ref).
func (l *Listing) AcceptsEscrow(ref string) bool {
	_, ok := l.Escrow(ref)
	return ok
}

// BaseUnits converts an amount in minor units of currency (a deal's
// total) to the base units of an EVM escrow's token: minor units times
// 10^(token decimals - currency decimals). The token must have at least
// the currency's decimals.
func (e Escrow) BaseUnits(minor, currency string) (*big.Int, error) {
	a, ok := new(big.Int).SetString(minor, 10)
	if !ok || a.Sign() < 0 || len(minor) > 20 {
		return nil, fmt.Errorf("%w: amount %q must be minor units of %s", ErrInvalid, short(minor), currency)
	}
	shift := e.Decimals - Decimals(currency)
	if e.Kind != EscrowEVM || shift < 0 {
		return nil, fmt.Errorf("%w: the escrow's token has %d decimals, fewer than %s's %d", ErrInvalid, e.Decimals, currency, Decimals(currency))
	}
	return a.Mul(a, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil)), nil
}

// problem names the field (relative to the escrow) and what is wrong,
// or "" when the escrow is well formed.
func (e Escrow) problem() (field, problem string) {
	switch e.Kind {
	case EscrowLedger:
		if p := urlProblem(e.Agent); p != "" {
			return ".agent", "must be the escrow agent's actor URL: " + p
		}
	case EscrowEVM:
		switch {
		case e.ChainID < 1 || e.ChainID > MaxChainID:
			return ".chain_id", fmt.Sprintf("must be the chain's id, from 1 to %d, got %d", int64(MaxChainID), e.ChainID)
		case !IsHexAddress(e.Contract) || strings.Trim(e.Contract[2:], "0") == "":
			return ".contract", fmt.Sprintf("must be the Escrow contract's 0x address (40 hex digits), got %q", short(e.Contract))
		case e.Token != NativeToken && (!IsHexAddress(e.Token) || strings.Trim(e.Token[2:], "0") == ""):
			return ".token", fmt.Sprintf("must be %q (the chain's coin) or an ERC-20 token's 0x address, got %q", NativeToken, short(e.Token))
		case e.Decimals < 0 || e.Decimals > MaxTokenDecimals:
			return ".decimals", fmt.Sprintf("must be the token's decimals, from 0 to %d, got %d", MaxTokenDecimals, e.Decimals)
		}
	default:
		return ".kind", fmt.Sprintf("must be %q (an escrow agent) or %q (an Escrow contract), got %q", EscrowLedger, EscrowEVM, short(e.Kind))
	}
	return "", ""
}

// normal returns e with its addresses in lower case, as Ref names them.
func (e Escrow) normal() Escrow {
	e.Contract, e.Token = strings.ToLower(e.Contract), strings.ToLower(e.Token)
	return e
}

// outEscrow is an escrow the seller accepts on the wire:
// {"type": "LedgerEscrow", "escrowAgent": <actor URL>} or
// {"type": "EVMEscrow", "chainId": 137, "escrowContract": "0x…",
// "token": "native" | "0x…", "tokenDecimals": 6}.
type outEscrow struct {
	Type     string `json:"type"`
	Agent    string `json:"escrowAgent,omitempty"`
	ChainID  uint64 `json:"chainId,omitempty"`
	Contract string `json:"escrowContract,omitempty"`
	Token    string `json:"token,omitempty"`
	Decimals *int   `json:"tokenDecimals,omitempty"`
}

func (e Escrow) wire() outEscrow {
	if e.Kind == EscrowEVM {
		dec := e.Decimals
		return outEscrow{Type: "EVMEscrow", ChainID: e.ChainID, Contract: e.Contract, Token: e.Token, Decimals: &dec}
	}
	return outEscrow{Type: "LedgerEscrow", Agent: e.Agent}
}

// escrows reads acceptsEscrow: LedgerEscrow objects with an http(s)
// escrowAgent and EVMEscrow objects (chainId, escrowContract, token,
// tokenDecimals), at most MaxEscrows; other kinds are skipped (a later
// version may add them), a malformed one is an error.
func (d *decoder) escrows(raw json.RawMessage) []Escrow {
	var out []Escrow
	for i, it := range d.items(raw) {
		path := fmt.Sprintf("acceptsEscrow[%d]", i)
		m := d.object(it, path)
		if m == nil {
			continue
		}
		var e Escrow
		switch types := d.types(m["type"]); {
		case slices.Contains(types, "LedgerEscrow"):
			e = Escrow{Kind: EscrowLedger, Agent: d.str(m["escrowAgent"], path+".escrowAgent")}
			if p := urlProblem(e.Agent); p != "" {
				d.bad(path+".escrowAgent", "%s", p)
				continue
			}
		case slices.Contains(types, "EVMEscrow"):
			e = Escrow{Kind: EscrowEVM, ChainID: d.uint(m["chainId"], path+".chainId"), Contract: d.str(m["escrowContract"], path+".escrowContract"),
				Token: d.str(m["token"], path+".token"), Decimals: int(d.uint(m["tokenDecimals"], path+".tokenDecimals"))}
			if field, p := e.problem(); p != "" {
				wireField := map[string]string{".chain_id": ".chainId", ".contract": ".escrowContract", ".token": ".token", ".decimals": ".tokenDecimals"}[field]
				d.bad(path+wireField, "%s", p)
				continue
			}
			e = e.normal()
		default:
			continue
		}
		if len(out) == MaxEscrows {
			d.bad("acceptsEscrow", "names more than %d escrows", MaxEscrows)
			break
		}
		out = append(out, e)
	}
	return out
}

// uint reads a whole number member (a JSON number or a decimal string)
// of at most MaxChainID; absent gives 0.
func (d *decoder) uint(raw json.RawMessage, path string) uint64 {
	if isNull(raw) {
		return 0
	}
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > MaxChainID {
		d.bad(path, "must be a whole number from 0 to %d, got %s", int64(MaxChainID), short(string(raw)))
		return 0
	}
	return n
}
