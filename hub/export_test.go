package hub

// SetQueueHook makes the escrow agent's queueing of a step's updates
// call f inside the step's transaction (f's error fails the step).
func (s *Server) SetQueueHook(f func() error) { s.queueHook = f }
