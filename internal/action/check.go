package action

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
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
	// Reviewers are the GitHub logins (base branch's people/) any of whom
	// may give the missing review; the check asks them for it.
	Reviewers []string `json:"-"`
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += fmt.Sprintf(":%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s: %s [%s]", ledger.OneLine(loc), ledger.OneLine(p.Message), p.Rule)
}

// CheckResult is what the check found.
type CheckResult struct {
	Problems []Problem
	// BaseRules is set when program.yaml came from the base branch, which
	// has none only when it has no ledger at the configured path: the pull
	// request creates it.
	BaseRules bool
	// RulesChanged is set when the pull request changes program.yaml.
	RulesChanged bool
	// NoLedger is set when the pull request has no ledger folder at the
	// configured path (it removes it, moves it, or puts a link there), so
	// that there is nothing to compare.
	NoLedger bool
	// Ledger is the ledger folder's path from the top of the repository
	// ("" for the top), and Changes what the pull request changes in it,
	// by path inside it.
	Ledger  string
	Changes []gitrev.Change
	// rules judged the changes; nil when there was no ledger to read.
	rules *reviewRules
}

// Check validates a pull request's ledger with the base branch's rules and
// enforces who may change what:
//   - a claim is the claimant's own, or comes from a lead of its kind's
//     area, and is approved by a lead of that area who is not the claimant
//     (such a lead who opens it approves it);
//   - an application's decision, added or changed, is approved by every
//     member of the leadership it names (the author by naming themselves),
//     none of them affiliated with the applicant; removing it, or the
//     contact of a decided application, needs the leadership;
//   - program.yaml and thresholds.yaml are approved by the leadership;
//   - so are people, organisations and conduct records: identities decide
//     who a reviewer is, affiliations and conduct decide eligibility;
//   - credit and funding shards and ingestion state, which ingestion and
//     imports write, change only in the monthly run's pull request or
//     with the leadership's approval;
//   - a roadmap submission is its organisation's contact's or the
//     leadership's, its status the leadership's;
//   - notes, and any file no rule covers, are the leadership's;
//   - removing or moving the ledger is the leadership's, and a link at its
//     path or on the way is never followed;
//   - generated reports change only in the monthly run's pull request.
//
// The ledger's place, people, leads, the leadership and organisations'
// contacts are read from the base branch, so a pull request cannot grant
// itself the right to merge.
func Check(ctx context.Context, o CheckOptions) (*CheckResult, error) {
	repo, _, err := gitrev.Find(ctx, cmp.Or(o.Workspace, "."))
	if err != nil {
		return nil, err
	}
	// The ledger is where the configuration puts it, in the base and in the
	// pull request alike: never where a link of the pull request points.
	prefix, err := inRepo(repo, joinWorkspace(o.Workspace, o.Ledger))
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
	res := &CheckResult{Ledger: prefix, Changes: changes}
	if res.BaseRules, err = baseHasLedger(ctx, repo, base, prefix); err != nil {
		return nil, err
	}
	before := &baseLedger{Ledger: &ledger.Ledger{}}
	if res.BaseRules {
		if before, err = loadBase(ctx, repo, base, prefix, changes); err != nil {
			return nil, err
		}
	}
	rules := reviewRules{
		pr: o.PR, base: before.Ledger, baseIx: ledger.NewIndex(before.Ledger),
		approved:      map[string]bool{},
		fromReportRun: o.PR.fromReportRun(o.ReportBranch),
	}
	for _, a := range o.PR.Approvers {
		rules.approved[strings.ToLower(a)] = true
	}

	switch at, mode, err := repo.Lstat(ctx, "", prefix); {
	case errors.Is(err, fs.ErrNotExist) && !res.BaseRules:
		return nil, fmt.Errorf("there is no ledger at %s, in the pull request or in its base", o.Ledger)
	case errors.Is(err, fs.ErrNotExist):
		// Removed, or moved where the configuration does not look.
		res.NoLedger = true
		for _, p := range rules.needLeadership(prefix, fmt.Sprintf("removing the ledger folder %s (or moving it: tally reads the ledger at its configured path only)", prefix)) {
			p.Reviewing = true
			res.Problems = append(res.Problems, p)
		}
	case err != nil:
		return nil, err
	case !mode.IsDir():
		res.NoLedger = true
		res.Problems = []Problem{{File: at, Rule: "ledger-path", Message: notAFolder(repo.Root, at, prefix, mode)}}
	default:
		if res.Problems, err = checkLedger(repo.Root, prefix, before, changes, &rules, res); err != nil {
			return nil, err
		}
		res.rules = &rules
	}

	reports, err := reportChanges(ctx, repo, base, o)
	if err != nil {
		return nil, err
	}
	res.Problems = append(res.Problems, reports...)
	return res, nil
}

// checkLedger validates the pull request's ledger, the folder prefix of
// the work tree at root, with the base's rules (its own when the base has
// none) and applies the review rules to each change.
func checkLedger(root, prefix string, before *baseLedger, changes []gitrev.Change, rules *reviewRules, res *CheckResult) ([]Problem, error) {
	dir := filepath.Join(root, filepath.FromSlash(prefix))
	// Annotations name files from the top of the repository.
	ledgerPath := func(p string) string { return path.Join(prefix, p) }
	// os.DirFS follows no link inside the ledger: the loader lists links as
	// findings and never reads them.
	var fsys fs.FS = os.DirFS(dir)
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
		_, own, err := ledger.LoadFS(os.DirFS(dir), ledger.Options{Include: func(p string) bool { return p == "program.yaml" }})
		if err != nil {
			return nil, err
		}
		findings = append(findings, own...)
		if _, err := os.Lstat(filepath.Join(dir, "program.yaml")); errors.Is(err, fs.ErrNotExist) {
			findings = append(findings, ledger.Finding{Path: "program.yaml", Rule: "program", Message: "the pull request removes program.yaml: a ledger needs its rules"})
		}
	}
	var out []Problem
	for _, f := range ledger.SortFindings(findings) {
		out = append(out, Problem{File: ledgerPath(f.Path), Line: f.Line, Col: f.Col, Rule: f.Rule, Message: findingMessage(f, ledgerPath)})
	}

	rules.head, rules.headIx = after, ledger.NewIndex(after)
	if !res.BaseRules {
		// A pull request that creates the ledger has no base to be judged
		// by: its own program and people are the rules.
		rules.base, rules.baseIx, rules.ownRules = after, rules.headIx, true
	}
	for _, c := range changes {
		for _, p := range rules.change(c) {
			p.File = ledgerPath(p.File)
			p.Reviewing = true
			out = append(out, p)
		}
	}
	return out, nil
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

// inRepo is a folder's slash path inside the repository ("" for its top),
// as dir names it: the folders below the repository's top are taken by
// name, never through a link, since where a link of the work tree points
// is the pull request's choice (a link above the top, such as that of a
// temporary folder, is the runner's). The folder need not exist (a pull
// request may remove it).
func inRepo(repo *gitrev.Repo, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root, err := os.Lstat(repo.Root)
	if err != nil {
		return "", err
	}
	var below []string
	for a := abs; ; a = filepath.Dir(a) {
		if info, err := os.Lstat(a); err == nil && os.SameFile(info, root) {
			slices.Reverse(below)
			return path.Join(below...), nil
		}
		if filepath.Dir(a) == a {
			return "", fmt.Errorf("%s is not inside the repository %s", dir, repo.Root)
		}
		below = append(below, filepath.Base(a))
	}
}

// notAFolder says that what the pull request has at, the ledger folder
// or one on the way to it, is a link, a file or another repository.
func notAFolder(root, at, ledgerDir string, mode fs.FileMode) string {
	what := "a file"
	switch {
	case mode&fs.ModeSymlink != 0:
		target, _ := os.Readlink(filepath.Join(root, filepath.FromSlash(at)))
		what = fmt.Sprintf("a symbolic link (to %s)", target)
	case mode&fs.ModeIrregular != 0:
		what = "another repository (a submodule)"
	}
	where := fmt.Sprintf("the ledger folder %s is %s", at, what)
	if at != ledgerDir {
		where = fmt.Sprintf("%s is %s, on the way to the ledger folder %s", at, what, ledgerDir)
	}
	return where + ": tally reads the ledger at its configured path only, never through a link, so that the base branch's ledger judges the pull request; make " + at + " a folder again"
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

// baseHasLedger tells whether the base commit has a ledger at the folder
// prefix. A link or file there (or on the way) is an error: nothing can be
// judged by it, and taking it for "no ledger" would let the pull request
// judge itself.
func baseHasLedger(ctx context.Context, repo *gitrev.Repo, base, prefix string) (bool, error) {
	probe := prefix
	if probe == "" {
		// The top of the repository is always there: program.yaml says
		// whether a ledger is.
		probe = "program.yaml"
	}
	at, mode, err := repo.Lstat(ctx, base, probe)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case prefix != "" && !mode.IsDir():
		return false, fmt.Errorf("the ledger at the base commit: %s is not a folder (a link, a file or a submodule), so there are no rules to judge the pull request by; make %s a folder on the base branch", at, prefix)
	}
	return true, nil
}

// baseLedger is the part of the base branch's ledger that judges a change:
// its rules, its people and the earlier versions of changed files.
type baseLedger struct {
	*ledger.Ledger
	programYAML []byte
}

func loadBase(ctx context.Context, repo *gitrev.Repo, base, prefix string, changes []gitrev.Change) (*baseLedger, error) {
	tree, err := repo.Tree(ctx, base, prefix, gitrev.TreeOptions{})
	if err != nil {
		return nil, err
	}
	defer tree.Close()
	changed := map[string]bool{}
	contacts := map[string]bool{} // organisations whose roadmap changes
	for _, c := range changes {
		changed[c.Path] = true
		if place, err := ledger.Classify(c.Path); err == nil && place.Kind == ledger.RoadmapFile {
			contacts[place.Dir] = true
		}
	}
	l, _, err := ledger.LoadFS(tree, ledger.Options{Trusted: true, Include: func(p string) bool {
		app, isApp := strings.CutPrefix(p, "applications/")
		org, _, _ := strings.Cut(app, "/")
		return p == "program.yaml" || strings.HasPrefix(p, "people/") || changed[p] || isApp && contacts[org]
	}})
	if err != nil {
		return nil, fmt.Errorf("cannot read the ledger at the base commit: %w", err)
	}
	if l.Program == nil {
		return nil, fmt.Errorf("the ledger at the base commit has no valid program.yaml (a regular file), so there are no rules to judge the pull request by; fix %s on the base branch", path.Join(prefix, "program.yaml"))
	}
	b := &baseLedger{Ledger: l}
	if b.programYAML, err = fs.ReadFile(tree, "program.yaml"); err != nil {
		return nil, err
	}
	return b, nil
}

func joinWorkspace(workspace, p string) string {
	if path.IsAbs(p) || workspace == "" {
		return p
	}
	return path.Join(workspace, p)
}
