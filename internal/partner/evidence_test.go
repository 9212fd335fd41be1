package partner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/partner"
)

const evidenceProgram = `name: Test Community
leadership: [lead]
scoring:
  - from: 2020-01-01
    kinds:
      pull_request: {weight: 3}
      review: {weight: 2}
      talk: {weight: 5}
`

// TestEvidence: an organisation's score over the contribution window by
// kind and by project, and each pattern: worth a look, fine, or not known
// when the credits lack the facts it needs.
func TestEvidence(t *testing.T) {
	f := newFixture()
	f["program.yaml"] = evidenceProgram
	f.org("acme", "US", "")
	f.person("acme-rev", "acme", "2020-01-01")
	f.org("globex", "US", "")
	credit := func(date, line string) {
		path := "credits/" + date[:4] + "/" + date[5:7] + "/github.yaml"
		if f[path] == "" {
			f[path] = "credits:\n"
		}
		f[path] += fmt.Sprintf("  - {id: \"github:%s-%d\", date: %s, %s}\n", date, strings.Count(f[path], "\n"), date, line)
	}
	// Before the window: not counted.
	credit("2026-07-10", "who: acme-dev, kind: talk")
	// acme-dev's pull requests: three tiny, two self-merged of four known.
	credit("2026-08-03", "who: github:acme-dev, kind: pull_request, project: acme/widget, facts: {additions: 1, deletions: 1, merged_by: acme-dev}")
	credit("2026-08-04", "who: github:acme-dev, kind: pull_request, project: acme/widget, facts: {additions: 2, deletions: 0, merged_by: ACME-DEV}")
	credit("2026-09-05", "who: github:acme-dev, kind: pull_request, project: acme/widget, facts: {additions: 5, deletions: 3, merged_by: lead-gh}")
	credit("2026-09-06", "who: github:acme-dev, kind: pull_request, project: acme/docs, facts: {additions: 500, deletions: 3, merged_by: lead-gh}")
	credit("2026-10-07", "who: github:acme-dev, kind: pull_request, project: acme/docs")
	// Reviews: of acme's own people, of someone else's, and unknown.
	credit("2026-10-29", "who: github:acme-rev, kind: review, project: acme/widget, facts: {pr_author: acme-dev}")
	credit("2026-10-30", "who: github:acme-rev, kind: review, project: acme/widget, facts: {pr_author: globex-dev}")
	credit("2026-10-31", "who: github:acme-rev, kind: review, project: acme/widget")
	// A talk at the end of the month.
	credit("2026-09-30", "who: acme-dev, kind: talk")
	// globex's one person, with no facts at all.
	credit("2026-10-10", "who: globex-dev, kind: pull_request")
	credit("2026-10-11", "who: globex-dev, kind: review")
	b := f.book(t)
	e := partner.NewEvaluator(b)

	ev := e.Evidence("acme", mustMonth("2026-10"))
	if ev.From != mustMonth("2026-08") || ev.Score != 26 || ev.Credits != 9 || ev.People != 2 {
		t.Errorf("window %s to %s: %d points, %d credits, %d people; want 2026-08 to 2026-10, 26, 9, 2", ev.From, ev.To, ev.Score, ev.Credits, ev.People)
	}
	if got := fmt.Sprint(ev.Kinds); got != "[{pull_request 15 5} {review 6 3} {talk 5 1}]" {
		t.Errorf("by kind %s", got)
	}
	if got := fmt.Sprint(ev.Projects); got != "[{acme/widget 15 6} {acme/docs 6 2} { 5 1}]" {
		t.Errorf("by project %s", got)
	}
	want := []string{
		"tiny_pull_requests look 3/4/5: 3 of 4 pull requests (75%) changed fewer than 10 lines; 1 more without the additions and deletions facts",
		"month_end_burst fine 11/26/26: 11 of 26 points (42%) were earned in the last 3 days of a month",
		"one_person look 20/26/26: 20 of 26 points (77%) came from one person",
		"self_merged look 2/4/5: 2 of 4 pull requests (50%) were merged by their own author; 1 more without the merged_by fact",
		"own_reviews fine 1/2/3: 1 of 2 reviews (50%) were of pull requests by the organisation's own people; 1 more without the pr_author fact",
	}
	check := func(ev *partner.Evidence, want []string) {
		t.Helper()
		for i, fl := range ev.Flags {
			got := fmt.Sprintf("%s %s %d/%d/%d: %s", fl.Name, fl.Status, fl.Count, fl.Known, fl.Of, fl.Summary)
			if i >= len(want) || got != want[i] {
				t.Errorf("flag %d: %s", i, got)
			}
		}
		if len(ev.Flags) != len(want) {
			t.Errorf("%d flags, want %d", len(ev.Flags), len(want))
		}
	}
	check(ev, want)

	check(e.Evidence("globex", mustMonth("2026-10")), []string{
		"tiny_pull_requests not known 0/0/1: 1 pull request, none with the additions and deletions facts",
		"month_end_burst fine 0/5/5: 0 of 5 points (0%) were earned in the last 3 days of a month",
		"one_person look 5/5/5: all 5 points came from one person",
		"self_merged not known 0/0/1: 1 pull request, none with the merged_by fact",
		"own_reviews not known 0/0/1: 1 review, none with the pr_author fact",
	})
	check(e.Evidence("globex", mustMonth("2026-06")), []string{
		"tiny_pull_requests fine 0/0/0: no pull requests",
		"month_end_burst fine 0/0/0: no score",
		"one_person fine 0/0/0: no score",
		"self_merged fine 0/0/0: no pull requests",
		"own_reviews fine 0/0/0: no reviews",
	})
}
