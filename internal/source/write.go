package source

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tallyledger/tally/internal/atomicfile"
	"github.com/tallyledger/tally/internal/importer"
	"github.com/tallyledger/tally/internal/ledger"
)

// LoadLedger reads what ingestion needs from the ledger at dir: the
// program (sources, kinds, time zone), the people (bots, identities), the
// credits (so that none is written twice) and the sources' state. A
// credit shard, state file or program.yaml that cannot be read stops it,
// since its credits could otherwise be written twice.
func LoadLedger(dir string) (*ledger.Ledger, error) {
	guarded := func(p string) bool {
		return strings.HasPrefix(p, "credits/") || strings.HasPrefix(p, "sources/") || p == "program.yaml"
	}
	l, err := ledger.LoadToAdd(dir, func(p string) bool { return guarded(p) || strings.HasPrefix(p, "people/") }, guarded, "credits")
	if err != nil {
		return nil, err
	}
	if l.Program == nil {
		return nil, fmt.Errorf("%s has no program.yaml; point --ledger at a ledger folder", dir)
	}
	return l, nil
}

// Written is what Write changed.
type Written struct {
	// Shards lists the credit shards written, by slash path in the ledger.
	Shards []importer.FileChange
	// State is true when the state file was written.
	State bool
}

// Write adds a source's credits to the ledger at dir, then its state:
// credits go to credits/<YYYY>/<MM>/<source>.yaml by date, spliced into
// what each shard holds, which stays byte for byte; state renders
// sources/<source>.yaml from its old text (nil: unchanged). Every shard is
// prepared before any is written, each is written atomically, and the
// state last, so that a failure anywhere never moves a mark past a credit
// that is not on disk.
func Write(dir, source string, credits []ledger.Credit, state func(old []byte) ([]byte, error)) (Written, error) {
	var w Written
	shards, err := importer.PrepareCredits(dir, source, credits)
	if err != nil {
		return w, err
	}
	path := filepath.Join(dir, filepath.FromSlash(StateFile(source)))
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return w, err
	}
	data, err := state(old)
	if err != nil {
		return w, fmt.Errorf("%s: %w", filepath.ToSlash(path), err)
	}
	if err := shards.Write(); err != nil {
		return w, err
	}
	w.Shards = shards.Changes
	if data != nil && !bytes.Equal(data, old) {
		if err := atomicfile.Write(path, data, 0o644); err != nil {
			return w, err
		}
		w.State = true
	}
	return w, nil
}
