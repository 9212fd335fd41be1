package health

import (
	"cmp"
	"slices"
	"time"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Instant is a moment as a fact or a credit's date records it: to the
// second (an RFC 3339 time), or only the day (a date).
type Instant struct {
	Unix int64
	// Day is the date in the program's time zone.
	Day   ledger.Date
	Exact bool
}

// ParseInstant reads a fact's value: an RFC 3339 time or a YYYY-MM-DD
// date. A time's day is its date in loc, the program's time zone.
func ParseInstant(s string, loc *time.Location) (Instant, bool) {
	if len(s) == len("2006-01-02") {
		d, err := ledger.ParseDate(s)
		return Instant{Day: d}, err == nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return Instant{}, false
	}
	return Instant{Unix: t.Unix(), Day: ledger.DateOf(t, loc), Exact: true}, true
}

// Seconds is how long it was from one instant to another: exactly when
// both are times, else the whole days between their dates, since a date
// says nothing of the hour.
func Seconds(from, to Instant) int64 {
	if from.Exact && to.Exact {
		return to.Unix - from.Unix
	}
	return (to.Day.Time().Unix() - from.Day.Time().Unix()) / 86400 * 86400
}

// fact is the value of a credit's fact, "" when it has none. Facts are
// few and sorted by key.
func fact(c *ledger.Credit, key string) string {
	for _, f := range c.Facts {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// New measures a scored ledger: every pull request, issue and answer
// whose credit records when it was opened (FactOpened), and every
// release. Bots' credits are left out, as everywhere: neither their pull
// requests nor their reviews count. An issue credited to several
// assignees, or an answer credited twice, is measured once (by its url).
func New(b *score.Book) *Health {
	loc, err := b.Ledger.Program.Location()
	if err != nil {
		loc = time.UTC // a finding of its own; validation reports it
	}
	h := &Health{book: b, loc: loc, project: map[string]int32{}}
	credits := b.Ledger.Credits
	for i := range credits {
		if p := credits[i].Project; p != "" {
			if _, ok := h.project[p]; !ok {
				h.project[p] = 0
				h.projects = append(h.projects, p)
			}
		}
	}
	slices.Sort(h.projects)
	for i, p := range h.projects {
		h.project[p] = int32(i)
	}

	// The earliest review of each pull request.
	firstReview := map[string]ledger.Date{}
	for i := range credits {
		c := &credits[i]
		if c.Kind != KindReview || b.Credits[i].Bot {
			continue
		}
		if pr, ok := reviewOf(c.ID); ok {
			if d, seen := firstReview[pr]; !seen || c.Date < d {
				firstReview[pr] = c.Date
			}
		}
	}

	seen := map[string]bool{}
	for i := range credits {
		c, s := &credits[i], &b.Credits[i]
		if s.Bot {
			continue
		}
		project := int32(-1)
		if c.Project != "" {
			project = h.project[c.Project]
		}
		if c.Kind == KindRelease {
			h.releases = append(h.releases, release{c.Date, project})
			continue
		}
		m, ok := measured[c.Kind]
		if !ok {
			continue
		}
		opened, ok := ParseInstant(fact(c, FactOpened), loc)
		if !ok {
			continue
		}
		if m != Merge {
			key := cmp.Or(c.URL, c.ID)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		end := Instant{Day: c.Date}
		if v := fact(c, [metrics]string{Merge: FactMerged, Close: FactClosed, Answer: FactAnswered}[m]); v != "" {
			if t, ok := ParseInstant(v, loc); ok {
				end = t
			}
		}
		h.add(m, opened, end, project, s.Org)
		if m != Merge {
			continue
		}
		if t, ok := ParseInstant(fact(c, FactFirstReview), loc); ok {
			h.add(FirstReview, opened, t, project, s.Org)
		} else if d, ok := firstReview[c.ID]; ok {
			h.add(FirstReview, opened, Instant{Day: d}, project, s.Org)
		}
	}
	for m := range h.events {
		slices.SortStableFunc(h.events[m], func(a, b event) int { return cmp.Compare(a.end, b.end) })
	}
	slices.SortStableFunc(h.releases, func(a, b release) int { return cmp.Compare(a.date, b.date) })
	return h
}

// add records a measurement. One that ends before it starts contradicts
// its own record (validation reports such facts) and is left out.
func (h *Health) add(m Metric, from, to Instant, project int32, org string) {
	if s := Seconds(from, to); s >= 0 {
		h.events[m] = append(h.events[m], event{end: to.Day, project: project, org: org, seconds: s})
	}
}

// Projects lists the projects the credits name, sorted.
func (h *Health) Projects() []string { return h.projects }

// between returns a metric's measurements that ended in the months from
// to to, in order.
func (h *Health) between(m Metric, from, to ledger.Month) []event {
	evs := h.events[m]
	lo, _ := slices.BinarySearchFunc(evs, from.First(), func(e event, d ledger.Date) int { return cmp.Compare(e.end, d) })
	hi, _ := slices.BinarySearchFunc(evs, (to + 1).First(), func(e event, d ledger.Date) int { return cmp.Compare(e.end, d) })
	return evs[lo:hi]
}

// releasesBetween returns the releases in the months from to to.
func (h *Health) releasesBetween(from, to ledger.Month) []release {
	lo, _ := slices.BinarySearchFunc(h.releases, from.First(), func(r release, d ledger.Date) int { return cmp.Compare(r.date, d) })
	hi, _ := slices.BinarySearchFunc(h.releases, (to + 1).First(), func(r release, d ledger.Date) int { return cmp.Compare(r.date, d) })
	return h.releases[lo:hi]
}

// Times summarises each metric over the measurements that ended in the
// months from to to and that keep accepts (nil: all).
func (h *Health) Times(from, to ledger.Month, keep func(project int32, org string) bool) Times {
	var out Times
	var buf []int64
	for m := range out {
		buf = buf[:0]
		for _, e := range h.between(Metric(m), from, to) {
			if keep == nil || keep(e.project, e.org) {
				buf = append(buf, e.seconds)
			}
		}
		out[m] = Summarise(buf)
	}
	return out
}

// byProject summarises each metric per project over the measurements
// that ended in the months from to to, and counts each project's
// releases, for the projects that have either.
func (h *Health) byProject(from, to ledger.Month) map[int32]*projectTimes {
	out := map[int32]*projectTimes{}
	get := func(p int32) *projectTimes {
		pt := out[p]
		if pt == nil {
			pt = &projectTimes{}
			out[p] = pt
		}
		return pt
	}
	type pair struct {
		project int32
		seconds int64
	}
	var pairs []pair
	var buf []int64
	for m := range metrics {
		pairs = pairs[:0]
		for _, e := range h.between(m, from, to) {
			if e.project >= 0 {
				pairs = append(pairs, pair{e.project, e.seconds})
			}
		}
		slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.project, b.project) })
		for i := 0; i < len(pairs); {
			j := i
			buf = buf[:0]
			for ; j < len(pairs) && pairs[j].project == pairs[i].project; j++ {
				buf = append(buf, pairs[j].seconds)
			}
			get(pairs[i].project).times[m] = Summarise(buf)
			i = j
		}
	}
	for _, r := range h.releasesBetween(from, to) {
		if r.project >= 0 {
			get(r.project).releases++
		}
	}
	return out
}

type projectTimes struct {
	times    Times
	releases int
}
