package metric

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// hostile are label values as another server may choose them: quotes,
// backslashes, newlines (a forged series on a line of its own), braces,
// non-ASCII, empty.
var hostile = []string{`Create`, `a"b`, `c\d`, "e\nmarket_forged_total 1e9", `{x="y"}`, "ünïcode ☃", ``, `zz`}

// TestTextIsPrometheusClients: the same metrics, made and changed the
// same way here and with Prometheus's client library, give byte-identical
// /metrics answers and the same Content-Type: the format scrapers and the
// tests read does not change.
func TestTextIsPrometheusClients(t *testing.T) {
	ours, theirs := NewRegistry(), prometheus.NewRegistry()

	oc := NewCounter(CounterOpts{Name: "b_total", Help: "A counter; help with a \\ backslash\nand a newline."})
	tc := prometheus.NewCounter(prometheus.CounterOpts{Name: "b_total", Help: "A counter; help with a \\ backslash\nand a newline."})
	ov := NewCounterVec(CounterOpts{Name: "a_things_total", Help: "Things by type and outcome."}, []string{"type", "outcome"})
	tv := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "a_things_total", Help: "Things by type and outcome."}, []string{"type", "outcome"})
	ow := NewCounterVec(CounterOpts{Name: "w_total", Help: "Labels given out of name order."}, []string{"zeta", "alpha"})
	tw := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "w_total", Help: "Labels given out of name order."}, []string{"zeta", "alpha"})
	oe := NewCounterVec(CounterOpts{Name: "e_total", Help: "Never used: left out."}, []string{"x"})
	te := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "e_total", Help: "Never used: left out."}, []string{"x"})
	og := NewGauge(GaugeOpts{Name: "g", Help: "A gauge."})
	tg := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "A gauge."})
	var fv float64
	of := NewGaugeFunc(GaugeOpts{Name: "f_seconds", Help: "A gauge function."}, func() float64 { return fv })
	tf := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "f_seconds", Help: "A gauge function."}, func() float64 { return fv })
	ours.MustRegister(oc, ov, ow, oe, og, of)
	theirs.MustRegister(tc, tv, tw, te, tg, tf)

	same := func(step string) {
		t.Helper()
		o, oct := scrape(t, Handler(ours))
		p, pct := scrape(t, promhttp.HandlerFor(theirs, promhttp.HandlerOpts{}))
		if o != p || oct != pct {
			t.Fatalf("%s: ours (%s):\n%s\nthe Prometheus client's (%s):\n%s", step, oct, o, pct, p)
		}
		if strings.Contains(o, "\nmarket_forged_total") {
			t.Fatalf("%s: a label value wrote a series of its own:\n%s", step, o)
		}
	}
	same("nothing counted")
	for i, typ := range hostile {
		for j, outcome := range hostile[i%3:] {
			ov.WithLabelValues(typ, outcome).Add(float64(j) + 0.5)
			tv.WithLabelValues(typ, outcome).Add(float64(j) + 0.5)
		}
		ow.WithLabelValues(typ, "a").Inc()
		tw.WithLabelValues(typ, "a").Inc()
	}
	oc.Add(1e21)
	tc.Add(1e21)
	same("counted")
	for _, v := range []float64{0, 1, -1, 0.1, 1e-7, 123456789, 1 << 53, math.Inf(1), math.Inf(-1), math.NaN(), -0.25} {
		og.Set(v)
		tg.Set(v)
		fv = v
		same("gauge " + formatFloat(v))
	}
	og.Inc()
	tg.Inc()
	og.Dec()
	tg.Dec()
	og.Add(2.5)
	tg.Add(2.5)
	same("gauge moved")
}

func scrape(t *testing.T, h http.Handler) (body, contentType string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(w.Result().Body)
	return string(b), w.Result().Header.Get("Content-Type")
}

// TestRegisterTwice: a collector of the same name, kind and help is
// AlreadyRegisteredError with the one registered (federation shares its
// metrics that way); another kind or help under the name is refused.
func TestRegisterTwice(t *testing.T) {
	r := NewRegistry()
	first := NewCounterVec(CounterOpts{Name: "x_total", Help: "X."}, []string{"a"})
	r.MustRegister(first)
	err := r.Register(NewCounterVec(CounterOpts{Name: "x_total", Help: "X."}, []string{"a"}))
	are, ok := err.(AlreadyRegisteredError)
	if !ok || are.ExistingCollector != Collector(first) {
		t.Fatalf("second register: %v, want AlreadyRegisteredError with the first", err)
	}
	for _, c := range []Collector{NewGauge(GaugeOpts{Name: "x_total", Help: "X."}), NewCounter(CounterOpts{Name: "x_total", Help: "Y."})} {
		if err := r.Register(c); err == nil || strings.Contains(err.Error(), "already registered\n") {
			t.Errorf("register %T under a taken name: %v, want an error", c, err)
		} else if _, same := err.(AlreadyRegisteredError); same {
			t.Errorf("register %T with another kind or help: %v, want a plain error", c, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a counter went down without a panic")
		}
	}()
	NewCounter(CounterOpts{Name: "y_total"}).Add(-1)
}

// TestConcurrentCounting: counts from many goroutines are all kept, and
// a scrape may run among them.
func TestConcurrentCounting(t *testing.T) {
	r := NewRegistry()
	v := NewCounterVec(CounterOpts{Name: "n_total", Help: "N."}, []string{"k"})
	r.MustRegister(v)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				v.WithLabelValues(hostile[(g+i)%2]).Inc()
				if i%250 == 0 {
					r.Gather()
				}
			}
		}()
	}
	wg.Wait()
	fams, _ := r.Gather()
	var sum float64
	for _, m := range fams[0].GetMetric() {
		sum += m.GetCounter().GetValue()
	}
	if len(fams) != 1 || len(fams[0].Metric) != 2 || sum != 8000 {
		t.Fatalf("gathered %d families, %d series, sum %v; want 1, 2, 8000", len(fams), len(fams[0].Metric), sum)
	}
}
