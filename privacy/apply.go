package privacy

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Options configure one run of the engine.
type Options struct {
	// InputFormat is csv, json, jsonl (json reads both arrays and lines) or
	// parquet (from a file).
	InputFormat Format
	// OutputFormat is csv, json, jsonl or parquet.
	OutputFormat Format
	// Key is the data product's secret for keyed hashes, at least 16
	// bytes. Digests are stable within a product and differ across
	// products.
	Key []byte
	// Sample, when > 0, makes a preview: Sample rows drawn uniformly from
	// the whole transformed output (never from the raw rows), in input
	// order.
	Sample int
	// Random is the source of randomness for noise, trimming and
	// sampling; crypto/rand when nil. Tests pass a fixed stream.
	Random io.Reader
	// Progress, when set, is called every few thousand rows with the rows
	// read and the input bytes consumed so far.
	Progress func(rows, bytes int64)
}

// Result is what a run produced besides the output bytes.
type Result struct {
	Schema Schema
	// SchemaJSON is the JSON Schema of one output row (the listing's
	// schema_json).
	SchemaJSON string
	// Metadata is written into Parquet's key-value metadata and belongs in
	// the listing: the privacy unit and epsilon, the policy's actions.
	Metadata map[string]string
	Report   *Report
}

// inferRows is how many rows are read ahead to infer column types.
const inferRows = 1000

// MinKeyLen is the shortest product key Apply accepts.
const MinKeyLen = 16

// Apply runs the policy over in and writes the product to out. It streams:
// memory does not grow with the number of rows (a preview holds its
// Sample rows). On error, out holds a partial product; ApplyFile writes to
// a temporary file and renames it only on success. When the output misses
// the policy's release limits, the error wraps ErrTooIdentifying and the
// Result (with its report) is returned as well.
func Apply(ctx context.Context, p *Policy, in io.Reader, out io.Writer, opt Options) (*Result, error) {
	if opt.Key != nil && len(opt.Key) < MinKeyLen {
		return nil, fmt.Errorf("%w: the product key has %d bytes; at least %d are needed", ErrInvalidPolicy, len(opt.Key), MinKeyLen)
	}
	if opt.OutputFormat == "" {
		opt.OutputFormat = FormatCSV
	}
	if opt.InputFormat == "" {
		opt.InputFormat = FormatCSV
	}
	counter := &countingReader{r: in}
	rd, err := newReader(counter, in, opt.InputFormat)
	if err != nil {
		return nil, err
	}
	cols := rd.Columns()
	if err := p.Validate(cols); err != nil {
		return nil, err
	}
	// Read ahead to infer types.
	window := make([]ownedRow, 0, 64)
	for len(window) < inferRows {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		var r ownedRow
		copyRow(&r, row, rd.Line())
		window = append(window, r)
	}
	types := make([]Type, len(cols))
	colVals := make([]Value, len(window))
	for c := range cols {
		for i := range window {
			colVals[i] = window[i].vals[c]
		}
		types[c] = inferType(colVals)
		if types[c] == "" {
			types[c] = typeForRule(p, cols[c])
		}
		if err := checkNeeds(p, cols[c], types[c], window, c); err != nil {
			return nil, err
		}
	}
	rnd := newSampler(opt.Random)
	loc := p.Location
	if loc == nil {
		loc = detectLocation(cols, types)
	}
	eng, err := compile(p, cols, types, opt.Key, rnd)
	if err != nil {
		return nil, err
	}
	res := &Result{Schema: eng.schema, SchemaJSON: eng.schema.JSON()}
	res.Metadata = metadata(p, eng)
	rep := newReportBuilder(p, eng, loc, cols)

	aw := newAsyncWriter(out)
	defer aw.abort()
	var w rowWriter
	defer func() {
		// a failed run stops the Parquet encoder's goroutine too
		if pw, ok := w.(*parquetWriter); ok {
			pw.stop()
		}
	}()
	var sample *reservoir
	if opt.Sample > 0 {
		sample = &reservoir{n: opt.Sample, rnd: rnd}
	} else {
		w, err = newWriter(aw, opt.OutputFormat, eng.schema, res.Metadata)
		if err != nil {
			return nil, err
		}
	}
	var outTrack int64
	emit := func(r *ownedRow) error {
		row, err := eng.transform(r.vals, r.line)
		if err != nil {
			return err
		}
		rep.output(row, outTrack)
		if sample != nil {
			sample.add(row)
			return nil
		}
		return w.Write(row)
	}
	var trk *tracker
	var trim *trimmer
	if loc != nil {
		trk = newTracker(cols, loc)
		if loc.TrimMaxM > 0 {
			trim = &trimmer{latCol: slices.Index(cols, loc.Lat), lonCol: slices.Index(cols, loc.Lon),
				min: uint64(loc.TrimMinM), max: uint64(loc.TrimMaxM), rnd: rnd}
		}
	}
	var rows int64
	var direct ownedRow
	handle := func(row []Value, line int64) error {
		rows++
		if rows&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Progress != nil {
				opt.Progress(rows, counter.n)
			}
		}
		if trk != nil {
			isNew := trk.next(row)
			rep.raw(row, isNew)
			if trim != nil {
				if isNew {
					outTrack = trk.n - 1
					if err := trim.begin(emit); err != nil {
						return err
					}
				}
				outTrack = trk.n
				return trim.push(row, line, emit)
			}
			outTrack = trk.n
		}
		direct.vals, direct.line = row, line
		return emit(&direct)
	}
	for i := range window {
		if err := handle(window[i].vals, window[i].line); err != nil {
			return nil, err
		}
	}
	window = nil
	for {
		row, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := handle(row, rd.Line()); err != nil {
			return nil, err
		}
	}
	if trim != nil {
		outTrack = trk.n
		if err := trim.finish(emit); err != nil {
			return nil, err
		}
	}
	if sample != nil {
		w, err = newWriter(aw, opt.OutputFormat, eng.schema, res.Metadata)
		if err != nil {
			return nil, err
		}
		for _, r := range sample.sorted() {
			if err := w.Write(r.vals); err != nil {
				return nil, err
			}
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, fmt.Errorf("write output: %w", err)
	}
	if opt.Progress != nil {
		opt.Progress(rows, counter.n)
	}
	res.Report = rep.finish(rows, trim)
	if sample != nil {
		res.Report.Sample = true
		res.Report.RowsWritten = int64(len(sample.rows))
	}
	return res, checkRelease(p.Release, res.Report)
}

// checkRelease compares the report with the policy's release limits. A
// preview is checked too: it is made to be published.
func checkRelease(l ReleaseLimits, r *Report) error {
	var missed []string
	if l.MinHomeErrorM > 0 && r.Location != nil && r.Location.HomeErrorM != nil && *r.Location.HomeErrorM < l.MinHomeErrorM {
		missed = append(missed, fmt.Sprintf("home inference lands %.0f m from the most frequent true place, under the %.0f m the policy requires", *r.Location.HomeErrorM, l.MinHomeErrorM))
	}
	if l.MaxUniqueShare != nil && r.Uniqueness != nil && r.Uniqueness.UniqueRows > *l.MaxUniqueShare {
		missed = append(missed, fmt.Sprintf("%.1f%% of rows are unique on (%s), over the %.1f%% the policy allows",
			100*r.Uniqueness.UniqueRows, strings.Join(r.Uniqueness.QuasiIdentifiers, ", "), 100**l.MaxUniqueShare))
	}
	if len(missed) == 0 {
		return nil
	}
	r.Warnings = append(r.Warnings, missed...)
	return fmt.Errorf("%w: %s", ErrTooIdentifying, strings.Join(missed, "; "))
}

// ApplyFile runs Apply from the file inPath to outPath. The output is
// written to a temporary file beside outPath and renamed into place only
// when the whole run succeeded and the report meets the policy's release
// limits, so neither a bad row nor a too identifying product leaves a file
// behind. With ErrTooIdentifying the Result is returned too. Formats left empty in opt are taken from the file names.
func ApplyFile(ctx context.Context, p *Policy, inPath, outPath string, opt Options) (*Result, error) {
	var err error
	if opt.InputFormat == "" {
		if opt.InputFormat, err = FormatOf(inPath); err != nil {
			return nil, err
		}
	}
	if opt.OutputFormat == "" {
		if opt.OutputFormat, err = FormatOf(outPath); err != nil {
			return nil, err
		}
	}
	in, err := os.Open(inPath)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(outPath), "."+filepath.Base(outPath)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create output: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	res, err := Apply(ctx, p, in, tmp, opt)
	if err != nil {
		// the output is kept back; a release failure still brings the
		// report that explains it
		return res, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return nil, fmt.Errorf("write output: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("write output: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("write output: %w", err)
	}
	if err := os.Rename(tmp.Name(), outPath); err != nil {
		return nil, fmt.Errorf("move output into place: %w", err)
	}
	ok = true
	return res, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// typeForRule gives a column with no values in the first rows (an empty
// input, or a column empty so far) the type its rule works on.
func typeForRule(p *Policy, name string) Type {
	r := p.Fields[name]
	switch {
	case r.Action == ActionRound && r.Unit != "":
		return TypeTimestamp
	case r.Action == ActionRound, len(r.Bounds) > 0,
		p.Location != nil && (name == p.Location.Lat || name == p.Location.Lon):
		return TypeNumber
	}
	return TypeString
}

// checkNeeds reports the first value of the read-ahead rows that the
// field's rule cannot take (text where round needs a number), naming its
// line, rather than a type mismatch for the whole column.
func checkNeeds(p *Policy, name string, t Type, window []ownedRow, c int) error {
	r := p.Fields[name]
	var want Type
	switch {
	case r.Action == ActionRound && r.Unit != "":
		want = TypeTimestamp
	case r.Action == ActionRound, len(r.Bounds) > 0 && p.DifferentialPrivacy.Enabled,
		p.Location != nil && (name == p.Location.Lat || name == p.Location.Lon):
		want = TypeNumber
	default:
		return nil
	}
	if t == want || want == TypeNumber && t == TypeInteger {
		return nil
	}
	for _, row := range window {
		v := row.vals[c]
		if v.Kind == KindNull {
			continue
		}
		ok := false
		if want == TypeNumber {
			_, ok = parseNumber(v.B)
		} else {
			_, ok = parseTimestamp(v.B)
		}
		if !ok {
			return &InputError{Line: row.line, Field: name, Problem: typeErr(want, v).Error()}
		}
	}
	return nil
}

// detectLocation finds coordinate fields by their usual names, so that
// the report checks location data even when the policy does not say.
func detectLocation(cols []string, types []Type) *LocationConfig {
	find := func(names ...string) string {
		for i, c := range cols {
			if slices.Contains(names, strings.ToLower(c)) && (types[i] == TypeNumber || types[i] == TypeInteger) {
				return c
			}
		}
		return ""
	}
	lat, lon := find("lat", "latitude"), find("lon", "lng", "long", "longitude")
	if lat == "" || lon == "" {
		return nil
	}
	l := &LocationConfig{Lat: lat, Lon: lon, TrackGapMinutes: 30}
	for i, c := range cols {
		if types[i] == TypeTimestamp && l.Time == "" {
			l.Time = c
		}
	}
	return l
}

// metadata states what was done, for the listing and Parquet's footer.
func metadata(p *Policy, e *engine) map[string]string {
	m := map[string]string{}
	for _, name := range p.fieldNames() {
		m["privacy.field."+name] = string(p.Fields[name].Action)
	}
	dp := p.DifferentialPrivacy
	m["privacy.dp.enabled"] = fmt.Sprint(dp.Enabled)
	if dp.Enabled {
		m["privacy.dp.unit"] = dp.Unit
		m["privacy.dp.epsilon"] = string(dp.Epsilon)
	}
	return m
}

// reservoir keeps a uniform sample of n rows (Vitter's algorithm R).
type reservoir struct {
	n    int
	seen int64
	rows []ownedRow
	rnd  *sampler
}

func (r *reservoir) add(row []Value) {
	r.seen++
	if len(r.rows) < r.n {
		var o ownedRow
		copyRow(&o, row, r.seen)
		r.rows = append(r.rows, o)
		return
	}
	j := r.rnd.uniform(uint64(r.seen))
	if j < uint64(r.n) {
		copyRow(&r.rows[j], row, r.seen)
	}
}

func (r *reservoir) sorted() []ownedRow {
	sort.Slice(r.rows, func(i, j int) bool { return r.rows[i].line < r.rows[j].line })
	return r.rows
}

// reportBuilder gathers the report while rows stream through.
type reportBuilder struct {
	p      *Policy
	e      *engine
	loc    *LocationConfig
	uniq   *uniqueCounter
	qi     []string
	rawLat int
	rawLon int
	outLat int // -1 when the output lacks the coordinate
	outLon int

	trueEnds, outEnds homeCounter
	prevRaw           lastPoint
	lastOutTrack      int64
	lastOut           lastPoint
	tracks            int64
	rowsOut           int64
}

// cellDeg is the grid (degrees, about 110 m) for finding frequent places.
const cellDeg = 0.001

func newReportBuilder(p *Policy, e *engine, loc *LocationConfig, cols []string) *reportBuilder {
	b := &reportBuilder{p: p, e: e, loc: loc, outLat: -1, outLon: -1, lastOutTrack: -1}
	var qcols []int
	for i, op := range e.ops {
		r := op.rule
		qi := r.Action == ActionKeep || r.Action == ActionRound || r.Action == ActionGeneralize
		if r.QuasiIdentifier != nil {
			qi = *r.QuasiIdentifier
		}
		if qi {
			qcols = append(qcols, i)
			b.qi = append(b.qi, op.name)
		}
	}
	if len(qcols) > 0 {
		b.uniq = newUniqueCounter(qcols)
	}
	if loc != nil {
		b.rawLat, b.rawLon = slices.Index(cols, loc.Lat), slices.Index(cols, loc.Lon)
		for i, op := range e.ops {
			if op.name == loc.Lat && (op.outType == TypeNumber || op.outType == TypeInteger) {
				b.outLat = i
			}
			if op.name == loc.Lon && (op.outType == TypeNumber || op.outType == TypeInteger) {
				b.outLon = i
			}
		}
	}
	return b
}

// lastPoint remembers a row's coordinates as text and parses them only
// when they turn out to be a track's end: parsing every row's numbers
// would cost more than the rest of the report.
type lastPoint struct {
	lat, lon []byte
	set      bool
}

func (l *lastPoint) remember(row []Value, la, lo int) {
	l.lat = append(l.lat[:0], row[la].B...)
	l.lon = append(l.lon[:0], row[lo].B...)
	l.set = true
}

// addTo counts the point in h, if it is a valid coordinate pair.
func (l *lastPoint) addTo(h *homeCounter) {
	if !l.set {
		return
	}
	lat, ok1 := parseNumber(l.lat)
	lon, ok2 := parseNumber(l.lon)
	if ok1 && ok2 {
		h.add(lat, lon, cellDeg)
	}
}

// raw sees every input row before trimming, to find the true frequent
// place among track ends.
func (b *reportBuilder) raw(row []Value, isNew bool) {
	if isNew {
		b.tracks++
		b.prevRaw.addTo(&b.trueEnds) // the previous track's end
		b.prevRaw.remember(row, b.rawLat, b.rawLon)
		b.prevRaw.addTo(&b.trueEnds) // this track's start
		return
	}
	b.prevRaw.remember(row, b.rawLat, b.rawLon)
}

// output sees every output row with its track number.
func (b *reportBuilder) output(row []Value, track int64) {
	b.rowsOut++
	if b.uniq != nil {
		b.uniq.add(row)
	}
	if b.outLat < 0 || b.outLon < 0 {
		return
	}
	if track != b.lastOutTrack {
		b.lastOut.addTo(&b.outEnds)
		b.lastOut.remember(row, b.outLat, b.outLon)
		b.lastOut.addTo(&b.outEnds)
		b.lastOutTrack = track
		return
	}
	b.lastOut.remember(row, b.outLat, b.outLon)
}

func (b *reportBuilder) finish(rows int64, trim *trimmer) *Report {
	p, e := b.p, b.e
	r := &Report{RowsRead: rows, RowsWritten: b.rowsOut}
	outType := map[string]Type{}
	for _, op := range e.ops {
		outType[op.name] = op.outType
	}
	ops := map[string]*fieldOp{}
	for _, op := range e.ops {
		ops[op.name] = op
	}
	for i, c := range e.cols {
		rule := p.Fields[c]
		f := FieldReport{Name: c, Action: rule.Action, Type: e.types[i], Output: outType[c]}
		switch rule.Action {
		case ActionHash:
			if slices.Contains(e.unkeyed, c) {
				f.Warnings = append(f.Warnings, "plain SHA-256 without a key: anyone can hash guessed values (ids, phone numbers, e-mails) and match them; use the default keyed hash")
			} else {
				f.Warnings = append(f.Warnings, "keyed hash: rows stay linkable to each other through this field")
			}
		case ActionScrub:
			sc := ops[c].scrub
			f.Replaced = map[string]int64{}
			for k, v := range sc.counts {
				f.Replaced[strings.Trim(k, "[]")] = v
			}
			f.Warnings = append(f.Warnings, "free text is scrubbed by patterns (e-mail, phone, card, IBAN, IP, URL, contact names); other personal details in the words remain")
		case ActionKeep:
			if e.types[i] == TypeString && !(p.DifferentialPrivacy.Enabled && len(rule.Categories) > 0) {
				f.Warnings = append(f.Warnings, "text kept as it is: check that it holds no names or contact details")
			}
		case ActionPseudonymize:
			if rule.Stable {
				f.Warnings = append(f.Warnings, "labels come from the product key: the same in every run of this product, so rows stay linkable to each other through this field")
			} else {
				f.Warnings = append(f.Warnings, "labels follow the order of first appearance within this run; use \"stable\": true to keep them across refreshes")
			}
		case ActionGeneralize:
			if g := ops[c].gen; g != nil {
				f.Unknown = g.unknown
				if g.unknown > 0 {
					f.Warnings = append(f.Warnings, fmt.Sprintf("%d values were not in the hierarchy and became %s", g.unknown, unknownCategory))
				}
			}
		}
		r.Fields = append(r.Fields, f)
	}
	if b.uniq != nil {
		r.Uniqueness = &Uniqueness{QuasiIdentifiers: b.qi, UniqueRows: b.uniq.share(), Estimated: b.uniq.level > 0}
		if r.Uniqueness.UniqueRows > 0.05 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%.0f%% of rows are unique on (%s): each such row singles out one moment of the owner's life; coarsen these fields (round timestamps, generalize) or remove one",
				100*r.Uniqueness.UniqueRows, strings.Join(b.qi, ", ")))
		}
	}
	if b.loc != nil {
		lc := &LocationCheck{Lat: b.loc.Lat, Lon: b.loc.Lon, Tracks: b.tracks}
		if trim != nil {
			lc.TrimmedPoints = trim.dropped
		}
		b.lastOut.addTo(&b.outEnds)
		b.prevRaw.addTo(&b.trueEnds)
		tLat, tLon, _, ok1 := b.trueEnds.mode()
		gLat, gLon, _, ok2 := b.outEnds.mode()
		if ok1 && ok2 {
			d := haversine(tLat, tLon, gLat, gLon)
			lc.HomeErrorM = &d
			if d < 1000 {
				r.Warnings = append(r.Warnings, fmt.Sprintf("home inference: the busiest place among the output's track starts and ends is %.0f m from the busiest true one; trim track ends (\"location\": {\"trim_min_m\": 200, \"trim_max_m\": 800}), generalize, or add noise", d))
			}
		}
		if p.Location == nil || p.Location.TrimMaxM == 0 {
			r.Warnings = append(r.Warnings, "location tracks are not trimmed: their starts and ends show where the owner lives and works")
		}
		r.Location = lc
	}
	dp := p.DifferentialPrivacy
	r.DP = DPReport{Enabled: dp.Enabled}
	if dp.Enabled {
		r.DP.Unit = dp.Unit
		r.DP.Epsilon = string(dp.Epsilon)
		r.DP.Mechanisms = map[string]string{}
		for _, op := range e.ops {
			if op.dpCovered {
				r.DP.Mechanisms[op.name] = op.dpNote
			} else if op.rule.Action != ActionSuppress {
				r.DP.Uncovered = append(r.DP.Uncovered, op.name)
			}
		}
		r.Warnings = append(r.Warnings, fmt.Sprintf("epsilon %s protects each %s; a person's %d rows compose to %d times that, and noise on correlated points averages out", dp.Epsilon, dp.Unit, rows, rows))
		if len(r.DP.Uncovered) > 0 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("differential privacy does not cover %s: these are released without noise, so the guarantee holds only for the noised fields", strings.Join(r.DP.Uncovered, ", ")))
		}
	}
	return r
}
