package metric

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registerer is where metrics are registered: a *Registry.
type Registerer interface {
	// Register adds c; a name already taken is an error
	// (AlreadyRegisteredError when by a collector of the same kind and
	// help, which the caller may use instead).
	Register(c Collector) error
	// MustRegister registers each collector and panics on an error.
	MustRegister(cs ...Collector)
}

// AlreadyRegisteredError is Register's answer when a collector of the
// same name, kind and help is registered: ExistingCollector is that one.
type AlreadyRegisteredError struct {
	ExistingCollector, NewCollector Collector
}

func (e AlreadyRegisteredError) Error() string {
	name, _, _ := e.ExistingCollector.family()
	return "metric " + name + " is already registered"
}

// Registry holds a server's metrics and gathers them for /metrics.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]Collector
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byName: map[string]Collector{}} }

// Register adds c (see Registerer).
func (r *Registry) Register(c Collector) error {
	name, help, typ := c.family()
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byName[name]; ok {
		if _, oldHelp, oldTyp := old.family(); oldHelp == help && oldTyp == typ {
			return AlreadyRegisteredError{ExistingCollector: old, NewCollector: c}
		}
		return fmt.Errorf("metric %s is already registered with another help or type", name)
	}
	r.byName[name] = c
	return nil
}

// MustRegister registers each collector and panics on an error.
func (r *Registry) MustRegister(cs ...Collector) {
	for _, c := range cs {
		if err := r.Register(c); err != nil {
			panic("metric: " + err.Error())
		}
	}
}

// MetricFamily is the series of one metric name at one gather.
type MetricFamily struct {
	Name, Help, Type string
	Metric           []*Metric
}

// Metric is one series: its labels (in name order) and its value, as a
// counter's or as a gauge's.
type Metric struct {
	Label   []*LabelPair
	Counter *Value
	Gauge   *Value
}

// LabelPair is one label of a series.
type LabelPair struct{ Name, Value string }

// Value is a series' value.
type Value struct{ Value float64 }

// GetName returns the family's name ("" on nil).
func (f *MetricFamily) GetName() string {
	if f == nil {
		return ""
	}
	return f.Name
}

// GetMetric returns the family's series.
func (f *MetricFamily) GetMetric() []*Metric {
	if f == nil {
		return nil
	}
	return f.Metric
}

// GetLabel returns the series' labels.
func (m *Metric) GetLabel() []*LabelPair {
	if m == nil {
		return nil
	}
	return m.Label
}

// GetCounter returns the series' value as a counter (nil for a gauge).
func (m *Metric) GetCounter() *Value {
	if m == nil {
		return nil
	}
	return m.Counter
}

// GetGauge returns the series' value as a gauge (nil for a counter).
func (m *Metric) GetGauge() *Value {
	if m == nil {
		return nil
	}
	return m.Gauge
}

// GetName returns the label's name.
func (p *LabelPair) GetName() string {
	if p == nil {
		return ""
	}
	return p.Name
}

// GetValue returns the label's value.
func (p *LabelPair) GetValue() string {
	if p == nil {
		return ""
	}
	return p.Value
}

// GetValue returns the value (0 on nil).
func (v *Value) GetValue() float64 {
	if v == nil {
		return 0
	}
	return v.Value
}

// Gather reads every metric now: the families sorted by name, each one's
// series sorted by their label values; a family with no series is left
// out. The error is always nil (kept for the shape of the Prometheus
// client's Gather).
func (r *Registry) Gather() ([]*MetricFamily, error) {
	r.mu.RLock()
	cs := make([]Collector, 0, len(r.byName))
	for _, c := range r.byName {
		cs = append(cs, c)
	}
	r.mu.RUnlock()
	var out []*MetricFamily
	for _, c := range cs {
		name, help, typ := c.family()
		ms := c.collect(nil)
		if len(ms) == 0 {
			continue
		}
		slices.SortFunc(ms, compareSeries)
		out = append(out, &MetricFamily{Name: name, Help: help, Type: typ, Metric: ms})
	}
	slices.SortFunc(out, func(a, b *MetricFamily) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// compareSeries orders series by their label values, label by label.
func compareSeries(a, b *Metric) int {
	for i := range min(len(a.Label), len(b.Label)) {
		if c := strings.Compare(a.Label[i].Value, b.Label[i].Value); c != 0 {
			return c
		}
	}
	return len(a.Label) - len(b.Label)
}

// ContentType is the type of the text exposition format /metrics answers
// with, as the Prometheus client wrote it.
const ContentType = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"

// Handler serves reg's metrics in the text exposition format.
func Handler(reg *Registry) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		fams, _ := reg.Gather()
		w.Header().Set("Content-Type", ContentType)
		bw := bufio.NewWriter(w)
		WriteText(bw, fams)
		bw.Flush()
	})
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// WriteText writes families in the text exposition format.
func WriteText(w *bufio.Writer, fams []*MetricFamily) {
	for _, f := range fams {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", f.Name, helpEscaper.Replace(f.Help), f.Name, f.Type)
		for _, m := range f.Metric {
			w.WriteString(f.Name)
			for i, l := range m.Label {
				if i == 0 {
					w.WriteByte('{')
				} else {
					w.WriteByte(',')
				}
				w.WriteString(l.Name + `="` + labelEscaper.Replace(l.Value) + `"`)
			}
			if len(m.Label) > 0 {
				w.WriteByte('}')
			}
			w.WriteByte(' ')
			v := m.Counter
			if v == nil {
				v = m.Gauge
			}
			w.WriteString(formatFloat(v.GetValue()))
			w.WriteByte('\n')
		}
	}
}

// formatFloat writes a value the way the exposition format does.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, +1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
