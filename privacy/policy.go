package privacy

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Action names what a rule does to a field.
type Action string

// The actions a field rule may name.
const (
	ActionKeep         Action = "keep"         // the value passes unchanged (or noised, under differential privacy)
	ActionRemove       Action = "remove"       // the field is dropped from the output
	ActionSuppress     Action = "suppress"     // the value becomes a placeholder, "[REDACTED]" by default
	ActionHash         Action = "hash"         // HMAC-SHA256 with the product's key (plain SHA-256 only when asked)
	ActionRound        Action = "round"        // numbers to precision decimals, timestamps to a unit
	ActionGeneralize   Action = "generalize"   // a value becomes its broader category in a hierarchy
	ActionPseudonymize Action = "pseudonymize" // consistent labels such as Person_1 within one product
	ActionScrub        Action = "scrub"        // free text keeps its words; e-mails, phones, cards, ... are replaced
)

var actions = []Action{ActionKeep, ActionRemove, ActionSuppress, ActionHash, ActionRound,
	ActionGeneralize, ActionPseudonymize, ActionScrub}

// Policy is a data product's privacy policy, in the seed's JSON form:
//
//	{
//	  "fields": {
//	    "lat":       {"action": "round", "precision": 2},
//	    "user_id":   {"action": "remove"},
//	    "notes":     {"action": "suppress"},
//	    "device_id": {"action": "hash"}
//	  },
//	  "differential_privacy": {"enabled": false, "epsilon": 1.0}
//	}
//
// Fields of the data that the policy does not name are an error: a policy
// must say what happens to every field, so that a new column in the data
// never leaks by default.
type Policy struct {
	// Fields maps a data field's name to its rule.
	Fields map[string]*Rule `json:"fields"`
	// DifferentialPrivacy turns on noise; see DPConfig.
	DifferentialPrivacy DPConfig `json:"differential_privacy"`
	// Location names the coordinate fields and turns on track trimming.
	Location *LocationConfig `json:"location,omitempty"`
	// Release sets limits the report must meet before a product may
	// leave the hub; ApplyFile keeps the output back when one is missed.
	Release ReleaseLimits `json:"release"`

	// baseDir resolves relative file names (generalization tables,
	// contact lists); the policy file's folder when read with LoadPolicy.
	baseDir string
}

// Rule is one field's entry in a policy. Which options apply depends on
// the action; Validate reports options that are missing or out of range.
type Rule struct {
	Action Action `json:"action"`

	// Precision: round (numbers) keeps this many decimals, 0 to 12. Under
	// differential privacy it is also the grid the noise is added on.
	Precision *int `json:"precision,omitempty"`
	// Unit: round (timestamps) truncates to minute, hour, day, week
	// (Monday) or month.
	Unit string `json:"unit,omitempty"`
	// Placeholder: suppress writes this instead of "[REDACTED]".
	Placeholder *string `json:"placeholder,omitempty"`
	// Keyed: hash uses HMAC-SHA256 with the product's key unless this is
	// explicitly false; plain SHA-256 is reversible by guessing, and the
	// report warns.
	Keyed *bool `json:"keyed,omitempty"`
	// Hierarchy: generalize uses "geo" (coordinates or city to region or
	// country), "date" (day to month or year), "numeric" (bands of Width),
	// or "table" (a user table of value to parent).
	Hierarchy string `json:"hierarchy,omitempty"`
	// Level: how far up the hierarchy: geo "region" (default) or
	// "country"; date "month" (default) or "year"; table: the number of
	// steps up (default 1).
	Level json.RawMessage `json:"level,omitempty"`
	// LonField: generalize geo on a latitude field reads the longitude
	// from this field, so that a point in two columns becomes its region
	// (remove or generalize the longitude field itself).
	LonField string `json:"lon_field,omitempty"`
	// Width: generalize numeric: the band width ("30-39" for width 10).
	Width *float64 `json:"width,omitempty"`
	// Table: generalize table: a CSV file (value,parent per line) or an
	// inline object {"value": "parent"}.
	Table json.RawMessage `json:"table,omitempty"`
	// Prefix: pseudonymize labels values Prefix_1, Prefix_2, ...
	// ("Person" by default).
	Prefix string `json:"prefix,omitempty"`
	// Stable: pseudonymize derives each label from the product key
	// (Prefix_ and 10 letters and digits), so that a value keeps its label
	// across runs and subscription refreshes of one product, and gets a
	// different one in another product.
	Stable bool `json:"stable,omitempty"`
	// Contacts: scrub replaces these names (the owner's contacts) too;
	// ContactsFile names a file with one name per line.
	Contacts     []string `json:"contacts,omitempty"`
	ContactsFile string   `json:"contacts_file,omitempty"`
	// Bounds: under differential privacy a numeric field is clamped to
	// [lo, hi] before noise; required for every noised numeric field.
	Bounds []float64 `json:"bounds,omitempty"`
	// Categories: under differential privacy a categorical field gets
	// randomized response over these values.
	Categories []string `json:"categories,omitempty"`
	// QuasiIdentifier overrides whether the report counts the field
	// when it measures how many rows are unique.
	QuasiIdentifier *bool `json:"quasi_identifier,omitempty"`

	levelText string // parsed Level for geo and date
	levelN    int    // parsed Level for table
	table     map[string]string
	contacts  []string
}

// DPConfig is the policy's "differential_privacy" section.
type DPConfig struct {
	Enabled bool `json:"enabled"`
	// Epsilon is the privacy loss per privacy unit, as a decimal number
	// > 0; it is kept exact (as a fraction) for the samplers.
	Epsilon json.Number `json:"epsilon,omitempty"`
	// Unit is what one epsilon protects: "row" (each row or GPS point,
	// the default). A person's rows compose: n rows cost n times epsilon.
	Unit string `json:"unit,omitempty"`
	// GeoRadiusM is the distance in metres within which two locations are
	// epsilon-indistinguishable (geo-indistinguishability): the planar
	// Laplace noise has epsilon/GeoRadiusM per metre. Default 200.
	GeoRadiusM float64 `json:"geo_radius_m,omitempty"`

	eps *big.Rat
}

// LocationConfig is the policy's "location" section: which fields hold a
// point, how tracks are told apart, and how far to trim their ends.
type LocationConfig struct {
	Lat   string `json:"lat"`
	Lon   string `json:"lon"`
	Time  string `json:"time,omitempty"`  // timestamp field; a gap of TrackGapMinutes starts a new track
	Track string `json:"track,omitempty"` // a field whose change starts a new track (an activity id)
	// TrackGapMinutes splits tracks on a time gap; default 30.
	TrackGapMinutes float64 `json:"track_gap_minutes,omitempty"`
	// TrimMinM and TrimMaxM: each track loses a random length, drawn
	// anew for its start and for its end, between these (metres), so that
	// neither the home nor the work cell is where tracks begin and end.
	// Both 0: no trimming.
	TrimMinM float64 `json:"trim_min_m,omitempty"`
	TrimMaxM float64 `json:"trim_max_m,omitempty"`
}

// ReleaseLimits is the policy's "release" section.
type ReleaseLimits struct {
	// MinHomeErrorM: the home-inference attack on the output must land at
	// least this many metres from the most frequent true place.
	MinHomeErrorM float64 `json:"min_home_error_m,omitempty"`
	// MaxUniqueShare: at most this share (0 to 1) of output rows may be
	// unique on the quasi-identifiers.
	MaxUniqueShare *float64 `json:"max_unique_share,omitempty"`
}

// ParsePolicy reads a policy from JSON. Relative file names in it are
// resolved from the current directory; LoadPolicy resolves them from the
// policy file's folder. The policy is checked on its own here; Validate
// checks it against the data's fields.
func ParsePolicy(r io.Reader) (*Policy, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	return parsePolicy(data, "")
}

// LoadPolicy reads and checks the policy file at path.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", path, err)
	}
	p, err := parsePolicy(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return policyErr("", "line %d: %v", line, se)
	case errors.As(err, &te):
		line := 1 + bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n"))
		name := te.Field
		if name == "" {
			name = "value"
		}
		return policyErr("", "line %d: %s must be %s, not a JSON %s", line, name, te.Type, te.Value)
	}
	return policyErr("", "%v", err)
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

func parsePolicy(data []byte, baseDir string) (*Policy, error) {
	var top struct {
		RawFields           json.RawMessage            `json:"fields"`
		DifferentialPrivacy json.RawMessage            `json:"differential_privacy"`
		Location            json.RawMessage            `json:"location"`
		Release             json.RawMessage            `json:"release"`
		Fields              map[string]json.RawMessage `json:"-"`
	}
	if err := strictDecode(data, &top); err != nil {
		return nil, jsonErr(data, err)
	}
	fields, err := fieldRules(top.RawFields)
	if err != nil {
		return nil, err
	}
	top.Fields = fields
	p := &Policy{Fields: map[string]*Rule{}, baseDir: baseDir}
	names := make([]string, 0, len(top.Fields))
	for n := range top.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "" {
			return nil, policyErr("", "a field name is empty")
		}
		r := &Rule{}
		if err := strictDecode(top.Fields[name], r); err != nil {
			return nil, policyErr(name, "%v", strings.TrimPrefix(err.Error(), "json: "))
		}
		p.Fields[name] = r
	}
	if len(top.DifferentialPrivacy) > 0 && string(top.DifferentialPrivacy) != "null" {
		if err := strictDecode(top.DifferentialPrivacy, &p.DifferentialPrivacy); err != nil {
			return nil, policyErr("differential_privacy", "%v", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if len(top.Location) > 0 && string(top.Location) != "null" {
		p.Location = &LocationConfig{}
		if err := strictDecode(top.Location, p.Location); err != nil {
			return nil, policyErr("location", "%v", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if len(top.Release) > 0 && string(top.Release) != "null" {
		if err := strictDecode(top.Release, &p.Release); err != nil {
			return nil, policyErr("release", "%v", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// fieldRules reads "fields": an object of field name to rule, or an
// array of rules that each carry the field's "name".
func fieldRules(raw json.RawMessage) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, policyErr("", `"fields" is missing: the policy must give a rule for every field`)
	}
	out := map[string]json.RawMessage{}
	if raw[0] != '[' {
		if err := json.Unmarshal(raw, &out); err != nil {
			return nil, policyErr("", `"fields" must be an object of field name to rule, or an array of rules with "name"`)
		}
		return out, nil
	}
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, policyErr("", `"fields" must be an object of field name to rule, or an array of rules with "name"`)
	}
	for i, rule := range list {
		var name string
		for _, k := range []string{"name", "field"} {
			if v, ok := rule[k]; ok {
				if err := json.Unmarshal(v, &name); err != nil {
					return nil, policyErr("", "fields[%d].%s must be a string", i, k)
				}
				delete(rule, k)
			}
		}
		if name == "" {
			return nil, policyErr("", `fields[%d] has no "name"`, i)
		}
		if _, dup := out[name]; dup {
			return nil, policyErr(name, "has two rules")
		}
		b, err := json.Marshal(rule)
		if err != nil {
			return nil, fmt.Errorf("policy: fields[%d]: %w", i, err)
		}
		out[name] = b
	}
	return out, nil
}

// check validates the policy on its own, without the data's columns.
func (p *Policy) check() error {
	var errs []error
	bad := func(field, format string, args ...any) { errs = append(errs, policyErr(field, format, args...)) }
	names := p.fieldNames()
	for _, name := range names {
		r := p.Fields[name]
		if r.Action == "" {
			bad(name, `"action" is missing; expected one of %s`, actionList())
			continue
		}
		if !slices.Contains(actions, r.Action) {
			bad(name, "unknown action %q; expected one of %s", r.Action, actionList())
			continue
		}
		if err := r.check(name, p.baseDir); err != nil {
			errs = append(errs, err)
		}
	}
	dp := &p.DifferentialPrivacy
	if dp.Unit == "" {
		dp.Unit = "row"
	}
	if dp.Unit != "row" {
		bad("differential_privacy.unit", "unit %q is not supported; a one-person product protects each row (\"row\")", dp.Unit)
	}
	if dp.GeoRadiusM == 0 {
		dp.GeoRadiusM = 200
	}
	if dp.GeoRadiusM < 0 || math.IsNaN(dp.GeoRadiusM) {
		bad("differential_privacy.geo_radius_m", "must be > 0 metres, got %v", dp.GeoRadiusM)
	}
	if dp.Epsilon != "" {
		eps, ok := new(big.Rat).SetString(string(dp.Epsilon))
		switch {
		case !ok:
			bad("differential_privacy.epsilon", "%q is not a number", dp.Epsilon)
		case eps.Sign() <= 0:
			bad("differential_privacy.epsilon", "must be > 0, got %s", dp.Epsilon)
		case eps.Cmp(big.NewRat(100, 1)) > 0:
			bad("differential_privacy.epsilon", "%s is above 100, which promises nothing", dp.Epsilon)
		default:
			dp.eps = eps
		}
	} else if dp.Enabled {
		bad("differential_privacy.epsilon", "is missing; differential privacy needs epsilon > 0")
	}
	if dp.Enabled && dp.eps != nil {
		for _, name := range names {
			r := p.Fields[name]
			if len(r.Bounds) > 0 && !r.numericDP() {
				bad(name, "bounds apply to keep or round of a number under differential privacy, not to %s", r.Action)
			}
			if len(r.Categories) > 0 && r.Action != ActionKeep && r.Action != ActionGeneralize {
				bad(name, "categories (randomized response) apply to keep or generalize, not to %s", r.Action)
			}
		}
	}
	if rl := p.Release; rl.MinHomeErrorM < 0 || rl.MaxUniqueShare != nil && (*rl.MaxUniqueShare < 0 || *rl.MaxUniqueShare > 1) {
		bad("release", "min_home_error_m must be >= 0 and max_unique_share between 0 and 1")
	}
	if l := p.Location; l != nil {
		if l.Lat == "" || l.Lon == "" {
			bad("location", `"lat" and "lon" must name the coordinate fields`)
		}
		for _, f := range []string{l.Lat, l.Lon, l.Time, l.Track} {
			if f != "" && p.Fields[f] == nil {
				bad("location", "names field %q, which has no rule in \"fields\"", f)
			}
		}
		if l.TrimMinM < 0 || l.TrimMaxM < l.TrimMinM {
			bad("location", "trim_min_m and trim_max_m must satisfy 0 <= min <= max, got %v and %v", l.TrimMinM, l.TrimMaxM)
		}
		if l.TrimMaxM > 50000 {
			bad("location", "trim_max_m %v is above 50 km", l.TrimMaxM)
		}
		if l.TrackGapMinutes < 0 {
			bad("location", "track_gap_minutes must be >= 0")
		}
		if l.TrackGapMinutes == 0 {
			l.TrackGapMinutes = 30
		}
	}
	return errors.Join(errs...)
}

func actionList() string {
	s := make([]string, len(actions))
	for i, a := range actions {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

func (p *Policy) fieldNames() []string {
	names := make([]string, 0, len(p.Fields))
	for n := range p.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// numericDP says whether the rule noises a number under DP.
func (r *Rule) numericDP() bool {
	return (r.Action == ActionKeep || r.Action == ActionRound) && r.Unit == ""
}

func (r *Rule) check(name, baseDir string) error {
	bad := func(format string, args ...any) error { return policyErr(name, format, args...) }
	if r.Precision != nil && (*r.Precision < 0 || *r.Precision > 12) {
		return bad("precision must be between 0 and 12, got %d", *r.Precision)
	}
	if len(r.Bounds) != 0 {
		if len(r.Bounds) != 2 || !(r.Bounds[0] < r.Bounds[1]) || math.IsInf(r.Bounds[1]-r.Bounds[0], 0) {
			return bad("bounds must be [lo, hi] with lo < hi, got %v", r.Bounds)
		}
	}
	if len(r.Categories) == 1 {
		return bad("categories needs at least two values for randomized response")
	}
	switch r.Action {
	case ActionRound:
		switch {
		case r.Precision == nil && r.Unit == "":
			return bad(`round needs "precision" (decimals, for numbers) or "unit" (minute, hour, day, week, month, for timestamps)`)
		case r.Precision != nil && r.Unit != "":
			return bad(`round takes "precision" or "unit", not both`)
		case r.Unit != "" && !slices.Contains([]string{"minute", "hour", "day", "week", "month"}, r.Unit):
			return bad("unknown unit %q; expected minute, hour, day, week or month", r.Unit)
		}
	case ActionSuppress:
		if r.Placeholder == nil {
			s := "[REDACTED]"
			r.Placeholder = &s
		}
	case ActionPseudonymize:
		if r.Prefix == "" {
			r.Prefix = "Person"
		}
		if strings.ContainsAny(r.Prefix, "\n\r") {
			return bad("prefix must be on one line")
		}
	case ActionScrub:
		r.contacts = append(r.contacts, r.Contacts...)
		if r.ContactsFile != "" {
			names, err := readLines(resolve(baseDir, r.ContactsFile))
			if err != nil {
				return bad("contacts_file: %v", err)
			}
			r.contacts = append(r.contacts, names...)
		}
	case ActionGeneralize:
		return r.checkGeneralize(name, baseDir)
	}
	if r.Action != ActionGeneralize && (r.Hierarchy != "" || len(r.Table) > 0 || r.Width != nil || r.LonField != "") {
		return bad("hierarchy, table, width and lon_field apply to generalize, not to %s", r.Action)
	}
	return nil
}

func (r *Rule) checkGeneralize(name, baseDir string) error {
	bad := func(format string, args ...any) error { return policyErr(name, format, args...) }
	level := ""
	if len(r.Level) > 0 {
		if err := json.Unmarshal(r.Level, &level); err != nil {
			if err := json.Unmarshal(r.Level, &r.levelN); err != nil || r.levelN < 1 {
				return bad("level must be a name (region, country, month, year) or a number of steps >= 1, got %s", r.Level)
			}
		}
	}
	r.levelText = level
	switch r.Hierarchy {
	case "geo":
		if level == "" {
			r.levelText = "region"
		}
		if r.levelText != "region" && r.levelText != "country" {
			return bad("geo level must be region or country, got %s", r.Level)
		}
	case "date":
		if r.LonField != "" {
			return bad("lon_field applies to the geo hierarchy")
		}
		if level == "" {
			r.levelText = "month"
		}
		if r.levelText != "month" && r.levelText != "year" {
			return bad("date level must be month or year, got %s", r.Level)
		}
	case "numeric":
		if r.Width == nil || !(*r.Width > 0) || math.IsInf(*r.Width, 0) {
			return bad(`numeric generalization needs "width" > 0 (the band width)`)
		}
	case "table":
		if r.levelN == 0 {
			r.levelN = 1
		}
		t, err := loadTable(r.Table, baseDir)
		if err != nil {
			return bad("table: %v", err)
		}
		r.table = t
	case "":
		return bad(`generalize needs "hierarchy": geo, date, numeric or table`)
	default:
		return bad("unknown hierarchy %q; expected geo, date, numeric or table", r.Hierarchy)
	}
	return nil
}

func resolve(baseDir, name string) string {
	if filepath.IsAbs(name) || baseDir == "" {
		return name
	}
	return filepath.Join(baseDir, name)
}

// readSmallFile reads a regular file of at most 64 MiB (a table or a
// contact list), never a device or a pipe that could block or never end.
func readSmallFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// the size a file reports is not to be trusted (files under /proc
	// report 0 and never end), so the read itself is limited
	data, err := io.ReadAll(io.LimitReader(f, 64<<20+1))
	if err != nil {
		return nil, err
	}
	if len(data) > 64<<20 || st.Size() > 64<<20 {
		return nil, fmt.Errorf("%s is larger than 64 MiB", path)
	}
	return data, nil
}

func readLines(path string) ([]string, error) {
	data, err := readSmallFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

// loadTable reads a generalization table: an inline JSON object of value
// to parent, or the name of a CSV file with two columns (value, parent).
func loadTable(raw json.RawMessage, baseDir string) (map[string]string, error) {
	if len(raw) == 0 {
		return nil, errors.New(`missing; give a CSV file name or an object {"value": "parent"}`)
	}
	var inline map[string]string
	if err := json.Unmarshal(raw, &inline); err == nil {
		return inline, nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return nil, errors.New("must be a CSV file name or an object of strings")
	}
	data, err := readSmallFile(resolve(baseDir, name))
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	t := map[string]string{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 2 {
			return nil, fmt.Errorf("%s line %d: expected value,parent (2 columns), got %d", name, line, len(rec))
		}
		if old, dup := t[rec[0]]; dup && old != rec[1] {
			return nil, fmt.Errorf("%s line %d: %q has two parents, %q and %q", name, line, rec[0], old, rec[1])
		}
		t[rec[0]] = rec[1]
	}
	return t, nil
}

// Validate checks the policy against the data's field names: every field
// must have a rule, and every rule must name a field of the data.
func (p *Policy) Validate(columns []string) error {
	var errs []error
	seen := map[string]bool{}
	for _, c := range columns {
		if seen[c] {
			errs = append(errs, &InputError{Line: 1, Field: c, Problem: "the field appears twice in the header"})
			continue
		}
		seen[c] = true
		if p.Fields[c] == nil {
			errs = append(errs, policyErr(c, "the data has this field but the policy gives no rule for it (add keep, remove, ...)"))
		}
	}
	for _, name := range p.fieldNames() {
		if !seen[name] {
			errs = append(errs, policyErr(name, "not in the data; its fields are %s", strings.Join(columns, ", ")))
		}
	}
	return errors.Join(errs...)
}
