package relay

import (
	"context"
	"time"
)

// SetSearchDeadline changes how long one search may run
// (searchapi.Deadline in production), so that a test can reach the
// deadline.
func (s *Server) SetSearchDeadline(d time.Duration) { s.search.Deadline = d }

// SetDiscoverySpacing changes the least time between two discovery
// fetches from one host (a second in production), so that tests of the
// periodic refresh do not wait for it.
func (s *Server) SetDiscoverySpacing(d time.Duration) {
	s.discovery.mu.Lock()
	defer s.discovery.mu.Unlock()
	s.discovery.spacing = d
}

// CatchUpIndex replays the index journal, as a start does.
func (s *Server) CatchUpIndex(ctx context.Context) error { return s.catchUpIndex(ctx) }
