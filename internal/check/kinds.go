package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkKinds(c *checker)      { c.kinds(false) }
func checkClaimKinds(c *checker) { c.kinds(true) }

// kinds checks shard credits, or claims, against the scoring period of
// their dates.
func (c *checker) kinds(claims bool) {
	p := c.l.Program
	if p == nil || len(p.Scoring) == 0 {
		return
	}
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		if cr.Date == 0 || cr.Kind == "" || strings.HasPrefix(cr.ID, "claim:") != claims {
			continue
		}
		sp := p.PeriodOn(cr.Date)
		if sp == nil {
			c.report(cr.File, cr.DatePos, "date", "no scoring period covers %s; the first starts %s, so correct the date or add a period from an earlier date to program.yaml",
				cr.Date, firstFrom(p))
			continue
		}
		if _, ok := sp.Kinds[cr.Kind]; ok {
			continue
		}
		known := slices.Sorted(maps.Keys(sp.Kinds))
		hint := didYouMean(cr.Kind, known)
		if from := laterPeriod(p, cr.Kind, cr.Date); from != 0 {
			hint = fmt.Sprintf("; it is defined only from %s", from)
		} else if hint == "" {
			hint = "; add it to program.yaml or use one of " + strings.Join(known, ", ")
		}
		if claims {
			c.report(cr.File, cr.Pos, "", "claims/%s/ is not a kind of the scoring period from %s%s", cr.Kind, sp.From, hint)
		} else {
			c.report(cr.File, cr.KindPos, "kind", "kind %q is not defined in the scoring period from %s%s", cr.Kind, sp.From, hint)
		}
	}
}

// laterPeriod returns the start of the first period after d that defines
// kind, or 0.
func laterPeriod(p *ledger.Program, kind string, d ledger.Date) ledger.Date {
	var found ledger.Date
	for _, sp := range p.Scoring {
		if _, ok := sp.Kinds[kind]; ok && sp.From > d && (found == 0 || sp.From < found) {
			found = sp.From
		}
	}
	return found
}

func firstFrom(p *ledger.Program) ledger.Date {
	first := p.Scoring[0].From
	for _, sp := range p.Scoring {
		first = min(first, sp.From)
	}
	return first
}
