package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/config"
	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// agentHistory is the escrow agent's own history of the deal of
// agreement, read from its ledger, as the steps the hubs' copies mirror:
// "seq action from→to by at".
func agentHistory(t *testing.T, agent *testhub.MarketHub, agreement string) []string {
	t.Helper()
	ctx := context.Background()
	ad, err := agent.AgentDeal(ctx, agreement)
	if err != nil {
		t.Fatalf("the agent's deal: %v", err)
	}
	l, err := escrow.NewLedger(agent.Node().DB, escrow.LedgerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hist, err := l.History(ctx, ad.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range hist {
		if ev.Action == escrow.ActionDisputeLost || ev.Action == escrow.ActionVote {
			continue
		}
		from := string(ev.From)
		if ev.Action == escrow.ActionCreate {
			from = string(deal.StateAccepted) // the copies' deal before the agent's
		}
		out = append(out, fmt.Sprintf("%d %s %s→%s by %s at %s", len(out)+1, ev.Action, from, ev.To, ev.By, ev.At.UTC().Format(time.RFC3339Nano)))
	}
	return out
}

// copyHistory is a hub's copy's escrow steps, as agentHistory writes them.
func copyHistory(d *deal.Deal) []string {
	var out []string
	for _, e := range d.History {
		if e.Seq > 0 {
			out = append(out, fmt.Sprintf("%d %s %s→%s by %s at %s", e.Seq, e.Action, e.From, e.To, e.By, e.At.UTC().Format(time.RFC3339Nano)))
		}
	}
	return out
}

// refusal is the status with which a hub and the agent refuse action by
// party (buyer, seller) on a deal in state, by the state table: 409 when
// the state does not allow it, 403 when the party may not; 0 when
// allowed.
func refusal(action escrow.Action, state escrow.Status, party string) int {
	role := escrow.RoleBuyer
	if party == "seller" {
		role = escrow.RoleSeller
	}
	_, err := escrow.Allowed(action, state, role)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, escrow.ErrForbidden):
		return http.StatusForbidden
	}
	return http.StatusConflict
}

// TestDealCopiesAgree: every escrow transition of a deal between real
// hubs on loopback is attempted by the wrong party, out of order and
// twice, through the owner API (the party's hub refuses) and as a signed
// request straight to the agent (the agent refuses), after a restart of
// each server in turn (closed and reopened on its data directory); the
// right step applies once, and after every step the buyer's and the
// seller's copies of the deal hold exactly the agent's history.
func TestDealCopiesAgree(t *testing.T) {
	ctx := context.Background()
	cfgs := map[string]config.Config{}
	for _, name := range []string{"seller", "buyer", "agent"} {
		c := testhub.HubConfig(t, t.TempDir(), map[string]string{"seller": "ana", "buyer": "bo", "agent": "coop"}[name])
		c.Hub.Agent.Enabled = name == "agent"
		cfgs[name] = c
	}
	hubs := map[string]*testhub.MarketHub{}
	for name, c := range cfgs {
		hubs[name] = testhub.StartMarketHub(t, c, nil)
	}
	tokens := map[string]string{"seller": hubs["seller"].Token(t, "full"), "buyer": hubs["buyer"].Token(t, "full")}
	lv := consulting(t, hubs["seller"], tokens["seller"], hubs["agent"])
	if _, err := hubs["agent"].AgentPayment(ctx, true, hubs["buyer"].ActorID(), "25000 USD"); err != nil {
		t.Fatal(err)
	}
	code, body := hubs["buyer"].API(t, tokens["buyer"], "POST", "/api/v1/owner/offers",
		map[string]any{"listing": lv.FederatedAPID, "quantity": 1, "escrow": hubs["agent"].ActorID()})
	if code != http.StatusCreated {
		t.Fatalf("offer: %d %s", code, body)
	}
	var dv hub.DealView
	json.Unmarshal(body, &dv)
	key := dv.Key
	testhub.Eventually(t, "the seller's hub has the offer", func() bool { return dealState(hubs["seller"], key) == deal.StateOffered })
	if code, body := hubs["seller"].API(t, tokens["seller"], "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	testhub.Eventually(t, "both copies created", func() bool {
		return dealState(hubs["buyer"], key) == "created" && dealState(hubs["seller"], key) == "created"
	})
	bd, _ := hubs["buyer"].Deal(key)
	agreement, escrowDeal := bd.ID, bd.EscrowDeal

	// raw sends a signed request for action by party's own server
	// straight to the agent, past the party's hub's own checks, and
	// returns the agent's status.
	n := 0
	raw := func(party, action string) int {
		t.Helper()
		n++
		h := hubs[party]
		r := &deal.Request{ID: fmt.Sprintf("%s/escrow-requests/raw-%d", h.Config.PublicURL, n), By: h.ActorID(), Action: action, Agreement: agreement, Deal: escrowDeal}
		act, err := federation.Envelope{Type: "Create", ID: fmt.Sprintf("%s/activities/raw-%d", h.Config.PublicURL, n), Actor: h.ActorID(),
			Object: r.Object(), To: []string{hubs["agent"].ActorID()}, Published: time.Now().UTC()}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		err = h.Node().Client.Post(ctx, hubs["agent"].Node().Actor().Inbox, act)
		var de *federation.DeliveryError
		switch {
		case err == nil:
			return http.StatusAccepted
		case errors.As(err, &de) && de.Status != 0:
			return de.Status
		}
		t.Fatalf("%s's request to %s at the agent: %v", party, action, err)
		return 0
	}
	api := func(party, action string) int {
		t.Helper()
		code, _ := hubs[party].API(t, tokens[party], "POST", "/api/v1/owner/deals/"+key+"/"+action, nil)
		return code
	}
	agentState := func() string {
		ad, err := hubs["agent"].AgentDeal(ctx, agreement)
		if err != nil {
			return ""
		}
		return string(ad.Status)
	}
	// agree checks that both copies hold the agent's history, waiting for
	// the agent's updates to land.
	agree := func(when string) {
		t.Helper()
		var want, b, s []string
		defer func() {
			if t.Failed() {
				t.Logf("the agent's history %s:\n%q\nthe buyer's:\n%q\nthe seller's:\n%q", when, want, b, s)
			}
		}()
		testhub.Eventually(t, "the three copies agree "+when, func() bool {
			want = agentHistory(t, hubs["agent"], agreement)
			bd, err1 := hubs["buyer"].Deal(key)
			sd, err2 := hubs["seller"].Deal(key)
			if err1 != nil || err2 != nil {
				return false
			}
			b, s = copyHistory(bd), copyHistory(sd)
			return slices.Equal(b, want) && slices.Equal(s, want)
		})
	}
	// start reopens a stopped server on its data directory; it stops
	// when the whole test ends.
	start := func(name string) { hubs[name] = testhub.StartMarketHub(t, cfgs[name], nil) }
	restart := func(name string) {
		hubs[name].Stop()
		start(name)
	}

	steps := []struct {
		action, by, restart string
		want                escrow.Status
		agentDown           bool // the agent is down when the party acts, and back later
	}{
		{"fund", "buyer", "agent", escrow.StatusFunded, true},
		{"deliver", "seller", "seller", escrow.StatusDelivered, false},
		// The buyer's confirm closes the deal too (confirm, complete).
		{"confirm", "buyer", "agent", escrow.StatusCompleted, false},
	}
	agree("once created")
	for _, st := range steps {
		t.Run(st.action, func(t *testing.T) {
			restart(st.restart)
			before := agentHistory(t, hubs["agent"], agreement)
			state := agentState()

			// Every action the state table does not allow now, by either
			// party (the wrong party, out of order, or done already): its
			// hub refuses it, and so does the agent.
			for _, action := range []escrow.Action{escrow.ActionFund, escrow.ActionDeliver, escrow.ActionConfirm, escrow.ActionComplete, escrow.ActionRefund, escrow.ActionTimeout} {
				for _, party := range []string{"buyer", "seller"} {
					want := refusal(action, escrow.Status(state), party)
					if want == 0 {
						continue // allowed now
					}
					// Only a seller delivers: the buyer's own hub says so (403)
					// before it looks at the state.
					if code := api(party, string(action)); code != want && !(action == escrow.ActionDeliver && party == "buyer" && code == http.StatusForbidden) {
						t.Errorf("%s by the %s while %s, through its hub: %d, want %d", action, party, state, code, want)
					}
					if code := raw(party, string(action)); code != want {
						t.Errorf("%s by the %s while %s, at the agent: %d, want %d", action, party, state, code, want)
					}
				}
			}
			if got := agentHistory(t, hubs["agent"], agreement); !slices.Equal(got, before) || agentState() != state {
				t.Fatalf("refused requests changed the agent's deal: %q, want %q", got, before)
			}

			// The right party, twice: applied once.
			if st.agentDown {
				hubs["agent"].Stop()
			}
			for range 2 {
				if code := api(st.by, st.action); code != http.StatusAccepted {
					t.Fatalf("%s by the %s: %d, want 202", st.action, st.by, code)
				}
			}
			if st.agentDown {
				start("agent")
			}
			testhub.Eventually(t, string(st.want)+" at the agent", func() bool { return agentState() == string(st.want) })
			if code, want := raw(st.by, st.action), refusal(escrow.Action(st.action), st.want, st.by); code != want || want == 0 {
				t.Errorf("%s by the %s once more at the agent: %d, want %d", st.action, st.by, code, want)
			}
			steps := 1
			if st.action == "confirm" {
				steps = 2
			}
			if got := agentHistory(t, hubs["agent"], agreement); len(got) != len(before)+steps {
				t.Fatalf("the agent's history after %s: %q, want %d steps more than %q", st.action, got, steps, before)
			}
			agree("after " + st.action)
		})
	}

	// Each server restarts once more; nothing changes, and the copies
	// still agree.
	for _, name := range []string{"seller", "buyer", "agent"} {
		restart(name)
	}
	agree("after restarting all three")
	if s := agentState(); s != string(escrow.StatusCompleted) {
		t.Fatalf("the agent's deal is %s, want completed", s)
	}
	for who, want := range map[string]int64{hubs["seller"].ActorID(): 20000, hubs["buyer"].ActorID(): 5000} {
		if bal, err := hubs["agent"].AgentBalance(ctx, who, "USD"); err != nil || bal.Int64() != want {
			t.Errorf("%s's balance at the agent: %v %v, want %d", who, bal, err, want)
		}
	}
}
