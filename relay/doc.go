// Package relay is relay mode: it follows hubs, handles the activities
// their inboxes deliver (Follow, Undo, Create, Update, Delete, Announce),
// discovers the proposals hubs link from their actor documents (as Mitra
// publishes, see discovery.go), keeps accepted listings in bbolt with how
// each arrived, keeps the search index in step (and records where it
// cannot), and serves the relay's HTTP endpoints.
//
// It never holds funds, takes part in a deal, or runs the privacy engine.
package relay
