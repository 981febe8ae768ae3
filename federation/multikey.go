package federation

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mr-tron/base58"
)

// Ed25519 keys beside the RSA one (FEP-521a): an actor may publish
// Multikey entries under assertionMethod; this server publishes an
// Ed25519 one, signs with it (RFC 9421, alg "ed25519") to the servers
// whose actors publish one too, and verifies such signatures. An Ed25519
// signature costs tens of microseconds where RSA-2048 costs milliseconds;
// RSA stays the key of the publicKey member, for every other server
// (Mastodon reads only that).

// multikeyNS is the JSON-LD context that defines Multikey and
// publicKeyMultibase.
const multikeyNS = "https://w3id.org/security/multikey/v1"

// algEd25519 is the RFC 9421 algorithm name of an Ed25519 signature.
const algEd25519 = "ed25519"

// Multikey is one assertionMethod entry of an actor document (FEP-521a):
// a public key in multibase form, controlled by the actor.
type Multikey struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// ed25519Multicodec is the multicodec prefix of an Ed25519 public key
// (0xed, as an unsigned varint).
var ed25519Multicodec = []byte{0xed, 0x01}

// Ed25519Multikey is the Multikey entry for pub, with the given id and
// controller (the actor).
func Ed25519Multikey(id, controller string, pub ed25519.PublicKey) Multikey {
	return Multikey{ID: id, Type: "Multikey", Controller: controller,
		PublicKeyMultibase: "z" + base58.Encode(append(append([]byte{}, ed25519Multicodec...), pub...))}
}

// maxMultikeys bounds the assertionMethod entries read from one actor
// document; the rest are ignored.
const maxMultikeys = 8

// maxMultibaseChars bounds a publicKeyMultibase value read: an Ed25519
// key is 48 characters; a longer value is no Ed25519 key and is not
// decoded (base58 decoding is quadratic in the length).
const maxMultibaseChars = 64

// ed25519Keys reads the Ed25519 Multikey entries of an actor's
// assertionMethod member (one object or an array; string references and
// other key types are skipped). An entry counts only when its id is on
// the actor's origin and its controller is the actor; an entry that does
// not is skipped, as is one whose key does not decode.
func ed25519Keys(actorID string, raw json.RawMessage) map[string]ed25519.PublicKey {
	var entries []json.RawMessage
	switch firstByte(raw) {
	case '{':
		entries = []json.RawMessage{raw}
	case '[':
		if json.Unmarshal(raw, &entries) != nil {
			return nil
		}
	default:
		return nil
	}
	var keys map[string]ed25519.PublicKey
	origin := originOfString(actorID)
	for _, e := range entries[:min(len(entries), maxMultikeys)] {
		var k Multikey
		if firstByte(e) != '{' || json.Unmarshal(e, &k) != nil || k.Type != "Multikey" {
			continue
		}
		if k.Controller != actorID || checkURLLength("key id", k.ID) != nil || !isHTTPURL(k.ID) || originOfString(k.ID) != origin {
			continue
		}
		pub, err := parseEd25519Multibase(k.PublicKeyMultibase)
		if err != nil {
			continue
		}
		if keys == nil {
			keys = make(map[string]ed25519.PublicKey)
		}
		keys[k.ID] = pub
	}
	return keys
}

// parseEd25519Multibase decodes a publicKeyMultibase value holding an
// Ed25519 key: "z" (base58btc), the multicodec prefix 0xed01, 32 bytes.
func parseEd25519Multibase(s string) (ed25519.PublicKey, error) {
	if len(s) > maxMultibaseChars || !strings.HasPrefix(s, "z") {
		return nil, errors.New("publicKeyMultibase: not a base58btc value of at most 64 characters")
	}
	b, err := base58.Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("publicKeyMultibase: %w", err)
	}
	if len(b) != len(ed25519Multicodec)+ed25519.PublicKeySize || b[0] != ed25519Multicodec[0] || b[1] != ed25519Multicodec[1] {
		return nil, errors.New("publicKeyMultibase: not an Ed25519 key")
	}
	return ed25519.PublicKey(b[2:]), nil
}
