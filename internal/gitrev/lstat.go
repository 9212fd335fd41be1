package gitrev

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Lstat tells what the commit rev, or the work tree when rev is "", has at
// the slash path p, as os.Lstat does: nothing looks through a link or a
// file, so when one stands on the way to p, at is that one's path and mode
// its mode; otherwise at is p. When nothing is there the error is
// fs.ErrNotExist. The top ("") is always a folder; a submodule's mode is
// fs.ModeIrregular.
func (r *Repo) Lstat(ctx context.Context, rev, p string) (at string, mode fs.FileMode, err error) {
	if p == "" {
		return "", fs.ModeDir, nil
	}
	parts := strings.Split(p, "/")
	way := make([]string, len(parts))
	for i := range parts {
		way[i] = strings.Join(parts[:i+1], "/")
	}
	modes := map[string]fs.FileMode{}
	if rev == "" {
		for _, q := range way {
			info, err := os.Lstat(filepath.Join(r.Root, filepath.FromSlash(q)))
			if errors.Is(err, fs.ErrNotExist) {
				break
			}
			if err != nil {
				return "", 0, err
			}
			if modes[q] = info.Mode(); !info.IsDir() {
				break
			}
			// A folder with its own .git is another repository, as a
			// submodule is in a commit.
			if _, err := os.Lstat(filepath.Join(r.Root, filepath.FromSlash(q), ".git")); err == nil {
				modes[q] = fs.ModeIrregular
				break
			}
		}
	} else {
		// -t lists the folders on the way; without -r, git lists no deeper.
		out, err := r.run(ctx, nil, append([]string{"ls-tree", "-t", "-z", "--full-tree", rev, "--"}, way...)...)
		if err != nil {
			return "", 0, err
		}
		for _, rec := range splitZ(out) {
			if e, ok := parseEntry(rec); ok {
				modes[e.path] = e.mode
			}
		}
	}
	for _, q := range way {
		m, ok := modes[q]
		if !ok {
			break
		}
		if !m.IsDir() || q == p {
			return q, m, nil
		}
	}
	return "", 0, &fs.PathError{Op: "lstat", Path: p, Err: fs.ErrNotExist}
}
