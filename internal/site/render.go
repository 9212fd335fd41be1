package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tallyledger/tally/internal/iso"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets/style.css
var styleCSS []byte

//go:embed assets/filter.js
var filterJS []byte

// pages holds one template set per page, each the layout plus the page's
// own content.
var pages = func() map[string]*template.Template {
	layout := template.Must(template.ParseFS(templateFiles, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"index", "partner", "shout-out", "rules"} {
		t := template.Must(layout.Clone())
		out[name] = template.Must(t.ParseFS(templateFiles, "templates/"+name+".html"))
	}
	return out
}()

// validID is the ledger's id pattern: partner ids become file names, so
// nothing else may reach the file system.
var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Render builds every file of the site, by slash path inside it. The same
// input gives the same bytes. baseURL, when not empty, is the address the
// site is published at: partners.json and the badge snippets then give
// absolute addresses, and pages name their canonical address. Links
// between pages are always relative, so the site also works from a file
// system and under any sub-path.
func Render(in Input, baseURL string) (map[string][]byte, error) {
	base, err := normaliseBase(baseURL)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, p := range in.Partners {
		switch {
		case !validID.MatchString(p.ID):
			return nil, fmt.Errorf("partner %d: id %q is not an organisation id (lower-case letters, digits and dashes)", i+1, p.ID)
		case seen[p.ID]:
			return nil, fmt.Errorf("partner %q is listed twice", p.ID)
		case p.Org == nil:
			return nil, fmt.Errorf("partner %q has no organisation record", p.ID)
		}
		switch p.Standing {
		case Good, Warning, Lapsed:
		default:
			return nil, fmt.Errorf("partner %q: standing %q is not good, warning or lapsed", p.ID, p.Standing)
		}
		seen[p.ID] = true
	}

	s := &site{in: in, base: base, program: programName(in.Program)}
	files := map[string][]byte{
		"style.css":     styleCSS,
		"filter.js":     filterJS,
		"partners.json": s.partnersJSON(),
	}
	render := func(path, tmpl string, data any) error {
		var buf bytes.Buffer
		if err := pages[tmpl].ExecuteTemplate(&buf, "layout", data); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		files[path] = buf.Bytes()
		return nil
	}
	if err := render("index.html", "index", s.directory()); err != nil {
		return nil, err
	}
	if err := render("shout-out.html", "shout-out", s.shoutOut()); err != nil {
		return nil, err
	}
	if err := render("rules.html", "rules", s.rules()); err != nil {
		return nil, err
	}
	for i := range in.Partners {
		p := &in.Partners[i]
		if err := render("partners/"+p.ID+".html", "partner", s.partnerPage(p)); err != nil {
			return nil, err
		}
		files["badges/"+p.ID+".svg"] = badge(s.program, tierWords(p.Tier))
	}
	return files, nil
}

// normaliseBase checks a base address and gives it a trailing slash.
func normaliseBase(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q is not an http(s) address such as https://example.org/partners/", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

func programName(p *ledger.Program) string {
	if p != nil && p.Name != "" {
		return p.Name
	}
	return "The community"
}

// site renders one Input.
type site struct {
	in      Input
	base    string
	program string
}

// page is what every page's layout shows.
type page struct {
	// Root leads from the page back to the site's folder: "" or "../".
	Root        string
	Program     string
	Title       string
	Description string
	Canonical   string
	// Current names the navigation entry of the page.
	Current string
	AsOf    string
}

func (s *site) page(path, title, description, current string) page {
	p := page{Program: s.program, Title: title, Description: description, Current: current, AsOf: monthWords(s.in.AsOf)}
	if strings.Contains(path, "/") {
		p.Root = "../"
	}
	if s.base != "" {
		p.Canonical = s.base + path
	}
	return p
}

// address is where a file of the site is, for someone outside it: under
// the base address when there is one, else relative to the site.
func (s *site) address(path string) string { return s.base + path }

// webURL returns an http(s) address fit to link to, or "" so that the
// page leaves the link out: ledger text never becomes a script link.
func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// tierWords is a tier's name as shown: "Gold".
func tierWords(t string) string { return capitalise(t) }

// card is one partner in the directory.
type card struct {
	ID, Name, Href, Summary string
	Featured                bool
	Tier, TierClass         string
	Rank                    string
	Standing                string
	Facts                   []fact
	// Tokens are the values the filters compare, by filter name.
	Tokens map[string]string
}

// fact is one labelled list of a partner: its services, languages...
type fact struct {
	Label  string
	Values []string
}

func (f fact) Text() string { return strings.Join(f.Values, ", ") }

// dimension is one way to filter partners, and how to read its values.
type dimension struct {
	Name, Label, Any string
	values           func(*ledger.Organization) []string
	words            func(string) string
}

var dimensions = []dimension{
	{"offering", "Offering", "offering", func(o *ledger.Organization) []string { return o.Offerings }, offeringWords},
	{"service", "Service", "service", func(o *ledger.Organization) []string { return o.Services }, capitalise},
	{"language", "Language", "language", func(o *ledger.Organization) []string { return o.Languages }, languageWords},
	{"region", "Region", "region", func(o *ledger.Organization) []string { return o.Regions }, regionWords},
}

// filter is a dimension with the values the listed partners have.
type filter struct {
	Name, Label, Any string
	Options          []option
}

type option struct{ Value, Label string }

type directoryPage struct {
	page
	Intro    string
	Featured int
	Cards    []card
	Filters  []filter
	Count    string
}

func (s *site) directory() directoryPage {
	d := directoryPage{page: s.page("index.html", s.program+" partners",
		"The partners of "+s.program+": organisations that contribute to the project and fund it.", "directory")}
	// Featured partners come first, each group in directory order.
	var order []*Partner
	for _, featured := range []bool{true, false} {
		for i := range s.in.Partners {
			if p := &s.in.Partners[i]; p.Featured == featured {
				order = append(order, p)
			}
		}
	}
	options := make([]map[string]string, len(dimensions))
	for i := range options {
		options[i] = map[string]string{}
	}
	for _, p := range order {
		c := card{ID: p.ID, Name: p.Org.Name, Href: "partners/" + p.ID + ".html", Summary: p.Org.Summary,
			Featured: p.Featured, Tier: tierWords(p.Tier), TierClass: token(p.Tier), Standing: p.Standing,
			Rank: ordinal(p.Rank) + " in " + monthWords(s.in.AsOf), Tokens: map[string]string{}}
		if p.Featured {
			d.Featured++
		}
		for i, dim := range dimensions {
			values := dim.values(p.Org)
			var tokens []string
			f := fact{Label: dim.Label + "s"}
			for _, v := range values {
				tokens = append(tokens, token(v))
				f.Values = append(f.Values, dim.words(v))
				options[i][token(v)] = dim.words(v)
			}
			c.Tokens[dim.Name] = strings.Join(tokens, " ")
			if len(values) > 0 {
				c.Facts = append(c.Facts, f)
			}
		}
		d.Cards = append(d.Cards, c)
	}
	for i, dim := range dimensions {
		f := filter{Name: dim.Name, Label: dim.Label, Any: dim.Any}
		for v, label := range options[i] {
			f.Options = append(f.Options, option{v, label})
		}
		slices.SortFunc(f.Options, func(a, b option) int {
			return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
		})
		if len(f.Options) > 0 {
			d.Filters = append(d.Filters, f)
		}
	}
	n := len(d.Cards)
	d.Count = plural(n, "partner")
	d.Intro = "Organisations that contribute to " + s.program + " and fund it, month after month, listed by their contributions in " +
		monthWords(s.in.AsOf) + "."
	if d.Featured > 0 {
		d.Intro += " The top " + strconv.Itoa(d.Featured) + " are featured."
	}
	return d
}

type partnerPage struct {
	page
	P          *Partner
	Name       string
	Tier       string
	TierClass  string
	Meta       []string
	Standing   string
	Website    string
	Country    string
	Contact    contactView
	LeadURL    string
	Facts      []fact
	Services   []string
	Cases      []link
	OwnProgram string
	Quarter    template.HTML
	Year       template.HTML
	Totals     string
	Month      string
	Active     []Person
	Badge      string
	BadgeAlt   string
	BadgeCode  string
	// Relative is set when the badge code's addresses are relative to
	// the site, for want of a base address.
	Relative bool
}

type contactView struct{ Name, URL, Email string }

type link struct{ Title, URL string }

func (s *site) partnerPage(p *Partner) partnerPage {
	o := p.Org
	path := "partners/" + p.ID + ".html"
	v := partnerPage{
		page: s.page(path, o.Name+" · "+s.program+" partners", firstSentence(o.Summary), "directory"),
		P:    p, Name: o.Name, Tier: tierWords(p.Tier), TierClass: token(p.Tier),
		Website: webURL(o.Website), LeadURL: webURL(o.LeadURL), OwnProgram: webURL(o.PartnerProgram),
		Month: monthWords(s.in.AsOf), Active: p.Active,
	}
	v.Meta = append(v.Meta, ordinal(p.Rank)+" of "+plural(len(s.in.Partners), "partner")+" in "+monthWords(s.in.AsOf))
	if p.Since != 0 {
		v.Meta = append(v.Meta, "Partner since "+dateWords(p.Since))
	}
	if name, ok := iso.Country(o.Country); ok {
		v.Country = name
		v.Meta = append(v.Meta, "Head office in "+name)
	}
	switch p.Standing {
	case Warning:
		v.Standing = "Its contributions have recently fallen below the program's requirements; it is within the months of grace the rules allow."
	case Lapsed:
		v.Standing = "Its contributions have been below the program's requirements for too long: it needs to recover to stay listed."
	}
	v.Contact = contactView{Name: o.Contact.Name, URL: webURL(o.Contact.URL), Email: o.Contact.Email}
	if v.Contact.Name == "" {
		v.Contact.Name = o.Name
	}
	for i, dim := range dimensions {
		if i == 1 { // services have a section of their own
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
		o.Name, plural(p.Scores[s.in.AsOf], "point"), monthWords(s.in.AsOf), plural(sum(quarter), "point"),
		monthWords(quarter[0]), monthWords(quarter[2]), plural(sum(year), "point"))

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

// shoutOutPage shows the month's report.
type shoutOutPage struct {
	page
	R         *report.Report
	Month     string
	Totals    string
	People    []personRow
	Active    []personRow
	Orgs      []orgRow
	Returning []Person
	Quiet     []Person
	Champions []championRow
	Welcome   string
	Notes     [][]string
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

func (s *site) shoutOut() shoutOutPage {
	r := s.in.ShoutOut
	v := shoutOutPage{R: r, Month: monthWords(s.in.AsOf)}
	v.page = s.page("shout-out.html", "Shout-outs for "+v.Month+" · "+s.program,
		"Who contributed most to "+s.program+" in "+v.Month+".", "shout-out")
	if r == nil {
		return v
	}
	top := 10
	if s.in.Program != nil && s.in.Program.Reports.Top > 0 {
		top = s.in.Program.Reports.Top
	}
	v.Totals = fmt.Sprintf("%s contributed %s, scoring %s.", plural(r.Totals.Contributors, "person"),
		plural(r.Totals.Credits, "credit"), plural(r.Totals.Score, "point"))
	v.Totals = strings.Replace(v.Totals, "persons", "people", 1)
	for _, p := range r.People[:min(top, len(r.People))] {
		move, sr := movement(p.DeltaRank, p.New)
		v.People = append(v.People, personRow{Rank: p.Rank, Who: s.person(p.ID, p.Name), Score: p.Score, Credits: p.Credits, Move: move, MoveSR: sr})
	}
	names := map[string]string{}
	for _, p := range r.People {
		if p.ID != nil {
			names[*p.ID] = p.Name
		}
	}
	for _, a := range r.Active[:min(top, len(r.Active))] {
		name := report.AnonymousName
		if a.ID != nil {
			name = names[*a.ID]
		}
		v.Active = append(v.Active, personRow{Rank: a.Rank, Who: s.person(a.ID, name), Credits: a.Credits})
	}
	listed := map[string]bool{}
	for _, p := range s.in.Partners {
		listed[p.ID] = true
	}
	for _, o := range r.Organizations {
		move, sr := movement(o.DeltaRank, false)
		row := orgRow{Rank: o.Rank, Name: o.Name, Partner: o.Partner, Score: o.Score, Credits: o.Credits, People: o.People, Move: move, MoveSR: sr}
		if listed[o.ID] {
			row.Href = "partners/" + o.ID + ".html"
		}
		v.Orgs = append(v.Orgs, row)
	}
	for _, n := range r.Returning {
		v.Returning = append(v.Returning, s.person(n.ID, n.Name))
	}
	for _, n := range r.Quiet {
		v.Quiet = append(v.Quiet, s.person(n.ID, n.Name))
	}
	for _, c := range r.Champions {
		v.Champions = append(v.Champions, championRow{Kind: capitalise(kindWords(c.Kind)), Who: s.person(c.ID, c.Name), Score: c.Score, Credits: c.Credits})
	}
	v.Welcome = fmt.Sprintf("%s made their first contribution, and %s joined.",
		plural(r.NewContributors, "new contributor"), plural(r.NewMembers, "new member"))
	for _, n := range r.Notes {
		v.Notes = append(v.Notes, paragraphs(n))
	}
	return v
}

// person is a shout-out's person, linked to their public profile.
func (s *site) person(id *string, name string) Person {
	if id == nil {
		return Person{Name: report.AnonymousName}
	}
	return Person{Name: name, Profile: webURL(s.in.Profiles[*id])}
}

// movement is a rank change as an arrow and as words for screen readers.
func movement(delta *int, isNew bool) (arrow, words string) {
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
