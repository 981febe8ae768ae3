package metric

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Opts name a metric and say what it counts (the # HELP line).
type Opts struct {
	Name string
	Help string
}

// CounterOpts are the options of a counter.
type CounterOpts = Opts

// GaugeOpts are the options of a gauge.
type GaugeOpts = Opts

// Collector is a metric a Registry holds: a counter, a gauge, a gauge
// function or a counter vector.
type Collector interface {
	family() (name, help, typ string)
	// collect appends the collector's series to out.
	collect(out []*Metric) []*Metric
}

// value is a float64 changed atomically.
type value struct{ bits atomic.Uint64 }

func (v *value) load() float64 { return math.Float64frombits(v.bits.Load()) }
func (v *value) set(f float64) { v.bits.Store(math.Float64bits(f)) }
func (v *value) add(delta float64) {
	for {
		old := v.bits.Load()
		if v.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+delta)) {
			return
		}
	}
}

// Counter is a value that only goes up.
type Counter interface {
	Collector
	// Inc adds 1.
	Inc()
	// Add adds delta; it panics when delta is negative, as a counter
	// never goes down.
	Add(delta float64)
}

// Gauge is a value that goes up and down.
type Gauge interface {
	Collector
	Set(v float64)
	Inc()
	Dec()
	Add(delta float64)
}

type counter struct {
	opts   Opts
	labels []*LabelPair // in name order; nil for a counter of its own
	v      value
}

// NewCounter returns a counter at 0.
func NewCounter(opts CounterOpts) Counter { return &counter{opts: opts} }

func (c *counter) Inc() { c.v.add(1) }

func (c *counter) Add(delta float64) {
	if delta < 0 {
		panic("metric: counter " + c.opts.Name + " cannot go down")
	}
	c.v.add(delta)
}

func (c *counter) family() (string, string, string) { return c.opts.Name, c.opts.Help, "counter" }

func (c *counter) collect(out []*Metric) []*Metric {
	return append(out, &Metric{Label: c.labels, Counter: &Value{Value: c.v.load()}})
}

type gauge struct {
	opts Opts
	v    value
}

// NewGauge returns a gauge at 0.
func NewGauge(opts GaugeOpts) Gauge { return &gauge{opts: opts} }

func (g *gauge) Set(v float64)                    { g.v.set(v) }
func (g *gauge) Inc()                             { g.v.add(1) }
func (g *gauge) Dec()                             { g.v.add(-1) }
func (g *gauge) Add(delta float64)                { g.v.add(delta) }
func (g *gauge) family() (string, string, string) { return g.opts.Name, g.opts.Help, "gauge" }

func (g *gauge) collect(out []*Metric) []*Metric {
	return append(out, &Metric{Gauge: &Value{Value: g.v.load()}})
}

// GaugeFunc is a gauge whose value a function gives at each scrape.
type GaugeFunc struct {
	opts Opts
	fn   func() float64
}

// NewGaugeFunc returns a gauge that calls fn at each scrape; fn must be
// safe to call from any goroutine.
func NewGaugeFunc(opts GaugeOpts, fn func() float64) *GaugeFunc {
	return &GaugeFunc{opts: opts, fn: fn}
}

func (g *GaugeFunc) family() (string, string, string) { return g.opts.Name, g.opts.Help, "gauge" }

func (g *GaugeFunc) collect(out []*Metric) []*Metric {
	return append(out, &Metric{Gauge: &Value{Value: g.fn()}})
}

// CounterVec is a family of counters told apart by the values of its
// labels: one series per distinct set of values, made on first use.
type CounterVec struct {
	opts   Opts
	labels []string

	mu     sync.RWMutex
	series map[string]*counter // by the label values joined with \xff
}

// NewCounterVec returns a counter family with the given label names.
func NewCounterVec(opts CounterOpts, labels []string) *CounterVec {
	return &CounterVec{opts: opts, labels: labels, series: map[string]*counter{}}
}

// WithLabelValues returns the counter of these label values, in the
// order of the label names, making it (at 0) when new. It panics when
// the number of values is not the number of labels, a programming error.
func (v *CounterVec) WithLabelValues(values ...string) Counter {
	if len(values) != len(v.labels) {
		panic("metric: " + v.opts.Name + " has labels " + strings.Join(v.labels, ", ") + ", got " + strings.Join(values, ", "))
	}
	key := strings.Join(values, "\xff")
	v.mu.RLock()
	c := v.series[key]
	v.mu.RUnlock()
	if c != nil {
		return c
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c = v.series[key]; c == nil {
		c = &counter{opts: v.opts, labels: labelPairs(v.labels, values)}
		v.series[key] = c
	}
	return c
}

func (v *CounterVec) family() (string, string, string) { return v.opts.Name, v.opts.Help, "counter" }

func (v *CounterVec) collect(out []*Metric) []*Metric {
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, c := range v.series {
		out = c.collect(out)
	}
	return out
}

// labelPairs pairs names with values, in name order.
func labelPairs(names, values []string) []*LabelPair {
	out := make([]*LabelPair, len(names))
	for i := range names {
		out[i] = &LabelPair{Name: names[i], Value: values[i]}
	}
	sortPairs(out)
	return out
}

func sortPairs(p []*LabelPair) {
	slices.SortFunc(p, func(a, b *LabelPair) int { return strings.Compare(a.Name, b.Name) })
}
