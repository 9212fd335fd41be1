package site

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/words"
)

// shoutOutPage shows the month's report.
type shoutOutPage struct {
	page
	R      *report.Report
	Month  string
	Totals string
	People []personRow
	Active []personRow
	Orgs   []orgRow
	// Returning and Quiet name up to listedNames people each; the More
	// fields count the others.
	Returning, Quiet         []Person
	ReturningMore, QuietMore string
	Champions                []championRow
	Welcome                  string
	Notes                    [][]string
	// Months links to the shout-out of every month, the latest first, on
	// the latest's page; a month's own page links to the months Before
	// and After it instead.
	Months        []monthLink
	Before, After *monthLink
}

type monthLink struct {
	Label, Href string
	Current     bool
}

type personRow struct {
	Rank    int
	Who     Person
	Score   int
	Credits int
	Move    string
	MoveSR  string
}

type orgRow struct {
	Rank                   int
	Name, Href             string
	Partner                bool
	Score, Credits, People int
	Move, MoveSR           string
}

type championRow struct {
	Kind    string
	Who     Person
	Score   int
	Credits int
}

// ShoutOutPath is where the shout-out of a month is in the site.
func ShoutOutPath(period string) string { return "shout-outs/" + period + ".html" }

// PartnerPath is where a partner's page is in the site.
func PartnerPath(id string) string { return "partners/" + id + ".html" }

// shoutOut shows a month's report at path: shout-out.html for the
// latest, which lists every month, or the month's own page under
// shout-outs/, which leads to the months before and after. r is nil when
// the month has none.
func (s *site) shoutOut(r *report.Report, month ledger.Month, path string) shoutOutPage {
	v := shoutOutPage{R: r, Month: words.Month(month)}
	v.page = s.page(path, "Shout-outs for "+v.Month+" · "+s.program,
		"Who contributed most to "+s.program+" in "+v.Month+".", "shout-out")
	link := func(r *report.Report) monthLink {
		m, _ := ledger.ParseMonth(r.Period)
		return monthLink{Label: words.Month(m), Href: v.Root + ShoutOutPath(r.Period), Current: m == month}
	}
	if path == "shout-out.html" {
		for i := len(s.in.ShoutOuts) - 1; i >= 0; i-- {
			v.Months = append(v.Months, link(s.in.ShoutOuts[i]))
		}
	} else if i := slices.IndexFunc(s.in.ShoutOuts, func(x *report.Report) bool { return x.Period == month.String() }); i >= 0 {
		if i > 0 {
			v.Before = ptr(link(s.in.ShoutOuts[i-1]))
		}
		if i+1 < len(s.in.ShoutOuts) {
			v.After = ptr(link(s.in.ShoutOuts[i+1]))
		}
	}
	if r == nil {
		return v
	}
	top := shownRows(s.in.Program)
	v.Totals = fmt.Sprintf("%s contributed %s, scoring %s.", words.Plural(r.Totals.Contributors, "person"),
		words.Plural(r.Totals.Credits, "credit"), words.Plural(r.Totals.Score, "point"))
	for _, p := range r.People[:min(top, len(r.People))] {
		move, sr := movement(p.DeltaRank, p.New)
		v.People = append(v.People, personRow{Rank: p.Rank, Who: s.person(p.ID, p.Name), Score: p.Score, Credits: p.Credits, Move: move, MoveSR: sr})
	}
	for _, a := range r.Active[:min(top, len(r.Active))] {
		v.Active = append(v.Active, personRow{Rank: a.Rank, Who: s.person(a.ID, a.Name()), Credits: a.Credits})
	}
	listed := map[string]bool{}
	for _, p := range s.in.Partners {
		listed[p.ID] = true
	}
	for _, o := range r.Organizations[:min(top, len(r.Organizations))] {
		if o.Score <= 0 { // ranked by score: only weight-0 credits from here on
			break
		}
		move, sr := movement(o.DeltaRank, false)
		row := orgRow{Rank: o.Rank, Name: o.Name, Partner: o.Partner, Score: o.Score, Credits: o.Credits, People: o.People, Move: move, MoveSR: sr}
		if listed[o.ID] {
			row.Href = v.Root + PartnerPath(o.ID)
		}
		v.Orgs = append(v.Orgs, row)
	}
	v.Returning, v.ReturningMore = s.people(r.Returning)
	v.Quiet, v.QuietMore = s.people(r.Quiet)
	for _, c := range r.Champions {
		v.Champions = append(v.Champions, championRow{Kind: capitalise(words.Kind(c.Kind)), Who: s.person(c.ID, c.Name), Score: c.Score, Credits: c.Credits})
	}
	v.Welcome = fmt.Sprintf("%s made their first contribution, and %s joined.",
		words.Plural(r.NewContributors, "new contributor"), words.Plural(r.NewMembers, "new member"))
	for _, n := range r.Notes {
		v.Notes = append(v.Notes, paragraphs(n))
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// listedNames is how many people a list of the shout-out names, as the
// reports do: a foundation's month welcomes back hundreds.
const listedNames = 40

// people names the first listedNames of a list, and says how many more
// there are ("and 12 others"), or "".
func (s *site) people(list []report.Named) ([]Person, string) {
	var out []Person
	for _, n := range list[:min(listedNames, len(list))] {
		out = append(out, s.person(n.ID, n.Name))
	}
	if more := len(list) - len(out); more > 0 {
		return out, "and " + words.Plural(more, "other")
	}
	return out, ""
}

// person is a shout-out's person, as the reports show them, linked to
// their public profile.
func (s *site) person(id *string, name string) Person {
	if id == nil {
		return Person{Name: report.AnonymousName}
	}
	return Person{Name: report.Label(id, name), Profile: webURL(s.in.Profiles[*id])}
}

// movement is a rank change as an arrow and as words for screen readers.
func movement(delta *int, isNew bool) (arrow, spoken string) {
	switch {
	case isNew:
		return "new", "first contribution"
	case delta == nil:
		return "", "not ranked before"
	case *delta > 0:
		return "▲" + strconv.Itoa(*delta), "up " + strconv.Itoa(*delta)
	case *delta < 0:
		return "▼" + strconv.Itoa(-*delta), "down " + strconv.Itoa(-*delta)
	}
	return "–", "same place"
}

// paragraphs splits a note's Markdown into paragraphs of plain text, at
// blank lines and headings: the site shows notes as text, so nothing
// written in them becomes markup.
func paragraphs(s string) []string {
	var out []string
	var cur []string
	flush := func() {
		if p := strings.Join(strings.Fields(strings.Join(cur, " ")), " "); p != "" {
			out = append(out, p)
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"): // a heading stands alone
			flush()
			cur = append(cur, strings.TrimLeft(t, "# "))
			flush()
		default:
			cur = append(cur, t)
		}
	}
	flush()
	return out
}
