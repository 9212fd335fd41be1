package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
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
	for _, name := range []string{"index", "partner", "shout-out", "rules", "embed", "health", "projects", "organizations", "organization"} {
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
	base, err := NormaliseBase(baseURL)
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
		"featured.json": s.featuredJSON(),
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
	if err := render("shout-out.html", "shout-out", s.shoutOut(in.ShoutOut, in.AsOf, "shout-out.html")); err != nil {
		return nil, err
	}
	for _, r := range in.ShoutOuts {
		m, err := ledger.ParseMonth(r.Period)
		if err != nil {
			return nil, fmt.Errorf("shout-out of %q: %w", r.Period, err)
		}
		if err := render(ShoutOutPath(r.Period), "shout-out", s.shoutOut(r, m, ShoutOutPath(r.Period))); err != nil {
			return nil, err
		}
	}
	if err := render("rules.html", "rules", s.rules()); err != nil {
		return nil, err
	}
	embed, err := s.embedPage()
	if err != nil {
		return nil, err
	}
	if err := render("embed.html", "embed", embed); err != nil {
		return nil, err
	}
	if files["featured.html"], err = s.featuredPage(); err != nil {
		return nil, err
	}
	if err := s.renderHealth(render); err != nil {
		return nil, err
	}
	for i := range in.Partners {
		p := &in.Partners[i]
		if err := render(PartnerPath(p.ID), "partner", s.partnerPage(p)); err != nil {
			return nil, err
		}
		files["badges/"+p.ID+".svg"] = badge(s.program, tierWords(p.Tier))
		files[LogoPath(p.ID, p.Logo)] = logoFile(p)
	}
	return files, nil
}

// NormaliseBase checks a base address and gives it a trailing slash.
func NormaliseBase(s string) (string, error) {
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
	p := page{Program: s.program, Title: title, Description: description, Current: current, AsOf: words.Month(s.in.AsOf)}
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
