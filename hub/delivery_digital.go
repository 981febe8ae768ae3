package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/deal"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/listing"
	"github.com/sovereign-marketplace/market/node"
)

// A digital good: the link to the file, its serving to the buyer's hub
// alone, and the fetch on the buyer's side.

// Buckets of delivery: download links by the SHA-256 of their token.
var bucketDownloads = []byte("hub.downloads")

// download is what a download link's token opens.
type download struct {
	Agreement string    `json:"agreement"`
	Expires   time.Time `json:"expires"`
}

// downloadKey is the bucket key of a download token: its SHA-256, so the
// data directory holds no working link.
func downloadKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(sum[:]))
}

// sendFile sends the buyer of the seller's digital deal id a new
// download link of the listing's file (its name, type, size and SHA-256
// in the notice, the SHA-256 recorded as the copy's evidence): the
// first (once funded, or accepted when free) or, not first, a new one.
// The first of a paid deal also marks it delivered at the agent. The
// listing must have a file attached (ErrNotFound otherwise; attaching
// one wakes the job).
func (s *Server) sendFile(ctx context.Context, id string, first bool) error {
	s.dl.sendMu.Lock()
	defer s.dl.sendMu.Unlock()
	d, err := s.dealByID(id)
	if err != nil {
		return err
	}
	if first && d.Delivery.Link != "" {
		return nil // sent meanwhile
	}
	deliver := first && !d.Free()
	lid, ok := strings.CutPrefix(d.Listing, s.publicURL+"/listings/")
	if !ok {
		return fmt.Errorf("%w: listing %s is not the owner's", ErrNotFound, d.Listing)
	}
	f, err := s.AttachedFileOf(lid)
	if err != nil {
		return fmt.Errorf("deal %s: %w; attach one with PUT /api/v1/owner/listings/%s/file", dealKey(id), err, lid)
	}
	now := s.now().UTC()
	token := newID() + newID()
	exp := now.Add(time.Duration(s.dl.lifetime.Load())).Truncate(time.Second)
	link := s.publicURL + "/deliveries/" + token
	n := &deal.Notice{ID: s.publicURL + "/deliveries/notices/" + newID(), By: s.actorID, Agreement: id, Kind: string(listing.TypeDigital),
		URL: link, Expires: exp, Name: f.Name, MediaType: f.MediaType, Size: f.Size, SHA256: f.SHA256}
	return s.queueDelivery(ctx, id, n, deliver, func(cur *deal.Deal) error {
		if first && cur.Delivery.Link != "" {
			return fmt.Errorf("%w: the link of deal %s was sent already", federation.ErrConflict, dealKey(id))
		}
		file := f.File
		cur.Delivery.File, cur.Delivery.Link, cur.Delivery.LinkExpires = &file, link, exp
		cur.Delivery.Evidence, cur.Delivery.Problem = deal.Evidence(f.SHA256), ""
		return nil
	}, now, func(tx *bbolt.Tx) error {
		v, _ := json.Marshal(download{Agreement: id, Expires: exp})
		return tx.Bucket(bucketDownloads).Put(downloadKey(token), v)
	})
}

// fetchFile fetches, on the buyer's side, the file of digital deal id
// from the link the seller sent: with a GET signed by the owner's actor,
// at most the announced size, on the seller's own host. A file whose
// SHA-256 is not the announced one is not kept (and not fetched again);
// one that is, is kept for the owner and its digest recorded as the
// copy's evidence.
func (s *Server) fetchFile(ctx context.Context, id string) error {
	s.dl.fetchMu.Lock()
	defer s.dl.fetchMu.Unlock()
	d, err := s.dealByID(id)
	if err != nil {
		return err
	}
	dl := d.Delivery
	if dl.File == nil || dl.Link == "" || !dl.Received.IsZero() {
		return nil
	}
	record := func(change func(dl *deal.Delivery, cur *deal.Deal)) error {
		return s.changeDealNow(id, func(cur *deal.Deal) bool {
			if cur.Delivery == nil || cur.Delivery.Link != dl.Link {
				return false // a newer link came meanwhile
			}
			change(cur.Delivery, cur)
			return true
		})
	}
	if hostOf(dl.Link) != hostOf(d.Seller) {
		return record(func(x *deal.Delivery, _ *deal.Deal) {
			x.Link, x.Problem = "", "the download link is not on the seller's server ("+hostOf(d.Seller)+"); not fetched"
		})
	}
	dir := filepath.Join(s.cfg.DataDir, filesDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	fctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	_, n, err := s.client.Download(fctx, dl.Link, io.MultiWriter(tmp, h), dl.File.Size)
	if err != nil {
		_ = record(func(x *deal.Delivery, _ *deal.Deal) { x.Problem = "fetch: " + err.Error() })
		return err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if n != dl.File.Size || sum != dl.File.SHA256 {
		return record(func(x *deal.Delivery, _ *deal.Deal) {
			x.Link = ""
			x.Problem = fmt.Sprintf("the file fetched (%d bytes, SHA-256 %s) is not the one the seller announced (%d bytes, SHA-256 %s); not kept", n, sum, dl.File.Size, dl.File.SHA256)
		})
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.filePath(sum)); err != nil {
		return err
	}
	now := s.now().UTC()
	return record(func(x *deal.Delivery, cur *deal.Deal) {
		x.Received, x.Evidence, x.Problem = now, deal.Evidence(sum), ""
		cur.Note("received", s.actorID, dl.Link, now)
	})
}

// changeDealNow applies change to the stored copy of deal id
// (onStoredCopy) and stores it when change reports a change.
func (s *Server) changeDealNow(id string, change func(cur *deal.Deal) bool) error {
	_, err := s.onStoredCopy(id, func(_ *bbolt.Tx, cur *deal.Deal) (bool, error) { return change(cur), nil })
	return err
}

// serveDownload serves a digital good's download link to the buyer's
// hub alone: the GET must be signed by the deal's buyer (the federation
// inbox's signature checks: 401 unsigned or badly signed, 403 signed by
// anyone else), the link must exist (404) and not have expired or been
// refunded (410).
func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	signer, err := s.dl.verify.VerifyGet(r)
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	var dn download
	err = s.node.DB.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketDownloads).Get(downloadKey(r.PathValue("token")))
		if v == nil {
			return fmt.Errorf("%w: no such download link", ErrNotFound)
		}
		return json.Unmarshal(v, &dn)
	})
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	d, err := s.dealByID(dn.Agreement)
	if err != nil {
		node.WriteError(w, r, s.log, err)
		return
	}
	if signer.ID != d.Buyer {
		node.WriteError(w, r, s.log, federation.WithCode(http.StatusForbidden, "not_the_buyer", "this download link is for the deal's buyer's hub only", nil))
		return
	}
	if !s.now().Before(dn.Expires) || !d.Deliverable() || d.Delivery == nil || d.Delivery.File == nil {
		node.WriteError(w, r, s.log, federation.WithCode(http.StatusGone, "link_expired", "this download link has expired; the seller can send a new one", nil))
		return
	}
	s.serveFile(w, r, *d.Delivery.File)
}
