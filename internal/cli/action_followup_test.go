package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/github/githubtest"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// onMain commits a change to the default branch, as a merged pull request
// does, after the run's work tree is put back.
func (r *runner) onMain(message string, change func(*gittest.Repo)) {
	r.t.Helper()
	r.repo.Git("checkout", "-q", "--", ".")
	r.repo.Git("clean", "-fdq")
	change(r.repo)
	r.repo.Commit(message)
	r.srv.ImportHead(r.t, r.repo.Dir, "main")
}

// pay sets the amount of a payment of the bundled ledger.
func pay(repo *gittest.Repo, month, id, from, to string) {
	name := "ledger/funding/2026/" + month + "/opencollective.yaml"
	s := repo.Read(name)
	i := strings.Index(s, "id: "+id+"\n")
	if i < 0 {
		panic("no payment " + id + " in " + name)
	}
	j := i + strings.Index(s[i:], `amount: "`+from+`"`)
	if j < i {
		panic("no payment " + id + " of " + from + " in " + name)
	}
	repo.Write(name, s[:j]+`amount: "`+to+`"`+s[j+len(`amount: "`+from+`"`):])
}

func followUps(srv *githubtest.Server) []githubtest.Issue {
	var out []githubtest.Issue
	for _, is := range srv.Issues() {
		if strings.HasPrefix(is.Title, "Partner follow-up: ") {
			out = append(out, is)
		}
	}
	return out
}

// The monthly run asks the leadership to review its pull request, and
// opens one follow-up issue for the month: the partners that lapsed, are
// in warning or recovering, with their last three months and what they
// need, mentioning program.yaml's contacts.partners. A re-run updates it;
// once someone closes it, it stays closed.
func TestActionMonthlyFollowUp(t *testing.T) {
	r := newRunner(t)
	r.ingest = &shardIngester{api: r.srv.URL}
	// Saffron Stack pays too little in October: in warning; Kieselstein
	// did in September: back at the requirements in October.
	r.onMain("payments", func(repo *gittest.Repo) {
		pay(repo, "10", "opencollective:633119", "4500.00", "45.00")
		pay(repo, "09", "opencollective:622714", "150.00", "15.00")
	})
	schedule := map[string]any{"schedule": "17 5 1 * *"}
	res := r.step("schedule", schedule, monthlyInputs())
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if asked := r.srv.Asked(1); !slices.Equal(asked, []string{"jweber", "mayaokafor", "priyaraman"}) {
		t.Errorf("the report pull request asked %v to review, want the leadership", asked)
	}
	issues := followUps(r.srv)
	if len(issues) != 1 {
		t.Fatalf("follow-up issues = %+v", issues)
	}
	is := issues[0]
	if is.Title != "Partner follow-up: 2026-10" || is.State != "open" || is.Author != "github-actions[bot]" {
		t.Errorf("issue = %+v", is)
	}
	wantIn(t, "the issue", is.Body,
		"<!-- tally:follow-up 2026-10 -->\nWho needs a word after October 2026, from the reports of #1. For @mayaokafor.",
		"### Lapsed (1)",
		"| Atelier Cobalt (`atelier-cobalt`) | 5 · $0.00 | 4 · $0.00 | 2 · $0.00 | 3 months below the requirements; in October 2026: score 2 of 10; payments $0.00 of $115.26 |",
		"### In warning (1)",
		"| Saffron Stack Technologies (`saffron-stack`) |",
		"| 2 months left before it lapses; in October 2026: payments $0.50 of $41.08 |",
		"### Recovering (1)",
		"| Kieselstein Software GmbH (`kieselstein`) |",
		"1 month below the requirements up to September 2026 |",
		"- **Came back** (credits in October 2026, none in the 3 months before): Nguyễn Thị Lan (`lan-nguyen`) and Reto Baumann (`reto-baumann`)",
	)
	wantIn(t, "the summary", res.summary, "Follow-up issue for 2026-10: #2 created")

	// The same run again: the same issue, unchanged; no one asked twice.
	if res = r.step("schedule", schedule, monthlyInputs()); res.code != 0 {
		t.Fatalf("again: exit %d\n%s", res.code, res.stderr)
	}
	if got := followUps(r.srv); len(got) != 1 || got[0].Body != is.Body || len(r.srv.Asked(1)) != 3 {
		t.Fatalf("again: issues %+v, asked %v", got, r.srv.Asked(1))
	}

	// Saffron Stack pays after all: the issue is updated in place.
	r.onMain("Saffron Stack's payment", func(repo *gittest.Repo) { pay(repo, "10", "opencollective:633119", "45.00", "4500.00") })
	if res = r.step("schedule", schedule, monthlyInputs()); res.code != 0 {
		t.Fatalf("third run: exit %d\n%s", res.code, res.stderr)
	}
	got := followUps(r.srv)
	if len(got) != 1 || got[0].Number != is.Number || strings.Contains(got[0].Body, "In warning") || !strings.Contains(got[0].Body, "### Lapsed (1)") {
		t.Fatalf("after Saffron's payment: %+v", got)
	}
	wantIn(t, "the summary", res.summary, "Follow-up issue for 2026-10: #2 updated")

	// The project lead closes it: later runs leave it closed, as it is.
	r.srv.CloseIssue(is.Number)
	body := got[0].Body
	r.onMain("Kieselstein's payment", func(repo *gittest.Repo) { pay(repo, "09", "opencollective:622714", "15.00", "150.00") })
	if res = r.step("schedule", schedule, monthlyInputs()); res.code != 0 {
		t.Fatalf("after closing: exit %d\n%s", res.code, res.stderr)
	}
	if got := followUps(r.srv); len(got) != 1 || got[0].State != "closed" || got[0].Body != body {
		t.Fatalf("the closed issue: %+v", got)
	}
	wantIn(t, "the summary", res.summary, "The follow-up issue for 2026-10, #2, is closed: left as it is.")
}

// A month with no one to follow up opens no issue.
func TestActionMonthlyNothingToFollowUp(t *testing.T) {
	r := newRunner(t)
	// January 2025: no partner yet, and too early for anyone to have gone
	// quiet or come back.
	res := r.step("workflow_dispatch", map[string]any{}, map[string]string{"command": "monthly", "as-of": "2025-01", "allow-large-changes": "true"})
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if issues := r.srv.Issues(); len(issues) != 0 {
		t.Errorf("issues = %+v", issues)
	}
	wantIn(t, "the summary", res.summary, "No follow-up for 2025-01: every partner keeps up, and no one went quiet or came back.")
}
