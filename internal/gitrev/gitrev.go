// Package gitrev reads a ledger as it is at a git revision, through the git
// binary: which repository holds a folder, what a revision names, which
// files changed between two revisions (or a revision and the working tree),
// a revision's tree as an fs.FS, and a branch's history. It only reads: it
// never checks out, never takes the index lock, never writes to the
// repository.
package gitrev

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"
	"sync"
)

// ErrNoGit is returned when the git binary cannot be found.
var ErrNoGit = errors.New("git is not installed or not on the PATH; tally needs it to read a repository")

// NotRepoError says that a folder is not inside a git work tree.
type NotRepoError struct {
	Dir string
	// Git is what git said, when it said something.
	Git string
}

func (e *NotRepoError) Error() string {
	msg := fmt.Sprintf("%s is not in a git repository", e.Dir)
	if e.Git != "" && !strings.Contains(e.Git, "not a git repository") {
		msg += " (git: " + e.Git + ")"
	}
	return msg
}

// UnknownRevisionError says that a revision names no commit.
type UnknownRevisionError struct{ Rev string }

func (e *UnknownRevisionError) Error() string {
	return fmt.Sprintf("unknown revision %q: no commit of the repository has that name (a branch, tag or commit hash); a shallow clone may lack it, so fetch it first", e.Rev)
}

// Repo is a git repository with a work tree.
type Repo struct {
	// Root is the top folder of the work tree.
	Root string
	git  string
}

// Find returns the repository whose work tree holds dir, and dir's slash
// path inside it ("" when dir is the top folder).
func Find(ctx context.Context, dir string) (*Repo, string, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, "", ErrNoGit
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, "", err
	} else if !info.IsDir() {
		return nil, "", fmt.Errorf("%s is not a folder", dir)
	}
	r := &Repo{Root: dir, git: git}
	out, err := r.run(ctx, nil, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) {
			return nil, "", &NotRepoError{Dir: dir, Git: ge.firstLine()}
		}
		return nil, "", err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 || lines[0] == "" {
		// Inside .git, or a bare repository: there is no work tree.
		return nil, "", &NotRepoError{Dir: dir}
	}
	r.Root = lines[0]
	return r, strings.TrimSuffix(lines[1], "/"), nil
}

// Resolve returns the commit a revision names (a branch, a tag, a hash,
// HEAD~2...), as a full hash.
func (r *Repo) Resolve(ctx context.Context, rev string) (string, error) {
	out, err := r.run(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) {
			return "", &UnknownRevisionError{Rev: rev}
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// Status is how a file changed: 'A' added, 'D' deleted, 'M' modified,
// 'T' changed type (a file became a link...).
type Status byte

// Change is one changed file, by slash path inside the folder asked about.
type Change struct {
	Path   string
	Status Status
}

// Changes lists the files under dir (a slash path inside the repository,
// "" for all of it) that differ between the commits base and head, or,
// when head is "", between base and the work tree: tracked files as they
// are on disk, plus untracked files that are not ignored. Renames are a
// deletion and an addition. Paths are inside dir, sorted.
func (r *Repo) Changes(ctx context.Context, base, head, dir string) ([]Change, error) {
	args := []string{"diff", "--name-status", "-z", "--no-renames", "--no-relative", "--no-ext-diff", "--no-textconv", base}
	if head != "" {
		args = append(args, head)
	}
	args = append(args, "--", pathspec(dir))
	// Against the work tree, git looks at every file twice (what changed,
	// what is untracked): both at once.
	var diff, others []byte
	var errDiff, errOthers error
	var wg sync.WaitGroup
	wg.Go(func() { diff, errDiff = r.run(ctx, nil, args...) })
	if head == "" {
		wg.Go(func() {
			others, errOthers = r.run(ctx, nil, "ls-files", "-z", "--others", "--exclude-standard", "--", pathspec(dir))
		})
	}
	wg.Wait()
	if err := errors.Join(errDiff, errOthers); err != nil {
		return nil, err
	}
	var changes []Change
	fields := splitZ(diff)
	for i := 0; i+1 < len(fields); i += 2 {
		if rel, ok := inside(dir, fields[i+1]); ok && fields[i] != "" {
			changes = append(changes, Change{Path: rel, Status: Status(fields[i][0])})
		}
	}
	for _, p := range splitZ(others) {
		if rel, ok := inside(dir, p); ok {
			changes = append(changes, Change{Path: rel, Status: 'A'})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

func pathspec(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// inside turns a path from the repository's top into one inside dir.
func inside(dir, p string) (string, bool) {
	if dir == "" {
		return p, true
	}
	rel, ok := strings.CutPrefix(p, dir+"/")
	return rel, ok && rel != ""
}

func splitZ(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\x00")
}

// gitError is git exiting with an error.
type gitError struct {
	args   []string
	stderr string
	err    error
}

func (e *gitError) Error() string {
	msg := "git " + strings.Join(e.args, " ") + ": " + e.err.Error()
	if s := e.firstLine(); s != "" {
		msg += ": " + s
	}
	return msg
}

func (e *gitError) firstLine() string {
	s := strings.TrimSpace(e.stderr)
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimPrefix(s, "fatal: ")
}

// command prepares git in the work tree, with an environment that keeps it
// from writing (no optional locks: git diff would otherwise refresh the
// index), from prompting, and from reading pathspecs as patterns.
func (r *Repo) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.git, args...)
	cmd.Dir = r.Root
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "GIT_LITERAL_PATHSPECS=1", "LC_ALL=C")
	return cmd
}

// run runs git and returns its output.
func (r *Repo) run(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &gitError{args: args, stderr: stderr.String(), err: err}
		}
		return nil, err
	}
	return out, nil
}

// treeish names the folder dir of a commit.
func treeish(rev, dir string) string {
	if dir == "" {
		return rev + "^{tree}"
	}
	return rev + ":" + path.Clean(dir)
}
