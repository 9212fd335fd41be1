// Package newsletter writes what a program posts elsewhere each month,
// from the month's shout-out and its partners: a block for newsletters
// and forums, as Markdown (Discourse, Markdown newsletter tools) and as
// HTML with inline styles only (newsletter tools that take HTML), and a
// short post for social media. They are made to be pasted as they are:
// no script, no style sheet, addresses that work wherever they land when
// the site's address is known, and no @ that could mention someone
// elsewhere.
package newsletter

import (
	"cmp"
	"slices"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/internal/site"
)

// Issue is one month's news.
type Issue struct {
	Program string
	Month   ledger.Month
	// Report is the month's shout-out.
	Report *report.Report
	// Partners are the month's partners, the featured first, each group
	// in directory order.
	Partners []Partner
	// Site is where the partners directory is published, with a trailing
	// slash; without it, addresses are relative to the newsletter's
	// folder, reports/newsletter/.
	Site string
	// Top is how many contributors and organisations are named.
	Top int
	// Profiles maps the ids of the people named to their public
	// profiles.
	Profiles map[string]string
}

// Partner is a partner as the newsletter shows it.
type Partner struct {
	ID, Name string
	// URL is its website, else its page in the directory.
	URL string
	// Logo is the address of its logo in the site; Drawn is set when that
	// is its initials drawn for want of one, which the HTML draws in text,
	// in Colour, instead.
	Logo, Initials, Colour string
	Drawn                  bool
	// New is set when the partnership began this month.
	New bool
}

// namedTop is how many people and organisations a newsletter names, and
// newcomerNames how many new contributors: a few lines, the shout-out has
// the rest.
const namedTop, newcomerNames = 3, 20

// Each makes the newsletter of every month with credits up to asOf and
// hands it to fn as soon as it is made, on all cores: fn is called
// concurrently, in no set order, so that a foundation's months need not
// all be held at once. It stops at fn's first error.
func Each(b *score.Book, asOf ledger.Month, siteURL string, fn func(*Issue) error) error {
	program := "The community"
	if p := b.Ledger.Program; p != nil {
		program = cmp.Or(p.Name, program)
	}
	partners := map[string][]Partner{}
	ev := partner.NewEvaluator(b)
	for _, m := range b.Months {
		if m <= asOf {
			partners[m.String()] = listed(b, ev.Partners(m), m, siteURL)
		}
	}
	return report.EachMonth(b, asOf, func(r *report.Report) error {
		m, err := ledger.ParseMonth(r.Period)
		if err != nil {
			return err
		}
		is := &Issue{Program: program, Month: m, Report: r, Partners: partners[r.Period], Site: siteURL, Top: namedTop, Profiles: map[string]string{}}
		newcomers, _ := is.newcomers(newcomerNames)
		for _, p := range slices.Concat(r.People[:min(is.Top, len(r.People))], newcomers) {
			if p.ID != nil {
				if u := report.ProfileURL(b.Index, *p.ID); u != "" {
					is.Profiles[*p.ID] = u
				}
			}
		}
		return fn(is)
	})
}

// listed are a month's partners as the newsletter shows them: the
// featured first, as the directory shows them, each group in its order.
func listed(b *score.Book, listings []*partner.Listing, m ledger.Month, siteURL string) []Partner {
	slices.SortStableFunc(listings, func(x, y *partner.Listing) int {
		switch {
		case x.Featured == y.Featured:
			return 0
		case x.Featured:
			return -1
		}
		return 1
	})
	at := (&Issue{Site: siteURL}).address
	out := make([]Partner, 0, len(listings))
	for _, l := range listings {
		o := l.Org
		name := cmp.Or(o.Name, o.ID)
		logo := b.Index.Logos[o.ID]
		out = append(out, Partner{ID: o.ID, Name: name, URL: cmp.Or(report.WebURL(o.Website), at(site.PartnerPath(o.ID))),
			Logo: at(site.LogoPath(o.ID, logo)), Drawn: logo == nil, Initials: site.Initials(name), Colour: site.LogoColour(o.ID),
			New: l.Since.Month() == m})
	}
	return out
}

// address is where a file of the site is, seen from where the newsletter
// is pasted: under the site's address, else relative to reports/newsletter/.
func (is *Issue) address(path string) string {
	if is.Site != "" {
		return is.Site + path
	}
	return "../site/" + path
}

// shoutOut is the address of the month's shout-out.
func (is *Issue) shoutOut() string { return is.address(site.ShoutOutPath(is.Month.String())) }

// newcomers are the month's new contributors who may be named, in rank
// order, and how many more there are.
func (is *Issue) newcomers(limit int) (names []report.Person, others int) {
	for _, p := range is.Report.People {
		if !p.New {
			continue
		}
		if p.ID == nil || len(names) == limit {
			others++
			continue
		}
		names = append(names, p)
	}
	return names, others
}

// scored are the month's top organisations that scored.
func (is *Issue) scored() []report.Organization {
	var out []report.Organization
	for _, o := range is.Report.Organizations[:min(is.Top, len(is.Report.Organizations))] {
		if o.Score > 0 {
			out = append(out, o)
		}
	}
	return out
}
