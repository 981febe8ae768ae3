package privacy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// token returns a random word that cannot occur in the output by chance.
func token(r *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 12)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return "q" + string(b)
}

// A removed or suppressed field's raw values never appear anywhere in the
// output bytes, in any format (Parquet also after decompression).
func TestRemovedAndSuppressedNeverAppear(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	p := mustPolicy(t, `{"fields":{
		"id":{"action":"remove"},
		"secret":{"action":"suppress"},
		"other":{"action":"suppress","placeholder":"-"},
		"kept":{"action":"keep"},
		"n":{"action":"round","precision":1}}}`)
	for iter := 0; iter < 40; iter++ {
		var in strings.Builder
		var raw []string
		in.WriteString("id,secret,kept,other,n\n")
		rows := 1 + r.IntN(60)
		for i := 0; i < rows; i++ {
			id, sec, oth := token(r), token(r), token(r)
			// values with quotes, commas and newlines need CSV quoting
			switch r.IntN(4) {
			case 0:
				sec = sec + ", \"x\"\n" + token(r)
			case 1:
				id = "\u00e9" + id
			}
			raw = append(raw, strings.Fields(strings.NewReplacer(",", " ", "\"", " ", "\n", " ").Replace(id+" "+sec+" "+oth))...)
			fmt.Fprintf(&in, "%s,%s,%s,%s,%g\n", csvQuote(id), csvQuote(sec), token(r), csvQuote(oth), r.Float64()*100)
		}
		for _, f := range []Format{FormatCSV, FormatJSON, FormatJSONL, FormatParquet} {
			out, _ := run(t, p, in.String(), FormatCSV, f)
			check := [][]byte{out}
			if f == FormatParquet {
				check = append(check, parquetRowsJSONL(t, out))
			}
			for _, b := range check {
				for _, w := range raw {
					if len(w) >= 8 && bytes.Contains(b, []byte(w)) {
						t.Fatalf("iteration %d, %s: raw value %q appears in the output", iter, f, w)
					}
				}
			}
		}
	}
}

func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func hashColumn(t *testing.T, p *Policy, in string, key []byte) []string {
	t.Helper()
	var out bytes.Buffer
	if _, err := Apply(context.Background(), p, strings.NewReader(in), &out, Options{Key: key}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[1:]
}

// Keyed digests are stable within a product (the same value always maps to
// the same digest, across runs) and differ across products.
func TestKeyedHashStableWithinProduct(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"id":{"action":"hash"}}}`)
	var in strings.Builder
	in.WriteString("id\n")
	vals := []string{"user-1", "user-2", "user-1", "+49301234567", "user-2", "user-1"}
	for _, v := range vals {
		in.WriteString(v + "\n")
	}
	keyA := []byte("product-A-key-0123456789")
	keyB := []byte("product-B-key-0123456789")
	a1 := hashColumn(t, p, in.String(), keyA)
	a2 := hashColumn(t, p, in.String(), keyA)
	b := hashColumn(t, p, in.String(), keyB)
	seen := map[string]string{}
	for i, v := range vals {
		if a1[i] != a2[i] {
			t.Errorf("%q: digest differs between two runs of one product", v)
		}
		if d, ok := seen[v]; ok && d != a1[i] {
			t.Errorf("%q: two digests within one run", v)
		}
		seen[v] = a1[i]
		if a1[i] == b[i] {
			t.Errorf("%q: the same digest in two products", v)
		}
		plain := sha256.Sum256([]byte(v))
		if a1[i] == hex.EncodeToString(plain[:]) {
			t.Errorf("%q: the keyed digest is the plain SHA-256, reversible by guessing", v)
		}
	}
	if seen["user-1"] == seen["user-2"] {
		t.Error("two values share a digest")
	}
	// plain SHA-256 only when asked, and the report warns
	pp := mustPolicy(t, `{"fields":{"id":{"action":"hash","keyed":false}}}`)
	plain := hashColumn(t, pp, in.String(), nil)
	want := sha256.Sum256([]byte("user-1"))
	if plain[0] != hex.EncodeToString(want[:]) {
		t.Errorf("unkeyed hash = %s, want plain SHA-256", plain[0])
	}
	res, err := Apply(context.Background(), pp, strings.NewReader(in.String()), &bytes.Buffer{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Report.Fields[0].Warnings, " "), "plain SHA-256") {
		t.Errorf("no warning for an unkeyed hash: %v", res.Report.Fields[0].Warnings)
	}
	// a keyed hash without a key is refused, not silently unkeyed
	if _, err := Apply(context.Background(), p, strings.NewReader(in.String()), &bytes.Buffer{}, Options{}); err == nil {
		t.Error("a keyed hash ran without a key")
	}
}

// The memo of recent digests must not change results when it is cleared.
func TestHashMemoOverflow(t *testing.T) {
	h := newHasher(testKey)
	first := string(h.hex(nil, []byte("v0")))
	for i := 0; i < memoLimit+10; i++ {
		h.hex(nil, []byte(strconv.Itoa(i)))
	}
	if again := string(h.hex(nil, []byte("v0"))); again != first {
		t.Errorf("digest changed after the memo was cleared: %s vs %s", again, first)
	}
}

// Rounding never moves a value by more than half a unit of the last kept
// decimal, measured exactly (rational arithmetic on the binary input and
// the decimal output).
func TestRoundingWithinHalfUnit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		var f float64
		switch i % 4 {
		case 0:
			f = (r.Float64() - 0.5) * 360
		case 1:
			f = (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(12)))
		case 2: // exact ties in decimal, which binary cannot hold exactly
			f = float64(r.IntN(100000)) / 1000
			f += 0.0005
		default:
			f = math.Float64frombits(r.Uint64()>>2 | 0x3000000000000000)
		}
		prec := r.IntN(8)
		out := roundNumber(nil, f, prec)
		got, ok := new(big.Rat).SetString(string(out))
		if !ok {
			t.Fatalf("round(%v, %d) = %q is not a number", f, prec, out)
		}
		diff := new(big.Rat).Sub(got, new(big.Rat).SetFloat64(f))
		diff.Abs(diff)
		half := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Mul(big.NewInt(2), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec)), nil)))
		if diff.Cmp(half) > 0 {
			t.Fatalf("round(%v, %d) = %s moves by %s > %s", f, prec, out, diff.FloatString(20), half.FloatString(20))
		}
		if strings.HasPrefix(string(out), "-") && got.Sign() == 0 {
			t.Fatalf("round(%v, %d) = %s: negative zero", f, prec, out)
		}
	}
}

func TestRoundTimestamps(t *testing.T) {
	cases := []struct{ in, unit, want string }{
		{"2024-05-01T07:43:09Z", "minute", "2024-05-01T07:43:00Z"},
		{"2024-05-01T07:43:09.999Z", "hour", "2024-05-01T07:00:00Z"},
		{"2024-05-01T01:43:09+02:00", "day", "2024-04-30T00:00:00Z"},
		{"2024-05-01T07:43:09Z", "week", "2024-04-29T00:00:00Z"}, // a Wednesday: back to Monday
		{"2024-04-29T00:00:00Z", "week", "2024-04-29T00:00:00Z"},
		{"2024-05-31 23:59:59", "month", "2024-05-01T00:00:00Z"},
	}
	for _, c := range cases {
		p := mustPolicy(t, `{"fields":{"t":{"action":"round","unit":"`+c.unit+`"}}}`)
		out, _ := run(t, p, "t\n"+c.in+"\n", FormatCSV, FormatCSV)
		if got := strings.Split(string(out), "\n")[1]; got != c.want {
			t.Errorf("round %s to %s = %s, want %s", c.in, c.unit, got, c.want)
		}
	}
}

func TestParseTimestampAgreesWithTime(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 5000; i++ {
		sec := r.Int64N(4e9)
		ts := timeUnix(sec, r.IntN(1e9))
		for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"} {
			s := ts.Format(layout)
			got, ok := parseTimestamp([]byte(s))
			if !ok || !got.Equal(ts.Truncate(layoutPrecision(layout))) {
				t.Fatalf("parseTimestamp(%q) = %v, %v; want %v", s, got, ok, ts)
			}
		}
	}
	for _, bad := range []string{"2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01", "2024-05-01T00:00:00+0200", "2024-05-01T00:00:00.Z"} {
		if _, ok := parseTimestamp([]byte(bad)); ok {
			t.Errorf("parseTimestamp(%q) accepted", bad)
		}
	}
}

func TestGeneralize(t *testing.T) {
	cases := []struct {
		rule, in, want string
	}{
		{`{"action":"generalize","hierarchy":"date"}`, "2024-05-17T10:00:00Z", "2024-05"},
		{`{"action":"generalize","hierarchy":"date","level":"year"}`, "2024-05-17", "2024"},
		{`{"action":"generalize","hierarchy":"numeric","width":10}`, "37", "[30, 40)"},
		{`{"action":"generalize","hierarchy":"numeric","width":0.5}`, "-0.2", "[-0.5, 0)"},
		{`{"action":"generalize","hierarchy":"table","table":{"Kreuzberg":"Berlin","Berlin":"Germany"}}`, "Kreuzberg", "Berlin"},
		{`{"action":"generalize","hierarchy":"table","level":2,"table":{"Kreuzberg":"Berlin","Berlin":"Germany"}}`, "Kreuzberg", "Germany"},
		{`{"action":"generalize","hierarchy":"table","level":5,"table":{"Kreuzberg":"Berlin","Berlin":"Germany"}}`, "Kreuzberg", "Germany"},
		{`{"action":"generalize","hierarchy":"table","table":{"Kreuzberg":"Berlin"}}`, "Atlantis", "[UNKNOWN]"},
		{`{"action":"pseudonymize"}`, "Anna", "Person_1"},
		{`{"action":"pseudonymize","prefix":"Friend"}`, "Anna", "Friend_1"},
	}
	for _, c := range cases {
		p := mustPolicy(t, `{"fields":{"v":`+c.rule+`}}`)
		out, _ := run(t, p, "v\n"+csvQuote(c.in)+"\n", FormatCSV, FormatJSONL)
		want := `{"v":"` + c.want + `"}` + "\n"
		if string(out) != want {
			t.Errorf("%s on %q = %s, want %s", c.rule, c.in, out, want)
		}
	}
}

func TestGeneralizeTableFromCSV(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/areas.csv", "# value,parent\nKreuzberg,Berlin\nMitte,Berlin\nBerlin,Germany\n")
	writeFile(t, dir+"/p.json", `{"fields":{"v":{"action":"generalize","hierarchy":"table","table":"areas.csv"}}}`)
	p, err := LoadPolicy(dir + "/p.json")
	if err != nil {
		t.Fatal(err)
	}
	out, res := run(t, p, "v\nMitte\nKreuzberg\nSpandau\n", FormatCSV, FormatCSV)
	if string(out) != "v\nBerlin\nBerlin\n[UNKNOWN]\n" {
		t.Errorf("got %q", out)
	}
	if res.Report.Fields[0].Unknown != 1 {
		t.Errorf("report counts %d unknown values, want 1", res.Report.Fields[0].Unknown)
	}
	writeFile(t, dir+"/bad.csv", "a,b\na,c\n")
	writeFile(t, dir+"/p2.json", `{"fields":{"v":{"action":"generalize","hierarchy":"table","table":"bad.csv"}}}`)
	if _, err := LoadPolicy(dir + "/p2.json"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a value with two parents: err = %v, want it to name line 2", err)
	}
}

func TestPseudonymsAreConsistent(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"name":{"action":"pseudonymize"}}}`)
	out, _ := run(t, p, "name\nAnna\nBen\nAnna\nCleo\nBen\n", FormatCSV, FormatCSV)
	if string(out) != "name\nPerson_1\nPerson_2\nPerson_1\nPerson_3\nPerson_2\n" {
		t.Errorf("got %q", out)
	}
}

// The decimal fast path rounds the text exactly: never more than half a
// unit from the decimal value written in the input.
func TestRoundDecimalWithinHalfUnit(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 20000; i++ {
		var s string
		switch i % 3 {
		case 0:
			s = strconv.FormatFloat((r.Float64()-0.5)*400, 'f', r.IntN(9), 64)
		case 1:
			s = strconv.Itoa(r.IntN(1000)) + "." + strings.Repeat("9", 1+r.IntN(6))
		default:
			s = "-0.00" + strconv.Itoa(r.IntN(10))
		}
		prec := r.IntN(7)
		out, ok := roundDecimal(nil, []byte(s), prec)
		if !ok {
			t.Fatalf("roundDecimal(%q) refused", s)
		}
		in, _ := new(big.Rat).SetString(s)
		got, ok := new(big.Rat).SetString(string(out))
		if !ok {
			t.Fatalf("roundDecimal(%q, %d) = %q, not a number", s, prec, out)
		}
		diff := new(big.Rat).Sub(got, in)
		half := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Mul(big.NewInt(2), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(prec)), nil)))
		if diff.Abs(diff).Cmp(half) > 0 {
			t.Fatalf("roundDecimal(%q, %d) = %s moves too far", s, prec, out)
		}
		// the same text as strconv's fixed format of the rounded value
		if want := new(big.Rat).SetFrac(got.Num(), got.Denom()).FloatString(prec); string(out) != want && !(want == "-"+string(out)) {
			t.Fatalf("roundDecimal(%q, %d) = %q, want %q", s, prec, out, want)
		}
		if strings.HasPrefix(string(out), "-") && got.Sign() == 0 {
			t.Fatalf("roundDecimal(%q, %d) = %q: negative zero", s, prec, out)
		}
	}
	for _, bad := range []string{"1e5", "", "-", "1.2.3", "0x10", "NaN"} {
		if _, ok := roundDecimal(nil, []byte(bad), 2); ok {
			t.Errorf("roundDecimal(%q) accepted", bad)
		}
	}
}

func TestGeoGeneralize(t *testing.T) {
	cases := []struct{ in, level, want string }{
		{"San Francisco", "region", "California"},
		{"san francisco", "country", "United States"},
		{"Sao Paulo", "country", "Brazil"},
		{"Munich", "region", "Bavaria"},
		{"37.7793,-122.4193", "region", "California"}, // San Francisco city hall
		{"52.5200 13.4050", "country", "Germany"},
		{"-33.8688,151.2093", "region", "New South Wales"},
		{"0,-30", "region", ""}, // the middle of the Atlantic
		{"Atlantis", "region", ""},
		{"California", "country", "United States"},
		{"bavaria", "region", "Bavaria"},
	}
	for _, c := range cases {
		got, ok := geoGeneralize([]byte(c.in), c.level)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("geo %q (%s) = %q, %v; want %q", c.in, c.level, got, ok, c.want)
		}
	}
}

func TestGeoGeneralizeTwoColumns(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"lat":{"action":"generalize","hierarchy":"geo","lon_field":"lon"},"lon":{"action":"remove"}}}`)
	out, res := run(t, p, "lat,lon\n37.7793,-122.4193\n52.52,13.405\n0,-30\n", FormatCSV, FormatCSV)
	if string(out) != "lat\nCalifornia\nBerlin\n[UNKNOWN]\n" {
		t.Errorf("got %q", out)
	}
	if res.Report.Fields[0].Unknown != 1 {
		t.Errorf("unknown count %d", res.Report.Fields[0].Unknown)
	}
	bad := mustPolicy(t, `{"fields":{"lat":{"action":"generalize","hierarchy":"geo","lon_field":"name"},"name":{"action":"remove"}}}`)
	if _, err := Apply(context.Background(), bad, strings.NewReader("lat,name\n1,x\n"), &bytes.Buffer{}, Options{}); err == nil || !strings.Contains(err.Error(), "lon_field") {
		t.Errorf("lon_field on text: err = %v", err)
	}
}

// The minute cache of kept timestamps still rejects bad seconds and
// accepts a new minute only after parsing it.
func TestKeepTimestampsCache(t *testing.T) {
	keep := keepTimestamps()
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"2024-05-01T07:03:09Z", true},
		{"2024-05-01T07:03:59Z", true},
		{"2024-05-01T07:03:60Z", false},
		{"2024-05-01T07:03:5xZ", false},
		{"2024-02-30T07:03:09Z", false},
		{"2024-05-01T07:04:00Z", true},
	} {
		_, _, err := keep(Value{Kind: KindString, B: []byte(c.in)}, nil)
		if (err == nil) != c.ok {
			t.Errorf("keep %s: err = %v", c.in, err)
		}
	}
}

func TestFastFloatAgreesWithStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 100000; i++ {
		s := strconv.FormatFloat((r.Float64()-0.5)*float64(r.IntN(100000)), 'f', r.IntN(9), 64)
		got, ok := fastFloat([]byte(s))
		want, _ := strconv.ParseFloat(s, 64)
		if ok && got != want {
			t.Fatalf("fastFloat(%q) = %v, strconv says %v", s, got, want)
		}
	}
	for _, bad := range []string{"", "-", ".", "1e5", "1.2.3", "12345678901234567890"} {
		if _, ok := fastFloat([]byte(bad)); ok {
			t.Errorf("fastFloat(%q) accepted", bad)
		}
	}
}

func TestStablePseudonyms(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"name":{"action":"pseudonymize","stable":true}}}`)
	label := func(in string, key []byte) []string {
		var out bytes.Buffer
		if _, err := Apply(context.Background(), p, strings.NewReader(in), &out, Options{Key: key}); err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSpace(out.String()), "\n")[1:]
	}
	keyA, keyB := []byte("product-A-key-0123456789"), []byte("product-B-key-0123456789")
	first := label("name\nAnna\nBen\nAnna\n", keyA)
	later := label("name\nCleo\nBen\nAnna\n", keyA) // a refresh with a new name first
	other := label("name\nAnna\nBen\nAnna\n", keyB)
	if first[0] != first[2] || first[0] == first[1] || !strings.HasPrefix(first[0], "Person_") || len(first[0]) != len("Person_")+10 {
		t.Errorf("labels %v", first)
	}
	if later[2] != first[0] || later[1] != first[1] {
		t.Errorf("labels changed across runs of one product: %v then %v", first, later)
	}
	if other[0] == first[0] {
		t.Errorf("the same label in two products: %s", other[0])
	}
	if _, err := Apply(context.Background(), p, strings.NewReader("name\nAnna\n"), &bytes.Buffer{}, Options{}); err == nil {
		t.Error("stable pseudonyms ran without a key")
	}
}
