// Package config holds the one Config that both modes (relay and hub)
// run with: its defaults, loading from a YAML file and MARKET_*
// environment variables, and validation of the whole at start-up.
//
// Config is read once and passed down as a value. No other package reads
// environment variables or flags. This package does no I/O beyond reading
// the file it is given.
package config
