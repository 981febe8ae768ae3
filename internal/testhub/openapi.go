package testhub

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// APIClient calls a relay's or a hub's HTTP API and checks every request
// and response against the OpenAPI document (docs/openapi.yaml), so that
// the document stays true.
type APIClient struct {
	t      testing.TB
	base   string
	router routers.Router
	// Header is sent with every request (an owner API token, say).
	Header http.Header
}

// The hub's public pages answer HTML; the document says so and the
// checker takes such bodies as text.
func init() {
	openapi3filter.RegisterBodyDecoder("text/html", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
}

// NewAPIClient loads the OpenAPI document at docPath, checks that it is
// valid, and returns a client for the server at base.
func NewAPIClient(t testing.TB, docPath, base string) *APIClient {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(docPath)
	if err != nil {
		t.Fatalf("load openapi: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s is not valid OpenAPI: %v", docPath, err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &APIClient{t: t, base: base, router: router, Header: http.Header{}}
}

// Do sends a request (body nil for none) and validates it and its
// response against the document: the route must be documented, a request
// the server took must match it, and every response must.
func (c *APIClient) Do(method, path string, body []byte) (int, []byte) {
	c.t.Helper()
	req := c.request(method, path, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)

	vreq := c.request(method, path, body)
	route, params, err := c.router.FindRoute(vreq)
	if err != nil {
		c.t.Fatalf("%s %s is not in the OpenAPI document: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if resp.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			c.t.Errorf("%s %s: request does not match the document: %v", method, path, err)
		}
	}
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true}}
	rv.SetBodyBytes(out)
	if err := openapi3filter.ValidateResponse(context.Background(), rv); err != nil {
		c.t.Errorf("%s %s: response %d does not match the document: %v\n%s", method, path, resp.StatusCode, err, out)
	}
	return resp.StatusCode, out
}

func (c *APIClient) request(method, path string, body []byte) *http.Request {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}
