package relay

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sovereign-marketplace/market/federation"
)

// metrics are the relay's own Prometheus series, beside the federation
// package's (inbox activities, signature checks, delivery queue).
type metrics struct {
	outsideSpecialization prometheus.Counter
	applied               *prometheus.CounterVec // activities past the inbox checks, by type and what the relay did
	originUnreachable     *prometheus.CounterVec // origin fetches that timed out, failed to connect or got a bad status, by purpose
	indexFailures         prometheus.Counter     // stored listings the search index refused or could not drop
	checkpoints           prometheus.Counter     // search index checkpoints taken (see journal.go)
	discovery             *prometheus.CounterVec // linked-proposal discovery, by outcome
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
	m.originUnreachable = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "market_relay_origin_unreachable_total",
		Help: "Fetches of a document from its origin that timed out, could not connect or got an error status, by purpose (announce, discovery).",
	}, []string{"purpose"})
	m.indexFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "market_relay_index_failures_total",
		Help: "Stored listings the search index refused (or could not remove): store and index disagree until fixed; `market relay status` lists them.",
	})
	m.checkpoints = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "market_relay_index_checkpoints_total",
		Help: "Checkpoints of the search index: after an unclean stop the relay starts from the last one and re-indexes only what changed since.",
	})
	m.discovery = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "market_relay_discovery_total",
		Help: "Linked proposals (Mitra-style listings) read from actor documents, by outcome (stored, ignored, refused, unlinked, gone, unreachable, deferred).",
	}, []string{"outcome"})
	for _, p := range []string{purposeAnnounce, purposeDiscovery} {
		m.originUnreachable.WithLabelValues(p)
	}
	for _, o := range []string{discoveryStored, discoveryIgnored, discoveryRefused, discoveryUnlinked, discoveryGone, discoveryUnreachable, discoveryDeferred} {
		m.discovery.WithLabelValues(o) // every outcome from the start, so rates and alerts see zeros
	}
	reg.MustRegister(m.outsideSpecialization, m.applied, m.originUnreachable, m.indexFailures, m.checkpoints, m.discovery,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_listings_stored",
			Help: "Listings stored in the relay's bbolt file.",
		}, func() float64 {
			var n int
			_ = s.store.View(func(t *Txn) error { n = t.CountListings(); return nil })
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_index_journal",
			Help: "Listings changed since the search index's last checkpoint: what a start after an unclean stop re-indexes.",
		}, func() float64 {
			n, _ := s.store.journalLen()
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "market_relay_hubs_followed",
			Help: "Hub actors the relay follows with an accepted follow.",
		}, func() float64 {
			var n int
			_ = s.store.View(func(t *Txn) error {
				fs, err := t.Follows().List(true)
				for _, f := range fs {
					if f.State == federation.FollowAccepted {
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
