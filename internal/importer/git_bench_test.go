package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

// bigHistory is a repository of 30,000 commits over five years by 300
// authors: plain commits, squashed pull requests, and merges of branches
// from forks and from the project's own organisation.
func bigHistory(b *testing.B) *gittest.Repo {
	r := gittest.New(b)
	var h gittest.History
	start := time.Date(2021, 1, 1, 9, 0, 0, 0, time.UTC)
	author := func(i int) string {
		switch n := i % 300; n % 3 {
		case 0:
			return fmt.Sprintf("Dev %d <%d+dev%d@users.noreply.github.com>", n, 1000+n, n)
		case 1:
			return fmt.Sprintf("Dev %d <dev%d@users.noreply.github.com>", n, n)
		default:
			return fmt.Sprintf("Dev %d <dev%d@example.org>", n, n)
		}
	}
	main := 0
	pr := 0
	for i := 0; i < 30000; {
		when := start.Add(time.Duration(i) * 90 * time.Minute)
		var parents []int
		if main != 0 {
			parents = []int{main}
		}
		switch i % 8 {
		case 3, 6: // a merged branch: one commit on it, then the merge
			pr++
			side := h.Commit(gittest.HistoryCommit{Branch: "topic", Author: author(i * 7), Committed: when, Message: "Work on a topic\n", Parents: parents})
			from := "acme"
			if i%3 == 0 {
				from = fmt.Sprintf("dev%d", i%300)
			}
			main = h.Commit(gittest.HistoryCommit{Author: author(0), Committed: when.Add(time.Minute),
				Message: fmt.Sprintf("Merge pull request #%d from %s/topic-%d\n\nA topic\n", pr, from, i), Parents: append(parents, side)})
			i += 2
		case 1, 5:
			pr++
			main = h.Commit(gittest.HistoryCommit{Author: author(i), Committed: when, Message: fmt.Sprintf("Fix widget %d (#%d)\n", i, pr), Parents: parents})
			i++
		default:
			main = h.Commit(gittest.HistoryCommit{Author: author(i), Committed: when, Message: fmt.Sprintf("Change %d\n\nWhy it changed.\n", i), Parents: parents})
			i++
		}
	}
	r.FastImport(h.String())
	return r
}

// BenchmarkImportGit imports the history of 30,000 commits into a ledger
// without them, then again into the ledger that has them.
func BenchmarkImportGit(b *testing.B) {
	repo := bigHistory(b)
	importOnce := func(dir string) *GitImport {
		l, err := LoadCreditLedger(dir)
		if err != nil {
			b.Fatal(err)
		}
		imp, err := ReadGit(context.Background(), GitOptions{Dir: repo.Dir, Project: "acme/widget", Ledger: l})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := WriteCredits(dir, GitSource, imp.Credits); err != nil {
			b.Fatal(err)
		}
		return imp
	}
	ledgerDir := func(b *testing.B) string {
		dir := historyLedger(b)
		program := "name: Widget Community\nleadership: [ruth-example]\nscoring:\n  - from: 2020-01-01\n    kinds: {pull_request: {weight: 3}, commit: {weight: 1}}\n"
		if err := os.WriteFile(filepath.Join(dir, "program.yaml"), []byte(program), 0o644); err != nil {
			b.Fatal(err)
		}
		return dir
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			dir := ledgerDir(b)
			b.StartTimer()
			if imp := importOnce(dir); len(imp.Credits) < 20000 {
				b.Fatalf("%d credits", len(imp.Credits))
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		dir := ledgerDir(b)
		importOnce(dir)
		for b.Loop() {
			if imp := importOnce(dir); len(imp.Credits) != 0 {
				b.Fatalf("%d credits the second time", len(imp.Credits))
			}
		}
	})
}
