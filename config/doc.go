// Package config holds the one Config that both modes (relay and hub)
// run with: its defaults, loading from a YAML file, MARKET_* environment
// variables and the command line's overrides (a flag wins over a
// variable, which wins over the file), and validation of the whole at
// start-up.
//
// Config is read once and passed down as a value. No other package reads
// environment variables or flags: the command parses its flags and hands
// the values to Load as Overrides. This package does no I/O beyond reading
// the file it is given. What a listing field may hold (types, regions,
// currencies, tags, URLs) it asks package listing, never keeping copies.
package config
