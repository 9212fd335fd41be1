package importer

import (
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
)

// mergeShard adds payments to a funding shard's text as Merge does.
func mergeShard(old []byte, source string, add []Added) ([]byte, error) {
	entries := make([]ledger.ShardEntry, len(add))
	for i, a := range add {
		entries[i] = paymentEntry(a, source)
	}
	return ledger.SpliceShard(old, "payments", fundingSchema, entries)
}

// TestMergeShard splices a payment dated 2026-10-05 into shards written
// in the ways people write YAML by hand.
func TestMergeShard(t *testing.T) {
	add := []Added{{Record: Record{ID: "opencollective:new", Payer: "someone", Amount: "5.00", Currency: "EUR", Date: ledger.MustDate("2026-10-05")}}}
	const block = "  - id: opencollective:new\n    payer: someone\n    amount: \"5.00\"\n    currency: EUR\n    date: 2026-10-05\n    source: opencollective\n"
	for _, c := range []struct{ name, old, want string }{
		{"empty list", "payments: []\n", "payments:\n" + block},
		{"empty list with a comment", "# October\npayments: [ ]   # none yet\n", "# October\npayments:   # none yet\n" + block},
		{"null", "payments:\n", "payments:\n" + block},
		{"tilde", "payments: ~\n", "payments:\n" + block},
		{"only comments", "# nothing yet\n", "# nothing yet\npayments:\n" + block},
		{"no final newline", "payments:\n  - {id: a, org: acme, amount: \"1\", currency: EUR, date: 2026-10-01, source: opencollective}",
			"payments:\n  - {id: a, org: acme, amount: \"1\", currency: EUR, date: 2026-10-01, source: opencollective}\n" +
				"  - {id: opencollective:new, payer: someone, amount: \"5.00\", currency: EUR, date: 2026-10-05, source: opencollective}\n"},
		{"dashes at the margin, in the middle",
			"payments:\n- id: a\n  org: acme\n  amount: \"1\"\n  currency: EUR\n  date: 2026-10-01\n  source: opencollective\n" +
				"# the next one came late\n- id: b\n  org: acme\n  amount: \"1\"\n  currency: EUR\n  date: 2026-10-09\n  source: opencollective\n",
			"payments:\n- id: a\n  org: acme\n  amount: \"1\"\n  currency: EUR\n  date: 2026-10-01\n  source: opencollective\n" +
				strings.ReplaceAll(block, "\n  ", "\n")[2:] +
				"# the next one came late\n- id: b\n  org: acme\n  amount: \"1\"\n  currency: EUR\n  date: 2026-10-09\n  source: opencollective\n"},
		{"same date: by id",
			"payments:\n  - {id: opencollective:a, org: acme, amount: \"1\", currency: EUR, date: \"2026-10-05\", source: opencollective}\n" +
				"  - {id: opencollective:z, org: acme, amount: \"1\", currency: EUR, date: 2026-10-05, source: opencollective}\n",
			"payments:\n  - {id: opencollective:a, org: acme, amount: \"1\", currency: EUR, date: \"2026-10-05\", source: opencollective}\n" +
				"  - {id: opencollective:new, payer: someone, amount: \"5.00\", currency: EUR, date: 2026-10-05, source: opencollective}\n" +
				"  - {id: opencollective:z, org: acme, amount: \"1\", currency: EUR, date: 2026-10-05, source: opencollective}\n"},
		{"a dash on its own line, first",
			"payments:\n  -\n    id: b\n    org: acme\n    amount: \"1\"\n    currency: EUR\n    date: 2026-10-09\n    source: opencollective\n",
			"payments:\n" + block + "  -\n    id: b\n    org: acme\n    amount: \"1\"\n    currency: EUR\n    date: 2026-10-09\n    source: opencollective\n"},
		{"windows line endings",
			"payments:\r\n  - id: a\r\n    org: acme\r\n    amount: \"1\"\r\n    currency: EUR\r\n    date: 2026-10-01\r\n    source: opencollective\r\n",
			"payments:\r\n  - id: a\r\n    org: acme\r\n    amount: \"1\"\r\n    currency: EUR\r\n    date: 2026-10-01\r\n    source: opencollective\r\n" +
				strings.ReplaceAll(block, "\n", "\r\n")},
		{"trailing comment",
			"payments:\n  - id: a\n    org: acme\n    amount: \"1\"\n    currency: EUR\n    date: 2026-10-01\n    source: opencollective\n# end of October\n",
			"payments:\n  - id: a\n    org: acme\n    amount: \"1\"\n    currency: EUR\n    date: 2026-10-01\n    source: opencollective\n# end of October\n" + block},
		{"new file", "", "# yaml-language-server: $schema=" + fundingSchema + "\npayments:\n" + block},
	} {
		got, err := mergeShard([]byte(c.old), "opencollective", add)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}

	for _, c := range []struct{ name, old, want string }{
		{"flow list", "payments: [{id: a, org: acme, amount: \"1\", currency: EUR, date: 2026-10-01, source: opencollective}]\n", "flow list"},
		{"broken YAML", "payments:\n  - id: a\n   org: b\n", "not valid YAML"},
		{"not a mapping", "- a\n", "not a mapping"},
		{"no payments", "credits: []\n", "no payments list"},
		{"payments not a list", "payments: {a: b}\n", "not a list"},
	} {
		_, err := mergeShard([]byte(c.old), "opencollective", add)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
}

func TestRenderQuotes(t *testing.T) {
	a := Added{Record: Record{ID: "github-sponsors:ch_1", Payer: "yes", Amount: "5.00", Currency: "USD", Date: ledger.MustDate("2026-10-05"), Note: "a, b: c"}}
	got := renderPayment(a, "github-sponsors", "  ", true, "\n")
	want := `  - {id: github-sponsors:ch_1, payer: "yes", amount: "5.00", currency: USD, date: 2026-10-05, source: github-sponsors, note: "a, b: c"}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
