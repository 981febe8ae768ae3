package web

import (
	"html/template"

	"github.com/microcosm-cc/bluemonday"
)

// policy keeps the formatting a listing's description may carry and
// nothing that runs, loads or restyles: paragraphs, line breaks,
// emphasis, lists, quotes, code, <mark> (matched words in search
// snippets) and links to http(s) and mailto, which get rel="nofollow
// noopener noreferrer ugc". Scripts, event handlers, styles, images,
// frames and forms are dropped; the text inside dropped elements stays,
// escaped (except inside script and style, dropped whole).
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "b", "i", "u", "s", "mark", "small", "sub", "sup",
		"ul", "ol", "li", "blockquote", "code", "pre", "span", "h3", "h4", "h5", "h6")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowElements("a")
	return p
}()

// Sanitize cuts HTML that came from another server down to safe
// formatting (see the package doc) and marks the result as safe for
// html/template. It is the only way such HTML reaches a page.
func Sanitize(html string) template.HTML {
	return template.HTML(policy.Sanitize(html)) //nolint:gosec // sanitized just now
}
