package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/listing"
)

// EVM configures a hub's EVM escrow (hub.evm): the JSON-RPC endpoint of
// the chain, the Escrow contract its deals use, and the key file of the
// hub's own account, which funds (as buyer) and marks delivered (as
// seller) on chain. Setting rpc_url turns it on; then chain_id, contract
// and key_file are required. The hub follows the contract's events from
// from_block on, every poll_interval.
type EVM struct {
	// RPCURL is the chain's JSON-RPC endpoint (MARKET_HUB_EVM_RPC_URL).
	RPCURL string `yaml:"rpc_url"`
	// ChainID is the chain's id; the hub refuses to start on another
	// chain (MARKET_HUB_EVM_CHAIN_ID).
	ChainID uint64 `yaml:"chain_id"`
	// Contract is the Escrow contract's address (MARKET_HUB_EVM_CONTRACT).
	Contract string `yaml:"contract"`
	// KeyFile holds the hub's account's private key, 64 hex digits, mode
	// 0600 (MARKET_HUB_EVM_KEY_FILE).
	KeyFile string `yaml:"key_file"`
	// FromBlock is where the hub starts reading the contract's events the
	// first time: the block the contract was deployed in
	// (MARKET_HUB_EVM_FROM_BLOCK). Later starts resume where it stopped.
	FromBlock uint64 `yaml:"from_block"`
	// PollInterval is how often the hub asks the chain for new events
	// (MARKET_HUB_EVM_POLL_INTERVAL).
	PollInterval Duration `yaml:"poll_interval"`
	// Confirmations is how many blocks must follow a block before the
	// hub believes the escrow events in it (MARKET_HUB_EVM_CONFIRMATIONS):
	// a chain may reorganise its latest blocks, and an event that
	// vanished must not have moved a deal. 0 believes the head (a local
	// dev chain); public chains want more, such as 12 on Ethereum.
	Confirmations uint64 `yaml:"confirmations"`
}

// MaxConfirmations bounds hub.evm.confirmations.
const MaxConfirmations = 10000

// Enabled reports whether the hub uses an EVM escrow.
func (e EVM) Enabled() bool { return e.RPCURL != "" }

// defaultEVMPoll is PollInterval when not set.
const defaultEVMPoll = 2 * time.Second

func (e EVM) validate(bad func(string, string, ...any)) {
	if e.PollInterval < Duration(10*time.Millisecond) || e.PollInterval > Duration(time.Hour) {
		bad("hub.evm.poll_interval", "must be from 10ms to 1h, got %s", e.PollInterval.D())
	}
	if !e.Enabled() {
		if e.ChainID != 0 || e.Contract != "" || e.KeyFile != "" {
			bad("hub.evm.rpc_url", "must be set (the chain's JSON-RPC URL, such as http://127.0.0.1:8545) when hub.evm.chain_id, contract or key_file is")
		}
		return
	}
	if u, err := url.Parse(e.RPCURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
		bad("hub.evm.rpc_url", "must be an http(s) or ws(s) URL such as http://127.0.0.1:8545, got %q", e.RPCURL)
	}
	if e.ChainID < 1 || e.ChainID > listing.MaxChainID {
		bad("hub.evm.chain_id", "must be the chain's id, from 1 to %d (1337 for the dev chain, 137 for Polygon), got %d", int64(listing.MaxChainID), e.ChainID)
	}
	if !listing.IsHexAddress(e.Contract) {
		bad("hub.evm.contract", "must be the Escrow contract's 0x address (40 hex digits), got %q", e.Contract)
	}
	if e.Confirmations > MaxConfirmations {
		bad("hub.evm.confirmations", "must be from 0 to %d blocks, got %d", MaxConfirmations, e.Confirmations)
	}
	if strings.TrimSpace(e.KeyFile) == "" {
		bad("hub.evm.key_file", "must name the file holding the hub's EVM private key (64 hex digits, mode 0600)")
	}
}

// evmEnvVars are the environment variables of hub.evm.
var evmEnvVars = []envVar{
	{"MARKET_HUB_EVM_RPC_URL", "hub.evm.rpc_url", func(c *Config, v string) error { c.Hub.EVM.RPCURL = strings.TrimSpace(v); return nil }},
	{"MARKET_HUB_EVM_CHAIN_ID", "hub.evm.chain_id", func(c *Config, v string) error {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("want the chain's id, a whole number such as 1337, got %q", v)
		}
		c.Hub.EVM.ChainID = n
		return nil
	}},
	{"MARKET_HUB_EVM_CONTRACT", "hub.evm.contract", func(c *Config, v string) error { c.Hub.EVM.Contract = strings.TrimSpace(v); return nil }},
	{"MARKET_HUB_EVM_CONFIRMATIONS", "hub.evm.confirmations", func(c *Config, v string) error {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("want a number of blocks such as 12, got %q", v)
		}
		c.Hub.EVM.Confirmations = n
		return nil
	}},
	{"MARKET_HUB_EVM_KEY_FILE", "hub.evm.key_file", func(c *Config, v string) error { c.Hub.EVM.KeyFile = v; return nil }},
	{"MARKET_HUB_EVM_FROM_BLOCK", "hub.evm.from_block", func(c *Config, v string) error {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("want a block number, got %q", v)
		}
		c.Hub.EVM.FromBlock = n
		return nil
	}},
	{"MARKET_HUB_EVM_POLL_INTERVAL", "hub.evm.poll_interval", func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf(`want a duration such as "2s", got %q`, v)
		}
		c.Hub.EVM.PollInterval = Duration(d)
		return nil
	}},
}
