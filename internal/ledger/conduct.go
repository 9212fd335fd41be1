package ledger

// Against is an organisation a conduct outcome counts against, and whether
// it does as a member's outcome ("a member of its team") or as the
// organisation's own.
type Against struct {
	Org    string
	Member bool
}

// Against lists the organisations an outcome counts against: the one it
// names (as a member's with member: true), and, for the old form that
// names a person, the one the person worked for on its date, both as a
// member's. Each organisation once, the named one first.
func (c *Conduct) Against(ix *Index) []Against {
	var out []Against
	add := func(org string, member bool) {
		if org != "" && (len(out) == 0 || out[0].Org != org) {
			out = append(out, Against{org, member})
		}
	}
	p := ix.People[c.Person.ID]
	add(c.Org.ID, c.Member || p != nil)
	if p != nil {
		add(p.AffiliationOn(c.Date), true)
	}
	return out
}
