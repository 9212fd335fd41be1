// Package gittest builds throwaway git repositories for tests.
package gittest

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
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
