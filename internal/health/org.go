package health

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// OrgView is an organisation's own contributions across every project,
// as its open source program office reports them: what its people did,
// month by month over TrendMonths months, and over the last twelve by
// project, by kind and by person. A credit is the organisation's when it
// counts for it, as in every score: it names the organisation, or its
// contributor worked there on its date.
type OrgView struct {
	Org    string
	Months []OrgMonth
	// Recent is the last twelve months, YearBefore the twelve before.
	Recent, YearBefore OrgTotals
	// Projects are those the organisation contributed to in the last
	// twelve months, most credits first.
	Projects []OrgProject
	Kinds    []KindCount
	// People are its contributors of the last twelve months, ranked by
	// score, then credits, then id.
	People []OrgPerson
	// Times measures its pull requests, issues and answers of the last
	// twelve months (see Health.Times).
	Times Times
}

// OrgMonth is an organisation's figures in one month.
type OrgMonth struct {
	Month ledger.Month
	OrgTotals
}

// OrgTotals is an organisation's score, credits and contributors.
type OrgTotals struct {
	Score, Credits, People int
}

// OrgProject is an organisation's share of a project.
type OrgProject struct {
	Project string
	OrgTotals
	// ProjectCredits counts every credit of the project in the window,
	// whoever made them.
	ProjectCredits int
}

// OrgPerson is one contributor's work for an organisation.
type OrgPerson struct {
	// Contributor indexes the book's contributors.
	Contributor    int32
	Score, Credits int
	// Projects are those the contributor worked on, by name.
	Projects []string
}

// Organizations computes the view of each organisation listed as of a
// month, in the order given, in one pass over the credits.
func (h *Health) Organizations(asOf ledger.Month, orgs []string) []*OrgView {
	b := h.book
	views := make([]*OrgView, len(orgs))
	type acc struct {
		view     *OrgView
		months   []map[int32]bool // per month of the trends, its people
		recent   map[int32]bool
		before   map[int32]bool
		projects map[string]*orgProjectAcc
		kinds    map[string]*KindCount
		people   map[int32]*personAcc
	}
	byOrg := map[string]*acc{}
	first := asOf - TrendMonths + 1
	for i, id := range orgs {
		v := &OrgView{Org: id}
		for m := first; m <= asOf; m++ {
			v.Months = append(v.Months, OrgMonth{Month: m})
		}
		views[i] = v
		a := &acc{view: v, months: make([]map[int32]bool, TrendMonths), recent: map[int32]bool{}, before: map[int32]bool{},
			projects: map[string]*orgProjectAcc{}, kinds: map[string]*KindCount{}, people: map[int32]*personAcc{}}
		for k := range a.months {
			a.months[k] = map[int32]bool{}
		}
		byOrg[id] = a
	}
	projectCredits := map[string]int{}
	lo, hi, recentFrom := first.First(), (asOf + 1).First(), (asOf - 11).First()
	for i := range b.Credits {
		c, s := &b.Ledger.Credits[i], &b.Credits[i]
		if s.Bot || c.Date < lo || c.Date >= hi {
			continue
		}
		if c.Date >= recentFrom && c.Project != "" {
			projectCredits[c.Project]++
		}
		a := byOrg[s.Org]
		if s.Org == "" || a == nil {
			continue
		}
		k := int(c.Date.Month() - first)
		om := &a.view.Months[k]
		om.Score += int(s.Score)
		om.Credits++
		a.months[k][s.Contributor] = true
		if c.Date < recentFrom { // the trends' first twelve months
			a.view.YearBefore.Score += int(s.Score)
			a.view.YearBefore.Credits++
			a.before[s.Contributor] = true
			continue
		}
		a.view.Recent.Score += int(s.Score)
		a.view.Recent.Credits++
		a.recent[s.Contributor] = true
		addKind(a.kinds, c.Kind, 1, int(s.Score))
		p := a.people[s.Contributor]
		if p == nil {
			p = &personAcc{projects: map[string]bool{}}
			a.people[s.Contributor] = p
		}
		p.score += int(s.Score)
		p.credits++
		if c.Project != "" {
			p.projects[c.Project] = true
			pa := a.projects[c.Project]
			if pa == nil {
				pa = &orgProjectAcc{people: map[int32]bool{}}
				a.projects[c.Project] = pa
			}
			pa.score += int(s.Score)
			pa.credits++
			pa.people[s.Contributor] = true
		}
	}
	recentTimes := map[string]*[metrics][]int64{}
	for _, a := range byOrg {
		recentTimes[a.view.Org] = &[metrics][]int64{}
	}
	for m := range metrics {
		for _, e := range h.between(m, asOf-11, asOf) {
			if t := recentTimes[e.org]; t != nil && e.org != "" {
				t[m] = append(t[m], e.seconds)
			}
		}
	}
	for _, a := range byOrg {
		v := a.view
		for k := range v.Months {
			v.Months[k].People = len(a.months[k])
		}
		v.Recent.People, v.YearBefore.People = len(a.recent), len(a.before)
		for name, pa := range a.projects {
			v.Projects = append(v.Projects, OrgProject{Project: name, ProjectCredits: projectCredits[name],
				OrgTotals: OrgTotals{Score: pa.score, Credits: pa.credits, People: len(pa.people)}})
		}
		slices.SortFunc(v.Projects, func(x, y OrgProject) int {
			return cmp.Or(cmp.Compare(y.Credits, x.Credits), strings.Compare(x.Project, y.Project))
		})
		v.Kinds = sortedKinds(a.kinds)
		ranked := make([]score.Ranked, 0, len(a.people))
		for who, p := range a.people {
			ranked = append(ranked, score.Ranked{Key: b.Contributors[who].ID, Score: p.score, Credits: p.credits})
			p.who = who
		}
		byID := map[string]*personAcc{}
		for _, p := range a.people {
			byID[b.Contributors[p.who].ID] = p
		}
		for _, r := range score.Rank(ranked) {
			p := byID[r.Key]
			names := make([]string, 0, len(p.projects))
			for name := range p.projects {
				names = append(names, name)
			}
			slices.Sort(names)
			v.People = append(v.People, OrgPerson{Contributor: p.who, Score: p.score, Credits: p.credits, Projects: names})
		}
		for m, secs := range recentTimes[v.Org] {
			v.Times[m] = Summarise(secs)
		}
	}
	return views
}

type orgProjectAcc struct {
	score, credits int
	people         map[int32]bool
}

type personAcc struct {
	who            int32
	score, credits int
	projects       map[string]bool
}
