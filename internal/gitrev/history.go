package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Commit is one commit of a branch's history.
type Commit struct {
	Hash    string
	Parents []string
	// Author is as the repository's .mailmap maps it.
	Author Author
	// Committed is when the commit was made on the branch: for a merge or a
	// squashed pull request, when it was merged.
	Committed time.Time
	Message   string
}

// Author is who wrote a commit. Email is only for telling authors apart:
// callers must never write it anywhere.
type Author struct{ Name, Email string }

// The fields of one commit in git log's output, each ended by NUL; the
// message goes last, since only it may hold newlines.
const (
	historyFormat = "%H%x00%P%x00%aN%x00%aE%x00%ct%x00%B%x00"
	historyFields = 6
)

var hashRe = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)

// FirstParent calls fn with each commit on the first-parent line of rev
// (the commits that landed on the branch, merges standing for what they
// merged), oldest first, from one git log stream. It stops at fn's first
// error and returns it.
func (r *Repo) FirstParent(ctx context.Context, rev string, fn func(*Commit) error) error {
	hash, err := r.Resolve(ctx, rev)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops git when fn gives up early
	args := []string{"log", "--first-parent", "--reverse", "--no-color", "--format=" + historyFormat, hash, "--"}
	cmd := r.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	readErr := readHistory(bufio.NewReaderSize(out, 1<<20), fn)
	if readErr != nil {
		cancel()
		io.Copy(io.Discard, out)
	}
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if waitErr != nil {
		return &gitError{args: args, stderr: stderr.String(), err: waitErr}
	}
	return nil
}

// readHistory parses git log output in historyFormat.
func readHistory(in *bufio.Reader, fn func(*Commit) error) error {
	var f [historyFields]string
	for n := 0; ; n++ {
		for i := range f {
			s, err := in.ReadString(0)
			if errors.Is(err, io.EOF) && i == 0 && strings.TrimSpace(s) == "" {
				return nil
			}
			if err != nil {
				return fmt.Errorf("reading git log: the output stops inside commit %d", n+1)
			}
			f[i] = s[:len(s)-1]
		}
		c, err := parseCommit(f)
		if err != nil {
			// Never quote the output: it holds e-mail addresses.
			return fmt.Errorf("reading git log: commit %d: %v", n+1, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
}

func parseCommit(f [historyFields]string) (*Commit, error) {
	hash := strings.TrimLeft(f[0], "\n")
	if !hashRe.MatchString(hash) {
		return nil, errors.New("unexpected output (is a commit message holding a NUL byte?)")
	}
	secs, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s: unexpected commit time", hash)
	}
	return &Commit{
		Hash:      hash,
		Parents:   strings.Fields(f[1]),
		Author:    Author{Name: f[2], Email: f[3]},
		Committed: time.Unix(secs, 0).UTC(),
		Message:   f[5],
	}, nil
}

// Authors returns the authors of commits by hash, as .mailmap maps them,
// from one git process however many there are.
func (r *Repo) Authors(ctx context.Context, hashes []string) (map[string]Author, error) {
	authors := make(map[string]Author, len(hashes))
	if len(hashes) == 0 {
		return authors, nil
	}
	var in bytes.Buffer
	for _, h := range hashes {
		if !hashRe.MatchString(h) {
			return nil, fmt.Errorf("%q is not a commit hash", h)
		}
		in.WriteString(h + "\n")
	}
	out, err := r.run(ctx, in.Bytes(), "log", "--no-walk", "--stdin", "--no-color", "--format=%H%x00%aN%x00%aE%x00")
	if err != nil {
		return nil, err
	}
	fields := strings.Split(string(out), "\x00")
	for i := 0; i+2 < len(fields); i += 3 {
		authors[strings.TrimSpace(fields[i])] = Author{Name: fields[i+1], Email: fields[i+2]}
	}
	return authors, nil
}

// Config returns a setting of the repository's git configuration, "" when
// it is not set.
func (r *Repo) Config(ctx context.Context, key string) (string, error) {
	out, err := r.run(ctx, nil, "config", "--get", "--end-of-options", key)
	var ge *gitError
	if errors.As(err, &ge) && ge.stderr == "" {
		return "", nil // git config exits 1 for a key that is not set
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
