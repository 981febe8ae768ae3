// Package web is what the pages of every mode share: the layout and its
// helpers, the embedded and bundled assets, the security headers, the
// escaping rules, content negotiation, the 404 and error pages, and the
// API docs page. A mode (relay, hub) brings its own page templates and
// handlers and registers them on its node; this package holds none of a
// mode's pages or rules.
//
// Pages are server-rendered with html/template and work without
// JavaScript: forms are plain GETs and POSTs, links carry the whole state
// in their URL. A little JavaScript (assets/src, bundled into assets/dist
// at `go generate` time with esbuild's Go API, the bundle committed)
// improves them where it helps: a map drawn offline from bundled country
// shapes, forms sent without a page load. Nothing is fetched from another
// site at run time: no CDN, no external fonts, no tiles.
//
// Wallet funding. An EVM deal's page may let the owner pay into escrow
// from the browser's wallet: the "wallet-fund" partial renders a
// WalletFunding (what is paid, to which contract, on which chain), and
// assets/src/wallet.js does the rest through the wallet's EIP-1193
// provider with ethers' ABI coder, never talking to a chain itself;
// ReadWalletReport reads what it posts back.
//
// Escaping rules. Every value that came from another server is escaped
// by html/template; titles are plain text, always. HTML from another
// server (a listing's content or summary) is shown only through Sanitize,
// which keeps a short list of formatting elements and drops the rest
// (scripts, event handlers, styles, images, forms). The strict
// Content-Security-Policy of every page (no inline script, script-src
// 'self', Trusted Types for the DOM sinks) stops what might slip through.
//
// It never holds a mode's rules, never reads configuration on its own, and
// never imports node or a mode.
package web
