package federation

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sovereign-marketplace/market/listing"
)

// VerifyGet checks a signed GET (an authorized fetch: a resource only one
// actor may read) as the inbox checks a POST, and returns the actor that
// signed it: the draft-cavage or RFC 9421 signature covering
// (request-target), host and date, made for this server (Host), verified
// with the signer's key (refetched once for a rotated key), a Date or
// created time within DateWindow, and the signer's domain neither blocked
// nor off the allow list. The error says what failed, with the status
// (401 bad_signature or date_out_of_window, 403 blocked_domain or
// private_address) its caller answers.
func (in *Inbox) VerifyGet(r *http.Request) (*RemoteActor, error) {
	owner, sig, rej := in.verify(r, false, &Activity{})
	if rej == nil {
		rej = in.checkTime(r, sig)
	}
	if rej == nil {
		for _, id := range []string{owner.ID, owner.KeyID} {
			if in.Blocked != nil {
				if h, ok := in.blocked(id); ok {
					rej = &rejection{http.StatusForbidden, "blocked_domain", "domain " + h + " is blocked on this server"}
					break
				}
			}
			if in.Allowed != nil && !in.allowed(id) {
				rej = &rejection{http.StatusForbidden, "domain_not_allowed", "the domain of " + id + " is not on this server's allow list"}
				break
			}
		}
	}
	if rej != nil {
		return nil, WithCode(rej.status, rej.reason, rej.msg, nil)
	}
	return owner, nil
}

// Download fetches rawURL with a GET signed by the client's actor (which
// the server checks with VerifyGet) and copies the body to w: at most
// max bytes (a longer body is ErrInvalid), no redirects (the link is the
// resource). It returns the response's Content-Type and the bytes
// copied; 404 is ErrNotFound, 410 ErrGone, any other non-2xx an error
// naming the status.
func (c *Client) Download(ctx context.Context, rawURL string, w io.Writer, max int64) (string, int64, error) {
	if !listing.IsHTTPURL(rawURL) {
		return "", 0, fmt.Errorf("download %s: not an absolute http(s) URL with a host and no user name: %w", rawURL, ErrInvalid)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", 0, fmt.Errorf("download %s: %w", rawURL, err)
	}
	if c.signer == nil {
		return "", 0, fmt.Errorf("download %s: the client has no signing key", rawURL)
	}
	if err := c.signer.Sign(req, nil); err != nil {
		return "", 0, fmt.Errorf("download %s: %w", rawURL, err)
	}
	resp, err := c.noRedirect().Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("download %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return "", 0, fmt.Errorf("download %s: status 404: %w", rawURL, ErrNotFound)
	case resp.StatusCode == http.StatusGone:
		return "", 0, fmt.Errorf("download %s: status 410: %w", rawURL, ErrGone)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return "", 0, fmt.Errorf("download %s: status %d: %s", rawURL, resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	if resp.ContentLength > max {
		return "", 0, fmt.Errorf("download %s: %d bytes, more than the %d expected: %w", rawURL, resp.ContentLength, max, ErrInvalid)
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, max+1))
	if err != nil {
		return "", n, fmt.Errorf("download %s: %w", rawURL, err)
	}
	if n > max {
		return "", n, fmt.Errorf("download %s: more than the %d bytes expected: %w", rawURL, max, ErrInvalid)
	}
	return resp.Header.Get("Content-Type"), n, nil
}
