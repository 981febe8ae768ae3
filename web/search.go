package web

import (
	"html/template"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/index"
	"github.com/sovereign-marketplace/market/listing"
)

// Search is what a search page shows: the form as the query left it,
// facets as links with counts, one page of results, paging by cursor and
// the map's data. Every link carries the whole query in its URL, so a
// search can be bookmarked and shared, and every part works as plain
// HTML. A relay's search page and a hub's local marketplace share it; the
// templates are web's partials "search-form", "search-filters",
// "search-facets", "search-results", "search-pager" and "search-map".
type Search struct {
	Path   string     // the page's path, which every link starts with
	Values url.Values // the query string as received
	Err    string     // what is wrong with the query, shown beside the form

	// The form's fields.
	Q, Currency, PriceMin, PriceMax, Near, RadiusKm, Sort string
	Sorts                                                 []Option
	Hidden                                                []Field // filters chosen by links, kept when the form is sent again

	Total    uint64
	Approx   bool // facet counts cover the first matches only
	Hits     []Hit
	Facets   []FacetGroup
	Chosen   []Chip // the filters in force, each with a link that drops it
	Next     string // the next page, "" on the last
	First    string // the first page, "" on the first
	Paged    bool   // a cursor is in force
	TookMs   int64
	APIURL   string    // the same search as JSON
	Map      MapData   // the results by country and the located ones
	Searched time.Time // when the page was made
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// Field is a hidden form field.
type Field struct{ Name, Value string }

// Chip is a filter in force and the link that drops it.
type Chip struct{ Label, Remove string }

// FacetGroup is one facet: its values as links with counts.
type FacetGroup struct {
	Name, Label string // the parameter ("type") and its heading ("Type")
	Values      []FacetLink
	More        []FacetLink // past the first few, behind a disclosure
	Hint        string      // shown instead of links when they would not apply
}

// FacetLink is one value of a facet: a link that adds it to the query, or
// drops it when it is already chosen.
type FacetLink struct {
	Value, Label string
	Count        int
	URL          string
	Chosen       bool
}

// Hit is one result as a page shows it. Title and the rest are plain
// text; Summary is sanitized HTML (matched words in <mark>).
type Hit struct {
	ID, Title          string
	Summary            template.HTML
	Type, Price        string
	Region, RegionURL  string
	Tags               []FacetLink
	SellerName, Seller string // display name, actor id
	SellerHost         string
	HubURL             string // the listing's page on its hub (http or https only)
	DetailURL          string // its page on this server
	Published          time.Time
	Distance           string // "12 km", with near
	Location           *listing.GeoPoint
}

// MapData is what the map draws: results per country over every match,
// and the results of this page that give a location.
type MapData struct {
	Label     string
	Countries []CountryCount
	Points    []MapPoint
}

// CountryCount is how many matches are in one country, and the search
// narrowed to it.
type CountryCount struct {
	Code  string
	Count int
	URL   string
}

// MapPoint is a located result.
type MapPoint struct {
	Title, URL string
	Lat, Lon   float64
}

// Show reports whether there is anything to draw.
func (m MapData) Show() bool { return len(m.Countries) > 0 || len(m.Points) > 0 }

// SearchOptions say where a search page lives and how to reach its parts.
type SearchOptions struct {
	// Path is the search page's path ("/" on a relay).
	Path string
	// DetailURL is the page of one result on this server.
	DetailURL func(id string) string
	// Locate gives the location of the listings with the given ids, when
	// they say one (for the map); nil draws countries only.
	Locate func(ids []string) map[string]listing.GeoPoint
	// APIPath is the search API the "as JSON" link points at;
	// /api/v1/search when empty.
	APIPath string
}

// facet parameters: how each takes values.
const (
	multi  = iota // a list: any of them (type, price_type, pricing_model)
	all           // a list: every one of them (tag)
	single        // one value (region, currency)
)

// NewSearch is the page for the query string v, parsed into q, and its
// result res; res is nil when the query could not run, and err (shown)
// then says why.
func NewSearch(v url.Values, q index.Query, res *index.Result, err string, opts SearchOptions) *Search {
	if opts.Path == "" {
		opts.Path = "/"
	}
	s := &Search{
		Path: opts.Path, Values: v, Err: err,
		Q: v.Get("q"), Currency: strings.TrimSpace(v.Get("currency")), PriceMin: v.Get("price_min"), PriceMax: v.Get("price_max"),
		Near: v.Get("near"), RadiusKm: v.Get("radius_km"), Sort: v.Get("sort"),
		Paged: v.Get("cursor") != "", Searched: time.Now().UTC(),
	}
	if len(s.Currency) == 3 {
		s.Currency = strings.ToUpper(s.Currency)
	}
	for _, o := range []Option{{"", "Best match", false}, {index.SortNewest, "Newest", false}, {index.SortPriceAsc, "Price, lowest first", false},
		{index.SortPriceDesc, "Price, highest first", false}, {index.SortDistance, "Distance (with near)", false}} {
		o.Selected = o.Value == s.Sort
		s.Sorts = append(s.Sorts, o)
	}
	for _, name := range []string{"type", "tag", "price_type", "pricing_model", "region", "seller"} {
		for _, val := range listParam(v, name) {
			s.Hidden = append(s.Hidden, Field{name, val})
		}
	}
	s.chips()
	api := s.clone()
	api.Del("cursor")
	apiPath := opts.APIPath
	if apiPath == "" {
		apiPath = "/api/v1/search"
	}
	s.APIURL = apiPath + encode(api)
	if res == nil {
		return s
	}
	s.Total, s.Approx, s.TookMs = res.Total, res.Facets.Approximate, res.Took.Milliseconds()
	if res.NextCursor != "" {
		next := s.clone()
		next.Set("cursor", res.NextCursor)
		s.Next = s.Path + encode(next)
	}
	if s.Paged {
		s.First = s.link(s.clone())
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	var where map[string]listing.GeoPoint
	if opts.Locate != nil && len(ids) > 0 {
		where = opts.Locate(ids)
	}
	for _, h := range res.Hits {
		hit := Hit{
			ID: h.ID, Title: h.Title, Summary: Sanitize(h.Summary), Type: Label(h.ListingType),
			Price:  listing.Price{Amount: h.Price.Amount, Currency: h.Price.Currency, Type: listing.PriceType(h.Price.PriceType), Model: listing.PricingModel(h.Price.PricingModel)}.String(),
			Region: h.Region, SellerName: h.Seller.Name, Seller: h.Seller.ID, SellerHost: h.Seller.Host,
			HubURL: webURL(h.URL), Published: h.Published,
		}
		if h.Region != "" {
			hit.RegionURL = s.setLink("region", h.Region)
		}
		if opts.DetailURL != nil {
			hit.DetailURL = opts.DetailURL(h.ID)
		}
		if q.Near != nil {
			hit.Distance = distance(h.DistanceKm)
		}
		for _, tag := range h.Tags {
			hit.Tags = append(hit.Tags, FacetLink{Value: tag, Label: tag, URL: s.addLink("tag", tag), Chosen: slices.Contains(listParam(v, "tag"), tag)})
		}
		if p, ok := where[h.ID]; ok {
			hit.Location = &p
			url := hit.DetailURL
			if url == "" {
				url = hit.HubURL
			}
			s.Map.Points = append(s.Map.Points, MapPoint{Title: h.Title, URL: url, Lat: p.Lat, Lon: p.Lon})
		}
		s.Hits = append(s.Hits, hit)
	}
	if q.Facets {
		s.facets(res.Facets)
	}
	s.Map.Label = "Map of the " + strconv.FormatUint(res.Total, 10) + " results by country"
	if len(s.Map.Points) > 0 {
		s.Map.Label += "; dots are the results of this page that give a location"
	}
	return s
}

// facets turns the counts into groups of links.
func (s *Search) facets(f index.Facets) {
	add := func(name, label string, kind int, counts []index.FacetCount, show int, labelOf func(string) string) {
		g := FacetGroup{Name: name, Label: label}
		chosen := listParam(s.Values, name)
		for _, c := range counts {
			l := FacetLink{Value: c.Value, Label: labelOf(c.Value), Count: c.Count, Chosen: slices.Contains(chosen, c.Value)}
			switch {
			case l.Chosen:
				l.URL = s.dropLink(name, c.Value)
			case kind == single:
				l.URL = s.setLink(name, c.Value)
			default:
				l.URL = s.addLink(name, c.Value)
			}
			if len(g.Values) < show || l.Chosen {
				g.Values = append(g.Values, l)
			} else {
				g.More = append(g.More, l)
			}
		}
		if len(g.Values) > 0 {
			s.Facets = append(s.Facets, g)
		}
	}
	plain := func(v string) string { return v }
	add("type", "Type", multi, f.ListingType, 8, Label)
	s.priceBands(f)
	add("price_type", "Price type", multi, f.PriceType, 8, Label)
	add("pricing_model", "Pricing model", multi, f.PricingModel, 8, Label)
	add("currency", "Currency", single, f.Currency, 6, plain)
	add("region", "Region", single, f.Region, 10, plain)
	add("tag", "Tags", all, f.Tags, 12, plain)
	byCountry := map[string]int{}
	for _, c := range f.Region {
		cc, _, _ := strings.Cut(c.Value, "-")
		byCountry[cc] += c.Count
	}
	for cc, n := range byCountry {
		s.Map.Countries = append(s.Map.Countries, CountryCount{Code: cc, Count: n, URL: s.setLink("region", cc)})
	}
	sort.Slice(s.Map.Countries, func(i, j int) bool {
		a, b := s.Map.Countries[i], s.Map.Countries[j]
		return a.Count > b.Count || a.Count == b.Count && a.Code < b.Code
	})
}

// priceBands adds the price facet: with a currency chosen, each band is a
// link that sets price_min and price_max; without one, bands mix
// currencies and cannot filter, so the group asks for a currency.
func (s *Search) priceBands(f index.Facets) {
	if len(f.PriceBand) == 0 {
		return
	}
	g := FacetGroup{Name: "price", Label: "Price"}
	cur := s.Currency
	for _, c := range f.PriceBand {
		l := FacetLink{Value: c.Value, Count: c.Count, Label: c.Value}
		lo, hi, ok := bandBounds(c.Value, cur)
		if cur != "" {
			l.Label = strings.Replace(c.Value, "-", "–", 1) + " " + cur
		}
		if cur != "" && ok {
			l.Chosen = s.PriceMin == lo && s.PriceMax == hi
			v := s.clone()
			v.Del("price_min")
			v.Del("price_max")
			if !l.Chosen {
				v.Set("price_min", lo)
				if hi != "" {
					v.Set("price_max", hi)
				}
			}
			l.URL = s.link(v)
		}
		g.Values = append(g.Values, l)
	}
	if cur == "" {
		g.Hint = "Choose a currency to filter by price."
	}
	s.Facets = append(s.Facets, g)
}

// bandBounds are the inclusive decimal bounds of a price band label
// ("10-50", "1000+") in currency: "10" and "49.99" for USD.
func bandBounds(label, currency string) (lo, hi string, ok bool) {
	if currency == "" {
		return "", "", false
	}
	if strings.HasSuffix(label, "+") {
		return strings.TrimSuffix(label, "+"), "", true
	}
	a, b, found := strings.Cut(label, "-")
	upTo, err := strconv.ParseInt(b, 10, 64)
	if !found || err != nil {
		return "", "", false
	}
	scale := int64(math.Pow10(listing.Decimals(currency)))
	return a, listing.FormatMinor(upTo*scale-1, currency), true
}

// chips lists the filters in force.
func (s *Search) chips() {
	names := map[string]string{"type": "Type", "tag": "Tag", "price_type": "Price type", "pricing_model": "Pricing model", "region": "Region", "currency": "Currency", "seller": "Seller"}
	for _, name := range []string{"type", "price_type", "pricing_model", "tag", "region", "currency", "seller"} {
		for _, val := range listParam(s.Values, name) {
			label := val
			switch name {
			case "type", "price_type", "pricing_model":
				label = Label(val)
			case "currency":
				label = s.Currency
			}
			s.Chosen = append(s.Chosen, Chip{Label: names[name] + ": " + label, Remove: s.dropLink(name, val)})
		}
	}
	if s.PriceMin != "" || s.PriceMax != "" {
		v := s.clone()
		v.Del("price_min")
		v.Del("price_max")
		s.Chosen = append(s.Chosen, Chip{Label: "Price: " + orDots(s.PriceMin) + "–" + orDots(s.PriceMax) + " " + s.Currency, Remove: s.link(v)})
	}
	if s.Near != "" {
		v := s.clone()
		v.Del("near")
		v.Del("radius_km")
		if v.Get("sort") == index.SortDistance {
			v.Del("sort")
		}
		s.Chosen = append(s.Chosen, Chip{Label: "Within " + s.RadiusKm + " km of " + s.Near, Remove: s.link(v)})
	}
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// clone copies the query without its cursor: a changed query starts at
// its first page.
func (s *Search) clone() url.Values {
	out := url.Values{}
	for k, vs := range s.Values {
		if k == "cursor" {
			continue
		}
		for _, v := range vs {
			if v != "" {
				out[k] = append(out[k], v)
			}
		}
	}
	return out
}

func (s *Search) link(v url.Values) string { return s.Path + encode(v) }

// setLink sets a one-value parameter.
func (s *Search) setLink(name, val string) string {
	v := s.clone()
	v.Set(name, val)
	return s.link(v)
}

// addLink adds a value to a list parameter.
func (s *Search) addLink(name, val string) string {
	v := s.clone()
	list := listParam(v, name)
	if !slices.Contains(list, val) {
		list = append(list, val)
	}
	v[name] = list
	return s.link(v)
}

// dropLink removes a value of a parameter.
func (s *Search) dropLink(name, val string) string {
	v := s.clone()
	var keep []string
	for _, x := range listParam(v, name) {
		if x != val {
			keep = append(keep, x)
		}
	}
	if len(keep) == 0 {
		v.Del(name)
	} else {
		v[name] = keep
	}
	return s.link(v)
}

func encode(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// listParam reads a parameter that may repeat or hold commas, as the
// search API does.
func listParam(v url.Values, name string) []string {
	var out []string
	for _, x := range v[name] {
		for _, p := range strings.Split(x, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// webURL keeps a URL a page may link to: http or https only.
func webURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return raw
}

func distance(km float64) string {
	switch {
	case km < 1:
		return "under 1 km"
	case km < 10:
		return strconv.FormatFloat(km, 'f', 1, 64) + " km"
	}
	return strconv.FormatFloat(math.Round(km), 'f', 0, 64) + " km"
}
