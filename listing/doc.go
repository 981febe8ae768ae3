// Package listing holds the marketplace Listing: the model every hub and
// relay share, its validation, and its wire form, an FEP-0837 Proposal
// extended with the marketplace's own JSON-LD terms.
//
// It owns the vocabulary (listing types, price types, pricing models,
// statuses), the rules a listing must satisfy, and the rules the rest of
// the module shares, so that configuration, search and federation never
// keep copies: the valid values (Types, PriceTypes, PricingModels and
// their Valid methods), the form of a region (ValidRegion: ISO 3166-2 or
// alpha-2), of a currency (ValidCurrency: ISO 4217, time credits or
// CAIP-19) and of a tag (ValidTag), the URL rule for actor and object ids
// (IsHTTPURL), the decimals of currencies and CAIP-19 assets (Decimals),
// and the largest price the search index can hold (MaxMinor, enforced by
// MinorUnits and Validate alike). It never does HTTP or storage, and
// imports nothing else of this module.
//
// Text is plain text: Validate refuses control characters, bidirectional
// controls, over-long values (counted in characters) and titles with
// nothing visible, and Decode makes the display text of a remote object
// fit those rules.
//
// Encode writes a listing as an ActivityStreams object typed
// ["Note", "Proposal"], with the price in the reciprocal Intent where
// FEP-0837 puts it (CAIP-19 amounts in atomic units, a rate's unit of time
// on the primary Intent, as Mitra writes them) and the marketplace's terms
// (listingType, priceType, pricingModel, currency, region, locationPref,
// status, dataProduct, ...) defined by the context document Context at
// ContextIRI, which is embedded and never fetched. Decode reads that form
// back exactly, and also reads Proposals from other implementations,
// Mitra's among them, deriving what they leave out.
package listing
