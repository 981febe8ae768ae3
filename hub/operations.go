package hub

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/sovereign-marketplace/market/escrow"
	"github.com/sovereign-marketplace/market/federation"
	"github.com/sovereign-marketplace/market/node"
)

// Operation is one of the hub's operator commands. A name with a dash is
// a command with a subcommand: "token-create" is `market hub token
// create`.
type Operation = node.Operation[*Server]

// OperationRequest is what an operator command passes to its operation.
type OperationRequest = node.OperationRequest

// Operations lists the hub's operator commands, run through the running
// hub's admin socket or, when none runs, on its data directory.
func Operations() []Operation {
	get := http.MethodGet
	ops := []Operation{
		{Name: "token-create", Summary: "create an owner API token: token create <read-only|full> [name]", Arg: "<read-only|full>", Reason: true,
			Help: "Creates a bearer token for the owner API (/api/v1/owner/...): read-only reads, full also changes. Words after the scope name it (where it is used). The token is printed this once; the hub keeps only its SHA-256.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				secret, tok, err := s.CreateToken(req.Ref, req.Reason)
				if err != nil {
					return nil, err
				}
				return map[string]any{"token": secret, "id": tok.ID, "scope": tok.Scope, "name": tok.Name,
					"note": "keep the token: it is shown once; send it as Authorization: Bearer <token>"}, nil
			}},
		{Name: "passwd", Summary: "set the owner's password for the web pages (read from standard input)", Arg: "<argon2id hash>",
			Help: "Sets the owner's password for /owner from its argon2id hash and logs out every session. Run `market hub passwd`, which reads the password and hashes it.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"password": "set"}, s.SetPassword(req.Ref)
			}},
		{Name: "token-list", Summary: "list the owner API tokens (never their secrets)", Method: get,
			Help: "Prints every owner API token's id, name, scope, creation time and, for revoked ones, when they were revoked.",
			Run: func(ctx context.Context, s *Server, _ OperationRequest) (any, error) {
				toks, err := s.Tokens()
				return map[string]any{"tokens": toks}, err
			}},
		{Name: "token-revoke", Summary: "revoke an owner API token", Arg: "<token id>",
			Help: "Revokes the token with the id `market hub token list` shows: from now on the owner API refuses it.",
			Run:  func(ctx context.Context, s *Server, req OperationRequest) (any, error) { return s.RevokeToken(req.Ref) }},
		{Name: "agent-deposit", Summary: "escrow agent: record money a party paid in: agent deposit <actor URL> <minor units> <currency>", Arg: "<actor URL>", Reason: true,
			Help: "On a hub with hub.agent.enabled: credits the party's account at the agent with money received outside (or time credits granted), e.g. `agent deposit https://buyer.example/users/bo 20000 USD`. A deal of theirs is funded from this balance.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.AgentPayment(ctx, true, req.Ref, req.Reason)
			}},
		{Name: "agent-withdraw", Summary: "escrow agent: record money paid out to a party: agent withdraw <actor URL> <minor units> <currency>", Arg: "<actor URL>", Reason: true,
			Help: "On a hub with hub.agent.enabled: debits the party's account at the agent for money paid out to them outside. More than the balance is refused.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.AgentPayment(ctx, false, req.Ref, req.Reason)
			}},
		{Name: "agent-balance", Summary: "escrow agent: a party's balance: agent balance <actor URL> <currency>", Arg: "<actor URL>", Reason: true,
			Help: "On a hub with hub.agent.enabled: prints what the agent holds for the party in the currency (deposits and released deals, less withdrawals and funded deals).",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				bal, err := s.AgentBalance(ctx, req.Ref, strings.TrimSpace(req.Reason))
				if err != nil {
					return nil, err
				}
				return map[string]any{"party": req.Ref, "currency": strings.TrimSpace(req.Reason), "balance": bal.String()}, nil
			}},
		{Name: "agent-deal", Summary: "escrow agent: the agent's copy of a deal: agent deal <agreement id>", Arg: "<agreement id>",
			Help: "On a hub with hub.agent.enabled: prints the agent's own state of the deal of an agreement (the deal's \"id\" in either party's owner API, GET /api/v1/owner/deals/<key>) and its history, to compare with the parties' copies.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				d, err := s.AgentDeal(ctx, req.Ref)
				if err != nil {
					return nil, err
				}
				hist, err := s.agent.History(ctx, d.ID)
				if err != nil {
					return nil, err
				}
				events := make([]map[string]any, 0, len(hist))
				for _, ev := range hist {
					events = append(events, map[string]any{"action": ev.Action, "from": ev.From, "to": ev.To, "by": ev.By, "at": ev.At})
				}
				return map[string]any{"agreement": req.Ref, "deal": d.ID, "buyer": d.Buyer, "seller": d.Seller,
					"amount": d.Amount.String(), "currency": d.Currency, "status": d.Status, "history": events}, nil
			}},
		// Offers and deals: what the owner pages do, for scripting and
		// the README's tour. A deal's <key> is the one the owner API and
		// `deals list` show (the same on both hubs).
		{Name: "offers-list", Summary: "list the open offers, made to the owner (in) and by the owner (out)", Method: get,
			Help: "Prints each open offer's key, direction (in: made to the owner, who accepts or rejects it; out: made by the owner), listing, quantity, amount in minor units and currency, the other party and when it expires.",
			Run:  func(ctx context.Context, s *Server, _ OperationRequest) (any, error) { return s.dealSummaries(true) }},
		{Name: "offers-make", Summary: "make an offer: offers make <listing URL> [quantity=N] [amount=N] [escrow=<agent URL>] [expires_in=48h]", Arg: "<listing URL>", Reason: true,
			Help: "Offers to buy another hub's listing: quantity is units (fixed price, time credits) or hours (hourly), amount the proposed total in minor units (negotiable), escrow the escrow agent's actor URL (one the listing names; the first one when left out). For a physical good, give the shipping address next with `deals ship <key> <address>`. Prints the deal with its key.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.makeOfferOp(ctx, req.Ref, req.Reason)
			}},
		{Name: "offers-accept", Summary: "accept an offer made to the owner: offers accept <key>", Arg: "<key>",
			Help: "Accepts the offer: the buyer's hub gets an Accept with the Agreement, and the deal is created at the escrow agent it names.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return answerOp(s.AnswerOffer(ctx, req.Ref, "accept"))
			}},
		{Name: "offers-reject", Summary: "reject an offer made to the owner: offers reject <key>", Arg: "<key>",
			Help: "Rejects the offer: the buyer's hub gets a Reject.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return answerOp(s.AnswerOffer(ctx, req.Ref, "reject"))
			}},
		{Name: "deals-list", Summary: "list the owner's deals, newest first", Method: get,
			Help: "Prints each deal's key, the owner's role (buyer or seller), state, listing, quantity, amount in minor units and currency, the other party and the escrow agent.",
			Run:  func(ctx context.Context, s *Server, _ OperationRequest) (any, error) { return s.dealSummaries(false) }},
		{Name: "deals-show", Summary: "show a deal: its terms, delivery and history: deals show <key>", Arg: "<key>",
			Help: "Prints the hub's copy of the deal: terms, state, delivery (shipping address, tracking note, file and its SHA-256 evidence) and the history of offer, answer and every escrow step.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return answerOp(s.Deal(req.Ref))
			}},
		{Name: "deals-fund", Summary: "buyer: pay the deal's amount into escrow: deals fund <key>", Arg: "<key>",
			Help: "Asks the escrow agent to fund the deal from the owner's balance there. The request is queued; the copy changes when the agent reports (see deals show).",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return queuedOp(s.Act(ctx, req.Ref, escrow.ActionFund))("fund")
			}},
		{Name: "deals-deliver", Summary: "seller: mark the deal delivered: deals deliver <key> [tracking note ...]", Arg: "<key>", Reason: true,
			Help: "Delivers by the listing's type: a service is marked delivered; a physical good too, with the words after the key sent to the buyer alone as the tracking note; a digital good is sent by itself once funded, and this sends a new download link (if the buyer's hub missed the first). The buyer's confirm, or the agent's deadline, then releases the money.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return queuedOp(s.Deliver(ctx, req.Ref, DeliverRequest{Tracking: strings.TrimSpace(req.Reason)}))("deliver")
			}},
		{Name: "deals-confirm", Summary: "buyer: confirm delivery and release the money: deals confirm <key>", Arg: "<key>",
			Help: "Asks the escrow agent to release the deal's money to the seller.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return queuedOp(s.Act(ctx, req.Ref, escrow.ActionConfirm))("confirm")
			}},
		{Name: "deals-complete", Summary: "close a confirmed deal: deals complete <key>", Arg: "<key>",
			Help: "Asks the escrow agent to close the confirmed deal (either party may).",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return queuedOp(s.Act(ctx, req.Ref, escrow.ActionComplete))("complete")
			}},
		{Name: "deals-ship", Summary: "buyer: give the seller the shipping address: deals ship <key> <address ...>", Arg: "<key>", Reason: true,
			Help: "For a physical good, until it is delivered: sends the words after the key (use \\n between lines, or quote a multi-line address) to the seller alone as the shipping address; never to the escrow agent or anyone else.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return answerOp(s.SetShipping(ctx, req.Ref, strings.ReplaceAll(req.Reason, `\n`, "\n")))
			}},
		{Name: "deals-download", Summary: "buyer: save a digital good's file: deals download <key> <file path>", Arg: "<key>", Reason: true,
			Help: "Copies the file the hub fetched for the deal (its SHA-256 checked) to the path, which must not exist yet.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.SaveDealFile(req.Ref, req.Reason)
			}},
		{Name: "attach", Summary: "seller: attach a digital good's file to a listing: attach <listing id> <file path>", Arg: "<listing id>", Reason: true,
			Help: "Attaches the file to the owner's digital listing (at most 32 MiB; its type is read from its bytes): deals funded from then on deliver it to the buyer's hub. The file's name is the path's last element.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.AttachPath(req.Ref, req.Reason)
			}},
		{Name: "followers-list", Summary: "list the owner's followers, pending ones included", Method: get,
			Help: "Prints each follower's actor, state (pending or accepted), inbox, whether it is a relay, and since when.",
			Run: func(ctx context.Context, s *Server, _ OperationRequest) (any, error) {
				fs, err := s.Followers()
				return map[string]any{"followers": fs}, err
			}},
		{Name: "followers-approve", Summary: "accept a pending follower (hub.follow_approval: manual)", Arg: "<actor URL>",
			Help: "Accepts a pending follow: the follower gets an Accept and the listings it may see.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"actor": req.Ref, "state": federation.FollowAccepted}, s.ApproveFollower(ctx, req.Ref)
			}},
		{Name: "followers-reject", Summary: "refuse a pending follower", Arg: "<actor URL>",
			Help: "Refuses a pending follow: the follower gets a Reject.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"actor": req.Ref, "state": federation.FollowRejected}, s.RejectFollower(ctx, req.Ref)
			}},
		{Name: "followers-remove", Summary: "remove a follower", Arg: "<actor URL>",
			Help: "Ends a follow: the follower gets a Reject of its Follow, and followers-only listings are withdrawn from it.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return map[string]string{"actor": req.Ref}, s.RemoveFollower(ctx, req.Ref)
			}},
		{Name: "relays-add", Summary: "subscribe to a relay: relays add <relay URL | acct:relay@host>", Arg: "<relay URL | acct:relay@host>",
			Help: "Sends a Follow to the relay's actor (the relay answers with an Accept and follows back) and reads the specialization it advertises; from then on the hub sends it the public listings that fit.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.AddRelay(ctx, req.Ref)
			}},
		{Name: "relays-list", Summary: "list the relays the hub is subscribed to, their state and specialization", Method: get,
			Help: "Prints each relay's actor, inbox, subscription state (pending, accepted, rejected) and the specialization it advertises.",
			Run: func(ctx context.Context, s *Server, _ OperationRequest) (any, error) {
				rs, err := s.Relays()
				return map[string]any{"relays": rs}, err
			}},
		{Name: "relays-remove", Summary: "unsubscribe from a relay; it drops the hub's listings", Arg: "<relay URL | acct:relay@host>",
			Help: "Sends an Undo of the Follow: the relay forgets the subscription and drops the hub's listings.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				id, err := s.RemoveRelay(ctx, req.Ref)
				return map[string]string{"relay": id}, err
			}},
		{Name: "follow", Summary: "follow another hub: follow <actor URL | acct:user@host>", Arg: "<actor URL | acct:user@host>",
			Help: "Sends a Follow to another hub's owner; what they publish to followers then lands in this hub's marketplace.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				id, err := s.Follow(ctx, req.Ref)
				return map[string]string{"actor": id, "state": federation.FollowPending}, err
			}},
		{Name: "unfollow", Summary: "stop following a hub and drop its listings", Arg: "<actor URL | acct:user@host>",
			Help: "Sends an Undo of the Follow and drops the hub's listings from this hub's marketplace.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				id, err := s.Unfollow(ctx, req.Ref)
				return map[string]string{"actor": id}, err
			}},
		{Name: "announce", Summary: "share someone else's public listing with your followers: announce <listing URL>", Arg: "<listing URL>",
			Help: "Fetches the listing from its origin (it must be public, and not one of yours) and sends an Announce to your followers' inboxes (not to relays). Their hubs fetch it from its origin and show it in their marketplace with you as shared_by; when its owner updates or deletes it, your hub passes that on.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				return s.Announce(ctx, req.Ref)
			}},
		{Name: "block", Summary: "block a domain or an actor URL", Arg: "<domain | actor URL>", Reason: true,
			Help: "Refuses every activity from the domain (and its subdomains) or the actor, ends the follows it covers, drops its listings from the marketplace and sends it nothing more. Words after it are kept as the reason.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				res, err := s.Block(req.Ref, reasonOr(req.Reason, "operator"))
				return map[string]any{"blocked": req.Ref, "unfollowed": res.Unfollowed, "followers_dropped": res.FollowersDropped}, err
			}},
		{Name: "unblock", Summary: "lift a block", Arg: "<domain | actor URL>",
			Help: "Lifts a block.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				was, err := s.Unblock(req.Ref)
				if err == nil && !was {
					err = fmt.Errorf("%w: %s is not blocked", ErrNotFound, req.Ref)
				}
				return map[string]string{"unblocked": req.Ref}, err
			}},
		{Name: "status", Summary: "show the owner, listings, followers, relays and the delivery queue", Method: get,
			Help: "Prints the owner's address, how many listings there are, the followers, the relays and the delivery queue depth as JSON.",
			Run:  func(ctx context.Context, s *Server, _ OperationRequest) (any, error) { return s.Status() }},
		{Name: "offers-counter", Summary: "answer an open offer on a negotiable listing with a new amount: offers counter <deal key> <amount>", Arg: "<deal key>", Reason: true,
			Help: "When it is your turn to answer an offer on a negotiable listing (the buyer's offer to you, or the seller's counter-offer to yours), proposes another total in the deal's currency, e.g. `offers counter 3f2a9c0d1e4b5a6c 150.00`. The other party may accept it, reject it or counter again, up to 6 counter-offers in all.",
			Run: func(ctx context.Context, s *Server, req OperationRequest) (any, error) {
				d, err := s.Counter(ctx, req.Ref, req.Reason)
				if err != nil {
					return nil, err
				}
				return dealView(d), nil
			}},
	}
	return node.Defaults(ops)
}

// Groups are the operator commands that take a subcommand (`market hub
// token create`): an operation's name is the group, a dash, the
// subcommand.
var Groups = []string{"token", "followers", "relays", "agent", "offers", "deals"}

// PathArgs are the operations whose words after the argument are a file
// path, which the command makes absolute before the running hub reads
// or writes it.
var PathArgs = []string{"attach", "deals-download"}

// Status is what `market hub status` shows.
type Status struct {
	Actor     string        `json:"actor"`
	Handle    string        `json:"handle"`
	Listings  int           `json:"listings"`
	Followers []Follower    `json:"followers"`
	Relays    []RelayStatus `json:"relays"`
	Queue     int           `json:"delivery_queue"`
}

// Status reads the hub's state for `market hub status`.
func (s *Server) Status() (*Status, error) {
	st := &Status{Actor: s.actorID, Handle: s.Handle(), Queue: s.queue.Depth()}
	recs, err := s.Listings()
	if err != nil {
		return nil, err
	}
	st.Listings = len(recs)
	if st.Followers, err = s.Followers(); err != nil {
		return nil, err
	}
	st.Relays, err = s.Relays()
	return st, err
}

func reasonOr(reason, fallback string) string {
	if strings.TrimSpace(reason) == "" {
		return fallback
	}
	return reason
}
