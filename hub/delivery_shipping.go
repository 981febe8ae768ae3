package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
)

// A physical good's shipping address, from the buyer to the seller
// alone.

// SetShipping gives the seller of the owner's physical deal with key the
// shipping address (or a new one, until it is delivered): recorded on
// the owner's copy and sent to the seller alone.
func (s *Server) SetShipping(ctx context.Context, key, address string) (*deal.Deal, error) {
	d, err := s.Deal(key)
	if err != nil {
		return nil, err
	}
	if d.Role != deal.RoleBuyer {
		return nil, fmt.Errorf("%w: the buyer gives the shipping address; deal %s is an offer made to the owner", federation.ErrForbidden, key)
	}
	if d.Delivery == nil {
		d.Delivery = &deal.Delivery{}
	}
	now := s.now().UTC()
	sh := &deal.Shipping{ID: s.publicURL + "/deliveries/addresses/" + newID(), By: s.actorID, Agreement: d.ID, Address: address}
	if _, err := d.SetShippingAddress(s.actorID, address, sh.ID, now); err != nil {
		return nil, dealError(err)
	}
	sh.Address = d.Delivery.ShippingAddress
	inbox, err := s.inboxOf(ctx, d.Seller)
	if err != nil {
		return nil, fmt.Errorf("the seller %s: %w", d.Seller, err)
	}
	act, err := shippingActivity(s, d, sh, now)
	if err != nil {
		return nil, err
	}
	_, err = s.onStoredCopy(d.ID, func(tx *bbolt.Tx, cur *deal.Deal) (bool, error) {
		// Again on the stored copy, which may have moved meanwhile.
		changed, err := cur.SetShippingAddress(s.actorID, address, sh.ID, now)
		if err != nil || !changed {
			return false, dealError(err)
		}
		return true, s.queue.EnqueueTx(tx, inbox, act)
	})
	if err != nil {
		return nil, err
	}
	return s.Deal(key)
}

// shippingActivity is the buyer's Create of the ShippingAddress, to the
// seller alone.
func shippingActivity(s *Server, d *deal.Deal, sh *deal.Shipping, now time.Time) ([]byte, error) {
	return federation.Envelope{Type: "Create", ID: s.publicURL + "/activities/" + newID(), Actor: s.actorID, Object: sh.Object(),
		To: []string{d.Seller}, Published: now}.MarshalJSON()
}

// offerDelivery starts the delivery of a new offer on l (the buyer's
// side): its kind (a data product is refused politely) and, for a
// physical good, the shipping address given with the offer, whose
// activity to the seller it returns (nil when none).
func (s *Server) offerDelivery(l *listing.Listing, d *deal.Deal, address string, now time.Time) ([]byte, error) {
	dl, err := deal.DeliveryFor(l.Type)
	if err != nil {
		return nil, dealError(err)
	}
	d.Delivery = dl
	if address == "" {
		return nil, nil
	}
	sh := &deal.Shipping{ID: s.publicURL + "/deliveries/addresses/" + newID(), By: s.actorID, Agreement: d.ID}
	if _, err := d.SetShippingAddress(s.actorID, address, sh.ID, now); err != nil {
		return nil, dealError(err)
	}
	sh.Address = dl.ShippingAddress
	return shippingActivity(s, d, sh, now)
}

// onShipping takes the buyer's shipping address on the seller's copy.
// It may outrun the offer it belongs to: then the answer is a 503, which
// the buyer's queue retries.
func (s *Server) onShipping(a *federation.Activity) error {
	if err := s.onlyTo(a); err != nil {
		return err
	}
	sh, err := deal.DecodeShipping(a.Object)
	if err != nil {
		return dealError(err)
	}
	if sh.By != a.Actor {
		return fmt.Errorf("%w: a shipping address is its sender's own", federation.ErrForbidden)
	}
	if _, err := s.dealByID(sh.Agreement); errors.Is(err, ErrNotFound) && federation.HostOf(sh.Agreement) == federation.HostOf(a.Actor) {
		return federation.WithCode(http.StatusServiceUnavailable, "offer_not_yet_received",
			"the offer this shipping address belongs to has not arrived yet; it is retried later", nil)
	}
	return s.changeDeal(sh.Agreement, a.ID, func(d *deal.Deal, now time.Time) (bool, error) {
		if d.Role != deal.RoleSeller {
			return false, fmt.Errorf("%w: the shipping address goes to the seller", deal.ErrForbidden)
		}
		return d.SetShippingAddress(a.Actor, sh.Address, sh.ID, now)
	})
}
