package benchkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Hub is a `market hub` on its own data directory and loopback port, run
// as its own process, with a full owner API token from `market hub init`.
type Hub struct {
	*Process // nil until Start
	Bin      string
	Addr     string
	Actor    string // the owner's actor id
	Env      []string
	token    string
	client   *http.Client
}

var tokenPattern = regexp.MustCompile(`mkt_[0-9a-f]+`)

// InitHub runs `market hub init` for a hub with its data under work/name
// and the extra environment, keeping the token it prints; conns bounds
// the idle connections its owner API client keeps. The hub is not started.
func InitHub(bin, work, name string, conns int, extra ...string) (*Hub, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "MARKET_LISTEN="+addr, "MARKET_DATA_DIR="+filepath.Join(work, name),
		"MARKET_ALLOW_PRIVATE_NETWORKS=true", "MARKET_LOG_LEVEL=warn")
	h := &Hub{Bin: bin, Addr: addr, Actor: "http://" + addr + "/users/owner", Env: append(env, extra...),
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns}, Timeout: 30 * time.Second}}
	out, err := h.Run("init")
	if err != nil {
		return nil, err
	}
	if h.token = tokenPattern.FindString(string(out)); h.token == "" {
		return nil, fmt.Errorf("market hub init printed no owner API token:\n%s", out)
	}
	return h, nil
}

// Start starts the hub and returns how long it took from the process's
// start to /readyz answering 200.
func (h *Hub) Start() (time.Duration, error) {
	p, took, err := Start(h.Bin, []string{"hub"}, h.Env, h.Addr, 30*time.Second)
	if err != nil {
		return 0, err
	}
	h.Process = p
	return took, nil
}

// Run runs `market hub <args>` on the hub's data directory (through the
// running hub's admin socket when it runs) and returns its stdout.
func (h *Hub) Run(args ...string) ([]byte, error) {
	cmd := exec.Command(h.Bin, append([]string{"hub"}, args...)...)
	cmd.Env = h.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("market hub %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// API calls the owner API and decodes a JSON answer into out (when not
// nil); any status but want is an error.
func (h *Hub) API(method, path string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.Base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s%s: %d %s", method, h.Base, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
