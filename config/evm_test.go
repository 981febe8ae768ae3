package config

import (
	"strings"
	"testing"
	"time"
)

func TestHubEVM(t *testing.T) {
	c, err := Load("", nil)
	if err != nil || c.Hub.EVM.Enabled() || c.Hub.EVM.PollInterval.D() != 2*time.Second {
		t.Fatalf("default hub.evm = %+v, %v", c.Hub.EVM, err)
	}
	p := writeFile(t, "hub:\n  evm:\n    rpc_url: http://127.0.0.1:8545\n    chain_id: 1337\n    contract: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n    key_file: /keys/hub.key\n")
	c, err = Load(p, []string{"MARKET_HUB_EVM_CHAIN_ID=137", "MARKET_HUB_EVM_POLL_INTERVAL=250ms", "MARKET_HUB_EVM_FROM_BLOCK=42", "MARKET_HUB_EVM_CONFIRMATIONS=12"})
	if err != nil {
		t.Fatal(err)
	}
	if e := c.Hub.EVM; !e.Enabled() || e.ChainID != 137 || e.KeyFile != "/keys/hub.key" || e.PollInterval.D() != 250*time.Millisecond || e.FromBlock != 42 || e.Confirmations != 12 {
		t.Errorf("hub.evm = %+v", e)
	}
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"MARKET_HUB_EVM_CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3"}, "hub.evm.rpc_url"},
		{[]string{"MARKET_HUB_EVM_RPC_URL=file:///etc/passwd", "MARKET_HUB_EVM_CHAIN_ID=1337", "MARKET_HUB_EVM_CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3", "MARKET_HUB_EVM_KEY_FILE=k"}, "hub.evm.rpc_url"},
		{[]string{"MARKET_HUB_EVM_RPC_URL=http://127.0.0.1:8545", "MARKET_HUB_EVM_CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3", "MARKET_HUB_EVM_KEY_FILE=k"}, "hub.evm.chain_id"},
		{[]string{"MARKET_HUB_EVM_RPC_URL=http://127.0.0.1:8545", "MARKET_HUB_EVM_CHAIN_ID=1337", "MARKET_HUB_EVM_CONTRACT=escrow", "MARKET_HUB_EVM_KEY_FILE=k"}, "hub.evm.contract"},
		{[]string{"MARKET_HUB_EVM_RPC_URL=http://127.0.0.1:8545", "MARKET_HUB_EVM_CHAIN_ID=1337", "MARKET_HUB_EVM_CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3"}, "hub.evm.key_file"},
		{[]string{"MARKET_HUB_EVM_CHAIN_ID=one"}, "MARKET_HUB_EVM_CHAIN_ID"},
		{[]string{"MARKET_HUB_EVM_POLL_INTERVAL=0s"}, "hub.evm.poll_interval"},
		{[]string{"MARKET_HUB_EVM_RPC_URL=http://127.0.0.1:8545", "MARKET_HUB_EVM_CHAIN_ID=1337", "MARKET_HUB_EVM_CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3", "MARKET_HUB_EVM_KEY_FILE=k", "MARKET_HUB_EVM_CONFIRMATIONS=10001"}, "hub.evm.confirmations"},
		{[]string{"MARKET_HUB_EVM_CONFIRMATIONS=-1"}, "MARKET_HUB_EVM_CONFIRMATIONS"},
	} {
		if _, err := Load("", tc.env); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.env, err, tc.want)
		}
	}
}
