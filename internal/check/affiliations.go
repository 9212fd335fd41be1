package check

import "fmt"

func checkAffiliations(c *checker) {
	for _, p := range c.l.People {
		for i, a := range p.Affiliations {
			field := fmt.Sprintf("affiliations[%d]", i)
			if a.Until != 0 && a.From != 0 && a.Until <= a.From {
				c.report(p.File, a.Pos, field, "affiliation with %s ends (%s) before it starts (%s); until must come after from", a.Org.ID, a.Until, a.From)
				continue
			}
			if i == 0 {
				continue
			}
			prev := p.Affiliations[i-1]
			switch {
			case a.From < prev.From:
				c.report(p.File, a.Pos, field, "affiliations must be in date order: this one starts %s, before the one above (%s); move it up", a.From, prev.From)
			case prev.Until == 0:
				c.report(p.File, a.Pos, field, "affiliation with %s starts %s while the one with %s above never ends; give that one until: %s", a.Org.ID, a.From, prev.Org.ID, a.From)
			case a.From < prev.Until:
				c.report(p.File, a.Pos, field, "affiliation with %s starts %s, before the one with %s ends (%s); affiliations are half-open [from, until) and must not overlap", a.Org.ID, a.From, prev.Org.ID, prev.Until)
			}
		}
	}
}
