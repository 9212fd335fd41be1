package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Rules are the rules in force on a day as readers see them: who decides,
// and how credits score. The reports ("How scores are computed", the
// partners page) and the site's rules page all show this one view, so
// they cannot disagree.
type Rules struct {
	// Leadership is who decides applications, in program.yaml's order:
	// public people by name, the others as AnonymousName, without an ID;
	// hidden people are left out.
	Leadership []Lead
	// From is the day the scoring rules came into force.
	From ledger.Date
	// Kinds are the kinds of credit, the heaviest first, then by name; nil
	// before the first scoring period.
	Kinds []KindRule
	// Areas are the areas the kinds name, by name, with their leads.
	Areas []Area
	// Before are the kinds in force the day before From, nil when no
	// rules were.
	Before []KindRule
}

// KindRule is how one kind of credit scores.
type KindRule struct {
	Kind   string
	Weight int
	Cap    int // 0 for none
	Area   string
}

// Area is an area whose team leads review the claims of its kinds.
type Area struct {
	Area string
	// Leads are the leads who may be named: public people, in the order
	// program.yaml lists them. Hidden and anonymous leads review claims
	// too, but are never named.
	Leads []Lead
}

// Lead is a team lead as readers see them.
type Lead struct {
	ID, Name string
	// Profile is the lead's public profile, or "".
	Profile string
}

// RulesOn returns the rules in force on a day, or nil without a program.
func RulesOn(b *score.Book, d ledger.Date) *Rules {
	prog := b.Ledger.Program
	if prog == nil {
		return nil
	}
	r := &Rules{Leadership: leadership(b)}
	now := prog.PeriodOn(d)
	if now == nil {
		return r
	}
	r.From, r.Kinds = now.From, kindRules(now)
	if now.From != 0 {
		if before := prog.PeriodOn(now.From.AddDays(-1)); before != nil {
			r.Before = kindRules(before)
		}
	}
	var areas []string
	for _, k := range r.Kinds {
		if k.Area != "" {
			areas = append(areas, k.Area)
		}
	}
	slices.Sort(areas)
	for _, area := range slices.Compact(areas) {
		a := Area{Area: area}
		for _, ta := range prog.TeamLeads {
			if ta.Area != area {
				continue
			}
			for _, l := range ta.Leads {
				if p := b.Index.People[l.ID]; p != nil && p.Visibility == "public" {
					a.Leads = append(a.Leads, Lead{ID: l.ID, Name: cmp.Or(p.Name, l.ID), Profile: ProfileURL(b.Index, l.ID)})
				}
			}
		}
		r.Areas = append(r.Areas, a)
	}
	return r
}

// leadership is the program's leadership as readers may see it.
func leadership(b *score.Book) []Lead {
	var out []Lead
	for _, ref := range b.Ledger.Program.Leadership {
		switch p := b.Index.People[ref.ID]; {
		case p != nil && p.Visibility == "hidden":
		case p != nil && p.Visibility == "public" && p.Name != "":
			out = append(out, Lead{ID: ref.ID, Name: p.Name, Profile: ProfileURL(b.Index, ref.ID)})
		default:
			out = append(out, Lead{Name: AnonymousName}) // nobody is named here who is not named elsewhere
		}
	}
	return out
}

// kindRules lists a scoring period's kinds, the heaviest first, then by
// name.
func kindRules(sp *ledger.ScoringPeriod) []KindRule {
	out := make([]KindRule, 0, len(sp.Kinds))
	for k, rule := range sp.Kinds {
		out = append(out, KindRule{Kind: k, Weight: rule.Weight, Cap: rule.Cap, Area: rule.Area})
	}
	slices.SortFunc(out, func(a, c KindRule) int {
		return cmp.Or(c.Weight-a.Weight, strings.Compare(a.Kind, c.Kind))
	})
	return out
}

// Leads returns the nameable leads of an area.
func (r *Rules) Leads(area string) []Lead {
	i, found := slices.BinarySearchFunc(r.Areas, area, func(a Area, area string) int { return strings.Compare(a.Area, area) })
	if !found {
		return nil
	}
	return r.Areas[i].Leads
}
