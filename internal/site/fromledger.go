package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

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
		out[i] = PartnerEntry{ID: p.Org.ID, Rank: p.Rank, Featured: p.Featured, Since: p.Since, Standing: string(p.Standing), Tier: p.Tier,
			Roadmap: p.Roadmap, RoadmapLeft: p.RoadmapLeft}
	}
	return out
}

// FromLedger builds the site's input from a scored ledger as of a month:
// each partner's organisation record and logo, its scores over the twelve
// months up to asOf, its visible people active in asOf, and the shout-out
// of every month. partners are the directory's entries, in its order.
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
		p := Partner{PartnerEntry: e, Org: o, Logo: b.Index.Logos[e.ID], Scores: map[ledger.Month]int{}}
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

	in.ShoutOuts = shoutOuts(b, asOf, shownRows(b.Ledger.Program))
	for _, r := range in.ShoutOuts {
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
		for _, a := range r.Active {
			ids(a.ID)
		}
		for _, n := range slices.Concat(r.Returning[:min(listedNames, len(r.Returning))], r.Quiet[:min(listedNames, len(r.Quiet))]) {
			ids(n.ID)
		}
		for _, c := range r.Champions {
			ids(c.ID)
		}
	}
	if n := len(in.ShoutOuts); n > 0 && in.ShoutOuts[n-1].Period == asOf.String() {
		in.ShoutOut = in.ShoutOuts[n-1]
	}

	in.Health = healthFromLedger(b, asOf)
	return in, nil
}

// shoutOuts builds the report of every month with credits up to asOf,
// the earliest first, keeping of its ranked lists the top rows the pages
// show: the rest would only hold a foundation's memory.
func shoutOuts(b *score.Book, asOf ledger.Month, top int) []*report.Report {
	var mu sync.Mutex
	var out []*report.Report
	report.EachMonth(b, asOf, func(r *report.Report) error {
		r.People = slices.Clone(r.People[:min(top, len(r.People))])
		r.Active = slices.Clone(r.Active[:min(top, len(r.Active))])
		r.Organizations = slices.Clone(r.Organizations[:min(top, len(r.Organizations))])
		r.Projects = nil
		mu.Lock()
		out = append(out, r)
		mu.Unlock()
		return nil
	})
	slices.SortFunc(out, func(x, y *report.Report) int { return strings.Compare(x.Period, y.Period) })
	return out
}

// shownRows is how many rows of a ranked list the pages show.
func shownRows(p *ledger.Program) int {
	if p != nil && p.Reports.Top > 0 {
		return p.Reports.Top
	}
	return 10
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
		case c.Person == nil: // an identity nobody owns shows as its handle
			list = append(list, shown{Person{Name: report.Label(&c.ID, c.ID), Profile: report.ProfileURL(b.Index, c.ID)}, false, c.ID})
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
		// A handle sorts by its letters, among the names.
		key := func(s shown) string { return strings.ToLower(strings.TrimPrefix(s.Name, "@")) }
		return cmp.Or(cmp.Compare(key(x), key(y)), cmp.Compare(x.id, y.id))
	})
	out := make([]Person, len(list))
	for i, s := range list {
		out[i] = s.Person
	}
	return out
}
