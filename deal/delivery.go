package deal

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/listing"
)

// Delivery is how a deal's goods reach the buyer, by the listing's type
// (Kind), and what each copy keeps of it:
//   - a service: nothing more (the seller marks it delivered);
//   - a physical good: the buyer's shipping address (sent to the seller
//     only) and the seller's tracking note;
//   - a digital good: the file the seller attached to the listing, sent
//     as a time-limited download link only the buyer's hub may fetch;
//     both copies keep its SHA-256 as evidence;
//   - a data product: delivered by a later version (offers are refused).
type Delivery struct {
	Kind listing.Type `json:"kind"`
	// ShippingAddress is the buyer's postal address (physical goods):
	// on the buyer's copy and the seller's only.
	ShippingAddress string `json:"shipping_address,omitempty"`
	// Tracking is the seller's note when marking a physical good
	// delivered (a carrier and tracking number, or how it was handed
	// over).
	Tracking string `json:"tracking,omitempty"`
	// File is the digital good: as the seller attached it, and as the
	// seller's notice described it on the buyer's copy.
	File *File `json:"file,omitempty"`
	// Link is the download link last sent (digital goods) and until when
	// it works.
	Link        string    `json:"link,omitempty"`
	LinkExpires time.Time `json:"link_expires,omitzero"`
	// Evidence is the SHA-256 of the delivered file, "sha256:<hex>":
	// what the seller sent, and on the buyer's copy what its hub fetched
	// and checked.
	Evidence string `json:"evidence,omitempty"`
	// Received is when the buyer's hub fetched and kept the file.
	Received time.Time `json:"received,omitzero"`
	// Problem is why a digital good is held up: on the buyer's copy the
	// last reason its hub could not fetch or keep the file, on the
	// seller's that the listing has no file to send ("" once done).
	Problem string `json:"problem,omitempty"`
}

// File describes a digital good's file.
type File struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"` // lower-case hex
}

// Limits on what delivery messages carry.
const (
	MaxAddress  = 500 // characters of a shipping address
	MaxTracking = 300 // characters of a tracking note
	MaxFileName = 100 // characters of a file's name
	// MaxFileSize bounds a digital good's file, in bytes.
	MaxFileSize = 32 << 20
)

// Kinds of delivery that deals can use today. A data product is
// delivered by a later version: offers on one are refused (see
// ErrNotYet).
var deliveryKinds = []listing.Type{listing.TypeService, listing.TypePhysical, listing.TypeDigital}

// ErrNotYet is returned for a delivery kind this version cannot deliver.
var ErrNotYet = fmt.Errorf("%w: not delivered by this version", ErrInvalid)

// DeliveryFor starts the delivery of a deal on a listing of type k: the
// kinds this version delivers, and ErrNotYet (which names the kind) for
// a data product.
func DeliveryFor(k listing.Type) (*Delivery, error) {
	for _, ok := range deliveryKinds {
		if k == ok {
			return &Delivery{Kind: k}, nil
		}
	}
	if k == listing.TypeDataProduct {
		return nil, fmt.Errorf("%w: data products are delivered through the privacy engine by a later version; this hub takes no offers on them yet", ErrNotYet)
	}
	return nil, fmt.Errorf("%w: listing type %q", ErrInvalid, short(string(k)))
}

// Kind is the deal's delivery kind ("" for a deal made before delivery
// kinds, which is delivered as a service).
func (d *Deal) Kind() listing.Type {
	if d.Delivery == nil {
		return ""
	}
	return d.Delivery.Kind
}

// CleanText checks and tidies a short text a party writes (an address,
// a tracking note): trimmed, at most max characters, lines of plain text
// without other control characters. field names it in the error.
func CleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case s == "":
		return "", fmt.Errorf("%w: %s: is empty", ErrInvalid, field)
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > max:
		return "", fmt.Errorf("%w: %s: must be UTF-8 text of at most %d characters", ErrInvalid, field, max)
	case strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }):
		return "", fmt.Errorf("%w: %s: must be plain text (lines, no other control characters)", ErrInvalid, field)
	}
	return s, nil
}

// SetShippingAddress records the buyer's shipping address on a physical
// good's deal, until the seller marks it delivered. It reports whether
// the copy changed (the same address again changes nothing).
func (d *Deal) SetShippingAddress(by, address, source string, at time.Time) (bool, error) {
	if d.Kind() != listing.TypePhysical {
		return false, fmt.Errorf("%w: shipping_address: only a physical good is shipped, this deal is for a %s", ErrInvalid, orService(d.Kind()))
	}
	if by != d.Buyer {
		return false, fmt.Errorf("%w: only the buyer %s gives the shipping address, not %s", ErrForbidden, d.Buyer, by)
	}
	address, err := CleanText("shipping_address", address, MaxAddress)
	if err != nil {
		return false, err
	}
	if !shippable(d.State) {
		return false, fmt.Errorf("%w: the shipping address cannot change once the deal is %s", ErrInvalidState, d.State)
	}
	if d.Delivery.ShippingAddress == address {
		return false, nil
	}
	d.Delivery.ShippingAddress = address
	d.Note("ship-to", by, source, at)
	return true, nil
}

// shippable reports whether the shipping address may still be given or
// changed in state s.
func shippable(s State) bool {
	switch s {
	case StateOffered, StateAccepted, State(escrow.StatusCreated), State(escrow.StatusFunded):
		return true
	}
	return false
}

// Note records a delivery step in the history without changing the
// state, while room is left for the agent's events (the copy's position
// in the agent's history is read from it, so notes a party sends can
// never crowd them out); past that, only Updated moves.
func (d *Deal) Note(action, by, source string, at time.Time) {
	if len(d.History) >= maxEntries-MaxEvents-4 {
		d.Updated = at.UTC()
		return
	}
	d.record(Entry{At: at.UTC(), Action: action, From: d.State, To: d.State, By: by, Source: source})
}

func orService(k listing.Type) listing.Type {
	if k == "" {
		return listing.TypeService
	}
	return k
}

// Object types of delivery on the wire: the buyer's ShippingAddress to
// the seller, and the seller's DeliveryNotice to the buyer (a download
// link or a tracking note), each the object of a Create addressed to the
// other party alone.
const (
	TypeShippingAddress = "ShippingAddress"
	TypeDeliveryNotice  = "DeliveryNotice"
)

// Shipping is the buyer's shipping address as it travels to the seller.
type Shipping struct {
	ID        string `json:"id"`
	By        string `json:"attributedTo"`
	Agreement string `json:"agreement"`
	Address   string `json:"shippingAddress"`
}

// Object is the address as the object of the buyer's Create.
func (s *Shipping) Object() json.RawMessage {
	b, _ := json.Marshal(struct {
		Context []any  `json:"@context"`
		Type    string `json:"type"`
		*Shipping
	}{wireContext, TypeShippingAddress, s})
	return b
}

// DecodeShipping reads a ShippingAddress with bounds.
func DecodeShipping(raw json.RawMessage) (*Shipping, error) {
	var w struct {
		Type string `json:"type"`
		Shipping
	}
	if err := json.Unmarshal(raw, &w); err != nil || w.Type != TypeShippingAddress {
		return nil, fmt.Errorf("%w: shipping address: must be a %s object", ErrInvalid, TypeShippingAddress)
	}
	s := &w.Shipping
	if !isURL(s.ID) || !isURL(s.By) || !isURL(s.Agreement) {
		return nil, fmt.Errorf("%w: shipping address: id, attributedTo and agreement must be http(s) URLs", ErrInvalid)
	}
	var err error
	if s.Address, err = CleanText("shippingAddress", s.Address, MaxAddress); err != nil {
		return nil, err
	}
	return s, nil
}

// Notice is the seller's word to the buyer that the goods are on their
// way: a digital good's download link (with the file's name, media type,
// size and SHA-256, and when the link expires) or a physical good's
// tracking note.
type Notice struct {
	ID        string    `json:"id"`
	By        string    `json:"attributedTo"`
	Agreement string    `json:"agreement"`
	Kind      string    `json:"deliveryKind"`
	URL       string    `json:"url,omitempty"`
	Expires   time.Time `json:"endTime,omitzero"`
	Name      string    `json:"name,omitempty"`
	MediaType string    `json:"mediaType,omitempty"`
	Size      int64     `json:"size,omitempty"`
	SHA256    string    `json:"digestSha256,omitempty"`
	Tracking  string    `json:"tracking,omitempty"`
}

// Object is the notice as the object of the seller's Create.
func (n *Notice) Object() json.RawMessage {
	b, _ := json.Marshal(struct {
		Context []any  `json:"@context"`
		Type    string `json:"type"`
		*Notice
	}{wireContext, TypeDeliveryNotice, n})
	return b
}

var (
	hexSHA256  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	mediaType  = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$`)
	safeFileRE = regexp.MustCompile(`^[\pL\pN][\pL\pN ._()+-]*$`)
)

// ValidFileName reports whether name can be a delivered file's name:
// letters, digits, spaces and ._()+- only, starting with a letter or
// digit, at most MaxFileName characters (no path, nothing a shell or a
// browser reads specially).
func ValidFileName(name string) bool {
	return utf8.RuneCountInString(name) <= MaxFileName && safeFileRE.MatchString(name) && !strings.Contains(name, "..")
}

// DecodeNotice reads a DeliveryNotice with bounds: a digital one names
// an http(s) link, a valid file name, a media type, a size from 1 to
// MaxFileSize and a SHA-256 in hex; a physical one a tracking note.
func DecodeNotice(raw json.RawMessage) (*Notice, error) {
	var w struct {
		Type string `json:"type"`
		Notice
	}
	if err := json.Unmarshal(raw, &w); err != nil || w.Type != TypeDeliveryNotice {
		return nil, fmt.Errorf("%w: delivery notice: must be a %s object", ErrInvalid, TypeDeliveryNotice)
	}
	n := &w.Notice
	if !isURL(n.ID) || !isURL(n.By) || !isURL(n.Agreement) {
		return nil, fmt.Errorf("%w: delivery notice: id, attributedTo and agreement must be http(s) URLs", ErrInvalid)
	}
	switch listing.Type(n.Kind) {
	case listing.TypeDigital:
		if !isURL(n.URL) || n.Expires.IsZero() || !ValidFileName(n.Name) || !mediaType.MatchString(n.MediaType) ||
			n.Size < 1 || n.Size > MaxFileSize || !hexSHA256.MatchString(n.SHA256) {
			return nil, fmt.Errorf("%w: delivery notice: a digital good's notice names its url, endTime, name, mediaType, size (1 to %d bytes) and digestSha256 (hex)", ErrInvalid, MaxFileSize)
		}
	case listing.TypePhysical:
		var err error
		if n.Tracking, err = CleanText("tracking", n.Tracking, MaxTracking); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: delivery notice: deliveryKind must be digital or physical, got %q", ErrInvalid, short(n.Kind))
	}
	return n, nil
}

// TakeNotice records the seller's notice on the buyer's copy: the
// tracking note, or the link and the file it promises (whose SHA-256
// the buyer's hub checks when it fetches it). A notice seen before (same
// id) changes nothing.
func (d *Deal) TakeNotice(n *Notice, at time.Time) (bool, error) {
	if d.Role != RoleBuyer || n.By != d.Seller {
		return false, fmt.Errorf("%w: a delivery notice comes from the deal's seller %s to its buyer", ErrForbidden, d.Seller)
	}
	if string(d.Kind()) != n.Kind {
		return false, fmt.Errorf("%w: delivery notice: a %s notice for a deal on a %s", ErrInvalid, n.Kind, orService(d.Kind()))
	}
	for _, e := range d.History {
		if e.Source == n.ID {
			return false, nil
		}
	}
	if !d.Deliverable() {
		return false, fmt.Errorf("%w: a delivery notice for a deal that is %s, not funded", ErrInvalidState, d.State)
	}
	if n.Kind == string(listing.TypePhysical) {
		d.Delivery.Tracking = n.Tracking
		d.Note("tracking", n.By, n.ID, at)
		return true, nil
	}
	f := &File{Name: n.Name, MediaType: n.MediaType, Size: n.Size, SHA256: n.SHA256}
	if d.Delivery.File != nil && d.Delivery.File.SHA256 != f.SHA256 && !d.Delivery.Received.IsZero() {
		return false, fmt.Errorf("%w: delivery notice: the file was delivered already with another SHA-256", ErrInvalidState)
	}
	d.Delivery.File, d.Delivery.Link, d.Delivery.LinkExpires = f, n.URL, n.Expires.UTC()
	d.Note("link", n.By, n.ID, at)
	return true, nil
}

// Deliverable reports whether the goods may go to the buyer now: the
// deal is paid (Paid), or free and accepted.
func (d *Deal) Deliverable() bool {
	return d.Paid() || d.Free() && d.State == StateAccepted
}

// Paid reports whether the buyer's money is (or was) held for the
// deal: funded and anything after it but a refund.
func (d *Deal) Paid() bool {
	switch escrow.Status(d.State) {
	case escrow.StatusFunded, escrow.StatusDelivered, escrow.StatusConfirmed, escrow.StatusCompleted, escrow.StatusDisputed:
		return true
	}
	return false
}

// Evidence is how a file's SHA-256 is written as a deal's evidence.
func Evidence(sha256hex string) string { return "sha256:" + sha256hex }
