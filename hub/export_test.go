package hub

// SetQueueHook makes the escrow agent's queueing of a step's updates
// call f inside the step's transaction (f's error fails the step).
func (s *Server) SetQueueHook(f func() error) { s.queueHook = f }

// DealKey is the owner API's key of the deal of agreement id.
func DealKey(id string) string { return dealKey(id) }
