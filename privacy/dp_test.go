package privacy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// The statistical tests draw fixed numbers of samples from crypto/rand and
// compare them with the exact distributions by chi-square. The critical
// values are for a significance level of 1e-9 (z = 6 in the Wilson–
// Hilferty approximation), so a correct sampler fails one run in a
// billion; each test also shows that a slightly wrong distribution (scale
// 10% off, or probabilities 4% off) is rejected, so the tests can fail.

// chiSquareCritical approximates the chi-square quantile for df degrees of
// freedom at upper-tail probability about 1e-9.
func chiSquareCritical(df int) float64 {
	const z = 6.0
	k := float64(df)
	a := 2 / (9 * k)
	return k * math.Pow(1-a+z*math.Sqrt(a), 3)
}

// chiSquare compares observed counts with expected probabilities, pooling
// bins whose expected count is below 5 into their neighbour.
func chiSquare(obs []int, prob []float64, n int) (stat float64, df int) {
	var o, e float64
	bins := 0
	for i := range obs {
		o += float64(obs[i])
		e += prob[i] * float64(n)
		if e >= 5 || i == len(obs)-1 {
			stat += (o - e) * (o - e) / e
			bins++
			o, e = 0, 0
		}
	}
	return stat, bins - 1
}

// laplaceHistogram draws n samples and counts them in bins -m..m, with the
// tails pooled into the outermost bins.
func laplaceHistogram(s *sampler, sn, t uint64, n, m int) []int {
	obs := make([]int, 2*m+1)
	for i := 0; i < n; i++ {
		y := s.discreteLaplace(sn, t)
		y = max(-int64(m), min(int64(m), y))
		obs[y+int64(m)]++
	}
	return obs
}

func laplaceProbs(sn, t uint64, m int) []float64 {
	p := make([]float64, 2*m+1)
	total := 0.0
	for y := -m + 1; y < m; y++ {
		p[y+m] = discreteLaplacePMF(int64(y), sn, t)
		total += p[y+m]
	}
	tail := (1 - total) / 2
	p[0], p[2*m] = tail, tail
	return p
}

func TestDiscreteLaplaceMatchesPMF(t *testing.T) {
	const n, m = 200000, 15
	s := newSampler(nil)
	obs := laplaceHistogram(s, 1, 3, n, m) // scale 3
	stat, df := chiSquare(obs, laplaceProbs(1, 3, m), n)
	if crit := chiSquareCritical(df); stat > crit {
		t.Errorf("chi-square %.1f > %.1f (df %d): samples do not follow the discrete Laplace of scale 3", stat, crit, df)
	}
	// The same samples against scale 3.3 must be rejected: the test has
	// the power to see a 10%% error in the scale.
	wrong := laplaceProbs(10, 33, m)
	if stat, df := chiSquare(obs, wrong, n); stat <= chiSquareCritical(df) {
		t.Errorf("chi-square %.1f against a wrong scale was accepted: the test cannot fail", stat)
	}
	// Symmetry and variance: Var = 2e^(-1/σ)/(1-e^(-1/σ))².
	var sum, sq float64
	s2 := newSampler(nil)
	for i := 0; i < n; i++ {
		y := float64(s2.discreteLaplace(2, 7)) // scale 3.5
		sum += y
		sq += y * y
	}
	q := math.Exp(-2.0 / 7)
	variance := 2 * q / ((1 - q) * (1 - q))
	mean := sum / n
	// the mean's standard error is sqrt(var/n); allow 6 of them
	if math.Abs(mean) > 6*math.Sqrt(variance/n) {
		t.Errorf("mean %.4f: not symmetric around 0", mean)
	}
	// the sample variance's standard error is about var·sqrt((κ-1)/n);
	// for this distribution kurtosis κ < 7
	if got := sq/n - mean*mean; math.Abs(got-variance) > 6*variance*math.Sqrt(6.0/n) {
		t.Errorf("variance %.3f, want %.3f", got, variance)
	}
}

func TestDiscreteLaplaceLargeScale(t *testing.T) {
	// scale 1e6 (a fine grid): check the tail P(|Y| > σ·ln 2·k) = ... via
	// the share of |Y| <= σ: P = (1 - 2c'·...) computed from the pmf sum.
	const n = 100000
	s := newSampler(nil)
	sigma := 1e6
	inside := 0
	for i := 0; i < n; i++ {
		if math.Abs(float64(s.discreteLaplace(1, 1_000_000))) <= sigma {
			inside++
		}
	}
	// continuous approximation is exact enough at this scale: 1 - e^-1
	want := 1 - math.Exp(-1)
	se := math.Sqrt(want * (1 - want) / n)
	if got := float64(inside) / n; math.Abs(got-want) > 6*se+1e-5 {
		t.Errorf("P(|Y| <= σ) = %.4f, want %.4f", got, want)
	}
}

func TestBernExp(t *testing.T) {
	const n = 200000
	s := newSampler(nil)
	for _, g := range []ratio{{1, 2}, {17, 10}, {3, 1}, {0, 1}} {
		hits := 0
		for i := 0; i < n; i++ {
			if s.bernExp(g.num, g.den) {
				hits++
			}
		}
		p := math.Exp(-float64(g.num) / float64(g.den))
		se := math.Sqrt(p * (1 - p) / n)
		if got := float64(hits) / n; math.Abs(got-p) > 6*se+1e-9 {
			t.Errorf("bernExp(%d/%d) = %.4f, want %.4f", g.num, g.den, got, p)
		}
	}
}

func TestUniformHasNoBias(t *testing.T) {
	const n, k = 140000, 7
	s := newSampler(nil)
	obs := make([]int, k)
	for i := 0; i < n; i++ {
		obs[s.uniform(k)]++
	}
	prob := make([]float64, k)
	for i := range prob {
		prob[i] = 1.0 / k
	}
	if stat, df := chiSquare(obs, prob, n); stat > chiSquareCritical(df) {
		t.Errorf("uniform(7): chi-square %.1f", stat)
	}
}

func TestRandomizedResponse(t *testing.T) {
	const n, k = 100000, 4
	s := newSampler(nil)
	eps := ratio{1, 1}
	obs := make([]int, k)
	for i := 0; i < n; i++ {
		obs[s.randomizedResponse(2, k, eps)]++
	}
	e := math.E
	prob := make([]float64, k)
	for i := range prob {
		prob[i] = 1 / (e + k - 1)
	}
	prob[2] = e / (e + k - 1)
	stat, df := chiSquare(obs, prob, n)
	if stat > chiSquareCritical(df) {
		t.Errorf("randomized response: chi-square %.1f, counts %v", stat, obs)
	}
	// probabilities 6% off are rejected (expected chi-square about 330
	// against a critical value of 50: the check itself fails less than once
	// in 10^12 runs)
	wrong := append([]float64(nil), prob...)
	wrong[2] *= 1.06
	for i := range wrong {
		if i != 2 {
			wrong[i] = (1 - wrong[2]) / (k - 1)
		}
	}
	if stat, df := chiSquare(obs, wrong, n); stat <= chiSquareCritical(df) {
		t.Errorf("a 6%% error in randomized response was not detected (chi-square %.1f)", stat)
	}
}

// The radius of planar Laplace on the 1 m grid is the sum of two
// geometric samples: P(R = r) = (r+1)(1-q)²q^r with q = e^-ε.
func TestPlanarLaplaceRadius(t *testing.T) {
	const n = 100000
	s := newSampler(nil)
	eps := ratio{1, 50} // 1/50 per metre: mean radius about 100 m
	const m = 400
	obs := make([]int, m+1)
	quad := make([]int, 4)
	for i := 0; i < n; i++ {
		dx, dy := s.planarLaplace(eps)
		r := int(math.Round(math.Hypot(dx, dy)))
		obs[min(r, m)]++
		q := 0
		if dx < 0 {
			q++
		}
		if dy < 0 {
			q += 2
		}
		quad[q]++
	}
	q := math.Exp(-1.0 / 50)
	prob := make([]float64, m+1)
	total := 0.0
	for r := 0; r < m; r++ {
		prob[r] = float64(r+1) * (1 - q) * (1 - q) * math.Pow(q, float64(r))
		total += prob[r]
	}
	prob[m] = 1 - total
	if stat, df := chiSquare(obs, prob, n); stat > chiSquareCritical(df) {
		t.Errorf("planar Laplace radius: chi-square %.1f (df %d)", stat, df)
	}
	if stat, df := chiSquare(quad, []float64{.25, .25, .25, .25}, n); stat > chiSquareCritical(df) {
		t.Errorf("planar Laplace direction is not uniform: %v", quad)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy source gone") }

// Without randomness, no noisy output is produced: the run fails.
func TestRandomnessFailureStopsTheRun(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"hr":{"action":"keep","bounds":[30,220]}},"differential_privacy":{"enabled":true,"epsilon":1}}`)
	var out bytes.Buffer
	_, err := Apply(context.Background(), p, strings.NewReader("hr\n120\n130\n"), &out, Options{Random: failingReader{}})
	if !errors.Is(err, ErrRandomness) {
		t.Fatalf("err = %v, want ErrRandomness", err)
	}
	if strings.Contains(out.String(), "120") {
		t.Errorf("output written without noise: %q", out.String())
	}
	// an exhausted stream fails the same way
	_, err = Apply(context.Background(), p, strings.NewReader("hr\n120\n130\n"), &out, Options{Random: io.LimitReader(zeroReader{}, 8)})
	if !errors.Is(err, ErrRandomness) {
		t.Fatalf("err = %v, want ErrRandomness", err)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestNumericDPClampsAndNoises(t *testing.T) {
	p := mustPolicy(t, `{"fields":{
		"hr":{"action":"keep","bounds":[30,220]},
		"pace":{"action":"round","precision":1,"bounds":[2,12]},
		"kind":{"action":"keep","categories":["run","walk","ride"]},
		"id":{"action":"hash"}},
		"differential_privacy":{"enabled":true,"epsilon":3}}`)
	var in strings.Builder
	in.WriteString("hr,pace,kind,id\n")
	const n = 3000
	for i := 0; i < n; i++ {
		in.WriteString("500,5.0,run,x\n") // hr far above its bound
	}
	out, res := run(t, p, in.String(), FormatCSV, FormatCSV)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	var sumHR, sumPace float64
	distinct := map[string]bool{}
	runs := 0
	for _, l := range lines {
		f := strings.Split(l, ",")
		hr, err := strconv.ParseFloat(f[0], 64)
		if err != nil || hr < 30 || hr > 220 {
			t.Fatalf("hr %q outside its bounds", f[0])
		}
		pace, _ := strconv.ParseFloat(f[1], 64)
		if pace < 2 || pace > 12 || len(f[1]) != len("5.0") && len(f[1]) != len("12.0") {
			t.Fatalf("pace %q outside its bounds or grid", f[1])
		}
		sumHR += hr
		sumPace += pace
		distinct[f[0]] = true
		if f[2] == "run" {
			runs++
		}
	}
	if len(distinct) < 10 {
		t.Errorf("hr took only %d distinct values: no noise?", len(distinct))
	}
	// Three mechanisms share epsilon 3: each gets 1. Randomized response
	// over 3 categories keeps the truth with probability e/(e+2) ≈ 0.576.
	want := math.E / (math.E + 2)
	se := math.Sqrt(want * (1 - want) / n)
	if got := float64(runs) / n; math.Abs(got-want) > 6*se {
		t.Errorf("kind kept true in %.3f of rows, want %.3f", got, want)
	}
	if m := res.Report.DP; len(m.Mechanisms) != 3 || len(m.Uncovered) != 1 || m.Uncovered[0] != "id" || m.Unit != "row" {
		t.Errorf("DP report = %+v", m)
	}
}

// Without bounds a numeric field cannot be noised: the policy is refused
// with the field named.
func TestNumericDPNeedsBounds(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"hr":{"action":"keep"}},"differential_privacy":{"enabled":true,"epsilon":1}}`)
	_, err := Apply(context.Background(), p, strings.NewReader("hr\n120\n"), &bytes.Buffer{}, Options{})
	if !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), `field "hr"`) || !strings.Contains(err.Error(), "bounds") {
		t.Errorf("err = %v", err)
	}
}

func TestGeoIndistinguishability(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"}},
		"location":{"lat":"lat","lon":"lon"},
		"differential_privacy":{"enabled":true,"epsilon":1,"geo_radius_m":100}}`)
	var in strings.Builder
	in.WriteString("lat,lon\n")
	const n = 4000
	for i := 0; i < n; i++ {
		in.WriteString("52.5,13.4\n")
	}
	out, res := run(t, p, in.String(), FormatCSV, FormatCSV)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[1:]
	var sum float64
	for _, l := range lines {
		f := strings.Split(l, ",")
		lat, _ := strconv.ParseFloat(f[0], 64)
		lon, _ := strconv.ParseFloat(f[1], 64)
		sum += haversine(52.5, 13.4, lat, lon)
	}
	// epsilon 1 per 100 m: E[r] = 2/ε = 200 m; the mean of 4000 radii
	// has a standard error of sqrt(2)/ε/sqrt(n) ≈ 2.2 m
	if mean := sum / n; math.Abs(mean-200) > 15 {
		t.Errorf("mean displacement %.1f m, want about 200 m", mean)
	}
	if res.Report.DP.Mechanisms["lat"] == "" || res.Report.DP.Epsilon != "1" {
		t.Errorf("report: %+v", res.Report.DP)
	}
}

func TestEpsilonRatio(t *testing.T) {
	for _, c := range []struct {
		in       string
		num, den uint64
	}{{"1", 1, 1}, {"0.5", 1, 2}, {"0.1", 1, 10}, {"2.25", 9, 4}, {"0.1", 1, 10}, {"0.00000012345678912", 0, 0}} {
		p, err := ParsePolicy(strings.NewReader(`{"fields":{},"differential_privacy":{"enabled":true,"epsilon":` + c.in + `}}`))
		if err != nil {
			t.Fatal(err)
		}
		r, err := epsilonRatio(p.DifferentialPrivacy.eps)
		if c.den == 0 {
			if err == nil {
				t.Errorf("epsilon %s: no error for a value below 6 decimals", c.in)
			}
			continue
		}
		if err != nil || r.num != c.num || r.den != c.den {
			t.Errorf("epsilon %s = %d/%d (%v), want %d/%d", c.in, r.num, r.den, err, c.num, c.den)
		}
	}
}

// A noise scale the sampler cannot hold is refused up front, naming the
// field, rather than overflowing.
func TestNumericDPScaleTooLarge(t *testing.T) {
	p := mustPolicy(t, `{"fields":{"x":{"action":"round","precision":5,"bounds":[0,1000000]}},"differential_privacy":{"enabled":true,"epsilon":0.000001}}`)
	_, err := Apply(context.Background(), p, strings.NewReader("x\n5\n"), &bytes.Buffer{}, Options{})
	if !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), `field "x"`) || !strings.Contains(err.Error(), "too large") {
		t.Errorf("err = %v", err)
	}
	p = mustPolicy(t, `{"fields":{"x":{"action":"round","precision":4,"bounds":[0,1000000]}},"differential_privacy":{"enabled":true,"epsilon":0.000001}}`)
	if _, err := Apply(context.Background(), p, strings.NewReader("x\n5\n"), &bytes.Buffer{}, Options{}); err != nil {
		t.Errorf("a scale of 1e16 grid units was refused: %v", err)
	}
}
