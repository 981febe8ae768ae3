// Package benchkit holds what the benchmark programs under bench/ share:
// building the market binary, running a relay process on a loopback port,
// reading its metrics, and printing one result line per figure.
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
	"time"
)

// Line prints one result: name, value, unit.
func Line(name string, value any, unit string) { fmt.Printf("%-34s %v %s\n", name, value, unit) }

// BuildMarket builds the stripped market binary into dir and returns its path.
func BuildMarket(dir string) (string, error) {
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

// Relay is a `market relay` process.
type Relay struct {
	Cmd  *exec.Cmd
	Base string // http://addr
}

// StartRelay starts `bin relay` with env and waits until /readyz answers
// 200; it returns how long that took.
func StartRelay(bin string, env []string, addr string, readyWithin time.Duration) (*Relay, time.Duration, error) {
	cmd := exec.Command(bin, "relay")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	r := &Relay{Cmd: cmd, Base: "http://" + addr}
	err := WaitFor(readyWithin, func() bool {
		resp, err := http.Get(r.Base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	if err != nil {
		r.Stop()
		return nil, 0, fmt.Errorf("relay not ready within %v", readyWithin)
	}
	return r, time.Since(start), nil
}

// Stop interrupts the relay and waits for it to exit.
func (r *Relay) Stop() {
	r.Cmd.Process.Signal(os.Interrupt)
	r.Cmd.Wait()
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

// Metric reads one unlabelled series from the relay's /metrics, or -1.
func (r *Relay) Metric(name string) float64 {
	resp, err := http.Get(r.Base + "/metrics")
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
