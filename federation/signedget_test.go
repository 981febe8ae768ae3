package federation

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSignedGet: a resource served behind VerifyGet answers the actor
// whose key signed the GET (Client.Download signs it), refuses an
// unsigned request and one signed for another host, and Download keeps
// to its size limit.
func TestSignedGet(t *testing.T) {
	ctx := context.Background()
	alice := newTestHub(t, testKey(t, 0))
	server := newTestHub(t, testKey(t, 1))
	u, _ := url.Parse(server.srv.URL)
	in := &Inbox{Client: testClient(nil), Host: u.Host}
	body := bytes.Repeat([]byte("file "), 100)
	server.mux.HandleFunc("GET /file", func(w http.ResponseWriter, r *http.Request) {
		who, err := in.VerifyGet(r)
		if err != nil {
			status, reason, msg := StatusOf(err)
			WriteError(w, status, reason, msg)
			return
		}
		if who.ID != alice.actorID {
			WriteError(w, http.StatusForbidden, "not_alice", "for alice only")
			return
		}
		w.Write(body)
	})
	c := testClient(&Signer{KeyID: alice.keyID, Key: alice.key})
	var got bytes.Buffer
	if _, n, err := c.Download(ctx, server.srv.URL+"/file", &got, int64(len(body))); err != nil || n != int64(len(body)) || !bytes.Equal(got.Bytes(), body) {
		t.Fatalf("signed download: %d bytes, %v", n, err)
	}
	if _, _, err := c.Download(ctx, server.srv.URL+"/file", &bytes.Buffer{}, int64(len(body))-1); !errors.Is(err, ErrInvalid) {
		t.Errorf("a body over the limit: %v, want ErrInvalid", err)
	}
	bob := newTestHub(t, testKey(t, 2))
	if _, _, err := testClient(&Signer{KeyID: bob.keyID, Key: bob.key}).Download(ctx, server.srv.URL+"/file", &bytes.Buffer{}, 1<<20); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("signed by another actor: %v, want a 403", err)
	}
	if _, _, err := testClient(nil).Download(ctx, server.srv.URL+"/file", &bytes.Buffer{}, 1<<20); err == nil {
		t.Error("a client without a key downloaded")
	}
	resp, err := http.Get(server.srv.URL + "/file")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: %d, want 401", resp.StatusCode)
	}
	// Signed for another server and sent here.
	req, _ := http.NewRequest("GET", server.srv.URL+"/file", nil)
	req.Host = "elsewhere.example"
	(&Signer{KeyID: alice.keyID, Key: alice.key}).Sign(req, nil)
	req.Host = u.Host
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed for another host: %d, want 401", resp.StatusCode)
	}
	if _, _, err := c.Download(ctx, "file:///etc/passwd", &bytes.Buffer{}, 10); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "http(s)") {
		t.Errorf("a file URL: %v", err)
	}
}
