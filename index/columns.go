package index

// columns holds, by a record's pos, what filters, facets and sort orders
// read, in arrays without pointers, grouped by what is read together: the
// sort keys of a hit, the codes a facet count reads (and most filters),
// and the rarer filters on their own. A browse over every listing reads
// only the groups its filters, facets and order need, in order; a walk
// over text matches or a grid cell, at random places, reads one group in
// one cache line instead of one line per field. The garbage collector
// never scans them.
type columns struct {
	keys                  []sortKeys
	facets                []facetCodes
	country, seller, host []uint32
}

// sortKeys are a listing's sort keys.
type sortKeys struct {
	published int64   // unix milliseconds
	price     float64 // the amount in minor units; meaningless when band is 0
	tie       float64 // tieKey of the id
}

// facetCodes are the codes of a listing's faceted fields, interned by the
// table's dictionaries, and where its tag codes are.
type facetCodes struct {
	typ, ptype, pmodel, cur, region uint32
	band                            uint32 // 0: no amount
	tagChunk                        uint32 // the tag codes: table.tagChunks[tagChunk][tagOff:tagOff+ntags]
	tagOff, ntags                   uint16
}

// row is one listing's values across the columns.
type row struct {
	sortKeys
	facetCodes
	country, seller, host uint32
}

func newColumns(n int) columns {
	return columns{
		keys: make([]sortKeys, 0, n), facets: make([]facetCodes, 0, n),
		country: make([]uint32, 0, n), seller: make([]uint32, 0, n), host: make([]uint32, 0, n),
	}
}

// add appends w as the row at the next pos.
func (c *columns) add(w row) {
	c.keys = append(c.keys, w.sortKeys)
	c.facets = append(c.facets, w.facetCodes)
	c.country = append(c.country, w.country)
	c.seller = append(c.seller, w.seller)
	c.host = append(c.host, w.host)
}

// row returns the values at pos.
func (c *columns) row(pos int) row {
	return row{sortKeys: c.keys[pos], facetCodes: c.facets[pos], country: c.country[pos], seller: c.seller[pos], host: c.host[pos]}
}

// removeAt moves the last row to pos and drops the last.
func (c *columns) removeAt(pos int) {
	n := len(c.keys) - 1
	c.keys[pos], c.facets[pos] = c.keys[n], c.facets[n]
	c.country[pos], c.seller[pos], c.host[pos] = c.country[n], c.seller[n], c.host[n]
	c.keys, c.facets = c.keys[:n], c.facets[:n]
	c.country, c.seller, c.host = c.country[:n], c.seller[:n], c.host[:n]
}

// tagsOf returns the tag codes f points to.
func (t *table) tagsOf(f *facetCodes) []uint32 {
	if f.ntags == 0 {
		return nil
	}
	return t.tagChunks[f.tagChunk][f.tagOff : int(f.tagOff)+int(f.ntags)]
}

// priceKey sorts a listing without an amount below every priced one.
func (t *table) priceKey(pos int) float64 {
	if t.cols.facets[pos].band == 0 {
		return -1
	}
	return t.cols.keys[pos].price
}
