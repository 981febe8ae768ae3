package listing

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"
)

// ContextIRI is the IRI of the marketplace's JSON-LD context, the third
// entry of every encoded listing's "@context". The relay serves Context at
// this IRI's path; nothing fetches it at run time.
const ContextIRI = "https://w3id.org/sovereign-market/v1"

// Namespace is the IRI prefix of the marketplace's own terms (listingType,
// priceType, ...), as the context document maps them.
const Namespace = "https://w3id.org/sovereign-market/ns#"

// TimeCreditIRI is the resourceConformsTo of a reciprocal Intent priced in
// time credits: one unit is one hour of someone's time.
const TimeCreditIRI = Namespace + "TimeCredit"

// ActivityStreams is the ActivityStreams 2.0 context IRI.
const ActivityStreams = "https://www.w3.org/ns/activitystreams"

// Public is the ActivityStreams public collection, the addressee of a
// public listing.
const Public = ActivityStreams + "#Public"

// Context is the JSON-LD context document at ContextIRI: the marketplace's
// own terms. It is embedded so that no process ever fetches it.
//
//go:embed context.jsonld
var Context []byte

// ErrNotListing is returned by Decode for an object that is not a listing:
// its type is neither Proposal nor a Note carrying Proposal or marketplace
// terms, or it is a Proposal that requests rather than offers.
var ErrNotListing = errors.New("not a listing")

// proposalContext is the FEP-0837 (ValueFlows) context, inlined as the
// spec's own examples do.
var proposalContext = json.RawMessage(`{` +
	`"om2":"http://www.ontology-of-units-of-measure.org/resource/om-2/",` +
	`"vf":"https://w3id.org/valueflows/ont/vf#",` +
	`"Proposal":"vf:Proposal",` +
	`"Intent":"vf:Intent",` +
	`"action":"vf:action",` +
	`"purpose":"vf:purpose",` +
	`"unitBased":"vf:unitBased",` +
	`"publishes":"vf:publishes",` +
	`"reciprocal":"vf:reciprocal",` +
	`"resourceConformsTo":"vf:resourceConformsTo",` +
	`"resourceQuantity":"vf:resourceQuantity",` +
	`"availableQuantity":"vf:availableQuantity",` +
	`"minimumQuantity":"vf:minimumQuantity",` +
	`"hasUnit":"om2:hasUnit",` +
	`"hasNumericalValue":"om2:hasNumericalValue"}`)

// unitOne is the unit of a count of things, and of money: OM 2's "one".
const unitOne = "one"

// Intent actions.
const (
	actionTransfer       = "transfer"
	actionDeliverService = "deliverService"
)

// outObject is the encoded listing. Its field order is the member order on
// the wire, which keeps Encode deterministic.
type outObject struct {
	Context       [3]json.RawMessage `json:"@context"`
	ID            string             `json:"id"`
	Type          [2]string          `json:"type"`
	AttributedTo  string             `json:"attributedTo"`
	To            []string           `json:"to,omitempty"`
	Cc            []string           `json:"cc,omitempty"`
	Name          string             `json:"name"`
	Summary       string             `json:"summary"`
	Content       string             `json:"content"`
	ContentMap    map[string]string  `json:"contentMap,omitempty"`
	Source        *outSource         `json:"source,omitempty"`
	URL           string             `json:"url,omitempty"`
	Published     string             `json:"published"`
	Updated       string             `json:"updated,omitempty"`
	Tag           []outHashtag       `json:"tag,omitempty"`
	Location      *outPlace          `json:"location,omitempty"`
	Purpose       string             `json:"purpose"`
	Publishes     outIntent          `json:"publishes"`
	Reciprocal    *outIntent         `json:"reciprocal,omitempty"`
	UnitBased     bool               `json:"unitBased"`
	ListingID     string             `json:"listingId,omitempty"`
	ListingType   Type               `json:"listingType"`
	PriceType     PriceType          `json:"priceType"`
	PricingModel  PricingModel       `json:"pricingModel"`
	Currency      string             `json:"currency,omitempty"`
	Region        string             `json:"region,omitempty"`
	LocationPref  LocationPref       `json:"locationPref"`
	Status        Status             `json:"status"`
	Visibility    Visibility         `json:"visibility,omitempty"`
	DataProductID string             `json:"dataProductId,omitempty"`
	DataProduct   *outDataProduct    `json:"dataProduct,omitempty"`
	Escrows       []outEscrow        `json:"acceptsEscrow,omitempty"`
}

type outSource struct {
	Content   string `json:"content"`
	MediaType string `json:"mediaType"`
}

type outHashtag struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

type outPlace struct {
	Type      string  `json:"type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type outIntent struct {
	Type               string      `json:"type"`
	ID                 string      `json:"id"`
	Action             string      `json:"action"`
	ResourceConformsTo string      `json:"resourceConformsTo,omitempty"`
	ResourceQuantity   outQuantity `json:"resourceQuantity"`
}

type outQuantity struct {
	HasUnit           string `json:"hasUnit"`
	HasNumericalValue string `json:"hasNumericalValue"`
}

type outDataProduct struct {
	Format     string `json:"format,omitempty"`
	Schema     string `json:"schema,omitempty"`
	SampleRows int    `json:"sampleRows,omitempty"`
	Sample     string `json:"sample,omitempty"`
}

// Encode returns the wire form of l: an FEP-0837 Proposal typed
// ["Note", "Proposal"] so that plain Fediverse servers show it as a post,
// carrying the marketplace's own terms beside the FEP's. The listing must
// pass Validate and have a FederatedAPID, which becomes the object's id.
// The same listing always gives the same bytes.
//
// The mapping, member by member:
//   - id is FederatedAPID; listingId is ID, only when the two differ.
//   - attributedTo is Owner.
//   - name is Title; summary is the title and the price, so that servers
//     that show name as a content warning show a meaningful one; content is
//     the description as HTML-escaped paragraphs followed by the price line
//     (and the tags), and source carries the description as text/plain.
//   - url is URL, the listing's web page, when set; content then opens
//     with the title as a link to it, so that a post on Mastodon or
//     GoToSocial says what is offered and where to read more.
//   - contentMap, keyed by Language, when a language is set.
//   - published and updated are Created and Updated, RFC 3339 in UTC.
//   - publishes is the primary Intent (#primary): action "deliverService"
//     for services, "transfer" otherwise; resourceConformsTo is Resource,
//     when set; resourceQuantity is one unit of time for a rate
//     ({"hasUnit": "second", "hasNumericalValue": "1"}: see
//     PriceType.TimeUnit) and {"hasUnit": "one", "hasNumericalValue": "1"}
//     otherwise. unitBased is true for a rate, false otherwise. This is
//     how Mitra publishes its per-second subscriptions, and what its parser
//     takes.
//   - reciprocal (#reciprocal) holds the price, when there is an amount:
//     resourceQuantity {"hasUnit": "one", "hasNumericalValue": amount} and
//     the currency in resourceConformsTo (see CurrencyIRI). The amount is
//     a decimal string in the currency's major unit ("12.50" USD), except
//     for CAIP-19 assets: a whole number of the asset's atomic units
//     ("20000" piconero for 0.00000002 XMR), as Mitra writes and reads it.
//   - tag holds one Hashtag per tag, named "#tag".
//   - location is a Place with latitude and longitude.
//   - public listings are addressed to Public with the owner's followers in
//     cc; followers-only listings to the owner's followers collection, which
//     is Owner + "/followers" (the layout of GoToSocial, Mastodon and our
//     hubs); private listings to no one, with the visibility term set.
//   - listingType, priceType, pricingModel, currency, region, locationPref,
//     status, dataProductId and dataProduct are the marketplace's terms,
//     defined in Context.
func Encode(l *Listing) ([]byte, error) {
	if err := Validate(l); err != nil {
		return nil, err
	}
	if l.FederatedAPID == "" {
		return nil, ValidationError{{Field: "federated_ap_id", Problem: "is required to encode a listing: it becomes the object id"}}
	}
	o := outObject{
		Context:      [3]json.RawMessage{json.RawMessage(`"` + ActivityStreams + `"`), proposalContext, json.RawMessage(`"` + ContextIRI + `"`)},
		ID:           l.FederatedAPID,
		Type:         [2]string{"Note", "Proposal"},
		AttributedTo: l.Owner,
		Name:         l.Title,
		Summary:      l.Title + " · " + priceText(l.Price),
		Content:      content(l),
		URL:          l.URL,
		Published:    wireTime(l.Created),
		Purpose:      "offer",
		Publishes: outIntent{
			Type:               "Intent",
			ID:                 l.FederatedAPID + "#primary",
			Action:             primaryAction(l.Type),
			ResourceConformsTo: l.Resource,
			ResourceQuantity:   outQuantity{HasUnit: or(l.Price.Type.TimeUnit(), unitOne), HasNumericalValue: "1"},
		},
		UnitBased:     l.Price.Type.TimeUnit() != "",
		ListingType:   l.Type,
		PriceType:     l.Price.Type,
		PricingModel:  l.Price.Model,
		Currency:      l.Price.Currency,
		Region:        l.Region,
		LocationPref:  l.LocationPref,
		Status:        l.Status,
		DataProductID: l.DataProductID,
	}
	if l.ID != l.FederatedAPID {
		o.ListingID = l.ID
	}
	switch l.Visibility {
	case VisibilityPublic:
		o.To = []string{Public}
		o.Cc = []string{followers(l.Owner)}
	case VisibilityFollowers:
		o.To = []string{followers(l.Owner)}
	default:
		o.Visibility = l.Visibility
	}
	if l.Language != "" {
		o.ContentMap = map[string]string{l.Language: o.Content}
	}
	if l.Description != "" {
		o.Source = &outSource{Content: l.Description, MediaType: "text/plain"}
	}
	if !l.Updated.IsZero() {
		o.Updated = wireTime(l.Updated)
	}
	for _, t := range l.Tags {
		o.Tag = append(o.Tag, outHashtag{Type: "Hashtag", Name: "#" + t})
	}
	if p := l.Location; p != nil {
		o.Location = &outPlace{Type: "Place", Latitude: p.Lat, Longitude: p.Lon}
	}
	if l.Price.Amount != "" {
		o.Reciprocal = &outIntent{
			Type:               "Intent",
			ID:                 l.FederatedAPID + "#reciprocal",
			Action:             actionTransfer,
			ResourceConformsTo: CurrencyIRI(l.Price.Currency),
			ResourceQuantity:   outQuantity{HasUnit: unitOne, HasNumericalValue: wireAmount(l.Price.Amount, l.Price.Currency)},
		}
	}
	if d := l.DataProduct; d != nil {
		o.DataProduct = &outDataProduct{Format: d.Format, Schema: d.Schema, SampleRows: d.SampleRows, Sample: d.Sample}
	}
	for _, e := range l.Escrows {
		o.Escrows = append(o.Escrows, e.wire())
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(o); err != nil {
		return nil, fmt.Errorf("encode listing %s: %w", l.ID, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func wireTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func primaryAction(t Type) string {
	if t == TypeService {
		return actionDeliverService
	}
	return actionTransfer
}

// followers returns the followers collection of an actor, by the layout
// every server we federate with uses: the actor id + "/followers".
func followers(owner string) string { return strings.TrimSuffix(owner, "/") + "/followers" }

// content renders the listing as the HTML a plain Fediverse server shows:
// the title linked to the listing's page (when it has one), the
// description's paragraphs, the price line, and the tags.
func content(l *Listing) string {
	var b strings.Builder
	if l.URL != "" {
		b.WriteString(`<p><a href="`)
		b.WriteString(html.EscapeString(l.URL))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(l.Title))
		b.WriteString("</a></p>")
	}
	desc := strings.ReplaceAll(l.Description, "\r\n", "\n")
	for _, p := range strings.Split(desc, "\n\n") {
		p = strings.Trim(p, "\n")
		if strings.TrimSpace(p) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	b.WriteString("<p>Price: ")
	b.WriteString(html.EscapeString(priceText(l.Price)))
	b.WriteString("</p>")
	if len(l.Tags) > 0 {
		b.WriteString("<p>")
		for i, t := range l.Tags {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(html.EscapeString("#" + t))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// String says the price in words, as a listing's post does: "30 USD",
// "45 EUR per hour", "free".
func (p Price) String() string { return priceText(p) }

// priceText says the price in words: "30 USD", "45 EUR per hour",
// "0.00000002 XMR per second", "2 hours in time credits", "free".
func priceText(p Price) string {
	var s string
	switch p.Type {
	case PriceFree:
		return "free"
	case PriceTimeCredit:
		s = p.Amount + " hours in time credits"
		if p.Amount == "1" {
			s = "1 hour in time credits"
		}
	default:
		s = strings.TrimSpace(p.Amount + " " + symbol(p.Currency))
		if u := p.Type.TimeUnit(); u != "" {
			s += " per " + u
		} else if p.Type == PriceNegotiable {
			s += " (negotiable)"
		}
	}
	switch p.Model {
	case PricingSubscription:
		s += ", subscription"
	case PricingPayPerQuery:
		s += " per query"
	}
	return s
}
