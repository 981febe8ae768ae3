package hub_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/hub"
	"github.com/sovereign-marketplace/market/internal/testhub"
)

// TestDealWait: a GET of one deal with ?changed_from=<state>&wait=<s>
// answers once the copy's state is another (the buyer's copy, waiting on
// its offer, answers with the seller's acceptance), at once when it is
// already another, and with the copy as it is when the wait ends; wrong
// parameters are refused naming the parameter, and change nothing.
func TestDealWait(t *testing.T) {
	o := openOffer(t)
	seller, buyer, st, bt, key := o.seller, o.buyer, o.st, o.bt, o.key
	get := func(h *testhub.MarketHub, token, query string) (int, hub.DealView, string) {
		code, body := h.API(t, token, "GET", "/api/v1/owner/deals/"+key+query, nil)
		var v hub.DealView
		json.Unmarshal(body, &v)
		return code, v, string(body)
	}

	for _, q := range []string{"?wait=5", "?changed_from=offered", "?changed_from=offered&wait=0", "?changed_from=offered&wait=31",
		"?changed_from=offered&wait=soon", "?changed_from=&wait=5", "?changed_from=" + strings.Repeat("x", 40) + "&wait=5"} {
		if code, _, body := get(buyer, bt, q); code != http.StatusBadRequest {
			t.Errorf("GET %s: %d %s, want 400", q, code, body)
		}
	}
	if code, _, _ := get(buyer, "", "?changed_from=offered&wait=1"); code != http.StatusUnauthorized {
		t.Errorf("a wait without a token: %d, want 401", code)
	}
	if code, v, body := get(buyer, bt, "?changed_from=offered&wait=1"); code != http.StatusOK || v.State != deal.StateOffered {
		t.Fatalf("a wait that ends with no change: %d %s, want 200 and the copy still offered", code, body)
	}
	if code, v, body := get(buyer, bt, "?changed_from=funded&wait=30"); code != http.StatusOK || v.State != deal.StateOffered {
		t.Fatalf("changed from a state the copy is not in: %d %s, want the copy at once", code, body)
	}

	type answer struct {
		code int
		v    hub.DealView
		body string
	}
	waited := make(chan answer, 1)
	go func() {
		code, v, body := get(buyer, bt, "?changed_from=offered&wait=30")
		waited <- answer{code, v, body}
	}()
	if code, body := seller.API(t, st, "POST", "/api/v1/owner/offers/"+key+"/accept", nil); code != http.StatusOK {
		t.Fatalf("accept: %d %s", code, body)
	}
	a := <-waited
	if a.code != http.StatusOK || a.v.State == deal.StateOffered || a.v.State == "" {
		t.Fatalf("waiting on the offer: %d %s, want the copy once the seller accepted", a.code, a.body)
	}
}
