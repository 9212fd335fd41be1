package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
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
	// Weighed are the period's weight rules, in order: the first that
	// matches a credit sets its weight.
	Weighed []WeighRule
	// PointsCap is the most points a person scores in a month, all kinds
	// together; 0 for none.
	PointsCap int
	// Areas are the areas the kinds name, by name, with their leads.
	Areas []Area
	// Before are the rules in force the day before From (without their
	// areas), nil when no rules were.
	Before *Rules
}

// KindRule is how one kind of credit scores.
type KindRule struct {
	Kind   string
	Weight int
	Cap    int // 0 for none
	Area   string
}

// WeighRule is a weight rule in words: which credits it is for, as
// Markdown ("`pull_request` that changes at most 5 lines"), and the weight it
// gives them ("1", or "× 0.5" of the kind's).
type WeighRule struct {
	Credits, Weight string
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
	now := prog.PeriodOn(d)
	if now == nil {
		return &Rules{Leadership: leadership(b)}
	}
	r := periodRules(now)
	r.Leadership = leadership(b)
	if now.From != 0 {
		if before := prog.PeriodOn(now.From.AddDays(-1)); before != nil {
			r.Before = periodRules(before)
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

// periodRules are a scoring period's kinds, weight rules and points cap.
func periodRules(sp *ledger.ScoringPeriod) *Rules {
	r := &Rules{From: sp.From, Kinds: kindRules(sp), PointsCap: sp.PointsCap}
	for i := range sp.Rules {
		r.Weighed = append(r.Weighed, weighRule(&sp.Rules[i]))
	}
	return r
}

// weighRule says in words what a weight rule is for and gives, with the
// words of its conditions (score.Conditions).
func weighRule(wr *ledger.WeightRule) WeighRule {
	credits := "any credit"
	if wr.Kind != "" {
		credits = "`" + wr.Kind + "`"
	}
	if wr.Project != "" {
		credits += " in " + escape(wr.Project)
	}
	var conds []string
	for _, c := range wr.When {
		def := score.ConditionNamed(c.Name)
		if def == nil {
			continue // a valid program has none
		}
		value := words.Thousands(c.Number)
		if c.List != nil {
			value = words.Or(mapStrings(c.List, func(s string) string { return "`" + s + "`" }))
		}
		conds = append(conds, fmt.Sprintf(def.Words, value))
	}
	if len(conds) > 0 {
		credits += " " + words.List(conds)
	}
	weight := strconv.Itoa(wr.Weight)
	if !wr.HasWeight {
		weight = "× " + wr.Factor
	}
	return WeighRule{Credits: credits, Weight: weight}
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
