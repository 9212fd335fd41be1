// Package report holds the shout-out reports: the model of one month,
// quarter or year (who ranks where, how they moved, who is new, returning
// or gone quiet, which organisations and projects did the work) computed
// from a scored ledger, and its Markdown and JSON renderings. The model
// is computed once and both renderings are pure functions of it, so the
// JSON a script reads and the Markdown a person reads never disagree.
package report

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// Report is one period's shout-outs. The JSON keys up to NewMembers are
// DESIGN.md's monthly shape; the rest extend it.
type Report struct {
	Period          string         `json:"period"`
	Previous        string         `json:"previous"`
	People          []Person       `json:"people"`
	Active          []Active       `json:"active"`
	Organizations   []Organization `json:"organizations"`
	NewContributors int            `json:"new_contributors"`
	NewMembers      int            `json:"new_members"`
	// Complete is false for a quarter or year still under way as of the
	// month the report was made: its figures are to date.
	Complete  bool       `json:"complete"`
	Totals    Totals     `json:"totals"`
	Returning []Named    `json:"returning"`
	Quiet     []Named    `json:"quiet"`
	Onion     Onion      `json:"onion"`
	Champions []Champion `json:"champions"`
	Projects  []Project  `json:"projects"`
	Notes     []string   `json:"notes"`
	Alerts    []Alert    `json:"alerts"`
	Health    Health     `json:"health"`
	// Rules are the scoring rules in force on the period's last day, nil
	// when none are. The Markdown explains them; the JSON leaves them to
	// program.yaml.
	Rules *Rules `json:"-"`

	// What the Markdown shows beside the figures, so that rendering needs
	// nothing but the report.
	period  score.Period
	program string // the program's name
	top     int    // how many rows a table shows
	decline string // partners.decline_alert as written
	// declineFrom is partners.decline_alert_min_score.
	declineFrom int
	site        string // where the site is published, "" when unknown
	// note is the period's note from notes/, "" when it has none.
	note string
	// through is the last month counted (asOf, for a period under way).
	through ledger.Month
	// deltas holds every delta_rank, in one allocation.
	deltas []int
}

// Person is one contributor of the people list. ID is nil for an
// anonymous person, whose id never appears in a report.
type Person struct {
	Rank       int     `json:"rank"`
	ID         *string `json:"id"`
	Name       string  `json:"name"`
	Score      int     `json:"score"`
	Credits    int     `json:"credits"`
	DeltaScore int     `json:"delta_score"`
	// DeltaRank is the previous rank minus this one (positive: moved up),
	// nil when the person was not ranked in the previous period.
	DeltaRank *int `json:"delta_rank"`
	// New is set when the contributor's first credit ever is in the period.
	New     bool `json:"new"`
	profile string
}

// Active is one contributor ranked by number of credits.
type Active struct {
	Rank          int     `json:"rank"`
	ID            *string `json:"id"`
	Credits       int     `json:"credits"`
	name, profile string
}

// Name is the contributor's name, as the people list has it.
func (a Active) Name() string { return a.name }

// Organization is one organisation with credits attributed in the period.
type Organization struct {
	Rank       int    `json:"rank"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Score      int    `json:"score"`
	Credits    int    `json:"credits"`
	People     int    `json:"people"`
	DeltaScore int    `json:"delta_score"`
	DeltaRank  *int   `json:"delta_rank"`
	// Partner tells whether it is a partner on the period's last day.
	Partner bool `json:"partner"`
	website string
}

// Totals are the period's figures over every contributor but bots.
type Totals struct {
	Score        int `json:"score"`
	Credits      int `json:"credits"`
	Contributors int `json:"contributors"`
}

// Named is a contributor named in a list.
type Named struct {
	ID      *string `json:"id"`
	Name    string  `json:"name"`
	profile string
}

// Onion counts contributors by CHAOSS's contributor onion: the core make
// 80% of the score, the regulars the next 15%, the casual the rest.
type Onion struct {
	Core    int `json:"core"`
	Regular int `json:"regular"`
	Casual  int `json:"casual"`
}

// Champion is the top contributor of one kind of credit.
type Champion struct {
	Kind    string  `json:"kind"`
	ID      *string `json:"id"`
	Name    string  `json:"name"`
	Score   int     `json:"score"`
	Credits int     `json:"credits"`
	profile string
}

// Project is one project with credits, in rank order.
type Project struct {
	Project string `json:"project"`
	Score   int    `json:"score"`
	Credits int    `json:"credits"`
	People  int    `json:"people"`
}

// Alert names an organisation whose score fell by the program's
// decline_alert fraction or more against the previous period.
type Alert struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Previous int    `json:"previous"`
	Score    int    `json:"score"`
}

// AnonymousName stands for an anonymous person in every report.
const AnonymousName = "Anonymous contributor"

// Rules fixed here rather than in program.yaml.
const (
	// returningGap is how many months without credits before a period
	// make a contributor who is active in it "returning".
	returningGap = health.ReturningGap
	// quietWindow and quietActive: a contributor with credits in at least
	// quietActive of the quietWindow months before a period, and none in
	// it, has gone quiet.
	quietWindow, quietActive = 6, 3
	// lowActivity: a period whose credits are this many percent or more
	// below the average of the previous lowPeriods periods gets a note.
	lowActivity, lowPeriods = 30, 3
)

// Build computes the report of one period as of a month: a quarter or a
// year containing asOf counts only its months up to asOf.
func Build(b *score.Book, p score.Period, asOf ledger.Month) *Report {
	return newBuilder(b, asOf).build(p, nil)
}

// EachMonth builds the report of every month with credits up to asOf, on
// all cores, and hands each to fn as soon as it is made: fn is called
// concurrently, in no set order, so that a foundation's months need not
// all be held at once. It stops at fn's first error.
func EachMonth(b *score.Book, asOf ledger.Month, fn func(*Report) error) error {
	var months []score.Period
	for _, m := range b.Months {
		if m <= asOf {
			months = append(months, score.Period{Span: score.Monthly, Start: m})
		}
	}
	bl := newBuilder(b, asOf)
	var errOnce sync.Once
	var firstErr error
	var failed atomic.Bool
	next := make(chan score.Period)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(months), 1)) {
		wg.Go(func() {
			for p := range next {
				if failed.Load() {
					continue
				}
				if err := fn(bl.build(p, nil)); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
				}
			}
		})
	}
	for _, p := range months {
		next <- p
	}
	close(next)
	wg.Wait()
	return firstErr
}

// build computes a period's report. When reuse is not nil, the report is
// built in its place, reusing its lists' memory: a foundation's reports
// would otherwise allocate hundreds of MiB only to drop them.
func (bl *builder) build(p score.Period, reuse *Report) *Report {
	b := bl.b
	cur, prev := bl.stats(p), bl.stats(p.Previous())
	var old Report
	if reuse != nil {
		old = *reuse
	} else {
		reuse = &Report{}
	}
	r := reuse
	*r = Report{
		Period:      p.String(),
		Previous:    p.Previous().String(),
		Complete:    cur.last == p.End(),
		Totals:      Totals{Score: cur.score, Credits: cur.credits, Contributors: len(cur.members)},
		Returning:   resize(old.Returning, 0),
		Quiet:       resize(old.Quiet, 0),
		Champions:   resize(old.Champions, 0),
		Notes:       []string{},
		Alerts:      []Alert{},
		Rules:       RulesOn(b, p.LastDay()),
		period:      p,
		program:     bl.program,
		top:         bl.top,
		decline:     bl.declineWords,
		declineFrom: bl.decline.MinScore,
		site:        bl.site,
		note:        b.Ledger.Notes[p.String()],
		through:     cur.last,
	}

	// People, and the same people by credits.
	n := len(cur.listed)
	r.People = resize(old.People, n)
	r.deltas = resize(old.deltas, n+len(cur.orgs))
	deltas, orgDeltas := r.deltas[:n], r.deltas[n:]
	before := previous(cur, prev)
	for i, mi := range cur.listed {
		m := &cur.members[mi]
		c := &bl.con[m.who]
		pp := &r.People[i]
		*pp = Person{Rank: i + 1, ID: c.id, Name: c.name, Score: int(m.score), Credits: int(m.credits),
			DeltaScore: int(m.score), New: c.first >= p.Start && c.first <= cur.last, profile: c.profile}
		if j := before[mi]; j >= 0 {
			pm := &prev.members[j]
			pp.DeltaScore -= int(pm.score)
			if pm.rank > 0 {
				deltas[i] = int(pm.rank) - (i + 1)
				pp.DeltaRank = &deltas[i]
			}
		}
	}
	keys := make([]sortKey, n)
	for i, mi := range cur.listed {
		m := &cur.members[mi]
		keys[i] = sortKey{m.credits, m.score, bl.con[m.who].order, m.who}
	}
	sc := bl.getScratch()
	defer bl.scratch.Put(sc)
	bl.sortKeys(keys, sc)
	r.Active = resize(old.Active, n)
	for i, k := range keys {
		c := &bl.con[k.index]
		r.Active[i] = Active{Rank: i + 1, ID: c.id, Credits: int(k.first), name: c.name, profile: c.profile}
	}

	// Organisations.
	last := p.LastDay()
	r.Organizations = resize(old.Organizations, len(cur.orgs))
	for i, g := range cur.orgs {
		o := &r.Organizations[i]
		*o = Organization{Rank: g.rank, ID: g.id, Name: g.name, Score: g.score, Credits: g.credits,
			People: g.people, DeltaScore: g.score, Partner: b.Index.PartnerOn(g.id, last)}
		if org := b.Index.Orgs[g.id]; org != nil {
			o.website = org.Website
		}
		if j, ok := prev.orgAt[g.id]; ok {
			pg := prev.orgs[j]
			o.DeltaScore -= pg.score
			orgDeltas[i] = pg.rank - g.rank
			o.DeltaRank = &orgDeltas[i]
		}
	}

	for _, m := range cur.members {
		if f := bl.con[m.who].first; f >= p.Start && f <= cur.last {
			r.NewContributors++
		}
	}
	for m := p.Start; m <= cur.last; m++ {
		r.NewMembers += bl.joins[m]
	}

	bl.returning(r, p, cur, sc)
	bl.quiet(r, p, cur, sc)
	r.Onion = onion(cur)
	bl.champions(r, cur, sc)
	r.Projects = resize(old.Projects, len(cur.projects))
	for i, g := range cur.projects {
		r.Projects[i] = Project{Project: g.id, Score: g.score, Credits: g.credits, People: g.people}
	}
	if r.Complete {
		if note := bl.lowActivityNote(p, cur.credits); note != "" {
			r.Notes = append(r.Notes, note)
		}
		r.Alerts = bl.alerts(cur, prev)
	}
	if r.note != "" {
		r.Notes = append(r.Notes, r.note)
	}
	r.Health = bl.health(p, cur, old.Health.Projects)
	return r
}

// previous maps each member of a period to its index in the previous
// period's members, or -1: both are sorted by contributor, so one pass
// matches them.
func previous(cur, prev *stats) []int32 {
	out := make([]int32, len(cur.members))
	j := 0
	for i, m := range cur.members {
		for j < len(prev.members) && prev.members[j].who < m.who {
			j++
		}
		out[i] = -1
		if j < len(prev.members) && prev.members[j].who == m.who {
			out[i] = int32(j)
		}
	}
	return out
}

func (bl *builder) orgName(id string) string {
	if o := bl.b.Index.Orgs[id]; o != nil && o.Name != "" {
		return o.Name
	}
	return id
}

func (bl *builder) named(who int32) Named {
	c := &bl.con[who]
	return Named{ID: c.id, Name: c.name, profile: c.profile}
}

// returning lists the listed contributors of the period who had credits
// before it but none in the returningGap months just before it, in rank
// order.
func (bl *builder) returning(r *Report, p score.Period, cur *stats, sc *scratch) {
	sc.reset()
	for m := p.Start - returningGap; m < p.Start; m++ {
		for _, mm := range bl.month(m).members {
			sc.add(mm.who, 0, 1)
		}
	}
	for _, mi := range cur.listed {
		who := cur.members[mi].who
		if bl.con[who].first < p.Start-returningGap && !sc.has(who) {
			r.Returning = append(r.Returning, bl.named(who))
		}
	}
}

// quiet lists the contributors, other than hidden people, with credits in
// at least quietActive of the quietWindow months before the period and
// none in it: the most regular first, then by id.
func (bl *builder) quiet(r *Report, p score.Period, cur *stats, sc *scratch) {
	sc.reset()
	for m := p.Start - quietWindow; m < p.Start; m++ {
		for _, mm := range bl.month(m).members {
			sc.add(mm.who, 0, 1) // credits counts months here
		}
	}
	var found []int32
	for _, who := range sc.touched {
		if sc.credits[who] >= quietActive && !bl.con[who].hidden && cur.member(who) == nil {
			found = append(found, who)
		}
	}
	slices.SortFunc(found, func(a, c int32) int {
		return cmp.Or(cmp.Compare(sc.credits[c], sc.credits[a]), cmp.Compare(bl.con[a].order, bl.con[c].order))
	})
	for _, who := range found {
		r.Quiet = append(r.Quiet, bl.named(who))
	}
}

// onion counts the period's contributors by the CHAOSS onion.
func onion(cur *stats) Onion {
	scores := make([]int32, len(cur.members))
	for i, m := range cur.members {
		scores[i] = m.score
	}
	var o Onion
	o.Core, o.Regular, o.Casual = health.Layers(scores)
	return o
}

// champions finds, for each kind with credits in the period, the listed
// person with the highest score in it, then credits, then id, when that
// score is above 0.
func (bl *builder) champions(r *Report, cur *stats, sc *scratch) {
	var kinds []int32
	for _, d := range cur.months {
		for i, e := range d.kinds {
			if i == 0 || e.kind != d.kinds[i-1].kind {
				kinds = append(kinds, e.kind)
			}
		}
	}
	slices.Sort(kinds)
	kinds = slices.Compact(kinds)
	for _, k := range kinds {
		sc.reset()
		for _, d := range cur.months {
			lo, _ := slices.BinarySearchFunc(d.kinds, k, func(e kindEntry, k int32) int { return cmp.Compare(e.kind, k) })
			for _, e := range d.kinds[lo:] {
				if e.kind != k {
					break
				}
				sc.add(e.who, e.score, e.credits)
			}
		}
		best := int32(-1)
		for _, who := range sc.touched {
			if bl.con[who].hidden {
				continue
			}
			if best < 0 || cmp.Or(cmp.Compare(sc.score[who], sc.score[best]), cmp.Compare(sc.credits[who], sc.credits[best]),
				cmp.Compare(bl.con[best].order, bl.con[who].order)) > 0 {
				best = who
			}
		}
		if best >= 0 && sc.score[best] > 0 { // a kind that scores nothing has no champion
			c := &bl.con[best]
			r.Champions = append(r.Champions, Champion{Kind: bl.kindName(k), ID: c.id, Name: c.name,
				Score: int(sc.score[best]), Credits: int(sc.credits[best]), profile: c.profile})
		}
	}
	slices.SortFunc(r.Champions, func(a, b Champion) int { return strings.Compare(a.Kind, b.Kind) })
}

// lowActivityNote compares the period's credits with the average of the
// previous lowPeriods periods of its span (those since credits began) and
// says so when they are lowActivity percent or more below it.
func (bl *builder) lowActivityNote(p score.Period, credits int) string {
	if len(bl.b.Months) == 0 {
		return ""
	}
	firstMonth := bl.b.Months[0]
	var before []score.Period
	sum := 0
	for q := p.Previous(); len(before) < lowPeriods && q.Start >= firstMonth; q = q.Previous() {
		before = append(before, q)
		for m := q.Start; m <= q.End(); m++ {
			sum += bl.month(m).credits
		}
	}
	n := len(before)
	// credits <= (1 - lowActivity%) * sum/n, in integers.
	if n == 0 || sum == 0 || credits*n*100 > sum*(100-lowActivity) {
		return ""
	}
	pct := (200*(sum-n*credits) + sum) / (2 * sum) // rounded
	avg := (2*sum + n) / (2 * n)
	oldest, newest := before[n-1], before[0]
	over := "the previous " + spanWord(p.Span, n) + " (" + words.Period(newest) + ")"
	switch {
	case n == 1:
	case p.Span == score.Monthly:
		over = "the previous " + spanWord(p.Span, n) + " (" + words.Months(oldest.Start, newest.Start) + ")"
	default:
		over = "the previous " + spanWord(p.Span, n) + " (" + words.Period(oldest) + " to " + words.Period(newest) + ")"
	}
	return fmt.Sprintf("Activity was low: %s, %d%% fewer than the average of %s over %s. Rankings of a quiet period say less than usual.",
		words.Plural(credits, "credit"), pct, words.Thousands(avg), over)
}

// spanWord names n periods of a span: "month", "three quarters".
func spanWord(s score.Span, n int) string {
	unit := [...]string{"month", "quarter", "year"}[s]
	switch n {
	case 1:
		return unit
	case 2:
		return "two " + unit + "s"
	}
	return "three " + unit + "s"
}

// alerts lists the organisations whose score fell by the decline_alert
// fraction or more: the largest fall first, then by id.
func (bl *builder) alerts(cur, prev *stats) []Alert {
	out := []Alert{}
	for _, pg := range prev.orgs {
		now := 0
		if j, ok := cur.orgAt[pg.id]; ok {
			now = cur.orgs[j].score
		}
		if bl.decline.Declined(pg.score, now) {
			out = append(out, Alert{ID: pg.id, Name: bl.orgName(pg.id), Previous: pg.score, Score: now})
		}
	}
	slices.SortFunc(out, func(a, c Alert) int {
		return cmp.Or(cmp.Compare(c.Previous-c.Score, a.Previous-a.Score), strings.Compare(a.ID, c.ID))
	})
	return out
}

// resize returns a slice of n elements, reusing s's memory when it is
// large enough. The elements are not cleared: callers set every one.
func resize[T any](s []T, n int) []T {
	if s != nil && cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
