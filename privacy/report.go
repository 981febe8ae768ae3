package privacy

import (
	"fmt"
	"hash/maphash"
	"io"
	"sort"
	"strings"
)

// Report tells a hub owner how identifying the output still is. It never
// holds raw values: only counts, distances and warnings.
type Report struct {
	RowsRead    int64          `json:"rows_read"`
	RowsWritten int64          `json:"rows_written"`
	Sample      bool           `json:"sample,omitempty"` // the output is a preview of Rows rows
	Fields      []FieldReport  `json:"fields"`
	Uniqueness  *Uniqueness    `json:"uniqueness,omitempty"`
	Location    *LocationCheck `json:"location,omitempty"`
	DP          DPReport       `json:"differential_privacy"`
	Warnings    []string       `json:"warnings,omitempty"`
}

// FieldReport is one input field's line in the report.
type FieldReport struct {
	Name     string           `json:"name"`
	Action   Action           `json:"action"`
	Type     Type             `json:"input_type"`
	Output   Type             `json:"output_type,omitempty"`
	Replaced map[string]int64 `json:"replaced,omitempty"` // scrub: matches by kind
	Unknown  int64            `json:"unknown,omitempty"`  // generalize: values the hierarchy did not know
	Warnings []string         `json:"warnings,omitempty"`
}

// Uniqueness is the share of output rows that no other row shares on the
// quasi-identifiers: a row unique on them can be singled out by anyone who
// knows those values about a moment of the owner's life.
type Uniqueness struct {
	QuasiIdentifiers []string `json:"quasi_identifiers"`
	UniqueRows       float64  `json:"unique_rows_share"`
	// Estimated is true when the count was made on a hash-sample of the
	// distinct tuples (beyond 2^12 of them), to keep memory bounded.
	Estimated bool `json:"estimated"`
}

// LocationCheck reports the home-inference attack: the busiest place among
// the output's track starts and ends, against the busiest true one.
type LocationCheck struct {
	Lat           string `json:"lat"`
	Lon           string `json:"lon"`
	Tracks        int64  `json:"tracks"`
	TrimmedPoints int64  `json:"trimmed_points"`
	// HomeErrorM is how far (metres) the attacker's guess lands from the
	// most frequent true place; small means the output gives it away.
	HomeErrorM *float64 `json:"home_inference_error_m,omitempty"`
}

// DPReport states what differential privacy protects, if anything.
type DPReport struct {
	Enabled bool   `json:"enabled"`
	Unit    string `json:"unit,omitempty"`
	Epsilon string `json:"epsilon,omitempty"`
	// Mechanisms lists how each covered field is noised; epsilon is split
	// evenly among them (sequential composition within a row).
	Mechanisms map[string]string `json:"mechanisms,omitempty"`
	// Uncovered lists output fields released without noise.
	Uncovered []string `json:"uncovered,omitempty"`
}

// uniqueCounter counts rows per quasi-identifier tuple by distinct
// sampling: only tuples whose hash has `level` leading zero bits are
// kept, and the level rises when the map grows past its limit, so memory
// is bounded whatever the row count.
type uniqueCounter struct {
	cols   []int
	seed   maphash.Seed
	counts map[uint64]uint32
	level  uint
	limit  int
	buf    []byte
}

func newUniqueCounter(cols []int) *uniqueCounter {
	return &uniqueCounter{cols: cols, seed: maphash.MakeSeed(), counts: map[uint64]uint32{}, limit: 1 << 12}
}

func (u *uniqueCounter) add(row []Value) {
	u.buf = u.buf[:0]
	for _, c := range u.cols {
		u.buf = append(u.buf, byte(row[c].Kind))
		u.buf = append(u.buf, row[c].B...)
		u.buf = append(u.buf, 0)
	}
	h := maphash.Bytes(u.seed, u.buf)
	if u.level > 0 && h>>(64-u.level) != 0 {
		return
	}
	u.counts[h]++
	for len(u.counts) > u.limit {
		u.level++
		for k := range u.counts {
			if k>>(64-u.level) != 0 {
				delete(u.counts, k)
			}
		}
	}
}

func (u *uniqueCounter) share() float64 {
	var rows, unique float64
	for _, n := range u.counts {
		rows += float64(n)
		if n == 1 {
			unique++
		}
	}
	if rows == 0 {
		return 0
	}
	return unique / rows
}

// WriteSummary writes the report for a person to read.
func (r *Report) WriteSummary(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "privacy report: %d rows read, %d written", r.RowsRead, r.RowsWritten)
	if r.Sample {
		b.WriteString(" (preview sample)")
	}
	b.WriteString("\n")
	for _, f := range r.Fields {
		fmt.Fprintf(&b, "  %-16s %-13s", f.Name, f.Action)
		if len(f.Replaced) > 0 {
			keys := make([]string, 0, len(f.Replaced))
			for k := range f.Replaced {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s %d", k, f.Replaced[k]))
			}
			fmt.Fprintf(&b, " replaced: %s", strings.Join(parts, ", "))
		}
		if f.Unknown > 0 {
			fmt.Fprintf(&b, " %d values not in the hierarchy", f.Unknown)
		}
		b.WriteString("\n")
		for _, wn := range f.Warnings {
			fmt.Fprintf(&b, "      warning: %s\n", wn)
		}
	}
	if u := r.Uniqueness; u != nil {
		est := ""
		if u.Estimated {
			est = " (estimated)"
		}
		fmt.Fprintf(&b, "  unique rows on (%s): %.1f%%%s\n", strings.Join(u.QuasiIdentifiers, ", "), 100*u.UniqueRows, est)
	}
	if l := r.Location; l != nil {
		fmt.Fprintf(&b, "  location (%s, %s): %d tracks, %d points trimmed", l.Lat, l.Lon, l.Tracks, l.TrimmedPoints)
		if l.HomeErrorM != nil {
			fmt.Fprintf(&b, ", home inference lands %.0f m from the most frequent true place", *l.HomeErrorM)
		}
		b.WriteString("\n")
	}
	if r.DP.Enabled {
		fmt.Fprintf(&b, "  differential privacy: epsilon %s per %s\n", r.DP.Epsilon, r.DP.Unit)
	} else {
		b.WriteString("  differential privacy: off\n")
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&b, "  warning: %s\n", wn)
	}
	io.WriteString(w, b.String())
}
