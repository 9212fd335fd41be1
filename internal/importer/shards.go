package importer

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/ledger"
)

// shardWrite is a shard's new text, ready to write.
type shardWrite struct {
	path string
	data []byte
}

// spliceShards prepares the shards that receive entries: byShard maps a
// shard's slash path in the ledger at dir to the entries it gets, which
// are spliced into its list (see ledger.SpliceShard) in date, then id
// order. Nothing is written: a shard that cannot take its entries stops
// the import before any file changes.
func spliceShards(dir, list, schemaURL string, byShard map[string][]ledger.ShardEntry) ([]shardWrite, []FileChange, error) {
	var writes []shardWrite
	var changes []FileChange
	for _, file := range slices.Sorted(maps.Keys(byShard)) {
		add := byShard[file]
		slices.SortFunc(add, func(a, b ledger.ShardEntry) int { return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID)) })
		path := filepath.Join(dir, filepath.FromSlash(file))
		old, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return nil, nil, err
		}
		data, err := ledger.SpliceShard(old, list, schemaURL, add)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.ToSlash(path), err)
		}
		writes = append(writes, shardWrite{path, data})
		changes = append(changes, FileChange{Path: file, Added: len(add), Created: old == nil})
	}
	return writes, changes, nil
}

// writeShards writes prepared shards, each atomically.
func writeShards(writes []shardWrite) error {
	for _, w := range writes {
		if err := atomicfile.Write(w.path, w.data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

const creditsSchema = "https://raw.githubusercontent.com/tallyledger/tally/main/schemas/credits.schema.json"

// creditShard is where a credit of a source is filed.
func creditShard(source string, d ledger.Date) string {
	m := d.Month()
	return fmt.Sprintf("credits/%04d/%02d/%s.yaml", m.Year(), m.Number(), source)
}

// WriteCredits adds credits to the shards of a source,
// credits/<YYYY>/<MM>/<source>.yaml, keeping what each holds byte for
// byte. Every shard is prepared before the first is written.
func WriteCredits(dir, source string, credits []ledger.Credit) ([]FileChange, error) {
	p, err := PrepareCredits(dir, source, credits)
	if err != nil {
		return nil, err
	}
	return p.Changes, p.Write()
}

// PreparedCredits are credits spliced into the text of their shards, not
// written yet.
type PreparedCredits struct {
	Changes []FileChange
	writes  []shardWrite
}

// PrepareCredits splices credits into the shards of a source as
// WriteCredits does, and writes nothing: a shard that cannot take them
// stops everything before any file changes.
func PrepareCredits(dir, source string, credits []ledger.Credit) (*PreparedCredits, error) {
	byShard := map[string][]ledger.ShardEntry{}
	for _, c := range credits {
		file := creditShard(source, c.Date)
		byShard[file] = append(byShard[file], ledger.CreditEntry(c))
	}
	writes, changes, err := spliceShards(dir, "credits", creditsSchema, byShard)
	if err != nil {
		return nil, err
	}
	return &PreparedCredits{Changes: changes, writes: writes}, nil
}

// Write writes the prepared shards, each atomically.
func (p *PreparedCredits) Write() error { return writeShards(p.writes) }

// LoadCreditLedger reads what a credit import needs from a ledger: the
// program (kinds, time zone), people (bots, identities), organisations,
// and every credit, so that none is written twice.
func LoadCreditLedger(dir string) (*ledger.Ledger, error) {
	guarded := func(p string) bool {
		return p == "program.yaml" || strings.HasPrefix(p, "credits/") || strings.HasPrefix(p, "claims/")
	}
	include := func(p string) bool {
		return guarded(p) || strings.HasPrefix(p, "people/") || strings.HasPrefix(p, "organizations/")
	}
	return loadWithProgram(dir, include, guarded, "credits")
}

// loadWithProgram is ledger.LoadToAdd for an import that needs the
// program's rules.
func loadWithProgram(dir string, include, guard func(string) bool, records string) (*ledger.Ledger, error) {
	l, err := ledger.LoadToAdd(dir, include, guard, records)
	if err != nil {
		return nil, err
	}
	if l.Program == nil {
		return nil, fmt.Errorf("%s has no program.yaml; point --ledger at a ledger folder", dir)
	}
	return l, nil
}
