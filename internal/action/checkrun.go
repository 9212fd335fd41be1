package action

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/tallyledger/tally/internal/diff"
	tgh "github.com/tallyledger/tally/internal/github"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/words"
)

// maxAnnotations per rule: GitHub shows only so many, and a flood hides
// the point. The step summary lists every problem.
const maxAnnotations = 10

func (e *Env) check(ctx context.Context, c *config) error {
	ev, err := readEvent(c)
	if err != nil {
		return err
	}
	pr := ev.PullRequest
	client, err := e.client(c)
	if err != nil {
		return err
	}
	// Approvals count for the commit they were given on: the event's head
	// is the commit this run checks out.
	head := pr.Head.SHA
	if head == "" {
		if head, err = tgh.HeadSHA(ctx, client, c.owner, c.repo, pr.Number); err != nil {
			return err
		}
	}
	approvers, err := tgh.Approvers(ctx, client, c.owner, c.repo, pr.Number, head)
	if err != nil {
		return err
	}
	base, err := compareBase(ctx, c.workspace, pr.Base.SHA, head)
	if err != nil {
		return err
	}
	opts := CheckOptions{
		Workspace: c.workspace, Ledger: c.ledger, Reports: c.reports, ReportBranch: c.branch,
		PR: PullRequest{
			Number: pr.Number, Author: pr.User.Login, Approvers: approvers, BaseSHA: base, HeadRef: pr.Head.Ref,
			SameRepo: pr.Head.Repo != nil && pr.Head.Repo.FullName == pr.Base.Repo.FullName,
		},
	}
	var untrusted string
	if opts.PR.fromReportBranch(c.branch) {
		why, err := verifyPublication(ctx, client, c, pr.Number, head)
		if err != nil {
			return err
		}
		if opts.PR.Published = why == ""; !opts.PR.Published {
			untrusted = fmt.Sprintf("Pull request #%d comes from %s but does not hold what the monthly run published: %s. It is judged as any pull request.", pr.Number, c.branch, why)
			e.Warning(untrusted, Annotation{Title: "tally"})
		}
	}
	e.Group("Check the pull request")
	res, err := Check(ctx, opts)
	if err != nil {
		e.EndGroup()
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(e.Out(), p)
	}
	e.EndGroup()

	perRule := map[string]int{}
	for _, p := range res.Problems {
		if perRule[p.Rule]++; perRule[p.Rule] <= maxAnnotations {
			e.Error(p.Message, Annotation{Title: p.Rule, File: p.File, Line: p.Line, Col: p.Col})
		}
	}

	var changes strings.Builder
	if !res.NoLedger {
		d, err := diff.Run(ctx, diff.Options{Dir: joinWorkspace(c.workspace, c.ledger), Base: base})
		if err != nil {
			return err
		}
		if err := d.Markdown(&changes); err != nil {
			return err
		}
	}
	if err := e.Summary(checkSummary(pr.Number, res, perRule, untrusted) + "\n" + changes.String()); err != nil {
		return err
	}
	if err := e.SetOutput("findings", strconv.Itoa(len(res.Problems))); err != nil {
		return err
	}
	// The verdict is the check's status: a comment that cannot be posted
	// is a warning, not a failure.
	pc := pullComment{Number: pr.Number, HeadSHA: strings.ToLower(head), Reviewers: res.reviewers()}
	pc.Body = commentBody(commentInput{
		Number: pr.Number, Res: res, Diff: changes.String(), Untrusted: untrusted, Today: e.today(res),
		BlobURL: fmt.Sprintf("%s/%s/%s/blob/%s/", c.serverURL, c.owner, c.repo, head),
	})
	if err := e.converse(ctx, client, c, pc, pr.User.Login, c.runID); err != nil {
		e.Warning("The pull request's comment: "+err.Error(), Annotation{Title: "tally"})
	}
	if n := len(res.Problems); n > 0 {
		return fmt.Errorf("pull request #%d cannot merge yet: %s (the step summary lists them)", pr.Number, words.Plural(n, "problem"))
	}
	return nil
}

// reviewers are those asked to review: anyone whose approval would give
// a change the review it lacks.
func (res *CheckResult) reviewers() []string {
	var out []string
	for _, p := range res.Problems {
		if p.Reviewing {
			out = append(out, p.Reviewers...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// today is the date in the time zone of the rules the check judged by.
func (e *Env) today(res *CheckResult) ledger.Date {
	var p *ledger.Program
	if res.rules != nil {
		p = res.rules.base.Program
	}
	loc, err := p.Location()
	if err != nil {
		loc = time.UTC // validation reports the time zone
	}
	return ledger.DateOf(e.now(), loc)
}

// verifyPublication tells why the checked-out pull request is not what the
// monthly run published ("" when it is): GitHub's record is of the head
// commit, so the work tree must hold that commit, or GitHub's merge of it.
func verifyPublication(ctx context.Context, client *gh.Client, c *config, number int, head string) (string, error) {
	repo, _, err := gitrev.Find(ctx, joinWorkspace(c.workspace, c.ledger))
	if err != nil {
		return "", err
	}
	var checkedOut bool
	for _, rev := range []string{"HEAD", "HEAD^2"} {
		if sha, err := repo.Resolve(ctx, rev); err == nil && strings.EqualFold(sha, head) {
			checkedOut = true
		}
	}
	if !checkedOut {
		return fmt.Sprintf("the work tree is neither its head %s nor a merge of it", head), nil
	}
	return tgh.VerifyPublication(ctx, client, c.owner, c.repo, number, head)
}

// compareBase is the commit of the base branch that the checked-out
// pull request is compared with. The event's base.sha is the base branch
// when the event happened, which a review event may give long after: what
// was merged since would look like the pull request's change. A merge
// commit of the pull request's head (what actions/checkout checks out)
// was made on the base as it is now, its first parent; a checkout of the
// head itself is compared with where it left the base.
func compareBase(ctx context.Context, dir, eventBase, head string) (string, error) {
	repo, _, err := gitrev.Find(ctx, dir)
	if err != nil {
		return "", err
	}
	if second, err := repo.Resolve(ctx, "HEAD^2"); err == nil && strings.EqualFold(second, head) {
		return repo.Resolve(ctx, "HEAD^1")
	}
	if _, err := repo.Resolve(ctx, eventBase); err != nil {
		return "", fmt.Errorf("the base commit: %w (check out with fetch-depth: 0)", err)
	}
	return repo.MergeBase(ctx, eventBase, "HEAD")
}

// checkSummary is the Markdown head of the step summary: why a pull
// request from the report branch is judged as any (untrusted, when it is),
// what is missing, then what is wrong with the data, every item.
func checkSummary(number int, res *CheckResult, perRule map[string]int, untrusted string) string {
	var b strings.Builder
	var reviewing, data []Problem
	for _, p := range res.Problems {
		if p.Reviewing {
			reviewing = append(reviewing, p)
		} else {
			data = append(data, p)
		}
	}
	switch {
	case len(res.Problems) == 0:
		fmt.Fprintf(&b, "## Tally check: pull request #%d may merge\n\nThe ledger is valid and every change has the reviews it needs.\n", number)
	default:
		fmt.Fprintf(&b, "## Tally check: pull request #%d cannot merge yet\n", number)
	}
	b.WriteString("\n" + judgedBy(res) + "\n")
	if untrusted != "" {
		b.WriteString("\n" + escapeMarkdown(untrusted) + "\n")
	}
	section := func(title string, ps []Problem) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, len(ps))
		for _, p := range ps {
			loc := "`" + p.File
			if p.Line > 0 {
				loc += fmt.Sprintf(":%d:%d", p.Line, p.Col)
			}
			fmt.Fprintf(&b, "- %s` %s [%s]\n", loc, escapeMarkdown(p.Message), p.Rule)
		}
	}
	section("What is missing", reviewing)
	section("Findings", data)
	rules := slices.Sorted(maps.Keys(perRule))
	for _, rule := range rules {
		if n := perRule[rule]; n > maxAnnotations {
			fmt.Fprintf(&b, "\nOnly the first %d of %d `%s` problems are annotated on the files.\n", maxAnnotations, n, rule)
		}
	}
	return b.String()
}

// judgedBy says whose rules judged the pull request.
func judgedBy(res *CheckResult) string {
	switch {
	case !res.BaseRules:
		return "The base branch has no ledger at the configured path: this pull request creates it, so it is judged by its own program.yaml and people, and a member of the leadership it names other than its author approves it."
	case res.RulesChanged:
		return "Judged by the base branch's program.yaml (this pull request changes it: the new rules apply once it is merged)."
	}
	return "Judged by the base branch's program.yaml."
}

// escapeMarkdown keeps a message's text from turning into markup or HTML
// in the summary.
var escapeMarkdown = strings.NewReplacer("<", "&lt;", ">", "&gt;", "|", "\\|").Replace
