package federation

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus metrics of inbox checks and deliveries. A nil
// *Metrics records nothing.
type Metrics struct {
	// InboxActivities counts activities received, by type and outcome
	// ("accepted", or the rejection reason).
	InboxActivities *prometheus.CounterVec
	// SignatureChecks counts HTTP signature checks by result.
	SignatureChecks *prometheus.CounterVec
	// QueueDepth is the number of deliveries waiting in the queue.
	QueueDepth prometheus.Gauge
	// DeliveryAttempts counts delivery attempts by result ("success",
	// "retry", "permanent", "gave_up").
	DeliveryAttempts *prometheus.CounterVec
	// UnreachableHosts is the number of hosts currently marked unreachable.
	UnreachableHosts prometheus.Gauge
	// HostsMarkedUnreachable counts the times a host was marked unreachable.
	HostsMarkedUnreachable prometheus.Counter
}

// NewMetrics creates the metrics and registers them on reg (nil registers
// nothing). Registering twice on one registry reuses the collectors
// already there.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		InboxActivities: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "market_inbox_activities_total",
			Help: "Activities received at the inbox, by activity type and outcome (accepted or the rejection reason).",
		}, []string{"type", "outcome"}),
		SignatureChecks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "market_signature_checks_total",
			Help: "HTTP signature checks of incoming requests, by result.",
		}, []string{"result"}),
		QueueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "market_delivery_queue_depth",
			Help: "Outbound deliveries waiting in the queue.",
		}),
		DeliveryAttempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "market_delivery_attempts_total",
			Help: "Outbound delivery attempts, by result (success, retry, permanent, gave_up).",
		}, []string{"result"}),
		UnreachableHosts: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "market_delivery_unreachable_hosts",
			Help: "Hosts currently marked unreachable after failing longer than the give-up time.",
		}),
		HostsMarkedUnreachable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "market_delivery_hosts_marked_unreachable_total",
			Help: "Times a host was marked unreachable and its queued deliveries dropped.",
		}),
	}
	if reg != nil {
		m.InboxActivities = register(reg, m.InboxActivities)
		m.SignatureChecks = register(reg, m.SignatureChecks)
		m.QueueDepth = register(reg, m.QueueDepth)
		m.DeliveryAttempts = register(reg, m.DeliveryAttempts)
		m.UnreachableHosts = register(reg, m.UnreachableHosts)
		m.HostsMarkedUnreachable = register(reg, m.HostsMarkedUnreachable)
	}
	return m
}

// register registers c on reg, or returns the collector already
// registered under the same name.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic("federation: register metric: " + err.Error())
	}
	return c
}

// knownTypes bounds the "type" label: attacker-chosen types are "other".
var knownTypes = map[string]bool{
	"Create": true, "Update": true, "Delete": true, "Follow": true, "Undo": true,
	"Accept": true, "Reject": true, "Announce": true, "Like": true, "Add": true,
	"Remove": true, "Offer": true, "Block": true, "Flag": true, "Move": true,
}

func (m *Metrics) inbox(typ, outcome string) {
	if m == nil {
		return
	}
	if typ == "" {
		typ = "unknown"
	} else if !knownTypes[typ] {
		typ = "other"
	}
	m.InboxActivities.WithLabelValues(typ, outcome).Inc()
}

func (m *Metrics) signature(result string) {
	if m == nil {
		return
	}
	m.SignatureChecks.WithLabelValues(result).Inc()
}

func (m *Metrics) delivery(result string) {
	if m == nil {
		return
	}
	m.DeliveryAttempts.WithLabelValues(result).Inc()
}

func (m *Metrics) depth(n int) {
	if m == nil {
		return
	}
	m.QueueDepth.Set(float64(n))
}

func (m *Metrics) unreachable(n int, marked bool) {
	if m == nil {
		return
	}
	m.UnreachableHosts.Set(float64(n))
	if marked {
		m.HostsMarkedUnreachable.Inc()
	}
}
