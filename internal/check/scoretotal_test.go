package check

import (
	"math"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// TestScoreTotal: the rule adds weights without overflowing itself, and
// reports the first credit past the total, even with weights no schema
// would let through.
func TestScoreTotal(t *testing.T) {
	oct, _ := ledger.ParseDate("2026-10-03")
	cases := []struct {
		name    string
		weight  int
		credits int
		want    int // index of the credit reported, -1 for none
	}{
		{"at the total", score.MaxTotal / 2, 2, -1},
		{"one past the total", score.MaxTotal/2 + 1, 2, 1},
		{"one credit past the total", score.MaxTotal + 1, 3, 0},
		{"weights that would overflow the sum", math.MaxInt, 4, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := &ledger.Ledger{Files: []string{"credits/2026/10/github.yaml"}, Program: &ledger.Program{
				Scoring: []ledger.ScoringPeriod{{From: oct, Kinds: map[string]ledger.KindRule{"review": {Weight: c.weight}}}},
			}}
			for i := range c.credits {
				l.Credits = append(l.Credits, ledger.Credit{Kind: "review", Date: oct, KindPos: ledger.Pos{Line: int32(i + 1), Col: 1}})
			}
			ch := newChecker(l)
			ch.rule = "score-total"
			checkScoreTotal(ch)
			got := -1
			if len(ch.findings) > 1 {
				t.Fatalf("%d findings, want at most one", len(ch.findings))
			} else if len(ch.findings) == 1 {
				got = ch.findings[0].Line - 1
			}
			if got != c.want {
				t.Errorf("reported credit %d, want %d (-1: none)", got, c.want)
			}
		})
	}
}

// TestScoreTotalWithRules: the total counts each credit at the weight its
// rule gives it, however light its kind.
func TestScoreTotalWithRules(t *testing.T) {
	oct, _ := ledger.ParseDate("2026-10-03")
	l := &ledger.Ledger{Files: []string{"credits/2026/10/github.yaml"}, Program: &ledger.Program{
		Scoring: []ledger.ScoringPeriod{{From: oct, Kinds: map[string]ledger.KindRule{"review": {Weight: 1}},
			Rules: []ledger.WeightRule{{Project: "acme/widget", Weight: score.MaxTotal/2 + 1, HasWeight: true}}}},
	}}
	for i, project := range []string{"acme/other", "acme/widget", "acme/widget"} {
		l.Credits = append(l.Credits, ledger.Credit{Kind: "review", Date: oct, Project: project, KindPos: ledger.Pos{Line: int32(i + 1), Col: 1}})
	}
	ch := newChecker(l)
	ch.rule = "score-total"
	checkScoreTotal(ch)
	if len(ch.findings) != 1 || ch.findings[0].Line != 3 {
		t.Errorf("findings %v, want one at the third credit", ch.findings)
	}
}
