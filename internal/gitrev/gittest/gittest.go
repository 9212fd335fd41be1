// Package gittest builds throwaway git repositories for tests.
package gittest

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Repo is a git repository in a test's temporary folder.
type Repo struct {
	Dir string
	tb  testing.TB
}

// New makes an empty repository with a user to commit as. It skips the
// test when git is not installed.
func New(tb testing.TB) *Repo {
	tb.Helper()
	return NewAt(tb, tb.TempDir())
}

// NewAt is New in a folder of the caller's, for a repository that outlives
// the test that builds it (copy it for each test with Copy).
func NewAt(tb testing.TB, dir string) *Repo {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	r := &Repo{Dir: dir, tb: tb}
	// No template: its sample hooks are files every copy would write.
	r.Git("init", "-q", "-b", "main", "--template=")
	r.Git("config", "user.name", "Test")
	r.Git("config", "user.email", "test@example.com")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Template is a repository built once per test binary and copied for
// each test that needs it: building one costs more than most tests.
type Template struct {
	build func(r *Repo)
	once  sync.Once
	dir   string
	repo  *Repo
}

// NewTemplate is a template that build fills on first use. Remove it from
// TestMain once the tests have run.
func NewTemplate(build func(r *Repo)) *Template { return &Template{build: build} }

// Copy is a copy of the template for one test, built by the first test
// that asks. When building failed (that test says why), it skips.
func (t *Template) Copy(tb testing.TB) *Repo {
	tb.Helper()
	t.once.Do(func() {
		dir, err := os.MkdirTemp("", "tally-gittest-")
		if err != nil {
			tb.Fatal(err)
		}
		t.dir = dir
		r := NewAt(tb, dir)
		t.build(r)
		// One pack rather than a file per object: far fewer files to copy.
		r.Git("repack", "-adq")
		t.repo = r
	})
	if t.repo == nil {
		tb.Skip("no template repository (see the first test's failure)")
	}
	return t.repo.Copy(tb)
}

// Remove removes the template's folder.
func (t *Template) Remove() {
	if t.dir != "" {
		os.RemoveAll(t.dir)
	}
}

// Copy copies a repository (work tree and history) to a new temporary
// folder: cheaper than building the same one for each test.
func (r *Repo) Copy(tb testing.TB) *Repo {
	tb.Helper()
	c := &Repo{Dir: tb.TempDir(), tb: tb}
	c.CopyDir(r.Dir, ".")
	return c
}

// Git runs git in the repository and returns its output, failing the test
// when git fails.
func (r *Repo) Git(args ...string) string {
	r.tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// FastImport adds the commits of a git fast-import stream: history with
// chosen authors, dates and merges, thousands of commits in a second.
func (r *Repo) FastImport(stream string) {
	r.tb.Helper()
	cmd := exec.Command("git", "fast-import", "--quiet", "--done")
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1")
	cmd.Stdin = strings.NewReader(stream)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.tb.Fatalf("git fast-import: %v\n%s", err, out)
	}
}

// Commit commits everything in the work tree and returns the commit.
func (r *Repo) Commit(msg string) string {
	r.tb.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

// Path is a slash path inside the repository as a file name.
func (r *Repo) Path(p string) string { return filepath.Join(r.Dir, filepath.FromSlash(p)) }

// Write writes a file, making its folders.
func (r *Repo) Write(p, content string) {
	r.tb.Helper()
	name := r.Path(p)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		r.tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		r.tb.Fatal(err)
	}
}

// Read reads a file.
func (r *Repo) Read(p string) string {
	r.tb.Helper()
	b, err := os.ReadFile(r.Path(p))
	if err != nil {
		r.tb.Fatal(err)
	}
	return string(b)
}

// Replace replaces the first old in a file with new, failing the test when
// the file does not hold old.
func (r *Repo) Replace(p, old, new string) {
	r.tb.Helper()
	s := r.Read(p)
	if !strings.Contains(s, old) {
		r.tb.Fatalf("%s does not hold %q", p, old)
	}
	r.Write(p, strings.Replace(s, old, new, 1))
}

// Remove removes a file.
func (r *Repo) Remove(p string) {
	r.tb.Helper()
	if err := os.Remove(r.Path(p)); err != nil {
		r.tb.Fatal(err)
	}
}

// CopyDir copies the folder src into the repository at dst.
func (r *Repo) CopyDir(src, dst string) {
	r.tb.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(r.Path(dst), rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		r.tb.Fatal(err)
	}
}

// History builds a git fast-import stream, commit by commit.
type History struct {
	b     strings.Builder
	marks int
}

// HistoryCommit is one commit of a History.
type HistoryCommit struct {
	Branch string // "main" when empty
	// Author and Committer are "Name <email>"; Committer defaults to Author.
	Author, Committer string
	// Committed is when; Authored defaults to it.
	Committed, Authored time.Time
	Message             string
	// Parents are marks that Commit returned, the first parent first; none
	// continues the branch.
	Parents []int
	// Files are written into the commit, path -> content.
	Files map[string]string
}

// Commit adds a commit and returns its mark.
func (h *History) Commit(c HistoryCommit) int {
	h.marks++
	branch := c.Branch
	if branch == "" {
		branch = "main"
	}
	committer := c.Committer
	if committer == "" {
		committer = c.Author
	}
	authored := c.Authored
	if authored.IsZero() {
		authored = c.Committed
	}
	fmt.Fprintf(&h.b, "commit refs/heads/%s\nmark :%d\n", branch, h.marks)
	fmt.Fprintf(&h.b, "author %s %d +0000\ncommitter %s %d +0000\n", c.Author, authored.Unix(), committer, c.Committed.Unix())
	fmt.Fprintf(&h.b, "data %d\n%s\n", len(c.Message), c.Message)
	for i, p := range c.Parents {
		if i == 0 {
			fmt.Fprintf(&h.b, "from :%d\n", p)
		} else {
			fmt.Fprintf(&h.b, "merge :%d\n", p)
		}
	}
	paths := make([]string, 0, len(c.Files))
	for p := range c.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&h.b, "M 644 inline %s\ndata %d\n%s\n", p, len(c.Files[p]), c.Files[p])
	}
	h.b.WriteString("\n")
	return h.marks
}

// String is the stream, ready for FastImport.
func (h *History) String() string { return h.b.String() + "done\n" }
