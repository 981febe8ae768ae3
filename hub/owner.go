package hub

import "time"

// Login lockout: after loginFailures failed logins within loginWindow
// from one client address or for the account, logins are refused until
// the oldest failure leaves the window.
const (
	loginFailures = 5
	loginWindow   = 15 * time.Minute
)

func (p *pages) ownerRoutes() {}
