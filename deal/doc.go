// Package deal holds offers and agreements between a buyer's hub and a
// seller's hub (FEP-0837: an Offer of an Agreement, answered by Accept
// with the Agreement as result, or by Reject) and a deal's life after
// that at an escrow agent, as each hub keeps its own copy.
//
// It owns the deal model and its history, the wire forms of the offer,
// the answers and the escrow messages (EscrowRequest from a party to the
// agent, EscrowEvent from the agent to both parties), the rules of the
// offer phase (the seller answers an offer, the buyer a counter-offer on
// a negotiable listing, rounds are bounded, offers expire) and the mirror
// rule that keeps a hub's copy in agreement with the agent's: every
// escrow event carries its position in the agent's history, is applied
// once and in order, and the copy's status is the last event's. It
// also holds a deal's delivery by listing type (Delivery) and its wire
// forms: the buyer's ShippingAddress to the seller, the seller's
// DeliveryNotice (a download link or a tracking note) to the buyer.
//
// The escrow's own rules (who may fund, deliver, confirm) are the state
// table of package escrow; this package never moves money, never routes
// HTTP, and decodes whatever comes from outside with bounds.
package deal
