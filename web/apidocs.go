package web

import (
	_ "embed"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// OpenAPI is the embedded copy of docs/openapi.yaml that /api/docs shows;
// `go generate ./web` copies it over and a test checks the two are equal.
//
//go:embed apidocs/openapi.yaml
var OpenAPI []byte

// apiDocs is the OpenAPI document, read once, in the order it is written.
type apiDocs struct {
	Title, Version string
	Description    []paragraph
	Tags           []apiTag
	Schemas        []apiSchema
}

type apiTag struct {
	Name        string
	Description string
	Operations  []apiOperation
}

type apiOperation struct {
	Method, Path, ID, Summary string
	Description               []paragraph
	Params                    []apiParam
	Body                      string // the request body's schema, in short
	Responses                 []apiResponse
}

type apiParam struct {
	Name, In, Type, Description string
	Required                    bool
}

type apiResponse struct {
	Status, Description, Schema string
	Ref                         string // the schema's name when it is a reference to one
}

type apiSchema struct {
	Name        string
	Description string
	Properties  []apiParam
}

// paragraph is text with `code` spans: even parts are text, odd parts code.
type paragraph []string

func toParagraphs(s string) []paragraph {
	var out []paragraph
	for _, block := range strings.Split(strings.TrimSpace(s), "\n\n") {
		block = strings.Join(strings.Fields(block), " ")
		if block != "" {
			out = append(out, strings.Split(block, "`"))
		}
	}
	return out
}

// Code reports whether part i of a paragraph is a code span.
func (paragraph) Code(i int) bool { return i%2 == 1 }

// loadAPIDocs reads OpenAPI into the shape the page shows.
func loadAPIDocs() (*apiDocs, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(OpenAPI, &root); err != nil {
		return nil, fmt.Errorf("web: embedded openapi.yaml: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("web: embedded openapi.yaml is empty")
	}
	doc := root.Content[0]
	d := &apiDocs{}
	info := get(doc, "info")
	d.Title, d.Version = str(get(info, "title")), str(get(info, "version"))
	d.Description = toParagraphs(str(get(info, "description")))
	tagIndex := map[string]int{}
	each(get(doc, "tags"), func(_ string, t *yaml.Node) {
		tagIndex[str(get(t, "name"))] = len(d.Tags)
		d.Tags = append(d.Tags, apiTag{Name: str(get(t, "name")), Description: str(get(t, "description"))})
	})
	each(get(doc, "paths"), func(path string, item *yaml.Node) {
		each(item, func(method string, op *yaml.Node) {
			if !slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options"}, method) {
				return
			}
			o := apiOperation{Method: strings.ToUpper(method), Path: path, ID: str(get(op, "operationId")), Summary: str(get(op, "summary")),
				Description: toParagraphs(str(get(op, "description")))}
			each(get(op, "parameters"), func(_ string, p *yaml.Node) {
				p = resolve(doc, p)
				o.Params = append(o.Params, apiParam{Name: str(get(p, "name")), In: str(get(p, "in")), Type: schemaText(get(p, "schema")),
					Description: str(get(p, "description")), Required: str(get(p, "required")) == "true"})
			})
			if body := get(op, "requestBody"); body != nil {
				each(get(body, "content"), func(mt string, c *yaml.Node) {
					if o.Body == "" {
						o.Body = mt + ": " + schemaText(get(c, "schema"))
					}
				})
			}
			each(get(op, "responses"), func(status string, r *yaml.Node) {
				r = resolve(doc, r)
				resp := apiResponse{Status: status, Description: str(get(r, "description"))}
				each(get(r, "content"), func(_ string, c *yaml.Node) {
					if resp.Schema == "" {
						resp.Schema = schemaText(get(c, "schema"))
						if ref := str(get(get(c, "schema"), "$ref")); ref != "" {
							resp.Ref = resp.Schema
						}
					}
				})
				o.Responses = append(o.Responses, resp)
			})
			tag := "other"
			if tags := get(op, "tags"); tags != nil && len(tags.Content) > 0 {
				tag = tags.Content[0].Value
			}
			i, ok := tagIndex[tag]
			if !ok {
				i = len(d.Tags)
				tagIndex[tag] = i
				d.Tags = append(d.Tags, apiTag{Name: tag})
			}
			d.Tags[i].Operations = append(d.Tags[i].Operations, o)
		})
	})
	each(get(get(doc, "components"), "schemas"), func(name string, sc *yaml.Node) {
		s := apiSchema{Name: name, Description: str(get(sc, "description"))}
		required := map[string]bool{}
		each(get(sc, "required"), func(_ string, n *yaml.Node) { required[n.Value] = true })
		each(get(sc, "properties"), func(prop string, p *yaml.Node) {
			s.Properties = append(s.Properties, apiParam{Name: prop, Type: schemaText(p), Description: str(get(p, "description")), Required: required[prop]})
		})
		d.Schemas = append(d.Schemas, s)
	})
	return d, nil
}

// get is the value of key in a mapping node, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// each calls fn for every pair of a mapping node (key, value) or every
// item of a sequence node ("", item), in document order.
func each(n *yaml.Node, fn func(key string, v *yaml.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i].Value, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			fn("", c)
		}
	}
}

func str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// resolve follows a local $ref ("#/components/responses/X").
func resolve(doc, n *yaml.Node) *yaml.Node {
	ref := str(get(n, "$ref"))
	if !strings.HasPrefix(ref, "#/") {
		return n
	}
	cur := doc
	for _, part := range strings.Split(ref[2:], "/") {
		cur = get(cur, part)
	}
	if cur == nil {
		return n
	}
	return cur
}

// schemaText says a schema in short: "string", "array of string",
// "Listing" (a reference), "object".
func schemaText(s *yaml.Node) string {
	if s == nil {
		return ""
	}
	if ref := str(get(s, "$ref")); ref != "" {
		return ref[strings.LastIndex(ref, "/")+1:]
	}
	t := str(get(s, "type"))
	if t == "" && get(s, "type") != nil && get(s, "type").Kind == yaml.SequenceNode {
		var ts []string
		each(get(s, "type"), func(_ string, n *yaml.Node) { ts = append(ts, n.Value) })
		t = strings.Join(ts, " or ")
	}
	switch {
	case t == "array":
		return "array of " + schemaText(get(s, "items"))
	case t == "" && get(s, "oneOf") != nil:
		var alts []string
		each(get(s, "oneOf"), func(_ string, n *yaml.Node) { alts = append(alts, schemaText(n)) })
		return strings.Join(alts, " or ")
	case t == "":
		return "any"
	}
	if enum := get(s, "enum"); enum != nil {
		var vals []string
		each(enum, func(_ string, n *yaml.Node) { vals = append(vals, n.Value) })
		t += " (" + strings.Join(vals, ", ") + ")"
	}
	if f := str(get(s, "format")); f != "" {
		t += ", " + f
	}
	return t
}

// serveAPIDocs is GET /api/docs: the OpenAPI document as a page.
func (s *Site) serveAPIDocs(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "apidocs", s.apiDocs())
}

// serveOpenAPI is GET /api/openapi.yaml: the document itself.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(OpenAPI)
}

// Routes registers what every site serves on handle (a node's Handle):
// GET /assets/{name}, GET /api/docs and GET /api/openapi.yaml.
func (s *Site) Routes(handle func(pattern string, h http.Handler)) {
	handle("GET /assets/{name}", http.HandlerFunc(serveAsset))
	handle("GET /api/docs", http.HandlerFunc(s.serveAPIDocs))
	handle("GET /api/openapi.yaml", http.HandlerFunc(serveOpenAPI))
}
