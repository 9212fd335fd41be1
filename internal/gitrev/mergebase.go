package gitrev

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// MergeBase returns the best common ancestor of two commits, as a full
// hash: where a branch left the other.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	out, err := r.run(ctx, nil, "merge-base", "--end-of-options", a, b)
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) {
			return "", fmt.Errorf("%s and %s have no common ancestor here (is the history fetched?)", a, b)
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}
