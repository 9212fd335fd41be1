// Package diff tells what a change to the ledger moves: for every period
// whose results change, who moves and by how much (scores, credits, ranks)
// and why (the records the change adds, removes or edits). It is what a
// pull request's check shows, so it reads as little as it can: the files
// both revisions share once, the changed files at each revision, and,
// unless the change touches the scoring rules or who people are, only the
// credits of the periods that can move.
package diff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/score"
)

// Options say what to compare.
type Options struct {
	// Dir is the ledger folder, in a git work tree.
	Dir string
	// Base and Head are git revisions; an empty Head is the work tree,
	// with its untracked files that are not ignored.
	Base, Head string
	// full loads and compares everything, as for a change to the rules
	// (for tests that check a partial comparison against a full one).
	full bool
}

// Result is what the change moves.
type Result struct {
	// Base and Head are the commits compared; Head is empty for the work
	// tree.
	Base string `json:"base"`
	Head string `json:"head"`
	// Partial is set when only the periods around the changed months were
	// loaded; things that need the whole history (such as whether a
	// contributor is new) are then left out.
	Partial bool `json:"partial"`
	// Files counts the changed files of the ledger.
	Files   int            `json:"files"`
	Periods []PeriodChange `json:"periods"`
	Changes []RecordChange `json:"changes"`
	// Warnings are problems found reading the changed files; tally
	// validate tells more.
	Warnings []string `json:"warnings,omitempty"`
}

// Run compares two revisions of the ledger. Its errors about the
// repository or the revisions are gitrev's (NotRepoError,
// UnknownRevisionError, ErrNoGit).
func Run(ctx context.Context, o Options) (*Result, error) {
	repo, prefix, err := gitrev.Find(ctx, o.Dir)
	if err != nil {
		return nil, err
	}
	res := &Result{Periods: []PeriodChange{}, Changes: []RecordChange{}}
	if res.Base, err = repo.Resolve(ctx, o.Base); err != nil {
		return nil, err
	}
	if o.Head != "" {
		if res.Head, err = repo.Resolve(ctx, o.Head); err != nil {
			return nil, err
		}
	}

	changes, err := repo.Changes(ctx, res.Base, res.Head, prefix)
	if err != nil {
		return nil, err
	}
	res.Files = len(changes)
	if len(changes) == 0 {
		return res, nil
	}

	// What both revisions share is read from the base, whose whole
	// listing takes a while on a large ledger: it starts now, alongside
	// reading what changed. Whatever changed, the files that are not
	// credits, claims or payments are read: git starts on them at once.
	ctx, cancel := context.WithCancel(ctx)
	var base tree
	var baseErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		base, baseErr = openTree(ctx, repo, res.Base, prefix, gitrev.TreeOptions{Prefetch: notDated})
	}()
	defer func() {
		<-listed
		if base != nil {
			base.Close()
		}
	}()
	defer cancel()

	before, after, err := loadChanged(ctx, repo, prefix, o.Dir, res, changes)
	if err != nil {
		return nil, err
	}
	res.Changes = records(changes, before, after)

	changed := make(map[string]bool, len(changes))
	for _, c := range changes {
		changed[c.Path] = true
	}
	pl := makePlan(changes, res.Changes, before, after)
	if o.full {
		pl = plan{full: true}
	}
	res.Partial = !pl.full
	if !pl.full && len(pl.compare) == 0 {
		return res, nil // nothing that enters a ranking changed
	}
	<-listed
	if baseErr != nil {
		return nil, baseErr
	}
	include := pl.include(changed)
	base.Prefetch(include)
	// The rules and people, and the credits, read apart: people are
	// indexed while credits are still being read. People are many small
	// files and the longer read: credits take one core, so that the index
	// is not left waiting for them.
	var rules, dated *ledger.Ledger
	var ix *ledger.Index
	var shared [][]ledger.Credit
	var touched []ledger.Credit
	var errRules, errDated error
	parallel(func() {
		rules, _, errRules = ledger.LoadFS(base, ledger.Options{Include: func(p string) bool { return notDated(p) && include(p) }, Trusted: true})
		if errRules == nil && !pl.full {
			ix = ledger.NewIndex(rules)
		}
	}, func() {
		dated, _, errDated = ledger.LoadFS(base, ledger.Options{Include: func(p string) bool { return !notDated(p) && include(p) }, Trusted: true})
		if errDated == nil {
			shared, touched = split(pl, dated.Credits, !pl.full)
		}
	})
	if err := errors.Join(errRules, errDated); err != nil {
		return nil, fmt.Errorf("cannot read the ledger at %s: %w", short(res.Base), err)
	}
	bp, ap := scoreParts(pl, rules, ix, shared, touched, before, after)
	res.Periods = comparePeriods(pl, bp, ap)
	return res, nil
}

// loadChanged reads the changed files at both revisions (the head from the
// work tree when it has no revision), and notes what is wrong with them.
func loadChanged(ctx context.Context, repo *gitrev.Repo, prefix, dir string, res *Result, changes []gitrev.Change) (before, after *ledger.Ledger, err error) {
	paths := make([]string, len(changes))
	changed := make(map[string]bool, len(changes))
	for i, c := range changes {
		paths[i], changed[c.Path] = c.Path, true
	}
	listed := paths
	if len(listed) > maxListed {
		listed = nil // list everything rather than pass so many arguments
	}
	opt := ledger.Options{Include: func(p string) bool { return changed[p] }, Trusted: true}
	load := func(rev string) (*ledger.Ledger, []ledger.Finding, error) {
		t, err := openTree(ctx, repo, rev, prefix, gitrev.TreeOptions{Paths: listed})
		if err != nil {
			return nil, nil, err
		}
		defer t.Close()
		t.Prefetch(opt.Include)
		return ledger.LoadFS(t, opt)
	}
	var fb, fa []ledger.Finding
	var eb, ea error
	parallel(func() { before, fb, eb = load(res.Base) }, func() {
		if res.Head != "" {
			after, fa, ea = load(res.Head)
		} else {
			// Only the changed files: walking a large ledger to find them
			// would cost more than reading them.
			after, fa, ea = ledger.LoadFS(newWorkFiles(dir, paths), opt)
		}
	})
	if err := errors.Join(eb, ea); err != nil {
		return nil, nil, fmt.Errorf("cannot read the changed files: %w", err)
	}
	for _, f := range fb {
		res.Warnings = append(res.Warnings, "at "+short(res.Base)+": "+f.String())
	}
	for _, f := range fa {
		res.Warnings = append(res.Warnings, "at "+cmp.Or(short(res.Head), "the work tree")+": "+f.String())
	}
	return before, after, nil
}

// maxListed is the most changed files named to git on its command line.
const maxListed = 1000

// comparePeriods compares the rankings of the plan's periods (every period
// of a full plan) and keeps those where someone moves.
func comparePeriods(pl plan, before, after []*score.Book) []PeriodChange {
	periods := pl.compare
	if pl.full {
		seen := map[score.Period]bool{}
		for _, b := range slices.Concat(before, after) {
			for _, m := range b.Months {
				for _, s := range spans {
					p := score.PeriodOf(s, m)
					for _, q := range []score.Period{p, next(p)} {
						if !seen[q] {
							seen[q] = true
							periods = append(periods, q)
						}
					}
				}
			}
		}
		sortPeriods(periods)
	}
	// A period's change since the one before is shown where that one
	// moves too (else it moves just as the period's own ranks do): for the
	// period after a changed one. A full comparison knows every period.
	compared := make(map[score.Period]bool, len(periods))
	for _, p := range periods {
		compared[p] = true
	}
	since := func(p score.Period) bool { return pl.full || compared[p.Previous()] }
	r := newRoster([2][]*score.Book{before, after})
	c := &comparison{
		r:     r,
		sides: newSides(r, [2][]*score.Book{before, after}),
		// A period without a changed month ranks the same on both sides
		// (the months the change leaves alone are scored once).
		same:  func(p score.Period) bool { return !pl.full && !pl.touches(p) },
		names: [2]*ledger.Index{before[0].Index, after[0].Index},
		kept:  map[score.Period][2]*standings{},
	}
	out := []PeriodChange{}
	for _, p := range periods {
		people, orgs := c.period(p, since(p))
		if len(people) == 0 && len(orgs) == 0 {
			continue
		}
		if people == nil {
			people = []Move{}
		}
		if orgs == nil {
			orgs = []Move{}
		}
		out = append(out, PeriodChange{Period: p.String(), Span: p.Span.String(), Previous: p.Previous().String(), People: people, Organizations: orgs})
	}
	return out
}

// tree is a revision's ledger folder.
type tree interface {
	fs.FS
	Prefetch(include func(string) bool)
	Close() error
}

// openTree opens a revision's ledger folder; a revision without one has an
// empty ledger (the change that creates it).
func openTree(ctx context.Context, repo *gitrev.Repo, rev, dir string, opt gitrev.TreeOptions) (tree, error) {
	opt.MaxSize = ledger.DefaultMaxFileSize
	t, err := repo.Tree(ctx, rev, dir, opt)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyTree{}, nil
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

type emptyTree struct{}

func (emptyTree) Open(name string) (fs.File, error) {
	if name == "." {
		return &workDir{name: "."}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
func (emptyTree) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "." {
		return nil, nil
	}
	return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
}
func (emptyTree) Prefetch(func(string) bool) {}
func (emptyTree) Close() error               { return nil }

// parallel runs functions at once and waits for them all.
func parallel(fns ...func()) {
	var wg sync.WaitGroup
	for _, f := range fns {
		wg.Go(f)
	}
	wg.Wait()
}

// short abbreviates a commit hash as git does.
func short(rev string) string {
	if len(rev) > 7 {
		return rev[:7]
	}
	return rev
}
