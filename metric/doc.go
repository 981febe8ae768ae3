// Package metric is the servers' Prometheus metrics: counters, gauges
// and counters by labels, a Registry of them, and its /metrics handler
// in the Prometheus text exposition format (version 0.0.4), the format
// Prometheus scrapes by default.
//
// It is what the project used of Prometheus's client library
// (client_golang), without it: that library brings protocol buffers,
// its descriptor tables and its own process and Go collectors, about
// 2 MiB of code and tables that a hub keeps resident all its life
// (bench/hub-publish/MEMORY.md), for a format a plain text writer
// produces. The exposition is the library's, byte for byte: families
// sorted by name, each with # HELP and # TYPE lines; series sorted by
// their label values, labels in name order; values written as Go's
// shortest float form; a family with no series is left out.
//
// Names and label names are the program's own constants; label values
// may come from the network (an activity's type, an outcome) and are
// escaped. A caller bounds their number (federation maps unknown
// activity types to "other"), as with the library.
package metric
