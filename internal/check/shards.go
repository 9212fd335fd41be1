package check

import (
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
)

func checkShards(c *checker) {
	for i := range c.l.Credits {
		cr := &c.l.Credits[i]
		pl := c.places[cr.File]
		if cr.Date == 0 {
			continue
		}
		switch pl.Kind {
		case ledger.CreditsFile:
			if cr.Date.Month() != pl.Month {
				c.report(cr.File, cr.DatePos, "date", "credit dated %s is filed under %s; move it to credits/%s/%s.yaml",
					cr.Date, pl.Month, strings.Replace(cr.Date.Month().String(), "-", "/", 1), pl.Name)
			}
		case ledger.ClaimFile:
			if cr.Date.Year() != pl.Year {
				c.report(cr.File, cr.DatePos, "date", "claim dated %s is filed under %d; move it to claims/%s/%d/", cr.Date, pl.Year, pl.Dir, cr.Date.Year())
			}
		}
	}
	for i := range c.l.Payments {
		p := &c.l.Payments[i]
		pl := c.places[p.File]
		if p.Date != 0 && p.Date.Month() != pl.Month {
			c.report(p.File, p.DatePos, "date", "payment dated %s is filed under %s; move it to funding/%s/%s.yaml",
				p.Date, pl.Month, strings.Replace(p.Date.Month().String(), "-", "/", 1), pl.Name)
		}
		if p.Source != "" && p.Source != pl.Name {
			c.report(p.File, p.SourcePos, "source", "payment from source %q is filed in %s.yaml; the file is named after the source, so move it to funding/%s/%s.yaml",
				p.Source, pl.Name, strings.Replace(pl.Month.String(), "-", "/", 1), p.Source)
		}
	}
	for _, a := range c.l.Applications {
		if name := c.places[a.File].Name; a.Submitted != 0 && a.Submitted.String() != name {
			c.report(a.File, a.SubmittedPos, "submitted", "application submitted %s is in the file %s.yaml; the file is named after the submission date", a.Submitted, name)
		}
	}
	for _, k := range c.l.Conduct {
		if y := c.places[k.File].Year; k.Date != 0 && k.Date.Year() != y {
			c.report(k.File, k.DatePos, "date", "outcome dated %s is filed under %d; move it to conduct/%d/", k.Date, y, k.Date.Year())
		}
	}
	for _, r := range c.l.Roadmap {
		if y := c.places[r.File].Year; r.Submitted != 0 && r.Submitted.Year() != y {
			c.report(r.File, r.SubmittedPos, "submitted", "submission dated %s is filed under %d; move it to roadmap/%d/", r.Submitted, y, r.Submitted.Year())
		}
	}
}
