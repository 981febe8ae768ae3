package deal

import (
	"encoding/json"
	"testing"
)

// FuzzDecode feeds outside bytes to every decoder of the package: none
// may panic, and what decodes keeps its bounds.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"Agreement","id":"https://b.example/d","attributedTo":"https://b.example/u","stipulates":{"satisfies":"https://s.example/l#primary","resourceQuantity":{"hasNumericalValue":"1"}},"stipulatesReciprocal":{"satisfies":"https://s.example/l#reciprocal","resourceQuantity":{"hasNumericalValue":"100"}},"currency":"USD","endTime":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"type":"EscrowUpdate","id":"https://a.example/u","orderedItems":[{"escrowSeq":1}]}`))
	f.Add([]byte(`{"type":"EscrowRequest","escrowAction":"fund","escrowDeal":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeAgreement(json.RawMessage(b)); err == nil && (a.Quantity < 1 || a.Quantity > MaxQuantity || len(a.Amount) > 20) {
			t.Fatalf("out of bounds: %+v", a)
		}
		if u, err := DecodeUpdate(json.RawMessage(b)); err == nil && len(u.Events) > MaxEvents {
			t.Fatalf("too many events: %d", len(u.Events))
		}
		DecodeRequest(json.RawMessage(b))
	})
}
