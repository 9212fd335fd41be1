package check

import (
	"maps"
	"slices"
	"time"
	_ "time/tzdata" // time zones must resolve the same on every machine
)

func checkProgram(c *checker) {
	p := c.l.Program
	if p == nil && slices.Contains(c.l.Unloaded, "program.yaml") {
		return // its own findings say why
	}
	if p == nil {
		c.findings = append(c.findings, ledgerFinding("program.yaml", c.rule,
			"the ledger has no program.yaml; create one with the program's name, leadership and scoring (see docs/ledger.md, or run tally init)"))
		return
	}
	if _, err := time.LoadLocation(p.Timezone); err != nil || p.Timezone == "" || p.Timezone == "Local" {
		c.report(p.File, p.TimezonePos, "timezone", "timezone %q is not an IANA time zone name such as UTC or Europe/Berlin", p.Timezone)
	}
	areas := map[string]bool{}
	var areaNames []string
	for _, a := range p.TeamLeads {
		areas[a.Area] = true
		areaNames = append(areaNames, a.Area)
	}
	for i, sp := range p.Scoring {
		if i > 0 && sp.From != 0 {
			switch prev := p.Scoring[i-1].From; {
			case sp.From == prev:
				c.report(p.File, sp.FromPos, "scoring.from",
					"two scoring periods start on %s, so which one applies is ambiguous (the later one does); merge them into one", sp.From)
			case sp.From < prev:
				c.report(p.File, sp.FromPos, "scoring.from",
					"scoring periods must be in date order: %s does not come after %s; move this period above that one", sp.From, prev)
			}
		}
		for _, kind := range slices.Sorted(maps.Keys(sp.Kinds)) {
			r := sp.Kinds[kind]
			if r.Area != "" && !areas[r.Area] {
				c.report(p.File, r.AreaPos, "scoring.kinds."+kind+".area",
					"area %q of kind %q has no team leads; add it under team_leads%s", r.Area, kind, didYouMean(r.Area, areaNames))
			}
		}
	}
	t := p.Partners.Tiers
	for i := 1; i < len(t); i++ {
		if t[i].MinScore > t[i-1].MinScore || t[i].MinPayment > t[i-1].MinPayment {
			c.report(p.File, t[i].Pos, "partners.tiers",
				"tiers go from highest to lowest: %q asks more than %q above it; swap them", t[i].Name, t[i-1].Name)
		}
	}
	if s := p.Partners; s.LapseMonths > 0 && s.GraceMonths >= s.LapseMonths {
		c.report(p.File, s.GraceMonthsPos, "partners.standing",
			"grace_months (%d) must be less than lapse_months (%d): a partner is warned before it lapses", s.GraceMonths, s.LapseMonths)
	}
}
