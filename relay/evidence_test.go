package relay_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sovereign-marketplace/market/internal/testhub"
	"github.com/sovereign-marketplace/market/relay"
)

// replayEvidence posts body to the relay with exactly the headers of the
// stored signature evidence ev, as anyone who obtained it could; tamper
// may add or change headers first.
func replayEvidence(t *testing.T, ev *relay.Signature, body []byte, tamper func(http.Header)) (int, string) {
	t.Helper()
	method, target, _ := strings.Cut(ev.RequestTarget, " ")
	req, err := http.NewRequest(method, "http://"+ev.Host+target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{
		"Content-Type": ev.ContentType, "Date": ev.Date, "Digest": ev.Digest,
		"Content-Digest": ev.ContentDigest, "Signature-Input": ev.SignatureInput,
	} {
		if v != "" {
			req.Header.Set(name, v)
		}
	}
	if rest, ok := strings.CutPrefix(ev.Header, "Signature "); ok && ev.SignatureInput == "" {
		req.Header.Set("Authorization", "Signature "+rest)
	} else {
		req.Header.Set("Signature", ev.Header)
	}
	if tamper != nil {
		tamper(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

func sha256B64(b []byte) string {
	s := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(s[:])
}

// TestEvidenceCannotBeReplayed: the evidence endpoint withholds a
// signature while its date window is open; and the evidence it serves
// once that window closes (taken here straight from the store while the
// window is still open, the worst case) cannot carry another body into the
// inbox, whatever digest header is added or replaced, for a draft-cavage
// and an RFC 9421 hub alike: each attempt is a 401 and nothing changes.
func TestEvidenceCannotBeReplayed(t *testing.T) {
	cfg := relayConfig(t, t.TempDir())
	r := startRelay(t, cfg)
	api := newAPIClient(t, cfg.PublicURL)
	alice := startHub(t, "alice", "127.0.0.1")
	ana, err := testhub.Start(testhub.Options{Name: "ana", Host: "localhost", Log: testLogger(t), RFC9421: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ana.Close() })

	for word, h := range map[string]*testhub.Hub{"kestrel": alice, "heron": ana} {
		t.Run(word, func(t *testing.T) {
			subscribe(t, r, h)
			l := h.Listing("Original " + word)
			create, err := h.ListingActivity("Create", l)
			if err != nil {
				t.Fatal(err)
			}
			mustSend(t, h, r.inbox(), create)
			original := func() bool {
				got := api.search("q=" + word)
				return got.Total == 1 && len(got.Hits) == 1 && got.Hits[0].Title == l.Title && got.Hits[0].Price.Amount == "25.00"
			}
			eventually(t, "the listing to be searchable", original)

			// The endpoint serves the signed headers but not the signature.
			status, body := api.do("GET", "/api/v1/listings/"+url.PathEscape(l.FederatedAPID), nil)
			var served struct {
				Received  time.Time `json:"received"`
				Signature struct {
					KeyID         string     `json:"key_id"`
					Header        string     `json:"signature"`
					Date          string     `json:"date"`
					Digest        string     `json:"digest"`
					ContentDigest string     `json:"content_digest"`
					WithheldUntil *time.Time `json:"withheld_until"`
				} `json:"signature"`
			}
			if status != http.StatusOK || json.Unmarshal([]byte(body), &served) != nil {
				t.Fatalf("GET listing: %d %s", status, body)
			}
			sig := served.Signature
			window := cfg.Federation.DateWindow.D()
			if sig.Header != "" || sig.WithheldUntil == nil || !sig.WithheldUntil.Equal(served.Received.Add(2*window)) {
				t.Fatalf("signature served while its date window is open: %q, withheld until %v (received %v)", sig.Header, sig.WithheldUntil, served.Received)
			}
			if sig.KeyID != h.ActorID+"#main-key" || sig.Digest+sig.ContentDigest == "" {
				t.Errorf("signed headers not served: %+v", sig)
			}

			rec, err := r.listing(l.FederatedAPID)
			if err != nil || rec.Signature == nil || rec.Signature.Header == "" {
				t.Fatalf("stored evidence: %+v, %v", rec, err)
			}
			ev := rec.Signature
			eventually(t, "the delivery queue to drain", func() bool { return r.Queue().Depth() == 0 })
			before := snapshot(t, r)

			// The evidence is a live signature: the original body passes
			// (a duplicate, applied once).
			if status, body := replayEvidence(t, ev, rec.Activity, nil); status != http.StatusAccepted {
				t.Fatalf("replay of the original body: %d %s; the evidence should still verify", status, body)
			}

			forged := *l
			forged.Title = "Forged title"
			forged.Price.Amount = "0.01"
			other := h.Listing("Forged new listing")
			for name, forgedBody := range map[string][]byte{
				"Update with a new title and price": h.Activity("Update", json.RawMessage(mustEncode(t, &forged))),
				"Create of a new listing":           h.Activity("Create", json.RawMessage(mustEncode(t, other))),
				"Delete of the listing":             h.Activity("Delete", l.FederatedAPID),
				"Delete of the actor":               h.Activity("Delete", h.ActorID),
			} {
				digests := map[string]func(http.Header){
					"as served": nil,
					"with a Digest of the new body": func(hd http.Header) {
						hd.Set("Digest", "SHA-256="+sha256B64(forgedBody))
					},
					"with a Content-Digest of the new body": func(hd http.Header) {
						hd.Set("Content-Digest", "sha-256=:"+sha256B64(forgedBody)+":")
					},
					"with both digests of the new body": func(hd http.Header) {
						hd.Set("Digest", "SHA-256="+sha256B64(forgedBody))
						hd.Set("Content-Digest", "sha-256=:"+sha256B64(forgedBody)+":")
					},
				}
				for how, tamper := range digests {
					if status, body := replayEvidence(t, ev, forgedBody, tamper); status != http.StatusUnauthorized {
						t.Errorf("%s, %s: %d %s; want 401", name, how, status, body)
					}
				}
			}
			if after := snapshot(t, r); after != before {
				t.Fatal("a replay of served evidence changed the relay's state")
			}
			if got := api.search("q=forged"); got.Total != 0 {
				t.Errorf("search finds %d forged listings", got.Total)
			}
			eventually(t, "the original listing, unchanged, in search after the replays", original)
		})
	}
}
