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
	for _, a := range c.l.Applications {
		d := a.Decision
		if d == nil || d.Outcome != "approved" || d.Date == 0 || strings.TrimSpace(d.Override) != "" || c.ix.Orgs[a.Org] == nil {
			continue
		}
		approvals = append(approvals, a)
		from, to := DecisionMonths(c.l.Program.Partners, d.Date)
		for m := from; m <= to; m++ {
			needed[m] = true
		}
	}
	if len(approvals) == 0 {
		return
	}
	e := partner.NewEvaluator(score.OfMonths(c.l, c.ix, needed))
	for _, a := range approvals {
		d := a.Decision
		st := e.Evaluate(c.ix.Orgs[a.Org], AsOfDecision(d.Date))
		if missing := OverrideNeeds(c.l, st, d.Date); len(missing) > 0 {
			c.report(a.File, d.Pos, "decision.override", "%s was approved on %s while it missed criteria as of %s (%s); "+
				"write why in decision.override, or wait until the criteria are met",
				a.Org, d.Date, st.AsOf, strings.Join(missing, "; "))
		}
	}
}

// AsOfDecision is the last complete month before a decision on day: what
// the leadership could see when it decided.
func AsOfDecision(day ledger.Date) ledger.Month { return day.Month() - 1 }

// DecisionMonths are the months a decision on day is judged by: those of
// the criteria's windows, which end with AsOfDecision(day).
func DecisionMonths(r ledger.PartnerRules, day ledger.Date) (from, to ledger.Month) {
	to = AsOfDecision(day)
	return to - ledger.Month(max(r.PracticalMonths, r.FinancialMonths)) + 1, to
}

// OverrideNeeds says what an approval on day, of an organisation whose
// status is st (as of AsOfDecision(day)), must explain in
// decision.override: the criteria it misses, none when it meets them.
// Payments are judged against the minimums in force when the leadership
// decided: thresholds.yaml holds only the current ones, so a decision from
// before their release keeps its judgement.
func OverrideNeeds(l *ledger.Ledger, st *partner.Status, day ledger.Date) []string {
	financial := l.Thresholds == nil || day >= l.Thresholds.Date
	if st.Practical.Met && st.Conduct.Met && (st.Financial.Met || !financial) {
		return nil
	}
	return st.MissingOf(true, financial, true)
}
