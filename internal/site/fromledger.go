package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

// Entries are the partner directory's listings, in its order, as the site
// shows them.
func Entries(d *partner.Directory) []PartnerEntry {
	out := make([]PartnerEntry, len(d.Partners))
	for i, p := range d.Partners {
		out[i] = PartnerEntry{ID: p.Org.ID, Rank: p.Rank, Featured: p.Featured, Since: p.Since, Standing: string(p.Standing), Tier: p.Tier}
	}
	return out
}

// FromLedger builds the site's input from a scored ledger as of a month:
// each partner's organisation record, its scores over the twelve months up
// to asOf, its visible people active in asOf, and the month's shout-out.
// partners are the directory's entries, in its order.
func FromLedger(b *score.Book, asOf ledger.Month, partners []PartnerEntry) (Input, error) {
	in := Input{Program: b.Ledger.Program, Thresholds: b.Ledger.Thresholds, AsOf: asOf,
		Profiles: map[string]string{},
		Rules:    report.RulesOn(b, score.Period{Span: score.Monthly, Start: asOf}.LastDay())}
	year := make([]*score.Tallies, 12)
	for i := range year {
		year[i] = b.Tallies(score.Period{Span: score.Monthly, Start: asOf - ledger.Month(11-i)})
	}
	month := year[11]
	for _, e := range partners {
		o := b.Index.Orgs[e.ID]
		if o == nil {
			return Input{}, fmt.Errorf("partner %q has no file in organizations/", e.ID)
		}
		p := Partner{PartnerEntry: e, Org: o, Scores: map[ledger.Month]int{}}
		for _, t := range year {
			if ot := t.Orgs[e.ID]; ot != nil {
				p.Scores[t.Period.Start] = ot.Score
			}
		}
		if ot := month.Orgs[e.ID]; ot != nil {
			p.Active = visiblePeople(b, ot.People)
		}
		in.Partners = append(in.Partners, p)
	}

	if _, found := slices.BinarySearch(b.Months, asOf); found {
		r := report.Build(b, score.Period{Span: score.Monthly, Start: asOf}, asOf)
		in.ShoutOut = r
		ids := func(id *string) {
			if id != nil {
				if u := report.ProfileURL(b.Index, *id); u != "" {
					in.Profiles[*id] = u
				}
			}
		}
		for _, p := range r.People {
			ids(p.ID)
		}
		for _, n := range slices.Concat(r.Returning, r.Quiet) {
			ids(n.ID)
		}
		for _, c := range r.Champions {
			ids(c.ID)
		}
	}

	in.Health = healthFromLedger(b, asOf)
	return in, nil
}

// visiblePeople lists the contributors of a set as the site may show them:
// hidden people left out, anonymous ones unnamed and last, the others by
// name.
func visiblePeople(b *score.Book, set map[int32]bool) []Person {
	type shown struct {
		Person
		anonymous bool
		id        string
	}
	var list []shown
	for i := range set {
		c := &b.Contributors[i]
		switch {
		case c.Bot:
			continue
		case c.Anonymous():
			list = append(list, shown{Person{Name: report.AnonymousName}, true, c.ID})
		case c.Person == nil: // an identity nobody owns shows as itself
			list = append(list, shown{Person{Name: c.ID, Profile: report.ProfileURL(b.Index, c.ID)}, false, c.ID})
		case c.Person.Visibility == "hidden":
			continue
		default:
			name := c.Person.Name
			if name == "" {
				name = c.ID
			}
			list = append(list, shown{Person{Name: name, Profile: report.ProfileURL(b.Index, c.ID)}, false, c.ID})
		}
	}
	slices.SortFunc(list, func(x, y shown) int {
		if x.anonymous != y.anonymous {
			if x.anonymous {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)), cmp.Compare(x.id, y.id))
	})
	out := make([]Person, len(list))
	for i, s := range list {
		out[i] = s.Person
	}
	return out
}
