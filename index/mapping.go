package index

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"

	// The language analyzers Bleve ships, registered by import.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// MappingVersion identifies the index layout this package writes. Open
// compares it with the version stored in the index and asks for a rebuild
// when they differ; bump it whenever the mapping or the stored record changes.
const MappingVersion = 2

// Internal keys stored in the Bleve index beside the documents.
var (
	keyMappingVersion = []byte("market.mapping_version")
	keyComplete       = []byte("market.complete")
	keyOpen           = []byte("market.open") // "1" while an Index has it open
)

// otherLanguage names the analyzer used for languages Bleve has no
// analyzer for: Unicode word segmentation and lower-casing, no stemming.
const otherLanguage = "std"

// languages are the analyzers Bleve ships, by the primary subtag of a BCP 47
// language tag. Chinese, Japanese and Korean share the CJK bigram analyzer.
var languages = map[string]string{
	"ar": "ar", "ckb": "ckb", "da": "da", "de": "de", "en": "en", "es": "es",
	"fa": "fa", "fi": "fi", "fr": "fr", "hi": "hi", "hr": "hr", "hu": "hu",
	"it": "it", "nl": "nl", "no": "no", "nb": "no", "nn": "no", "pl": "pl",
	"pt": "pt", "ro": "ro", "ru": "ru", "sv": "sv", "tr": "tr",
	"zh": "cjk", "ja": "cjk", "ko": "cjk",
}

// analyzerNames lists every analyzer a text field may use, in a fixed order.
var analyzerNames = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range languages {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	out = append(out, otherLanguage)
	sortStrings(out)
	return out
}()

// analyzerFor returns the analyzer for a listing's BCP 47 language tag:
// English when the tag is empty, the standard analyzer when Bleve has none.
func analyzerFor(lang string) string {
	if lang == "" {
		return "en"
	}
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if a, ok := languages[primary]; ok {
		return a
	}
	return otherLanguage
}

// Field names in the Bleve documents.
const (
	fText      = "text" // title (twice, as a boost) and description, analyzed in the listing's language
	fType      = "type"
	fTag       = "tag"
	fPriceType = "ptype"
	fModel     = "pmodel"
	fCurrency  = "cur"
	fRegion    = "region"
	fCountry   = "country"
	fSeller    = "seller"
	fHost      = "host"
	fCell      = "cell"
	fPrice     = "price"     // minor units + 1 (0: no amount), 20 digits; ranges are checked in memory
	fPublished = "published" // unix ms, 13 digits: one term that sorts as text
	fTie       = "n"         // a 52-bit hash of the id in 14 hex digits: the last sort key
	fRecord    = "rec"
)

// keywordFields are indexed as single terms, without frequencies or norms;
// the sort fields among them keep doc values. Numbers are written as
// fixed-width strings: a Bleve number costs 16 terms per value.
var keywordFields = []string{fType, fTag, fPriceType, fModel, fCurrency, fRegion, fCountry, fSeller, fHost, fCell, fPublished, fTie, fPrice}

// newMapping declares the index's fields. Documents are built field by
// field (see document), so that each listing's text goes into one field
// analyzed in its own language; the mapping records the layout. Text keeps
// term positions (for phrases) but is not stored; keyword fields are
// indexed without doc values (facets are counted in memory); only the sort
// fields keep doc values; one stored, unindexed field holds the compact
// record that hits and facets are built from.
func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	doc := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = standard.Name
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = true
	text.DocValues = false
	doc.AddFieldMappingsAt(fText, text)
	for _, name := range keywordFields {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = name == fPublished || name == fTie || name == fPrice
		f.SkipFreqNorm = true
		doc.AddFieldMappingsAt(name, f)
	}
	rec := bleve.NewTextFieldMapping()
	rec.Index = false
	rec.Store = true
	rec.IncludeInAll = false
	rec.IncludeTermVectors = false
	rec.DocValues = false
	doc.AddFieldMappingsAt(fRecord, rec)

	im.DefaultMapping = doc
	return im
}
