package score_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// book loads a ledger written from path -> content, failing on findings.
func book(t *testing.T, files map[string]string) *score.Book {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, findings, err := ledger.Load(dir, ledger.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(findings, check.Run(l)...) {
		t.Fatal(f)
	}
	return score.New(l)
}

const program = `name: Test
leadership: [alice]
scoring:
  - from: 2026-01-01
    kinds:
      pull_request: {weight: 3, cap: 2}
      comment: {weight: 0}
  - from: 2026-03-01
    kinds:
      pull_request: {weight: 5, cap: 2}
      comment: {weight: 0}
`

var people = map[string]string{
	"program.yaml":              program,
	"organizations/acme.yaml":   "name: Acme\ncountry: GB\n",
	"organizations/globex.yaml": "name: Globex\ncountry: DE\n",
	"people/alice.yaml": `name: Alice
identities: {github: alice-gh}
affiliations:
  - {org: acme, from: 2025-01-01, until: 2026-02-15}
  - {org: globex, from: 2026-02-15}
`,
	"people/robot.yaml": "name: Robot\nidentities: {github: \"robot[bot]\"}\nbot: true\n",
}

func with(extra map[string]string) map[string]string {
	all := map[string]string{}
	for k, v := range people {
		all[k] = v
	}
	for k, v := range extra {
		all[k] = v
	}
	return all
}

func TestCapsEarliestFirst(t *testing.T) {
	b := book(t, with(map[string]string{"credits/2026/02/github.yaml": `credits:
  - {id: b, who: github:alice-gh, kind: pull_request, date: 2026-02-03}
  - {id: a, who: github:Alice-GH, kind: pull_request, date: 2026-02-03}
  - {id: c, who: alice, kind: pull_request, date: 2026-02-01}
  - {id: d, who: alice, kind: comment, date: 2026-02-01}
`}))
	capped := map[string]bool{}
	for i, c := range b.Ledger.Credits {
		capped[c.ID] = b.Credits[i].Capped
	}
	// c is earliest, then a before b by id: b is the third and capped.
	if capped["c"] || capped["a"] || !capped["b"] || capped["d"] {
		t.Errorf("capped = %v, want only b", capped)
	}
	tally := b.Tallies(score.Period{Span: score.Monthly, Start: ledger.MonthOf(2026, 2)})
	if len(tally.People) != 1 {
		t.Fatalf("one contributor expected whatever the identity's case, got %d", len(tally.People))
	}
	for _, p := range tally.People {
		if p.Score != 6 || p.Credits != 4 {
			t.Errorf("score %d credits %d, want 6 and 4 (capped and weight-0 credits count as credits)", p.Score, p.Credits)
		}
	}
}

func TestWeightsAttributionAndBots(t *testing.T) {
	b := book(t, with(map[string]string{
		"credits/2026/02/github.yaml": `credits:
  - {id: feb-acme, who: alice, kind: pull_request, date: 2026-02-14}
  - {id: feb-globex, who: alice, kind: pull_request, date: 2026-02-15}
  - {id: feb-bot, who: "github:robot[bot]", kind: pull_request, date: 2026-02-15}
`,
		"credits/2026/03/github.yaml": `credits:
  - {id: mar-explicit, who: alice, kind: pull_request, date: 2026-03-02, org: acme}
  - {id: mar-stranger, who: github:drive-by, kind: pull_request, date: 2026-03-02}
`}))
	got := map[string]score.Scored{}
	for i, c := range b.Ledger.Credits {
		got[c.ID] = b.Credits[i]
	}
	check := func(id string, score int32, org string, by score.Attribution) {
		t.Helper()
		if s := got[id]; s.Score != score || s.Org != org || s.By != by {
			t.Errorf("%s: score %d org %q by %v, want %d %q %v", id, s.Score, s.Org, s.By, score, org, by)
		}
	}
	check("feb-acme", 3, "acme", score.Affiliation)     // until is exclusive
	check("feb-globex", 3, "globex", score.Affiliation) // the new employer from that day
	check("feb-bot", 0, "", score.NoOrg)
	check("mar-explicit", 5, "acme", score.Explicit) // new weights from March
	check("mar-stranger", 5, "", score.NoOrg)
	q := b.Tallies(score.Period{Span: score.Quarterly, Start: ledger.MonthOf(2026, 1)})
	if q.Orgs["acme"].Score != 8 || q.Orgs["globex"].Score != 3 || q.Score != 16 {
		t.Errorf("quarter: acme %d globex %d total %d, want 8, 3, 16", q.Orgs["acme"].Score, q.Orgs["globex"].Score, q.Score)
	}
	if len(q.People) != 2 {
		t.Errorf("bots must not be tallied: %d people", len(q.People))
	}
}

func TestExplain(t *testing.T) {
	b := book(t, with(map[string]string{"credits/2026/02/github.yaml": `credits:
  - {id: a, who: alice, kind: pull_request, date: 2026-02-01, title: First}
  - {id: b, who: alice, kind: pull_request, date: 2026-02-02}
  - {id: c, who: alice, kind: pull_request, date: 2026-02-20}
`}))
	e, err := b.Explain("person", "github:alice-gh", ledger.MonthOf(2026, 2))
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "alice" || e.Score != 6 || e.Credits != 3 || len(e.Lines) != 3 {
		t.Fatalf("explanation %+v", e)
	}
	if why := e.Lines[2].Why; why != "3rd pull_request of the month; the first 2 score" {
		t.Errorf("why = %q", why)
	}
	org, err := b.Explain("org", "globex", ledger.MonthOf(2026, 2))
	if err != nil || org.Score != 0 || org.Credits != 1 || org.Lines[0].Attribution != "affiliation" {
		t.Errorf("org explanation %+v, %v", org, err)
	}
	if _, err := b.Explain("org", "acne", ledger.MonthOf(2026, 2)); err == nil || err.Error() != `no organisation "acne"; did you mean "acme"?` {
		t.Errorf("unknown org: %v", err)
	}
}

func TestPeriods(t *testing.T) {
	for s, want := range map[string]string{"2026-10": "2026-10", "2026-Q4": "2026-Q4", "2026": "2026"} {
		p, err := score.ParsePeriod(s)
		if err != nil || p.String() != want {
			t.Errorf("ParsePeriod(%q) = %v, %v", s, p, err)
		}
	}
	q := score.PeriodOf(score.Quarterly, ledger.MonthOf(2026, 11))
	if q.String() != "2026-Q4" || q.Previous().String() != "2026-Q3" || q.End() != ledger.MonthOf(2026, 12) {
		t.Errorf("quarter %v, previous %v, end %v", q, q.Previous(), q.End())
	}
	if y := score.PeriodOf(score.Annual, ledger.MonthOf(2026, 1)); y.Previous().String() != "2025" || !y.Contains(ledger.MonthOf(2026, 12)) {
		t.Errorf("year %v", y)
	}
	for _, bad := range []string{"2026-Q5", "26", "2026-13", "Q4"} {
		if _, err := score.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) succeeded", bad)
		}
	}
}

// TestWeightsInAnyNotation: a weight or cap the schema accepts as a whole
// number scores as that number, however it is written.
func TestWeightsInAnyNotation(t *testing.T) {
	b := book(t, with(map[string]string{
		"program.yaml": `name: Test
leadership: [alice]
scoring:
  - from: 2026-01-01
    kinds:
      pull_request: {weight: 1e2, cap: 2.0}
      review: {weight: 3.0}
      issue: {weight: 1_000}
`,
		"credits/2026/02/github.yaml": `credits:
  - {id: a, who: alice, kind: pull_request, date: 2026-02-01}
  - {id: b, who: alice, kind: pull_request, date: 2026-02-02}
  - {id: c, who: alice, kind: pull_request, date: 2026-02-03}
  - {id: d, who: alice, kind: review, date: 2026-02-03}
  - {id: e, who: alice, kind: issue, date: 2026-02-03}
`}))
	tally := b.Tallies(score.Period{Span: score.Monthly, Start: ledger.MonthOf(2026, 2)})
	if tally.Score != 2*100+3+1000 {
		t.Errorf("score %d, want %d: two pull requests of 1e2 (the third past the cap of 2.0), a review of 3.0, an issue of 1_000", tally.Score, 2*100+3+1000)
	}
}
