package check

import (
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/score"
)

// checkOverrides finds approvals given while the applicant missed a
// criterion in the months before the decision, without the written reason
// that makes such an exception transparent.
func checkOverrides(c *checker) {
	if c.l.Program == nil {
		return
	}
	var approvals []*ledger.Application
	needed := map[ledger.Month]bool{}
	rules := c.l.Program.Partners
	window := ledger.Month(max(rules.PracticalMonths, rules.FinancialMonths))
	for _, a := range c.l.Applications {
		d := a.Decision
		if d == nil || d.Outcome != "approved" || d.Date == 0 || strings.TrimSpace(d.Override) != "" || c.ix.Orgs[a.Org] == nil {
			continue
		}
		approvals = append(approvals, a)
		for m := asOfDecision(d) - window + 1; m <= asOfDecision(d); m++ {
			needed[m] = true
		}
	}
	if len(approvals) == 0 {
		return
	}
	// Caps apply per month, so the credits of the months in question score
	// exactly as they do in the whole ledger.
	part := *c.l
	part.Credits = nil
	for _, cr := range c.l.Credits {
		if needed[cr.Date.Month()] {
			part.Credits = append(part.Credits, cr)
		}
	}
	e := partner.NewEvaluator(score.NewWithIndex(&part, c.ix))
	for _, a := range approvals {
		d := a.Decision
		st := e.Evaluate(c.ix.Orgs[a.Org], asOfDecision(d))
		// Payments are judged against the minimums in force when the
		// leadership decided: thresholds.yaml holds only the current ones,
		// so a decision from before their release keeps its judgement.
		financial := c.l.Thresholds == nil || d.Date >= c.l.Thresholds.Date
		if st.Practical.Met && st.Conduct.Met && (st.Financial.Met || !financial) {
			continue
		}
		c.report(a.File, d.Pos, "decision.override", "%s was approved on %s while it missed criteria as of %s (%s); "+
			"write why in decision.override, or wait until the criteria are met",
			a.Org, d.Date, st.AsOf, strings.Join(st.MissingOf(true, financial, true), "; "))
	}
}

// asOfDecision is the last complete month before a decision: what the
// leadership could see when it decided.
func asOfDecision(d *ledger.Decision) ledger.Month { return d.Date.Month() - 1 }
