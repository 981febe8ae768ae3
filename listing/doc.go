// Package listing holds the marketplace Listing: the model every hub and
// relay share, its validation, and its wire form, an FEP-0837 Proposal
// extended with the marketplace's own JSON-LD terms.
//
// It owns the vocabulary (listing types, price types, pricing models,
// statuses) and the rules a listing must satisfy. It never does HTTP or
// storage, and imports nothing else of this module.
//
// Encode writes a listing as an ActivityStreams object typed
// ["Note", "Proposal"], with the price in the reciprocal Intent where
// FEP-0837 puts it and the marketplace's terms (listingType, priceType,
// pricingModel, currency, region, locationPref, status, dataProduct, ...)
// defined by the context document Context at ContextIRI, which is embedded
// and never fetched. Decode reads that form back exactly, and also reads
// Proposals from other implementations, deriving what they leave out.
package listing
