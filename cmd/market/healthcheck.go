package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"
)

func init() {
	commands["healthcheck"] = command{summary: "check that the relay on this machine answers /healthz (for Docker's HEALTHCHECK)", run: runHealthcheck}
}

// runHealthcheck asks the relay that the configuration describes for
// /healthz and exits 0 when it answers 200, 1 otherwise: the container
// image has no curl, so its HEALTHCHECK runs this.
func runHealthcheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("market healthcheck", "Usage: market healthcheck [--config FILE] [--listen HOST:PORT] [--url URL] [--timeout 5s]\n\n"+
		"Asks the relay running on this machine for /healthz; exits 0 when it answers 200, 1 when it does not.", stdout, stderr)
	load := fs.config("listen")
	url := fs.String("url", "", "the `URL` to check (default: /healthz on the configured listen address, loopback when it binds every interface)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if code, ok := fs.noArgs(); !ok {
		return code
	}
	if *url == "" {
		cfg, err := load()
		if err != nil {
			fmt.Fprintf(stderr, "market healthcheck: %v\n", err)
			return exitInternal
		}
		*url = "http://" + localAddr(cfg.Listen) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "market healthcheck: --url %q: %v\n", *url, err)
		return exitUsage
	}
	hc := &http.Client{Transport: &http.Transport{Proxy: nil}} // never through a proxy from the environment
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "market healthcheck: unhealthy: %v\n", err)
		return exitInternal
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "market healthcheck: unhealthy: %s answered %s\n", *url, resp.Status)
		return exitInternal
	}
	fmt.Fprintf(stdout, "healthy: %s answered %s\n", *url, resp.Status)
	return exitOK
}

// localAddr is the address to reach a server listening on listen from
// the same machine: the loopback address when it binds every interface.
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		host = "127.0.0.1"
		if err == nil && ip.Is6() {
			host = "::1"
		}
	}
	return net.JoinHostPort(host, port)
}
