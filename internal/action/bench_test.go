package action

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tallyledger/tally/internal/diff"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/synth"
)

// BenchmarkCheck measures what the pull request check does besides the
// API calls: validating the whole ledger with the base's rules, the review
// rules, and tally diff against the base, for a pull request that edits
// one credit. TALLY_BENCH_LEDGER_REPO names a repository whose ledger/
// changed that way between HEAD~1 and HEAD, checked out at HEAD (as for
// internal/diff's benchmark); without it a synthetic ledger a hundredth of
// the foundation's size is used.
func BenchmarkCheck(b *testing.B) {
	dir := os.Getenv("TALLY_BENCH_LEDGER_REPO")
	if dir == "" {
		dir = benchRepo(b)
	}
	o := CheckOptions{Workspace: dir, Ledger: "ledger", Reports: "reports", ReportBranch: "tally/reports",
		PR: PullRequest{Number: 1, Author: "someone", BaseSHA: "HEAD~1", HeadRef: "pr", SameRepo: true}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Check(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		// The edited shard needs the leadership's approval.
		if len(res.Problems) != 1 || res.Problems[0].Rule != "rules-review" {
			b.Fatalf("problems: %v", res.Problems)
		}
		if _, err := diff.Run(context.Background(), diff.Options{Dir: dir + "/ledger", Base: "HEAD~1"}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRepo(b *testing.B) string {
	r := gittest.New(b)
	spec := synth.Foundation
	spec.People, spec.Orgs, spec.Credits = spec.People/100, spec.Orgs/100, spec.Credits/100
	if err := synth.Write(r.Path("ledger"), spec); err != nil {
		b.Fatal(err)
	}
	r.Commit("synthetic ledger")
	shard := "ledger/credits/" + strings.ReplaceAll((spec.Start+55).String(), "-", "/") + "/github.yaml"
	s := r.Read(shard)
	i := strings.Index(s, "kind: ")
	j := i + strings.IndexByte(s[i:], '\n')
	kind := "review"
	if s[i+6:j] == kind {
		kind = "issue"
	}
	r.Write(shard, s[:i]+"kind: "+kind+s[j:])
	r.Commit("one credit's kind")
	return r.Dir
}

// BenchmarkApplicationComment measures the check of a pull request that
// adds an application, with the comment that shows its evidence: scoring
// the pull request's ledger and evaluating the applicant come on top of
// what BenchmarkCheck measures. TALLY_BENCH_SCALE=1 uses the foundation's
// size (a hundredth by default).
func BenchmarkApplicationComment(b *testing.B) {
	r := gittest.New(b)
	spec := synth.Foundation
	if os.Getenv("TALLY_BENCH_SCALE") != "1" {
		spec.People, spec.Orgs, spec.Credits = spec.People/100, spec.Orgs/100, spec.Credits/100
	}
	if err := synth.Write(r.Path("ledger"), spec); err != nil {
		b.Fatal(err)
	}
	r.Commit("synthetic ledger")
	orgs, err := os.ReadDir(r.Path("ledger/organizations"))
	if err != nil || len(orgs) == 0 {
		b.Fatal(err)
	}
	org := strings.TrimSuffix(orgs[0].Name(), ".yaml")
	day := (spec.Start + ledger.Month(spec.Months)).First()
	r.Write("ledger/applications/"+org+"/"+day.String()+".yaml", "submitted: "+day.String()+"\ncontact: github:someone\n")
	r.Commit("an application")
	o := CheckOptions{Workspace: r.Dir, Ledger: "ledger", Reports: "reports", ReportBranch: "tally/reports",
		PR: PullRequest{Number: 1, Author: "someone", BaseSHA: "HEAD~1", HeadRef: "pr", SameRepo: true}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Check(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		body := commentBody(commentInput{Number: 1, Res: res, Today: day.AddDays(20)})
		if !strings.Contains(body, "### Application: ") || !strings.Contains(body, "| Criterion |") {
			b.Fatalf("the comment shows no evidence:\n%s", body)
		}
	}
}
