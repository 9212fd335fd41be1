package gitrev_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/tallyledger/tally/internal/gitrev"
	"github.com/tallyledger/tally/internal/gitrev/gittest"
)

func TestFind(t *testing.T) {
	r := gittest.New(t)
	r.Write("data/ledger/program.yaml", "name: x\n")
	r.Commit("first")
	repo, prefix, err := gitrev.Find(context.Background(), r.Path("data/ledger"))
	if err != nil {
		t.Fatal(err)
	}
	if prefix != "data/ledger" {
		t.Errorf("prefix %q, want data/ledger", prefix)
	}
	if want, _ := filepath.EvalSymlinks(r.Dir); repo.Root != want && repo.Root != r.Dir {
		t.Errorf("root %q, want %q", repo.Root, r.Dir)
	}
	if _, prefix, _ := gitrev.Find(context.Background(), r.Dir); prefix != "" {
		t.Errorf("prefix at the top %q, want empty", prefix)
	}

	outside := t.TempDir()
	_, _, err = gitrev.Find(context.Background(), outside)
	var notRepo *gitrev.NotRepoError
	if !errors.As(err, &notRepo) {
		t.Skipf("the temporary folder is inside a git work tree (%v)", err)
	}
	if notRepo.Error() != outside+" is not in a git repository" {
		t.Errorf("message %q", notRepo.Error())
	}
}

func TestResolve(t *testing.T) {
	r := gittest.New(t)
	r.Write("a.yaml", "a: 1\n")
	first := r.Commit("first")
	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"HEAD", "main", first, first[:8]} {
		if got, err := repo.Resolve(context.Background(), rev); err != nil || got != first {
			t.Errorf("Resolve(%q) = %q, %v; want %s", rev, got, err, first)
		}
	}
	for _, rev := range []string{"nope", "HEAD~5", "--output=x", ""} {
		_, err := repo.Resolve(context.Background(), rev)
		var unknown *gitrev.UnknownRevisionError
		if !errors.As(err, &unknown) || unknown.Rev != rev {
			t.Errorf("Resolve(%q): %v, want an unknown revision", rev, err)
		}
	}
	if _, err := os.Stat(r.Path("x")); err == nil {
		t.Error("a revision was taken for an option")
	}
}

func TestChanges(t *testing.T) {
	r := gittest.New(t)
	r.Write("ledger/people/alice.yaml", "name: Alice\n")
	r.Write("ledger/people/bob.yaml", "name: Bob\n")
	r.Write("ledger/program.yaml", "name: x\n")
	r.Write("other/file.txt", "x\n")
	r.Write(".gitignore", "*.tmp\n")
	base := r.Commit("first")
	r.Write("ledger/people/alice.yaml", "name: Alice Example\n")
	r.Remove("ledger/people/bob.yaml")
	r.Write("ledger/people/carol.yaml", "name: Carol\n") // untracked
	r.Write("ledger/people/scratch.tmp", "ignored\n")
	r.Write("other/file.txt", "y\n") // outside the ledger
	repo, prefix, err := gitrev.Find(context.Background(), r.Path("ledger"))
	if err != nil {
		t.Fatal(err)
	}
	work, err := repo.Changes(context.Background(), base, "", prefix)
	if err != nil {
		t.Fatal(err)
	}
	want := []gitrev.Change{{"people/alice.yaml", 'M'}, {"people/bob.yaml", 'D'}, {"people/carol.yaml", 'A'}}
	if !reflect.DeepEqual(work, want) {
		t.Errorf("work tree changes %v, want %v", work, want)
	}
	head := r.Commit("second")
	commits, err := repo.Changes(context.Background(), base, head, prefix)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(commits, want) {
		t.Errorf("changes between commits %v, want %v", commits, want)
	}
	if none, err := repo.Changes(context.Background(), head, "", prefix); err != nil || len(none) != 0 {
		t.Errorf("clean work tree: %v, %v", none, err)
	}
}

func TestTree(t *testing.T) {
	r := gittest.New(t)
	files := map[string]string{
		"ledger/program.yaml":            "name: x\n",
		"ledger/people/a/alice.yaml":     "name: Alice\n",
		"ledger/people/a-b.yaml":         "name: AB\n",
		"ledger/people/bob.yaml":         "name: Bob\n",
		"ledger/credits/2026/10/gh.yaml": "credits: []\n",
		"ledger/same.yaml":               "name: Bob\n", // the same blob as bob.yaml
		"elsewhere.yaml":                 "no: 1\n",
	}
	for p, s := range files {
		r.Write(p, s)
	}
	if err := os.Symlink("program.yaml", r.Path("ledger/link.yaml")); err != nil {
		t.Fatal(err)
	}
	rev := r.Commit("first")
	r.Write("ledger/people/bob.yaml", "name: Changed\n") // the tree is the commit's, not the work tree's
	repo, prefix, err := gitrev.Find(context.Background(), r.Path("ledger"))
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree(context.Background(), rev, prefix, gitrev.TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if err := fstest.TestFS(tree, "program.yaml", "people/a/alice.yaml", "people/a-b.yaml", "people/bob.yaml", "credits/2026/10/gh.yaml", "same.yaml"); err != nil {
		t.Error(err)
	}
	tree.Prefetch(nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for p, want := range files {
				rel, ok := cutLedger(p)
				if !ok {
					continue
				}
				if got, err := fs.ReadFile(tree, rel); err != nil || string(got) != want {
					t.Errorf("%s: %q, %v; want %q", rel, got, err, want)
				}
			}
		})
	}
	wg.Wait()
	info, err := fs.Lstat(tree, "link.yaml")
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link.yaml: %v, %v; want a link", info, err)
	}
	if _, err := tree.Open("elsewhere.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file outside the folder: %v", err)
	}

	some, err := repo.Tree(context.Background(), rev, prefix, gitrev.TreeOptions{Paths: []string{"people/bob.yaml", "people/gone.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	defer some.Close()
	var listed []string
	fs.WalkDir(some, ".", func(p string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			listed = append(listed, p)
		}
		return err
	})
	if !reflect.DeepEqual(listed, []string{"people/bob.yaml"}) {
		t.Errorf("a tree of some paths lists %v", listed)
	}

	if _, err := repo.Tree(context.Background(), rev, "nowhere", gitrev.TreeOptions{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a folder the commit lacks: %v, want fs.ErrNotExist", err)
	}
}

// A file larger than the limit reads as one byte more than the limit, for
// the loader to report; the files after it still read.
func TestTreeLimit(t *testing.T) {
	r := gittest.New(t)
	r.Write("big.yaml", string(make([]byte, 1000)))
	r.Write("small.yaml", "a: 1\n")
	rev := r.Commit("first")
	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := repo.Tree(context.Background(), rev, "", gitrev.TreeOptions{MaxSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	tree.Prefetch(nil)
	if b, err := fs.ReadFile(tree, "big.yaml"); err != nil || len(b) != 101 {
		t.Errorf("big.yaml: %d bytes, %v; want 101", len(b), err)
	}
	if b, err := fs.ReadFile(tree, "small.yaml"); err != nil || string(b) != "a: 1\n" {
		t.Errorf("small.yaml: %q, %v", b, err)
	}
}

func cutLedger(p string) (string, bool) {
	const prefix = "ledger/"
	if len(p) > len(prefix) && p[:len(prefix)] == prefix {
		return p[len(prefix):], true
	}
	return "", false
}

// Lstat looks through folders only: a link or file on the way to a path is
// what the commit has there, as in a work tree.
func TestLstat(t *testing.T) {
	r := gittest.New(t)
	r.Write("data/ledger/program.yaml", "name: x\n")
	r.Write("notes.txt", "x\n")
	if err := os.Symlink("data", r.Path("link")); err != nil {
		t.Fatal(err)
	}
	rev := r.Commit("first")
	repo, _, err := gitrev.Find(context.Background(), r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	// The commit and the work tree (rev "") alike.
	for _, rev := range []string{rev, ""} {
		for _, c := range []struct {
			path, at string
			mode     fs.FileMode // 0: a regular file
		}{
			{"", "", fs.ModeDir},
			{"data", "data", fs.ModeDir},
			{"data/ledger", "data/ledger", fs.ModeDir},
			{"data/ledger/program.yaml", "data/ledger/program.yaml", 0},
			{"link", "link", fs.ModeSymlink},
			{"link/ledger", "link", fs.ModeSymlink},
			{"notes.txt/ledger", "notes.txt", 0},
		} {
			at, mode, err := repo.Lstat(context.Background(), rev, c.path)
			if err != nil || at != c.at || mode.Type() != c.mode {
				t.Errorf("Lstat(%q, %q) = %q, %v, %v; want %q, %v", rev, c.path, at, mode, err, c.at, c.mode)
			}
		}
		for _, p := range []string{"ledger", "data/nothing", "data/nothing/deeper"} {
			if _, _, err := repo.Lstat(context.Background(), rev, p); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Lstat(%q, %q): %v, want fs.ErrNotExist", rev, p, err)
			}
		}
	}
	// A repository in the work tree is not a folder of this one.
	r.Write("nested/.git", "gitdir: ../elsewhere\n")
	r.Write("nested/ledger/program.yaml", "name: x\n")
	if at, mode, err := repo.Lstat(context.Background(), "", "nested/ledger"); err != nil || at != "nested" || mode.Type() != fs.ModeIrregular {
		t.Errorf("Lstat of a folder in another repository = %q, %v, %v; want nested, a submodule", at, mode, err)
	}
}
