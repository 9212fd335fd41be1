package github

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
)

const (
	creditsSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json"
	sourceSchema  = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/source.schema.json"
	// StateFile is where the watermarks are kept, inside the ledger.
	StateFile = "sources/" + Source + ".yaml"
)

// LoadIngestLedger reads what ingestion needs from the ledger at dir: the
// program (kinds, time zone), the people (bots), the credits (so that none
// is written twice) and the ingestion state.
func LoadIngestLedger(dir string) (*ledger.Ledger, error) {
	// A file that cannot be read hides its credits or watermarks.
	guarded := func(p string) bool { return strings.HasPrefix(p, "credits/") || p == StateFile || p == "program.yaml" }
	l, err := ledger.LoadToAdd(dir, func(p string) bool { return guarded(p) || strings.HasPrefix(p, "people/") }, guarded, "credits")
	if err != nil {
		return nil, err
	}
	if l.Program == nil {
		return nil, fmt.Errorf("%s has no program.yaml; point --ledger at a ledger folder", dir)
	}
	return l, nil
}

// IngestWritten is what WriteIngest changed.
type IngestWritten struct {
	// Shards lists the credit shards written, by slash path in the ledger.
	Shards []IngestShard
	// State is true when the watermarks file was written.
	State bool
}

// IngestShard is one credit shard written.
type IngestShard struct {
	Path    string
	Added   int
	Created bool
}

// WriteIngest adds a run's credits to the ledger at dir (loaded as l) and
// records its watermarks. Credits go to credits/<YYYY>/<MM>/github.yaml by
// date, spliced into what each shard holds, which stays byte for byte;
// every shard is prepared before any is written, each is written
// atomically, and the watermarks are written last, so that a failure
// anywhere never moves a watermark past a credit that is not on disk.
func WriteIngest(dir string, l *ledger.Ledger, sum IngestSummary) (IngestWritten, error) {
	var w IngestWritten
	byShard := map[string][]ledger.Credit{}
	for _, c := range sum.Credits {
		m := c.Date.Month()
		path := fmt.Sprintf("credits/%04d/%02d/%s.yaml", m.Year(), m.Number(), Source)
		byShard[path] = append(byShard[path], c)
	}
	type write struct {
		path string
		data []byte
	}
	var writes []write
	shards := make([]string, 0, len(byShard))
	for p := range byShard {
		shards = append(shards, p)
	}
	slices.Sort(shards)
	for _, file := range shards {
		add := byShard[file]
		path := filepath.Join(dir, filepath.FromSlash(file))
		old, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return w, err
		}
		entries := make([]ledger.ShardEntry, len(add))
		for i, c := range add {
			entries[i] = ledger.CreditEntry(c)
		}
		data, err := ledger.SpliceShard(old, "credits", creditsSchema, entries)
		if err != nil {
			return w, fmt.Errorf("%s: %w", filepath.ToSlash(path), err)
		}
		writes = append(writes, write{path, data})
		w.Shards = append(w.Shards, IngestShard{Path: file, Added: len(add), Created: old == nil})
	}
	path := filepath.Join(dir, filepath.FromSlash(StateFile))
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return w, err
	}
	repos := mergeState(l, sum.State)
	moved := !slices.Equal(repos, mergeState(l, nil))
	state, err := renderState(old, repos)
	if err != nil {
		return w, fmt.Errorf("%s: %w", filepath.ToSlash(path), err)
	}
	for _, wr := range writes {
		if err := atomicfile.Write(wr.path, wr.data, 0o644); err != nil {
			return w, err
		}
	}
	if moved && !bytes.Equal(state, old) {
		if err := atomicfile.Write(path, state, 0o644); err != nil {
			return w, err
		}
		w.State = true
	}
	return w, nil
}

// mergeState is the ledger's watermarks updated with a run's: repositories
// keep their order, new ones come last, unless nothing of them is synced
// yet.
func mergeState(l *ledger.Ledger, run []ledger.RepoState) []ledger.RepoState {
	var out []ledger.RepoState
	for _, s := range l.Sources {
		if s.Source == Source {
			out = append(out, s.Repositories...)
		}
	}
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

// renderState writes the watermarks file. The file is tally's own, so it is
// written whole; the comment lines it starts with are kept.
func renderState(old []byte, repos []ledger.RepoState) ([]byte, error) {
	var b bytes.Buffer
	head := true
	for _, line := range bytes.SplitAfter(old, []byte("\n")) {
		if t := bytes.TrimSpace(line); head && (len(t) == 0 || t[0] == '#') {
			if len(t) > 0 {
				b.Write(bytes.TrimRight(line, "\r\n"))
				b.WriteByte('\n')
			}
			continue
		}
		head = false
	}
	if b.Len() == 0 {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", sourceSchema)
	}
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
	if len(repos) == 0 {
		b.Reset()
		return old, nil
	}
	var check yaml.Node
	if err := yaml.Unmarshal(b.Bytes(), &check); err != nil {
		return nil, fmt.Errorf("internal error: the watermarks do not read back (%v); nothing was written", err)
	}
	return b.Bytes(), nil
}
