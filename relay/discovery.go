package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// Discovery of linked proposals. Mitra never sends Create(Proposal): a
// Proposal is a document at its own URL, linked from the seller's actor
// document by an attachment
//
//	{"type": "Link", "href": "<proposal URL>", "mediaType": "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
//	 "rel": ["payment", "https://w3id.org/valueflows/ont/vf#Proposal"]}
//
// and other servers learn of it by reading the actor: when they follow it
// and on every Update of the actor. Removing the link (the URL then answers
// 404) withdraws the offer. The relay reads the links of every hub it is
// subscribed with when the follow is accepted (either way), when the hub
// sends an Update of its actor, and on a periodic refresh
// (relay.proposal_refresh); it fetches each linked proposal from its
// origin, checks it like a delivered listing, and drops a discovered
// listing whose link went away or whose URL answers 404 or 410.

const (
	// ProposalRel is the ValueFlows Proposal IRI that a payment Link's rel
	// holds when its href is a Proposal (FEP-0837, as Mitra links it).
	ProposalRel = "https://w3id.org/valueflows/ont/vf#Proposal"
	// paymentRel is the link relation of FEP-0ea0 payment links.
	paymentRel = "payment"
	// MaxProposalLinks is how many linked proposals of one actor the relay
	// reads; further links are ignored (and logged).
	MaxProposalLinks = 16
	// maxDiscoveryQueue bounds the actors waiting to be read; beyond it a
	// request is dropped and left to the next periodic refresh.
	maxDiscoveryQueue = 10000
	// defaultDiscoverySpacing is the least time between two fetches the
	// discovery makes from one host.
	defaultDiscoverySpacing = time.Second
	// metaLastRefresh is the meta key of the last refresh's time.
	metaLastRefresh = "discovery.last_refresh"
)

// Outcomes of the discovery, for market_relay_discovery_total.
const (
	discoveryStored      = "stored"      // a linked proposal stored or updated
	discoveryIgnored     = "ignored"     // not a listing, outside the specialization, or delivered by its hub itself
	discoveryRefused     = "refused"     // failed a check (origin, owner, validation, takedown)
	discoveryUnlinked    = "unlinked"    // dropped: the actor no longer links it
	discoveryGone        = "gone"        // dropped: its URL answered 404 or 410
	discoveryUnreachable = "unreachable" // the actor or a proposal could not be fetched now
	discoveryDeferred    = "deferred"    // the host is backing off after failures; left to a later pass
)

// errBackingOff is returned by pace while a host is backing off.
var errBackingOff = errors.New("host is backing off after failures")

// discovery is the queue of actors whose linked proposals are to be read,
// and the politeness state per host. One goroutine (discoveryLoop) works
// through it; enqueue never blocks.
type discovery struct {
	spacing        time.Duration // least time between two fetches from one host
	initialBackoff time.Duration // wait after a host's first failure, doubling
	maxBackoff     time.Duration
	unreachable    func(host string) bool // the delivery queue gave up on the host
	now            func() time.Time

	mu     sync.Mutex
	queue  []string
	queued map[string]bool
	hosts  map[string]*hostPace
	wake   chan struct{}
}

// hostPace is when the discovery may next fetch from one host.
type hostPace struct {
	next     time.Time // no fetch before this (spacing)
	retryAt  time.Time // while failing: no fetch before this (backoff)
	failures int
}

func newDiscovery(initialBackoff, maxBackoff time.Duration, unreachable func(string) bool, now func() time.Time) *discovery {
	return &discovery{
		spacing:        defaultDiscoverySpacing,
		initialBackoff: initialBackoff,
		maxBackoff:     maxBackoff,
		unreachable:    unreachable,
		now:            now,
		queued:         map[string]bool{},
		hosts:          map[string]*hostPace{},
		wake:           make(chan struct{}, 1),
	}
}

// enqueue asks for actor's linked proposals to be read; a request for an
// actor already waiting is merged with it.
func (d *discovery) enqueue(actor string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.queued[actor] || len(d.queue) >= maxDiscoveryQueue {
		return
	}
	d.queued[actor] = true
	d.queue = append(d.queue, actor)
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// pop takes the next actor to read.
func (d *discovery) pop() (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queue) == 0 {
		return "", false
	}
	actor := d.queue[0]
	d.queue = d.queue[1:]
	delete(d.queued, actor)
	return actor, true
}

// pace waits until the discovery may fetch from host, keeping the spacing
// between fetches. It returns errBackingOff at once when the host failed
// recently or the delivery queue gave up on it, and ctx's error when ctx
// ends first.
func (d *discovery) pace(ctx context.Context, host string) error {
	if d.unreachable != nil && d.unreachable(host) {
		return errBackingOff
	}
	d.mu.Lock()
	p := d.hosts[host]
	if p == nil {
		p = &hostPace{}
		d.hosts[host] = p
	}
	now := d.now()
	if now.Before(p.retryAt) {
		d.mu.Unlock()
		return errBackingOff
	}
	at := now
	if p.next.After(now) {
		at = p.next
	}
	p.next = at.Add(d.spacing)
	d.mu.Unlock()
	if wait := at.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return ctx.Err()
}

// failed backs off from host after a fetch that could not reach it: the
// wait starts at the delivery queue's initial backoff and doubles up to
// its maximum.
func (d *discovery) failed(host string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.hosts[host]
	if p == nil {
		p = &hostPace{}
		d.hosts[host] = p
	}
	p.failures++
	wait := d.initialBackoff
	for i := 1; i < p.failures && wait < d.maxBackoff; i++ {
		wait *= 2
	}
	p.retryAt = d.now().Add(min(wait, d.maxBackoff))
}

// reached clears host's backoff after a fetch it answered.
func (d *discovery) reached(host string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if p := d.hosts[host]; p != nil {
		p.failures, p.retryAt = 0, time.Time{}
	}
}

// forgetIdle drops the pace of hosts that are neither waited for nor
// backing off, so the map does not grow with every host ever read.
func (d *discovery) forgetIdle() {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	for h, p := range d.hosts {
		if p.failures == 0 && now.After(p.next) {
			delete(d.hosts, h)
		}
	}
}

// discoveryLoop reads the linked proposals of queued actors, one at a
// time, and queues every subscribed hub each refresh interval, until ctx
// ends.
func (s *Server) discoveryLoop(ctx context.Context) {
	interval := s.cfg.Relay.ProposalRefresh.D()
	var next time.Time
	if interval > 0 {
		next = s.now()
		_ = s.store.View(func(t *Txn) error {
			if last, err := time.Parse(time.RFC3339Nano, t.Meta(metaLastRefresh)); err == nil {
				next = last.Add(interval)
			}
			return nil
		})
	}
	for ctx.Err() == nil {
		if interval > 0 && !s.now().Before(next) {
			s.refreshProposals()
			next = s.now().Add(interval)
		}
		if actor, ok := s.discovery.pop(); ok {
			s.discover(ctx, actor)
			continue
		}
		var tick <-chan time.Time
		var timer *time.Timer
		if interval > 0 {
			timer = time.NewTimer(next.Sub(s.now()))
			tick = timer.C
		}
		select {
		case <-ctx.Done():
		case <-s.discovery.wake:
		case <-tick:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// refreshProposals queues every hub the relay is subscribed with, for the
// periodic re-reading of their linked proposals.
func (s *Server) refreshProposals() {
	var actors []string
	err := s.store.Update(func(t *Txn) error {
		for _, dir := range []bool{true, false} {
			fs, err := t.Follows().List(dir)
			if err != nil {
				return err
			}
			for _, f := range fs {
				if f.State == federation.FollowAccepted && !slices.Contains(actors, f.Actor) {
					actors = append(actors, f.Actor)
				}
			}
		}
		return t.PutMeta(metaLastRefresh, s.now().Format(time.RFC3339Nano))
	})
	if err != nil {
		s.log.Warn("refresh linked proposals", "error", err)
		return
	}
	s.discovery.forgetIdle()
	s.log.Debug("refreshing linked proposals", "hubs", len(actors))
	for _, a := range actors {
		s.discovery.enqueue(a)
	}
}

// mayDiscover reports whether the relay reads actor's linked proposals: it
// is subscribed (either way, accepted), and neither it nor its domain is
// blocked or off the allow list.
func (s *Server) mayDiscover(actor string) bool {
	if s.rel.ActorBlocked(actor) || s.Blocked(federation.HostOf(actor)) || !s.allowed.allows(actor) {
		return false
	}
	var ok bool
	_ = s.store.View(func(t *Txn) error { ok = subscribed(t, actor); return nil })
	return ok
}

// discover reads actor's document, fetches each proposal it links, stores
// the valid ones, and drops the discovered listings of actor whose link
// went away or whose URL answers 404 or 410. A host that cannot be reached
// changes nothing stored and is backed off from.
func (s *Server) discover(ctx context.Context, actor string) {
	if !s.mayDiscover(actor) {
		return
	}
	host := federation.HostOf(actor)
	if !s.paceOrDefer(ctx, host, actor) {
		return
	}
	remote, err := s.client.RefreshActor(ctx, actor)
	switch {
	case gone(err):
		s.discovery.reached(host)
		s.dropDiscovered(actor, nil, nil) // the actor is gone, and its offers with it
		return
	case err != nil:
		s.fetchFailed(host, "read actor "+actor, err)
		return
	}
	s.discovery.reached(host)
	links, extra := ProposalLinks(remote.Raw, actor)
	if extra > 0 {
		s.log.Warn("actor links more proposals than the relay reads", "actor", actor, "read", MaxProposalLinks, "ignored", extra)
	}
	keep, deleted := map[string]bool{}, map[string]bool{}
	for _, href := range links {
		keep[href] = true
	}
	for _, href := range links {
		if !s.paceOrDefer(ctx, host, actor) {
			break // the rest stay as they are until the next pass
		}
		body, err := s.client.Get(ctx, href)
		if gone(err) {
			s.discovery.reached(host)
			delete(keep, href)
			deleted[href] = true
			continue
		}
		if err != nil {
			if s.fetchFailed(host, "fetch linked proposal "+href, err) {
				break // the host is failing: the rest stay as they are until a later pass
			}
			continue // this document is broken; the others may not be
		}
		s.discovery.reached(host)
		outcome, err := s.storeDiscovered(ctx, actor, href, body)
		if err != nil {
			s.log.Info("linked proposal refused", "actor", actor, "proposal", href, "error", err)
			outcome = discoveryRefused
		}
		s.metrics.discovery.WithLabelValues(outcome).Inc()
	}
	s.dropDiscovered(actor, keep, deleted)
}

// paceOrDefer waits for host's turn; false when the host is backing off
// (counted as deferred) or ctx ended.
func (s *Server) paceOrDefer(ctx context.Context, host, actor string) bool {
	err := s.discovery.pace(ctx, host)
	if errors.Is(err, errBackingOff) {
		s.metrics.discovery.WithLabelValues(discoveryDeferred).Inc()
		s.log.Debug("linked proposals deferred: host is backing off", "actor", actor, "host", host)
	}
	return err == nil
}

// fetchFailed records a failed fetch from host and reports whether the
// host could not be reached (counted, and backed off from); any other
// failure (a malformed answer) is counted as refused.
func (s *Server) fetchFailed(host, what string, err error) bool {
	if errors.Is(s.originFailed(purposeDiscovery, federation.OriginError(what, err)), federation.ErrOriginUnreachable) {
		s.discovery.failed(host)
		s.metrics.discovery.WithLabelValues(discoveryUnreachable).Inc()
		s.log.Info("origin unreachable; backing off", "host", host, "what", what, "error", err)
		return true
	}
	s.discovery.reached(host)
	s.metrics.discovery.WithLabelValues(discoveryRefused).Inc()
	s.log.Info("linked proposal refused", "what", what, "error", err)
	return false
}

// gone reports whether a fetch found the document deleted (404 or 410).
func gone(err error) bool {
	return errors.Is(err, federation.ErrNotFound) || errors.Is(err, federation.ErrGone)
}

// storeDiscovered checks a proposal fetched from href, linked by actor,
// and stores it as a discovered listing.
func (s *Server) storeDiscovered(ctx context.Context, actor, href string, body []byte) (string, error) {
	if int64(len(body)) > s.cfg.Federation.InboxMaxBytes {
		return "", fmt.Errorf("%w: proposal %s is %d bytes, more than federation.inbox_max_bytes (%d)", federation.ErrInvalid, href, len(body), s.cfg.Federation.InboxMaxBytes)
	}
	l, err := listing.Decode(body)
	if errors.Is(err, listing.ErrNotListing) {
		return discoveryIgnored, nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: proposal %s: %v", federation.ErrInvalid, href, err)
	}
	if l.FederatedAPID != href {
		return "", fmt.Errorf("%w: %s serves an object with id %q", federation.ErrForbidden, href, l.FederatedAPID)
	}
	if l.Owner != actor {
		return "", fmt.Errorf("%w: proposal %s is attributed to %q, not to %s, whose actor links it", federation.ErrForbidden, href, l.Owner, actor)
	}
	if s.Blocked(federation.HostOf(href)) || !s.allowed.allows(href) {
		return discoveryIgnored, nil
	}
	outcome, err := s.keepListing(ctx, actor, "", l, &Record{Object: json.RawMessage(body), FetchedVia: href, Arrival: ArrivalDiscovered, LinkedFrom: actor})
	if err != nil {
		return "", err
	}
	if outcome == outcomeApplied {
		return discoveryStored, nil
	}
	return discoveryIgnored, nil
}

// dropDiscovered removes actor's discovered listings that are not in keep
// (all of them when keep is nil); deleted holds the URLs that answered 404
// or 410, the others were unlinked. Listings the hub delivered itself are
// never dropped here.
func (s *Server) dropDiscovered(actor string, keep, deleted map[string]bool) {
	var dropped []string
	err := s.store.Update(func(t *Txn) error {
		dropped = dropped[:0]
		recs, err := t.ListingsOf(actor)
		if err != nil {
			return err
		}
		for _, r := range recs {
			id := r.Listing.FederatedAPID
			if r.Arrival != ArrivalDiscovered || keep[id] {
				continue
			}
			if _, err := t.DeleteListing(id); err != nil {
				return err
			}
			dropped = append(dropped, id)
		}
		return nil
	})
	if err != nil {
		s.log.Warn("drop withdrawn proposals", "actor", actor, "error", err)
		return
	}
	if len(dropped) == 0 {
		return
	}
	for _, id := range dropped {
		outcome := discoveryUnlinked
		if keep == nil || deleted[id] {
			outcome = discoveryGone
		}
		s.metrics.discovery.WithLabelValues(outcome).Inc()
	}
	s.log.Info("linked proposals withdrawn", "actor", actor, "dropped", len(dropped))
	s.listingsChanged(nil, dropped)
}

// ProposalLinks reads the proposals an actor document links in its
// attachment: Links whose rel holds both "payment" and ProposalRel, whose
// mediaType (when given) is ActivityPub JSON, and whose href is an http(s)
// URL on the actor's own origin without user information. It returns at
// most MaxProposalLinks of them, in document order without repeats, and
// how many more there were.
func ProposalLinks(actorDoc []byte, actor string) (links []string, extra int) {
	var doc struct {
		Attachment json.RawMessage `json:"attachment"`
	}
	if json.Unmarshal(actorDoc, &doc) != nil || len(doc.Attachment) == 0 {
		return nil, 0
	}
	var items []json.RawMessage
	if json.Unmarshal(doc.Attachment, &items) != nil {
		items = []json.RawMessage{doc.Attachment} // a single attachment
	}
	origin := sameOrigin(actor)
	for _, raw := range items {
		var link struct {
			Type      stringList `json:"type"`
			Href      string     `json:"href"`
			Rel       stringList `json:"rel"`
			MediaType string     `json:"mediaType"`
		}
		if json.Unmarshal(raw, &link) != nil || !slices.Contains(link.Type, "Link") {
			continue
		}
		if !slices.Contains(link.Rel, paymentRel) || !slices.Contains(link.Rel, ProposalRel) {
			continue
		}
		if link.MediaType != "" && !federation.IsActivityJSON(link.MediaType) {
			continue
		}
		if origin == "" || sameOrigin(link.Href) != origin || slices.Contains(links, link.Href) {
			continue
		}
		if len(links) == MaxProposalLinks {
			extra++
			continue
		}
		links = append(links, link.Href)
	}
	return links, extra
}

// sameOrigin returns the origin (scheme and host, lower case) of an
// http(s) URL without user information or fragment, or "" for anything
// else.
func sameOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !listing.IsHTTPURL(raw) || u.Fragment != "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// stringList reads a JSON string or array of strings.
type stringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = stringList{one}
		return nil
	}
	var many []any
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	for _, v := range many {
		if s, ok := v.(string); ok {
			*l = append(*l, s)
		}
	}
	return nil
}
