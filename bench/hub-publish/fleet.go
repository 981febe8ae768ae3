package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/federation"
)

// fleet is the hub's followers: hosts loopback servers, each with
// perHost Person actors that share the host's shared inbox (as the users
// of one Mastodon server do). Every inbox, shared or personal, is a
// federation.Inbox: it fetches the hub's key and verifies each request's
// signature, digest and date before counting what it received.
type fleet struct {
	hosts []*host

	accepts atomic.Int64 // Accepts of the followers' Follows (personal inboxes)

	mu       sync.Mutex
	creates  []time.Time    // when each Create was accepted at a shared inbox
	byHost   map[string]int // shared inbox → Creates it received
	personal int            // Creates that went to a personal inbox instead
	notify   chan struct{}
}

// host is one follower server.
type host struct {
	base      string
	srv       *http.Server
	followers []follower
}

// follower is one actor that follows the hub.
type follower struct {
	id     string
	signer *federation.Signer
}

// newFleet starts hosts servers with perHost actors each. The actors'
// keys come from a small pool of RSA keys (each actor has its own key id
// and document; generating a thousand 2048-bit keys would only slow the
// set-up): what is measured is the hub's signing and the receivers'
// verification of the hub's signatures, which use the hub's one key.
func newFleet(hosts, perHost int) (*fleet, error) {
	keys, err := keyPool(min(8, hosts*perHost))
	if err != nil {
		return nil, err
	}
	f := &fleet{byHost: map[string]int{}, notify: make(chan struct{}, 1)}
	for i := 0; i < hosts; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.close()
			return nil, err
		}
		h := &host{base: "http://" + ln.Addr().String()}
		client := federation.NewClient(federation.NewHTTPClient(true, 10*time.Second), nil, time.Hour, nil)
		shared := &federation.Inbox{Client: client, Handler: receiver{f, h, true}}
		personal := &federation.Inbox{Client: client, Handler: receiver{f, h, false}}
		mux := http.NewServeMux()
		mux.Handle("POST /inbox", shared)
		for j := 0; j < perHost; j++ {
			id := fmt.Sprintf("%s/users/f%d", h.base, j)
			key := keys[(i*perHost+j)%len(keys)]
			pem, err := federation.PublicKeyPEM(&key.PublicKey)
			if err != nil {
				ln.Close()
				f.close()
				return nil, err
			}
			actor := &federation.Actor{
				ID: id, Type: "Person", PreferredUsername: fmt.Sprintf("f%d", j),
				Inbox: id + "/inbox", Outbox: id + "/outbox", Followers: id + "/followers", Following: id + "/following",
				Endpoints: &federation.Endpoints{SharedInbox: h.base + "/inbox"},
				PublicKey: federation.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: pem},
			}
			path := fmt.Sprintf("/users/f%d", j)
			mux.Handle("GET "+path, federation.ActorHandler(actor))
			mux.Handle("POST "+path+"/inbox", personal)
			h.followers = append(h.followers, follower{id: id, signer: &federation.Signer{KeyID: actor.PublicKey.ID, Key: key}})
		}
		h.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go h.srv.Serve(ln)
		f.hosts = append(f.hosts, h)
	}
	return f, nil
}

// keyPool generates n RSA-2048 keys on two goroutines.
func keyPool(n int) ([]*rsa.PrivateKey, error) {
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 2 {
				keys[i], errs[i] = rsa.GenerateKey(rand.Reader, 2048)
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// close stops every host.
func (f *fleet) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, h := range f.hosts {
		h.srv.Shutdown(ctx)
	}
}

// followers lists every actor of the fleet.
func (f *fleet) followers() []follower {
	var out []follower
	for _, h := range f.hosts {
		out = append(out, h.followers...)
	}
	return out
}

// receiver is the Handler of one host's inboxes: it counts what passed
// the inbox's checks.
type receiver struct {
	f      *fleet
	h      *host
	shared bool
}

func (r receiver) HandleActivity(ctx context.Context, a *federation.Activity) error {
	switch a.Type {
	case "Accept":
		r.f.accepts.Add(1)
	case "Create":
		r.f.mu.Lock()
		if r.shared {
			r.f.creates = append(r.f.creates, time.Now())
			r.f.byHost[r.h.base]++
		} else {
			r.f.personal++
		}
		r.f.mu.Unlock()
	}
	select {
	case r.f.notify <- struct{}{}:
	default:
	}
	return nil
}

// received returns when each Create was accepted at a shared inbox, how
// many shared inboxes got one, the most one got, and how many Creates
// went to personal inboxes.
func (f *fleet) received() (at []time.Time, inboxes, most, personal int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.byHost {
		most = max(most, n)
	}
	return append([]time.Time(nil), f.creates...), len(f.byHost), most, f.personal
}

// follow has every actor of the fleet send a signed Follow of the hub's
// owner to the hub's inbox, conc at a time, and waits until every Follow
// is answered 202.
func (f *fleet) follow(ctx context.Context, ownerID, inbox string, conc int) error {
	all := f.followers()
	return benchkit.Each(len(all), conc, func(i int) error { return all[i].sendFollow(ctx, ownerID, inbox) })
}

func (fl follower) sendFollow(ctx context.Context, ownerID, inbox string) error {
	body, err := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       fl.id + "/follows/1",
		"type":     "Follow",
		"actor":    fl.id,
		"object":   ownerID,
	})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", federation.ContentType)
	if err := fl.signer.Sign(req, body); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("Follow by %s: %w", fl.id, err)
	}
	var msg bytes.Buffer
	msg.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("Follow by %s: %d %s", fl.id, resp.StatusCode, msg.String())
	}
	return nil
}
