// Command privacy benchmarks the privacy engine on the seed's use case
// against DuckDB, the peer named in issue 4: it generates realistic
// running points with a fixed seed, runs the seed policy (lat/lon rounded
// to 2 decimals, user_id removed, notes suppressed, device_id hashed) to
// CSV and to Parquet, then with notes scrubbed, and the same SQL in
// DuckDB (through node and @duckdb/node-api, installed by run.sh). It
// prints one line per figure: name value unit.
//
// Every timed run is a child process, so that its peak memory (max RSS)
// is its own.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/privacy"
)

const seedPolicy = `{
  "fields": {
    "lat": {"action": "round", "precision": 2},
    "lon": {"action": "round", "precision": 2},
    "timestamp": {"action": "keep"},
    "activity": {"action": "keep"},
    "user_id": {"action": "remove"},
    "device_id": {"action": "hash"},
    "notes": {"action": "%s"}
  },
  "differential_privacy": {"enabled": false, "epsilon": 1.0}
}`

func main() {
	rows := flag.Int("rows", 500000, "points to generate")
	bigRows := flag.Int("big-rows", 5000000, "points for the memory run (0 to skip)")
	dir := flag.String("dir", "", "work folder (default: a new temporary folder)")
	runs := flag.Int("runs", 3, "timed runs per case; the best is reported")
	duck := flag.String("duckdb", "", "the node script that runs DuckDB (empty: skip DuckDB)")
	child := flag.String("child", "", "internal: run one case in this process: notes action,in,out")
	cpuProfile := flag.String("cpuprofile", "", "with -child: write a CPU profile here")
	flag.Parse()
	if *child != "" {
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			check(err)
			check(pprof.StartCPUProfile(f))
			defer pprof.StopCPUProfile()
		}
		code := runChild(*child)
		if code != 0 {
			os.Exit(code)
		}
		return
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "privacy-bench-")
		check(err)
		defer os.RemoveAll(d)
		*dir = d
	}
	check(os.MkdirAll(*dir, 0o755))
	raw := filepath.Join(*dir, "raw.csv")
	check(generate(raw, *rows, 1))
	fmt.Printf("rows %d rows\n", *rows)
	type result struct {
		ms    float64
		cpuMS float64 // user + system time of the same best run
		rssMB float64
	}
	best := func(f func() (float64, float64, float64)) result {
		r := result{ms: math.Inf(1)}
		for i := 0; i < *runs; i++ {
			ms, cpu, rss := f()
			if ms < r.ms {
				r.ms, r.cpuMS = ms, cpu
			}
			r.rssMB = math.Max(r.rssMB, rss)
		}
		return r
	}
	ours := func(notes, out string) func() (float64, float64, float64) {
		return func() (float64, float64, float64) { return self(notes + "," + raw + "," + filepath.Join(*dir, out)) }
	}
	duckRun := func(mode, out string) func() (float64, float64, float64) {
		return func() (float64, float64, float64) {
			return measure(exec.Command("node", *duck, mode, raw, filepath.Join(*dir, out)))
		}
	}
	cases := []struct{ name, notes, out, duckMode string }{
		{"csv", "suppress", "ours.csv", "csv"},
		{"parquet", "suppress", "ours.parquet", "parquet"},
		{"scrub_csv", "scrub", "ours_scrub.csv", "scrub"},
	}
	var suppressMS, scrubMS float64
	for _, c := range cases {
		o := best(ours(c.notes, c.out))
		fmt.Printf("ours_%s_time %.0f ms\n", c.name, o.ms)
		fmt.Printf("ours_%s_cpu %.0f ms\n", c.name, o.cpuMS)
		fmt.Printf("ours_%s_peak_rss %.1f MB\n", c.name, o.rssMB)
		if *duck != "" {
			d := best(duckRun(c.duckMode, "duck_"+c.out))
			fmt.Printf("duckdb_%s_time %.0f ms\n", c.name, d.ms)
			fmt.Printf("duckdb_%s_cpu %.0f ms\n", c.name, d.cpuMS)
			fmt.Printf("duckdb_%s_peak_rss %.1f MB\n", c.name, d.rssMB)
			fmt.Printf("ratio_%s_ours_over_duckdb %.2f x\n", c.name, o.ms/d.ms)
		}
		switch c.name {
		case "csv":
			suppressMS = o.ms
		case "scrub_csv":
			scrubMS = o.ms
		}
	}
	fmt.Printf("scrub_extra_per_row %.0f ns/row\n", (scrubMS-suppressMS)*1e6/float64(*rows))
	fmt.Printf("scrub_per_row %.0f ns/row\n", scrubOnly(raw))
	if *bigRows > 0 {
		big := filepath.Join(*dir, "big.csv")
		check(generate(big, *bigRows, 2))
		ms, _, rss := self("suppress," + big + "," + filepath.Join(*dir, "big_out.csv"))
		fmt.Printf("ours_csv_%dk_time %.0f ms\n", *bigRows/1000, ms)
		fmt.Printf("ours_csv_%dk_peak_rss %.1f MB\n", *bigRows/1000, rss)
		ms, _, rss = self("suppress," + big + "," + filepath.Join(*dir, "big_out.parquet"))
		fmt.Printf("ours_parquet_%dk_time %.0f ms\n", *bigRows/1000, ms)
		fmt.Printf("ours_parquet_%dk_peak_rss %.1f MB\n", *bigRows/1000, rss)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// self runs one case in a child process and returns the time it reports,
// its CPU time and its peak RSS.
func self(arg string) (ms, cpuMS, rssMB float64) {
	exe, err := os.Executable()
	check(err)
	return measure(exec.Command(exe, "-child", arg))
}

// measure runs cmd, which prints its own elapsed milliseconds and its peak
// RSS in KiB as the last line of stdout, and reads its CPU time (user +
// system, over the whole process, start-up included) from the kernel. CPU time is
// the figure to read on a shared machine, where wall time includes
// waiting for a core.
func measure(cmd *exec.Cmd) (ms, cpuMS, rssMB float64) {
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	check(err)
	f := strings.Fields(string(out))
	if len(f) < 2 {
		check(fmt.Errorf("%s printed no time and peak memory", cmd.Path))
	}
	ms, err = strconv.ParseFloat(f[len(f)-2], 64)
	check(err)
	hwm, err := strconv.ParseFloat(f[len(f)-1], 64)
	check(err)
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return ms, float64(cpu.Microseconds()) / 1000, hwm / 1024
}

// peakRSSKiB reads this process's peak resident memory (VmHWM). The
// rusage of a child is no use here: Linux charges it with the parent's
// peak when the child is started with a shared address space before exec.
func peakRSSKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	check(err)
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			check(err)
			return n
		}
	}
	check(fmt.Errorf("no VmHWM in /proc/self/status"))
	return 0
}

func runChild(arg string) int {
	parts := strings.SplitN(arg, ",", 3)
	p, err := privacy.ParsePolicy(strings.NewReader(fmt.Sprintf(seedPolicy, parts[0])))
	check(err)
	start := time.Now()
	_, err = privacy.ApplyFile(context.Background(), p, parts[1], parts[2], privacy.Options{Key: []byte("bench-product-key-0123456789")})
	check(err)
	fmt.Printf("%.3f %d\n", float64(time.Since(start).Microseconds())/1000, peakRSSKiB())
	return 0
}

// scrubOnly measures the scrub action alone: a one-field policy over the
// notes column, minus the same run with the notes kept.
func scrubOnly(raw string) float64 {
	f, err := os.Open(raw)
	check(err)
	defer f.Close()
	var notes strings.Builder
	notes.WriteString("notes\n")
	sc := bufio.NewScanner(f)
	sc.Scan()
	n := 0
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndex(line, ",")
		if strings.HasSuffix(line, `"`) {
			i = strings.Index(line, `"`) - 1
		}
		notes.WriteString(line[i+1:])
		notes.WriteByte('\n')
		n++
	}
	in := notes.String()
	timeIt := func(action string) float64 {
		p, err := privacy.ParsePolicy(strings.NewReader(`{"fields":{"notes":{"action":"` + action + `"}}}`))
		check(err)
		bestNS := math.Inf(1)
		for i := 0; i < 7; i++ {
			start := time.Now()
			_, err = privacy.Apply(context.Background(), p, strings.NewReader(in), discard{}, privacy.Options{})
			check(err)
			bestNS = math.Min(bestNS, float64(time.Since(start).Nanoseconds()))
		}
		return bestNS
	}
	return (timeIt("scrub") - timeIt("keep")) / float64(n)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// generate writes n running points: tracks that leave home (or work) and
// come back, a point every 1 to 5 seconds, with notes that now and then
// hold an e-mail address or a phone number.
func generate(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(seed, 42))
	w.WriteString("lat,lon,timestamp,activity,user_id,device_id,notes\n")
	places := [][2]float64{{52.5200, 13.4050}, {52.4990, 13.3860}, {52.5400, 13.4200}}
	activities := []string{"run", "run", "run", "walk", "ride"}
	devices := []string{"garmin-fr255-8812", "pixel-7-android-4411", "wahoo-elemnt-0093"}
	words := strings.Fields("easy tempo long recovery intervals hills park river bridge windy rain sunny legs tired great pace felt strong slow shoes new route with friends after work before breakfast")
	t := time.Date(2023, 1, 1, 6, 30, 0, 0, time.UTC)
	var line []byte
	i := 0
	for i < n {
		home := places[r.IntN(len(places))]
		act := activities[r.IntN(len(activities))]
		dev := devices[r.IntN(len(devices))]
		user := "user-" + strconv.Itoa(1+r.IntN(3))
		bearing := r.Float64() * 2 * math.Pi
		length := 1500 + r.IntN(3000)
		lat, lon := home[0], home[1]
		for k := 0; k < length && i < n; k, i = k+1, i+1 {
			step := 2.0 + r.Float64()*2
			if k > length/2 {
				bearing = math.Atan2(home[1]-lon, home[0]-lat) + (r.Float64()-0.5)*0.6
			} else {
				bearing += (r.Float64() - 0.5) * 0.3
			}
			lat += step * math.Cos(bearing) / 111320
			lon += step * math.Sin(bearing) / (111320 * math.Cos(lat*math.Pi/180))
			t = t.Add(time.Duration(1+r.IntN(5)) * time.Second)
			line = line[:0]
			line = strconv.AppendFloat(line, lat, 'f', 6, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, lon, 'f', 6, 64)
			line = append(line, ',')
			line = t.AppendFormat(line, time.RFC3339)
			line = append(line, ',')
			line = append(line, act...)
			line = append(line, ',')
			line = append(line, user...)
			line = append(line, ',')
			line = append(line, dev...)
			line = append(line, ',')
			line = appendNote(line, r, words)
			line = append(line, '\n')
			w.Write(line)
		}
		t = t.Add(time.Duration(6+r.IntN(40)) * time.Hour)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func appendNote(line []byte, r *rand.Rand, words []string) []byte {
	switch x := r.IntN(100); {
	case x < 60:
		return line // most points carry no note
	case x < 90:
		for j := 0; j < 2+r.IntN(6); j++ {
			if j > 0 {
				line = append(line, ' ')
			}
			line = append(line, words[r.IntN(len(words))]...)
		}
		return line
	case x < 95:
		line = append(line, "ran with "...)
		line = append(line, words[r.IntN(len(words))]...)
		line = append(line, " mail jo.runner"...)
		line = strconv.AppendInt(line, int64(r.IntN(100)), 10)
		return append(line, "@example.org"...)
	default:
		line = append(line, `"call +49 30 `...)
		line = strconv.AppendInt(line, int64(1000000+r.IntN(9000000)), 10)
		return append(line, `, after 10km"`...)
	}
}
