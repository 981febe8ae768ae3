package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sovereign-marketplace/market/internal/cli"
)

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const cliPolicy = `{"fields":{"lat":{"action":"round","precision":2},"lon":{"action":"round","precision":2},
"user_id":{"action":"remove"},"device_id":{"action":"hash"},"notes":{"action":"suppress"}},
"differential_privacy":{"enabled":false,"epsilon":1.0}}`

func TestPrivacyApplyCommand(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.json")
	in := filepath.Join(dir, "points.csv")
	out := filepath.Join(dir, "out.jsonl")
	rep := filepath.Join(dir, "report.json")
	writeTestFile(t, pol, cliPolicy)
	writeTestFile(t, in, "lat,lon,user_id,device_id,notes\n52.520008,13.404954,user-1,dev-a,call me\n52.53,13.41,user-1,dev-a,\n")
	var stdout, stderr bytes.Buffer
	code := run([]string{"apply", "--policy", pol, "--in", in, "--out", out, "--report", rep}, &stdout, &stderr)
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"lat":52.52,"lon":13.40,"device_id":"`) || strings.Contains(string(got), "user-1") || strings.Contains(string(got), "call me") {
		t.Errorf("output:\n%s", got)
	}
	var r map[string]any
	data, _ := os.ReadFile(rep)
	if err := json.Unmarshal(data, &r); err != nil || r["rows_read"].(float64) != 2 {
		t.Errorf("report %s: %v", data, err)
	}
	if !strings.Contains(stderr.String(), "privacy report: 2 rows read") || !strings.Contains(stderr.String(), "created the product key") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	// the key is kept: a second run gives the same digests
	key, err := os.ReadFile(pol + ".key")
	if err != nil || len(key) != 32 {
		t.Fatalf("key file: %v, %d bytes", err, len(key))
	}
	st, _ := os.Stat(pol + ".key")
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	stderr.Reset()
	if code := run([]string{"apply", "--policy", pol, "--in", in, "--out", out, "--quiet"}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr.String())
	}
	again, _ := os.ReadFile(out)
	if !bytes.Equal(again, got) {
		t.Errorf("a second run with the same key differs:\n%s\n%s", got, again)
	}
	if stderr.Len() != 0 {
		t.Errorf("--quiet printed: %s", stderr.String())
	}
	// --format overrides the extension; --sample writes a preview
	prev := filepath.Join(dir, "preview.out")
	if code := run([]string{"apply", "--policy", pol, "--in", in, "--out", prev, "--format", "parquet", "--sample", "1", "--quiet"}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("preview: exit %d: %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(prev); !bytes.HasPrefix(b, []byte("PAR1")) {
		t.Errorf("--format parquet did not write Parquet")
	}
}

func TestPrivacyApplyExitCodes(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.json")
	writeTestFile(t, pol, cliPolicy)
	good := filepath.Join(dir, "good.csv")
	writeTestFile(t, good, "lat,lon,user_id,device_id,notes\n52.5,13.4,u,d,n\n")
	bad := filepath.Join(dir, "bad.csv")
	writeTestFile(t, bad, "lat,lon,user_id,device_id,notes\n52.5,13.4,u,d,n\n52.5,13.4,u,d,\"open\n")
	strict := filepath.Join(dir, "strict.json")
	writeTestFile(t, strict, strings.Replace(cliPolicy, `"differential_privacy"`, `"release":{"max_unique_share":0},"differential_privacy"`, 1))
	badPol := filepath.Join(dir, "bad.json")
	writeTestFile(t, badPol, `{"fields":{"lat":{"action":"blur"}}}`)
	out := filepath.Join(dir, "out.csv")
	shortKey := filepath.Join(dir, "short.key")
	writeTestFile(t, shortKey, "short")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing flags", []string{"--in", good}, cli.ExitUsage, "missing --out, --policy"},
		{"bad row", []string{"--policy", pol, "--in", bad, "--out", out}, cli.ExitUsage, "line 3: column 5: a quoted field is not closed"},
		{"bad policy", []string{"--policy", badPol, "--in", good, "--out", out}, cli.ExitUsage, `field "lat": unknown action "blur"`},
		{"missing input", []string{"--policy", pol, "--in", filepath.Join(dir, "nope.csv"), "--out", out}, cli.ExitUsage, "nope.csv"},
		{"bad format", []string{"--policy", pol, "--in", good, "--out", out, "--format", "xlsx"}, cli.ExitUsage, "unsupported format"},
		{"too identifying", []string{"--policy", strict, "--in", good, "--out", out}, cli.ExitUsage, "too identifying to release"},
		{"short key file", []string{"--policy", pol, "--in", good, "--out", out, "--key-file", shortKey}, cli.ExitUsage, "key file " + shortKey + " holds 5 bytes; want the raw key, at least 16 bytes"},
		{"output folder missing", []string{"--policy", pol, "--in", good, "--out", filepath.Join(dir, "no", "such", "out.csv")}, cli.ExitUsage, "create output"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"apply"}, c.args...), &stdout, &stderr)
			if code != c.code || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, c.code, stderr.String(), c.want)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed run left an output file")
	}
}

// TestUsage: the binary names its one subcommand when it is missing or
// unknown (exit 2), prints its help on --help (exit 0), and apply's flag
// errors are named as the user wrote them, with apply's usage.
func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args      []string
		code      int
		out, want string
	}{
		{nil, cli.ExitUsage, "", "market-privacy: missing subcommand: apply"},
		{[]string{"nope"}, cli.ExitUsage, "", `market-privacy: unknown subcommand "nope" (want apply)`},
		{[]string{"--help"}, cli.ExitOK, "Subcommands:\n  apply", ""},
		{[]string{"apply", "--help"}, cli.ExitOK, "  --policy FILE", ""},
		{[]string{"apply", "--sample", "many"}, cli.ExitUsage, "", `market-privacy apply: invalid value "many" for flag --sample`},
		{[]string{"apply", "--policy", "p.json", "--in", "a.csv", "--out", "b.csv", "extra"}, cli.ExitUsage, "", `market-privacy apply: unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.out) || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d (want %d), stdout %q (want %q), stderr %q (want %q)", c.args, code, c.code, stdout.String(), c.out, stderr.String(), c.want)
		}
		if c.code == cli.ExitUsage && c.want != "" && !strings.Contains(stderr.String(), "Usage: market-privacy") {
			t.Errorf("%v: stderr %q has no usage", c.args, stderr.String())
		}
	}
}
