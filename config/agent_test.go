package config

import (
	"strings"
	"testing"
	"time"
)

// TestAgentTimeouts: the escrow agent's deadlines are 0 (the defaults)
// or at least a second, and the example file's are read.
func TestAgentTimeouts(t *testing.T) {
	for name, tc := range map[string]struct {
		t    AgentTimeouts
		want string
	}{
		"defaults":       {AgentTimeouts{}, ""},
		"set":            {AgentTimeouts{Fund: Duration(time.Hour), Deliver: Duration(2 * time.Hour), Confirm: Duration(time.Second)}, ""},
		"under a second": {AgentTimeouts{Confirm: Duration(time.Millisecond)}, "hub.agent.timeouts.confirm"},
		"negative":       {AgentTimeouts{Fund: Duration(-time.Hour)}, "hub.agent.timeouts.fund"},
	} {
		c, err := LoadHub("", nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Hub.Agent.Timeouts = tc.t
		err = c.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	c, err := LoadHub("../deploy/hub.example.yaml", nil)
	if err != nil || c.Hub.Agent.Timeouts.Deliver != Duration(336*time.Hour) {
		t.Fatalf("the example's agent timeouts: %+v %v", c.Hub.Agent.Timeouts, err)
	}
}
