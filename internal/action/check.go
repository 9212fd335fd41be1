package action

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/tallyledger/tally/internal/check"
	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
)

// PullRequest is what the check needs to know of a pull request: who
// opened it, from where, against which commit, and who approved it.
type PullRequest struct {
	Number int
	// Author and Approvers are GitHub logins.
	Author    string
	Approvers []string
	// BaseSHA is the commit of the base branch the pull request is
	// compared with; its program.yaml and people judge the change.
	BaseSHA string
	// HeadRef is the pull request's branch; SameRepo is set when that
	// branch is in the base repository (not a fork).
	HeadRef  string
	SameRepo bool
	// Published is set when the head is exactly what the monthly run
	// published, as GitHub records it (internal/github's
	// VerifyPublication).
	Published bool
}

// fromReportBranch tells whether the pull request comes from the branch
// the monthly run publishes from, in the same repository (a fork's branch
// of that name is not).
func (pr PullRequest) fromReportBranch(branch string) bool {
	return pr.SameRepo && pr.HeadRef == branch
}

// fromReportRun tells whether the pull request is the monthly run's own:
// from its branch, and holding what it published. Who opened it does not
// say: anyone who may push to the branch can add commits to the run's pull
// request, and write any author in them.
func (pr PullRequest) fromReportRun(branch string) bool {
	return pr.fromReportBranch(branch) && pr.Published
}

// CheckOptions say what to check. Folders are slash paths from the top of
// the repository, which is Workspace.
type CheckOptions struct {
	Workspace, Ledger, Reports string
	// ReportBranch is the branch the monthly run publishes from: its pull
	// requests may change the reports.
	ReportBranch string
	PR           PullRequest
}

// Problem is one reason a pull request may not merge, at a file of the
// repository (a path from its top) and, when known, a line and column.
type Problem struct {
	File      string `json:"file"`
	Line      int    `json:"line,omitempty"`
	Col       int    `json:"column,omitempty"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
	Reviewing bool   `json:"-"` // a missing review or permission, not a data error
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += fmt.Sprintf(":%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s: %s [%s]", loc, p.Message, p.Rule)
}

// CheckResult is what the check found.
type CheckResult struct {
	Problems []Problem
	// BaseRules is set when program.yaml came from the base branch (it
	// has none when the pull request creates the ledger).
	BaseRules bool
	// RulesChanged is set when the pull request changes program.yaml.
	RulesChanged bool
}

// Check validates a pull request's ledger with the base branch's rules and
// enforces who may change what:
//   - a claim is the claimant's own, or comes from a lead of its kind's
//     area, and is approved by a lead of that area who is not the claimant
//     (such a lead who opens it approves it);
//   - an application's decision is approved by every member of the
//     leadership it names (the author by naming themselves), none of them
//     affiliated with the applicant;
//   - program.yaml and thresholds.yaml are approved by the leadership;
//   - so are people, organisations and conduct records: identities decide
//     who a reviewer is, affiliations and conduct decide eligibility;
//   - credit and funding shards and ingestion state, which ingestion and
//     imports write, change only in the monthly run's pull request or
//     with the leadership's approval;
//   - generated reports change only in the monthly run's pull request.
//
// People, leads and the leadership are read from the base branch, so a pull
// request cannot grant itself the right to merge.
func Check(ctx context.Context, o CheckOptions) (*CheckResult, error) {
	ledgerDir := joinWorkspace(o.Workspace, o.Ledger)
	repo, prefix, err := gitrev.Find(ctx, ledgerDir)
	if err != nil {
		return nil, err
	}
	base, err := repo.Resolve(ctx, o.PR.BaseSHA)
	if err != nil {
		return nil, fmt.Errorf("the base commit: %w (check out with fetch-depth: 0)", err)
	}
	changes, err := repo.Changes(ctx, base, "", prefix)
	if err != nil {
		return nil, err
	}
	res := &CheckResult{}
	// Annotations name files from the top of the repository.
	ledgerPath := func(p string) string { return path.Join(prefix, p) }

	before, err := loadBase(ctx, repo, base, prefix, changes)
	if err != nil {
		return nil, err
	}
	res.BaseRules = before.Program != nil

	// The pull request's ledger, validated with the base's program.yaml.
	var fsys fs.FS = os.DirFS(ledgerDir)
	if res.BaseRules {
		fsys = overlay{FS: fsys, files: map[string][]byte{"program.yaml": before.programYAML}}
	}
	after, findings, err := ledger.LoadFS(fsys, ledger.Options{})
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger: %w", err)
	}
	findings = append(findings, check.Run(after)...)
	for _, c := range changes {
		if c.Path == "program.yaml" {
			res.RulesChanged = true
		}
	}
	if res.RulesChanged && res.BaseRules {
		// The new rules are judged by the old ones, but must still be
		// valid rules themselves.
		_, own, err := ledger.Load(ledgerDir, ledger.Options{Include: func(p string) bool { return p == "program.yaml" }})
		if err != nil {
			return nil, err
		}
		findings = append(findings, own...)
		if _, err := os.Stat(filepath.Join(ledgerDir, "program.yaml")); errors.Is(err, fs.ErrNotExist) {
			findings = append(findings, ledger.Finding{Path: "program.yaml", Rule: "program", Message: "the pull request removes program.yaml: a ledger needs its rules"})
		}
	}
	for _, f := range ledger.SortFindings(findings) {
		res.Problems = append(res.Problems, Problem{File: ledgerPath(f.Path), Line: f.Line, Col: f.Col, Rule: f.Rule, Message: findingMessage(f, ledgerPath)})
	}

	rules := reviewRules{
		pr: o.PR, base: before.Ledger, baseIx: ledger.NewIndex(before.Ledger), head: after, headIx: ledger.NewIndex(after),
		approved:      map[string]bool{},
		fromReportRun: o.PR.fromReportRun(o.ReportBranch),
	}
	for _, a := range o.PR.Approvers {
		rules.approved[strings.ToLower(a)] = true
	}
	if !res.BaseRules {
		// A pull request that creates the ledger has no base to be judged
		// by: its own program and people are the rules.
		rules.base, rules.baseIx = after, rules.headIx
	}
	for _, c := range changes {
		for _, p := range rules.change(c) {
			p.File = ledgerPath(p.File)
			p.Reviewing = true
			res.Problems = append(res.Problems, p)
		}
	}

	reports, err := reportChanges(ctx, repo, base, o)
	if err != nil {
		return nil, err
	}
	res.Problems = append(res.Problems, reports...)
	return res, nil
}

func findingMessage(f ledger.Finding, relocate func(string) string) string {
	if f.First == nil {
		return f.Message
	}
	return fmt.Sprintf("%s (first at %s:%d:%d)", f.Message, relocate(f.First.Path), f.First.Line, f.First.Col)
}

// reportChanges finds edits to the generated reports.
func reportChanges(ctx context.Context, repo *gitrev.Repo, base string, o CheckOptions) ([]Problem, error) {
	if o.Reports == "" || o.PR.fromReportRun(o.ReportBranch) {
		return nil, nil
	}
	dir, err := inRepo(repo, joinWorkspace(o.Workspace, o.Reports))
	if err != nil {
		return nil, err
	}
	changes, err := repo.Changes(ctx, base, "", dir)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, c := range changes {
		out = append(out, Problem{
			File: path.Join(dir, c.Path), Rule: "generated", Reviewing: true,
			Message: fmt.Sprintf("reports are generated: a pull request may not %s them; revert this file (the monthly run rewrites the reports from the ledger)", verb(c.Status)),
		})
	}
	return out, nil
}

// inRepo is a folder's slash path inside the repository ("" for its top).
// The folder need not exist (a pull request may remove it).
func inRepo(repo *gitrev.Repo, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root, err := filepath.EvalSymlinks(repo.Root)
	if err != nil {
		return "", err
	}
	if parent, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(parent, filepath.Base(abs))
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the repository %s", dir, repo.Root)
	}
	if rel == "." {
		return "", nil
	}
	return filepath.ToSlash(rel), nil
}

func verb(s gitrev.Status) string {
	switch s {
	case 'A':
		return "add to"
	case 'D':
		return "remove"
	}
	return "edit"
}

// baseLedger is the part of the base branch's ledger that judges a change:
// its rules, its people and the earlier versions of changed files.
type baseLedger struct {
	*ledger.Ledger
	programYAML []byte
}

func loadBase(ctx context.Context, repo *gitrev.Repo, base, prefix string, changes []gitrev.Change) (*baseLedger, error) {
	tree, err := repo.Tree(ctx, base, prefix, gitrev.TreeOptions{})
	if errors.Is(err, fs.ErrNotExist) {
		return &baseLedger{Ledger: &ledger.Ledger{}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer tree.Close()
	changed := map[string]bool{}
	for _, c := range changes {
		changed[c.Path] = true
	}
	l, _, err := ledger.LoadFS(tree, ledger.Options{Trusted: true, Include: func(p string) bool {
		return p == "program.yaml" || strings.HasPrefix(p, "people/") || changed[p]
	}})
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger at the base commit: %w", err)
	}
	b := &baseLedger{Ledger: l}
	if l.Program != nil {
		if b.programYAML, err = fs.ReadFile(tree, "program.yaml"); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func joinWorkspace(workspace, p string) string {
	if path.IsAbs(p) || workspace == "" {
		return p
	}
	return path.Join(workspace, p)
}
