// Package searchapi is the public search API over an index.Index, the same
// in every mode: a relay serves it at GET /api/v1/search, a hub over its
// local marketplace at GET /api/v1/marketplace/search.
//
// It owns the query parameters (Params; Parse turns a query string into
// an index.Query and refuses anything else, naming the parameter and what
// was expected), the JSON answer shape (Response, Hit: the SearchResponse
// schema of docs/openapi.yaml) and Handler, which runs one search within a
// deadline and maps its errors to statuses in one place: a bad parameter
// or query is 400 invalid_parameter, a search past its deadline 503
// search_timeout with Retry-After, anything else 500.
//
// Everything it reads comes from a client and is bounded here or by the
// index's own limits on a query's cost. It never stores anything, never
// decides who may search (the caller wraps Handler in its own access
// rules) and never reaches into the index's internals.
package searchapi
