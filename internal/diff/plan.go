package diff

import (
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

var spans = []score.Span{score.Monthly, score.Quarterly, score.Annual}

// plan is what to load and which periods to compare.
type plan struct {
	// full is set when a change can move any period (the rules, people's
	// identities or affiliations...): everything is loaded and every
	// period compared.
	full bool
	// months are the months whose credits are loaded (partial plans).
	months map[ledger.Month]bool
	years  map[int]bool
	// changed are the months whose credits the change touches.
	changed map[ledger.Month]bool
	// compare lists the periods to compare (partial plans), in order.
	compare []score.Period
}

// What moves scores and ranks: a credit or a claim moves its month; the
// scoring rules, and a person's identities, affiliations, bot flag or
// visibility (or the person's coming or going), can move any period.
// Nothing else enters a ranking: payments, applications, organisations'
// details, conduct, roadmap, sources and notes matter to eligibility and
// to the reports' words, and a rename only changes how a row reads.
var (
	wholeKinds = map[ledger.FileKind]bool{ledger.ProgramFile: true, ledger.PersonFile: true}
	// harmless are the fields of such files that move nothing.
	harmless = map[string]bool{"name": true, "joined": true, "timezone": true, "leadership": true, "team_leads": true, "partners": true, "reports": true, "contacts": true}
)

// makePlan decides from the changed files (and what changed in them, and
// the changed files as loaded at both revisions, for the dates of claims)
// what to load. A change to month M moves M, its quarter and its year, and
// the change since the period before of the period after each; so those
// periods are loaded.
func makePlan(changes []gitrev.Change, records []RecordChange, before, after *ledger.Ledger) plan {
	edited := map[string][]FieldChange{}
	for _, r := range records {
		if r.ID == "" && r.Change == "edited" {
			edited[r.Path] = r.Fields
		}
	}
	var months []ledger.Month
	full := false
	for _, c := range changes {
		place, err := ledger.Classify(c.Path)
		switch {
		case err != nil:
			// Not ledger data: the loader leaves it out.
		case wholeKinds[place.Kind]:
			fields, ok := edited[c.Path]
			if !ok && !onlyLayout(c.Path, before, after) {
				full = true // added, removed, or unreadable
			}
			for _, f := range fields {
				full = full || !harmless[f.Field]
			}
		case place.Kind == ledger.CreditsFile:
			months = append(months, place.Month)
		}
	}
	// A credit counts in the month of its date, at either revision: a
	// claim's path tells only its year, and a shard may hold a credit of
	// another month (tally validate reports it).
	for _, l := range []*ledger.Ledger{before, after} {
		for _, c := range l.Credits {
			if c.Date != 0 {
				months = append(months, c.Date.Month())
			}
		}
	}
	pl := plan{full: full, months: map[ledger.Month]bool{}, years: map[int]bool{}, changed: map[ledger.Month]bool{}}
	for _, m := range months {
		pl.changed[m] = true
	}
	if full {
		return pl
	}
	seen := map[score.Period]bool{}
	for _, m := range months {
		for _, s := range spans {
			p := score.PeriodOf(s, m)
			for _, q := range []score.Period{p, next(p)} {
				if seen[q] {
					continue
				}
				seen[q] = true
				pl.compare = append(pl.compare, q)
				for m := q.Start; m <= q.End(); m++ {
					pl.months[m] = true
					pl.years[m.Year()] = true
				}
			}
		}
	}
	sortPeriods(pl.compare)
	return pl
}

// include tells which files the part both revisions share must hold: the
// unchanged files but funding shards (payments move no score), and in a
// partial plan only the credit shards of the needed months and the claims
// of their years (a claim's path gives only its year).
func (pl plan) include(changed map[string]bool) func(string) bool {
	return func(p string) bool {
		if changed[p] {
			return false
		}
		// Most files are people: decide by the top folder before parsing
		// a path.
		top, _, _ := strings.Cut(p, "/")
		switch {
		case top == "funding":
			return false
		case pl.full:
			return true
		case top == "credits" || top == "claims":
			place, err := ledger.Classify(p)
			if err != nil {
				return false
			}
			if place.Kind == ledger.CreditsFile {
				return pl.months[place.Month]
			}
			return pl.years[place.Year]
		}
		return true
	}
}

// onlyLayout tells whether a file edited without a changed field (only
// comments, layout or order) reads as a record at both revisions.
func onlyLayout(p string, before, after *ledger.Ledger) bool {
	return loaded(p, before) && loaded(p, after)
}

func loaded(p string, l *ledger.Ledger) bool {
	return slices.Contains(l.Files, p) && !slices.Contains(l.Unloaded, p)
}

// notDated tells the files that every comparison reads: all but credit
// shards, claims and funding shards, which only some months need.
func notDated(p string) bool {
	top, _, _ := strings.Cut(p, "/")
	return top != "credits" && top != "claims" && top != "funding"
}

// touches tells whether a period holds a month the change touches.
func (pl plan) touches(p score.Period) bool {
	for m := p.Start; m <= p.End(); m++ {
		if pl.changed[m] {
			return true
		}
	}
	return false
}

// next is the period of the same span just after.
func next(p score.Period) score.Period {
	return score.Period{Span: p.Span, Start: p.Start + ledger.Month(p.Span.Months())}
}

// sortPeriods orders months, then quarters, then years, each by time.
func sortPeriods(ps []score.Period) {
	slices.SortFunc(ps, func(a, b score.Period) int {
		if a.Span != b.Span {
			return int(a.Span) - int(b.Span)
		}
		return int(a.Start) - int(b.Start)
	})
}
