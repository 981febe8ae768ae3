//go:build !linux

package index_test

import "time"

// threadCPU is not measured outside Linux: the benchmarks report no CPU.
func threadCPU() time.Duration { return 0 }
