package escrow

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLeavesOutSimulatedChain keeps go-ethereum's simulated chain
// (and simchain, which wraps it) out of the market binary: only tests and
// bench/ may link it.
func TestBinaryLeavesOutSimulatedChain(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go command is not on PATH")
		}
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/sovereign-marketplace/market/cmd/market").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := string(out)
	if !strings.Contains(deps, "github.com/sovereign-marketplace/market/escrow\n") {
		t.Fatalf("cmd/market does not depend on escrow; the check would prove nothing:\n%s", deps)
	}
	for _, banned := range []string{"github.com/ethereum/go-ethereum/ethclient/simulated", "github.com/sovereign-marketplace/market/escrow/simchain"} {
		if strings.Contains(deps, banned+"\n") {
			t.Errorf("the market binary links %s", banned)
		}
	}
}
