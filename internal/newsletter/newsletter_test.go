package newsletter

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/report"
	"github.com/tallyledger/tally/internal/score"
)

func book(t *testing.T, dir string) *score.Book {
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

func issue(t *testing.T, site string) *Issue {
	t.Helper()
	var is *Issue
	var mu sync.Mutex
	if err := Each(book(t, "../../ledger"), october, site, func(i *Issue) error {
		mu.Lock()
		defer mu.Unlock()
		if i.Month == october {
			is = i
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if is == nil {
		t.Fatal("no issue for October")
	}
	return is
}

func id(s string) *string { return &s }

// long is an issue whose every name is as long as a ledger allows.
func long() *Issue {
	name := strings.Repeat("Wolfeschlegelsteinhausenbergerdorff ", 8)
	is := &Issue{Program: strings.Repeat("Very Long Community Name ", 10), Month: october, Top: namedTop,
		Site: "https://example.org/" + strings.Repeat("deep/", 30), Profiles: map[string]string{}}
	is.Report = &report.Report{Totals: report.Totals{Score: 123456, Credits: 98765, Contributors: 4321}}
	for i := range 30 {
		who := id("person-" + string(rune('a'+i%26)))
		is.Report.People = append(is.Report.People, report.Person{Rank: i + 1, ID: who, Name: name, Score: 100 - i, New: i%2 == 0})
		is.Partners = append(is.Partners, Partner{ID: "org", Name: name + "GmbH", URL: "https://org.example", New: i < 10})
	}
	return is
}

// TestPostFits: the social post is at most 500 characters, whatever the
// names, and still says whose month it is and where to read more.
func TestPostFits(t *testing.T) {
	for name, is := range map[string]*Issue{"bundled": issue(t, "https://lumen.example/partners/"), "long names": long()} {
		post := Post(is)
		if n := utf8.RuneCountInString(post); n > PostLimit {
			t.Errorf("%s: the post has %d characters:\n%s", name, n, post)
		}
		if strings.Contains(post, "@") {
			t.Errorf("%s: the post mentions someone: %s", name, post)
		}
		if !strings.Contains(post, "earned") {
			t.Errorf("%s: the post lost its figures: %s", name, post)
		}
	}
	// With room to spare, it says everything.
	post := Post(issue(t, "https://lumen.example/partners/"))
	for _, want := range []string{"Lumen Community in October 2026: 47 contributors earned 348 points.", "Top contributors: Oliver Brennan, Hannah Price and Felix Braun.",
		"Our partners: Northwind Analytics Ltd, Kieselstein Software GmbH", "https://lumen.example/partners/shout-outs/2026-10.html"} {
		if !strings.Contains(post, want) {
			t.Errorf("the post lacks %q:\n%s", want, post)
		}
	}
	// Ever shorter names never make it longer than the limit either.
	is := long()
	is.Site = ""
	if n := utf8.RuneCountInString(Post(is)); n > PostLimit {
		t.Errorf("without a site the post has %d characters", n)
	}
}

var (
	tag  = regexp.MustCompile(`<([a-z0-9]+)([^>]*)>`)
	attr = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
)

// TestHTMLBlock: the HTML block has no script, no style sheet and no
// class, only inline styles, and with the site's address every link and
// image is absolute.
func TestHTMLBlock(t *testing.T) {
	block := string(HTML(issue(t, "https://lumen.example/partners/")))
	allowed := map[string]bool{"div": true, "h2": true, "p": true, "strong": true, "a": true, "table": true, "tr": true, "td": true, "img": true, "span": true}
	for _, m := range tag.FindAllStringSubmatch(block, -1) {
		if !allowed[m[1]] {
			t.Errorf("the block has a <%s>", m[1])
		}
		for _, a := range attr.FindAllStringSubmatch(m[2], -1) {
			switch a[1] {
			case "href", "src":
				if !strings.HasPrefix(a[2], "https://") {
					t.Errorf("<%s %s=%q> is not absolute", m[1], a[1], a[2])
				}
			case "style", "alt", "width", "height", "role", "cellpadding", "cellspacing":
			default:
				t.Errorf("<%s> has the attribute %s", m[1], a[1])
			}
		}
	}
	for _, want := range []string{
		`<img src="https://lumen.example/partners/logos/northwind.svg" alt=""`, // a logo of the ledger
		`background-color: #597e25; color: #ffffff;`,                           // Atelier Cobalt's initials, in text
		`>@&#8203;bravequokka43</a>`,                                           // a new contributor, named, mentioning nobody
		`<a href="https://lumen.example/partners/shout-outs/2026-10.html"`,
	} {
		if !strings.Contains(block, want) {
			t.Errorf("the block lacks %s", want)
		}
	}
}

// TestMarkdownBlock: absolute links with the site's address, relative to
// the reports without, and no @ that a forum would take for a mention.
func TestMarkdownBlock(t *testing.T) {
	md := string(Markdown(issue(t, "https://lumen.example/partners/")))
	for _, want := range []string{
		"## Lumen Community in October 2026",
		"[@&#8203;bravequokka43](https://github.com/bravequokka43)",
		`<img src="https://lumen.example/partners/logos/atelier-cobalt.svg" alt="" width="24" height="24"> [Atelier Cobalt](https://ateliercobalt.example)`,
		"[All the shout-outs of October 2026](https://lumen.example/partners/shout-outs/2026-10.html)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the block lacks %s:\n%s", want, md)
		}
	}
	if regexp.MustCompile(`@[^&]`).MatchString(md) || strings.Contains(md, "](../") || strings.Contains(md, "[!") {
		t.Errorf("the block has a mention, a relative link or GitHub-only syntax:\n%s", md)
	}
	if rel := string(Markdown(issue(t, ""))); !strings.Contains(rel, "](../site/shout-outs/2026-10.html)") {
		t.Errorf("without a site, the links are not relative to the reports:\n%s", rel)
	}
}

// TestWrite: every month's three files, written once, and those of months
// that no longer have credits removed; nothing else in the folder.
func TestWrite(t *testing.T) {
	b := book(t, "../../ledger")
	out := t.TempDir()
	sum, err := Write(b, out, october, "")
	if err != nil {
		t.Fatal(err)
	}
	months := 0
	for _, m := range b.Months {
		if m <= october {
			months++
		}
	}
	if sum.Written != 3*months+1 || sum.Removed != 0 { // and a .gitignore
		t.Errorf("first write: %+v for %d months", sum, months)
	}
	dir := filepath.Join(out, Folder)
	for name, data := range map[string]string{"2019-01.md": "old", "notes.md": "mine", "2019-01.pdf": "mine"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err = Write(b, out, october, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 0 || sum.Unchanged != 3*months || sum.Removed != 1 {
		t.Errorf("second write: %+v", sum)
	}
	for name, want := range map[string]bool{"2019-01.md": false, "notes.md": true, "2019-01.pdf": true, "2026-10.txt": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s: there is %v, want %v", name, err == nil, want)
		}
	}
}
