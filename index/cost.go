package index

import (
	"context"
	"fmt"

	bindex "github.com/blevesearch/bleve_index_api"
)

// Limits on the text of a query, so that no search costs much more than
// about 100 ms of CPU on 100,000 listings. Words cost little: each is one
// posting list. A phrase costs a check of word positions in every listing
// that has all of its words, so phrases of common words are what a query
// is refused for; an excluded phrase is checked in every such listing,
// not only in those the rest of the query matches, and counts twice.
const (
	MaxPhrases    = 8 // "quoted phrases" in q
	MaxExclusions = 8 // -excluded words and -"phrases" in q
	// MaxPhraseCost bounds the estimated cost of a query's phrases: for
	// each phrase, as each language analyzes it, the number of listings
	// having its least common word (twice that for an excluded phrase),
	// summed over the phrases.
	MaxPhraseCost = 40000
)

// maxPhraseCost is MaxPhraseCost, lowered by tests.
var maxPhraseCost = MaxPhraseCost

// phraseCost estimates what the plan's phrases cost to check (see
// MaxPhraseCost), for each distinct phrase clause Bleve will run (see
// textClauses). Words that are not phrases cost nothing here.
func (s *searcher) phraseCost() (int, error) {
	p := s.p
	if p.text == nil {
		return 0, nil
	}
	type phrase struct {
		c      clause
		weight int
	}
	var phrases []phrase
	positives := append(append([]string{}, p.text.Words...), p.text.Phrases...)
	seen := map[string]bool{}
	for _, lang := range s.tab.activeLangs() {
		for weight, texts := range [][]string{nil, positives, p.text.Excluded} {
			for _, t := range texts {
				c, _, ok := analyze(lang, t)
				if k := fmt.Sprint(weight, c.key); ok && c.isPhrase() && !seen[k] {
					seen[k] = true
					phrases = append(phrases, phrase{c, weight})
				}
			}
		}
	}
	if len(phrases) == 0 {
		return 0, nil
	}
	r, err := s.reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	df := map[string]int{}
	count := func(term string) (int, error) {
		if n, ok := df[term]; ok {
			return n, nil
		}
		n, err := termCount(s.ctx, r, term)
		df[term] = n
		return n, err
	}
	cost := 0
	for _, ph := range phrases {
		least := -1
		for _, slot := range ph.c.phrase {
			if len(slot) == 0 {
				continue // a stop word's place
			}
			n := 0
			for _, term := range slot {
				k, err := count(term)
				if err != nil {
					return 0, err
				}
				n += k
			}
			if least < 0 || n < least {
				least = n
			}
		}
		cost += ph.weight * max(least, 0)
	}
	return cost, nil
}

// termCount returns how many listings hold term in their text.
func termCount(ctx context.Context, r bindex.IndexReader, term string) (int, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), fText, false, false, false)
	if err != nil {
		return 0, fmt.Errorf("search index: %w", err)
	}
	defer tfr.Close()
	return int(tfr.Count()), nil
}
