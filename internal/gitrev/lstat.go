package gitrev

import (
	"context"
	"io/fs"
	"strings"
)

// Lstat tells what the commit rev has at the slash path p (not ""), as
// os.Lstat does for a work tree: git never looks through a link or a file,
// so when one stands on the way to p, at is that one's path and mode its
// mode; otherwise at is p. When nothing is there the error is
// fs.ErrNotExist.
func (r *Repo) Lstat(ctx context.Context, rev, p string) (at string, mode fs.FileMode, err error) {
	parts := strings.Split(p, "/")
	way := make([]string, len(parts))
	for i := range parts {
		way[i] = strings.Join(parts[:i+1], "/")
	}
	// -t lists the folders on the way; without -r, git lists no deeper.
	out, err := r.run(ctx, nil, append([]string{"ls-tree", "-t", "-z", "--full-tree", rev, "--"}, way...)...)
	if err != nil {
		return "", 0, err
	}
	modes := map[string]fs.FileMode{}
	for _, rec := range splitZ(out) {
		if e, ok := parseEntry(rec); ok {
			modes[e.path] = e.mode
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
	return "", 0, &fs.PathError{Op: "lstat", Path: p + " at " + rev, Err: fs.ErrNotExist}
}
