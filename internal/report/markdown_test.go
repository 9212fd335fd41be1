package report

import (
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/score"
)

func TestLabel(t *testing.T) {
	id := func(s string) *string { return &s }
	for _, c := range []struct {
		id   *string
		name string
		want string
	}{
		{id("alice"), "Alice Example", "Alice Example"},
		{nil, AnonymousName, AnonymousName},
		{id("github:drive-by"), "github:drive-by", "@drive-by"},
		{id("feed:Ruth Example"), "feed:Ruth Example", "Ruth Example"},
		{id("discourse:alice"), "discourse:alice", "alice (discourse)"},
	} {
		if got := Label(c.id, c.name); got != c.want {
			t.Errorf("Label of %q = %q, want %q", c.name, got, c.want)
		}
	}
	// Linked, a GitHub handle reads as people know it: GitHub makes no
	// mention of text inside a link. Unlinked, an @ never mentions.
	if got := person(id("github:drive_by"), "github:drive_by", "https://github.com/drive_by"); got != "[@drive\\_by](https://github.com/drive_by)" {
		t.Errorf("a linked handle: %s", got)
	}
	if got := person(id("x"), "@team", ""); got != "@&#8203;team" {
		t.Errorf("a name with an @: %s", got)
	}
}

// TestFooterLinksToTheSite: with the site's address in program.yaml, a
// shout-out links to the site, so that its links work wherever it is
// posted; without, to the reports beside it.
func TestFooterLinksToTheSite(t *testing.T) {
	b := load(t, "testdata/markdown/ledger")
	p := score.Period{Span: score.Monthly, Start: latest(b)}
	if md := string(Markdown(Build(b, p, latest(b)))); !strings.Contains(md, "[How it works](../how-it-works.md) · [All shout-outs](../index.md)") {
		t.Errorf("without a site, the footer is:\n%s", md[strings.LastIndex(md, "---"):])
	}
	b.Ledger.Program.Reports.SiteURL = "https://example.org/partners"
	md := string(Markdown(Build(b, p, latest(b))))
	if !strings.Contains(md, "[How it works](https://example.org/partners/rules.html) · [All shout-outs](https://example.org/partners/shout-out.html#archive)") {
		t.Errorf("with a site, the footer is:\n%s", md[strings.LastIndex(md, "---"):])
	}
	if strings.Contains(md, "](../") {
		t.Error("a link is relative to the repository")
	}
}
