package relay

import (
	"fmt"
	"strings"
)

// Resolutions of a report.
const (
	ResolutionTakenDown = "taken down"
	ResolutionDismissed = "dismissed"
)

// TakeDown removes one listing from the store and the search index at
// once, refuses it if its hub publishes it again (until Restore), and
// resolves the open reports about it.
func (s *Server) TakeDown(listingID, reason string) (*Takedown, error) {
	listingID = strings.TrimSpace(listingID)
	now := s.now()
	d := &Takedown{ListingID: listingID, Reason: reason, Since: now}
	err := s.store.Update(func(t *Txn) error {
		if t.TakenDown(listingID) {
			return fmt.Errorf("%w: listing %s is already taken down", ErrConflict, listingID)
		}
		rec, err := t.Listing(listingID)
		if err != nil {
			return err
		}
		d.Title, d.Seller = rec.Listing.Title, rec.Listing.Owner
		if _, err := t.DeleteListing(listingID); err != nil {
			return err
		}
		if err := t.PutTakedown(d); err != nil {
			return err
		}
		reps, err := t.Reports()
		if err != nil {
			return err
		}
		for _, r := range reps {
			if r.ListingID == listingID && r.Resolution == "" {
				r.Resolution, r.Resolved = ResolutionTakenDown, &now
				if err := t.PutReport(&r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("listing taken down", "listing", listingID, "reason", reason)
	s.listingsChanged(nil, []string{listingID})
	return d, nil
}

// Restore lifts a takedown: the listing is accepted again the next time
// its hub publishes it.
func (s *Server) Restore(listingID string) error {
	return s.store.Update(func(t *Txn) error {
		was, err := t.DeleteTakedown(strings.TrimSpace(listingID))
		if err == nil && !was {
			err = fmt.Errorf("%w: listing %s is not taken down", ErrNotFound, listingID)
		}
		return err
	})
}

// Dismiss closes an open report without acting on the listing.
func (s *Server) Dismiss(reportID string) (*Report, error) {
	var rep *Report
	err := s.store.Update(func(t *Txn) error {
		var err error
		if rep, err = t.Report(strings.TrimSpace(reportID)); err != nil {
			return err
		}
		if rep.Resolution != "" {
			return fmt.Errorf("%w: report %s is already resolved (%s)", ErrConflict, reportID, rep.Resolution)
		}
		now := s.now()
		rep.Resolution, rep.Resolved = ResolutionDismissed, &now
		return t.PutReport(rep)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// Takedowns lists the listings taken down.
func (s *Server) Takedowns() ([]Takedown, error) {
	out := []Takedown{}
	err := s.store.View(func(t *Txn) error {
		ds, err := t.Takedowns()
		out = append(out, ds...)
		return err
	})
	return out, err
}
