package main

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
	"github.com/sovereign-marketplace/market/index/synth"
	"github.com/sovereign-marketplace/market/listing"
)

// errTooCostly is the search API's 400: a query it refuses as too costly.
var errTooCostly = errors.New("refused as too costly")

// measurePages times the search page against the search API on the same
// queries (one client, requests interleaved so that both see the same
// machine), and weighs a first load of the page: HTML, CSS and JS as
// gzip sends them, without the map's script and with it.
func measurePages(base string, texts []string) error {
	r := rand.New(rand.NewPCG(11, 11))
	qs := make([]string, len(texts))
	for i := range qs {
		switch i % 4 {
		case 0:
			qs[i] = "" // the first load: browse everything
		case 1:
			qs[i] = "q=" + url.QueryEscape(texts[i])
		case 2:
			reg := synth.Regions[r.IntN(len(synth.Regions))].Code
			qs[i] = "q=" + url.QueryEscape(texts[i]) + "&type=data_product&region=" + listing.Country(reg)
		default:
			qs[i] = "type=service&sort=newest"
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
	get := func(u string, html bool) (time.Duration, error) {
		req, _ := http.NewRequest("GET", u, nil)
		if html {
			req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusBadRequest {
			return 0, errTooCostly // the search API's refusal of a query too costly to run
		}
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
		}
		return time.Since(t0), err
	}
	// Warm both paths, so that neither pays for the first request.
	for _, q := range qs[:min(8, len(qs))] {
		get(base+"/api/v1/search?"+q, false)
		get(base+"/?"+q, true)
	}
	var api, page []time.Duration
	refused := 0
	for _, q := range qs {
		d, err := get(base+"/api/v1/search?"+q, false)
		if errors.Is(err, errTooCostly) {
			refused++ // the page refuses it too: nothing to compare
			continue
		}
		if err != nil {
			return err
		}
		api = append(api, d)
		if d, err = get(base+"/?"+q, true); err != nil {
			return err
		}
		page = append(page, d)
	}
	a50, a95, _ := benchkit.Percentiles(api)
	p50, p95, _ := benchkit.Percentiles(page)
	benchkit.Line("search_page_vs_api", fmt.Sprintf("n=%d page_p50=%.1f page_p95=%.1f api_p50=%.1f api_p95=%.1f p95_diff=%+.1f ms refused_as_too_costly=%d", len(api), p50, p95, a50, a95, p95-a95, refused),
		"(same queries, facets on, one client; target p95 within 10 ms of the API's)")

	// The weight of a first load, as a browser with gzip receives it.
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string) (int, string, error) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := raw.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			return 0, "", fmt.Errorf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		text := string(b)
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(text))
			if err != nil {
				return 0, "", err
			}
			plain, _ := io.ReadAll(zr)
			text = string(plain)
		}
		return len(b), text, nil
	}
	htmlBytes, html, err := fetch("/")
	if err != nil {
		return err
	}
	var css, js, mapJS int
	for _, m := range assetRE.FindAllStringSubmatch(html, -1) {
		n, _, err := fetch(strings.ReplaceAll(m[1], "&amp;", "&"))
		if err != nil {
			return err
		}
		switch {
		case strings.Contains(m[1], "/map.js"):
			mapJS += n
		case strings.HasSuffix(strings.SplitN(m[1], "?", 2)[0], ".css"):
			css += n
		case strings.HasSuffix(strings.SplitN(m[1], "?", 2)[0], ".js"):
			js += n
		}
	}
	kb := func(n int) string { return fmt.Sprintf("%.1f", float64(n)/1024) }
	benchkit.Line("page_weight_first_load", kb(htmlBytes+css+js), fmt.Sprintf("KB gzip without the map: HTML %s + CSS %s + JS %s (target <= 150)", kb(htmlBytes), kb(css), kb(js)))
	benchkit.Line("page_weight_with_map", kb(htmlBytes+css+js+mapJS), fmt.Sprintf("KB gzip with the map's script (%s KB: country shapes and their drawing; target <= 400)", kb(mapJS)))
	return nil
}

// assetRE finds the stylesheet and scripts a page loads.
var assetRE = regexp.MustCompile(`(?:<link rel="stylesheet" href|<script src)="(/assets/[^"]+)"`)
