package action

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// bundled is a repository with the bundled ledger committed.
var bundled = gittest.NewTemplate(func(r *gittest.Repo) {
	r.CopyDir("../../ledger", "ledger")
	r.Commit("base")
})

func TestMain(m *testing.M) {
	code := m.Run()
	bundled.Remove()
	os.Exit(code)
}

// checkPR takes the bundled ledger as the base, applies change on a
// branch and checks it as a pull request by author approved by approvers.
func checkPR(t *testing.T, author string, approvers []string, change func(r *gittest.Repo)) *CheckResult {
	t.Helper()
	r := bundled.Copy(t)
	base := r.Git("rev-parse", "HEAD")
	r.Git("checkout", "-q", "-b", "pr")
	change(r)
	r.Commit("change")
	res, err := Check(context.Background(), CheckOptions{
		Workspace: r.Dir, Ledger: "ledger", Reports: "reports", ReportBranch: "tally/reports",
		PR: PullRequest{Number: 7, Author: author, Approvers: approvers, BaseSHA: base, HeadRef: "pr", SameRepo: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkAt commits what base writes, applies change on a branch and checks
// the ledger at ledgerDir as a pull request by author approved by
// approvers.
func checkAt(t *testing.T, ledgerDir string, base func(r *gittest.Repo), author string, approvers []string, change func(r *gittest.Repo)) (*CheckResult, error) {
	t.Helper()
	r := gittest.New(t)
	r.Write("README.md", "A program.\n")
	base(r)
	baseSHA := r.Commit("base")
	r.Git("checkout", "-q", "-b", "pr")
	change(r)
	r.Commit("change")
	return Check(context.Background(), CheckOptions{
		Workspace: r.Dir, Ledger: ledgerDir, Reports: "reports", ReportBranch: "tally/reports",
		PR: PullRequest{Number: 7, Author: author, Approvers: approvers, BaseSHA: baseSHA, HeadRef: "pr", SameRepo: true},
	})
}

func symlink(t *testing.T, r *gittest.Repo, target, link string) {
	t.Helper()
	if err := os.Symlink(target, r.Path(link)); err != nil {
		t.Fatal(err)
	}
}

func problems(res *CheckResult) string {
	var b strings.Builder
	for _, p := range res.Problems {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

func TestCheckRemovedClaim(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "zeyneparslan", nil, func(r *gittest.Repo) { r.Remove("ledger/claims/talk/2026/webcraft-lumen-plugins.yaml") })
	got := problems(res)
	// The claim is gone from the pull request: no line to point at.
	if !strings.HasPrefix(got, "ledger/claims/talk/2026/webcraft-lumen-plugins.yaml: needs an approving review from a lead of the community area who is not the claimant") {
		t.Errorf("problems:\n%s", got)
	}
}

func TestCheckKindWithoutArea(t *testing.T) {
	t.Parallel()
	claim := "who: github:felixbraun\ndate: 2026-10-12\nevidence: https://tracker.example/t/1\ntitle: Triaged the backlog\n"
	res := checkPR(t, "felixbraun", nil, func(r *gittest.Repo) { r.Write("ledger/claims/task/2026/triage.yaml", claim) })
	if got := problems(res); !strings.Contains(got, "needs an approving review from a team lead or a member of the leadership who is not the claimant: @aikotanaka, @cmendes, @jweber, @leamartin, @mayaokafor, @priyaraman, @samoduya [claim-review]") {
		t.Errorf("problems:\n%s", got)
	}
	res = checkPR(t, "felixbraun", []string{"jweber"}, func(r *gittest.Repo) { r.Write("ledger/claims/task/2026/triage.yaml", claim) })
	if len(res.Problems) != 0 {
		t.Errorf("approved by the leadership, yet:\n%s", problems(res))
	}
}

// Leads are known by their GitHub identities on the base branch: a pull
// request that gives a lead's record another login gains nothing.
func TestCheckLeadIdentityFromBase(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "felixbraun", []string{"mallory"}, func(r *gittest.Repo) {
		r.Write("ledger/claims/talk/2026/berlin.yaml", "who: github:felixbraun\ndate: 2026-10-12\nevidence: https://meetup.example/1\ntitle: A talk\n")
		r.Replace("ledger/people/aiko-tanaka.yaml", "github: aikotanaka", "github: mallory")
	})
	if got := problems(res); !strings.Contains(got, "[claim-review]") || !strings.Contains(got, "@aikotanaka, @cmendes") {
		t.Errorf("problems:\n%s", got)
	}
}

// A decision by someone the pull request stops affiliating with the
// applicant is judged by the base branch's affiliations.
func TestCheckDecisionAffiliationRemoved(t *testing.T) {
	t.Parallel()
	app := "submitted: 2026-10-01\ncontact: github:hannahprice\nstatement: Again.\ndecision: {outcome: approved, date: 2026-10-20, by: [maya-okafor, jonas-weber]}\n"
	res := checkPR(t, "mayaokafor", []string{"mayaokafor", "jweber"}, func(r *gittest.Repo) {
		r.Write("ledger/applications/northwind/2026-10-01.yaml", app)
		r.Replace("ledger/people/maya-okafor.yaml", "  - {org: northwind, from: 2023-04-01}\n", "")
	})
	want := "ledger/applications/northwind/2026-10-01.yaml:4:54: maya-okafor works for northwind on 2026-10-20 (in the base branch's people/), so may not decide its application [decision-review]"
	if got := problems(res); !strings.Contains(got, want) {
		t.Errorf("problems:\n%s\nwant %s", got, want)
	}
}

// An edit that leaves the decision as it was needs no new approvals.
func TestCheckApplicationEditKeepsDecision(t *testing.T) {
	t.Parallel()
	res := checkPR(t, "hannahprice", nil, func(r *gittest.Repo) {
		r.Replace("ledger/applications/northwind/2025-02-10.yaml", "We\n  want our customers", "We\n  would like our customers")
	})
	if len(res.Problems) != 0 {
		t.Errorf("problems:\n%s", problems(res))
	}
}

// The leader who opens the pull request cannot approve it: being named in
// decision.by is their approval, but never for an applicant they work for.
func TestCheckDecisionByAuthor(t *testing.T) {
	t.Parallel()
	decide := func(org, by string) func(r *gittest.Repo) {
		return func(r *gittest.Repo) {
			r.Write("ledger/applications/"+org+"/2026-10-01.yaml",
				"submitted: 2026-10-01\ncontact: github:hannahprice\nstatement: Again.\ndecision: {outcome: approved, date: 2026-10-20, by: ["+by+"]}\n")
		}
	}
	res := checkPR(t, "jweber", []string{"priyaraman"}, decide("northwind", "jonas-weber, priya-raman"))
	if len(res.Problems) != 0 {
		t.Errorf("decided by the author and an approver, yet:\n%s", problems(res))
	}
	res = checkPR(t, "jweber", nil, decide("northwind", "jonas-weber, priya-raman"))
	if got := problems(res); strings.Contains(got, "jonas-weber is named") || !strings.Contains(got, "priya-raman is named in decision.by and must approve the pull request: @priyaraman [decision-review]") {
		t.Errorf("problems:\n%s", got)
	}
	res = checkPR(t, "mayaokafor", []string{"priyaraman"}, decide("northwind", "maya-okafor, priya-raman"))
	if got := problems(res); !strings.Contains(got, "maya-okafor works for northwind on 2026-10-20") || !strings.Contains(got, "may not decide its application") {
		t.Errorf("an author affiliated with the applicant decided it:\n%s", got)
	}
}

// A link on the way to the ledger is no more followed than one in its
// place: the folders of the configured path are taken by name.
func TestCheckLinkOnTheWayToTheLedger(t *testing.T) {
	res, err := checkAt(t, "program/ledger", func(r *gittest.Repo) { r.CopyDir("../../ledger", "program/ledger") }, "mallory", nil, func(r *gittest.Repo) {
		r.Git("mv", "program", "elsewhere")
		r.Replace("elsewhere/ledger/program.yaml", "leadership: [maya-okafor,", "leadership: [mallory, maya-okafor,")
		symlink(t, r, "elsewhere", "program")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "program: program is a symbolic link (to elsewhere), on the way to the ledger folder program/ledger: tally reads the ledger at its configured path only, never through a link"
	if got := problems(res); !res.BaseRules || len(res.Problems) != 1 || !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "[ledger-path]\n") {
		t.Errorf("problems:\n%s\nwant %s", got, want)
	}
}

// A base whose ledger cannot be read where the configuration puts it has
// no rules to judge by: the check fails rather than take it for a program
// without a ledger, which its pull requests would judge themselves.
func TestCheckBaseLedgerUnreadable(t *testing.T) {
	addClaim := func(r *gittest.Repo) {
		r.Write("data/claims/task/2026/triage.yaml", "who: github:mallory\ndate: 2026-10-12\nevidence: https://tracker.example/t/1\ntitle: Triage\n")
	}
	_, err := checkAt(t, "ledger", func(r *gittest.Repo) {
		r.CopyDir("../../ledger", "data")
		symlink(t, r, "data", "ledger")
	}, "mallory", nil, addClaim)
	if err == nil || !strings.Contains(err.Error(), "the ledger at the base commit: ledger is not a folder (a link, a file or a submodule)") {
		t.Errorf("a base whose ledger is a link: %v", err)
	}
	_, err = checkAt(t, "data", func(r *gittest.Repo) {
		r.CopyDir("../../ledger", "data")
		r.Write("data/rules.txt", r.Read("data/program.yaml"))
		r.Remove("data/program.yaml")
		symlink(t, r, "rules.txt", "data/program.yaml")
	}, "mallory", nil, addClaim)
	if err == nil || !strings.Contains(err.Error(), "the ledger at the base commit has no valid program.yaml (a regular file)") {
		t.Errorf("a base whose program.yaml is a link: %v", err)
	}
}

// A pull request that creates the ledger has no base to be judged by: its
// own rules judge it, and the leadership it names approves it.
func TestCheckFirstLedger(t *testing.T) {
	create := func(r *gittest.Repo) {
		r.Write("ledger/program.yaml", "name: New\ntimezone: UTC\nleadership: [maya, jonas]\nscoring:\n  - from: 2026-01-01\n    kinds: {pull_request: {weight: 3}}\n")
		r.Write("ledger/people/maya.yaml", "name: Maya\nidentities: {github: mayaokafor}\n")
		r.Write("ledger/people/jonas.yaml", "name: Jonas\nidentities: {github: jweber}\n")
	}
	res, err := checkAt(t, "ledger", func(*gittest.Repo) {}, "mayaokafor", nil, create)
	if err != nil {
		t.Fatal(err)
	}
	want := "ledger/program.yaml: a change to program.yaml needs an approving review from the leadership this pull request names (the base branch has no ledger to judge it by): @jweber, @mayaokafor [rules-review]"
	if got := problems(res); res.BaseRules || !strings.Contains(got, want) {
		t.Errorf("problems:\n%s\nwant %s", got, want)
	}
	if res, err = checkAt(t, "ledger", func(*gittest.Repo) {}, "mayaokafor", []string{"mayaokafor", "jweber"}, create); err != nil || len(res.Problems) != 0 {
		t.Errorf("approved by its leadership: %v\n%s", err, problems(res))
	}
}
