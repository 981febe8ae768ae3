package federation

import (
	"net/http"
	"strings"
)

// nodeInfoSchema is the NodeInfo 2.1 schema URI, the rel of its link.
const nodeInfoSchema = "http://nodeinfo.diaspora.software/ns/schema/2.1"

// NodeInfo is what a server says about itself in its NodeInfo document.
type NodeInfo struct {
	// SoftwareName is the software's name; NodeInfo wants lower-case
	// letters, digits and hyphens, so it is lower-cased.
	SoftwareName    string
	SoftwareVersion string
	// OpenRegistrations tells whether anyone may sign up.
	OpenRegistrations bool
	// Users is the total number of users (actors).
	Users int
	// LocalPosts is the number of local posts (listings).
	LocalPosts int
	// Metadata is free-form (e.g. a relay's specialization).
	Metadata map[string]any
}

// nodeInfoDocument is the NodeInfo 2.1 document.
type nodeInfoDocument struct {
	Version  string `json:"version"`
	Software struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"software"`
	Protocols []string `json:"protocols"`
	Services  struct {
		Inbound  []string `json:"inbound"`
		Outbound []string `json:"outbound"`
	} `json:"services"`
	OpenRegistrations bool `json:"openRegistrations"`
	Usage             struct {
		Users struct {
			Total int `json:"total"`
		} `json:"users"`
		LocalPosts int `json:"localPosts"`
	} `json:"usage"`
	Metadata map[string]any `json:"metadata"`
}

// NodeInfoHandlers returns the two NodeInfo handlers: wellKnown, for
// /.well-known/nodeinfo, links to baseURL+"/nodeinfo/2.1"; document, for
// that path, serves the NodeInfo 2.1 document (protocols ["activitypub"])
// built from info on each request.
func NodeInfoHandlers(baseURL string, info func() NodeInfo) (wellKnown, document http.Handler) {
	href := strings.TrimRight(baseURL, "/") + "/nodeinfo/2.1"
	wellKnown = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed on nodeinfo; use GET")
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		WriteJSON(w, http.StatusOK, "application/json", map[string]any{
			"links": []JRDLink{{Rel: nodeInfoSchema, Href: href}},
		})
	})
	document = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed on nodeinfo; use GET")
			return
		}
		ni := info()
		var d nodeInfoDocument
		d.Version = "2.1"
		d.Software.Name = strings.ToLower(ni.SoftwareName)
		d.Software.Version = ni.SoftwareVersion
		d.Protocols = []string{"activitypub"}
		d.Services.Inbound = []string{}
		d.Services.Outbound = []string{}
		d.OpenRegistrations = ni.OpenRegistrations
		d.Usage.Users.Total = ni.Users
		d.Usage.LocalPosts = ni.LocalPosts
		d.Metadata = ni.Metadata
		if d.Metadata == nil {
			d.Metadata = map[string]any{}
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		WriteJSON(w, http.StatusOK, `application/json; profile="`+nodeInfoSchema+`#"`, d)
	})
	return wellKnown, document
}
