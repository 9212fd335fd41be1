package site

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/words"
)

// partnerPage is one partner's page.
type partnerPage struct {
	page
	P         *Partner
	Name      string
	Logo      string
	Tier      string
	TierClass string
	Meta      []string
	Standing  string
	// StandingChip names a standing that is not good, as the cards do.
	StandingChip string
	Website      string
	Country      string
	Contact      contactView
	LeadURL      string
	Facts        []fact
	Services     []string
	Cases        []link
	OwnProgram   string
	Roadmap      []roadmapRow
	// RoadmapLeft says how many roadmap features the partner may still
	// submit this year; "" when the program takes none.
	RoadmapLeft string
	Quarter     template.HTML
	Year        template.HTML
	Totals      string
	Month       string
	Active      []Person
	Badge       string
	BadgeAlt    string
	BadgeCode   string
	// Relative is set when the badge code's addresses are relative to
	// the site, for want of a base address.
	Relative bool
}

type contactView struct{ Name, URL, Email string }

type roadmapRow struct {
	Title, URL, Submitted, Status, Funding string
}

type link struct{ Title, URL string }

func (s *site) partnerPage(p *Partner) partnerPage {
	o := p.Org
	path := PartnerPath(p.ID)
	v := partnerPage{
		page: s.page(path, o.Name+" · "+s.program+" partners", firstSentence(o.Summary), "directory"),
		P:    p, Name: o.Name, Logo: "../" + LogoPath(p.ID, p.Logo), Tier: tierWords(p.Tier), TierClass: token(p.Tier),
		Website: webURL(o.Website), LeadURL: webURL(o.LeadURL), OwnProgram: webURL(o.PartnerProgram),
		Month: words.Month(s.in.AsOf), Active: p.Active,
	}
	v.Meta = append(v.Meta, words.Ordinal(p.Rank)+" of "+words.Plural(len(s.in.Partners), "partner")+" in "+words.Month(s.in.AsOf))
	if p.Since != 0 {
		v.Meta = append(v.Meta, "Partner since "+words.Date(p.Since))
	}
	if name, ok := iso.Country(o.Country); ok {
		v.Country = name
		v.Meta = append(v.Meta, "Head office in "+name)
	}
	v.StandingChip = standingWords[p.Standing]
	switch p.Standing {
	case Warning:
		v.Standing = "It is catching up with the program's requirements, within the months of grace the rules allow."
	case Lapsed:
		v.Standing = "It has been below the program's requirements for a while; one month at them restores its good standing."
	}
	v.Contact = contactView{Name: o.Contact.Name, URL: webURL(o.Contact.URL), Email: o.Contact.Email}
	if v.Contact.Name == "" {
		v.Contact.Name = o.Name
	}
	for _, dim := range dimensions {
		if dim.Name == "service" { // services have a section of their own
			continue
		}
		f := fact{Label: dim.Label + "s"}
		for _, x := range dim.values(o) {
			f.Values = append(f.Values, dim.words(x))
		}
		if len(f.Values) > 0 {
			v.Facts = append(v.Facts, f)
		}
	}
	for _, x := range o.Services {
		v.Services = append(v.Services, capitalise(x))
	}
	for _, c := range o.CaseStudies {
		v.Cases = append(v.Cases, link{c.Title, webURL(c.URL)})
	}

	for _, r := range p.Roadmap {
		row := roadmapRow{Title: r.Title, URL: webURL(r.URL), Submitted: words.Date(r.Submitted), Status: capitalise(report.RoadmapStatus(r))}
		if f := r.Funding; f != nil {
			row.Funding = formatMoney(f.Amount) + " " + f.Currency
		}
		v.Roadmap = append(v.Roadmap, row)
	}
	switch quota, year := s.prog().Partners.RoadmapPerYear, s.in.AsOf.Year(); {
	case quota == 0:
	case p.RoadmapLeft == 0:
		v.RoadmapLeft = fmt.Sprintf("%s has submitted the %s a partner may submit in %d.", o.Name, words.Plural(quota, "roadmap feature"), year)
	default:
		v.RoadmapLeft = fmt.Sprintf("%s may submit %d more in %d, of the %s a partner may submit each year.",
			o.Name, p.RoadmapLeft, year, words.Plural(quota, "roadmap feature"))
	}

	year := make([]ledger.Month, 12)
	for i := range year {
		year[i] = s.in.AsOf - ledger.Month(11-i)
	}
	quarter := year[9:]
	v.Quarter = barChart("quarter", o.Name+": monthly score over the last quarter", quarter, p.Scores)
	v.Year = barChart("year", o.Name+": monthly score over the last 12 months", year, p.Scores)
	sum := func(ms []ledger.Month) int {
		t := 0
		for _, m := range ms {
			t += p.Scores[m]
		}
		return t
	}
	v.Totals = fmt.Sprintf("%s scored %s in %s, %s from %s to %s, and %s over the last 12 months.",
		o.Name, words.Plural(p.Scores[s.in.AsOf], "point"), words.Month(s.in.AsOf), words.Plural(sum(quarter), "point"),
		words.Month(quarter[0]), words.Month(quarter[2]), words.Plural(sum(year), "point"))

	v.Badge = "../badges/" + p.ID + ".svg"
	v.BadgeAlt = "Partner of " + s.program
	if p.Tier != "" {
		v.BadgeAlt += ", " + tierWords(p.Tier) + " tier"
	}
	v.Relative = s.base == ""
	v.BadgeCode = fmt.Sprintf(`<a href="%s"><img src="%s" alt="%s"></a>`,
		template.HTMLEscapeString(s.address(path)), template.HTMLEscapeString(s.address("badges/"+p.ID+".svg")),
		template.HTMLEscapeString(v.BadgeAlt))
	return v
}

// firstSentence is a summary's first sentence, for a page's description.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
