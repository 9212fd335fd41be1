package check

import (
	"github.com/tallyledger/tally/internal/score"
)

// checkScoreTotal keeps every sum of scores exact: all credits together
// may score at most score.MaxTotal. Each credit counts its full weight
// here, its rule's where one matches; caps and bots only lower the real
// sums.
func checkScoreTotal(c *checker) {
	p, credits := c.l.Program, c.l.Credits
	if p == nil || len(credits) == 0 {
		return
	}
	w := score.NewWeights(p)
	if w.Heaviest() <= score.MaxTotal/len(credits) {
		return // no need to add up: even every credit at the heaviest weight fits
	}
	total := 0
	for i := range credits {
		cr := &credits[i]
		weight := w.Weight(cr)
		if weight > score.MaxTotal-total {
			c.report(cr.File, cr.KindPos, "kind", "with this credit the ledger's credits score more than %s points together, more than tally adds up exactly; lower the weights in program.yaml", maxTotalWords)
			return
		}
		total += weight
	}
}
