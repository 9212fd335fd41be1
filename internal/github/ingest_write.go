package github

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/importer"
	"github.com/tallyledger/tally/internal/ledger"
	"github.com/tallyledger/tally/internal/source"
)

// StateFile is where the watermarks are kept, inside the ledger.
var StateFile = source.StateFile(Source)

// LoadIngestLedger reads what ingestion needs from the ledger at dir (see
// source.LoadLedger).
func LoadIngestLedger(dir string) (*ledger.Ledger, error) { return source.LoadLedger(dir) }

// IngestWritten is what WriteIngest changed.
type IngestWritten = source.Written

// IngestShard is one credit shard written.
type IngestShard = importer.FileChange

// WriteIngest adds a run's credits to the ledger at dir (loaded as l) and
// records its watermarks, as source.Write does: the watermarks last, so
// that a failure anywhere never moves one past a credit that is not on
// disk.
func WriteIngest(dir string, l *ledger.Ledger, sum IngestSummary) (IngestWritten, error) {
	return source.Write(dir, Source, sum.Credits, stateWriter(l, sum.State))
}

// stateWriter renders the watermarks file with a run's watermarks merged
// into those of l, or nothing when none moved.
func stateWriter(l *ledger.Ledger, run []ledger.RepoState) func(old []byte) ([]byte, error) {
	return func(old []byte) ([]byte, error) {
		repos := mergeState(l, run)
		if slices.Equal(repos, repoStates(l)) {
			return nil, nil
		}
		return renderState(old, repos)
	}
}

// mergeState is the ledger's watermarks updated with a run's: repositories
// keep their order, new ones come last, unless nothing of them is synced
// yet.
func mergeState(l *ledger.Ledger, run []ledger.RepoState) []ledger.RepoState {
	out := slices.Clone(repoStates(l))
	for _, r := range run {
		i := slices.IndexFunc(out, func(o ledger.RepoState) bool { return strings.EqualFold(o.Repo, r.Repo) })
		if i < 0 {
			if r.PullRequests != "" || r.Issues != "" || r.Releases != "" {
				out = append(out, r)
			}
			continue
		}
		r.Repo = out[i].Repo // as first written
		out[i] = r
	}
	return out
}

// renderState writes the watermarks file (see source.RenderState).
func renderState(old []byte, repos []ledger.RepoState) ([]byte, error) {
	var b strings.Builder
	b.WriteString("repositories:\n")
	for _, r := range repos {
		if r.PullRequests == "" && r.Issues == "" && r.Releases == "" {
			fmt.Fprintf(&b, "  %s: {}\n", ledger.Scalar(r.Repo)) // nothing synced yet
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", ledger.Scalar(r.Repo))
		for _, kv := range [][2]string{{"pull_requests", r.PullRequests}, {"issues", r.Issues}, {"releases", r.Releases}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "    %s: %s\n", kv[0], ledger.TimeScalar(kv[1]))
			}
		}
	}
	return source.RenderState(old, b.String())
}
