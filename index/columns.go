package index

// columns holds, by a record's pos, what filters, facets and sort orders
// read, one array per field and no pointers in any. A browse over every
// listing reads only the arrays its filters, facets and order need, in
// order, and the garbage collector never scans them. A row is one
// listing's values across the arrays.
type columns struct {
	published                                []int64   // unix milliseconds
	price                                    []float64 // the amount in minor units; band 0: none
	tie                                      []float64 // tieKey of the id
	typ, ptype, pmodel, cur, region, country []uint32
	seller, host, band                       []uint32 // band 0: no amount
	tagChunk                                 []uint32 // the tag codes: table.tagChunks[tagChunk][tagOff:tagOff+ntags]
	tagOff, ntags                            []uint16
}

// row is one listing's values in columns.
type row struct {
	published                                int64
	price, tie                               float64
	typ, ptype, pmodel, cur, region, country uint32
	seller, host, band                       uint32
	tagChunk                                 uint32
	tagOff, ntags                            uint16
}

func newColumns(n int) columns {
	u32 := func() []uint32 { return make([]uint32, 0, n) }
	return columns{
		published: make([]int64, 0, n), price: make([]float64, 0, n), tie: make([]float64, 0, n),
		typ: u32(), ptype: u32(), pmodel: u32(), cur: u32(), region: u32(), country: u32(),
		seller: u32(), host: u32(), band: u32(), tagChunk: u32(),
		tagOff: make([]uint16, 0, n), ntags: make([]uint16, 0, n),
	}
}

// add appends w as the row at the next pos.
func (c *columns) add(w row) {
	c.published = append(c.published, w.published)
	c.price = append(c.price, w.price)
	c.tie = append(c.tie, w.tie)
	c.typ = append(c.typ, w.typ)
	c.ptype = append(c.ptype, w.ptype)
	c.pmodel = append(c.pmodel, w.pmodel)
	c.cur = append(c.cur, w.cur)
	c.region = append(c.region, w.region)
	c.country = append(c.country, w.country)
	c.seller = append(c.seller, w.seller)
	c.host = append(c.host, w.host)
	c.band = append(c.band, w.band)
	c.tagChunk = append(c.tagChunk, w.tagChunk)
	c.tagOff = append(c.tagOff, w.tagOff)
	c.ntags = append(c.ntags, w.ntags)
}

// row returns the values at pos.
func (c *columns) row(pos int) row {
	return row{
		published: c.published[pos], price: c.price[pos], tie: c.tie[pos],
		typ: c.typ[pos], ptype: c.ptype[pos], pmodel: c.pmodel[pos], cur: c.cur[pos],
		region: c.region[pos], country: c.country[pos], seller: c.seller[pos], host: c.host[pos],
		band: c.band[pos], tagChunk: c.tagChunk[pos], tagOff: c.tagOff[pos], ntags: c.ntags[pos],
	}
}

// removeAt moves the last row to pos and drops the last.
func (c *columns) removeAt(pos int) {
	n := len(c.published) - 1
	if pos != n {
		c.set(pos, c.row(n))
	}
	c.published, c.price, c.tie = c.published[:n], c.price[:n], c.tie[:n]
	c.typ, c.ptype, c.pmodel, c.cur = c.typ[:n], c.ptype[:n], c.pmodel[:n], c.cur[:n]
	c.region, c.country, c.seller, c.host, c.band = c.region[:n], c.country[:n], c.seller[:n], c.host[:n], c.band[:n]
	c.tagChunk, c.tagOff, c.ntags = c.tagChunk[:n], c.tagOff[:n], c.ntags[:n]
}

func (c *columns) set(pos int, w row) {
	c.published[pos], c.price[pos], c.tie[pos] = w.published, w.price, w.tie
	c.typ[pos], c.ptype[pos], c.pmodel[pos], c.cur[pos] = w.typ, w.ptype, w.pmodel, w.cur
	c.region[pos], c.country[pos], c.seller[pos], c.host[pos], c.band[pos] = w.region, w.country, w.seller, w.host, w.band
	c.tagChunk[pos], c.tagOff[pos], c.ntags[pos] = w.tagChunk, w.tagOff, w.ntags
}

// tags returns the tag codes of the listing at pos.
func (t *table) tags(pos int) []uint32 {
	n := t.cols.ntags[pos]
	if n == 0 {
		return nil
	}
	off := int(t.cols.tagOff[pos])
	return t.tagChunks[t.cols.tagChunk[pos]][off : off+int(n)]
}

// priceKey sorts a listing without an amount below every priced one.
func (t *table) priceKey(pos int) float64 {
	if t.cols.band[pos] == 0 {
		return -1
	}
	return t.cols.price[pos]
}
