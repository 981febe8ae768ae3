//go:build !linux

package index_test

import "time"

// processCPU is not measured outside Linux: the benchmarks report no CPU.
func processCPU() time.Duration { return 0 }
