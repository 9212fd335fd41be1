package score

import (
	"slices"
	"strings"
	"sync"

	"github.com/tallyledger/tally/internal/ledger"
)

// Tallies sums the credits of a period. Bots' credits are left out. No
// sum overflows: all scores together are at most MaxTotal.
type Tallies struct {
	Period   Period
	People   map[int32]*Tally // by contributor
	Orgs     map[string]*OrgTally
	Projects map[string]*ProjectTally
	// Score and Credits are the period's totals.
	Score, Credits int
}

// Tally is a contributor's score and number of credits (scoring or not:
// capped and weight-0 credits count here), in all and per kind.
type Tally struct {
	Score, Credits int
	Kinds          map[string]*Count
}

// Count is a score and a number of credits.
type Count struct{ Score, Credits int }

// OrgTally is an organisation's score, credits and contributors.
type OrgTally struct {
	Score, Credits int
	People         map[int32]bool
}

// ProjectTally is a project's score, credits and contributors.
type ProjectTally = OrgTally

func newTallies(p Period) *Tallies {
	return &Tallies{Period: p, People: map[int32]*Tally{}, Orgs: map[string]*OrgTally{}, Projects: map[string]*ProjectTally{}}
}

// monthly is a month's tallies, built on first use: many callers need
// only a few months, or none. Its credits are b.order[from:to].
type monthly struct {
	from, to int
	once     sync.Once
	t        *Tallies
}

// tally finds the months with credits and each contributor's active
// months; the months' tallies wait until asked for.
func (b *Book) tally() {
	var cur *monthly
	for k, i := range b.order {
		s := &b.Credits[i]
		if s.Bot {
			continue
		}
		m := b.Ledger.Credits[i].Date.Month()
		if cur == nil || b.Ledger.Credits[b.order[cur.from]].Date.Month() != m {
			cur = &monthly{from: k}
			b.months[m] = cur
			b.Months = append(b.Months, m)
		}
		cur.to = k + 1
		con := &b.Contributors[s.Contributor]
		if n := len(con.Active); n == 0 || con.Active[n-1] != m {
			con.Active = append(con.Active, m)
		}
	}
}

// month returns a month's tallies, building them once; it is safe for
// concurrent use.
func (b *Book) month(m ledger.Month) *Tallies {
	mt := b.months[m]
	if mt == nil {
		return nil
	}
	mt.once.Do(func() {
		t := newTallies(Period{Span: Monthly, Start: m})
		for _, i := range b.order[mt.from:mt.to] {
			s := &b.Credits[i]
			if s.Bot {
				continue
			}
			c := &b.Ledger.Credits[i]
			t.add(s.Contributor, c.Kind, c.Project, s.Org, 1, int(s.Score))
		}
		mt.t = t
	})
	return mt.t
}

func (t *Tallies) add(who int32, kind, project, org string, credits, score int) {
	t.Score += score
	t.Credits += credits
	p := t.People[who]
	if p == nil {
		p = &Tally{Kinds: map[string]*Count{}}
		t.People[who] = p
	}
	p.Score += score
	p.Credits += credits
	k := p.Kinds[kind]
	if k == nil {
		k = &Count{}
		p.Kinds[kind] = k
	}
	k.Score += score
	k.Credits += credits
	if org != "" {
		t.Orgs[org] = addTo(t.Orgs[org], who, credits, score)
	}
	if project != "" {
		t.Projects[project] = addTo(t.Projects[project], who, credits, score)
	}
}

func addTo(o *OrgTally, who int32, credits, score int) *OrgTally {
	if o == nil {
		o = &OrgTally{People: map[int32]bool{}}
	}
	o.Score += score
	o.Credits += credits
	o.People[who] = true
	return o
}

// Tallies sums the months of a period: quarterly and annual scores are
// sums of monthly scores, so caps apply per month. A period without
// credits has empty tallies. It is safe for concurrent use.
func (b *Book) Tallies(p Period) *Tallies {
	if p.Span == Monthly {
		if t := b.month(p.Start); t != nil {
			return t
		}
		return newTallies(p)
	}
	sum := newTallies(p)
	for m := p.Start; m <= p.End(); m++ {
		t := b.month(m)
		if t == nil {
			continue
		}
		sum.Score += t.Score
		sum.Credits += t.Credits
		for who, pt := range t.People {
			q := sum.People[who]
			if q == nil {
				q = &Tally{Kinds: map[string]*Count{}}
				sum.People[who] = q
			}
			q.Score += pt.Score
			q.Credits += pt.Credits
			for kind, k := range pt.Kinds {
				qk := q.Kinds[kind]
				if qk == nil {
					qk = &Count{}
					q.Kinds[kind] = qk
				}
				qk.Score += k.Score
				qk.Credits += k.Credits
			}
		}
		mergeOrgs(sum.Orgs, t.Orgs)
		mergeOrgs(sum.Projects, t.Projects)
	}
	return sum
}

func mergeOrgs(into, from map[string]*OrgTally) {
	for id, o := range from {
		q := into[id]
		if q == nil {
			q = &OrgTally{People: map[int32]bool{}}
			into[id] = q
		}
		q.Score += o.Score
		q.Credits += o.Credits
		for p := range o.People {
			q.People[p] = true
		}
	}
}

// Periods lists every period of a span that has credits, up to and
// including the one containing asOf, in order.
func (b *Book) Periods(s Span, asOf ledger.Month) []Period {
	var out []Period
	for _, m := range b.Months {
		if m > asOf {
			break
		}
		if p := PeriodOf(s, m); len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// Ranked is one entry of a ranking.
type Ranked struct {
	Rank  int
	Key   string // contributor id or organisation id
	Score int
	// Credits counts the credit records, scoring or not.
	Credits int
}

// Rank orders entries by score, then number of credits, then id (byte
// order), and numbers them from 1: equal scores get distinct ranks.
func Rank(entries []Ranked) []Ranked {
	slices.SortFunc(entries, CompareRanked)
	for i := range entries {
		entries[i].Rank = i + 1
	}
	return entries
}

// CompareRanked orders two entries as Rank does, for callers that sort
// their own kind of list (their Rank fields are ignored).
func CompareRanked(a, b Ranked) int {
	switch {
	case a.Score != b.Score:
		return b.Score - a.Score
	case a.Credits != b.Credits:
		return b.Credits - a.Credits
	case a.Key < b.Key:
		return -1
	case a.Key > b.Key:
		return 1
	}
	return 0
}

// contributorIndex finds a contributor by id (a person id, or an identity
// nobody owns, case-insensitively), or returns -1.
func (b *Book) contributorIndex(id string) int32 {
	for i := range b.Contributors {
		if strings.EqualFold(b.Contributors[i].ID, id) {
			return int32(i)
		}
	}
	return -1
}
