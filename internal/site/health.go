package site

import (
	"html/template"
	"slices"

	"github.com/tallyledger/tally/internal/health"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/words"
)

// HealthInput is what the community health pages show.
type HealthInput struct {
	Overview *health.Overview
	// Orgs are the organisations with credits in the trends' months, by
	// id.
	Orgs []OrgHealth
}

// OrgHealth is one organisation's own contributions.
type OrgHealth struct {
	Org  *ledger.Organization
	View *health.OrgView
	// People are its contributors as the site may show them, in rank
	// order; Unlisted counts the hidden ones.
	People   []OrgPerson
	Unlisted int
}

// OrgPerson is one person's work for an organisation.
type OrgPerson struct {
	Person
	Score, Credits int
	Projects       []string
}

// healthFromLedger measures the community as of a month.
func healthFromLedger(b *score.Book, asOf ledger.Month) *HealthInput {
	h := health.New(b)
	in := &HealthInput{Overview: h.Overview(asOf)}
	ids := make([]string, 0, len(b.Index.Orgs))
	for id := range b.Index.Orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, v := range h.Organizations(asOf, ids) {
		if v.Recent.Credits+v.YearBefore.Credits == 0 || !validID.MatchString(v.Org) {
			continue
		}
		oh := OrgHealth{Org: b.Index.Orgs[v.Org], View: v}
		for _, p := range v.People {
			_, name, profile, ok := report.Shown(b, p.Contributor)
			if !ok {
				oh.Unlisted++
				continue
			}
			oh.People = append(oh.People, OrgPerson{Person{name, profile}, p.Score, p.Credits, p.Projects})
		}
		in.Orgs = append(in.Orgs, oh)
	}
	return in
}

// The rows of the health pages' tables.

type figureRow struct {
	Name                string
	Now, Before, Change string
}

type timeRow struct {
	Name, CHAOSS, URL   string
	Count               int
	Median, P90, Before string
}

type kindChangeRow struct {
	Kind                string
	Now, Before, Change string
}

type legendEntry struct{ Name, Colour string }

type healthPage struct {
	page
	Month, Recent, YearBefore string
	Empty                     bool
	Figures                   []figureRow
	Times                     []timeRow
	Onion, Arrivals, Merge    template.HTML
	OnionLegend, ArrLegend    []legendEntry
	Kinds                     []kindChangeRow
}

func (s *site) healthPage() healthPage {
	v := healthPage{Month: words.Month(s.in.AsOf)}
	v.page = s.page("health.html", "Community health · "+s.program,
		"How "+s.program+"'s community is doing: contributors, how long work waits, releases, as CHAOSS measures them.", "health")
	if s.in.Health == nil || s.in.Health.Overview == nil {
		v.Empty = true
		return v
	}
	o := s.in.Health.Overview
	r, y := o.Recent, o.YearBefore
	v.Recent, v.YearBefore = words.Months(r.From, r.To), words.Months(y.From, y.To)
	row := func(name string, now, before int) figureRow {
		return figureRow{name, words.Thousands(now), words.Thousands(before), words.Change(now, before)}
	}
	v.Figures = []figureRow{
		row("Contributors", r.Contributors, y.Contributors),
		row("New contributors", r.New, y.New),
		row("Credits", r.Credits, y.Credits),
		row("Releases", r.Releases, y.Releases),
	}
	for m, d := range r.Times {
		info := health.Metrics[m]
		v.Times = append(v.Times, timeRow{Name: info.Name, CHAOSS: info.CHAOSS, URL: info.CHAOSSURL, Count: d.Count,
			Median: durationWords(d, false), P90: durationWords(d, true), Before: durationWords(y.Times[m], false)})
	}
	months := make([]ledger.Month, len(o.Months))
	var core, regular, casual, arrived, returned []int
	for i, m := range o.Months {
		months[i] = m.Month
		core, regular, casual = append(core, m.Core), append(regular, m.Regular), append(casual, m.Casual)
		arrived, returned = append(arrived, m.New), append(returned, m.Returning)
	}
	onion := []series{{"core", colourBlue, core}, {"regular", colourOrange, regular}, {"casual", colourGreen, casual}}
	v.Onion = stackedChart("onion", "Contributors by onion layer, month by month", "contributors", months, onion)
	arrivals := []series{{"new", colourBlue, arrived}, {"returning", colourOrange, returned}}
	v.Arrivals = stackedChart("arrivals", "New and returning contributors, month by month", "contributors", months, arrivals)
	for _, s := range onion {
		v.OnionLegend = append(v.OnionLegend, legendEntry{s.Name, s.Colour})
	}
	for _, s := range arrivals {
		v.ArrLegend = append(v.ArrLegend, legendEntry{s.Name, s.Colour})
	}
	var labels []string
	var counts []int
	for _, k := range o.MergeTimes {
		labels, counts = append(labels, k.Label), append(counts, k.Count)
	}
	v.Merge = categoryChart("merge", "Time to merge, "+v.Recent, "pull requests", labels, counts)
	before := map[string]int{}
	for _, k := range y.Kinds {
		before[k.Kind] = k.Credits
	}
	seen := map[string]bool{}
	for _, k := range r.Kinds {
		seen[k.Kind] = true
		v.Kinds = append(v.Kinds, kindChangeRow{words.Kind(k.Kind), words.Thousands(k.Credits), words.Thousands(before[k.Kind]), words.Change(k.Credits, before[k.Kind])})
	}
	for _, k := range y.Kinds {
		if !seen[k.Kind] {
			v.Kinds = append(v.Kinds, kindChangeRow{words.Kind(k.Kind), "0", words.Thousands(k.Credits), words.Change(0, k.Credits)})
		}
	}
	return v
}

// durationWords is a summary's median (or 90th percentile), or "–".
func durationWords(d health.Durations, p90 bool) string {
	switch {
	case d.Count == 0:
		return "–"
	case p90:
		return words.Duration(d.P90)
	}
	return words.Duration(d.Median)
}

type projectRow struct {
	Project                           string
	Contributors, Credits             figureRow
	FirstReview, Merge, Close, Answer string
	Releases, Between, Last           string
	Quarters                          []int
}

type projectsPage struct {
	page
	Month, Recent string
	Quarters      []string
	Projects      []projectRow
}

func (s *site) projectsPage() projectsPage {
	v := projectsPage{Month: words.Month(s.in.AsOf)}
	v.page = s.page("projects.html", "Projects side by side · "+s.program,
		"Every project of "+s.program+" side by side: contributors, how long work waits, how often it releases.", "health")
	if s.in.Health == nil || s.in.Health.Overview == nil {
		return v
	}
	o := s.in.Health.Overview
	v.Recent = words.Months(o.Recent.From, o.Recent.To)
	for i, p := range o.Projects {
		r, y := p.Recent, p.YearBefore
		pr := projectRow{Project: p.Project,
			Contributors: figureRow{Now: words.Thousands(r.Contributors), Change: words.Change(r.Contributors, y.Contributors)},
			Credits:      figureRow{Now: words.Thousands(r.Credits), Change: words.Change(r.Credits, y.Credits)},
			FirstReview:  medianAndP90(r.Times[health.FirstReview]), Merge: medianAndP90(r.Times[health.Merge]),
			Close: medianAndP90(r.Times[health.Close]), Answer: medianAndP90(r.Times[health.Answer]),
			Releases: words.Thousands(r.Releases), Between: durationWords(p.Cadence.Between, false), Last: "–"}
		if p.Cadence.Last != 0 {
			pr.Last = words.Date(p.Cadence.Last)
		}
		for _, q := range p.Cadence.Quarters {
			if i == 0 {
				v.Quarters = append(v.Quarters, q.Quarter.String())
			}
			pr.Quarters = append(pr.Quarters, q.Releases)
		}
		v.Projects = append(v.Projects, pr)
	}
	return v
}

// medianAndP90 is "2 days · 9 days", or "–".
func medianAndP90(d health.Durations) string {
	if d.Count == 0 {
		return "–"
	}
	return words.Duration(d.Median) + " · " + words.Duration(d.P90)
}

type orgListRow struct {
	Name, Href             string
	Credits, Score, People string
	Projects               int
	Change                 string
}

type organizationsPage struct {
	page
	Recent string
	Orgs   []orgListRow
}

func (s *site) organizationsPage() organizationsPage {
	v := organizationsPage{}
	v.page = s.page("organizations.html", "Organisations · "+s.program,
		"What each organisation contributed to "+s.program+", project by project.", "health")
	if s.in.Health == nil || s.in.Health.Overview == nil {
		return v
	}
	o := s.in.Health.Overview
	v.Recent = words.Months(o.Recent.From, o.Recent.To)
	for _, oh := range s.in.Health.Orgs {
		r := oh.View.Recent
		v.Orgs = append(v.Orgs, orgListRow{Name: orgName(oh), Href: "organizations/" + oh.View.Org + ".html",
			Credits: words.Thousands(r.Credits), Score: words.Thousands(r.Score), People: words.Thousands(r.People),
			Projects: len(oh.View.Projects), Change: words.Change(r.Credits, oh.View.YearBefore.Credits)})
	}
	return v
}

func orgName(oh OrgHealth) string {
	if oh.Org != nil && oh.Org.Name != "" {
		return oh.Org.Name
	}
	return oh.View.Org
}

type orgProjectRow struct {
	Project                       string
	Credits, Score, People, Share string
}

type orgKindRow struct{ Kind, Credits, Score string }

type organizationPage struct {
	page
	Name, Recent, Summary string
	Chart                 template.HTML
	Projects              []orgProjectRow
	Kinds                 []orgKindRow
	People                []OrgPerson
	Unlisted              int
	Merge                 string
}

func (s *site) organizationPage(oh *OrgHealth) organizationPage {
	v := oh.View
	name := orgName(*oh)
	p := organizationPage{Name: name}
	p.page = s.page("organizations/"+v.Org+".html", name+" · "+s.program,
		"What "+name+" contributed to "+s.program+", project by project.", "health")
	o := s.in.Health.Overview
	p.Recent = words.Months(o.Recent.From, o.Recent.To)
	r, y := v.Recent, v.YearBefore
	p.Summary = words.Plural(r.Credits, "credit") + " (" + words.Change(r.Credits, y.Credits) + " against the twelve months before), " +
		words.Plural(r.Score, "point") + ", from " + words.Plural(r.People, "person") + "."
	months := make([]ledger.Month, len(v.Months))
	scores := map[ledger.Month]int{}
	for i, m := range v.Months {
		months[i] = m.Month
		scores[m.Month] = m.Score
	}
	p.Chart = barChart("org-score", name+"'s score, month by month", months, scores)
	for _, pr := range v.Projects {
		share := "–"
		if pr.ProjectCredits > 0 {
			share = words.Thousands((200*pr.Credits+pr.ProjectCredits)/(2*pr.ProjectCredits)) + "%"
		}
		p.Projects = append(p.Projects, orgProjectRow{pr.Project, words.Thousands(pr.Credits), words.Thousands(pr.Score), words.Thousands(pr.People), share})
	}
	for _, k := range v.Kinds {
		p.Kinds = append(p.Kinds, orgKindRow{words.Kind(k.Kind), words.Thousands(k.Credits), words.Thousands(k.Score)})
	}
	p.People, p.Unlisted = oh.People, oh.Unlisted
	if d := v.Times[health.Merge]; d.Count > 0 {
		p.Merge = "Its " + words.Plural(d.Count, "pull request") + " merged in these months took " + words.Duration(d.Median) +
			" to merge (median; 90th percentile " + words.Duration(d.P90) + ")."
	}
	return p
}

// renderHealth renders the community health pages.
func (s *site) renderHealth(render func(path, tmpl string, data any) error) error {
	if err := render("health.html", "health", s.healthPage()); err != nil {
		return err
	}
	if err := render("projects.html", "projects", s.projectsPage()); err != nil {
		return err
	}
	if err := render("organizations.html", "organizations", s.organizationsPage()); err != nil {
		return err
	}
	if s.in.Health == nil {
		return nil
	}
	for i := range s.in.Health.Orgs {
		oh := &s.in.Health.Orgs[i]
		if err := render("organizations/"+oh.View.Org+".html", "organization", s.organizationPage(oh)); err != nil {
			return err
		}
	}
	return nil
}
