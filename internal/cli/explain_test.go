package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	out, errOut, code := run(t, "explain", "person", "oliver-brennan", "--month", "2026-03", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "oliver-brennan (Oliver Brennan), 2026-03: score ") ||
		!strings.Contains(out, "21st pull_request of the month; the first 20 score") {
		t.Errorf("explanation lacks its header or the cap:\n%s", out)
	}

	out, _, code = run(t, "explain", "org", "northwind", "--month", "2026-10", "--json", "--ledger", "../../ledger")
	var e struct {
		Score, Credits int
		Lines          []struct{ Score int }
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	sum := 0
	for _, l := range e.Lines {
		sum += l.Score
	}
	if e.Score == 0 || sum != e.Score || len(e.Lines) != e.Credits {
		t.Errorf("lines add up to %d over %d lines; total %d over %d credits", sum, len(e.Lines), e.Score, e.Credits)
	}
}

// TestExplainRules: each credit says what set its weight, its kind or a
// rule of its scoring period, and which rules could not judge it for want
// of facts.
func TestExplainRules(t *testing.T) {
	out, errOut, code := run(t, "explain", "person", "oliver-brennan", "--month", "2026-10", "--ledger", "../../ledger")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"date        kind          weight  weighed by                  score  org ",
		"pull_request  5       rule 2: any_label security  5      northwind  affiliation  github:lumen/lumen#6965 Fix race in the API tokens\n",
		"review        3       kind weight                 3 ",
		"github:lumen/lumen#6994 Add tests for the bot filter (rules 3 and 5 not judged: no additions fact; rule 4 not judged: no paths fact)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explanation lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, "explain", "person", "oliver-brennan", "--month", "2026-10", "--json", "--ledger", "../../ledger")
	var e struct {
		Lines []struct {
			ID        string
			WeighedBy string `json:"weighed_by"`
			Rule      int
			Unjudged  []struct {
				Rule int
				Why  string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatal(err)
	}
	for _, l := range e.Lines {
		switch l.ID {
		case "github:lumen/lumen#6965":
			if l.Rule != 2 || l.WeighedBy != "rule 2: any_label security" {
				t.Errorf("%s: %+v", l.ID, l)
			}
		case "github:lumen/lumen#6994":
			if l.Rule != 0 || len(l.Unjudged) != 3 || l.Unjudged[1].Rule != 4 || l.Unjudged[1].Why != "no paths fact" {
				t.Errorf("%s: %+v", l.ID, l)
			}
		}
	}
}

func TestExplainErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"explain", "org", "nortwind", "--month", "2026-10", "--ledger", "../../ledger"}, 2, `did you mean "northwind"?`},
		{[]string{"explain", "team", "x", "--month", "2026-10", "--ledger", "../../ledger"}, 2, "explain person ID or org ID"},
		{[]string{"explain", "org", "northwind", "--month", "October", "--ledger", "../../ledger"}, 2, "YYYY-MM"},
		{[]string{"explain", "org", "acme", "--month", "2026-10", "--ledger", caseLedger(t, "reference")}, 1, "run tally validate"},
	} {
		out, errOut, code := run(t, c.args...)
		if code != c.code || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.msg)
		}
	}
}
