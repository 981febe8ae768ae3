package index_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the whole process has used: a query
// walked in parts (Options.SearchParts) runs on several threads.
// Benchmarks that read it run one query at a time, so what else the
// process does meanwhile (garbage collection, Bleve's merges) is small
// when the index takes no writes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
