package privacy

import (
	"os"
	"testing"
	"time"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func timeUnix(sec int64, nsec int) time.Time { return time.Unix(sec, int64(nsec)).UTC() }

func layoutPrecision(layout string) time.Duration {
	if len(layout) > len("2006-01-02T15:04:05Z07:00") {
		return time.Nanosecond
	}
	return time.Second
}
