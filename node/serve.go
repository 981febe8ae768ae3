package node

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// job is a background job: it runs from Serve until Serve's context ends.
type job struct {
	name string
	run  func(ctx context.Context)
}

// Stopping is closed when Serve begins to shut down, before it waits for
// in-flight requests: a request that waits for something (a long poll)
// answers then.
func (n *Node) Stopping() <-chan struct{} { return n.stopping }

// AddJob adds a background job; run must return soon after ctx ends.
// Call it before Serve.
func (n *Node) AddJob(name string, run func(ctx context.Context)) {
	n.jobs = append(n.jobs, job{name, run})
}

// Serve serves HTTP on ln and runs the delivery queue, the admin socket
// and the background jobs until ctx ends, then shuts down gracefully:
// in-flight requests finish (bounded by the shutdown timeout), the jobs
// and the queue stop. Close the node after it returns.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           n.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(n.Log.Handler(), slog.LevelWarn),
	}
	bg, stop := context.WithCancel(context.Background())
	queueDone := make(chan error, 1)
	go func() { queueDone <- n.Queue.Run(bg) }()

	admin, err := n.serveAdmin()
	if err != nil {
		n.Log.Warn("admin socket unavailable; operator commands will need the server stopped", "error", err)
	}
	var jobs sync.WaitGroup
	n.jobs = append([]job{{"prune applied activity ids", n.Relations.PruneSeen}, {"return idle memory", returnIdleMemory}}, n.jobs...)
	for _, j := range n.jobs {
		jobs.Add(1)
		go func() {
			defer jobs.Done()
			j.run(bg)
		}()
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	n.ready.Store(true)
	n.Log.Info(n.opts.Mode+" listening", "addr", ln.Addr().String(), "actor", n.ActorID, "data_dir", n.Config.DataDir)

	var result error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			result = err
		}
	}
	n.ready.Store(false)
	n.stopOnce.Do(func() { close(n.stopping) })
	n.Log.Info(n.opts.Mode + " shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), n.Config.ShutdownTimeout.D())
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		n.Log.Warn("shutdown: in-flight requests cut off", "error", err)
	}
	if admin != nil {
		admin.Shutdown(sctx)
	}
	stop()
	if err := <-queueDone; err != nil && !errors.Is(err, context.Canceled) {
		n.Log.Warn("delivery queue stopped", "error", err)
	}
	jobs.Wait()
	return result
}
