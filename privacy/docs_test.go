package privacy

import (
	"os"
	"strings"
	"testing"
)

// docs/privacy.md stays true: its policy examples parse, and every action
// and hierarchy has a row in its tables.
func TestDocsStayTrue(t *testing.T) {
	data, err := os.ReadFile("../docs/privacy.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	blocks := strings.Split(doc, "```json\n")[1:]
	if len(blocks) < 2 {
		t.Fatalf("found %d JSON examples in the docs", len(blocks))
	}
	policy := blocks[0][:strings.Index(blocks[0], "```")]
	if _, err := ParsePolicy(strings.NewReader(policy)); err != nil {
		t.Errorf("the docs' example policy does not parse: %v\n%s", err, policy)
	}
	for _, a := range actions {
		if !strings.Contains(doc, "| `"+string(a)+"` |") {
			t.Errorf("the docs' action table lacks %s", a)
		}
	}
	for _, h := range []string{"geo", "date", "numeric", "table"} {
		if !strings.Contains(doc, "| `"+h+"` |") {
			t.Errorf("the docs' hierarchy table lacks %s", h)
		}
	}
	// the sections quoted as fragments parse inside a policy
	checked := 0
	for _, b := range blocks[1:] {
		frag := strings.TrimSpace(b[:strings.Index(b, "```")])
		if !strings.HasPrefix(frag, `"`) {
			continue
		}
		full := `{"fields":{"lat":{"action":"keep"},"lon":{"action":"keep"},"timestamp":{"action":"keep"},"activity_id":{"action":"keep"}},` + frag + `}`
		checked++
		if _, err := ParsePolicy(strings.NewReader(full)); err != nil {
			t.Errorf("the docs' fragment %s does not parse: %v", frag, err)
		}
	}
	if checked < 3 {
		t.Errorf("checked %d policy fragments in the docs, want the release, differential privacy and location ones", checked)
	}
}
