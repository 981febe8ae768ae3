// Command market-privacy is the privacy engine's command line: it turns
// a data product's raw rows into what a buyer receives, under the
// product's policy (package privacy). It is a binary of its own, beside
// `market`, so that a hub or a relay, which never run it, do not carry
// Parquet, Brotli, LZ4 and the engine's tables: every megabyte of code in
// `market` is resident in an idle hub (bench/hub-publish/MEMORY.md).
//
//	market-privacy apply --policy policy.json --in points.csv --out out.parquet
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/internal/cli"
	"github.com/sovereign-marketplace/market/privacy"
)

const usage = `market-privacy: the privacy engine: turn raw rows into the product a buyer receives

Usage: market-privacy <subcommand> [arguments]

Subcommands:
  apply      apply a policy: market-privacy apply --policy p.json --in raw.csv --out out.parquet

Run 'market-privacy <subcommand> --help' for details.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		fmt.Fprint(stderr, "market-privacy: missing subcommand: apply\n\n"+usage)
		return cli.ExitUsage
	case args[0] == "apply":
		return privacyApply(args[1:], stdout, stderr)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help":
		fmt.Fprint(stdout, usage)
		return cli.ExitOK
	}
	fmt.Fprintf(stderr, "market-privacy: unknown subcommand %q (want apply)\n\n%s", args[0], usage)
	return cli.ExitUsage
}

// isTerminal reports whether w is a terminal, where progress is drawn;
// a variable so that tests can pretend.
var isTerminal = cli.IsTerminal

func privacyApply(args []string, stdout, stderr io.Writer) int {
	fl := cli.NewFlags("market-privacy apply", `Usage: market-privacy apply --policy policy.json --in points.csv --out out.parquet [--format csv|json|jsonl|parquet] [--sample N] [--report r.json]

Runs the policy over the input and writes only the transformed product; the output file appears only when the whole run succeeds.
Exit codes: 0 done, 2 bad flags, policy or input (the message names the field and line), or a product that misses the policy's release limits (kept back), 1 internal error.`, stdout, stderr)
	policyPath := fl.String("policy", "", "the policy JSON `FILE` (required)")
	inPath := fl.String("in", "", "the raw data `FILE`: .csv, .json (array), .jsonl or .parquet (required)")
	outPath := fl.String("out", "", "the product `FILE` to write: .csv, .json, .jsonl or .parquet (required)")
	format := fl.String("format", "", "output `FORMAT`: csv, json, jsonl or parquet (default: from --out's extension)")
	inFormat := fl.String("in-format", "", "input `FORMAT`: csv, json, jsonl or parquet (default: from --in's extension)")
	sample := fl.Int("sample", 0, "write a preview of `N` rows drawn from the transformed output instead of the whole product")
	reportPath := fl.String("report", "", "write the privacy report as JSON to `FILE`")
	schemaPath := fl.String("schema", "", "write the output's JSON Schema (the listing's schema_json) to `FILE`")
	keyPath := fl.String("key-file", "", "the `FILE` of the data product's secret key for keyed hashes (default: the policy file's name + .key; created with 32 random bytes and mode 0600 if missing)")
	quiet := fl.Bool("quiet", false, "do not print the report summary on stderr")
	if code, ok := fl.ParseArgs(args); !ok {
		return code
	}
	if code, ok := fl.NoArgs(); !ok {
		return code
	}
	var missing []string
	for name, v := range map[string]string{"--policy": *policyPath, "--in": *inPath, "--out": *outPath} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fl.Fail("missing %s", strings.Join(slices.Sorted(slices.Values(missing)), ", "))
	}
	if *sample < 0 {
		return fl.Fail("--sample must be >= 0, got %d", *sample)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "market-privacy apply: %v\n", err)
		if errors.Is(err, privacy.ErrInvalidPolicy) || errors.Is(err, privacy.ErrBadInput) || errors.Is(err, privacy.ErrTooIdentifying) || errors.Is(err, privacy.ErrInvalidKey) ||
			errors.Is(err, privacy.ErrUnsupportedFormat) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return cli.ExitUsage
		}
		return cli.ExitInternal
	}
	opt := privacy.Options{Sample: *sample}
	var err error
	if *format != "" {
		if opt.OutputFormat, err = privacy.ParseFormat(*format); err != nil {
			return fail(err)
		}
	}
	if *inFormat != "" {
		if opt.InputFormat, err = privacy.ParseFormat(*inFormat); err != nil {
			return fail(err)
		}
	}
	pol, err := privacy.LoadPolicy(*policyPath)
	if err != nil {
		return fail(err)
	}
	if *keyPath == "" {
		*keyPath = *policyPath + ".key"
	}
	key, created, err := privacy.LoadOrCreateProductKey(*keyPath)
	if err != nil {
		return fail(err)
	}
	if created {
		fmt.Fprintf(stderr, "market-privacy apply: created the product key %s (keep it: keyed hashes stay stable only with the same key)\n", *keyPath)
	}
	opt.Key = key
	if st, err := os.Stat(*inPath); err == nil && isTerminal(stderr) {
		opt.Progress = progressBar(stderr, st.Size())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	res, err := privacy.ApplyFile(ctx, pol, *inPath, *outPath, opt)
	if opt.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if errors.Is(err, privacy.ErrTooIdentifying) && res != nil {
		// show why the product was kept back
		res.Report.WriteSummary(stderr)
		if *reportPath != "" {
			if data, jerr := json.MarshalIndent(res.Report, "", "  "); jerr == nil {
				os.WriteFile(*reportPath, append(data, '\n'), 0o644)
			}
		}
	}
	if err != nil {
		return fail(err)
	}
	if *reportPath != "" {
		data, err := json.MarshalIndent(res.Report, "", "  ")
		if err == nil {
			err = os.WriteFile(*reportPath, append(data, '\n'), 0o644)
		}
		if err != nil {
			return fail(fmt.Errorf("write report: %w", err))
		}
	}
	if *schemaPath != "" {
		if err := os.WriteFile(*schemaPath, []byte(res.SchemaJSON+"\n"), 0o644); err != nil {
			return fail(fmt.Errorf("write schema: %w", err))
		}
	}
	if !*quiet {
		res.Report.WriteSummary(stderr)
		fmt.Fprintf(stderr, "wrote %s in %s\n", *outPath, time.Since(start).Round(time.Millisecond))
	}
	return cli.ExitOK
}

// progressBar draws "[#####.....] 52% 260000 rows" on one line, at most
// ten times a second.
func progressBar(w io.Writer, total int64) func(rows, bytes int64) {
	var last time.Time
	return func(rows, bytes int64) {
		frac := 0.0
		if total > 0 {
			frac = min(1, float64(bytes)/float64(total))
		}
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond && frac < 1 {
			return
		}
		last = now
		n := int(frac * 30)
		fmt.Fprintf(w, "\r[%s%s] %3.0f%% %d rows", strings.Repeat("#", n), strings.Repeat(".", 30-n), 100*frac, rows)
	}
}
