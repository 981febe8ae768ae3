// Package benchkit holds what the benchmark programs under bench/ share:
// building the market binary, running it (a relay or a hub) as its own
// process on a loopback port, reading its metrics and memory, and
// printing one result line per figure.
package benchkit

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Exit ends a benchmark that failed: it prints err after the benchmark's
// name on stderr and exits with status 1. It does nothing when err is nil.
func Exit(name string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Line prints one result: name, value, unit.
func Line(name string, value any, unit string) { fmt.Printf("%-34s %v %s\n", name, value, unit) }

// BuildMarket builds the stripped market binary into dir and returns its
// path; with BENCH_MARKET_BIN set it returns that binary instead (one
// built with symbols, for a profiler such as perf, or an older build to
// compare with).
func BuildMarket(dir string) (string, error) {
	if b := os.Getenv("BENCH_MARKET_BIN"); b != "" {
		return b, nil
	}
	bin := filepath.Join(dir, "market")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/market")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build market: %w", err)
	}
	return bin, nil
}

// FreeAddr returns a free 127.0.0.1 address.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Process is a `market` process (a relay or a hub) serving HTTP on a
// loopback port.
type Process struct {
	Cmd  *exec.Cmd
	Base string // http://addr
}

// Relay is a `market relay` process.
type Relay = Process

// StartRelay starts `bin relay` with env and waits until /readyz answers
// 200; it returns how long that took.
func StartRelay(bin string, env []string, addr string, readyWithin time.Duration) (*Relay, time.Duration, error) {
	return Start(bin, []string{"relay"}, env, addr, readyWithin)
}

// Start starts bin with args and env, serving on addr, and waits until
// /readyz answers 200; it returns how long that took from the start of
// the process.
func Start(bin string, args, env []string, addr string, readyWithin time.Duration) (*Process, time.Duration, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &Process{Cmd: cmd, Base: "http://" + addr}
	err := WaitFor(readyWithin, func() bool {
		resp, err := http.Get(p.Base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	if err != nil {
		p.Stop()
		return nil, 0, fmt.Errorf("%s %s not ready within %v", filepath.Base(bin), strings.Join(args, " "), readyWithin)
	}
	return p, time.Since(start), nil
}

// Stop interrupts the process and waits for it to exit.
func (p *Process) Stop() {
	p.Cmd.Process.Signal(os.Interrupt)
	p.Cmd.Wait()
}

// Memory is a process's memory as /proc/<pid>/status gives it, in bytes.
type Memory struct {
	RSS  int64 // VmRSS: resident now
	Anon int64 // RssAnon: of it, the process's own (heap, stacks)
	File int64 // RssFile: of it, mapped files (the binary's code and data, bbolt)
	// Binary is the part of File that is the executable's own mappings
	// (from /proc/<pid>/smaps).
	Binary int64
	// BinaryHuge is the part of Binary mapped in 2 MiB pieces
	// (FilePmdMapped): a kernel whose page cache holds the executable in
	// large folios (ext4 on Linux 6.x, once the file was just written)
	// maps a whole folio on the first touch of any page of it, so these
	// count as resident though most of their pages were never used.
	BinaryHuge int64
	Peak       int64 // VmHWM: the most ever resident
}

// Memory reads the process's memory from /proc/<pid>/status.
func (p *Process) Memory() (Memory, error) {
	var m Memory
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Cmd.Process.Pid))
	if err != nil {
		return m, fmt.Errorf("read memory of pid %d: %w", p.Cmd.Process.Pid, err)
	}
	fields := map[string]*int64{"VmRSS:": &m.RSS, "RssAnon:": &m.Anon, "RssFile:": &m.File, "VmHWM:": &m.Peak}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && f[2] == "kB" && fields[f[0]] != nil {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			*fields[f[0]] = v << 10
		}
	}
	if m.RSS == 0 {
		return m, fmt.Errorf("no VmRSS in /proc/%d/status", p.Cmd.Process.Pid)
	}
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", p.Cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	smaps, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", p.Cmd.Process.Pid))
	if err != nil {
		return m, err
	}
	inExe := false
	for _, line := range strings.Split(string(smaps), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"): // a mapping's header
			inExe = len(f) >= 6 && f[5] == exe
		case inExe && len(f) == 3 && f[0] == "Rss:":
			v, _ := strconv.ParseInt(f[1], 10, 64)
			m.Binary += v << 10
		case inExe && len(f) == 3 && f[0] == "FilePmdMapped:":
			v, _ := strconv.ParseInt(f[1], 10, 64)
			m.BinaryHuge += v << 10
		}
	}
	return m, nil
}

// Each calls fn(i) for i from 0 to n-1, conc calls at a time, and
// returns the first error; after an error no new call starts.
func Each(n, conc int, fn func(i int) error) error {
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for firstErr.Load() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	err, _ := firstErr.Load().(error)
	return err
}

// WaitFor polls cond until it holds or d passes.
func WaitFor(d time.Duration, cond func() bool) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("timed out after %v", d)
}

// Metric reads one unlabelled series from the process's /metrics, or -1.
func (p *Process) Metric(name string) float64 {
	resp, err := http.Get(p.Base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return -1
}

// Percentiles sorts d and returns p50, p95 and p99 in milliseconds.
func Percentiles(d []time.Duration) (p50, p95, p99 float64) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000 }
	return at(0.50), at(0.95), at(0.99)
}

// DirSize is the total size of the files under dir.
func DirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// Check prints one result against its target: name, value, unit, then
// the target and whether the value meets it ("met" or "NOT MET"), so that
// a run reads as a checklist.
func Check(name string, value any, unit, target string, met bool) {
	verdict := "met"
	if !met {
		verdict = "NOT MET"
	}
	Line(name, value, fmt.Sprintf("%s (target %s: %s)", unit, target, verdict))
}
