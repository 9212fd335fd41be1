package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"html/template"
	"strings"
)

// The featured partners go onto the project's own home page in one of
// three ways, all made from the same list: featured.html to show in an
// iframe (it stays up to date by itself), the same block of HTML to paste
// (featuredSnippet), and featured.json for a site that builds its own.
// None needs a script, and the block inherits the page's font and colours.

var featuredTemplate = template.Must(template.ParseFS(templateFiles, "templates/featured.html"))

// featuredBlock is what the block shows.
type featuredBlock struct {
	Program   string
	Partners  []featuredItem
	Directory string
}

type featuredItem struct {
	Name, URL, Logo string
}

// featured lists the featured partners, in directory order, with
// addresses made by at: relative inside the site, absolute in what is
// copied out of it.
func (s *site) featured(at func(string) string) featuredBlock {
	f := featuredBlock{Program: s.program, Directory: at("index.html")}
	for i := range s.in.Partners {
		p := &s.in.Partners[i]
		if !p.Featured {
			continue
		}
		url := webURL(p.Org.Website)
		if url == "" {
			url = at(PartnerPath(p.ID))
		}
		f.Partners = append(f.Partners, featuredItem{Name: p.Org.Name, URL: url, Logo: at(LogoPath(p.ID, p.Logo))})
	}
	return f
}

func inSite(path string) string { return path }

// featuredPage is featured.html: the block alone, for an iframe.
func (s *site) featuredPage() ([]byte, error) {
	var b bytes.Buffer
	err := featuredTemplate.ExecuteTemplate(&b, "featured-page", s.featured(inSite))
	return b.Bytes(), err
}

// featuredSnippet is the block to paste into another site, with absolute
// addresses when the site's own is known.
func (s *site) featuredSnippet() (string, error) {
	var b bytes.Buffer
	err := featuredTemplate.ExecuteTemplate(&b, "featured-block", s.featured(s.address))
	return strings.TrimSpace(b.String()) + "\n", err
}

// embedPage shows how to put the featured partners on another site.
type embedPage struct {
	page
	Count   int
	Iframe  string
	Snippet string
	JSON    string
	// Relative is set when the addresses are relative to the site, for
	// want of a base address.
	Relative bool
}

func (s *site) embedPage() (embedPage, error) {
	v := embedPage{page: s.page("embed.html", "Show the partners on your site · "+s.program,
		"Embed the featured partners of "+s.program+" in another site.", "directory"), Relative: s.base == ""}
	for _, p := range s.in.Partners {
		if p.Featured {
			v.Count++
		}
	}
	v.Iframe = `<iframe src="` + template.HTMLEscapeString(s.address("featured.html")) + `" title="` +
		template.HTMLEscapeString("Featured partners of "+s.program) + `" width="100%" height="180" style="border:0" loading="lazy"></iframe>`
	snippet, err := s.featuredSnippet()
	v.Snippet, v.JSON = snippet, s.address("featured.json")
	return v, err
}

// featuredJSON is featured.json: the featured partners for a site that
// shows them its own way. Its fields are documented in docs/site.md and only
// ever added to.
func (s *site) featuredJSON() []byte {
	type entry struct {
		ID       string  `json:"id"`
		Name     string  `json:"name"`
		URL      string  `json:"url"`
		Page     string  `json:"page"`
		Logo     string  `json:"logo"`
		Since    *string `json:"since"`
		Standing string  `json:"standing"`
		Tier     *string `json:"tier"`
	}
	out := struct {
		Program   string  `json:"program"`
		AsOf      string  `json:"as_of"`
		Directory string  `json:"directory"`
		Featured  []entry `json:"featured"`
	}{Program: s.program, AsOf: s.in.AsOf.String(), Directory: s.address("index.html"), Featured: []entry{}}
	for _, p := range s.in.Partners {
		if !p.Featured {
			continue
		}
		page := s.address(PartnerPath(p.ID))
		e := entry{ID: p.ID, Name: p.Org.Name, URL: cmp.Or(webURL(p.Org.Website), page), Page: page,
			Logo: s.address(LogoPath(p.ID, p.Logo)), Since: dateOrNull(p.Since), Standing: p.Standing, Tier: stringOrNull(p.Tier)}
		out.Featured = append(out.Featured, e)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		panic(err) // plain strings and lists always marshal
	}
	return append(data, '\n')
}
