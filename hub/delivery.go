package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// Delivery by listing type. The seller's hub delivers; what it does
// depends on the kind of thing sold (deal.Delivery.Kind, the listing's
// type), each kind a deliverer:
//
//   - service: the seller marks it delivered (the agent's deliver); the
//     buyer's confirm, or the agent's confirm deadline, releases the money.
//   - physical: the buyer's shipping address goes to the seller only (a
//     ShippingAddress in a Create to the seller, with the offer or after
//     it), never to the agent or anyone else; the seller marks it
//     delivered with a tracking note, sent to the buyer only.
//   - digital: once the deal is funded (or accepted, when free), the
//     seller's hub sends the buyer a time-limited download link of the
//     file attached to the listing and marks the deal delivered at the
//     agent; only the buyer's hub can
//     fetch the link (a GET signed with its actor's key), and it checks
//     the SHA-256, keeps the file for its owner and records the digest as
//     evidence, as the seller's copy does. (The escrow's own evidence
//     action belongs to disputes, which the state table allows it only
//     in; when disputes go between hubs, this digest is what each party
//     submits.)
//   - data product: delivered through the privacy engine by a later
//     version; its deliverer refuses, and offers on one are refused
//     (deal.DeliveryFor).
type deliverer interface {
	// deliver is the seller's delivery of d (funded), with what the
	// owner gave (a tracking note).
	deliver(ctx context.Context, s *Server, d *deal.Deal, req DeliverRequest) error
}

// deliverers maps each delivery kind to its deliverer; a deal made
// before delivery kinds ("") is a service.
var deliverers = map[listing.Type]deliverer{
	"":                      serviceDelivery{},
	listing.TypeService:     serviceDelivery{},
	listing.TypePhysical:    physicalDelivery{},
	listing.TypeDigital:     digitalDelivery{},
	listing.TypeDataProduct: dataProductDelivery{},
}

// DeliverRequest is the optional body of POST
// /api/v1/owner/deals/{key}/deliver.
type DeliverRequest struct {
	// Tracking is a physical good's tracking note (carrier and number,
	// or how it was handed over).
	Tracking string `json:"tracking,omitempty"`
}

// DefaultDownloadLifetime is how long a digital good's download link
// works.
const DefaultDownloadLifetime = 24 * time.Hour

// deliveryState is the hub's delivery machinery.
type deliveryState struct {
	wake chan struct{}
	// lifetime is the download links' lifetime in nanoseconds.
	lifetime atomic.Int64
	// verify checks signed GETs of download links (the inbox's checks).
	verify *federation.Inbox
	// sendMu serialises the sending of links, fetchMu the fetching of
	// files.
	sendMu, fetchMu sync.Mutex
}

// openDelivery creates delivery's buckets and serves its routes; Open
// calls it.
func (s *Server) openDelivery() error {
	s.dl.wake = make(chan struct{}, 1)
	s.dl.lifetime.Store(int64(DefaultDownloadLifetime))
	s.dl.verify = s.node.Inbox(s, nil)
	err := s.node.DB.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketFiles, bucketDownloads} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.fileRoutes()
	s.deliveryRoutes()
	s.node.AddJob("deliveries", s.deliveryLoop)
	return nil
}

// SetDownloadLifetime sets how long the download links sent from now on
// work (DefaultDownloadLifetime unless set).
func (s *Server) SetDownloadLifetime(d time.Duration) { s.dl.lifetime.Store(int64(d)) }

// wakeDeliveries makes the delivery job look at the deals now.
func (s *Server) wakeDeliveries() {
	select {
	case s.dl.wake <- struct{}{}:
	default:
	}
}

// deliveryLoop sends the links of funded digital deals and fetches the
// files of bought ones, when woken (a deal changed, a file was attached)
// and every minute, until ctx ends.
func (s *Server) deliveryLoop(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if err := s.runDeliveries(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("deliveries", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-s.dl.wake:
		}
	}
}

// runDeliveries does the delivery work due now: on the seller's side, a
// funded digital deal with no link yet gets one (and is marked
// delivered); on the buyer's side, a link not fetched yet is fetched.
func (s *Server) runDeliveries(ctx context.Context) error {
	ds, err := s.Deals()
	if err != nil {
		return err
	}
	var errs []error
	now := s.now()
	for _, d := range ds {
		if d.Kind() != listing.TypeDigital {
			continue
		}
		switch {
		case d.Role == deal.RoleSeller && (d.State == deal.State(escrow.StatusFunded) || d.Free() && d.Deliverable()) && d.Delivery.Link == "":
			err := s.sendFile(ctx, d.ID, true)
			if errors.Is(err, ErrNotFound) {
				// No file attached yet: the seller's copy says so (the
				// owner's pages show it) until one is.
				err = s.changeDealNow(d.ID, func(cur *deal.Deal) bool {
					msg := "the buyer paid, but the listing has no file attached: attach one (market hub attach, or PUT /api/v1/owner/listings/{id}/file) and it is sent"
					changed := cur.Delivery.Problem != msg
					cur.Delivery.Problem = msg
					return changed
				})
			}
			if err != nil {
				errs = append(errs, err)
			}
		case d.Role == deal.RoleBuyer && d.Delivery.Link != "" && d.Delivery.Received.IsZero() && now.Before(d.Delivery.LinkExpires):
			if err := s.fetchFile(ctx, d.ID); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Deliver is the seller's delivery of the deal with key, as its kind
// says (see deliverer): the copy must be funded (a digital good's link
// may also be sent again once delivered, if the buyer's hub missed it).
func (s *Server) Deliver(ctx context.Context, key string, req DeliverRequest) (*deal.Deal, error) {
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	if d.Role != deal.RoleSeller {
		return nil, fmt.Errorf("%w: only the seller %s delivers deal %s", federation.ErrForbidden, d.Seller, key)
	}
	if req.Tracking != "" && d.Kind() != listing.TypePhysical {
		return nil, fmt.Errorf("%w: tracking: only a physical good has a tracking note, this deal is for a %s", federation.ErrInvalid, kindName(d))
	}
	dv, ok := deliverers[d.Kind()]
	if !ok {
		return nil, fmt.Errorf("%w: deal %s has an unknown delivery kind %q", federation.ErrInvalid, key, d.Kind())
	}
	if err := dv.deliver(ctx, s, d, req); err != nil {
		return nil, err
	}
	return s.Deal(key)
}

func kindName(d *deal.Deal) string {
	if d.Kind() == "" {
		return string(listing.TypeService)
	}
	return string(d.Kind())
}

// serviceDelivery: the seller marks the service delivered at the agent.
type serviceDelivery struct{}

func (serviceDelivery) deliver(ctx context.Context, s *Server, d *deal.Deal, _ DeliverRequest) error {
	_, err := s.Act(ctx, dealKey(d.ID), escrow.ActionDeliver)
	return err
}

// physicalDelivery: the seller marks it delivered at the agent and sends
// the buyer (only) the tracking note, both queued together.
type physicalDelivery struct{}

func (physicalDelivery) deliver(ctx context.Context, s *Server, d *deal.Deal, req DeliverRequest) error {
	if req.Tracking == "" {
		_, err := s.Act(ctx, dealKey(d.ID), escrow.ActionDeliver)
		return err
	}
	tracking, err := deal.CleanText("tracking", req.Tracking, deal.MaxTracking)
	if err != nil {
		return dealError(err)
	}
	if _, err := escrow.Allowed(escrow.ActionDeliver, escrow.Status(d.State), escrow.RoleSeller); err != nil {
		return dealError(err)
	}
	now := s.now().UTC()
	n := &deal.Notice{ID: s.publicURL + "/deliveries/notices/" + newID(), By: s.actorID, Agreement: d.ID, Kind: string(listing.TypePhysical), Tracking: tracking}
	return s.queueDelivery(ctx, d.ID, n, true, func(cur *deal.Deal) error {
		cur.Delivery.Tracking = tracking
		return nil
	}, now, nil)
}

// digitalDelivery: the link to the listing's file, to the buyer only;
// the first one marks the deal delivered at the agent.
type digitalDelivery struct{}

func (digitalDelivery) deliver(ctx context.Context, s *Server, d *deal.Deal, _ DeliverRequest) error {
	switch {
	case d.State == deal.State(escrow.StatusFunded):
		return s.sendFile(ctx, d.ID, true)
	case d.Deliverable():
		return s.sendFile(ctx, d.ID, false) // a new link (or a free good's)
	}
	_, err := escrow.Allowed(escrow.ActionDeliver, escrow.Status(d.State), escrow.RoleSeller)
	return dealError(err)
}

// dataProductDelivery is the place of data products' delivery: the
// privacy engine runs the product in the seller's hub, encrypts its
// output to the buyer and records its hash in the deal (a later
// version). Until then offers on data products are refused
// (deal.DeliveryFor), so no deal reaches this.
type dataProductDelivery struct{}

func (dataProductDelivery) deliver(context.Context, *Server, *deal.Deal, DeliverRequest) error {
	_, err := deal.DeliveryFor(listing.TypeDataProduct)
	return dealError(err)
}

// queueDelivery sends the buyer the seller's notice n and, with deliver,
// the agent the seller's deliver request, in one transaction with the
// change to the copy (change, then a history note): the copy of deal id
// must still be one the seller may deliver.
func (s *Server) queueDelivery(ctx context.Context, id string, n *deal.Notice, deliver bool, change func(cur *deal.Deal) error, now time.Time, also func(tx *bbolt.Tx) error) error {
	d, err := s.dealByID(id)
	if err != nil {
		return err
	}
	buyerInbox, err := s.inboxOf(ctx, d.Buyer)
	if err != nil {
		return fmt.Errorf("the buyer %s: %w", d.Buyer, err)
	}
	var agentInbox string
	if deliver {
		if agentInbox, err = s.inboxOf(ctx, d.Escrow); err != nil {
			return fmt.Errorf("escrow agent %s: %w", d.Escrow, err)
		}
	}
	act, err := federation.Envelope{Type: "Create", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: n.Object(),
		To: []string{d.Buyer}, Published: now}.MarshalJSON()
	if err != nil {
		return err
	}
	return s.node.DB.Update(func(tx *bbolt.Tx) error {
		st := deal.In(tx)
		cur, err := st.Get(id)
		if err != nil {
			return dealError(err)
		}
		if deliver {
			if _, err := escrow.Allowed(escrow.ActionDeliver, escrow.Status(cur.State), escrow.RoleSeller); err != nil {
				return dealError(err)
			}
		}
		if err := change(cur); err != nil {
			return err
		}
		cur.Note(map[string]string{"digital": "link", "physical": "tracking"}[n.Kind], s.actorID, n.ID, now)
		if err := st.Put(cur); err != nil {
			return err
		}
		if err := s.queue.EnqueueTx(tx, buyerInbox, act); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		if deliver {
			req, err := s.escrowRequest(cur, escrow.ActionDeliver, now)
			if err != nil {
				return err
			}
			return s.queue.EnqueueTx(tx, agentInbox, req)
		}
		return nil
	})
}

// dealByID is the copy of the deal with agreement id id.
func (s *Server) dealByID(id string) (*deal.Deal, error) {
	var d *deal.Deal
	err := s.node.DB.View(func(tx *bbolt.Tx) error {
		var err error
		d, err = deal.In(tx).Get(id)
		return dealError(err)
	})
	return d, err
}

// deliveryActivity reports whether a is about a deal's delivery, and
// handles it if so.
func (s *Server) deliveryActivity(a *federation.Activity) (bool, error) {
	switch {
	case a.Type == "Create" && slices.Contains(a.ObjectTypes, deal.TypeShippingAddress):
		return true, s.onShipping(a)
	case a.Type == "Create" && slices.Contains(a.ObjectTypes, deal.TypeDeliveryNotice):
		return true, s.onNotice(a)
	}
	return false, nil
}

// onNotice takes the seller's delivery notice on the buyer's copy: a
// tracking note, or a download link the delivery job then fetches. A
// notice that outruns the agent's report of the funding is answered 503,
// which the seller's queue retries.
func (s *Server) onNotice(a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	n, err := deal.DecodeNotice(a.Object)
	if err != nil {
		return dealError(err)
	}
	if n.By != a.Actor {
		return fmt.Errorf("%w: a delivery notice is its sender's own", federation.ErrForbidden)
	}
	if d, err := s.dealByID(n.Agreement); err == nil && d.Seller == a.Actor && !d.Deliverable() &&
		slices.Contains([]deal.State{deal.StateOffered, deal.StateAccepted, "created"}, d.State) {
		return federation.WithCode(http.StatusServiceUnavailable, "funding_not_yet_received",
			"the escrow agent's report of the funding has not arrived yet; the notice is retried later", nil)
	}
	err = s.changeDeal(n.Agreement, a.ID, func(d *deal.Deal, now time.Time) (bool, error) {
		if d.Delivery == nil {
			return false, fmt.Errorf("%w: deal %s has no delivery", deal.ErrInvalid, dealKey(d.ID))
		}
		return d.TakeNotice(n, now)
	})
	if err == nil {
		s.wakeDeliveries()
	}
	return err
}

// deliveryRoutes serves download links and the owner API of delivery.
func (s *Server) deliveryRoutes() {
	s.node.Handle("GET /deliveries/{token}", s.node.Limit("public", http.HandlerFunc(s.serveDownload)))
	h := s.ownerRoute
	h("POST /api/v1/owner/deals/{key}/deliver", true, func(w http.ResponseWriter, r *http.Request) {
		var req DeliverRequest
		if !decodeOptional(w, r, s, &req, `the body is empty or {"tracking": "<carrier and tracking number>"}`) {
			return
		}
		d, err := s.Deliver(r.Context(), r.PathValue("key"), req)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		v := dealView(d)
		v.Queued = string(escrow.ActionDeliver)
		node.WriteJSON(w, http.StatusAccepted, v)
	})
	h("POST /api/v1/owner/deals/{key}/shipping", true, func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Address string `json:"address"`
		}
		if !decodeOptional(w, r, s, &req, `the body is {"address": "<postal address, lines>"}`) {
			return
		}
		d, err := s.SetShipping(r.Context(), r.PathValue("key"), req.Address)
		if err != nil {
			node.WriteError(w, r, s.log, err)
			return
		}
		node.WriteJSON(w, http.StatusOK, dealView(d))
	})
}

// decodeOptional reads a JSON body of at most MaxBody bytes into v,
// refusing unknown members; an empty body leaves v as it is. It answers
// 400 with usage when the body is wrong.
func decodeOptional(w http.ResponseWriter, r *http.Request, s *Server, v any, usage string) bool {
	body, ok := readBody(w, r, s)
	if !ok {
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return true
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		federation.WriteError(w, http.StatusBadRequest, "invalid_request", usage+": "+err.Error())
		return false
	}
	return true
}
