package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/partner"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

// book reads and scores a ledger, failing on any finding: the site is only
// ever made from valid ledgers.
func book(t testing.TB, dir string) *score.Book {
	t.Helper()
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(findings, check.Run(l)...) {
		t.Fatal(f)
	}
	return score.New(l)
}

var october = ledger.MonthOf(2026, 10)

// tinyEntries puts the small ledger's partners in an order where the
// featured one is not the first ranked, as when the top partner lapsed.
var tinyEntries = []PartnerEntry{
	{ID: "globex", Rank: 1, Standing: Lapsed, Tier: "silver", Since: ledger.MustDate("2025-04-01")},
	{ID: "acme", Rank: 2, Featured: true, Standing: Good, Tier: "gold", Since: ledger.MustDate("2025-02-01")},
}

func tinyInput(t testing.TB) Input {
	t.Helper()
	in, err := FromLedger(book(t, "testdata/ledger"), october, tinyEntries)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestFromLedger(t *testing.T) {
	in := tinyInput(t)
	if len(in.Partners) != 2 || in.Partners[0].ID != "globex" || in.Partners[1].ID != "acme" {
		t.Fatalf("partners not in the given order: %+v", in.Partners)
	}
	acme := in.Partners[1]
	// Alice scores 2 pull requests (the cap is 2), the anonymous person and
	// the drive-by identity a review each; the hidden person's review
	// counts for the organisation too; the bot's counts nowhere.
	if got := acme.Scores[october]; got != 3*2+2+2+2 {
		t.Errorf("acme's October score = %d, want 12", got)
	}
	if got := acme.Scores[october-1]; got != 3+2 {
		t.Errorf("acme's September score = %d, want 5", got)
	}
	want := []Person{
		{Name: "Alice Archer", Profile: "https://github.com/alice-gh"},
		{Name: "@drive-by", Profile: "https://github.com/drive-by"},
		{Name: "Anonymous contributor"},
	}
	if !slices.Equal(acme.Active, want) {
		t.Errorf("acme's active people:\n got %+v\nwant %+v", acme.Active, want)
	}
	// A weight-0 comment is activity: Carol is active for Globex.
	if got := in.Partners[0].Active; len(got) != 1 || got[0].Name != "Carol Chen" {
		t.Errorf("globex's active people: %+v", got)
	}
	if in.ShoutOut == nil || in.ShoutOut.Period != "2026-10" {
		t.Fatalf("no October shout-out: %+v", in.ShoutOut)
	}
	if l := in.Rules.Leadership; len(l) != 2 || l[0].Name != "Alice Archer" || l[1].Name != "Carol Chen" {
		t.Errorf("the leadership, without its hidden member: %+v", l)
	}
	if _, err := FromLedger(book(t, "testdata/ledger"), october, []PartnerEntry{{ID: "umbrella", Standing: Good}}); err == nil ||
		!strings.Contains(err.Error(), "umbrella") {
		t.Errorf("an unknown partner gives %v", err)
	}
}

// TestNoHiddenPerson: a hidden person appears on no page, in no file,
// though their credits count for their organisation.
func TestNoHiddenPerson(t *testing.T) {
	files, err := Render(tinyInput(t), "")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		for _, secret := range []string{"Hugo Hidden", "hugo-secret", "Nina Nameless", "nina-anon", "robo-bot"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s shows %q", name, secret)
			}
		}
	}
	if !bytes.Contains(files["partners/acme.html"], []byte("Anonymous contributor")) {
		t.Error("the anonymous person is not shown as an anonymous contributor")
	}
}

// TestLeadsNamedOnlyWhenPublic: the rules page names a kind's reviewers
// as the reports do: public team leads by name, hidden and anonymous ones
// not at all, not even as an anonymous contributor.
func TestLeadsNamedOnlyWhenPublic(t *testing.T) {
	dir := ledgerWith(t, "community: [carol]", "community: [nina, carol, hugo]")
	in, err := FromLedger(book(t, dir), october, tinyEntries)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(in, "")
	if err != nil {
		t.Fatal(err)
	}
	rules := string(files["rules.html"])
	if want := "<tr><td>Talk</td><td class=\"num\">5</td><td></td><td>Carol Chen (community)</td></tr>"; !strings.Contains(rules, want) {
		t.Errorf("rules.html lacks %s:\n%s", want, rules)
	}
}

// TestLeadershipAsTheReports: the rules page names the leadership as the
// partners report does: public people by name, anonymous ones as an
// anonymous contributor, hidden ones not at all.
func TestLeadershipAsTheReports(t *testing.T) {
	b := book(t, ledgerWith(t, "leadership: [alice, hugo, carol]", "leadership: [alice, hugo, nina, carol]"))
	in, err := FromLedger(b, october, tinyEntries)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(in, "")
	if err != nil {
		t.Fatal(err)
	}
	const names = "Alice Archer, Anonymous contributor and Carol Chen"
	if rules := string(files["rules.html"]); !strings.Contains(rules, "The leadership team ("+names+")") {
		t.Errorf("rules.html does not name the leadership as %s:\n%s", names, rules)
	}
	md := report.PartnersMarkdown(partner.NewEvaluator(b).NewDirectory(october), b)
	if !bytes.Contains(md, []byte("The leadership ("+names+")")) {
		t.Errorf("partners.md does not name the leadership as %s:\n%s", names, md)
	}
}

// ledgerWith is a copy of testdata/ledger whose program.yaml has old
// replaced by new.
func ledgerWith(t *testing.T, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/ledger")); err != nil {
		t.Fatal(err)
	}
	program := filepath.Join(dir, "program.yaml")
	data, err := os.ReadFile(program)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("program.yaml has no %q", old)
	}
	if err := os.WriteFile(program, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDirectoryOrderAndFilters(t *testing.T) {
	files, err := Render(tinyInput(t), "")
	if err != nil {
		t.Fatal(err)
	}
	index := string(files["index.html"])
	cards := regexp.MustCompile(`<li class="card( featured)?" data-partner="([a-z0-9-]+)"([^>]*)>`).FindAllStringSubmatch(index, -1)
	var order []string
	for _, c := range cards {
		order = append(order, c[2])
		if strings.Contains(c[0], "hidden") {
			t.Errorf("card %s is hidden without the script", c[2])
		}
	}
	if !slices.Equal(order, []string{"acme", "globex"}) {
		t.Errorf("directory order %v, want the featured acme first", order)
	}
	if cards[0][1] != " featured" || cards[1][1] != "" {
		t.Errorf("featured marks: %q %q", cards[0][1], cards[1][1])
	}
	for _, want := range []string{
		`data-partner="acme" data-offering="saas" data-service="hosting data-engineering" data-language="en pt-br" data-region="europe uk">`,
		`<option value="pt-br">Brazilian Portuguese</option>`, `<option value="data-engineering">Data engineering</option>`,
		`<option value="dach">DACH</option>`, `<option value="self-hosted">Self-hosted</option>`,
		`<form id="filters" class="filters" aria-label="Filter partners" hidden>`, `<script src="filter.js"></script>`,
		`href="rules.html#apply"`, "Gold tier", "Silver tier",
	} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

func TestPartnerPage(t *testing.T) {
	files, err := Render(tinyInput(t), "https://example.org/partners")
	if err != nil {
		t.Fatal(err)
	}
	page := string(files["partners/acme.html"])
	for _, want := range []string{
		"<h1>Acme &lt;Digital&gt;</h1>", // names are escaped
		`<a href="https://acme.example/quote">`, `<a href="mailto:sales@acme.example">`, `<a href="https://acme.example/cases/shop">A shop moves in</a>`,
		"<li>Not a web link</li>", // a script address is not linked
		`<a href="https://acme.example/partners">`, "<li>Hosting</li>", "<li>Data engineering</li>",
		`<svg class="chart"`, `<title id="quarter-title">`, `<desc id="year-desc">`, "October 2026: 12.",
		`<a href="https://github.com/alice-gh">Alice Archer</a>`,
		`<link rel="canonical" href="https://example.org/partners/partners/acme.html">`,
		`&lt;img src=&#34;https://example.org/partners/badges/acme.svg&#34;`,
		`<link rel="stylesheet" href="../style.css">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("partners/acme.html lacks %s", want)
		}
	}
	if strings.Contains(page, "javascript:") {
		t.Error("a javascript: address reached the page")
	}
	if !strings.Contains(string(files["partners/globex.html"]), "requirements for a while") {
		t.Error("a lapsed partner's page does not say so")
	}
}

// TestLinksStayInside checks every page's links and sources: those inside
// the site are relative and lead to a file it has; the only addresses
// outside are links to follow, never something a page loads.
func TestLinksStayInside(t *testing.T) {
	for _, dir := range []string{"testdata/ledger", "../../ledger"} {
		b := book(t, dir)
		m := b.Months[len(b.Months)-1]
		var entries []PartnerEntry
		for i, o := range b.Ledger.Organizations {
			if b.Index.PartnerOn(o.ID, score.Period{Start: m}.LastDay()) {
				entries = append(entries, PartnerEntry{ID: o.ID, Rank: i + 1, Featured: i == 0, Standing: Good})
			}
		}
		in, err := FromLedger(b, m, entries)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Render(in, "")
		if err != nil {
			t.Fatal(err)
		}
		attr := regexp.MustCompile(`<(\w+)[^>]*?\s(href|src)="([^"]*)"`)
		for name, data := range files {
			if !strings.HasSuffix(name, ".html") {
				continue
			}
			for _, a := range attr.FindAllStringSubmatch(string(data), -1) {
				tag, kind, ref := a[1], a[2], a[3]
				switch {
				case strings.HasPrefix(ref, "data:"): // inline, no request
				case strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "mailto:"):
					if kind == "src" || tag == "link" {
						t.Errorf("%s: %s loads %s from outside the site", name, tag, ref)
					}
				case strings.HasPrefix(ref, "/") || strings.Contains(ref, "://"):
					t.Errorf("%s: %s is not relative", name, ref)
				default:
					file, fragment, _ := strings.Cut(ref, "#")
					target := name // a place in the same page
					if file != "" {
						target = path.Join(path.Dir(name), file)
					}
					if _, ok := files[target]; !ok {
						t.Errorf("%s: %s leads to %s, which the site does not have", name, ref, target)
					} else if fragment != "" && !bytes.Contains(files[target], []byte(`id="`+fragment+`"`)) {
						t.Errorf("%s: %s leads to a place %s does not have", name, ref, target)
					}
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Render(tinyInput(t), "")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Render(tinyInput(t), "")
		if err != nil {
			t.Fatal(err)
		}
		for name := range a {
			if !bytes.Equal(a[name], b[name]) {
				t.Fatalf("%s differs between two renderings of the same input", name)
			}
		}
	}
}

func TestPartnersJSON(t *testing.T) {
	for _, base := range []string{"", "https://example.org/p/"} {
		files, err := Render(tinyInput(t), base)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Program  string `json:"program"`
			AsOf     string `json:"as_of"`
			Partners []struct {
				ID, Standing, Page, Badge, Logo string
				Roadmap                         []any
				Featured                        bool
				Rank, Score                     int
				Tier, Since                     *string
				Languages                       []string
			}
		}
		if err := json.Unmarshal(files["partners.json"], &d); err != nil {
			t.Fatal(err)
		}
		if d.Program != "Tiny & Co Community" || d.AsOf != "2026-10" || len(d.Partners) != 2 {
			t.Fatalf("partners.json: %+v", d)
		}
		p := d.Partners[1]
		if p.ID != "acme" || !p.Featured || p.Rank != 2 || p.Score != 12 || p.Standing != "good" ||
			*p.Tier != "gold" || *p.Since != "2025-02-01" || !slices.Equal(p.Languages, []string{"en", "pt-BR"}) ||
			p.Page != base+"partners/acme.html" || p.Badge != base+"badges/acme.svg" || p.Logo != base+"logos/acme.svg" || p.Roadmap == nil {
			t.Errorf("acme in partners.json (base %q): %+v", base, p)
		}
		if g := d.Partners[0]; g.Logo != base+"logos/globex.png" {
			t.Errorf("globex's logo in partners.json: %q", g.Logo)
		}
	}
}

func TestBadge(t *testing.T) {
	for _, tier := range []string{"Gold", ""} {
		svg := badge("Tiny & Co <Community>", tier)
		var doc struct {
			XMLName xml.Name
			Title   string   `xml:"title"`
			Texts   []string `xml:"g>text"`
		}
		if err := xml.Unmarshal(svg, &doc); err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, svg)
		}
		want := []string{"Partner of Tiny & Co <Community>"}
		if tier != "" {
			want = append(want, tier)
		}
		if doc.XMLName.Local != "svg" || !slices.Equal(doc.Texts, want) {
			t.Errorf("badge texts %q, want %q", doc.Texts, want)
		}
		if tier != "" && !strings.HasSuffix(doc.Title, ", Gold tier") {
			t.Errorf("badge title %q does not name the tier", doc.Title)
		}
	}
}

func TestChart(t *testing.T) {
	months := []ledger.Month{october - 2, october - 1, october}
	svg := string(barChart("q", "Acme & co", months, map[ledger.Month]int{october - 2: 30, october: 15}))
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("chart is not well-formed XML: %v", err)
	}
	for _, want := range []string{
		`role="img" aria-labelledby="q-title q-desc"`, `<title id="q-title">Acme &amp; co</title>`,
		"August 2026: 30; September 2026: 0; October 2026: 15.", "45 in all",
		// A scale of 30: the tallest bar fills the plot, the next half of it.
		`height="120"`, `height="60"`, `height="0"`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %s\n%s", want, svg)
		}
	}
	for n, want := range map[int]int{0: 10, 10: 10, 11: 20, 31: 40, 70: 80, 81: 100, 101: 200, 2500: 3000} {
		if got := niceCeiling(n); got != want {
			t.Errorf("niceCeiling(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestRenderRejects(t *testing.T) {
	org := &ledger.Organization{ID: "acme", Name: "Acme"}
	for _, c := range []struct {
		name     string
		partners []Partner
		base     string
		want     string
	}{
		{"path in id", []Partner{{PartnerEntry: PartnerEntry{ID: "../etc", Standing: Good}, Org: org}}, "", "is not an organisation id"},
		{"twice", []Partner{{PartnerEntry: PartnerEntry{ID: "acme", Standing: Good}, Org: org}, {PartnerEntry: PartnerEntry{ID: "acme", Standing: Good}, Org: org}}, "", "listed twice"},
		{"no record", []Partner{{PartnerEntry: PartnerEntry{ID: "acme", Standing: Good}}}, "", "no organisation record"},
		{"standing", []Partner{{PartnerEntry: PartnerEntry{ID: "acme", Standing: "fine"}, Org: org}}, "", "not good, warning or lapsed"},
		{"base", nil, "example.org/partners", "not an http(s) address"},
	} {
		_, err := Render(Input{AsOf: october, Partners: c.partners}, c.base)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

func TestEmptyDirectory(t *testing.T) {
	files, err := Render(Input{AsOf: october}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["index.html"], []byte("There are no partners yet.")) ||
		!bytes.Contains(files["shout-out.html"], []byte("There is no report for October 2026")) {
		t.Error("an empty directory does not say so")
	}
}

func TestWrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	in := tinyInput(t)
	sum, err := Write(in, out, "")
	if err != nil {
		t.Fatal(err)
	}
	// The pages (two partners, two months of shout-outs, five of community
	// health), badges, logos,
	// the JSON files, style, script and a .gitignore.
	if sum.Written != 23 || sum.Unchanged != 0 || sum.Removed != 0 {
		t.Errorf("first write: %+v", sum)
	}
	// Files of others in the folder stay.
	for _, f := range []string{"CNAME", "partners/README.md", "badges/notes.txt"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	info, _ := os.Stat(filepath.Join(out, "index.html"))
	sum, err = Write(in, out, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 0 || sum.Unchanged != 22 {
		t.Errorf("an unchanged input rewrote files: %+v", sum)
	}
	if again, _ := os.Stat(filepath.Join(out, "index.html")); !again.ModTime().Equal(info.ModTime()) {
		t.Error("index.html was touched")
	}

	// Globex leaves: its page, badge and logo go, and the pages that list
	// it change. September's credits go: so does its shout-out.
	in.Partners = in.Partners[1:]
	in.ShoutOuts = in.ShoutOuts[1:]
	sum, err = Write(in, out, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 4 || sum.Written == 0 {
		t.Errorf("after a partner left: %+v", sum)
	}
	for _, gone := range []string{"partners/globex.html", "badges/globex.svg", "logos/globex.svg", "shout-outs/2026-09.html"} {
		if _, err := os.Stat(filepath.Join(out, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{"CNAME", "partners/README.md", "badges/notes.txt", "partners/acme.html", "logos/acme.svg", "shout-outs/2026-10.html"} {
		if _, err := os.Stat(filepath.Join(out, kept)); err != nil {
			t.Errorf("%s was removed", kept)
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{"pt-BR": "Brazilian Portuguese", "cy": "Welsh", "kn": "Kannada", "xx-not a tag": "xx-not a tag"} {
		if got := languageWords(in); got != want {
			t.Errorf("languageWords(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"north-america": "North America", "uk": "UK", "dach": "DACH", "asia": "Asia"} {
		if got := regionWords(in); got != want {
			t.Errorf("regionWords(%q) = %q, want %q", in, got, want)
		}
	}
	if got := paragraphs("# December\n\nQuiet.\nVery <b>quiet</b>.\n\n\nThe end."); !slices.Equal(got, []string{"December", "Quiet. Very <b>quiet</b>.", "The end."}) {
		t.Errorf("paragraphs: %q", got)
	}
}
