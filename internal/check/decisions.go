package check

func checkDecisions(c *checker) {
	leaders := map[string]bool{}
	if p := c.l.Program; p != nil {
		for _, r := range p.Leadership {
			leaders[r.ID] = true
		}
	}
	for _, a := range c.l.Applications {
		d := a.Decision
		if d == nil {
			continue
		}
		if d.Date != 0 && a.Submitted != 0 && d.Date < a.Submitted {
			c.report(a.File, d.DatePos, "decision.date", "the decision (%s) comes before the submission (%s)", d.Date, a.Submitted)
		}
		for _, r := range d.By {
			if c.ix.People[r.ID] != nil && !leaders[r.ID] {
				c.report(a.File, r.Pos, "decision.by", "%s is not in the leadership (program.yaml); only the leadership decides applications", r.ID)
			}
		}
	}
}

func checkConflicts(c *checker) {
	for _, a := range c.l.Applications {
		d := a.Decision
		if d == nil || d.Date == 0 {
			continue
		}
		for _, r := range d.By {
			p := c.ix.People[r.ID]
			if p != nil && p.AffiliationOn(d.Date) == a.Org {
				c.report(a.File, r.Pos, "decision.by", "%s works for %s on %s and may not decide its application; ask another member of the leadership",
					r.ID, a.Org, d.Date)
			}
		}
	}
}
