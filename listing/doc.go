// Package listing holds the marketplace Listing: the model every hub and
// relay share, its validation, and its wire form, an FEP-0837 Proposal
// extended with the marketplace's own JSON-LD terms.
//
// It owns the vocabulary (listing types, price types, pricing models,
// statuses) and the rules a listing must satisfy. It never does HTTP or
// storage, and imports nothing else of this module.
package listing
