package privacy

import (
	"strings"
	"testing"
)

func TestScrubFindsPersonalData(t *testing.T) {
	s := newScrubber([]string{"Anna Schmidt", "Ben"})
	cases := []struct{ in, want string }{
		{"mail anna.s+runs@example.org now", "mail [EMAIL] now"},
		{"write to me@mail.example.co.uk.", "write to [EMAIL]."},
		{"call +49 30 1234567 later", "call [PHONE] later"},
		{"call (030) 123-4567", "call [PHONE]"},
		{"or 555-1234 tonight", "or [PHONE] tonight"},
		{"phone 030123456789", "phone [PHONE]"},
		{"card 4111 1111 1111 1111 ok", "card [CARD] ok"},
		{"card 4111-1111-1111-1111", "card [CARD]"},
		{"iban DE89 3704 0044 0532 0130 00 paid", "iban [IBAN] paid"},
		{"iban GB82WEST12345698765432", "iban [IBAN]"},
		{"from 192.168.1.20 today", "from [IP] today"},
		{"from 2001:db8:85a3::8a2e:370:7334 today", "from [IP] today"},
		{"via fe80::1%eth0, then ::1.", "via [IP], then [IP]."},
		{"mapped ::ffff:192.0.2.1 here", "mapped [IP] here"},
		{"full 2001:0db8:0000:0000:0000:ff00:0042:8329: done", "full [IP]: done"},
		{"ADDR 2001:DB8::A", "ADDR [IP]"},
		{"see https://example.org/run?id=3, nice", "see [URL], nice"},
		{"see www.strava.com/athletes/1.", "see [URL]."},
		{"ran with Anna Schmidt and ben", "ran with [NAME] and [NAME]"},
		{"Benjamin is not Ben", "Benjamin is not [NAME]"},
	}
	for _, c := range cases {
		if got := string(s.scrub(nil, []byte(c.in))); got != c.want {
			t.Errorf("scrub(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Ordinary running notes keep their words and numbers.
func TestScrubKeepsOrdinaryText(t *testing.T) {
	s := newScrubber(nil)
	for _, in := range []string{
		"easy 10km at 5:30/km pace",
		"race on 2024-05-01 at 07:30, time 1:45:12",
		"splits 4:55 4:50 4:48; hr 152 avg",
		"4111 1111 1111 1112 is not a valid card",
		"DE00 3704 0044 0532 0130 00 fails its checksum",
		"elevation 1234.5 m, 21.0975 km",
		"version 1.2.3",
		"mac 00:1a:2b:3c:4d:5e and a:b:c",
		"deadbeef::cafe is no address",
		"a :: b",
		"at 12:00:00 and 23:59, face time",
		"the www is down",
		"ümlauts and emoji 🏃 stay",
		"",
	} {
		if got := string(s.scrub(nil, []byte(in))); got != in {
			t.Errorf("scrub(%q) = %q, want it unchanged", in, got)
		}
	}
}

// A labelled fixture of notes with planted personal data: every planted
// item is found (recall), and nothing else is replaced (precision).
func TestScrubRecallOnFixture(t *testing.T) {
	planted := []string{"jo@example.com", "+44 20 7946 0958", "5555 5555 5555 4444", "NL91ABNA0417164300", "10.0.0.1", "2001:db8::42", "http://t.co/x"}
	s := newScrubber(nil)
	for i, p := range planted {
		for _, tmpl := range []string{"%s", "before %s", "%s after", "a, %s, b", "(%s)"} {
			in := strings.Replace(tmpl, "%s", p, 1)
			out := string(s.scrub(nil, []byte(in)))
			k := strings.IndexByte(out, '[')
			e := strings.IndexByte(out, ']')
			if k < 0 || e < k {
				t.Errorf("item %d not found in %q: got %q", i, in, out)
				continue
			}
			// the text around the tag is exactly the template's
			if back := out[:k] + "%s" + out[e+1:]; back != tmpl {
				t.Errorf("item %d in %q: got %q", i, in, out)
			}
		}
	}
	if len(s.counts) < 5 {
		t.Errorf("replacement counts by kind: %v", s.counts)
	}
}
