package partner

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/money"
	"github.com/tallyledger/tally/internal/score"
)

// Directory is the partner program as of the end of a month: the partners
// in directory order, every organisation's status, the open applications
// and the partners whose activity fell.
type Directory struct {
	AsOf  ledger.Month
	Rules ledger.PartnerRules
	Tiers []ledger.Tier
	// Base is the monthly minimum in the base country, in US dollars.
	Base money.Amount
	// Partners are in directory order: by score in AsOf, then credits,
	// then id.
	Partners []*Listing
	// Organizations holds every organisation's status, by id.
	Organizations []*Status
	// Applicants are the applications waiting for a decision at the end of
	// AsOf, by submission date then organisation.
	Applicants []*Applicant
	// Declines are the partners whose score fell by decline_alert or more
	// from the month before, from at least decline_alert_min_score: the
	// largest fall first.
	Declines []Decline
}

// Listing is a partner's place in the directory.
type Listing struct {
	*Status
	Rank int
	// Featured partners are the first `featured` partners that have not
	// lapsed.
	Featured bool
	// Roadmap holds the partner's roadmap submissions up to the end of
	// AsOf, the earliest first; RoadmapLeft is how many more it may submit
	// in AsOf's calendar year.
	Roadmap     []*ledger.RoadmapItem
	RoadmapLeft int
}

// Applicant is an application waiting for a decision, with its
// organisation's status as of the directory's month.
type Applicant struct {
	Application *ledger.Application
	Status      *Status
}

// Decline is a partner whose score fell from Previous to Score.
type Decline struct {
	Org             string
	Previous, Score int
}

// NewDirectory evaluates every organisation as of month m.
func (e *Evaluator) NewDirectory(m ledger.Month) *Directory {
	l := e.book.Ledger
	d := &Directory{AsOf: m, Rules: e.rules, Tiers: e.tiers}
	if e.th != nil {
		d.Base = e.th.Base.Amount
	} else {
		d.Base, _ = money.Parse(DefaultBase)
	}
	for _, o := range l.Organizations {
		if e.book.Index.Orgs[o.ID] != o {
			continue // a repeated id: validate reports it
		}
		d.Organizations = append(d.Organizations, e.Evaluate(o, m))
	}
	slices.SortFunc(d.Organizations, func(a, b *Status) int { return strings.Compare(a.Org.ID, b.Org.ID) })

	byID := map[string]*Status{}
	var partners []*Status
	for _, st := range d.Organizations {
		byID[st.Org.ID] = st
		if st.Partner {
			partners = append(partners, st)
		}
	}
	d.Partners = e.list(m, partners)

	last := score.Period{Span: score.Monthly, Start: m}.LastDay()
	for _, a := range l.Applications {
		open := a.Decision == nil || a.Decision.Date > last // as it stood at the end of m
		if open && a.Submitted != 0 && a.Submitted <= last && byID[a.Org] != nil {
			d.Applicants = append(d.Applicants, &Applicant{Application: a, Status: byID[a.Org]})
		}
	}
	slices.SortFunc(d.Applicants, func(a, b *Applicant) int {
		return cmp.Or(cmp.Compare(a.Application.Submitted, b.Application.Submitted), strings.Compare(a.Application.Org, b.Application.Org))
	})

	alert := DeclineAlertOf(e.rules)
	for _, p := range d.Partners {
		prev := e.figures(p.Org.ID, m-1).score
		if alert.Declined(prev, p.Score) {
			d.Declines = append(d.Declines, Decline{Org: p.Org.ID, Previous: prev, Score: p.Score})
		}
	}
	slices.SortFunc(d.Declines, func(a, b Decline) int {
		return cmp.Or(cmp.Compare(b.Previous-b.Score, a.Previous-a.Score), strings.Compare(a.Org, b.Org))
	})
	return d
}

// Partners lists the partners of month m in directory order, as
// NewDirectory does, evaluating no other organisation: for what shows the
// partners of every month, such as the newsletters.
func (e *Evaluator) Partners(m ledger.Month) []*Listing {
	last := score.Period{Span: score.Monthly, Start: m}.LastDay()
	var partners []*Status
	for _, o := range e.book.Ledger.Organizations {
		if e.book.Index.Orgs[o.ID] == o && e.book.Index.PartnerOn(o.ID, last) {
			partners = append(partners, e.Evaluate(o, m))
		}
	}
	return e.list(m, partners)
}

// list puts the partners of month m in directory order, features the
// first that have not lapsed, and adds their roadmap submissions.
func (e *Evaluator) list(m ledger.Month, partners []*Status) []*Listing {
	out := make([]*Listing, len(partners))
	for i, st := range partners {
		out[i] = &Listing{Status: st}
	}
	slices.SortFunc(out, func(a, b *Listing) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Credits, a.Credits), strings.Compare(a.Org.ID, b.Org.ID))
	})
	featured := 0
	byID := make(map[string]*Listing, len(out))
	for i, p := range out {
		p.Rank = i + 1
		if p.Standing != Lapsed && featured < e.rules.Featured {
			p.Featured = true
			featured++
		}
		p.RoadmapLeft = e.rules.RoadmapPerYear
		byID[p.Org.ID] = p
	}
	last := score.Period{Span: score.Monthly, Start: m}.LastDay()
	for _, r := range e.book.Ledger.Roadmap {
		p := byID[r.Org]
		if p == nil || r.Submitted == 0 || r.Submitted > last {
			continue
		}
		p.Roadmap = append(p.Roadmap, r)
		if r.Submitted.Year() == m.Year() {
			p.RoadmapLeft = max(0, p.RoadmapLeft-1)
		}
	}
	for _, p := range out {
		slices.SortStableFunc(p.Roadmap, func(a, b *ledger.RoadmapItem) int {
			return cmp.Or(cmp.Compare(a.Submitted, b.Submitted), cmp.Compare(a.Seq, b.Seq))
		})
	}
	return out
}

// Former tells whether the organisation was a partner whose partnership
// has ended by the status's month.
func (st *Status) Former() bool { return !st.Partner && st.Since != 0 }
