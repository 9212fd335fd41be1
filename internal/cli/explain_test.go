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
