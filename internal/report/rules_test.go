package report

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

func TestRulesOn(t *testing.T) {
	d := ledger.MustDate
	person := func(id, name, visibility string) *ledger.Person {
		return &ledger.Person{ID: id, Name: name, Visibility: visibility,
			Identities: []ledger.Identity{{Platform: "github", Handle: id + "-gh"}}}
	}
	l := &ledger.Ledger{
		Program: &ledger.Program{
			Leadership: []ledger.Ref{{ID: "dave"}, {ID: "hidden-lead"}, {ID: "anon-lead"}, {ID: "carol"}},
			TeamLeads: []ledger.TeamArea{
				{Area: "docs", Leads: []ledger.Ref{{ID: "dave"}}},
				{Area: "community", Leads: []ledger.Ref{{ID: "hidden-lead"}, {ID: "carol"}, {ID: "anon-lead"}}},
			},
			Scoring: []ledger.ScoringPeriod{
				{From: d("2026-01-01"), Kinds: map[string]ledger.KindRule{"review": {Weight: 2}, "talk": {Weight: 5, Area: "community"}}},
				{From: d("2026-07-01"), Kinds: map[string]ledger.KindRule{
					"review": {Weight: 3, Cap: 30}, "talk": {Weight: 5, Area: "community"}, "blog_post": {Weight: 3, Area: "docs"}},
					PointsCap: 60, Rules: []ledger.WeightRule{
						{Kind: "review", When: []ledger.Condition{{Name: "max_lines", Number: 1500}, {Name: "only_paths", List: []string{"docs/**", "*.md"}}}, Weight: 1, HasWeight: true},
						{Project: "acme/legacy", Factor: "0.5"},
					}},
			},
		},
		People: []*ledger.Person{person("carol", "Carol Chen", "public"), person("dave", "Dave Doe", "public"),
			person("hidden-lead", "Hidden Lead", "hidden"), person("anon-lead", "Anon Lead", "anonymous")},
	}
	b := score.New(l)
	// The leadership in its order: the anonymous member unnamed, the
	// hidden one left out.
	leaders := []Lead{{ID: "dave", Name: "Dave Doe", Profile: "https://github.com/dave-gh"}, {Name: AnonymousName},
		{ID: "carol", Name: "Carol Chen", Profile: "https://github.com/carol-gh"}}
	if r := RulesOn(b, d("2025-12-31")); r == nil || r.Kinds != nil || !reflect.DeepEqual(r.Leadership, leaders) {
		t.Errorf("rules before the first period: %+v", r)
	}
	first := RulesOn(b, d("2026-03-31"))
	if first == nil || first.From != d("2026-01-01") || first.Before != nil {
		t.Fatalf("rules of March: %+v", first)
	}
	r := RulesOn(b, d("2026-07-31"))
	want := &Rules{
		Leadership: leaders,
		From:       d("2026-07-01"),
		// The heaviest first, then by name.
		Kinds: []KindRule{{Kind: "talk", Weight: 5, Area: "community"}, {Kind: "blog_post", Weight: 3, Area: "docs"}, {Kind: "review", Weight: 3, Cap: 30}},
		// In order, in words.
		Weighed: []WeighRule{
			{Credits: "`review` that changes at most 1,500 lines and whose files all match `docs/**` or `*.md`", Weight: "1"},
			{Credits: "any credit in acme/legacy", Weight: "× 0.5"},
		},
		PointsCap: 60,
		// By area; only the public leads are named.
		Areas: []Area{
			{Area: "community", Leads: []Lead{{ID: "carol", Name: "Carol Chen", Profile: "https://github.com/carol-gh"}}},
			{Area: "docs", Leads: []Lead{{ID: "dave", Name: "Dave Doe", Profile: "https://github.com/dave-gh"}}},
		},
		Before: &Rules{From: d("2026-01-01"), Kinds: []KindRule{{Kind: "talk", Weight: 5, Area: "community"}, {Kind: "review", Weight: 2}}},
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("rules of July:\n got %+v\nwant %+v", r, want)
	}
	if got := r.Leads("community"); len(got) != 1 || got[0].ID != "carol" {
		t.Errorf("Leads(community) = %+v", got)
	}
	if got := r.Leads("no-such-area"); got != nil {
		t.Errorf("Leads of an unknown area = %+v", got)
	}
}

// TestMarkdownNeedsOnlyTheReport: rendering reads nothing but the report,
// so a report whose period is not one the ledger knows renders all the
// same rather than failing.
func TestMarkdownNeedsOnlyTheReport(t *testing.T) {
	b := load(t, "testdata/markdown/ledger")
	r := Build(b, score.Period{Span: score.Monthly, Start: latest(b)}, latest(b))
	r.Period = "not a period"
	r.People[0].Name = "Renamed Person"
	if got := string(Markdown(r)); !strings.Contains(got, "Renamed Person") {
		t.Errorf("the Markdown does not follow the report's own fields")
	}
}
