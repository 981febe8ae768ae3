package main

import (
	"os"
	"runtime"
	"strings"
)

// The Go runtime samples one allocation in every 512 KB for heap
// profiles, keeping a record of each sampled stack for the life of the
// process in a 1.4 MB hash table whose pages fill as distinct stacks are
// sampled (0.25 to 1.4 MiB resident in a hub after 1,000 creates).
// `market` never writes a heap profile (it serves no pprof), and the
// linker would turn sampling off by itself were the profiles
// unreachable; go-ethereum's rpc package reaches them (its metrics look
// the threadcreate profile up). Sampling is turned off here, after the
// packages' initialisation (whose few samples stay). GODEBUG=
// memprofilerate=N still turns it on for someone who wants a heap
// profile.
func init() {
	if !strings.Contains(os.Getenv("GODEBUG"), "memprofilerate=") {
		runtime.MemProfileRate = 0
	}
}
