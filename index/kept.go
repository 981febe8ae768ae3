package index

// maxKeptValues is how many values of one dimension get counts of their
// own: dimensions hold few values (the listing types, price types,
// pricing models, currencies in use), and a store holding many currencies
// does not make the table keep as many counters.
const maxKeptValues = 48

// keptCounts are the facet counts the table keeps as listings come and
// go: over every listing, and over the listings of each value of the
// dimensions a browse most often filters on alone (type, price type,
// pricing model, currency). A browse with no filter, or with one value of
// one of these and nothing else, takes its facets from here instead of
// counting them listing by listing.
type keptCounts struct {
	all                                  counter
	byType, byPriceType, byModel, byCurr []*counter // by the value's code
}

// add counts the listing of row w by n (1 or -1).
func (k *keptCounts) add(t *table, w row, n int) {
	k.all.addGrow(t, w, n)
	for _, d := range []struct {
		by   *[]*counter
		code uint32
	}{{&k.byType, w.typ}, {&k.byPriceType, w.ptype}, {&k.byModel, w.pmodel}, {&k.byCurr, w.cur}} {
		if d.code >= maxKeptValues {
			continue
		}
		for int(d.code) >= len(*d.by) {
			*d.by = append(*d.by, nil)
		}
		c := (*d.by)[d.code]
		if c == nil {
			c = &counter{}
			(*d.by)[d.code] = c
		}
		c.addGrow(t, w, n)
	}
}

// kept returns the counts the table keeps for the listings filter f
// passes, or nil when it keeps none for f.
func (k *keptCounts) kept(f *filter) *counter {
	if f.none {
		return nil
	}
	if f.all {
		return &k.all
	}
	if f.tags != nil || f.region != 0 || f.country != 0 || f.seller != 0 || f.host != 0 || f.priceRange {
		return nil
	}
	var by []*counter
	var code uint32
	set := 0
	for _, d := range []struct {
		codes []uint32
		by    []*counter
	}{{f.types, k.byType}, {f.ptypes, k.byPriceType}, {f.pmodels, k.byModel}} {
		if d.codes != nil {
			set++
			if len(d.codes) != 1 {
				return nil
			}
			by, code = d.by, d.codes[0]
		}
	}
	if f.cur != 0 {
		set++
		by, code = k.byCurr, f.cur
	}
	if set != 1 || int(code) >= len(by) || by[code] == nil {
		return nil
	}
	return by[code]
}
