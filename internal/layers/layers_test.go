package layers

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/sovereign-marketplace/market/"

// rank is the layer of each top-level directory; higher may import lower.
var rank = map[string]int{
	"listing": 0, "boltgroup": 0,
	"config":     1, // settings are checked with listing's vocabulary
	"federation": 2, "index": 2, "privacy": 2, "escrow": 2, "credential": 2, "kg": 2,
	"node": 3, "web": 3, "deal": 3, "product": 3, "community": 3, "searchapi": 3,
	"relay": 4, "hub": 4,
	"internal": 5, // test rigs (testhub) and this check
	"cmd":      6, "bench": 6, "deploy": 6,
}

// isolated packages import nothing of the project's.
var isolated = map[string]bool{"privacy": true, "listing": true, "boltgroup": true}

// top is the top-level directory of a package path inside the module.
func top(pkg string) string {
	rel := strings.TrimPrefix(pkg, module)
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return rel
}

// allowed says whether package from may import package to.
func allowed(from, to string) (bool, string) {
	f, t := top(from), top(to)
	if f == t {
		return true, ""
	}
	if isolated[f] {
		return false, f + " imports nothing of the project's"
	}
	rf, okf := rank[f]
	rt, okt := rank[t]
	if !okf || !okt {
		return false, "a top-level package missing from the layer table (add it to ARCHITECTURE.md and here)"
	}
	if rf <= rt {
		return false, "an import upward or sideways: " + f + " is in layer " + strconv.Itoa(rf) + ", " + t + " in layer " + strconv.Itoa(rt)
	}
	return true, ""
}

func TestAllowed(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"relay", "node", true}, {"node", "relay", false}, {"federation", "listing", true}, {"listing", "config", false}, {"config", "listing", true}, {"federation", "config", true},
		{"index", "federation", false}, {"escrow", "escrow/internal/evmbind", true}, {"cmd/market", "relay", true},
		{"privacy", "listing", false}, {"hub", "relay", false}, {"newthing", "listing", false},
		{"relay", "searchapi", true}, {"hub", "searchapi", true}, {"searchapi", "index", true}, {"searchapi", "node", false}, {"index", "searchapi", false},
	} {
		if ok, why := allowed(module+tc.from, module+tc.to); ok != tc.ok {
			t.Errorf("%s → %s: allowed %v (%s), want %v", tc.from, tc.to, ok, why, tc.ok)
		}
	}
}

// TestImportsFlowDownward lists every package of the module with go list
// and checks each non-test import against the layers.
func TestImportsFlowDownward(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the go command is not on PATH")
		}
		t.Skip("the go command is not on PATH")
	}
	cmd := exec.Command(goTool, "list", "-json=ImportPath,Imports", module+"...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	checked := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			checked++
			if ok, why := allowed(p.ImportPath, imp); !ok {
				t.Errorf("%s imports %s: %s", strings.TrimPrefix(p.ImportPath, module), strings.TrimPrefix(imp, module), why)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d imports of the project's own packages checked; the listing must be wrong", checked)
	}
}
