package federation

import (
	"net/http"
	"net/url"
	"strings"
)

// JRD is a JSON Resource Descriptor (RFC 7033), the WebFinger document.
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD.
type JRDLink struct {
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
	Href string `json:"href,omitempty"`
	// Template is a URL template (RFC 7033 §4.4.4.3 leaves room for it;
	// OStatus's remote-interaction link names the thing to act on as
	// {uri}).
	Template string `json:"template,omitempty"`
}

// Link returns the first link whose rel is one of rels, in the order of
// rels, and whether there is one.
func (j *JRD) Link(rels ...string) (JRDLink, bool) {
	for _, rel := range rels {
		for _, l := range j.Links {
			if l.Rel == rel {
				return l, true
			}
		}
	}
	return JRDLink{}, false
}

// WebFingerHandler serves /.well-known/webfinger for the accounts on host
// (the host of the actor ids, with its port if any). The resource is
// "acct:user@host" (also "user@host"), or an actor URL on host, which is
// looked up by its last path segment as the username and must equal the id
// lookup returns. Answers a JRD (application/jrd+json) whose self link has
// type application/activity+json, followed by extra (such as a
// remote-interaction template); a missing or malformed resource is a 400
// and an unknown one a 404, both JSON errors.
func WebFingerHandler(host string, lookup func(username string) (actorID string, ok bool), extra ...JRDLink) http.Handler {
	host = strings.ToLower(host)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" not allowed on webfinger; use GET")
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		resource := r.URL.Query().Get("resource")
		if resource == "" {
			WriteError(w, http.StatusBadRequest, "missing_resource", "query parameter resource is missing; want resource=acct:user@"+host)
			return
		}
		var user, subject, actorID string
		if strings.HasPrefix(resource, "https://") || strings.HasPrefix(resource, "http://") {
			u, err := url.Parse(resource)
			if err != nil || u.Host == "" {
				WriteError(w, http.StatusBadRequest, "invalid_resource", "resource "+resource+" is not a valid URL")
				return
			}
			if strings.ToLower(u.Host) != host {
				WriteError(w, http.StatusNotFound, "not_found", "resource "+resource+" is not on "+host)
				return
			}
			path := strings.TrimRight(u.Path, "/")
			user = path[strings.LastIndex(path, "/")+1:]
			id, ok := lookup(user)
			if !ok || id != resource {
				WriteError(w, http.StatusNotFound, "not_found", "no actor "+resource+" on "+host)
				return
			}
			actorID = id
		} else {
			acct := strings.TrimPrefix(resource, "acct:")
			var h string
			var ok bool
			user, h, ok = strings.Cut(strings.TrimPrefix(acct, "@"), "@")
			if !ok || user == "" || h == "" {
				WriteError(w, http.StatusBadRequest, "invalid_resource", "resource "+resource+" is not acct:user@host")
				return
			}
			if strings.ToLower(h) != host {
				WriteError(w, http.StatusNotFound, "not_found", "resource "+resource+" is not on "+host)
				return
			}
			id, found := lookup(user)
			if !found {
				WriteError(w, http.StatusNotFound, "not_found", "no account "+user+" on "+host)
				return
			}
			actorID = id
		}
		subject = "acct:" + user + "@" + host
		WriteJSON(w, http.StatusOK, "application/jrd+json", JRD{
			Subject: subject,
			Aliases: []string{actorID},
			Links:   append([]JRDLink{{Rel: "self", Type: ContentType, Href: actorID}}, extra...),
		})
	})
}
