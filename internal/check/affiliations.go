package check

import (
	"fmt"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkAffiliations(c *checker) {
	for _, p := range c.l.People {
		// end is when the affiliations so far end; 0 while one of them is
		// open-ended.
		var end, start ledger.Date
		var endOrg string
		for i, a := range p.Affiliations {
			field := fmt.Sprintf("affiliations[%d]", i)
			if a.From == 0 {
				continue // the schema reports it
			}
			if a.Until != 0 && a.Until <= a.From {
				c.report(p.File, a.Pos, field, "affiliation with %s ends (%s) before it starts (%s); until must come after from", a.Org.ID, a.Until, a.From)
				continue
			}
			switch {
			case i == 0:
			case a.From < start:
				c.report(p.File, a.Pos, field, "affiliations must be in date order: this one starts %s, before the one above (%s); move it up", a.From, start)
			case end == 0:
				c.report(p.File, a.Pos, field, "affiliation with %s starts %s while the one with %s above never ends; give that one until: %s", a.Org.ID, a.From, endOrg, a.From)
			case a.From < end:
				c.report(p.File, a.Pos, field, "affiliation with %s starts %s, before the one with %s ends (%s); affiliations are half-open [from, until) and must not overlap", a.Org.ID, a.From, endOrg, end)
			}
			start = max(start, a.From)
			if i == 0 || (end != 0 && (a.Until == 0 || a.Until > end)) {
				end, endOrg = a.Until, a.Org.ID
			}
		}
	}
}
