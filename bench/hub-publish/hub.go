package main

import (
	"fmt"
	"net/http"

	"github.com/sovereign-marketplace/market/bench/internal/benchkit"
)

// hubProc is the benchmark's hub process.
type hubProc struct{ *benchkit.Hub }

// initHub runs `market hub init` for a hub with its data under
// work/name. The hub is not started.
func initHub(bin, work, name string) (*hubProc, error) {
	h, err := benchkit.InitHub(bin, work, name, 16)
	return &hubProc{h}, err
}

// created is what the owner API answers a create with (the fields used).
type created struct {
	ID            string `json:"id"`
	FederatedAPID string `json:"federated_ap_id"`
	DeliveredTo   int    `json:"delivered_to"`
}

// create publishes a listing through the owner API.
func (h *hubProc) create(body map[string]any) (created, error) {
	var c created
	err := h.API(http.MethodPost, "/api/v1/owner/listings", body, http.StatusCreated, &c)
	return c, err
}

// listing is the body of a public, active service listing titled title.
func listing(title string, i int) map[string]any {
	regions := []string{"US-CA", "DE-BE", "FR-75", "JP-13", "BR-SP", "IN-KA"}
	tags := [][]string{{"architecture", "review"}, {"gardening"}, {"tutoring", "math"}, {"translation", "german"}, {"bike", "repair"}}
	return map[string]any{
		"listing_type": "service",
		"title":        title,
		"description":  "One session by video call or in person, booked a week ahead. Notes and a written summary follow within two days; a second session is half price.",
		"price":        map[string]string{"amount": fmt.Sprintf("%d.00", 20+i%180), "currency": "USD", "price_type": "hourly", "pricing_model": "one_time"},
		"status":       "active",
		"visibility":   "public",
		"tags":         tags[i%len(tags)],
		"region":       regions[i%len(regions)],
	}
}
