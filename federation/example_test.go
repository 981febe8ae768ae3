package federation_test

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.etcd.io/bbolt"

	"github.com/sovereign-marketplace/market/federation"
)

// handler is what a relay or hub does with accepted activities.
type handler struct{}

func (handler) HandleActivity(ctx context.Context, a *federation.Activity) error { return nil }

// Example wires a server's federation: its key and actor, the inbox with
// its checks, and the delivery queue.
func Example() {
	dataDir, base := "./data", "https://relay.example"
	log := slog.Default()
	key, err := federation.LoadOrCreateKey(filepath.Join(dataDir, "actor.pem"))
	if err != nil {
		log.Error("key", "error", err)
		return
	}
	pem, _ := federation.PublicKeyPEM(&key.PublicKey)
	actor := &federation.Actor{
		ID: base + "/actor", Type: "Service", PreferredUsername: "relay", Inbox: base + "/inbox",
		PublicKey: federation.PublicKey{ID: base + "/actor#main-key", Owner: base + "/actor", PublicKeyPem: pem},
	}
	signer := &federation.Signer{KeyID: actor.PublicKey.ID, Key: key}
	client := federation.NewClient(federation.NewHTTPClient(false, 10*time.Second), signer, time.Hour, log)
	metrics := federation.NewMetrics(prometheus.NewRegistry())

	db, err := bbolt.Open(filepath.Join(dataDir, "market.db"), 0o600, nil)
	if err != nil {
		log.Error("database", "error", err)
		return
	}
	defer db.Close()
	queue, err := federation.OpenQueue(db, client, federation.QueueConfig{}, metrics, log)
	if err != nil {
		log.Error("queue", "error", err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go queue.Run(ctx) // returns when ctx is cancelled

	mux := http.NewServeMux()
	mux.Handle("GET /actor", federation.ActorHandler(actor))
	mux.Handle("POST /inbox", &federation.Inbox{
		Client: client, Handler: handler{}, Host: "relay.example", Metrics: metrics, Log: log,
	})
	mux.Handle("GET /.well-known/webfinger", federation.WebFingerHandler("relay.example", func(user string) (string, bool) {
		return actor.ID, user == "relay"
	}))
	_ = mux // serve it with http.Server
}
