package health

import (
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// TrendMonths is how many months the trends cover, up to the month they
// are made as of: two years, so that each month of the last year has the
// same month of the year before to compare with.
const TrendMonths = 24

// ReturningGap is how many months without a credit before a month make a
// contributor who is active in it "returning", as the reports count them.
const ReturningGap = 3

// Layers counts contributors by the CHAOSS contributor onion, from their
// scores in a period (sorted here, highest first): the core is the
// shortest head making 80% of the total, the regulars the next ones up to
// 95%, the casual contributors the rest. With no score at all, everyone
// is casual. Ties cannot change the counts, so the order among equal
// scores does not matter.
func Layers(scores []int32) (core, regular, casual int) {
	slices.Sort(scores)
	slices.Reverse(scores)
	total := 0
	for _, s := range scores {
		total += int(s)
	}
	if total <= 0 {
		return 0, 0, len(scores)
	}
	sum := 0
	for _, s := range scores {
		switch {
		case sum*5 < total*4: // below 80% before this one
			core++
		case sum*20 < total*19: // below 95%
			regular++
		default:
			casual++
		}
		sum += int(s)
	}
	return core, regular, casual
}

// Overview is the community's health as of a month: the trends month by
// month, the last twelve months against the twelve before, every project
// side by side, and how long pull requests took to merge.
type Overview struct {
	AsOf ledger.Month
	// Months are the TrendMonths months up to AsOf, oldest first.
	Months []MonthFigures
	// Recent is the twelve months up to AsOf, YearBefore the twelve
	// before them.
	Recent, YearBefore Window
	// Projects lists every project of the ledger, by name.
	Projects []Project
	// MergeTimes is how long the pull requests merged in Recent took.
	MergeTimes []Bucket
}

// MonthFigures is one month of the trends.
type MonthFigures struct {
	Month ledger.Month
	// Contributors split into Core, Regular and Casual (see Layers).
	Contributors, Core, Regular, Casual int
	// New made their first contribution ever; Returning are back after
	// ReturningGap months or more without one.
	New, Returning int
	Credits, Score int
	Kinds          []KindCount
	Times          Times
}

// KindCount is the credits of one kind, and what they scored.
type KindCount struct {
	Kind           string
	Credits, Score int
}

// Window is the figures of a run of months.
type Window struct {
	From, To ledger.Month
	// Contributors counts everyone with a credit (bots aside), New those
	// whose first credit ever falls in the window.
	Contributors, New        int
	Credits, Score, Releases int
	Kinds                    []KindCount
	Times                    Times
}

// Project is one project's figures side by side with the others'.
type Project struct {
	Project            string
	Recent, YearBefore ProjectWindow
	Cadence            Cadence
}

// ProjectWindow is a project's figures over a window.
type ProjectWindow struct {
	Contributors, Credits, Score, Releases int
	Times                                  Times
}

// Cadence is how often a project releases (CHAOSS Release Frequency).
type Cadence struct {
	// Quarters counts the releases of the CadenceQuarters quarters up to
	// the one of AsOf (to date), oldest first.
	Quarters []QuarterCount
	// Between is the time between each release of the last twelve months
	// and the release before it.
	Between Durations
	// Last is the date of the latest release up to AsOf, 0 for none.
	Last ledger.Date
}

// CadenceQuarters is how many quarters a cadence counts releases of.
const CadenceQuarters = 8

// QuarterCount is the releases of a quarter.
type QuarterCount struct {
	Quarter  score.Period
	Releases int
}

// Bucket counts durations up to a bound.
type Bucket struct {
	Label string
	// UpTo is the bound in seconds, inclusive; 0 for the last bucket,
	// which has none.
	UpTo  int64
	Count int
}

const day = 86400

// mergeBuckets are the bounds of the time to merge distribution.
var mergeBuckets = []Bucket{
	{Label: "a day or less", UpTo: day},
	{Label: "1 to 3 days", UpTo: 3 * day},
	{Label: "3 to 7 days", UpTo: 7 * day},
	{Label: "1 to 4 weeks", UpTo: 28 * day},
	{Label: "over 4 weeks"},
}

// Overview computes the community's health as of a month.
func (h *Health) Overview(asOf ledger.Month) *Overview {
	o := &Overview{AsOf: asOf}
	for m := asOf - TrendMonths + 1; m <= asOf; m++ {
		o.Months = append(o.Months, h.month(m))
	}
	var recent, before []ProjectWindow
	o.Recent, recent = h.window(asOf-11, asOf)
	o.YearBefore, before = h.window(asOf-23, asOf-12)
	for i, name := range h.projects {
		p := Project{Project: name, Recent: recent[i], YearBefore: before[i]}
		p.Cadence = h.cadence(int32(i), asOf)
		o.Projects = append(o.Projects, p)
	}
	o.MergeTimes = slices.Clone(mergeBuckets)
	for _, e := range h.between(Merge, asOf-11, asOf) {
		i := slices.IndexFunc(o.MergeTimes, func(k Bucket) bool { return k.UpTo == 0 || e.seconds <= k.UpTo })
		o.MergeTimes[i].Count++
	}
	return o
}

// month computes one month of the trends.
func (h *Health) month(m ledger.Month) MonthFigures {
	b := h.book
	t := b.Tallies(score.Period{Span: score.Monthly, Start: m})
	f := MonthFigures{Month: m, Contributors: len(t.People), Credits: t.Credits, Score: t.Score, Times: h.Times(m, m, nil)}
	scores := make([]int32, 0, len(t.People))
	kinds := map[string]*KindCount{}
	for who, pt := range t.People {
		scores = append(scores, int32(pt.Score))
		c := &b.Contributors[who]
		switch first := c.First.Month(); {
		case first == m:
			f.New++
		case first < m-ReturningGap && !activeBetween(c, m-ReturningGap, m-1):
			f.Returning++
		}
		for kind, k := range pt.Kinds {
			addKind(kinds, kind, k.Credits, k.Score)
		}
	}
	f.Core, f.Regular, f.Casual = Layers(scores)
	f.Kinds = sortedKinds(kinds)
	return f
}

// activeBetween tells whether a contributor has credits in any month from
// from to to.
func activeBetween(c *score.Contributor, from, to ledger.Month) bool {
	i, _ := slices.BinarySearch(c.Active, from)
	return i < len(c.Active) && c.Active[i] <= to
}

func addKind(kinds map[string]*KindCount, kind string, credits, score int) {
	k := kinds[kind]
	if k == nil {
		k = &KindCount{Kind: kind}
		kinds[kind] = k
	}
	k.Credits += credits
	k.Score += score
}

func sortedKinds(kinds map[string]*KindCount) []KindCount {
	out := make([]KindCount, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b KindCount) int { return strings.Compare(a.Kind, b.Kind) })
	return out
}

// window computes the figures of the months from to to, in all and for
// each project (indexed as h.projects).
func (h *Health) window(from, to ledger.Month) (Window, []ProjectWindow) {
	b := h.book
	w := Window{From: from, To: to, Times: h.Times(from, to, nil), Releases: len(h.releasesBetween(from, to))}
	projects := make([]ProjectWindow, len(h.projects))
	lo, hi := from.First(), (to + 1).First()
	active := make([]bool, len(b.Contributors))
	var pairs []uint64 // project << 32 | contributor
	kinds := map[string]*KindCount{}
	for i := range b.Credits {
		c, s := &b.Ledger.Credits[i], &b.Credits[i]
		if s.Bot || c.Date < lo || c.Date >= hi {
			continue
		}
		w.Credits++
		w.Score += int(s.Score)
		addKind(kinds, c.Kind, 1, int(s.Score))
		if !active[s.Contributor] {
			active[s.Contributor] = true
			w.Contributors++
			if f := b.Contributors[s.Contributor].First; f >= lo {
				w.New++
			}
		}
		if c.Project != "" {
			p := h.project[c.Project]
			projects[p].Credits++
			projects[p].Score += int(s.Score)
			pairs = append(pairs, uint64(p)<<32|uint64(uint32(s.Contributor)))
		}
	}
	slices.Sort(pairs)
	for _, pr := range slices.Compact(pairs) {
		projects[pr>>32].Contributors++
	}
	w.Kinds = sortedKinds(kinds)
	for p, pt := range h.byProject(from, to) {
		projects[p].Times, projects[p].Releases = pt.times, pt.releases
	}
	return w, projects
}

// cadence is a project's release cadence as of a month.
func (h *Health) cadence(project int32, asOf ledger.Month) Cadence {
	var c Cadence
	last := score.PeriodOf(score.Quarterly, asOf)
	first := last
	for range CadenceQuarters - 1 {
		first = first.Previous()
	}
	for q := first; q.Start <= last.Start; q = (score.Period{Span: score.Quarterly, Start: q.End() + 1}) {
		c.Quarters = append(c.Quarters, QuarterCount{Quarter: q})
	}
	var gaps []int64
	var prev ledger.Date
	recent := (asOf - 11).First()
	for _, r := range h.releasesBetween(0, asOf) {
		if r.project != project {
			continue
		}
		if r.date >= first.Start.First() {
			c.Quarters[(int(r.date.Month())-int(first.Start))/3].Releases++
		}
		if prev != 0 && r.date >= recent {
			gaps = append(gaps, Seconds(Instant{Day: prev}, Instant{Day: r.date}))
		}
		prev, c.Last = r.date, r.date
	}
	c.Between = Summarise(gaps)
	return c
}
