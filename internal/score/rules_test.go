package score_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
	"github.com/tallyledger/tally/schemas"
)

// rulesProgram weighs pull requests by size, paths and labels, reviews of
// one project by a factor, from April; March scores by kind alone.
const rulesProgram = `name: Test
leadership: [alice]
scoring:
  - from: 2026-01-01
    kinds:
      pull_request: {weight: 3, cap: 3}
      review: {weight: 3}
      comment: {weight: 0}
  - from: 2026-04-01
    kinds:
      pull_request: {weight: 3, cap: 3}
      review: {weight: 3}
      comment: {weight: 0}
    rules:
      - {kind: pull_request, when: {any_label: [Trivial]}, weight: 0}
      - {kind: pull_request, when: {any_label: [security]}, weight: 8}
      - {kind: pull_request, when: {max_lines: 5}, weight: 1}
      - {kind: pull_request, when: {only_paths: ["docs/**", "*.md"]}, weight: 1}
      - {kind: pull_request, when: {min_lines: 500, min_files: 10}, weight: 6}
      - {project: acme/legacy, weight_factor: 0.5}
      - {kind: comment, when: {any_path: ["**/SECURITY.md"]}, weight: 2}
`

// withRules is the rules program and a January credit of each kind with
// every fact its rules read, which validation asks for.
func withRules(program string, extra map[string]string) map[string]string {
	files := with(extra)
	files["program.yaml"] = program
	files["credits/2026/01/seen.yaml"] = `credits:
  - {id: jan-pr, who: alice, kind: pull_request, date: 2026-01-05, project: acme/legacy, facts: {additions: 1, deletions: 1, files: 1, paths: [a.md], labels: []}}
  - {id: jan-comment, who: alice, kind: comment, date: 2026-01-05, facts: {paths: [a.md]}}
`
	return files
}

// scored lists each credit's weight and score, and the rule of its
// explanation, by id.
func scored(t *testing.T, b *score.Book) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i, c := range b.Ledger.Credits {
		s := b.Credits[i]
		j, _, _ := b.Weights.Judge(&b.Ledger.Credits[i])
		out[c.ID] = fmt.Sprintf("weight %d score %d rule %d", s.Weight, s.Score, j.Rule)
	}
	return out
}

func TestRules(t *testing.T) {
	b := book(t, withRules(rulesProgram, map[string]string{
		"credits/2026/03/github.yaml": `credits:
  - {id: mar-typo, who: alice, kind: pull_request, date: 2026-03-02, facts: {additions: 1, deletions: 1}}
`,
		"credits/2026/04/github.yaml": `credits:
  - {id: typo, who: alice, kind: pull_request, date: 2026-04-01, facts: {additions: 1, deletions: 1, files: 1, labels: [docs]}}
  - {id: trivial, who: alice, kind: pull_request, date: 2026-04-02, facts: {additions: 40, deletions: 0, labels: [trivial]}}
  - {id: security, who: alice, kind: pull_request, date: 2026-04-03, facts: {additions: 2, deletions: 2, labels: [Security]}}
  - {id: docs, who: github:bob-gh, kind: pull_request, date: 2026-04-04, facts: {additions: 80, deletions: 20, files: 2, paths: [docs/guide.md, README.md], labels: []}}
  - {id: docs-and-code, who: github:bob-gh, kind: pull_request, date: 2026-04-05, facts: {additions: 80, deletions: 20, files: 2, paths: [docs/guide.md, src/main.go], labels: []}}
  - {id: big, who: github:bob-gh, kind: pull_request, date: 2026-04-06, facts: {additions: 5800, deletions: 12, files: 60, labels: []}}
  - {id: big-few-files, who: github:carol-gh, kind: pull_request, date: 2026-04-06, facts: {additions: 5800, deletions: 12, files: 3, labels: []}}
  - {id: no-facts, who: github:carol-gh, kind: pull_request, date: 2026-04-07}
  - {id: legacy-review, who: github:carol-gh, kind: review, date: 2026-04-07, project: Acme/Legacy}
  - {id: legacy-typo, who: github:carol-gh, kind: pull_request, date: 2026-04-08, project: acme/legacy, facts: {additions: 1, deletions: 0, labels: []}}
  - {id: security-comment, who: github:carol-gh, kind: comment, date: 2026-04-09, facts: {paths: [.github/SECURITY.md]}}
`,
	}))
	want := map[string]string{
		"mar-typo":         "weight 3 score 3 rule 0", // the rules apply from their period's date only
		"typo":             "weight 1 score 1 rule 3",
		"trivial":          "weight 0 score 0 rule 1", // labels compare ignoring case
		"security":         "weight 8 score 8 rule 2", // the first rule that matches wins, not max_lines
		"docs":             "weight 1 score 1 rule 4",
		"docs-and-code":    "weight 3 score 3 rule 0",
		"big":              "weight 6 score 6 rule 5",
		"big-few-files":    "weight 3 score 3 rule 0",
		"no-facts":         "weight 3 score 3 rule 0",
		"legacy-review":    "weight 2 score 2 rule 6", // 3 x 0.5 rounds half up; projects compare ignoring case
		"legacy-typo":      "weight 1 score 1 rule 3", // an earlier rule comes first
		"security-comment": "weight 2 score 2 rule 7", // a rule may weigh a kind of weight 0
	}
	got := scored(t, b)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
}

// TestRulesWithCaps: a kind's cap counts the credits that would score
// (a rule's weight 0 takes no place under it), earliest first; the
// points cap counts points, all kinds together, and the credit that
// reaches it scores what is left.
func TestRulesWithCaps(t *testing.T) {
	program := strings.Replace(rulesProgram, "    rules:\n", "    points_cap: 12\n    rules:\n", 1)
	b := book(t, withRules(program, map[string]string{
		"credits/2026/04/github.yaml": `credits:
  - {id: a1-trivial, who: alice, kind: pull_request, date: 2026-04-01, facts: {additions: 40, deletions: 0, labels: [trivial]}}
  - {id: a2-typo, who: alice, kind: pull_request, date: 2026-04-02, facts: {additions: 1, deletions: 0, labels: []}}
  - {id: a3-trivial, who: alice, kind: pull_request, date: 2026-04-03, facts: {additions: 40, deletions: 0, labels: [trivial]}}
  - {id: a4-plain, who: alice, kind: pull_request, date: 2026-04-04}
  - {id: a5-review, who: alice, kind: review, date: 2026-04-05}
  - {id: a6-big, who: alice, kind: pull_request, date: 2026-04-06, facts: {additions: 900, deletions: 0, files: 12, labels: []}}
  - {id: a7-review, who: alice, kind: review, date: 2026-04-07}
  - {id: a8-review, who: alice, kind: review, date: 2026-04-08}
  - {id: a9-big, who: alice, kind: pull_request, date: 2026-04-09, facts: {additions: 900, deletions: 0, files: 12, labels: []}}
`,
		"credits/2026/05/github.yaml": `credits:
  - {id: may-review, who: alice, kind: review, date: 2026-05-01}
`,
	}))
	want := map[string]string{
		"a1-trivial": "weight 0 score 0 rule 1", // no place under the cap of 3
		"a2-typo":    "weight 1 score 1 rule 3", // 1st: 1 point
		"a3-trivial": "weight 0 score 0 rule 1",
		"a4-plain":   "weight 3 score 3 rule 0", // 2nd: 4 points
		"a5-review":  "weight 3 score 3 rule 0", // 7 points
		"a6-big":     "weight 6 score 5 rule 5", // 3rd pull request; 5 points left of 12
		"a7-review":  "weight 3 score 0 rule 0", // the points cap is reached
		"a8-review":  "weight 3 score 0 rule 0",
		"a9-big":     "weight 6 score 0 rule 5", // 4th pull request: the kind's cap
		"may-review": "weight 3 score 3 rule 0", // a new month
	}
	got := scored(t, b)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	capped := map[string]bool{}
	for i, c := range b.Ledger.Credits {
		capped[c.ID] = b.Credits[i].Capped
	}
	if !capped["a9-big"] || capped["a7-review"] || capped["a3-trivial"] {
		t.Errorf("capped by a kind's cap: %v", capped)
	}
	e, err := b.Explain("person", "alice", ledger.MonthOf(2026, 4))
	if err != nil {
		t.Fatal(err)
	}
	if e.Score != 12 {
		t.Errorf("April: %d points, want the cap of 12", e.Score)
	}
	why := map[string]string{}
	for _, l := range e.Lines {
		why[l.ID] = l.Why
	}
	for id, w := range map[string]string{
		"a1-trivial": "its rule counts it as activity, not as a contribution",
		"a6-big":     "the monthly cap of 12 points, all kinds together, leaves it 5",
		"a7-review":  "the monthly cap of 12 points, all kinds together, leaves it 0",
		"a9-big":     "4th pull_request of the month; the first 3 score",
	} {
		if why[id] != w {
			t.Errorf("%s: why %q, want %q", id, why[id], w)
		}
	}
}

// TestRulesOnMissingFacts: a rule on a fact a credit lacks does not match
// it, and the explanation names each such rule and the fact.
func TestRulesOnMissingFacts(t *testing.T) {
	b := book(t, withRules(rulesProgram, map[string]string{
		"credits/2026/04/github.yaml": `credits:
  - {id: bare, who: alice, kind: pull_request, date: 2026-04-01, title: No facts at all}
  - {id: half, who: alice, kind: pull_request, date: 2026-04-02, facts: {additions: 3, labels: []}}
  - {id: words, who: alice, kind: pull_request, date: 2026-04-03, facts: {additions: three, deletions: 0, labels: []}}
  - {id: truncated, who: alice, kind: pull_request, date: 2026-04-04, facts: {additions: 80, deletions: 0, files: 3, paths: [docs/a.md, docs/b.md], labels: []}}
  - {id: denied, who: alice, kind: pull_request, date: 2026-04-05, facts: {additions: 80, deletions: 0, files: 1, paths: [src/a.go], labels: []}}
`,
	}))
	e, err := b.Explain("person", "alice", ledger.MonthOf(2026, 4))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, l := range e.Lines {
		if l.WeighedBy != "kind weight" || l.Weight != 3 {
			t.Errorf("%s: weighed by %q, weight %d; want the kind's 3", l.ID, l.WeighedBy, l.Weight)
		}
		for _, u := range l.Unjudged {
			got[l.ID] = append(got[l.ID], fmt.Sprintf("rule %d: %s", u.Rule, u.Why))
		}
	}
	want := map[string][]string{
		"bare": {"rule 1: no labels fact", "rule 2: no labels fact", "rule 3: no additions fact", "rule 4: no paths fact", "rule 5: no additions fact"},
		"half": {"rule 3: no deletions fact", "rule 4: no paths fact", "rule 5: no deletions fact"},
		"words": {`rule 3: its additions fact, "three", is not a whole number`, "rule 4: no paths fact",
			`rule 5: its additions fact, "three", is not a whole number`},
		"truncated": {"rule 4: its paths fact lists 2 of its 3 files"}, // rule 5: 80 lines decide
		"denied":    nil,                                               // every rule's facts say no
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("%s: unjudged %q, want %q", id, got[id], w)
		}
	}
}

// TestFewerPointsForTypos is the case that asked for rules: two hundred
// one-line README fixes in a month scored 60 points (capped at 20
// credits), a 5,800-line change across 60 files 3. With rules on size and
// paths they score 20 and 6.
func TestFewerPointsForTypos(t *testing.T) {
	var shard strings.Builder
	shard.WriteString("credits:\n")
	for i := range 200 {
		fmt.Fprintf(&shard, "  - {id: typo-%03d, who: alice, kind: pull_request, date: 2026-04-%02d, title: Fix typo in README, facts: {additions: 1, deletions: 1, files: 1, paths: [README.md]}}\n", i, i%28+1)
	}
	shard.WriteString("  - {id: big, who: github:bob-gh, kind: pull_request, date: 2026-04-15, facts: {additions: 5800, deletions: 40, files: 60}}\n")
	rules := `      - {kind: pull_request, when: {max_lines: 5}, weight: 1}
      - {kind: pull_request, when: {only_paths: ["*.md"]}, weight: 1}
      - {kind: pull_request, when: {min_lines: 1000, min_files: 20}, weight: 6}
`
	for _, c := range []struct {
		name       string
		rules      string
		alice, bob int
	}{
		{"by kind alone", "", 60, 3},
		{"by rules", rules, 20, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			program := "name: Test\nleadership: [alice]\nscoring:\n  - from: 2026-01-01\n    kinds:\n      pull_request: {weight: 3, cap: 20}\n"
			if c.rules != "" {
				program += "    rules:\n" + c.rules
			}
			b := book(t, with(map[string]string{"program.yaml": program, "credits/2026/04/github.yaml": shard.String()}))
			tally := b.Tallies(score.Period{Span: score.Monthly, Start: ledger.MonthOf(2026, 4)})
			scores := map[string]int{}
			for who, p := range tally.People {
				scores[b.Contributors[who].ID] = p.Score
			}
			if scores["alice"] != c.alice || scores["github:bob-gh"] != c.bob {
				t.Errorf("alice %d, bob %d; want %d and %d", scores["alice"], scores["bob"], c.alice, c.bob)
			}
		})
	}
}

func TestExplainNamesTheRule(t *testing.T) {
	b := book(t, withRules(rulesProgram, map[string]string{
		"credits/2026/04/github.yaml": `credits:
  - {id: docs, who: alice, kind: pull_request, date: 2026-04-04, facts: {additions: 80, deletions: 20, files: 2, paths: [docs/guide.md, README.md], labels: []}}
  - {id: legacy, who: alice, kind: review, date: 2026-04-07, project: acme/legacy}
`,
	}))
	e, err := b.Explain("person", "alice", ledger.MonthOf(2026, 4))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{e.Lines[0].WeighedBy, e.Lines[1].WeighedBy}
	want := []string{"rule 4: only_paths docs/**, *.md", "rule 6: project acme/legacy, weight_factor 0.5"}
	if !slices.Equal(got, want) || e.Lines[0].Rule != 4 {
		t.Errorf("weighed by %q (rule %d), want %q", got, e.Lines[0].Rule, want)
	}
}

func TestWeightFactorRounding(t *testing.T) {
	for _, c := range []struct {
		factor string
		kind   int
		want   int
	}{
		{"0.5", 3, 2}, {"0.5", 1, 1}, {"0.5", 4, 2}, {"0.25", 3, 1}, {"0.33", 3, 1}, {"1.5", 3, 5},
		{"2", 3, 6}, {"0", 3, 0}, {"10", 1000, 10000}, {"0.01", 49, 0}, {"0.01", 50, 1},
	} {
		sp := ledger.ScoringPeriod{Kinds: map[string]ledger.KindRule{"review": {Weight: c.kind}},
			Rules: []ledger.WeightRule{{Factor: c.factor}}}
		w := score.NewWeights(&ledger.Program{Scoring: []ledger.ScoringPeriod{sp}})
		if got := w.Weight(&ledger.Credit{Kind: "review", Date: 1}); got != c.want {
			t.Errorf("%s x %d = %d, want %d", c.factor, c.kind, got, c.want)
		}
	}
}

// TestConditionsAreTheSchemas: the conditions a rule's when may name are
// the schema's, each documented with the facts it reads.
func TestConditionsAreTheSchemas(t *testing.T) {
	raw, err := schemas.FS.ReadFile("program.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Definitions struct {
			Conditions struct {
				Properties map[string]struct{ Description string }
			}
		}
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	props := schema.Definitions.Conditions.Properties
	var names []string
	for _, c := range score.Conditions {
		names = append(names, c.Name)
		for _, f := range c.Facts {
			if !strings.Contains(props[c.Name].Description, f) {
				t.Errorf("the schema's %s does not name the fact %s it reads", c.Name, f)
			}
		}
	}
	if got := slices.Sorted(maps.Keys(props)); !slices.Equal(got, slices.Sorted(slices.Values(names))) {
		t.Errorf("the schema's conditions %v, score's %v", got, names)
	}
}
