package ledger

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/schemas"
)

// TestMoneyPatternIsParse: the schemas' pattern for quoted amounts accepts
// exactly what money.Parse reads, so the decoder needs to report only plain
// numbers, whose digits the schemas cannot see.
func TestMoneyPatternIsParse(t *testing.T) {
	for _, name := range []string{"funding", "program", "roadmap", "thresholds"} {
		var s struct {
			Definitions struct{ Money struct{ Pattern string } }
		}
		readSchema(t, name, &s)
		pattern := regexp.MustCompile(s.Definitions.Money.Pattern)
		for _, v := range []string{"100", "100.00", "0.5", "1.2345", "1.23456", "999999999999.9999", "1000000000000",
			"100000000000000.00", "1e2", "1_000", "-1", "1.", ".5", "", "1,000", "0001.00"} {
			_, err := money.Parse(v)
			if got := pattern.MatchString(v); got != (err == nil) {
				t.Errorf("%s: pattern matches %q: %v, but money.Parse says %v", name, v, got, err)
			}
		}
	}
}

// TestPlainNumberAmounts: a plain number the schemas accept as an amount
// but that is not an exact decimal is a finding, never an amount of 0.
func TestPlainNumberAmounts(t *testing.T) {
	for src, want := range map[string]string{
		"amount: 100.5":               "",
		`amount: "100.12345"`:         "", // the schema's
		"amount: 100.12345":           `"100.12345" has more than four decimals`,
		"amount: 1e2":                 `"1e2" is not a decimal number`,
		"amount: 1_000":               `"1_000" is not a decimal number`,
		"amount: 100000000000000.00":  "", // the schema's
		"amount: 0.0":                 "", // the schema's
		"amount: 999999999999.99999":  `"999999999999.99999" has more than four decimals`,
		"amount: 1000000000000.00001": "", // the schema's
	} {
		p, _ := parseYAML(nil, "x.yaml", []byte(src), false)
		d := &decoder{path: "x.yaml"}
		d.money(p.root.Content[1], "amount")
		got := ""
		if len(d.findings) > 0 {
			got = d.findings[0].Message
		}
		if len(d.findings) > 1 || !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("%s: findings %v, want %q", src, d.findings, want)
		}
	}
}

// readSchema decodes the embedded schema of a record type into v.
func readSchema(t *testing.T, name string, v any) {
	t.Helper()
	b, err := schemas.FS.ReadFile(name + ".schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
