package ledger

// PeriodOn returns the scoring period in force on a date: the one with the
// latest From on or before it, whatever order program.yaml lists them in.
// Of two periods with the same From, the one written last wins, as it
// always has for scores (validation reports both, and also periods out of
// order). It is nil before the first period and without a program.
func (p *Program) PeriodOn(d Date) *ScoringPeriod {
	if p == nil {
		return nil
	}
	var found *ScoringPeriod
	for i := range p.Scoring {
		if sp := &p.Scoring[i]; sp.From <= d && (found == nil || sp.From >= found.From) {
			found = sp
		}
	}
	return found
}

// KindOn returns how a kind scores on a date, and false when the period in
// force then does not define it (or no period is).
func (p *Program) KindOn(kind string, d Date) (KindRule, bool) {
	sp := p.PeriodOn(d)
	if sp == nil {
		return KindRule{}, false
	}
	rule, ok := sp.Kinds[kind]
	return rule, ok
}
