package relay

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the relay's own Prometheus series, beside the federation
// package's (inbox activities, signature checks, delivery queue).
type metrics struct {
	outsideSpecialization prometheus.Counter
	applied               *prometheus.CounterVec // activities past the inbox checks, by type and what the relay did
	lastIngest            atomic.Int64           // unix seconds of the last stored or removed listing
}

func newMetrics(reg prometheus.Registerer, s *Server) *metrics {
	m := &metrics{
		outsideSpecialization: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "market_relay_listings_outside_specialization_total",
			Help: "Listings accepted with 202 but not stored because they fall outside the relay's specialization.",
		}),
	}
	m.applied = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "market_relay_activities_total",
		Help: "Activities that passed the inbox checks, by type and outcome (applied, duplicate, ignored, refused).",
	}, []string{"type", "outcome"})
	reg.MustRegister(m.outsideSpecialization, m.applied,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_listings_stored",
			Help: "Listings stored in the relay's bbolt file.",
		}, func() float64 {
			var n int
			_ = s.store.View(func(t *Txn) error { n = t.CountListings(); return nil })
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_hubs_followed",
			Help: "Hub actors the relay follows with an accepted follow.",
		}, func() float64 {
			var n int
			_ = s.store.View(func(t *Txn) error {
				fs, err := t.Follows(true)
				for _, f := range fs {
					if f.State == StateAccepted {
						n++
					}
				}
				return err
			})
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_last_ingest_timestamp_seconds",
			Help: "Unix time of the last listing stored or removed.",
		}, func() float64 { return float64(m.lastIngest.Load()) }),
	)
	return m
}
