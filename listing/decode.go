package listing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Decode reads a listing from its wire form: an ActivityStreams object
// typed "Proposal", ["Note", "Proposal"] in either order, or a "Note"
// carrying Proposal or marketplace terms. Any other object gives an error
// wrapping ErrNotListing; so does a Proposal whose purpose is "request".
// Malformed members give a ValidationError (wrapping ErrInvalid) naming
// each one by its path on the wire, such as
// "reciprocal.resourceQuantity.hasNumericalValue".
//
// Decode(Encode(l)) equals l for every listing Encode accepts. ID is the
// listingId term when present, else the object id; FederatedAPID is the
// object id. (The one difference DeepEqual sees: an empty, non-nil Tags
// comes back nil.)
//
// A Proposal from another implementation, without the marketplace's terms
// (no listingType), is still a listing; Decode derives what it can:
//   - the type from the primary Intent's action: "deliverService" gives a
//     service, anything else a physical good; Resource from its
//     resourceConformsTo, when that is a URL or a URN;
//   - the currency from the reciprocal Intent's resourceConformsTo (see
//     CurrencyOf; empty when unknown), and the amount from its quantity:
//     for a CAIP-19 asset a whole number of atomic units, turned into the
//     asset's major unit when its decimals are known (Mitra's "20000" of
//     Monero is 0.00000002 XMR) and kept as it is when they are not;
//   - the price type: time_credit for TimeCreditIRI; a rate when the
//     primary Intent's quantity is one unit of time (Mitra's
//     {"hasUnit": "second", "hasNumericalValue": "1"} gives per_second,
//     "hour" hourly, and so on: see PriceType.TimeUnit); hourly for the
//     unit "hour" on the reciprocal (older encoders); free when there is
//     no reciprocal Intent; fixed otherwise;
//   - pricing model one_time, or subscription for a rate on user-generated
//     content (Wikidata Q579716, as Mitra marks its subscriptions); status
//     active, location preference global;
//   - the visibility from the addressing: public when Public is in to or
//     cc, followers when anyone else is, private when no one is;
//   - the title from name, else summary, else the start of content (the
//     first that has a visible character); the description from source
//     when it is plain text or Markdown, else from content with its HTML
//     stripped; the language from contentMap when its key is a BCP 47 tag;
//   - the tags from the Hashtags that fit the tag rules, the first MaxTags.
//
// Display text from any object is made to fit the text rules (see
// Validate): control and bidirectional characters are dropped (tabs and
// line breaks in a title become spaces), and a title or description
// longer than MaxTitle or MaxDescription characters is shortened at a
// character boundary, ending with "…". Ids and URLs are never shortened: a
// too-long or malformed object id is an error, and Validate refuses the
// rest.
//
// Created is the object's "published", and stays zero when the object has
// none (Mitra's Proposals have none): Decode never invents a time, so
// decoding the same object twice gives the same listing, and the caller
// decides (a relay keeps the time it first saw the listing, so re-fetching
// does not make it new again). Updated likewise stays zero without
// "updated".
//
// Decode does not call Validate: a decoded listing may still miss what
// Validate requires.
func Decode(object []byte) (*Listing, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(object, &m); err != nil {
		return nil, ValidationError{{Field: "object", Problem: "must be a JSON object"}}
	}
	return DecodeMembers(m)
}

// DecodeMembers is Decode over an object already split into its members
// (each value exactly as on the wire), as an inbox that decoded the
// activity around it has them: the object is not read again. A nil map
// is not an object.
func DecodeMembers(m map[string]json.RawMessage) (*Listing, error) {
	if m == nil {
		return nil, ValidationError{{Field: "object", Problem: "must be a JSON object"}}
	}
	d := &decoder{}
	types := d.types(m["type"])
	_, ours := m["listingType"]
	_, intents := m["publishes"]
	isProposal := slices.ContainsFunc(types, isProposalType)
	if !isProposal && !(slices.Contains(types, "Note") && (ours || intents)) {
		return nil, fmt.Errorf("%w: type %s is neither a Proposal nor a Note carrying Proposal terms", ErrNotListing, typesText(types))
	}
	if p := d.str(m["purpose"], "purpose"); p != "" && p != "offer" {
		return nil, fmt.Errorf("%w: purpose %q is not an offer", ErrNotListing, p)
	}

	l := &Listing{}
	switch id := d.str(m["id"], "id"); {
	case id == "":
		d.bad("id", "is required")
	case urlProblem(id) != "":
		d.bad("id", "%s", urlProblem(id))
	default:
		l.FederatedAPID = id
	}
	l.ID = l.FederatedAPID
	if id := d.str(m["listingId"], "listingId"); id != "" {
		l.ID = id
	}
	if owners := d.ids(m["attributedTo"], "attributedTo"); len(owners) > 0 {
		l.Owner = owners[0]
	} else {
		d.bad("attributedTo", "is required: the seller's actor id")
	}

	primary := d.intent(m["publishes"], "publishes")
	if primary == nil && !ours {
		d.bad("publishes", "is required: the Proposal's primary Intent")
	}
	reciprocal := d.intent(m["reciprocal"], "reciprocal")

	l.Type = Type(d.str(m["listingType"], "listingType"))
	if !ours && primary != nil {
		l.Type = TypePhysical
		if primary.action == actionDeliverService {
			l.Type = TypeService
		}
	}

	title := func(s string) string { return clean(s, MaxTitle, false) }
	name, summary := title(d.str(m["name"], "name")), title(d.str(m["summary"], "summary"))
	contentHTML := d.str(m["content"], "content")
	lang, byLang := d.language(m["contentMap"])
	if len(lang) <= maxLanguage && langRE.MatchString(lang) {
		l.Language = lang
	}
	if contentHTML == "" {
		contentHTML = byLang
	}
	l.Title = name
	if !ours && !visible(l.Title) {
		l.Title = summary
		if !visible(l.Title) {
			l.Title = title(cut(htmlText(contentHTML), titleCut))
		}
	}
	if src, ok := d.source(m["source"]); ok {
		l.Description = src
	} else if !ours {
		l.Description = htmlText(contentHTML)
	}
	l.Description = clean(l.Description, MaxDescription, true)

	l.URL = d.page(m["url"])
	if primary != nil && isResource(primary.conformsTo) {
		l.Resource = primary.conformsTo
	}
	d.price(l, m, primary, reciprocal, ours)

	l.Status = Status(d.str(m["status"], "status"))
	l.LocationPref = LocationPref(d.str(m["locationPref"], "locationPref"))
	if !ours {
		l.Status = or(l.Status, StatusActive)
		l.LocationPref = or(l.LocationPref, LocationGlobal)
	}
	l.Visibility = Visibility(d.str(m["visibility"], "visibility"))
	if l.Visibility == "" {
		l.Visibility = d.addressing(m)
	}
	l.Tags = d.tags(m["tag"])
	l.Region = d.str(m["region"], "region")
	l.Location = d.place(m["location"])
	l.DataProductID = d.str(m["dataProductId"], "dataProductId")
	l.DataProduct = d.dataProduct(m["dataProduct"])
	l.Escrows = d.escrows(m["acceptsEscrow"])
	l.Created = d.time(m["published"], "published")
	l.Updated = d.time(m["updated"], "updated")
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return l, nil
}

// titleCut is how many characters of content make a title when a foreign
// Proposal has neither name nor summary.
const titleCut = 80

// classUserContent is the Wikidata class "user-generated content", what
// the primary Intent of a Mitra subscription conforms to.
const classUserContent = "https://www.wikidata.org/wiki/Q579716"

// price fills l.Price from the marketplace's terms and the two Intents,
// deriving what a foreign Proposal leaves out.
//
// The amount is the reciprocal's quantity, read by the currency: whole
// atomic units for a CAIP-19 asset (see amountFromWire). A rate has its
// unit of time on the primary Intent, where FEP-0837 and Mitra put it
// ({"hasUnit": "second", "hasNumericalValue": "1"}, unitBased true); an
// "hour" on the reciprocal, as older encoders wrote, still reads as hourly.
func (d *decoder) price(l *Listing, m map[string]json.RawMessage, primary, reciprocal *intent, ours bool) {
	p := &l.Price
	p.Type = PriceType(d.str(m["priceType"], "priceType"))
	p.Model = PricingModel(d.str(m["pricingModel"], "pricingModel"))
	p.Currency = d.str(m["currency"], "currency")
	_, hasCurrency := m["currency"]
	if !ours && !hasCurrency && reciprocal != nil {
		p.Currency = CurrencyOf(reciprocal.conformsTo)
	}
	if reciprocal != nil && reciprocal.amount != "" {
		amount, problem := amountFromWire(reciprocal.amount, p.Currency)
		if problem != "" {
			d.bad("reciprocal.resourceQuantity.hasNumericalValue", "%s", problem)
		}
		p.Amount = amount
	}
	if ours {
		return
	}
	rate := PriceType("")
	if primary != nil && primary.amount == "1" {
		rate = rateOf(primary.unit)
	}
	if p.Model == "" {
		p.Model = PricingOneTime
		if rate != "" && l.Resource == classUserContent {
			p.Model = PricingSubscription
		}
	}
	if p.Type != "" {
		return
	}
	switch {
	case reciprocal == nil:
		p.Type = PriceFree
	case reciprocal.conformsTo == TimeCreditIRI:
		p.Type = PriceTimeCredit
	case rate != "":
		p.Type = rate
	case rateOf(reciprocal.unit) == PriceHourly:
		p.Type = PriceHourly
	default:
		p.Type = PriceFixed
	}
}

// om2 is the namespace of the Ontology of units of Measure 2.0, whose unit
// names hasUnit takes.
const om2 = "http://www.ontology-of-units-of-measure.org/resource/om-2/"

// rateOf returns the rate priced per one unit of time named as on the
// wire ("second", "om2:second-Time", or the full OM 2 IRI), or "".
func rateOf(unit string) PriceType {
	unit = strings.TrimPrefix(strings.TrimPrefix(unit, om2), "om2:")
	unit = strings.TrimSuffix(unit, "-Time")
	for t, u := range rateUnits {
		if u == unit {
			return t
		}
	}
	return ""
}

// decoder reads members of a JSON object, collecting an error for each
// malformed one.
type decoder struct {
	errs ValidationError
}

func (d *decoder) bad(field, format string, args ...any) {
	d.errs = append(d.errs, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// kind returns the JSON kind of raw by its first byte: '"', '{', '[', 'n'
// (null or absent), or '0' for numbers and booleans.
func kind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return 'n'
	}
	switch raw[0] {
	case '"', '{', '[':
		return raw[0]
	}
	return '0'
}

// str reads a string member; absent and null give "".
func (d *decoder) str(raw json.RawMessage, path string) string {
	if isNull(raw) {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		d.bad(path, "must be a string")
	}
	return s
}

// types reads "type": a string or an array of strings.
func (d *decoder) types(raw json.RawMessage) []string {
	var out []string
	for _, item := range d.items(raw) {
		var s string
		if json.Unmarshal(item, &s) == nil {
			out = append(out, s)
		}
	}
	return out
}

// items returns the elements of an array, or raw itself when it is a
// single value; nothing for null or absent.
func (d *decoder) items(raw json.RawMessage) []json.RawMessage {
	switch kind(raw) {
	case 'n':
		return nil
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) == nil {
			return arr
		}
		return nil
	}
	return []json.RawMessage{raw}
}

// object reads a member that must be one embedded object (or an array
// whose first element is one).
func (d *decoder) object(raw json.RawMessage, path string) map[string]json.RawMessage {
	if kind(raw) == '[' {
		items := d.items(raw)
		if len(items) == 0 {
			return nil
		}
		raw, path = items[0], path+"[0]"
	}
	if kind(raw) == 'n' {
		return nil
	}
	var m map[string]json.RawMessage
	if kind(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		d.bad(path, "must be an embedded object")
		return nil
	}
	return m
}

// ids reads a member holding references: an IRI string, an object with
// an id, or an array of these.
func (d *decoder) ids(raw json.RawMessage, path string) []string {
	var out []string
	for _, item := range d.items(raw) {
		switch kind(item) {
		case '"':
			var s string
			if json.Unmarshal(item, &s) == nil && s != "" {
				out = append(out, s)
			}
		case '{':
			var ref struct {
				ID json.RawMessage `json:"id"`
			}
			if json.Unmarshal(item, &ref) == nil {
				if s := d.str(ref.ID, path+".id"); s != "" {
					out = append(out, s)
				}
			}
		default:
			d.bad(path, "must hold IRIs or objects with an id")
		}
	}
	return out
}

// wireNumberRE is the form of a quantity on the wire; what it may be
// depends on the currency (see amountFromWire).
var wireNumberRE = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// intent is what Decode uses of an FEP-0837 Intent.
type intent struct {
	action     string
	conformsTo string
	unit       string
	amount     string
}

func (d *decoder) intent(raw json.RawMessage, path string) *intent {
	m := d.object(raw, path)
	if m == nil {
		return nil
	}
	in := &intent{
		action:     d.str(m["action"], path+".action"),
		conformsTo: d.str(m["resourceConformsTo"], path+".resourceConformsTo"),
	}
	qpath := path + ".resourceQuantity"
	q := d.object(m["resourceQuantity"], qpath)
	if q == nil {
		d.bad(qpath, "is required: {hasUnit, hasNumericalValue}")
		return in
	}
	in.unit = d.str(q["hasUnit"], qpath+".hasUnit")
	vpath := qpath + ".hasNumericalValue"
	switch raw := bytes.TrimSpace(q["hasNumericalValue"]); kind(raw) {
	case '"':
		in.amount = d.str(raw, vpath)
	case '0':
		in.amount = string(raw) // tolerated: the FEP says strings, some write numbers
	default:
		d.bad(vpath, "is required")
		return in
	}
	if len(in.amount) > maxWireNumber || !wireNumberRE.MatchString(in.amount) {
		d.bad(vpath, "must be a non-negative decimal string such as \"12.50\", got %q", short(in.amount))
		in.amount = ""
	}
	return in
}

// language returns the language of contentMap and its content. With
// several languages it takes the first in sorted order, so the choice is
// stable.
func (d *decoder) language(raw json.RawMessage) (lang, content string) {
	if isNull(raw) {
		return "", ""
	}
	var m map[string]string
	if kind(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		d.bad("contentMap", "must be an object of language tags to strings")
		return "", ""
	}
	if len(m) == 0 {
		return "", ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[0], m[keys[0]]
}

// source returns the description from "source" when it is plain text or
// Markdown (what Encode writes, and what Misskey-style servers send).
func (d *decoder) source(raw json.RawMessage) (string, bool) {
	if kind(raw) != '{' {
		return "", false
	}
	m := d.object(raw, "source")
	mt := d.str(m["mediaType"], "source.mediaType")
	mt, _, _ = strings.Cut(mt, ";")
	switch strings.TrimSpace(strings.ToLower(mt)) {
	case "text/plain", "text/markdown":
		return d.str(m["content"], "source.content"), true
	}
	return "", false
}

// addressing derives a visibility from to and cc.
func (d *decoder) addressing(m map[string]json.RawMessage) Visibility {
	to := append(d.ids(m["to"], "to"), d.ids(m["cc"], "cc")...)
	for _, a := range to {
		if a == Public || a == "as:Public" || a == "Public" {
			return VisibilityPublic
		}
	}
	if len(to) > 0 {
		return VisibilityFollowers
	}
	return VisibilityPrivate
}

// tags reads the Hashtags of "tag"; mentions, emoji and links are skipped,
// and so are hashtags that break the tag rules (a tag of a post may be
// long or hold spaces) and those beyond the first MaxTags.
func (d *decoder) tags(raw json.RawMessage) []string {
	var out []string
	for i, item := range d.items(raw) {
		if len(out) == MaxTags {
			break
		}
		if kind(item) != '{' {
			continue
		}
		path := fmt.Sprintf("tag[%d]", i)
		m := d.object(item, path)
		if !slices.Contains(d.types(m["type"]), "Hashtag") {
			continue
		}
		if name := strings.TrimPrefix(d.str(m["name"], path+".name"), "#"); tagProblem(name) == "" {
			out = append(out, name)
		}
	}
	return out
}

// page reads "url": the first http(s) URL of at most MaxURL characters,
// given as a string or as a Link's href; other values are skipped, as
// they only point people somewhere.
func (d *decoder) page(raw json.RawMessage) string {
	for _, item := range d.items(raw) {
		var s string
		switch kind(item) {
		case '"':
			_ = json.Unmarshal(item, &s)
		case '{':
			var link struct {
				Href string `json:"href"`
			}
			_ = json.Unmarshal(item, &link)
			s = link.Href
		}
		if s != "" && urlProblem(s) == "" {
			return s
		}
	}
	return ""
}

// place reads the first Place of "location" that has both coordinates.
func (d *decoder) place(raw json.RawMessage) *GeoPoint {
	for i, item := range d.items(raw) {
		if kind(item) != '{' {
			continue
		}
		path := "location"
		if kind(raw) == '[' {
			path = fmt.Sprintf("location[%d]", i)
		}
		m := d.object(item, path)
		if isNull(m["latitude"]) || isNull(m["longitude"]) {
			continue
		}
		p := &GeoPoint{Lat: d.number(m["latitude"], path+".latitude"), Lon: d.number(m["longitude"], path+".longitude")}
		return p
	}
	return nil
}

func (d *decoder) number(raw json.RawMessage, path string) float64 {
	var f float64
	if kind(raw) != '0' || json.Unmarshal(raw, &f) != nil {
		d.bad(path, "must be a number")
	}
	return f
}

func (d *decoder) dataProduct(raw json.RawMessage) *DataProduct {
	m := d.object(raw, "dataProduct")
	if m == nil {
		return nil
	}
	p := &DataProduct{
		Format: d.str(m["format"], "dataProduct.format"),
		Schema: d.str(m["schema"], "dataProduct.schema"),
		Sample: d.str(m["sample"], "dataProduct.sample"),
	}
	if raw := m["sampleRows"]; !isNull(raw) {
		if kind(raw) != '0' || json.Unmarshal(raw, &p.SampleRows) != nil {
			d.bad("dataProduct.sampleRows", "must be an integer")
		}
	}
	return p
}

// time reads an RFC 3339 timestamp and returns it in UTC; absent gives
// the zero time.
func (d *decoder) time(raw json.RawMessage, path string) time.Time {
	s := d.str(raw, path)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.bad(path, "must be an RFC 3339 timestamp such as \"2026-01-02T15:04:05Z\", got %q", s)
		return time.Time{}
	}
	t = t.UTC()
	if p := wireTimeProblem(t); p != "" {
		d.bad(path, "%s", p)
		return time.Time{}
	}
	return t
}

// isProposalType reports whether an AS type names the FEP-0837 Proposal,
// compacted or expanded.
func isProposalType(t string) bool {
	return t == "Proposal" || t == "vf:Proposal" || t == "https://w3id.org/valueflows/ont/vf#Proposal"
}

func typesText(types []string) string {
	if len(types) == 0 {
		return "(none)"
	}
	return fmt.Sprintf("%q", types)
}

func or[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}
