// Package relay is relay mode: it follows hubs, handles the activities
// their inboxes deliver (Follow, Undo, Create, Update, Delete, Announce),
// keeps accepted listings in bbolt, and serves the relay's HTTP endpoints.
//
// It never holds funds, takes part in a deal, or runs the privacy engine.
package relay
